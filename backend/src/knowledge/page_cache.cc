// Implements page_cache.h.
#include "knowledge/page_cache.h"

#include <algorithm>

namespace kpo::knowledge {

namespace {

void Field(std::string* key, const std::string& value) {
  key->append(std::to_string(value.size())).push_back(':');
  key->append(value);
}

}  // namespace

std::string PageCache::Key(const std::string& index_generation, int64_t store_changes,
                           const std::vector<std::string>& access_keys,
                           const search::SearchRequest& request) {
  std::string key;
  Field(&key, index_generation);
  Field(&key, std::to_string(store_changes));
  std::vector<std::string> keys = access_keys;
  std::sort(keys.begin(), keys.end());
  Field(&key, std::to_string(keys.size()));
  for (const auto& k : keys) Field(&key, k);
  Field(&key, request.q);
  Field(&key, std::to_string(request.filters.size()));
  for (const auto& [facet, values] : request.filters) {
    Field(&key, facet);
    Field(&key, std::to_string(values.size()));
    for (const auto& v : values) Field(&key, v);
  }
  Field(&key, request.from);
  Field(&key, request.to);
  Field(&key, std::to_string(request.page));
  Field(&key, std::to_string(request.size));
  Field(&key, request.sort == search::SortOrder::kDate ? "date" : "relevance");
  return key;
}

std::optional<SearchPage> PageCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->second;
}

void PageCache::Put(const std::string& key, const SearchPage& page) {
  if (capacity_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (index_.count(key) > 0) return;
  entries_.emplace_front(key, page);
  index_.emplace(key, entries_.begin());
  while (entries_.size() > capacity_) {
    index_.erase(entries_.back().first);
    entries_.pop_back();
  }
}

}  // namespace kpo::knowledge

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
  Field(&key, request.correct_spelling ? "spelling" : "no-spelling");
  return key;
}

std::optional<SearchPage> PageCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  const SearchPage* hit = pages_.Get(key);
  if (hit == nullptr) return std::nullopt;
  return *hit;
}

void PageCache::Put(const std::string& key, const SearchPage& page) {
  std::lock_guard<std::mutex> lock(mu_);
  pages_.Put(key, page, 1);
}

}  // namespace kpo::knowledge

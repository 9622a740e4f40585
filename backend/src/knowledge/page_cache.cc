// Implements page_cache.h.
#include "knowledge/page_cache.h"

#include <algorithm>

#include "common/metrics.h"

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

size_t PageCache::Bytes(const SearchPage& page, size_t key_bytes) {
  // Per string and per container node: the object itself plus allocator
  // overhead (a std::string is 32 bytes, a map node ~48, malloc adds 16).
  constexpr size_t kString = 48;
  constexpr size_t kNode = 64;
  auto text = [](const std::string& s) { return kString + s.size(); };
  auto list = [&](const std::vector<std::string>& v) {
    size_t n = sizeof(std::vector<std::string>);  // the vector object itself
    for (const auto& s : v) n += text(s);
    return n;
  };
  size_t n = sizeof(SearchPage) + 2 * kNode + key_bytes + page.query.size() + page.sort.size() +
             page.suggestion.size() + page.cache_key.size();
  for (const auto& word : page.also_searched) n += text(word);
  for (const auto& hit : page.hits) {
    const Item& it = hit.item;
    n += sizeof(SearchHit) + text(hit.snippet) + text(it.id) + text(it.title) + text(it.type) +
         text(it.summary) + text(it.werkplaats) + text(it.access) + text(it.published) +
         text(it.status) + text(it.body_markdown) + text(it.body_text) + text(it.source_path) +
         text(it.content_hash) + list(it.themes) + list(it.regions) + list(it.groups) +
         list(it.tags);
  }
  for (const auto& [facet, counts] : page.facets) {
    n += kNode + text(facet);
    for (const auto& entry : counts) n += kNode + text(entry.first);
  }
  return n;
}

std::optional<SearchPage> PageCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  const SearchPage* hit = pages_.Get(key);
  metrics::CacheLookup("search_pages", hit != nullptr);
  if (hit == nullptr) return std::nullopt;
  return *hit;
}

void PageCache::Put(const std::string& key, const SearchPage& page) {
  std::lock_guard<std::mutex> lock(mu_);
  pages_.Put(key, page, Bytes(page, key.size()));
}

size_t PageCache::bytes() {
  std::lock_guard<std::mutex> lock(mu_);
  return pages_.used();
}

}  // namespace kpo::knowledge

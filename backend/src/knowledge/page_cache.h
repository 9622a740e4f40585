// Whole search pages, as KnowledgeBase::Search answers them, shared by every
// thread. Owns: a bounded, least-recently-used map from a key to a page.
// The key holds everything a page depends on: the index generation, the
// store's change counter (every item change queues an index job in the same
// transaction, so it moves with every change, before the index follows), the
// caller's access keys (the only thing access decisions read) and the whole
// validated request. A page is therefore only served to callers who may read
// exactly what it shows, and never after anything it shows has changed.
// Why: the same searches come back all day (the listing on every portal
// visit, a facet switched on and off, page 2 and back, the topic of the
// week); a hit costs microseconds instead of counting, ranking, reading ten
// items and making ten snippets (docs/performance.md).
// May not touch: how pages are made.
// Thread-safety: all methods may be called from any thread at once.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/lru_cache.h"
#include "knowledge/knowledge_base.h"
#include "search/searcher.h"

namespace kpo::knowledge {

class PageCache {
 public:
  // Keeps pages up to `bytes` in all (keys included, estimated from the
  // strings they hold); 0 keeps nothing.
  explicit PageCache(size_t bytes) : pages_(bytes) {}

  // What `page` kept under a key of `key_bytes` costs: its strings and a
  // fixed overhead per string and container.
  static size_t Bytes(const SearchPage& page, size_t key_bytes);

  // Length-prefixed fields, so no two different requests share a key.
  static std::string Key(const std::string& index_generation, int64_t store_changes,
                         const std::vector<std::string>& access_keys,
                         const search::SearchRequest& request);

  std::optional<SearchPage> Get(const std::string& key);
  void Put(const std::string& key, const SearchPage& page);

  // The bytes kept now (as Bytes counts them) and the bound.
  size_t bytes();
  size_t bound() const { return pages_.capacity(); }

 private:
  std::mutex mu_;
  LruCache<SearchPage> pages_;  // GUARDED_BY(mu_), cost = Bytes()
};

}  // namespace kpo::knowledge

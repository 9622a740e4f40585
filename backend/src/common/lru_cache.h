// A least-recently-used map bounded by a total cost (bytes, entries, ...).
// Owns: its entries and their order. May not touch: locking (callers that
// share one hold their own mutex) or what the values mean.
// Thread-safety: none.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace kpo {

template <typename Value>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}

  // The value under `key`, now the most recently used; nullptr when absent.
  const Value* Get(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);
    return &it->second->value;
  }

  // Keeps `value` at `cost`, dropping the least recently used entries to
  // stay within the capacity. A key already present keeps its value; a value
  // costing more than the whole capacity is not kept.
  void Put(const std::string& key, Value value, size_t cost) {
    if (cost > capacity_ || index_.count(key) > 0) return;
    while (used_ + cost > capacity_ && !entries_.empty()) {
      used_ -= entries_.back().cost;
      index_.erase(entries_.back().key);
      entries_.pop_back();
    }
    entries_.push_front(Entry{key, std::move(value), cost});
    index_.emplace(key, entries_.begin());
    used_ += cost;
  }

  // The cost of the entries kept, and the most they may cost.
  size_t used() const { return used_; }
  size_t capacity() const { return capacity_; }

  void Clear() {
    entries_.clear();
    index_.clear();
    used_ = 0;
  }

 private:
  struct Entry {
    std::string key;
    Value value;
    size_t cost;
  };
  const size_t capacity_;
  size_t used_ = 0;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

}  // namespace kpo

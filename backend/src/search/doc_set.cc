// Implements doc_set.h.
#include "search/doc_set.h"

#include <algorithm>

namespace kpo::search {

DocSet& DocSet::operator&=(const DocSet& other) {
  const size_t n = std::min(words_.size(), other.words_.size());
  for (size_t i = 0; i < n; ++i) words_[i] &= other.words_[i];
  std::fill(words_.begin() + static_cast<long>(n), words_.end(), 0);
  return *this;
}

DocSet& DocSet::operator|=(const DocSet& other) {
  const size_t n = std::min(words_.size(), other.words_.size());
  for (size_t i = 0; i < n; ++i) words_[i] |= other.words_[i];
  return *this;
}

DocSet& DocSet::Subtract(const DocSet& other) {
  const size_t n = std::min(words_.size(), other.words_.size());
  for (size_t i = 0; i < n; ++i) words_[i] &= ~other.words_[i];
  return *this;
}

DocSet::DocId DocSet::NextFrom(DocId from) const {
  size_t w = from >> 6;
  if (w >= words_.size()) return kEnd;
  uint64_t bits = words_[w] & (~uint64_t{0} << (from & 63));
  while (bits == 0) {
    if (++w >= words_.size()) return kEnd;
    bits = words_[w];
  }
  return static_cast<DocId>(w * 64 + static_cast<size_t>(__builtin_ctzll(bits)));
}

// Counting is a popcount per word; Debian's x86-64 baseline has no popcnt
// instruction, so GCC would call a table-driven libgcc routine per word
// (measured: 3% of all search time). Where the CPU has one, use it.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define KPO_POPCNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define KPO_POPCNT_CLONES
#endif

KPO_POPCNT_CLONES uint64_t DocSet::Count() const {
  uint64_t n = 0;
  for (uint64_t w : words_) n += static_cast<uint64_t>(__builtin_popcountll(w));
  return n;
}

KPO_POPCNT_CLONES uint64_t DocSet::CountAnd(const DocSet& other) const {
  const size_t n = std::min(words_.size(), other.words_.size());
  uint64_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    count += static_cast<uint64_t>(__builtin_popcountll(words_[i] & other.words_[i]));
  }
  return count;
}

bool DocSet::Intersects(const DocSet& other) const {
  const size_t n = std::min(words_.size(), other.words_.size());
  for (size_t i = 0; i < n; ++i) {
    if ((words_[i] & other.words_[i]) != 0) return true;
  }
  return false;
}

}  // namespace kpo::search

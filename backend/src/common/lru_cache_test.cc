// LruCache: the bound holds by cost, recency decides what goes.
#include "common/lru_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace kpo {
namespace {

TEST(LruCache, DropsTheLeastRecentlyUsedToStayWithinItsCost) {
  LruCache<int> cache(10);
  EXPECT_EQ(cache.Get("a"), nullptr);
  cache.Put("a", 1, 4);
  cache.Put("b", 2, 4);
  ASSERT_NE(cache.Get("a"), nullptr);  // "b" is now the least recently used
  cache.Put("c", 3, 4);
  EXPECT_EQ(cache.Get("b"), nullptr);
  EXPECT_EQ(*cache.Get("a"), 1);
  EXPECT_EQ(*cache.Get("c"), 3);
  cache.Put("d", 4, 8);  // needs both places
  EXPECT_EQ(cache.Get("a"), nullptr);
  EXPECT_EQ(cache.Get("c"), nullptr);
  EXPECT_EQ(*cache.Get("d"), 4);
}

TEST(LruCache, KeepsFirstValueRefusesOversizeAndClears) {
  LruCache<int> cache(10);
  cache.Put("a", 1, 1);
  cache.Put("a", 2, 1);
  EXPECT_EQ(*cache.Get("a"), 1);
  cache.Put("huge", 3, 11);
  EXPECT_EQ(cache.Get("huge"), nullptr);
  EXPECT_EQ(*cache.Get("a"), 1);  // an oversize value evicts nothing
  cache.Clear();
  EXPECT_EQ(cache.Get("a"), nullptr);
  LruCache<int> none(0);
  none.Put("a", 1, 1);
  EXPECT_EQ(none.Get("a"), nullptr);
}

// Issue 13 (memory): what GET /metrics reports as a cache's bytes never
// passes its bound, however many entries come and go.
TEST(LruCache, ReportsItsCostWithinTheBoundUnderChurn) {
  LruCache<std::string> cache(1000);
  EXPECT_EQ(cache.capacity(), 1000u);
  EXPECT_EQ(cache.used(), 0u);
  cache.Put("a", "x", 300);
  cache.Put("b", "y", 300);
  EXPECT_EQ(cache.used(), 600u);
  for (int i = 0; i < 10000; ++i) {
    cache.Put("k" + std::to_string(i), std::string(10, 'z'), 1 + i % 97);
    ASSERT_LE(cache.used(), cache.capacity());
  }
  EXPECT_GT(cache.used(), 900u);  // full: the largest entry is 97
  cache.Put("a", "again", 300);
  EXPECT_LE(cache.used(), 1000u);
  cache.Clear();
  EXPECT_EQ(cache.used(), 0u);
}

}  // namespace
}  // namespace kpo

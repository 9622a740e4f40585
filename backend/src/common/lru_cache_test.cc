// LruCache: the bound holds by cost, recency decides what goes.
#include "common/lru_cache.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace kpo

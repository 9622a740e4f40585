// The page cache: keys that never mix callers or requests, a bound that
// holds, and a KnowledgeBase that never serves a page after what it shows
// changed in the store, even before the index follows.
#include "knowledge/page_cache.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace kpo::knowledge {
namespace {

using kpo::testing::Corpus;
using kpo::testing::ItemSpec;

SearchPage WithTotal(uint64_t total) {
  SearchPage p;
  p.total = total;
  return p;
}

TEST(PageCacheKey, EveryPartOfTheRequestAndTheCallerCounts) {
  search::SearchRequest base;
  base.q = "bibob";
  const std::vector<std::string> anon = {"public"};
  const std::string k = PageCache::Key("7", 3, anon, base);
  EXPECT_EQ(k, PageCache::Key("7", 3, anon, base));
  std::vector<std::string> variants = {
      PageCache::Key("8", 3, anon, base), PageCache::Key("7", 4, anon, base),
      PageCache::Key("7", 3, {"public", "members"}, base), PageCache::Key("7", 3, {}, base)};
  auto with = [&](auto change) {
    search::SearchRequest r = base;
    change(r);
    variants.push_back(PageCache::Key("7", 3, anon, r));
  };
  with([](auto& r) { r.q = "bibob "; });
  with([](auto& r) { r.q = "bibob|1:x"; });  // separators cannot forge another key
  with([](auto& r) { r.filters["type"] = {"nieuws"}; });
  with([](auto& r) { r.filters["type"] = {}; });
  with([](auto& r) { r.from = "2024-01-01"; });
  with([](auto& r) { r.to = "2024-01-01"; });
  with([](auto& r) { r.page = 2; });
  with([](auto& r) { r.size = 20; });
  with([](auto& r) { r.sort = search::SortOrder::kDate; });
  for (const auto& v : variants) EXPECT_NE(v, k);
  EXPECT_EQ(PageCache::Key("7", 3, {"public", "members"}, base),
            PageCache::Key("7", 3, {"members", "public"}, base));
}

TEST(PageCache, KeepsTheMostRecentlyUsedWithinItsBound) {
  // Room for two small pages (in bytes), not three.
  PageCache cache(2 * PageCache::Bytes(WithTotal(1), 1) + 10);
  EXPECT_FALSE(cache.Get("a").has_value());
  cache.Put("a", WithTotal(1));
  cache.Put("b", WithTotal(2));
  EXPECT_EQ(cache.Get("a")->total, 1u);
  cache.Put("c", WithTotal(3));  // "b" is the least recently used
  EXPECT_FALSE(cache.Get("b").has_value());
  EXPECT_TRUE(cache.Get("a").has_value());
  EXPECT_TRUE(cache.Get("c").has_value());
  PageCache none(0);
  none.Put("a", WithTotal(1));
  EXPECT_FALSE(none.Get("a").has_value());
}

// Issue 13: the bound is bytes, so big pages leave room for fewer of them
// (with an entry count, 4096 pages of any size were kept).
TEST(PageCache, BoundsByBytesNotEntries) {
  SearchPage big = WithTotal(1);
  big.hits.resize(10);
  for (auto& hit : big.hits) hit.snippet = std::string(10000, 's');
  EXPECT_GT(PageCache::Bytes(big, 1), 100000u);
  PageCache cache(250000);  // two big pages
  cache.Put("a", big);
  cache.Put("b", big);
  cache.Put("c", big);
  EXPECT_FALSE(cache.Get("a").has_value());
  EXPECT_TRUE(cache.Get("b").has_value());
  EXPECT_TRUE(cache.Get("c").has_value());
  for (int i = 0; i < 1000; ++i) cache.Put("small" + std::to_string(i), WithTotal(2));
  EXPECT_TRUE(cache.Get("small999").has_value());
  EXPECT_FALSE(cache.Get("b").has_value());
  // What GET /metrics reports (issue 13, memory): full, within the bound.
  EXPECT_EQ(cache.bound(), 250000u);
  EXPECT_LE(cache.bytes(), cache.bound());
  EXPECT_GT(cache.bytes(), cache.bound() - PageCache::Bytes(WithTotal(2), 9));
}

TEST(PageCache, AStoreChangeIsSeenBeforeTheIndexFollows) {
  Corpus corpus;
  corpus.Add(
      {.id = "open", .title = "Zwartkraai openbaar", .access = "public", .body = "zwartkraai"});
  corpus.Add({.id = "tweede", .title = "Zwartkraai ook", .access = "public", .body = "zwartkraai"});
  ASSERT_TRUE(corpus.Index().empty());
  Options options;
  options.data_dir = corpus.data_dir();
  auto kb = KnowledgeBase::Open(options);
  ASSERT_TRUE(kb.ok()) << kb.status().ToString();
  SearchParams params;
  params.q = "zwartkraai";
  Principal member;
  member.role = Role::kMember;
  for (int round = 0; round < 2; ++round) {  // the second round comes from the cache
    auto anon = (*kb)->Search(Principal::Anonymous(), params);
    ASSERT_TRUE(anon.ok());
    EXPECT_EQ(anon->hits.size(), 2u);
    auto mem = (*kb)->Search(member, params);
    ASSERT_TRUE(mem.ok());
    EXPECT_EQ(mem->hits.size(), 2u);
  }
  // The item becomes members-only in the store; the index still says public.
  corpus.SetAccessInStore("open", "members");
  auto anon = (*kb)->Search(Principal::Anonymous(), params);
  ASSERT_TRUE(anon.ok());
  ASSERT_EQ(anon->hits.size(), 1u);
  EXPECT_EQ(anon->hits[0].item.id, "tweede");
  auto mem = (*kb)->Search(member, params);
  ASSERT_TRUE(mem.ok());
  EXPECT_EQ(mem->hits.size(), 2u);
}

}  // namespace
}  // namespace kpo::knowledge

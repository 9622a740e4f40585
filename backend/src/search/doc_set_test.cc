// DocSet against a std::set of the same ids: every operation, edges of words.
#include "search/doc_set.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace kpo::search {
namespace {

DocSet From(const std::set<DocSet::DocId>& ids, DocSet::DocId last) {
  DocSet s(last);
  for (auto id : ids) s.Add(id);
  return s;
}

std::set<DocSet::DocId> Members(const DocSet& s) {
  std::set<DocSet::DocId> out;
  s.ForEach([&](DocSet::DocId id) { out.insert(id); });
  return out;
}

TEST(DocSet, EmptySetHasNothing) {
  DocSet s(1000);
  EXPECT_EQ(s.Count(), 0u);
  EXPECT_FALSE(s.Contains(1));
  EXPECT_FALSE(s.Contains(5000));  // beyond the end: not a member, no crash
  EXPECT_EQ(s.NextFrom(0), DocSet::kEnd);
  EXPECT_TRUE(Members(s).empty());
}

TEST(DocSet, WordEdgesAndLastId) {
  const std::set<DocSet::DocId> ids = {1, 63, 64, 65, 127, 128, 200};
  DocSet s = From(ids, 200);
  EXPECT_EQ(Members(s), ids);
  EXPECT_EQ(s.Count(), ids.size());
  EXPECT_EQ(s.NextFrom(0), 1u);
  EXPECT_EQ(s.NextFrom(2), 63u);
  EXPECT_EQ(s.NextFrom(64), 64u);
  EXPECT_EQ(s.NextFrom(66), 127u);
  EXPECT_EQ(s.NextFrom(129), 200u);
  EXPECT_EQ(s.NextFrom(201), DocSet::kEnd);
  EXPECT_EQ(s.NextFrom(1u << 30), DocSet::kEnd);
}

TEST(DocSet, OperationsMatchStdSet) {
  std::mt19937 rng(42);
  for (int round = 0; round < 50; ++round) {
    const DocSet::DocId last = 1 + rng() % 3000;
    std::set<DocSet::DocId> a, b;
    for (DocSet::DocId id = 0; id <= last; ++id) {
      if (rng() % 3 == 0) a.insert(id);
      if (rng() % 5 == 0) b.insert(id);
    }
    const DocSet sa = From(a, last), sb = From(b, last);
    std::set<DocSet::DocId> both, either, only_a;
    for (auto id : a) (b.count(id) ? both : only_a).insert(id);
    either = a;
    either.insert(b.begin(), b.end());

    DocSet x = sa;
    x &= sb;
    EXPECT_EQ(Members(x), both);
    DocSet y = sa;
    y |= sb;
    EXPECT_EQ(Members(y), either);
    DocSet z = sa;
    z.Subtract(sb);
    EXPECT_EQ(Members(z), only_a);
    EXPECT_EQ(sa.CountAnd(sb), both.size());
    EXPECT_EQ(sa.Intersects(sb), !both.empty());
    // NextFrom walks exactly the members.
    std::set<DocSet::DocId> walked;
    for (auto id = sa.NextFrom(0); id != DocSet::kEnd; id = sa.NextFrom(id + 1)) walked.insert(id);
    EXPECT_EQ(walked, a);
  }
}

TEST(DocSet, SetsOfDifferentSizesTreatTheMissingTailAsEmpty) {
  DocSet small = From({1, 2, 3}, 10);
  DocSet big = From({2, 3, 500, 900}, 1000);
  DocSet x = big;
  x &= small;
  EXPECT_EQ(Members(x), (std::set<DocSet::DocId>{2, 3}));
  DocSet y = small;
  y |= big;  // cannot grow: members beyond its end are dropped
  EXPECT_EQ(Members(y), (std::set<DocSet::DocId>{1, 2, 3}));
  EXPECT_EQ(big.CountAnd(small), 2u);
}

}  // namespace
}  // namespace kpo::search

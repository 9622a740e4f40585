// Warming a new index revision: after a commit, the queries people asked
// before find their sets and weights ready (nothing computed anew when they
// ask again), and without warming they would not. Real indexer, real index.
#include "knowledge/warm_up.h"

#include <gtest/gtest.h>

#include "knowledge/knowledge_base.h"
#include "support/test_support.h"

namespace kpo::knowledge {
namespace {

using kpo::testing::Corpus;

const std::vector<std::string> kQueries = {"bibob", "\"integrale aanpak\" gemeente", "ondermij*",
                                           "witwassen OR hennep"};

// Searches kQueries as a member, commits a new item, lets a request see the
// new revision, waits for warming, and returns what searching kQueries
// again computed.
search::MatchSets::Stats ComputedAfterACommit(size_t warm_up_queries) {
  Corpus corpus;
  corpus.Add({.id = "een",
              .title = "Bibob en integrale aanpak",
              .body = "De gemeente toetst met de wet bibob; een integrale aanpak helpt."});
  corpus.Add({.id = "twee",
              .title = "Ondermijning en witwassen",
              .body = "Hennep, witwassen en ondermijning in het buitengebied."});
  EXPECT_TRUE(corpus.Index().empty());
  auto sets = std::make_shared<search::MatchSets>();
  Options options;
  options.data_dir = corpus.data_dir();
  options.match_sets = sets;
  options.page_cache_bytes = 0;  // every search does its work
  options.warm_up_queries = warm_up_queries;
  auto kb = KnowledgeBase::Open(options);
  EXPECT_TRUE(kb.ok()) << kb.status().ToString();
  Principal member;
  member.role = Role::kMember;
  for (const auto& q : kQueries) {
    SearchParams params;
    params.q = q;
    EXPECT_TRUE((*kb)->Search(member, params).ok()) << q;
  }
  // A publication: a new index revision.
  corpus.Add({.id = "drie", .title = "Nieuw over bibob", .body = "Bibob en hennep."});
  EXPECT_TRUE(corpus.Index().empty());
  EXPECT_TRUE((*kb)->GetHealth(Principal::Anonymous()).ok());  // a request sees it
  (*kb)->WaitForWarmUp();
  const auto before = sets->stats();
  for (const auto& q : kQueries) {
    SearchParams params;
    params.q = q;
    auto page = (*kb)->Search(member, params);
    EXPECT_TRUE(page.ok()) << q;
    EXPECT_GT(page->total, 0u) << q;
  }
  const auto after = sets->stats();
  return {after.revisions - before.revisions, after.terms - before.terms,
          after.phrases - before.phrases, after.weighings - before.weighings,
          after.from_weights - before.from_weights};
}

TEST(WarmUp, AfterACommitRecentQueriesFindTheirSetsAndWeightsReady) {
  const auto computed = ComputedAfterACommit(256);
  EXPECT_EQ(computed.revisions, 0u);
  EXPECT_EQ(computed.terms, 0u);
  EXPECT_EQ(computed.phrases, 0u);
  EXPECT_EQ(computed.weighings, 0u);
  EXPECT_GT(computed.from_weights, 0u);  // ranked from the weights warming kept
}

TEST(WarmUp, WithoutWarmingTheFirstSearchesComputeEverything) {
  // The control for the test above: it would notice warming not happening.
  // (The revision's own sets were built by the health request.) A request
  // never weighs: without warming its groups rank as they are.
  const auto computed = ComputedAfterACommit(0);
  EXPECT_GT(computed.terms, 0u);
  EXPECT_EQ(computed.weighings, 0u);
  EXPECT_EQ(computed.from_weights, 0u);
}

TEST(WarmUp, RemembersDistinctRecentQueriesWithinItsBound) {
  Corpus corpus;
  corpus.Add({.id = "een", .title = "Bibob", .body = "bibob"});
  ASSERT_TRUE(corpus.Index().empty());
  auto sets = std::make_shared<search::MatchSets>();
  WarmUp warm(corpus.data_dir() + "/index", nullptr, search::StemmerKind::kKpo, sets, 2);
  for (const std::string q : {"a", "b", "a", "c", "", "c"}) warm.Remember(q, {"public"});
  auto glossary = std::make_shared<content::Glossary>();
  warm.Start("1", glossary);
  warm.Wait();
  EXPECT_EQ(warm.warmed(), 3u);  // the empty query for all, then "c" and "" as asked
  warm.Start("1", glossary);     // the same generation: nothing to do
  warm.Wait();
  EXPECT_EQ(warm.warmed(), 3u);
  warm.Start("2", glossary);
  warm.Wait();
  EXPECT_EQ(warm.warmed(), 6u);
}

TEST(WarmUp, StopsWhenDestroyedWhileWarming) {
  Corpus corpus;
  corpus.Add({.id = "een", .title = "Bibob", .body = "bibob"});
  ASSERT_TRUE(corpus.Index().empty());
  auto sets = std::make_shared<search::MatchSets>();
  for (int i = 0; i < 5; ++i) {
    WarmUp warm(corpus.data_dir() + "/index", nullptr, search::StemmerKind::kKpo, sets, 64);
    for (int q = 0; q < 64; ++q) warm.Remember("bibob woord" + std::to_string(q), {"public"});
    warm.Start("1", std::make_shared<content::Glossary>());
  }  // destroyed at once: joins without hanging or crashing
  WarmUp never_started(corpus.data_dir() + "/index", nullptr, search::StemmerKind::kKpo, sets, 64);
  never_started.Wait();  // nothing pending: returns
  EXPECT_EQ(never_started.warmed(), 0u);
}

}  // namespace
}  // namespace kpo::knowledge

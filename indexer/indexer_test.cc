// The indexer: incremental, idempotent, and a bad run loses nothing.
#include "indexer/indexer.h"

#include <gtest/gtest.h>

#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "search/schema.h"

#include "store/item_store.h"
#include "support/test_support.h"

namespace kpo::indexer {
namespace {

using kpo::testing::ItemSpec;

class IndexerTest : public ::testing::Test {
 protected:
  StatusOr<Summary> RunOnce() {
    Options o;
    o.content_dir = corpus_.content_dir();
    o.data_dir = corpus_.data_dir();
    return indexer::Run(o);
  }
  std::unique_ptr<store::ItemStore> Store() {
    auto s = store::ItemStore::Open(corpus_.data_dir() + "/kpo.sqlite");
    EXPECT_TRUE(s.ok());
    return std::move(*s);
  }
  kpo::testing::Corpus corpus_;
};

TEST_F(IndexerTest, ImportsAndIsIncremental) {
  corpus_.Add({.id = "een", .title = "Eerste"});
  corpus_.Add({.id = "twee", .title = "Tweede"});
  auto first = RunOnce();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->added, 2u);
  EXPECT_EQ(first->indexed, 2u);
  EXPECT_TRUE(first->errors.empty());

  auto second = RunOnce();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->unchanged, 2u);
  EXPECT_EQ(second->indexed, 0u);  // an unchanged file costs no re-index

  corpus_.Add({.id = "twee", .title = "Tweede, herzien"});
  auto third = RunOnce();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->changed, 1u);
  EXPECT_EQ(third->indexed, 1u);
  auto item = Store()->Get("twee");
  ASSERT_TRUE(item.ok() && item->has_value());
  EXPECT_EQ((*item)->title, "Tweede, herzien");
  EXPECT_EQ((*item)->revision, 2);
}

// The glossary's phrases are terms in every document: a new phrase in the
// glossary rebuilds the index, so that old documents carry it too.
TEST_F(IndexerTest, ANewGlossaryPhraseRebuildsTheIndex) {
  corpus_.Add({.id = "oud", .title = "Over de zwarte kraai", .body = "De zwarte kraai."});
  ASSERT_TRUE(RunOnce().ok());
  const std::string main_dir = corpus_.data_dir() + "/index/main";
  const std::string term = std::string(search::schema::kPhrase) + "zwarte kraai";
  EXPECT_FALSE(Xapian::Database(main_dir).term_exists(term));
  {
    std::ofstream glossary(corpus_.content_dir() + "/glossary.yaml", std::ios::app);
    glossary << "\n- [zwartkraai, zwarte kraai]\n";
  }
  auto again = RunOnce();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->indexed, 1u);  // the unchanged item, re-indexed
  Xapian::Database db(main_dir);
  EXPECT_EQ(db.get_termfreq(term), 1u);
  EXPECT_NE(db.get_metadata(search::schema::kPhrasesKey).find("zwarte kraai\n"), std::string::npos);
}

TEST_F(IndexerTest, RemovesItemsWhoseFileIsGone) {
  corpus_.Add({.id = "blijft", .title = "Blijft"});
  corpus_.Add({.id = "weg", .title = "Weg"});
  ASSERT_TRUE(RunOnce().ok());
  std::filesystem::remove(corpus_.content_dir() + "/weg.md");
  auto r = RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->removed, 1u);
  EXPECT_FALSE(Store()->Get("weg")->has_value());
  EXPECT_TRUE(Store()->Get("blijft")->has_value());
}

TEST_F(IndexerTest, BadFileIsReportedAndLosesNothing) {
  corpus_.Add({.id = "goed", .title = "Goed"});
  ASSERT_TRUE(RunOnce().ok());
  // The stored item's file breaks: the old version stays, others import.
  kpo::testing::WriteFile(corpus_.content_dir() + "/goed.md", "---\ntitle: [kapot\n---\n");
  corpus_.Add({.id = "nieuw", .title = "Nieuw"});
  kpo::testing::WriteFile(corpus_.content_dir() + "/sub/fout.md",
                          "---\ntitle: T\ntype: nieuws\nthemes: [onbekend]\n---\n");
  auto r = RunOnce();
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->errors.size(), 2u);
  EXPECT_EQ(r->errors[0].rfind("goed.md:", 0), 0u) << r->errors[0];
  EXPECT_EQ(r->errors[1], "sub/fout.md:4: onbekend thema 'onbekend' (niet in vocabulary.yaml)");
  auto kept = Store()->Get("goed");
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->title, "Goed");
  EXPECT_TRUE(Store()->Get("nieuw")->has_value());
}

TEST_F(IndexerTest, DuplicateIdNamesBothFiles) {
  corpus_.Add({.id = "dubbel", .title = "Eerste"});
  kpo::testing::WriteFile(corpus_.content_dir() + "/zz-ander.md",
                          kpo::testing::ItemFile({.id = "dubbel", .title = "Tweede"}));
  auto r = RunOnce();
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_NE(r->errors[0].find("zz-ander.md"), std::string::npos);
  EXPECT_NE(r->errors[0].find("dubbel.md"), std::string::npos);
  EXPECT_EQ((*Store()->Get("dubbel"))->title, "Eerste");
}

TEST_F(IndexerTest, MissingVocabularyChangesNothing) {
  corpus_.Add({.id = "een", .title = "Een"});
  ASSERT_TRUE(RunOnce().ok());
  std::filesystem::remove(corpus_.content_dir() + "/vocabulary.yaml");
  auto r = RunOnce();
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidContent);
  EXPECT_TRUE(Store()->Get("een")->has_value());
}

TEST_F(IndexerTest, PendingJobsFromACrashAreReplayed) {
  corpus_.Add({.id = "een", .title = "Een"});
  ASSERT_TRUE(RunOnce().ok());
  {
    // A change committed to SQLite whose index update never happened.
    auto store = Store();
    auto item = store->Get("een");
    Item changed = **item;
    changed.title = "Gewijzigd zonder index";
    ASSERT_TRUE(store->Upsert(changed).ok());
  }
  auto r = RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->indexed, 1u);
  EXPECT_TRUE(Store()->PendingJobs()->empty());
}

TEST_F(IndexerTest, ConcurrentRunsDoNotCorrupt) {
  for (int i = 0; i < 20; ++i) corpus_.Add({.id = "item-" + std::to_string(i), .title = "Item"});
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      if (RunOnce().ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(ok.load(), 1);  // the others may be refused by the writer lock
  auto r = RunOnce();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*Store()->Count(), 20);
  EXPECT_TRUE(Store()->PendingJobs()->empty());
}

}  // namespace
}  // namespace kpo::indexer

// The indexer: incremental, idempotent, and a bad run loses nothing.
#include "indexer/indexer.h"

#include <gtest/gtest.h>

#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "knowledge/index_applier.h"
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
  uint64_t DocCount() {
    try {
      return Xapian::Database(corpus_.data_dir() + "/index/main").get_doccount();
    } catch (const Xapian::Error&) {
      return 0;
    }
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

TEST_F(IndexerTest, AFileNeverOverwritesOrRemovesAnItemEditedOverTheApi) {
  corpus_.Add({.id = "een", .title = "Uit het bestand"});
  corpus_.Add({.id = "twee", .title = "Alleen een bestand"});
  ASSERT_TRUE(RunOnce().ok());
  {
    auto store = Store();
    Item edited = **store->Get("een");
    edited.title = "Bewerkt via de API";
    edited.source = "api";
    ASSERT_TRUE(
        store->Save(edited, {edited.revision, "editor@kpo.nl", store::Version::kLive}).ok());
  }
  corpus_.Add({.id = "een", .title = "Het bestand, later gewijzigd"});
  auto run = RunOnce();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run->skipped.size(), 1u);
  EXPECT_NE(run->skipped[0].find("een.md: item 'een' is via de API bewerkt (revisie 2)"),
            std::string::npos)
      << run->skipped[0];
  EXPECT_TRUE(run->errors.empty());
  EXPECT_EQ((*Store()->Get("een"))->title, "Bewerkt via de API");
  // Its file removed: the API item stays, the file item goes.
  std::filesystem::remove(corpus_.content_dir() + "/een.md");
  std::filesystem::remove(corpus_.content_dir() + "/twee.md");
  run = RunOnce();
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->removed, 1u);
  EXPECT_TRUE(Store()->Get("een")->has_value());
  EXPECT_FALSE(Store()->Get("twee")->has_value());
}

TEST_F(IndexerTest, LeavesTheIndexToTheWriterHoldingTheLock) {
  corpus_.Add({.id = "een", .title = "Eerste"});
  ASSERT_TRUE(RunOnce().ok());
  knowledge::ApplierOptions writer;
  writer.data_dir = corpus_.data_dir();
  {
    // The running server's writer, in this test an applier of our own.
    auto server = knowledge::IndexApplier::Open(writer);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    // A second writer is impossible while it holds the lock.
    auto second = knowledge::IndexApplier::Open(writer);
    ASSERT_FALSE(second.ok());
    EXPECT_TRUE(second.status().Is(ErrorCode::kServiceUnavailable));
    corpus_.Add({.id = "twee", .title = "Tweede"});
    auto run = RunOnce();
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    EXPECT_EQ(run->added, 1u);
    EXPECT_EQ(run->indexed, 0u);
    EXPECT_EQ(run->left_to_server, 1);
    EXPECT_EQ(DocCount(), 1u);  // the importer did not write the index
    auto applied = (*server)->Apply();
    ASSERT_TRUE(applied.ok()) << applied.status().ToString();
    EXPECT_EQ(applied->applied, 1u);
    EXPECT_EQ(DocCount(), 2u);
  }
  // Lock released: kpo-index writes again.
  corpus_.Add({.id = "drie", .title = "Derde"});
  auto run = RunOnce();
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->indexed, 1u);
  EXPECT_EQ(run->left_to_server, 0);
  EXPECT_EQ(DocCount(), 3u);
}

// Issue 13: a damaged index was reported as "0 items bijgewerkt" while
// SQLite held every item. Each kind of damage is now found and repaired.
class DamagedIndexTest : public IndexerTest {
 protected:
  void SetUp() override {
    for (int i = 0; i < 30; ++i) {
      corpus_.Add({.id = "item-" + std::to_string(i),
                   .title = "Bibob onderzoek " + std::to_string(i),
                   .access = i % 2 == 0 ? "public" : "members",
                   .body = "Witwassen en vastgoed in de gemeente."});
    }
    auto run = RunOnce();
    ASSERT_TRUE(run.ok());
    ASSERT_EQ(DocCount(), 30u);
  }
  void Truncate(const std::filesystem::path& file) {
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
  }
  void ExpectRepaired() {
    auto run = RunOnce();
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    EXPECT_FALSE(run->rebuilt.empty());
    EXPECT_EQ(run->indexed, 30u);
    EXPECT_EQ(DocCount(), 30u);
    auto again = RunOnce();  // repaired for good: nothing left to do
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->rebuilt.empty()) << again->rebuilt;
    EXPECT_EQ(again->indexed, 0u);
  }
  std::string index_ = corpus_.data_dir() + "/index";
};

TEST_F(DamagedIndexTest, RemovedIndexIsRebuiltFromTheStore) {
  std::filesystem::remove_all(index_);
  ExpectRepaired();
}

TEST_F(DamagedIndexTest, TruncatedPostlistIsRebuiltFromTheStore) {
  Truncate(index_ + "/main/postlist.glass");
  ExpectRepaired();
}

TEST_F(DamagedIndexTest, DamagedSpellingDatabaseIsRebuilt) {
  std::filesystem::path spelling;
  for (const auto& e : std::filesystem::directory_iterator(index_ + "/spelling")) {
    if (std::filesystem::exists(e.path() / "spelling.glass")) spelling = e.path();
  }
  ASSERT_FALSE(spelling.empty());
  Truncate(spelling / "spelling.glass");
  ExpectRepaired();
}

TEST_F(DamagedIndexTest, EmptiedIndexIsRebuiltFromTheStore) {
  // An intact but empty index (e.g. another one copied in): counts disagree.
  std::filesystem::remove_all(index_);
  std::filesystem::create_directories(index_);
  { Xapian::WritableDatabase(index_ + "/main", Xapian::DB_CREATE).commit(); }
  ExpectRepaired();
}

TEST_F(DamagedIndexTest, RebuildOnRequest) {
  Options o;
  o.content_dir = corpus_.content_dir();
  o.data_dir = corpus_.data_dir();
  o.rebuild = true;
  auto run = indexer::Run(o);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->rebuilt, "Herbouw gevraagd.");
  EXPECT_EQ(run->indexed, 30u);
}

}  // namespace
}  // namespace kpo::indexer

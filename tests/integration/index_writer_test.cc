// The running server as the index's single writer (editorial foundation):
// a change committed to SQLite is searchable within a second without
// kpo-index; a damaged index is rebuilt at start; GET /api/ready says
// "not ready" (503, Dutch reason) while the index is behind or cannot be
// written, beside the liveness of /api/health. Every writer indexes
// attachment text, also kpo-index and a rebuild (kpo-admin reindex).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "knowledge/attachment_texts.h"
#include "knowledge/index_applier.h"
#include "store/item_store.h"
#include "store/sqlite.h"
#include "support/server_fixture.h"

namespace kpo {
namespace {

using testing::HttpCall;
using testing::HttpResponse;

class IndexWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 12; ++i) {
      corpus_.Add(
          {.id = "item-" + std::to_string(i), .title = "Bibob handreiking " + std::to_string(i)});
    }
  }
  std::unique_ptr<store::ItemStore> Store() {
    auto s = store::ItemStore::Open(corpus_.data_dir() + "/kpo.sqlite");
    EXPECT_TRUE(s.ok());
    return std::move(*s);
  }
  // Saves a new public item over the store, as the editorial API will.
  void SaveNew(const std::string& id, const std::string& title) {
    Item item;
    item.id = id;
    item.title = title;
    item.type = "nieuws";
    item.access = "public";
    item.published = "2026-01-02";
    item.source = "api";
    ASSERT_TRUE(Store()->Save(item, {0, "redactie@kpo.nl", store::Version::kLive}).ok());
  }
  int64_t Total(int port, const std::string& q) {
    auto r = HttpCall(port, "GET", "/api/search?q=" + q);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json()["total"].get<int64_t>() : -1;
  }
  testing::Corpus corpus_;
};

TEST_F(IndexWriterTest, ACommittedChangeIsSearchableWithinASecond) {
  testing::ServerFixture server(&corpus_, {}, {}, /*index_writer=*/true);
  EXPECT_EQ(Total(server.port(), "zeldzaamwoord"), 0);
  SaveNew("nieuw", "Zeldzaamwoord in het nieuws");
  const auto start = std::chrono::steady_clock::now();
  while (Total(server.port(), "zeldzaamwoord") != 1 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(Total(server.port(), "zeldzaamwoord"), 1);
  EXPECT_TRUE(Store()->PendingJobs()->empty());
  // Within a second is a benchmark figure, not an assertion; the log says it.
  RecordProperty("ms_until_searchable",
                 static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::steady_clock::now() - start)
                                      .count()));
}

TEST_F(IndexWriterTest, ServerAndImporterAreNeverWritersAtOnce) {
  testing::ServerFixture server(&corpus_, {}, {}, /*index_writer=*/true);
  knowledge::ApplierOptions writer;
  writer.data_dir = corpus_.data_dir();
  auto second = knowledge::IndexApplier::Open(writer);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.status().Is(ErrorCode::kServiceUnavailable));
  // kpo-index's import while the server runs: it leaves the index to the server.
  corpus_.Add({.id = "later", .title = "Later toegevoegd zeldzaamwoord"});
  auto errors = corpus_.Index();
  EXPECT_TRUE(errors.empty());
  ASSERT_TRUE(server.kb()->WaitForIndex(std::chrono::seconds(5)));
  EXPECT_EQ(Total(server.port(), "zeldzaamwoord"), 1);
}

TEST_F(IndexWriterTest, ReadyAnswersWhileHealthIsLiveness) {
  testing::ServerFixture server(&corpus_, {}, {}, /*index_writer=*/true);
  auto ready = HttpCall(server.port(), "GET", "/api/ready");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.Json()["status"], "ready");
  EXPECT_EQ(ready.Json()["pending_index_jobs"], 0);
  EXPECT_FALSE(ready.Header("x-request-id").empty());
}

TEST_F(IndexWriterTest, NotReadyWhileTheWriterWaitsForTheLock) {
  corpus_.Index();
  knowledge::ApplierOptions writer;
  writer.data_dir = corpus_.data_dir();
  auto other = knowledge::IndexApplier::Open(writer);  // kpo-index, say
  ASSERT_TRUE(other.ok());
  testing::ServerFixture server(&corpus_, {}, {}, /*index_writer=*/true);
  auto ready = HttpCall(server.port(), "GET", "/api/ready");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.ErrorCodeName(), "service_unavailable");
  EXPECT_NE(ready.body.find("Een andere schrijver"), std::string::npos) << ready.body;
  EXPECT_EQ(HttpCall(server.port(), "GET", "/api/health").status, 200);  // alive
  other->reset();  // the other writer is done: the server takes over
  const auto start = std::chrono::steady_clock::now();
  while (HttpCall(server.port(), "GET", "/api/ready").status != 200 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(HttpCall(server.port(), "GET", "/api/ready").status, 200);
}

// An index deleted under the running server: every search failed while
// readiness said "ready", so a load balancer kept sending users to it.
TEST_F(IndexWriterTest, NotReadyWhenTheIndexCannotBeRead) {
  corpus_.Index();
  testing::ServerFixture server(&corpus_, {}, {}, /*index_writer=*/true);
  ASSERT_EQ(HttpCall(server.port(), "GET", "/api/ready").status, 200);
  std::filesystem::remove_all(corpus_.data_dir() + "/index/main");
  auto ready = HttpCall(server.port(), "GET", "/api/ready");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_NE(ready.body.find("kan niet worden gelezen"), std::string::npos) << ready.body;
  EXPECT_EQ(ready.body.find(corpus_.data_dir()), std::string::npos);  // no path sent
}

TEST_F(IndexWriterTest, NotReadyWhileTheBacklogIsLarge) {
  corpus_.Index();
  knowledge::ApplierOptions writer;
  writer.data_dir = corpus_.data_dir();
  auto other = knowledge::IndexApplier::Open(writer);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(Store()->QueueAll().ok());  // 12 jobs
  knowledge::Options options;
  options.data_dir = corpus_.data_dir();
  options.ready_backlog = 5;
  auto kb = knowledge::KnowledgeBase::Open(options);
  ASSERT_TRUE(kb.ok());
  auto ready = (*kb)->GetReadiness();
  ASSERT_FALSE(ready.ok());
  EXPECT_TRUE(ready.status().Is(ErrorCode::kServiceUnavailable));
  EXPECT_NE(ready.status().message().find("12 wijzigingen wachten"), std::string::npos)
      << ready.status().message();
  ASSERT_TRUE((*other)->Apply().ok());
  EXPECT_TRUE((*kb)->GetReadiness().ok());
}

// Issue 13: the server answered "status ok, items 0" over a damaged index.
TEST_F(IndexWriterTest, ADamagedIndexIsRebuiltWhenTheServerStarts) {
  corpus_.Index();
  const std::string postlist = corpus_.data_dir() + "/index/main/postlist.glass";
  std::filesystem::resize_file(postlist, std::filesystem::file_size(postlist) / 2);
  knowledge::Options options;  // kpo-server's: no kpo-index run before it
  options.data_dir = corpus_.data_dir();
  options.index_writer = true;
  auto kb = knowledge::KnowledgeBase::Open(options);
  ASSERT_TRUE(kb.ok()) << kb.status().ToString();
  ASSERT_TRUE((*kb)->WaitForIndex(std::chrono::seconds(10)));
  auto health = (*kb)->GetHealth(Principal{});
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(health->visible_items, 12u);
  knowledge::SearchParams params;
  params.q = "handreiking";
  EXPECT_EQ((*kb)->Search(Principal{}, params)->total, 12u);
  EXPECT_TRUE((*kb)->GetReadiness().ok());
}

// Issue 10: the text of attachments was only indexed by the server's
// writer; kpo-index applying jobs, or a rebuild, dropped it.
TEST_F(IndexWriterTest, AttachmentTextIsIndexedByEveryWriterAlsoWithoutServer) {
  ASSERT_TRUE(corpus_.Index().empty());
  {
    auto db = store::Db::Open(corpus_.data_dir() + "/attachments.sqlite");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(knowledge::MigrateAttachmentSchema(db->get()).ok());
    // The third waits for an approval far ahead: no writer may index it.
    ASSERT_TRUE((*db)
                    ->Exec("INSERT INTO attachments(item_id, name, from_revision, hash, mime, "
                           "size, image, text, uploaded_by, uploaded_at) VALUES"
                           "('item-3', 'rapport.pdf', 0, 'ab', 'application/pdf', 1, 0, "
                           "'Het nachtegaalrapport', 'r@kpo.nl', 1), "
                           "('item-4', 'notitie.pdf', 0, 'cd', 'application/pdf', 1, 0, "
                           "'De roerdompnotitie', 'r@kpo.nl', 1), "
                           "('item-4', 'concept.pdf', 1000, 'ef', 'application/pdf', 1, 0, "
                           "'Het koekoeksconcept', 'r@kpo.nl', 1)")
                    .ok());
  }
  auto search = [&](const std::string& q) {
    testing::ServerFixture server(&corpus_, {}, {}, /*index_writer=*/false);
    return HttpCall(server.port(), "GET", "/api/search?q=" + q).Json();
  };
  // kpo-index applies a pending job of item-3 (no server runs).
  ASSERT_TRUE(Store()->QueueIndex("item-3").ok());
  {
    knowledge::ApplierOptions options;
    options.data_dir = corpus_.data_dir();
    auto applier = knowledge::IndexApplier::Open(options);
    ASSERT_TRUE(applier.ok()) << applier.status().ToString();
    ASSERT_TRUE((*applier)->Apply().ok());
  }
  auto found = search("nachtegaalrapport");
  ASSERT_EQ(found["total"], 1) << found.dump();
  EXPECT_EQ(found["results"][0]["id"], "item-3");
  EXPECT_EQ(found["results"][0]["attachment"], "rapport.pdf");
  // A rebuild (kpo-index --rebuild, kpo-admin reindex) keeps every
  // attachment's text.
  {
    knowledge::ApplierOptions options;
    options.data_dir = corpus_.data_dir();
    options.rebuild = true;
    auto applier = knowledge::IndexApplier::Open(options);
    ASSERT_TRUE(applier.ok()) << applier.status().ToString();
    auto report = (*applier)->Apply();
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_FALSE(report->rebuilt.empty());
  }
  EXPECT_EQ(search("nachtegaalrapport")["total"], 1);
  EXPECT_EQ(search("roerdompnotitie")["total"], 1);
  EXPECT_EQ(search("koekoeksconcept")["total"], 0);
}

// attachments.sqlite as issue 10 first made it (one row per item and name)
// migrates in place: every upload kept, live as before (from revision 0).
TEST_F(IndexWriterTest, AttachmentsOfTheFirstSchemaMigrateAndStayLive) {
  const std::string path = corpus_.data_dir() + "/attachments.sqlite";
  std::filesystem::create_directories(corpus_.data_dir());
  {
    auto db = store::Db::Open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->Exec("CREATE TABLE attachments(item_id TEXT NOT NULL, name TEXT NOT NULL, "
                           "hash TEXT NOT NULL, mime TEXT NOT NULL, size INTEGER NOT NULL, "
                           "image INTEGER NOT NULL, text TEXT NOT NULL, uploaded_by TEXT NOT "
                           "NULL, uploaded_at INTEGER NOT NULL, PRIMARY KEY(item_id, name)); "
                           "INSERT INTO attachments VALUES('item-3', 'oud.pdf', 'ab', "
                           "'application/pdf', 1, 0, 'Het grutto-onderzoek', 'r@kpo.nl', 1)")
                    .ok());
  }
  auto texts = knowledge::AttachmentTexts::Open(corpus_.data_dir());
  ASSERT_TRUE(texts.ok()) << texts.status().ToString();
  EXPECT_EQ((*texts)->IndexText("item-3", 1), "Het grutto-onderzoek");
  EXPECT_EQ((*texts)->Matching("item-3", 1, "grutto-onderzoek"), "oud.pdf");
  // Opening again (the other module, a restart) changes nothing.
  ASSERT_TRUE(knowledge::AttachmentTexts::Open(corpus_.data_dir()).ok());
  EXPECT_EQ((*texts)->IndexText("item-3", 1), "Het grutto-onderzoek");
}

}  // namespace
}  // namespace kpo

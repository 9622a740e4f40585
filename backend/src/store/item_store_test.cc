// The item store's editorial storage: conditional saves, a draft beside the
// live version, exact revisions, and the numbered migrations (a schema-1
// database, as every store before them was, is upgraded without loss).
#include "store/item_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_support.h"

namespace kpo::store {
namespace {

Item Sample(const std::string& id, const std::string& title) {
  Item item;
  item.id = id;
  item.title = title;
  item.type = "handreiking";
  item.summary = "Samenvatting";
  item.themes = {"bibob", "vastgoed"};
  item.regions = {"riec-rotterdam"};
  item.werkplaats = "bibob";
  item.access = "restricted";
  item.groups = {"gemeenten"};
  item.published = "2024-05-01";
  item.status = "published";
  item.tags = {"bibob", "vergunning"};
  item.body_markdown = "# Kop\n\nTekst met *nadruk*.";
  item.body_text = "Kop Tekst met nadruk.";
  item.source = "api";
  return item;
}

class ItemStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<ItemStore> Open() {
    auto s = ItemStore::Open(path_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  kpo::testing::TempDir dir_;
  std::string path_ = dir_.Sub("kpo.sqlite");
};

TEST_F(ItemStoreTest, SaveIsConditionalOnTheRevisionItWasBasedOn) {
  auto store = Open();
  auto first = store->Save(Sample("a", "Eerste"), {0, "editor@kpo.nl", Version::kLive});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, 1);
  // Someone else, also starting from nothing: refused, nothing written.
  auto stale = store->Save(Sample("a", "Tweede"), {0, "ander@kpo.nl", Version::kLive});
  ASSERT_FALSE(stale.ok());
  EXPECT_TRUE(stale.status().Is(ErrorCode::kStaleRevision));
  EXPECT_NE(stale.status().message().find("revisie 1"), std::string::npos);
  EXPECT_EQ((*store->Get("a"))->title, "Eerste");
  EXPECT_EQ(store->Revisions("a")->size(), 1u);
  auto second = store->Save(Sample("a", "Tweede"), {1, "ander@kpo.nl", Version::kLive});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 2);
  EXPECT_EQ((*store->Get("a"))->title, "Tweede");
}

TEST_F(ItemStoreTest, ADraftLivesBesideThePublishedVersion) {
  auto store = Open();
  ASSERT_TRUE(store->Save(Sample("a", "Gepubliceerd"), {0, "r@kpo.nl", Version::kLive}).ok());
  const size_t jobs = store->PendingJobs()->size();
  Item edit = Sample("a", "Nieuwe versie");
  edit.status = "draft";
  auto draft = store->Save(edit, {1, "editor@kpo.nl", Version::kDraft});
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(*draft, 2);
  // Readers and search keep the published version; the draft queues no job.
  EXPECT_EQ((*store->Get("a"))->title, "Gepubliceerd");
  EXPECT_EQ((*store->GetDraft("a"))->title, "Nieuwe versie");
  EXPECT_EQ(store->PendingJobs()->size(), jobs);
  EXPECT_EQ(*store->LatestRevision("a"), 2);
  // A save based on the published revision is stale now.
  EXPECT_TRUE(
      store->Save(edit, {1, "x@kpo.nl", Version::kDraft}).status().Is(ErrorCode::kStaleRevision));
  // Approving the draft makes it the live version and drops the draft.
  auto live = store->Save(*store->GetDraft("a").value(), {2, "r@kpo.nl", Version::kLive});
  ASSERT_TRUE(live.ok());
  EXPECT_EQ((*store->Get("a"))->title, "Nieuwe versie");
  EXPECT_FALSE(store->GetDraft("a")->has_value());
  EXPECT_GT(store->PendingJobs()->size(), jobs);
}

TEST_F(ItemStoreTest, RevisionsHoldEveryFieldWithAuthorAndTime) {
  auto store = Open();
  const Item original = Sample("a", "Eerste");
  ASSERT_TRUE(store->Save(original, {0, "editor@kpo.nl", Version::kDraft}).ok());
  ASSERT_TRUE(store->Save(Sample("a", "Tweede"), {1, "r@kpo.nl", Version::kLive}).ok());
  auto revisions = store->Revisions("a");
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ((*revisions)[0].author, "editor@kpo.nl");
  EXPECT_EQ((*revisions)[0].version, Version::kDraft);
  EXPECT_TRUE((*revisions)[0].complete);
  EXPECT_EQ((*revisions)[0].created_at.size(), 20u);
  EXPECT_EQ((*revisions)[1].author, "r@kpo.nl");
  auto restored = store->GetRevision("a", 1);
  ASSERT_TRUE(restored.ok() && restored->has_value());
  const Item& r = **restored;
  EXPECT_EQ(r.title, original.title);
  EXPECT_EQ(r.summary, original.summary);
  EXPECT_EQ(r.themes, original.themes);
  EXPECT_EQ(r.regions, original.regions);
  EXPECT_EQ(r.werkplaats, original.werkplaats);
  EXPECT_EQ(r.access, original.access);
  EXPECT_EQ(r.groups, original.groups);
  EXPECT_EQ(r.published, original.published);
  EXPECT_EQ(r.status, original.status);
  EXPECT_EQ(r.tags, original.tags);
  EXPECT_EQ(r.body_markdown, original.body_markdown);
  EXPECT_EQ(r.source, "api");
  EXPECT_EQ(r.revision, 1);
  EXPECT_FALSE(store->GetRevision("a", 7)->has_value());
}

TEST_F(ItemStoreTest, RevisionNumbersContinueAfterARemoval) {
  auto store = Open();
  Item file = Sample("a", "Uit een bestand");
  ASSERT_TRUE(store->Upsert(file).ok());
  ASSERT_TRUE(store->Remove("a").ok());
  ASSERT_TRUE(store->Upsert(file).ok());
  EXPECT_EQ((*store->Get("a"))->revision, 2);  // revision 1 is kept, not overwritten
  EXPECT_EQ((*store->Get("a"))->source, "file");
  EXPECT_EQ(store->Revisions("a")->size(), 2u);
}

// Issue 13: kpo-index stores a large import in batches; a batch is whole
// or absent, each item with its revision and index job.
TEST_F(ItemStoreTest, ABatchOfImportedItemsCommitsWholeOrNotAtAll) {
  auto store = Open();
  const Item a = Sample("a", "Eerste");
  const Item b = Sample("b", "Tweede");
  const Item c = Sample("c", "Derde");
  // The third write fails (a trigger on this connection stands in for a
  // full disk): the first two, already written, are rolled back with it.
  ASSERT_TRUE(store->db()
                  ->Exec("CREATE TEMP TRIGGER weiger BEFORE INSERT ON items WHEN NEW.id = 'c' "
                         "BEGIN SELECT RAISE(ABORT, 'geweigerd'); END")
                  .ok());
  EXPECT_FALSE(store->UpsertAll({&a, &b, &c}).ok());
  EXPECT_EQ(*store->Count(), 0);
  EXPECT_EQ(*store->PendingJobCount(), 0);
  EXPECT_TRUE(store->Revisions("a")->empty());
  ASSERT_TRUE(store->db()->Exec("DROP TRIGGER weiger").ok());
  ASSERT_TRUE(store->UpsertAll({&a, &b, &c}).ok());
  EXPECT_EQ(*store->Count(), 3);
  EXPECT_EQ(*store->PendingJobCount(), 3);
  EXPECT_EQ((*store->Get("c"))->source, "file");
  EXPECT_EQ((*store->Get("c"))->revision, 1);
}

// The schema every store had before migrations were numbered past 1.
constexpr const char* kSchema1 = R"sql(
CREATE TABLE items(id TEXT PRIMARY KEY, source_path TEXT, content_hash TEXT NOT NULL,
  type TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, themes TEXT NOT NULL,
  regions TEXT NOT NULL, werkplaats TEXT NOT NULL, access TEXT NOT NULL,
  groups_json TEXT NOT NULL, published TEXT NOT NULL, status TEXT NOT NULL, tags TEXT NOT NULL,
  body_md TEXT NOT NULL, body_text TEXT NOT NULL, revision INTEGER NOT NULL,
  updated_at TEXT NOT NULL);
CREATE INDEX items_source ON items(source_path);
CREATE TABLE item_revisions(item_id TEXT NOT NULL, revision INTEGER NOT NULL,
  snapshot TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(item_id, revision));
CREATE TABLE index_jobs(seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents(name TEXT PRIMARY KEY, body TEXT NOT NULL);
INSERT INTO items VALUES('oud', 'oud.md', 'h1', 'handreiking', 'Oude titel', 'Kort', '["bibob"]',
  '[]', 'bibob', 'members', '[]', '2020-01-02', 'published', '["t"]', 'Tekst', 'Tekst', 3,
  '2020-01-02T00:00:00Z');
INSERT INTO item_revisions VALUES('oud', 3,
  '{"title":"Oude titel","type":"handreiking","summary":"Kort","access":"members","groups":[],"status":"published","body":"Tekst"}',
  '2020-01-02T00:00:00Z');
INSERT INTO meta VALUES('index_schema', 'x');
PRAGMA user_version=1;
)sql";

TEST_F(ItemStoreTest, UpgradesASchema1DatabaseWithoutLosingAnything) {
  {
    auto db = Db::Open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec(kSchema1).ok());
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto version = store->db()->Prepare("PRAGMA user_version");
  ASSERT_TRUE(version.ok() && *version->Step());
  EXPECT_EQ(version->Int(0), kSchemaVersion);
  auto item = store->Get("oud");
  ASSERT_TRUE(item.ok() && item->has_value());
  EXPECT_EQ((*item)->title, "Oude titel");
  EXPECT_EQ((*item)->themes, std::vector<std::string>{"bibob"});
  EXPECT_EQ((*item)->revision, 3);
  EXPECT_EQ((*item)->source, "file");  // every schema-1 item came from a file
  // Schema 5: its readers keep the attachments they saw (every live save
  // released them until then).
  EXPECT_EQ((*item)->attachments_revision, 3);
  EXPECT_EQ(*store->GetMeta("index_schema"), "x");
  auto revisions = store->Revisions("oud");
  ASSERT_EQ(revisions->size(), 1u);
  EXPECT_FALSE((*revisions)[0].complete);
  EXPECT_EQ((*store->GetRevision("oud", 3))->title, "Oude titel");
  // The copy taken before the upgrade, and saves continue from revision 3.
  EXPECT_TRUE(std::filesystem::exists(path_ + ".schema-1.bak"));
  EXPECT_TRUE(
      store->Save(**item, {2, "x@kpo.nl", Version::kLive}).status().Is(ErrorCode::kStaleRevision));
  EXPECT_EQ(*store->Save(**item, {3, "x@kpo.nl", Version::kLive}), 4);
  // Opening again (a second connection, a restart) changes nothing.
  auto again = Open();
  EXPECT_EQ((*again->Get("oud"))->revision, 4);
}

// Schema 5: only an approval moves the revision whose attachments readers
// see; the academy's live save and the importer's keep it.
TEST_F(ItemStoreTest, OnlyAnApprovalReleasesAttachments) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Item item = Sample("kaart", "Kaart");
  ASSERT_EQ(*store->Save(item, {0, "r@kpo.nl", Version::kLive, /*approval=*/true}), 1);
  EXPECT_EQ((*store->Get("kaart"))->attachments_revision, 1);
  ASSERT_EQ(*store->Save(item, {1, "academie@kpo.nl", Version::kLive}), 2);
  ASSERT_TRUE(store->Upsert(item).ok());  // revision 3, as the importer
  ASSERT_EQ(*store->Save(item, {3, "e@kpo.nl", Version::kDraft, /*approval=*/true}), 4);
  EXPECT_EQ((*store->Get("kaart"))->revision, 3);
  EXPECT_EQ((*store->Get("kaart"))->attachments_revision, 1);
  ASSERT_EQ(*store->Save(item, {4, "r@kpo.nl", Version::kLive, /*approval=*/true}), 5);
  EXPECT_EQ((*store->Get("kaart"))->attachments_revision, 5);
}

// Schema 3 (issue 10): an editorial step is all or nothing, and a step
// decided on a state another writer changed since writes nothing.
TEST_F(ItemStoreTest, EditorialStepCommitsWholeOrNotAtAll) {
  auto store = Open();
  EditorialChange create;
  create.id = "e";
  create.item = Sample("e", "Concept");
  create.save = {0, "editor@kpo.nl", Version::kDraft};
  create.record.state = "draft";
  create.record.created_by = "editor@kpo.nl";
  ASSERT_EQ(*store->ApplyEditorial(create), 1);
  EXPECT_FALSE(store->Get("e")->has_value()) << "a draft is not live";
  EXPECT_EQ((*store->GetDraft("e"))->title, "Concept");
  const int64_t jobs = *store->PendingJobCount();

  // Publishing: the live row, its index job and the record together.
  EditorialChange approve;
  approve.id = "e";
  approve.expected_state = "draft";
  approve.item = Sample("e", "Concept");
  approve.save = {1, "redactie@kpo.nl", Version::kLive};
  approve.record = **store->GetEditorial("e");
  approve.record.state = "published";
  approve.step = WorkflowStep{"approve", "draft", "published", "redactie@kpo.nl", "Mooi.", ""};
  ASSERT_EQ(*store->ApplyEditorial(approve), 2);
  EXPECT_EQ((*store->Get("e"))->status, "published");
  EXPECT_FALSE(store->GetDraft("e")->has_value());
  EXPECT_EQ(*store->PendingJobCount(), jobs + 1);
  EXPECT_EQ((*store->GetEditorial("e"))->state, "published");
  EXPECT_EQ((*store->GetEditorial("e"))->created_by, "editor@kpo.nl");

  // The same step again, decided on the old state: refused, nothing written.
  approve.save.base_revision = 2;
  approve.item->title = "Tweede keer";
  auto again = store->ApplyEditorial(approve);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().Is(ErrorCode::kInvalidTransition));
  EXPECT_EQ((*store->Get("e"))->title, "Concept");
  EXPECT_EQ(*store->LatestRevision("e"), 2);
  // The step is kept with the change it describes, and only then.
  auto steps = store->Steps("e");
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->size(), 1u);
  EXPECT_EQ((*steps)[0].action, "approve");
  EXPECT_EQ((*steps)[0].comment, "Mooi.");
  EXPECT_EQ((*steps)[0].revision, 2);
  EXPECT_EQ((*steps)[0].at.size(), 20u);
  EXPECT_TRUE(store->Steps("f")->empty());
  auto recent = store->StepsSince("2000-01-01T00:00:00Z", 10);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0].item_id, "e");
  EXPECT_EQ((*recent)[0].step.action, "approve");
  EXPECT_EQ((*recent)[0].title, "Concept");
  EXPECT_TRUE((*recent)[0].live);
  EXPECT_TRUE((*recent)[0].exists);
  EXPECT_TRUE(store->StepsSince("2999-01-01T00:00:00Z", 10)->empty());

  // A status change of the live row queues its own index job.
  EditorialChange unpublish;
  unpublish.id = "e";
  unpublish.expected_state = "published";
  unpublish.live_status = "draft";
  unpublish.record = **store->GetEditorial("e");
  unpublish.record.state = "draft";
  ASSERT_TRUE(store->ApplyEditorial(unpublish).ok());
  EXPECT_EQ((*store->Get("e"))->status, "draft");
  EXPECT_EQ(*store->PendingJobCount(), jobs + 2);
  auto rows = store->ListEditorial({"draft"});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].title, "Concept");
  EXPECT_TRUE((*rows)[0].live);
}

}  // namespace
}  // namespace kpo::store

// Implements item_store.h. Lists are stored as JSON arrays.
#include "store/item_store.h"

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace kpo::store {

namespace {

constexpr int kSchemaVersion = 1;

const char* const kMigrations[] = {
    // 1: items, their revisions, the index job queue, meta and documents.
    R"sql(
CREATE TABLE items(
  id TEXT PRIMARY KEY,
  source_path TEXT,
  content_hash TEXT NOT NULL,
  type TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  themes TEXT NOT NULL,
  regions TEXT NOT NULL,
  werkplaats TEXT NOT NULL,
  access TEXT NOT NULL,
  groups_json TEXT NOT NULL,
  published TEXT NOT NULL,
  status TEXT NOT NULL,
  tags TEXT NOT NULL,
  body_md TEXT NOT NULL,
  body_text TEXT NOT NULL,
  revision INTEGER NOT NULL,
  updated_at TEXT NOT NULL);
CREATE INDEX items_source ON items(source_path);
CREATE TABLE item_revisions(
  item_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  snapshot TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY(item_id, revision));
CREATE TABLE index_jobs(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  item_id TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents(name TEXT PRIMARY KEY, body TEXT NOT NULL);
)sql",
};

std::string Now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string ToJson(const std::vector<std::string>& list) { return nlohmann::json(list).dump(); }

std::vector<std::string> FromJson(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return {};
  std::vector<std::string> out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

constexpr const char* kItemColumns =
    "id, source_path, content_hash, type, title, summary, themes, regions, werkplaats, access, "
    "groups_json, published, status, tags, body_md, body_text, revision";

Item ReadItem(const Stmt& s) {
  Item item;
  item.id = s.Text(0);
  item.source_path = s.Text(1);
  item.content_hash = s.Text(2);
  item.type = s.Text(3);
  item.title = s.Text(4);
  item.summary = s.Text(5);
  item.themes = FromJson(s.Text(6));
  item.regions = FromJson(s.Text(7));
  item.werkplaats = s.Text(8);
  item.access = s.Text(9);
  item.groups = FromJson(s.Text(10));
  item.published = s.Text(11);
  item.status = s.Text(12);
  item.tags = FromJson(s.Text(13));
  item.body_markdown = s.Text(14);
  item.body_text = s.Text(15);
  item.revision = s.Int(16);
  item.updated = s.Text(17).substr(0, 10);  // the date of "YYYY-MM-DDTHH:MM:SSZ"
  return item;
}

Status QueueJob(Db* db, const std::string& id) {
  auto job = db->Prepare("INSERT INTO index_jobs(item_id, created_at) VALUES(?, ?)");
  if (!job.ok()) return job.status();
  return job->Bind(1, id).Bind(2, Now()).Run();
}

}  // namespace

StatusOr<std::unique_ptr<ItemStore>> ItemStore::Open(const std::string& path) {
  auto db = Db::Open(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<ItemStore> store(new ItemStore(std::move(*db)));
  KPO_RETURN_IF_ERROR(store->Migrate());
  return store;
}

StatusOr<std::unique_ptr<ItemStore>> ItemStore::OpenReadOnly(const std::string& path) {
  auto db = Db::Open(path, /*read_only=*/true);
  if (!db.ok()) return db.status();
  return std::unique_ptr<ItemStore>(new ItemStore(std::move(*db)));
}

Status ItemStore::Migrate() {
  auto version = db_->Prepare("PRAGMA user_version");
  if (!version.ok()) return version.status();
  auto row = version->Step();
  if (!row.ok()) return row.status();
  int current = static_cast<int>(version->Int(0));
  for (int v = current; v < kSchemaVersion; ++v) {
    Transaction tx(db_.get());
    KPO_RETURN_IF_ERROR(tx.begin_status());
    KPO_RETURN_IF_ERROR(db_->Exec(kMigrations[v]));
    KPO_RETURN_IF_ERROR(db_->Exec("PRAGMA user_version=" + std::to_string(v + 1)));
    KPO_RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

Status ItemStore::Upsert(const Item& item) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto old = Get(item.id);
  if (!old.ok()) return old.status();
  int64_t revision = old->has_value() ? (*old)->revision + 1 : 1;
  auto stmt = db_->Prepare(std::string("INSERT OR REPLACE INTO items(") + kItemColumns +
                           ", updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, item.id)
      .Bind(2, item.source_path)
      .Bind(3, item.content_hash)
      .Bind(4, item.type)
      .Bind(5, item.title)
      .Bind(6, item.summary)
      .Bind(7, ToJson(item.themes))
      .Bind(8, ToJson(item.regions))
      .Bind(9, item.werkplaats)
      .Bind(10, item.access)
      .Bind(11, ToJson(item.groups))
      .Bind(12, item.published)
      .Bind(13, item.status)
      .Bind(14, ToJson(item.tags))
      .Bind(15, item.body_markdown)
      .Bind(16, item.body_text)
      .Bind(17, revision)
      .Bind(18, Now());
  KPO_RETURN_IF_ERROR(stmt->Run());
  nlohmann::json snapshot = {{"title", item.title},       {"type", item.type},
                             {"summary", item.summary},   {"access", item.access},
                             {"groups", item.groups},     {"status", item.status},
                             {"body", item.body_markdown}};
  auto rev = db_->Prepare(
      "INSERT OR REPLACE INTO item_revisions(item_id, revision, snapshot, created_at) "
      "VALUES(?,?,?,?)");
  if (!rev.ok()) return rev.status();
  KPO_RETURN_IF_ERROR(
      rev->Bind(1, item.id)
          .Bind(2, revision)
          .Bind(3, snapshot.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
          .Bind(4, Now())
          .Run());
  KPO_RETURN_IF_ERROR(QueueJob(db_.get(), item.id));
  return tx.Commit();
}

Status ItemStore::Remove(const std::string& id) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto stmt = db_->Prepare("DELETE FROM items WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, id).Run());
  KPO_RETURN_IF_ERROR(QueueJob(db_.get(), id));
  return tx.Commit();
}

StatusOr<std::optional<Item>> ItemStore::Get(const std::string& id) {
  if (!get_) {
    auto stmt = db_->Prepare(std::string("SELECT ") + kItemColumns +
                             ", updated_at FROM items WHERE id = ?");
    if (!stmt.ok()) return stmt.status();
    get_.emplace(std::move(*stmt));
  }
  Stmt& stmt = *get_;
  stmt.Bind(1, id);
  auto row = stmt.Step();
  std::optional<Item> item;
  if (row.ok() && *row) item = ReadItem(stmt);
  // Reset at once: a statement left open keeps this connection's read
  // snapshot, and later reads would miss other connections' commits.
  stmt.Reset();
  if (!row.ok()) return row.status();
  return item;
}

StatusOr<std::map<std::string, SourceRecord>> ItemStore::Sources() {
  auto stmt = db_->Prepare("SELECT source_path, id, content_hash FROM items");
  if (!stmt.ok()) return stmt.status();
  std::map<std::string, SourceRecord> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out[stmt->Text(0)] = SourceRecord{stmt->Text(1), stmt->Text(2)};
  }
  return out;
}

StatusOr<int64_t> ItemStore::ChangeCount() {
  if (!change_count_) {
    auto stmt = db_->Prepare("SELECT seq FROM sqlite_sequence WHERE name = 'index_jobs'");
    if (!stmt.ok()) return stmt.status();
    change_count_.emplace(std::move(*stmt));
  }
  Stmt& stmt = *change_count_;
  auto row = stmt.Step();
  const int64_t count = row.ok() && *row ? stmt.Int(0) : 0;
  stmt.Reset();  // as in Get: no lingering read snapshot
  if (!row.ok()) return row.status();
  return count;
}

StatusOr<int64_t> ItemStore::Count() {
  auto stmt = db_->Prepare("SELECT COUNT(*) FROM items");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return stmt->Int(0);
}

Status ItemStore::QueueAll() {
  return db_->Exec(
      "INSERT INTO index_jobs(item_id, created_at) SELECT id, datetime('now') FROM items");
}

StatusOr<std::vector<IndexJob>> ItemStore::PendingJobs() {
  auto stmt = db_->Prepare("SELECT seq, item_id FROM index_jobs ORDER BY seq");
  if (!stmt.ok()) return stmt.status();
  std::vector<IndexJob> jobs;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    jobs.push_back({stmt->Int(0), stmt->Text(1)});
  }
  return jobs;
}

Status ItemStore::CompleteJobs(int64_t up_to) {
  auto stmt = db_->Prepare("DELETE FROM index_jobs WHERE seq <= ?");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, up_to).Run();
}

StatusOr<std::string> ItemStore::GetMeta(const std::string& key) {
  auto stmt = db_->Prepare("SELECT value FROM meta WHERE key = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, key);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->Text(0) : std::string();
}

Status ItemStore::SetMeta(const std::string& key, const std::string& value) {
  auto stmt = db_->Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, key).Bind(2, value).Run();
}

Status ItemStore::SetDocument(const std::string& name, const std::string& text) {
  auto stmt = db_->Prepare("INSERT OR REPLACE INTO documents(name, body) VALUES(?, ?)");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, name).Bind(2, text).Run();
}

StatusOr<std::string> ItemStore::GetDocument(const std::string& name) {
  auto stmt = db_->Prepare("SELECT body FROM documents WHERE name = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->Text(0) : std::string();
}

}  // namespace kpo::store

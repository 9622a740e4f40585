// Implements item_store.h. Lists are stored as JSON arrays.
#include "store/item_store.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iterator>
#include <nlohmann/json.hpp>

#include "store/migrate.h"

namespace kpo::store {

namespace {

// Migration N brings user_version N-1 to N. Append only; never drop or
// rewrite data here (item_store_test.cc opens a schema-1 database).
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
    // 2: editorial storage. Each item's source ("file" | "api"); revisions
    // say who saved them, of which version, and whether they hold every
    // field (older ones do not); working drafts beside the live items.
    R"sql(
ALTER TABLE items ADD COLUMN source TEXT NOT NULL DEFAULT 'file';
ALTER TABLE item_revisions ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE item_revisions ADD COLUMN version TEXT NOT NULL DEFAULT 'live';
ALTER TABLE item_revisions ADD COLUMN complete INTEGER NOT NULL DEFAULT 0;
CREATE TABLE item_drafts(
  item_id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  snapshot TEXT NOT NULL,
  author TEXT NOT NULL,
  updated_at TEXT NOT NULL);
)sql",
    // 3: the editorial workflow: each API item's state, schedule, review
    // date and last comment (store/item_store.h, EditorialRecord).
    R"sql(
CREATE TABLE item_editorial(
  item_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  scheduled_at TEXT NOT NULL DEFAULT '',
  scheduled_by TEXT NOT NULL DEFAULT '',
  review_by TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  published_at TEXT NOT NULL DEFAULT '');
CREATE INDEX item_editorial_state ON item_editorial(state, scheduled_at);
)sql",
    // 4: the audit lines of editorial steps, committed with the step and
    // moved to the audit log after it (store/audit_outbox.h).
    kAuditOutboxSchema,
    // 5: which revision's attachments the live version's readers see
    // (Item::attachments_revision). Until now every live save released
    // them, so existing items keep what their readers see today.
    R"sql(
ALTER TABLE items ADD COLUMN attachments_revision INTEGER NOT NULL DEFAULT 0;
UPDATE items SET attachments_revision = revision;
)sql",
    // 6: every workflow step of an item with its comment (WorkflowStep):
    // item_editorial keeps only the last one.
    R"sql(
CREATE TABLE item_steps(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  item_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  revision INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  scheduled_at TEXT NOT NULL DEFAULT '');
CREATE INDEX item_steps_item ON item_steps(item_id, seq);
CREATE INDEX item_steps_at ON item_steps(at);
)sql",
};
static_assert(static_cast<int>(std::size(kMigrations)) == kSchemaVersion,
              "one migration per schema version");

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
    "groups_json, published, status, tags, body_md, body_text, revision, source, "
    "attachments_revision";

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
  item.source = s.Text(17);
  item.attachments_revision = s.Int(18);
  item.updated = s.Text(19).substr(0, 10);  // the date of "YYYY-MM-DDTHH:MM:SSZ"
  return item;
}

// Every field of an item: a revision's snapshot, restorable exactly.
std::string Snapshot(const Item& item) {
  nlohmann::json j = {{"id", item.id},
                      {"title", item.title},
                      {"type", item.type},
                      {"summary", item.summary},
                      {"themes", item.themes},
                      {"regions", item.regions},
                      {"werkplaats", item.werkplaats},
                      {"access", item.access},
                      {"groups", item.groups},
                      {"published", item.published},
                      {"status", item.status},
                      {"tags", item.tags},
                      {"body", item.body_markdown},
                      {"body_text", item.body_text},
                      {"source_path", item.source_path},
                      {"content_hash", item.content_hash},
                      {"source", item.source}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The item of a snapshot; fields a snapshot lacks (schema 1) stay empty.
Item FromSnapshot(const std::string& id, int64_t revision, const std::string& text) {
  Item item;
  item.id = id;
  item.revision = revision;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return item;
  auto text_of = [&](const char* key, std::string* out) {
    if (auto it = j.find(key); it != j.end() && it->is_string()) *out = it->get<std::string>();
  };
  auto list_of = [&](const char* key, std::vector<std::string>* out) {
    if (auto it = j.find(key); it != j.end()) *out = FromJson(it->dump());
  };
  text_of("title", &item.title);
  text_of("type", &item.type);
  text_of("summary", &item.summary);
  list_of("themes", &item.themes);
  list_of("regions", &item.regions);
  text_of("werkplaats", &item.werkplaats);
  text_of("access", &item.access);
  list_of("groups", &item.groups);
  text_of("published", &item.published);
  text_of("status", &item.status);
  list_of("tags", &item.tags);
  text_of("body", &item.body_markdown);
  text_of("body_text", &item.body_text);
  text_of("source_path", &item.source_path);
  text_of("content_hash", &item.content_hash);
  text_of("source", &item.source);
  return item;
}

const char* VersionName(Version v) { return v == Version::kLive ? "live" : "draft"; }

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
  KPO_RETURN_IF_ERROR(store->Migrate(path));
  return store;
}

StatusOr<std::unique_ptr<ItemStore>> ItemStore::OpenReadOnly(const std::string& path) {
  auto db = Db::Open(path, /*read_only=*/true);
  if (!db.ok()) return db.status();
  return std::unique_ptr<ItemStore>(new ItemStore(std::move(*db)));
}

Status ItemStore::Migrate(const std::string& path) {
  return store::Migrate(db_.get(), {path, {std::begin(kMigrations), std::end(kMigrations)}});
}

Status ItemStore::Write(const Item& item, int64_t revision, const std::string& author,
                        Version version, bool approval) {
  const std::string now = Now();
  const std::string snapshot = Snapshot(item);
  if (version == Version::kLive) {
    auto stmt = db_->Prepare(std::string("INSERT OR REPLACE INTO items(") + kItemColumns +
                             ", updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
                             "?14,?15,?16,?17,?18,CASE WHEN ?19 THEN ?17 ELSE COALESCE(("
                             "SELECT attachments_revision FROM items WHERE id = ?1), 0) END,"
                             "?20)");
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
        .Bind(18, item.source)
        .Bind(19, int64_t{approval ? 1 : 0})
        .Bind(20, now);
    KPO_RETURN_IF_ERROR(stmt->Run());
    // The live version supersedes the draft it may have been made from.
    auto drop = db_->Prepare("DELETE FROM item_drafts WHERE item_id = ?");
    if (!drop.ok()) return drop.status();
    KPO_RETURN_IF_ERROR(drop->Bind(1, item.id).Run());
    KPO_RETURN_IF_ERROR(QueueJob(db_.get(), item.id));
  } else {
    auto stmt = db_->Prepare(
        "INSERT OR REPLACE INTO item_drafts(item_id, revision, snapshot, author, updated_at) "
        "VALUES(?,?,?,?,?)");
    if (!stmt.ok()) return stmt.status();
    KPO_RETURN_IF_ERROR(stmt->Bind(1, item.id)
                            .Bind(2, revision)
                            .Bind(3, snapshot)
                            .Bind(4, author)
                            .Bind(5, now)
                            .Run());
  }
  auto rev = db_->Prepare(
      "INSERT OR REPLACE INTO item_revisions(item_id, revision, snapshot, created_at, author, "
      "version, complete) VALUES(?,?,?,?,?,?,1)");
  if (!rev.ok()) return rev.status();
  return rev->Bind(1, item.id)
      .Bind(2, revision)
      .Bind(3, snapshot)
      .Bind(4, now)
      .Bind(5, author)
      .Bind(6, VersionName(version))
      .Run();
}

Status ItemStore::Upsert(const Item& item) { return UpsertAll({&item}); }

Status ItemStore::UpsertAll(const std::vector<const Item*>& items) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  for (const Item* item : items) {
    auto latest = LatestRevision(item->id);
    if (!latest.ok()) return latest.status();
    Item stored = *item;
    stored.source = "file";
    KPO_RETURN_IF_ERROR(
        Write(stored, *latest + 1, "kpo-index", Version::kLive, /*approval=*/false));
  }
  return tx.Commit();
}

StatusOr<int64_t> ItemStore::Save(const Item& item, const SaveRequest& request) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto revision = SaveInTransaction(item, request);
  if (!revision.ok()) return revision.status();
  KPO_RETURN_IF_ERROR(tx.Commit());
  return revision;
}

StatusOr<int64_t> ItemStore::SaveInTransaction(const Item& item, const SaveRequest& request) {
  auto latest = LatestRevision(item.id);
  if (!latest.ok()) return latest.status();
  if (*latest != request.base_revision) {
    return Status::Error(ErrorCode::kStaleRevision,
                         "Item '" + item.id + "' is intussen opgeslagen als revisie " +
                             std::to_string(*latest) + "; uw wijziging gaat uit van revisie " +
                             std::to_string(request.base_revision) +
                             ". Haal de nieuwste versie op en breng uw wijziging opnieuw aan.");
  }
  const int64_t revision = *latest + 1;
  KPO_RETURN_IF_ERROR(Write(item, revision, request.author, request.version,
                            request.version == Version::kLive && request.approval));
  return revision;
}

Status ItemStore::Remove(const std::string& id) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  for (const char* sql :
       {"DELETE FROM items WHERE id = ?", "DELETE FROM item_drafts WHERE item_id = ?"}) {
    auto stmt = db_->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    KPO_RETURN_IF_ERROR(stmt->Bind(1, id).Run());
  }
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

StatusOr<std::optional<Item>> ItemStore::GetDraft(const std::string& id) {
  auto stmt = db_->Prepare("SELECT revision, snapshot FROM item_drafts WHERE item_id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Item>();
  return std::optional<Item>(FromSnapshot(id, stmt->Int(0), stmt->Text(1)));
}

StatusOr<int64_t> ItemStore::LatestRevision(const std::string& id) {
  // Revisions are never deleted, so their maximum is the latest, also for
  // an item removed and created again; items.revision covers stores whose
  // schema-1 revisions were overwritten.
  auto stmt = db_->Prepare(
      "SELECT MAX(COALESCE((SELECT MAX(revision) FROM item_revisions WHERE item_id = ?1), 0), "
      "COALESCE((SELECT revision FROM items WHERE id = ?1), 0))");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return stmt->Int(0);
}

StatusOr<std::vector<RevisionInfo>> ItemStore::Revisions(const std::string& id) {
  auto stmt = db_->Prepare(
      "SELECT revision, author, created_at, version, complete FROM item_revisions "
      "WHERE item_id = ? ORDER BY revision");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  std::vector<RevisionInfo> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back({stmt->Int(0), stmt->Text(1), stmt->Text(2),
                   stmt->Text(3) == "draft" ? Version::kDraft : Version::kLive, stmt->Int(4) != 0});
  }
  return out;
}

StatusOr<std::optional<Item>> ItemStore::GetRevision(const std::string& id, int64_t revision) {
  auto stmt =
      db_->Prepare("SELECT snapshot FROM item_revisions WHERE item_id = ? AND revision = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id).Bind(2, revision);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Item>();
  return std::optional<Item>(FromSnapshot(id, revision, stmt->Text(0)));
}

namespace {

constexpr const char* kEditorialColumns =
    "item_id, state, scheduled_at, scheduled_by, review_by, comment, actor, created_by, "
    "updated_at, published_at";

// The columns qualified with `table`, for joins.
std::string EditorialColumnsOf(const std::string& table) {
  std::string out = table + "." + kEditorialColumns;
  for (size_t at = out.find(", "); at != std::string::npos; at = out.find(", ", at + 2)) {
    out.insert(at + 2, table + ".");
  }
  return out;
}

EditorialRecord ReadEditorial(const Stmt& s, int first) {
  EditorialRecord r;
  std::string* fields[] = {&r.item_id, &r.state, &r.scheduled_at, &r.scheduled_by, &r.review_by,
                           &r.comment, &r.actor, &r.created_by,   &r.updated_at,   &r.published_at};
  for (std::string* f : fields) *f = s.Text(first++);
  return r;
}

}  // namespace

StatusOr<std::optional<EditorialRecord>> ItemStore::GetEditorial(const std::string& id) {
  auto stmt = db_->Prepare(std::string("SELECT ") + kEditorialColumns +
                           " FROM item_editorial WHERE item_id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<EditorialRecord>();
  return std::optional<EditorialRecord>(ReadEditorial(*stmt, 0));
}

StatusOr<int64_t> ItemStore::ApplyEditorial(const EditorialChange& change) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  // The revision first: of concurrent saves on one base, the losers learn
  // that someone saved since (kStaleRevision), whatever the state did.
  if (change.item) {
    auto saved = SaveInTransaction(*change.item, change.save);
    if (!saved.ok()) return saved.status();
  }
  // Re-read inside the write transaction: of two steps decided on the same
  // state (two approvals at once), only the first is applied; returning
  // rolls back the save above.
  auto current = GetEditorial(change.id);
  if (!current.ok()) return current.status();
  const std::string state = *current ? (*current)->state : "";
  if (state != change.expected_state) {
    return Status::Error(ErrorCode::kInvalidTransition, "Item '" + change.id +
                                                            "' is intussen gewijzigd (status '" +
                                                            state + "'); haal het opnieuw op.");
  }
  if (change.claim_live) {
    auto claim = db_->Prepare("UPDATE items SET source = 'api' WHERE id = ?");
    if (!claim.ok()) return claim.status();
    KPO_RETURN_IF_ERROR(claim->Bind(1, change.id).Run());
  }
  if (!change.live_status.empty()) {
    auto status = db_->Prepare("UPDATE items SET status = ?, updated_at = ? WHERE id = ?");
    if (!status.ok()) return status.status();
    KPO_RETURN_IF_ERROR(
        status->Bind(1, change.live_status).Bind(2, Now()).Bind(3, change.id).Run());
    if (db_->Changes() > 0) KPO_RETURN_IF_ERROR(QueueJob(db_.get(), change.id));
  }
  const EditorialRecord& r = change.record;
  auto write = db_->Prepare(std::string("INSERT OR REPLACE INTO item_editorial(") +
                            kEditorialColumns + ") VALUES(?,?,?,?,?,?,?,?,?,?)");
  if (!write.ok()) return write.status();
  KPO_RETURN_IF_ERROR(write->Bind(1, change.id)
                          .Bind(2, r.state)
                          .Bind(3, r.scheduled_at)
                          .Bind(4, r.scheduled_by)
                          .Bind(5, r.review_by)
                          .Bind(6, r.comment)
                          .Bind(7, r.actor)
                          .Bind(8, r.created_by)
                          .Bind(9, Now())
                          .Bind(10, r.published_at)
                          .Run());
  if (change.audit) KPO_RETURN_IF_ERROR(AddToOutbox(db_.get(), *change.audit));
  auto latest = LatestRevision(change.id);
  if (!latest.ok()) return latest.status();
  if (change.step) {
    const WorkflowStep& s = *change.step;
    auto step = db_->Prepare(
        "INSERT INTO item_steps(item_id, at, actor, action, from_state, to_state, revision, "
        "comment, scheduled_at) VALUES(?,?,?,?,?,?,?,?,?)");
    if (!step.ok()) return step.status();
    KPO_RETURN_IF_ERROR(step->Bind(1, change.id)
                            .Bind(2, Now())
                            .Bind(3, s.actor)
                            .Bind(4, s.action)
                            .Bind(5, s.from)
                            .Bind(6, s.to)
                            .Bind(7, *latest)
                            .Bind(8, s.comment)
                            .Bind(9, s.scheduled_at)
                            .Run());
  }
  KPO_RETURN_IF_ERROR(tx.Commit());
  return latest;
}

namespace {

constexpr const char* kStepColumns =
    "s.action, s.from_state, s.to_state, s.actor, s.comment, s.scheduled_at, s.revision, s.at";

// A row of kStepColumns.
WorkflowStep StepOf(const Stmt& stmt) {
  return {stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Text(3),
          stmt.Text(4), stmt.Text(5), stmt.Int(6),  stmt.Text(7)};
}

}  // namespace

StatusOr<std::vector<WorkflowStep>> ItemStore::Steps(const std::string& id) {
  auto stmt = db_->Prepare(std::string("SELECT ") + kStepColumns +
                           " FROM item_steps s WHERE s.item_id = ? ORDER BY s.seq");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  std::vector<WorkflowStep> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(StepOf(*stmt));
  }
  return out;
}

StatusOr<std::vector<StepRow>> ItemStore::StepsSince(const std::string& since, size_t limit) {
  // One query with the items' titles and werkplaatsen (as ListEditorial),
  // so a list of recent steps needs no read per item; item_steps_at keeps
  // it to the steps asked for.
  auto stmt = db_->Prepare(
      std::string("SELECT ") + kStepColumns +
      ", s.item_id, COALESCE(json_extract(d.snapshot, '$.title'), i.title, ''), "
      "COALESCE(json_extract(d.snapshot, '$.werkplaats'), i.werkplaats, ''), i.id IS NOT NULL, "
      "d.item_id IS NOT NULL OR i.id IS NOT NULL "
      "FROM item_steps s LEFT JOIN item_drafts d ON d.item_id = s.item_id "
      "LEFT JOIN items i ON i.id = s.item_id WHERE s.at >= ? ORDER BY s.at DESC, s.seq DESC "
      "LIMIT ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, since).Bind(2, static_cast<int64_t>(limit));
  std::vector<StepRow> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back({stmt->Text(8), StepOf(*stmt), stmt->Text(9), stmt->Text(10), stmt->Int(11) != 0,
                   stmt->Int(12) != 0});
  }
  return out;
}

StatusOr<std::vector<EditorialRow>> ItemStore::ListEditorial(
    const std::vector<std::string>& states) {
  // The list's fields come from the draft's snapshot when there is one (what
  // is being worked on), else from the live row.
  std::string sql = std::string("SELECT ") + EditorialColumnsOf("e") +
                    ", COALESCE(json_extract(d.snapshot, '$.title'), i.title, ''), "
                    "COALESCE(json_extract(d.snapshot, '$.type'), i.type, ''), "
                    "COALESCE(json_extract(d.snapshot, '$.werkplaats'), i.werkplaats, ''), "
                    "MAX(COALESCE(d.revision, 0), COALESCE(i.revision, 0)), i.id IS NOT NULL, "
                    "COALESCE(json_extract(d.snapshot, '$.access'), i.access, ''), "
                    "COALESCE(json_extract(d.snapshot, '$.groups'), i.groups_json, '[]') "
                    "FROM item_editorial e LEFT JOIN item_drafts d ON d.item_id = e.item_id "
                    "LEFT JOIN items i ON i.id = e.item_id WHERE e.state IN (";
  for (size_t i = 0; i < states.size(); ++i) sql += i == 0 ? "?" : ",?";
  sql += ") ORDER BY e.updated_at DESC, e.item_id";
  if (states.empty()) return std::vector<EditorialRow>();
  auto stmt = db_->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  for (size_t i = 0; i < states.size(); ++i) stmt->Bind(static_cast<int>(i) + 1, states[i]);
  std::vector<EditorialRow> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    EditorialRow r;
    r.record = ReadEditorial(*stmt, 0);
    r.title = stmt->Text(10);
    r.type = stmt->Text(11);
    r.werkplaats = stmt->Text(12);
    r.revision = stmt->Int(13);
    r.live = stmt->Int(14) != 0;
    r.access = stmt->Text(15);
    r.groups = FromJson(stmt->Text(16));
    out.push_back(std::move(r));
  }
  return out;
}

StatusOr<std::map<std::string, SourceRecord>> ItemStore::Sources() {
  auto stmt = db_->Prepare("SELECT source_path, id, content_hash FROM items WHERE source = 'file'");
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

Status ItemStore::QueueIndex(const std::string& id) { return QueueJob(db_.get(), id); }

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

StatusOr<int64_t> ItemStore::PendingJobCount() {
  auto stmt = db_->Prepare("SELECT COUNT(*) FROM index_jobs");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return stmt->Int(0);
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

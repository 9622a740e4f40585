// Implements attachment_texts.h.
#include "knowledge/attachment_texts.h"

#include <algorithm>
#include <vector>

#include "common/log.h"
#include "search/analyzer.h"
#include "store/migrate.h"
#include "store/sqlite.h"

namespace kpo::knowledge {

namespace {

// Step 1 is the table as issue 10 first made it (one row per item and
// name); step 2 keys it by the revision an upload goes live with. Rows
// from before step 2 get 0: live at once, as they were.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE IF NOT EXISTS attachments(
  item_id TEXT NOT NULL,
  name TEXT NOT NULL,
  hash TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  image INTEGER NOT NULL,
  text TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL,
  PRIMARY KEY(item_id, name));
)sql",
    R"sql(
CREATE TABLE attachments_v2(
  item_id TEXT NOT NULL,
  name TEXT NOT NULL,
  from_revision INTEGER NOT NULL,
  hash TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  image INTEGER NOT NULL,
  text TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL,
  PRIMARY KEY(item_id, name, from_revision));
INSERT INTO attachments_v2 SELECT item_id, name, 0, hash, mime, size, image, text, uploaded_by,
  uploaded_at FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_v2 RENAME TO attachments;
)sql",
};

}  // namespace

const char* const kVisibleAttachments =
    "a.item_id = ?1 AND a.from_revision = (SELECT MAX(b.from_revision) FROM attachments b "
    "WHERE b.item_id = a.item_id AND b.name = a.name AND b.from_revision <= ?2) AND a.hash <> ''";

Status MigrateAttachmentSchema(store::Db* db) {
  return store::Migrate(db, {db->path(), {std::begin(kMigrations), std::end(kMigrations)}});
}

StatusOr<std::unique_ptr<AttachmentTexts>> AttachmentTexts::Open(const std::string& data_dir) {
  auto db = store::Db::Open(data_dir + "/attachments.sqlite");
  if (!db.ok()) return db.status();
  KPO_RETURN_IF_ERROR(MigrateAttachmentSchema(db->get()));
  return std::unique_ptr<AttachmentTexts>(new AttachmentTexts(std::move(*db)));
}

AttachmentTexts::AttachmentTexts(std::unique_ptr<store::Db> db) : db_(std::move(db)) {}
AttachmentTexts::~AttachmentTexts() = default;

std::string AttachmentTexts::IndexText(const std::string& id, int64_t revision) {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare(std::string("SELECT a.text FROM attachments a WHERE ") +
                           kVisibleAttachments + " ORDER BY a.name");
  if (!stmt.ok()) return "";
  stmt->Bind(1, id).Bind(2, revision);
  std::string out;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) {
      Log(LogLevel::kError, "attachments.text_failed", {{"id", id}});
      return out;
    }
    if (!*row) break;
    if (!out.empty()) out += "\n";
    out += stmt->Text(0);
  }
  return out;
}

std::string AttachmentTexts::Matching(const std::string& id, int64_t revision,
                                      const std::string& q) {
  std::vector<std::string> words;
  for (auto& token : search::Tokenize(q)) words.push_back(std::move(token.text));
  if (words.empty()) return "";
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare(std::string("SELECT a.name, a.text FROM attachments a WHERE ") +
                           kVisibleAttachments + " ORDER BY a.name");
  if (!stmt.ok()) return "";
  stmt->Bind(1, id).Bind(2, revision);
  while (true) {
    auto row = stmt->Step();
    if (!row.ok() || !*row) return "";
    const std::string text = search::Fold(stmt->Text(1));
    if (std::all_of(words.begin(), words.end(),
                    [&](const std::string& w) { return text.find(w) != std::string::npos; })) {
      return stmt->Text(0);
    }
  }
}

}  // namespace kpo::knowledge

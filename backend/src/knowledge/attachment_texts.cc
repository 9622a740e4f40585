// Implements attachment_texts.h.
#include "knowledge/attachment_texts.h"

#include <algorithm>
#include <vector>

#include "common/log.h"
#include "search/analyzer.h"
#include "store/sqlite.h"

namespace kpo::knowledge {

const char* const kAttachmentSchema = R"sql(
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
)sql";

StatusOr<std::unique_ptr<AttachmentTexts>> AttachmentTexts::Open(const std::string& data_dir) {
  auto db = store::Db::Open(data_dir + "/attachments.sqlite");
  if (!db.ok()) return db.status();
  KPO_RETURN_IF_ERROR((*db)->Exec(kAttachmentSchema));
  return std::unique_ptr<AttachmentTexts>(new AttachmentTexts(std::move(*db)));
}

AttachmentTexts::AttachmentTexts(std::unique_ptr<store::Db> db) : db_(std::move(db)) {}
AttachmentTexts::~AttachmentTexts() = default;

std::string AttachmentTexts::IndexText(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare("SELECT text FROM attachments WHERE item_id = ? ORDER BY name");
  if (!stmt.ok()) return "";
  stmt->Bind(1, id);
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

std::string AttachmentTexts::Matching(const std::string& id, const std::string& q) {
  std::vector<std::string> words;
  for (auto& token : search::Tokenize(q)) words.push_back(std::move(token.text));
  if (words.empty()) return "";
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare("SELECT name, text FROM attachments WHERE item_id = ? ORDER BY name");
  if (!stmt.ok()) return "";
  stmt->Bind(1, id);
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

// Implements attachments.h.
#include "attachments/attachments.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <string_view>

#include "access/auth_service.h"
#include "attachments/file_type.h"
#include "attachments/text_extract.h"
#include "common/log.h"
#include "editorial/service.h"
#include "knowledge/attachment_texts.h"
#include "store/audit_outbox.h"
#include "store/item_store.h"
#include "store/sqlite.h"

namespace kpo::attachments {

namespace fs = std::filesystem;

namespace {

constexpr const char* kColumns =
    "a.item_id, a.name, a.hash, a.mime, a.size, a.image, a.uploaded_by, a.uploaded_at, "
    "a.from_revision";

// `live_revision`: the revision whose attachments readers of the live
// version see (LiveRevision), 0 without one.
Attachment Row(const store::Stmt& s, int64_t live_revision) {
  Attachment a{s.Text(0), s.Text(1),     s.Text(2), s.Text(3),
               s.Int(4),  s.Int(5) != 0, s.Text(6), s.Int(7)};
  a.from_revision = s.Int(8);
  a.pending = live_revision == 0 || a.from_revision > live_revision;
  a.has_live_version = !a.pending;
  return a;
}

// The revision whose attachments readers of the live version see: its
// latest approval's (content::Item::attachments_revision), not the live
// revision itself, which an academy save or a file import also moves.
int64_t LiveRevision(const editorial::EditorialDocument& doc) {
  return doc.live ? doc.live->attachments_revision : 0;
}

// Whether readers of `revision` of `item_id` get a file called `name`.
StatusOr<bool> Sees(store::Db* db, const std::string& item_id, int64_t revision,
                    const std::string& name) {
  auto stmt = db->Prepare(std::string("SELECT 1 FROM attachments a WHERE ") +
                          knowledge::kVisibleAttachments + " AND a.name = ?3");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, item_id).Bind(2, revision).Bind(3, name).Step();
}

// The revision whose attachments `doc`'s caller sees (kVisibleAttachments).
int64_t SeenRevision(const editorial::EditorialDocument& doc) {
  if (doc.editorial_visible) return std::numeric_limits<int64_t>::max();
  return LiveRevision(doc);
}

// Whether `who` may change `doc`'s files now (upload, or `removing`).
// Whoever may edit the item; the redactie and admins may also take a file
// off an archived item (personal data uploaded by mistake). An editor not
// while the item is in review or scheduled: what the redactie approves is
// what goes live (an editor's save sends such an item back to draft; a file
// change is refused instead, and the save is the way back).
Status MayChangeFiles(const Principal& who, const editorial::EditorialDocument& doc,
                      bool removing) {
  const bool redactie = editorial::IsRedactie(who);
  if (!doc.can_edit && !(removing && redactie && doc.editorial_visible)) {
    return Status::Error(ErrorCode::kForbidden,
                         removing ? "Alleen redacteuren van deze werkplaats, de redactie en "
                                    "beheerders verwijderen bijlagen (van een gearchiveerd item "
                                    "alleen de redactie en beheerders)."
                                  : "Alleen redacteuren van deze werkplaats, de redactie en "
                                    "beheerders voegen bijlagen toe (niet aan een gearchiveerd "
                                    "item).");
  }
  if (!redactie && (doc.editorial.state == editorial::State::kInReview ||
                    doc.editorial.state == editorial::State::kScheduled)) {
    return Status::Error(ErrorCode::kInvalidTransition,
                         "Het stuk ligt bij de redactie (ter beoordeling of ingepland), en wat zij "
                         "goedkeurt gaat live. Sla het stuk eerst op: dan is het weer een concept "
                         "en kunt u de bijlagen wijzigen.");
  }
  return Status::Ok();
}

// Deletes the rows `from` selects ("FROM attachments WHERE …", its
// parameters set by `bind`) and adds the content hashes they used to
// `hashes`, so the caller can drop the files nothing uses any more. Call
// inside a transaction.
Status DeleteRows(store::Db* db, const std::string& from,
                  const std::function<void(store::Stmt*)>& bind, std::vector<std::string>* hashes) {
  auto used = db->Prepare("SELECT DISTINCT hash " + from + " AND hash <> ''");
  if (!used.ok()) return used.status();
  bind(&*used);
  while (true) {
    auto row = used->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    hashes->push_back(used->Text(0));
  }
  auto drop = db->Prepare("DELETE " + from);
  if (!drop.ok()) return drop.status();
  bind(&*drop);
  return drop->Run();
}

// The answer for a name no row visible to the caller has. A name that is no
// stored name (SafeName's characters, at most 100 bytes) is not repeated:
// it may be long or hold control characters.
Status NoSuchAttachment(const std::string& name) {
  const bool shown =
      !name.empty() && name.size() <= 100 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
      });
  return Status::Error(ErrorCode::kAttachmentNotFound,
                       shown ? "Dit item heeft geen bijlage '" + name + "' (meer)."
                             : std::string("Dit item heeft geen bijlage met die naam."));
}

Status Malformed(const std::string& why) {
  return Status::Error(ErrorCode::kInvalidField,
                       "De upload is onleesbaar: stuur één bestand als multipart/form-data.", why);
}

// The value of parameter `name` in a header value ("form-data; name=x;
// filename=\"a b.pdf\""), unquoted; "" when absent.
std::string HeaderParam(std::string_view value, std::string_view name) {
  size_t pos = 0;
  while ((pos = value.find(';', pos)) != std::string_view::npos) {
    ++pos;
    while (pos < value.size() && value[pos] == ' ') ++pos;
    const size_t eq = value.find('=', pos);
    if (eq == std::string_view::npos) return "";
    std::string key(value.substr(pos, eq - pos));
    std::transform(key.begin(), key.end(), key.begin(), ::tolower);
    size_t start = eq + 1;
    std::string out;
    if (start < value.size() && value[start] == '"') {
      const size_t end = value.find('"', start + 1);
      out = std::string(value.substr(
          start + 1, end == std::string_view::npos ? std::string_view::npos : end - start - 1));
    } else {
      const size_t end = value.find(';', start);
      out = std::string(value.substr(
          start, end == std::string_view::npos ? std::string_view::npos : end - start));
    }
    if (key == name) return out;
  }
  return "";
}

// A read-only mapping of a file (the streamed request body).
class Mapped {
 public:
  explicit Mapped(const std::string& path) {
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || fstat(fd_, &st) != 0) return;
    size_ = static_cast<size_t>(st.st_size);
    if (size_ == 0) return;
    void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p != MAP_FAILED) data_ = static_cast<const char*>(p);
  }
  ~Mapped() {
    if (data_ != nullptr) munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) close(fd_);
  }
  Mapped(const Mapped&) = delete;
  Mapped& operator=(const Mapped&) = delete;
  std::string_view view() const { return data_ ? std::string_view(data_, size_) : ""; }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

struct FilePart {
  std::string filename;
  std::string_view content;
};

// The first part with a file name of a multipart body.
StatusOr<FilePart> FindFilePart(std::string_view body, const std::string& boundary) {
  const std::string delimiter = "--" + boundary;
  if (body.substr(0, delimiter.size()) != delimiter) return Malformed("no opening boundary");
  size_t pos = delimiter.size();
  const std::string next = "\r\n" + delimiter;
  while (true) {
    if (body.substr(pos, 2) == "--") break;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return Malformed("bad delimiter line");
    pos += 2;
    const size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos || head_end - pos > 8192) {
      return Malformed("part headers");
    }
    const std::string_view headers = body.substr(pos, head_end - pos);
    const size_t content_start = head_end + 4;
    const size_t content_end = body.find(next, content_start);
    if (content_end == std::string_view::npos) return Malformed("no closing boundary");
    std::string filename;
    size_t line = 0;
    while (line <= headers.size()) {
      size_t end = headers.find("\r\n", line);
      if (end == std::string_view::npos) end = headers.size();
      std::string_view h = headers.substr(line, end - line);
      std::string lower(h.substr(0, std::min<size_t>(h.size(), 20)));
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      if (lower.rfind("content-disposition:", 0) == 0) filename = HeaderParam(h, "filename");
      line = end + 2;
    }
    if (!filename.empty()) {
      return FilePart{filename, body.substr(content_start, content_end - content_start)};
    }
    pos = content_end + next.size();
  }
  return Malformed("no file part");
}

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2, '0');
  static const char* kDigits = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xF];
  }
  return out;
}

// Writes `bytes` to a new file in `dir`; returns its path and SHA-256.
StatusOr<std::pair<std::string, std::string>> WriteTemp(const std::string& dir,
                                                        std::string_view bytes) {
  std::string path = dir + "/upload-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return Status::Error(ErrorCode::kStorageError, "Opslaan mislukt.", "mkstemp " + dir);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      close(fd);
      unlink(path.c_str());
      return Status::Error(err == ENOSPC ? ErrorCode::kNoSpaceLeft : ErrorCode::kStorageError,
                           "De bijlage kon niet worden opgeslagen.", std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    unlink(path.c_str());
    return Status::Error(ErrorCode::kStorageError, "De bijlage kon niet worden opgeslagen.",
                         "fsync/close");
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return std::make_pair(path, Hex(digest, sizeof digest));
}

}  // namespace

std::string SafeName(const std::string& client_name, const std::string& extension) {
  std::string base = client_name;
  const size_t slash = base.find_last_of("/\\");
  if (slash != std::string::npos) base.erase(0, slash + 1);
  std::string out;
  for (char c : base) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    const char put = ok ? c : '-';
    if (put == '-' && !out.empty() && out.back() == '-') continue;
    out.push_back(put);
  }
  while (!out.empty() && (out.front() == '.' || out.front() == '-')) out.erase(0, 1);
  std::string stem = out;
  const size_t dot = out.find_last_of('.');
  if (dot != std::string::npos) {
    std::string ext = out.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    const bool same = ext == extension || (extension == "jpg" && ext == "jpeg");
    stem = out.substr(0, dot);
    if (same) out = stem + "." + extension;
  }
  if (stem.empty() || stem.find_first_not_of(".-_") == std::string::npos) stem = "bijlage";
  if (stem.size() > 90) stem.resize(90);
  return stem + "." + extension;
}

StatusOr<std::unique_ptr<Attachments>> Attachments::Open(editorial::EditorialService* editorial,
                                                         access::AuthService* auth,
                                                         AttachmentOptions options) {
  if (sodium_init() < 0) return Status::Internal("libsodium init failed");
  std::error_code ec;
  fs::create_directories(options.data_dir + "/attachments", ec);
  if (ec) {
    return Status::Error(ErrorCode::kStorageError, "De map voor bijlagen kan niet worden gemaakt.",
                         options.data_dir + "/attachments: " + ec.message());
  }
  auto db = store::Db::Open(options.data_dir + "/attachments.sqlite");
  if (!db.ok()) return db.status();
  KPO_RETURN_IF_ERROR(knowledge::MigrateAttachmentSchema(db->get()));
  KPO_RETURN_IF_ERROR((*db)->Exec(store::kAuditOutboxSchema));
  // A removed attachment's text (personal data uploaded by mistake) is
  // overwritten in the file, not left in a free page (AfterCommit also
  // empties the write-ahead log after a change).
  KPO_RETURN_IF_ERROR((*db)->Exec("PRAGMA secure_delete = ON"));
  auto items = store::ItemStore::Open(options.data_dir + "/kpo.sqlite");
  if (!items.ok()) return items.status();
  std::unique_ptr<Attachments> out(
      new Attachments(editorial, auth, std::move(options), std::move(*db), std::move(*items)));
  // What an upload committed just before a crash: its index job and audit line.
  std::lock_guard<std::mutex> lock(out->mu_);
  KPO_RETURN_IF_ERROR(out->Deliver());
  // Rows that approvals since the last change made unreachable (replaced or
  // removed files), and their bytes: approvals do not know attachments.
  KPO_RETURN_IF_ERROR(out->PurgeAll());
  // An approval makes replaced and removed files unreachable: their rows
  // and bytes go right after it, not at the next start.
  Attachments* self = out.get();
  editorial->OnApproved([self](const std::string& id, int64_t revision) {
    std::lock_guard<std::mutex> guard(self->mu_);
    Status purged = self->PurgeDead(id, revision);
    if (!purged.ok()) {
      Log(LogLevel::kError, "attachment.purge_failed",
          {{"item", id}, {"error", purged.ToString()}});
    }
    (void)self->db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");  // as AfterCommit
  });
  return out;
}

Attachments::Attachments(editorial::EditorialService* editorial, access::AuthService* auth,
                         AttachmentOptions options, std::unique_ptr<store::Db> db,
                         std::unique_ptr<store::ItemStore> items)
    : editorial_(editorial),
      auth_(auth),
      options_(std::move(options)),
      db_(std::move(db)),
      items_(std::move(items)) {}

// No approval may call into a destroyed service.
Attachments::~Attachments() { editorial_->OnApproved({}); }

int64_t Attachments::Now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

StatusOr<Attachment> Attachments::Upload(const Principal& who, const std::string& address,
                                         const std::string& item_id,
                                         const std::string& content_type,
                                         const std::string& body_path) {
  // One access routine for items live or draft: a draft-only item takes
  // attachments from its werkplaats's editors and the redactie too.
  auto first = editorial_->Get(who, item_id);
  if (!first.ok()) return first.status();
  KPO_RETURN_IF_ERROR(MayChangeFiles(who, *first, false));
  std::string lower = content_type;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  const std::string boundary = HeaderParam(content_type, "boundary");
  if (lower.rfind("multipart/form-data", 0) != 0 || boundary.empty() || boundary.size() > 200) {
    return Status::Error(ErrorCode::kUnsupportedMediaType,
                         "Stuur de bijlage als multipart/form-data.");
  }
  Mapped body(body_path);
  auto part = FindFilePart(body.view(), boundary);
  if (!part.ok()) return part.status();
  if (part->content.empty()) {
    return Status::Error(ErrorCode::kInvalidField, "Het bestand is leeg.");
  }
  if (part->content.size() > options_.max_bytes) {
    return Status::Error(
        ErrorCode::kPayloadTooLarge,
        "De bijlage is te groot: hoogstens " + std::to_string(options_.max_bytes >> 20) + " MB.");
  }
  const std::string dir = options_.data_dir + "/attachments";
  auto temp = WriteTemp(dir, part->content);
  if (!temp.ok()) return temp.status();
  const auto& [temp_path, hash] = *temp;
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      if (!path.empty()) unlink(path.c_str());
    }
  } cleanup{temp_path};
  auto type = DetectType(temp_path);
  if (!type.ok()) return type.status();
  auto text = ExtractText(temp_path, type->mime);
  if (!text.ok()) return text.status();

  const std::string final_dir = dir + "/" + hash.substr(0, 2);
  const std::string final_path = final_dir + "/" + hash;
  // From reading the item's revision to committing the row, no approval
  // commits (an upload numbered into the revision an approval is making
  // live would go live unseen); the rights are checked again as they are
  // now. Taken before mu_, always.
  std::unique_lock<std::mutex> approvals = editorial_->HoldApprovals();
  auto doc = editorial_->Get(who, item_id);
  if (!doc.ok()) return doc.status();
  KPO_RETURN_IF_ERROR(MayChangeFiles(who, *doc, false));
  // From placing the content file to committing its row: PurgeDead, under
  // the same lock, never sees the file without the row that uses it.
  std::lock_guard<std::mutex> lock(mu_);
  std::error_code ec;
  fs::create_directories(final_dir, ec);
  if (!fs::exists(final_path, ec)) {
    if (rename(temp_path.c_str(), final_path.c_str()) != 0) {
      return Status::Error(ErrorCode::kStorageError, "De bijlage kon niet worden opgeslagen.",
                           "rename " + final_path);
    }
    cleanup.path.clear();
  }
  Attachment a{item_id,
               SafeName(part->filename, type->extension),
               hash,
               type->mime,
               static_cast<int64_t>(part->content.size()),
               type->image,
               who.email,
               Now()};
  // Live with the item's next approval, which always makes a revision
  // above the latest and moves the item's attachments_revision to it.
  a.from_revision = doc->revision + 1;
  a.pending = true;
  const std::string state =
      doc->editorial_visible ? editorial::StateName(doc->editorial.state) : "published";
  const nlohmann::json detail = {{"item", item_id}, {"name", a.name},  {"sha256", a.hash},
                                 {"type", a.mime},  {"bytes", a.size}, {"state", state}};
  std::string replaced;  // the content of an upload not yet live that this one replaces
  {
    // The row and its audit line commit together; Deliver then queues the
    // item's re-index (the new text, within a second) and moves the line
    // to the audit log, again at the next start after a crash.
    store::Transaction tx(db_.get());
    KPO_RETURN_IF_ERROR(tx.begin_status());
    auto before = db_->Prepare(
        "SELECT hash FROM attachments WHERE item_id = ? AND name = ? AND from_revision = ?");
    if (!before.ok()) return before.status();
    auto found = before->Bind(1, a.item_id).Bind(2, a.name).Bind(3, a.from_revision).Step();
    if (!found.ok()) return found.status();
    if (*found) replaced = before->Text(0);
    const int64_t live = LiveRevision(*doc);
    auto live_has = live > 0 ? Sees(db_.get(), item_id, live, a.name) : StatusOr<bool>(false);
    if (!live_has.ok()) return live_has.status();
    a.has_live_version = *live_has;
    auto stmt = db_->Prepare(
        "INSERT INTO attachments(item_id, name, hash, mime, size, image, text, uploaded_by, "
        "uploaded_at, from_revision) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(item_id, name, from_revision) DO UPDATE SET "
        "hash = excluded.hash, mime = excluded.mime, size = excluded.size, image = "
        "excluded.image, text = excluded.text, uploaded_by = excluded.uploaded_by, "
        "uploaded_at = excluded.uploaded_at");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, a.item_id).Bind(2, a.name).Bind(3, a.hash).Bind(4, a.mime).Bind(5, a.size);
    stmt->Bind(6, int64_t{a.image ? 1 : 0}).Bind(7, *text).Bind(8, a.uploaded_by);
    stmt->Bind(9, a.uploaded_at).Bind(10, a.from_revision);
    KPO_RETURN_IF_ERROR(stmt->Run());
    KPO_RETURN_IF_ERROR(store::AddToOutbox(
        db_.get(),
        {0, a.uploaded_at, who.email, "attachment_uploaded", item_id,
         detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), address}));
    KPO_RETURN_IF_ERROR(tx.Commit());
  }
  approvals.unlock();
  AfterCommit(item_id, LiveRevision(*doc), {replaced});
  return a;
}

void Attachments::AfterCommit(const std::string& item_id, int64_t live_revision,
                              const std::vector<std::string>& hashes) {
  Status delivered = Deliver();
  if (!delivered.ok()) {
    // Committed: the change stands; the job and line wait in the outbox.
    Log(LogLevel::kError, "attachment.deliver_failed",
        {{"item", item_id}, {"error", delivered.ToString()}});
  }
  Status purged = PurgeDead(item_id, live_revision);
  if (!purged.ok()) {
    // Only space is lost; the next change or start purges again.
    Log(LogLevel::kError, "attachment.purge_failed",
        {{"item", item_id}, {"error", purged.ToString()}});
  }
  DropUnusedFiles(hashes);
  // The old pages of the change leave the write-ahead log too. Best effort:
  // a reader in the middle of a transaction keeps them until the next one.
  (void)db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

StatusOr<Removal> Attachments::Remove(const Principal& who, const std::string& address,
                                      const std::string& item_id, const std::string& name) {
  // As Upload: no approval between reading the revision and committing.
  std::unique_lock<std::mutex> approvals = editorial_->HoldApprovals();
  auto doc = editorial_->Get(who, item_id);
  if (!doc.ok()) return doc.status();
  KPO_RETURN_IF_ERROR(MayChangeFiles(who, *doc, true));
  const int64_t live = LiveRevision(*doc);
  std::lock_guard<std::mutex> lock(mu_);
  // What readers of the live version and of the draft see under this name.
  auto live_has = live > 0 ? Sees(db_.get(), item_id, live, name) : StatusOr<bool>(false);
  if (!live_has.ok()) return live_has.status();
  auto draft_has = Sees(db_.get(), item_id, std::numeric_limits<int64_t>::max(), name);
  if (!draft_has.ok()) return draft_has.status();
  const bool redactie = editorial::IsRedactie(who);
  if (!*draft_has && !(redactie && *live_has)) return NoSuchAttachment(name);
  Removal out{name, redactie || !*live_has};
  std::vector<std::string> hashes;
  {
    store::Transaction tx(db_.get());
    KPO_RETURN_IF_ERROR(tx.begin_status());
    // Every row of the name, or (an editor's removal of a live file) the
    // uploads not yet live, which a removal marker then follows.
    const std::string which = std::string("FROM attachments WHERE item_id = ?1 AND name = ?2") +
                              (out.now ? "" : " AND from_revision > ?3");
    KPO_RETURN_IF_ERROR(DeleteRows(
        db_.get(), which,
        [&](store::Stmt* stmt) {
          stmt->Bind(1, item_id).Bind(2, name);
          if (!out.now) stmt->Bind(3, live);
        },
        &hashes));
    if (!out.now) {
      // The marker: from the next approved version on, no file by this name.
      auto mark = db_->Prepare(
          "INSERT INTO attachments(item_id, name, hash, mime, size, image, text, uploaded_by, "
          "uploaded_at, from_revision) VALUES(?, ?, '', '', 0, 0, '', ?, ?, ?)");
      if (!mark.ok()) return mark.status();
      mark->Bind(1, item_id).Bind(2, name).Bind(3, who.email).Bind(4, Now());
      mark->Bind(5, doc->revision + 1);
      KPO_RETURN_IF_ERROR(mark->Run());
    }
    const std::string state =
        doc->editorial_visible ? editorial::StateName(doc->editorial.state) : "published";
    const nlohmann::json detail = {
        {"item", item_id}, {"name", name}, {"now", out.now}, {"state", state}};
    KPO_RETURN_IF_ERROR(store::AddToOutbox(
        db_.get(),
        {0, Now(), who.email, "attachment_removed", item_id,
         detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), address}));
    KPO_RETURN_IF_ERROR(tx.Commit());
  }
  approvals.unlock();
  AfterCommit(item_id, live, hashes);
  return out;
}

Status Attachments::PurgeAll() {
  std::vector<std::string> ids;
  {
    // Only items with more than one row per name or a removal marker.
    auto stmt = db_->Prepare(
        "SELECT DISTINCT item_id FROM attachments GROUP BY item_id, name "
        "HAVING COUNT(*) > 1 OR MIN(hash) = ''");
    if (!stmt.ok()) return stmt.status();
    while (true) {
      auto row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      ids.push_back(stmt->Text(0));
    }
  }
  for (const std::string& id : ids) {
    auto item = items_->Get(id);
    if (!item.ok()) return item.status();
    if (*item) KPO_RETURN_IF_ERROR(PurgeDead(id, (*item)->attachments_revision));
  }
  return Status::Ok();
}

Status Attachments::PurgeDead(const std::string& item_id, int64_t live_revision) {
  if (live_revision <= 0) return Status::Ok();  // nothing is live: every row may still go live
  const std::string dead =
      "FROM attachments WHERE item_id = ?1 AND from_revision <= ?2 AND (hash = '' OR "
      "from_revision < (SELECT MAX(b.from_revision) FROM attachments b WHERE b.item_id = ?1 "
      "AND b.name = attachments.name AND b.from_revision <= ?2))";
  std::vector<std::string> hashes;
  store::Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  KPO_RETURN_IF_ERROR(DeleteRows(
      db_.get(), dead, [&](store::Stmt* stmt) { stmt->Bind(1, item_id).Bind(2, live_revision); },
      &hashes));
  KPO_RETURN_IF_ERROR(tx.Commit());
  DropUnusedFiles(hashes);
  return Status::Ok();
}

void Attachments::DropUnusedFiles(const std::vector<std::string>& hashes) {
  for (const std::string& hash : hashes) {
    if (hash.size() < 2) continue;
    auto stmt = db_->Prepare("SELECT 1 FROM attachments WHERE hash = ? LIMIT 1");
    if (!stmt.ok()) return;
    auto used = stmt->Bind(1, hash).Step();
    if (!used.ok() || *used) continue;  // in use, or unknown: keep the bytes
    const std::string path = options_.data_dir + "/attachments/" + hash.substr(0, 2) + "/" + hash;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      Log(LogLevel::kError, "attachment.unlink_failed", {{"hash", hash}});
    }
  }
}

Status Attachments::Deliver() {
  auto moved = store::DrainOutbox(db_.get(), [this](const store::OutboxLine& line) {
    KPO_RETURN_IF_ERROR(items_->QueueIndex(line.subject));
    Principal actor;
    actor.email = line.actor;
    return auth_->RecordEvent(actor, line.address, line.event, line.subject, line.detail);
  });
  return moved.status();
}

StatusOr<std::vector<Attachment>> Attachments::Visible(const std::string& item_id,
                                                       int64_t seen_revision,
                                                       int64_t live_revision) {
  auto stmt = db_->Prepare(std::string("SELECT ") + kColumns + " FROM attachments a WHERE " +
                           knowledge::kVisibleAttachments + " ORDER BY a.name");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, item_id).Bind(2, seen_revision);
  std::vector<Attachment> out;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(Row(*stmt, live_revision));
  }
  return out;
}

StatusOr<std::vector<Attachment>> Attachments::List(const Principal& who,
                                                    const std::string& item_id) {
  auto doc = editorial_->Get(who, item_id);
  if (!doc.ok()) return doc.status();
  const int64_t live_revision = LiveRevision(*doc);
  std::lock_guard<std::mutex> lock(mu_);
  auto seen = Visible(item_id, SeenRevision(*doc), live_revision);
  if (!seen.ok()) return seen.status();
  std::vector<Attachment> out = std::move(*seen);
  // Who uploaded is staff data: only those who work on the item see it,
  // as readers of a document never see who wrote it.
  if (!doc->editorial_visible) {
    for (Attachment& a : out) a.uploaded_by.clear();
    return out;
  }
  if (live_revision == 0) return out;
  // Those who work on the item also learn what readers get now: a pending
  // upload that replaces a live file says so (removing it takes the live
  // one too), and a live file an editor removed from the next version is
  // listed, marked (the draft's list, above, leaves it out).
  auto live = Visible(item_id, live_revision, live_revision);
  if (!live.ok()) return live.status();
  for (Attachment& a : *live) {
    auto same =
        std::find_if(out.begin(), out.end(), [&](const Attachment& o) { return o.name == a.name; });
    if (same != out.end()) {
      same->has_live_version = true;
    } else {
      a.removing = true;
      out.push_back(std::move(a));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Attachment& x, const Attachment& y) { return x.name < y.name; });
  return out;
}

StatusOr<Download> Attachments::Open(const Principal& who, const std::string& item_id,
                                     const std::string& name_or_hash) {
  auto doc = editorial_->Get(who, item_id);
  if (!doc.ok()) return doc.status();
  Download out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto stmt = db_->Prepare(std::string("SELECT ") + kColumns + " FROM attachments a WHERE " +
                             knowledge::kVisibleAttachments +
                             " AND (a.name = ?3 OR a.hash = ?3) ORDER BY a.name LIMIT 1");
    if (!stmt.ok()) return stmt.status();
    auto row = stmt->Bind(1, item_id).Bind(2, SeenRevision(*doc)).Bind(3, name_or_hash).Step();
    if (!row.ok()) return row.status();
    if (!*row) return NoSuchAttachment(name_or_hash);
    out.attachment = Row(*stmt, LiveRevision(*doc));
  }
  out.path = options_.data_dir + "/attachments/" + out.attachment.hash.substr(0, 2) + "/" +
             out.attachment.hash;
  return out;
}

}  // namespace kpo::attachments

// Implements sqlite.h.
#include "store/sqlite.h"

#include <sqlite3.h>

#include <cstring>
#include <filesystem>

namespace kpo::store {

namespace {

// The detail names the database file and the system's cause (ENOSPC, EROFS,
// EACCES...), for the operator's message and the log; clients never see it.
Status MapError(sqlite3* db, int rc, const std::string& what) {
  std::string detail;
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  if (file != nullptr && *file != '\0' && what.find(file) == std::string::npos) {
    detail = std::string(file) + ": ";
  }
  detail += what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  const int system_errno = db ? sqlite3_system_errno(db) : 0;
  if (system_errno != 0) detail += std::string(" (") + std::strerror(system_errno) + ")";
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return Status::Error(ErrorCode::kNoSpaceLeft,
                           "De opslag is vol. Neem contact op met de beheerder.", detail);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Error(ErrorCode::kServiceUnavailable,
                           "De opslag is even bezet. Probeer het over enkele seconden opnieuw.",
                           detail);
    default:
      return Status::Error(ErrorCode::kStorageError,
                           "De opslag gaf een fout. Probeer het later opnieuw.", detail);
  }
}

}  // namespace

StatusOr<std::unique_ptr<Db>> Db::Open(const std::string& path, bool read_only) {
  sqlite3* raw = nullptr;
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = MapError(raw, rc, "open " + path);
    sqlite3_close(raw);
    return s;
  }
  std::unique_ptr<Db> db(new Db(raw));
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_extended_result_codes(raw, 1);
  // WAL lets the server read while the indexer writes.
  std::string pragmas = "PRAGMA foreign_keys=ON;";
  if (!read_only) pragmas += "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
  KPO_RETURN_IF_ERROR(db->Exec(pragmas));
  return db;
}

Db::~Db() { sqlite3_close_v2(db_); }

Status Db::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return MapError(db_, rc, "exec");
  return Status::Ok();
}

StatusOr<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return MapError(db_, rc, "prepare " + std::string(sql));
  return Stmt(this, stmt);
}

std::string Db::path() const {
  const char* name = sqlite3_db_filename(db_, "main");
  return name == nullptr ? "" : name;
}

Status Db::CopyTo(const std::string& to) {
  std::error_code ec;
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(to + suffix, ec);
  auto target = Open(to);
  if (!target.ok()) return target.status();
  const std::string what = "backup " + path() + " -> " + to;
  sqlite3_backup* backup = sqlite3_backup_init((*target)->db_, "main", db_, "main");
  if (backup == nullptr) return (*target)->LastError(what);
  // All pages in one step: one read transaction, so one consistent snapshot.
  const int step = sqlite3_backup_step(backup, -1);
  const int finish = sqlite3_backup_finish(backup);
  if (step != SQLITE_DONE) return MapError((*target)->db_, step, what);
  if (finish != SQLITE_OK) return MapError((*target)->db_, finish, what);
  return Status::Ok();
}

int64_t Db::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int Db::Changes() const { return sqlite3_changes(db_); }
Status Db::LastError(const std::string& what) const {
  return MapError(db_, sqlite3_errcode(db_), what);
}

Stmt::Stmt(Stmt&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
Stmt& Stmt::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}
StatusOr<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return MapError(db_->raw(), rc, std::string("step ") + sqlite3_sql(stmt_));
}

Status Stmt::Run() {
  for (;;) {
    auto row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Stmt::Text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}
int64_t Stmt::Int(int column) const { return sqlite3_column_int64(stmt_, column); }
bool Stmt::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Transaction::Transaction(Db* db) : db_(db), begin_(db->Exec("BEGIN IMMEDIATE")) {
  done_ = !begin_.ok();
}
Transaction::~Transaction() {
  if (!done_) (void)db_->Exec("ROLLBACK");
}
Status Transaction::Commit() {
  if (done_) return begin_.ok() ? Status::Internal("transaction already finished") : begin_;
  Status s = db_->Exec("COMMIT");
  if (s.ok()) done_ = true;
  return s;
}

}  // namespace kpo::store

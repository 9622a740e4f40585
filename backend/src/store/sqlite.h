// RAII handles over sqlite3: the only place that calls the sqlite3 C API.
// Owns: opening a database (WAL, busy timeout, foreign keys), prepared
// statements with bound parameters, transactions, and mapping SQLite result
// codes to kpo::Status. Never builds SQL from values: everything is bound.
// Thread-safety: a Db and its Stmts belong to one thread at a time; open one
// Db per thread (SQLite connections are cheap).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kpo/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace kpo::store {

class Stmt;

class Db {
 public:
  // Opens (creating if needed) the database file at `path`.
  // Errors: kStorageError when the file cannot be opened, kNoSpaceLeft on ENOSPC.
  static StatusOr<std::unique_ptr<Db>> Open(const std::string& path, bool read_only = false);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements without parameters (schema, pragmas).
  Status Exec(const std::string& sql);
  // Prepares one statement. Errors: kStorageError (a bug in our SQL).
  StatusOr<Stmt> Prepare(std::string_view sql);
  int64_t LastInsertRowId() const;
  int Changes() const;
  // Maps the connection's last error to a Status (kNoSpaceLeft for SQLITE_FULL).
  Status LastError(const std::string& what) const;
  sqlite3* raw() { return db_; }
  // The file of the main database ("" for an in-memory one).
  std::string path() const;
  // Copies this database into the file `to` (created or overwritten; its
  // -wal and -shm files removed first) with SQLite's online backup API, as
  // one snapshot: in WAL mode other connections keep writing meanwhile.
  // Errors: kStorageError naming both files, kNoSpaceLeft.
  Status CopyTo(const std::string& to);

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// A prepared statement. Bind indexes start at 1, column indexes at 0.
class Stmt {
 public:
  Stmt(Db* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) = delete;
  Stmt(const Stmt&) = delete;
  ~Stmt();

  Stmt& Bind(int index, std::string_view text);
  Stmt& Bind(int index, int64_t value);
  Stmt& BindNull(int index);

  // Steps once. Returns true for a row, false when done.
  // Errors: kStorageError / kNoSpaceLeft / kServiceUnavailable (busy).
  StatusOr<bool> Step();
  // Steps to completion, ignoring rows.
  Status Run();
  void Reset();

  std::string Text(int column) const;
  int64_t Int(int column) const;
  bool IsNull(int column) const;

 private:
  Db* db_;
  sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless Commit()
// succeeded: a failure anywhere in between leaves no half-written state.
class Transaction {
 public:
  explicit Transaction(Db* db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const Status& begin_status() const { return begin_; }
  Status Commit();

 private:
  Db* db_;
  Status begin_;
  bool done_ = false;
};

}  // namespace kpo::store

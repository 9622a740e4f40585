// Audit lines that commit with the change they describe (issue 10). The
// audit log lives in accounts.sqlite, the changes in other files (kpo.sqlite
// for editorial steps, attachments.sqlite for uploads), and SQLite in WAL
// mode does not commit two files atomically. So a change writes its audit
// line into an `audit_outbox` table of its own file, inside its own
// transaction; its owner then moves the line to the audit log (DrainOutbox)
// before answering, and again at every start. A crash anywhere loses no
// line: what was committed carries its line, what was not has none. A crash
// between the move and the outbox delete repeats the line once (at least
// once; the repeat carries the same `outbox_seq` in its detail).
// Owns: the audit_outbox table's shape and use. May not touch: the audit
// log itself (its owner's deliver function writes it).
// Thread-safety: as the Db given (one connection per thread).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "kpo/status.h"

namespace kpo::store {

class Db;

struct OutboxLine {
  int64_t seq = 0;  // assigned by AddToOutbox
  int64_t at = 0;   // unix seconds of the change
  std::string actor;
  std::string event;
  std::string subject;
  std::string detail;  // a JSON object as text
  std::string address;
};

// The table, with the audit log's columns; part of each owning file's
// schema (kpo.sqlite's migration 4, attachments.sqlite's schema). Constant
// at compile time so a migration can name it; changing it needs a new
// migration in both files.
inline constexpr const char* kAuditOutboxSchema = R"sql(
CREATE TABLE IF NOT EXISTS audit_outbox(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  address TEXT NOT NULL);
)sql";

// Writes `line` to `db`'s outbox; call inside the change's transaction.
// Errors: kStorageError, kNoSpaceLeft.
Status AddToOutbox(Db* db, const OutboxLine& line);

// Hands every waiting line to `deliver`, oldest first, deleting each one
// `deliver` accepted; stops at the first refusal (returned), so nothing is
// lost or skipped. Holds `db`'s write lock meanwhile, so two drainers never
// hand over one line twice. Success: how many were delivered.
StatusOr<int> DrainOutbox(Db* db, const std::function<Status(const OutboxLine&)>& deliver);

}  // namespace kpo::store

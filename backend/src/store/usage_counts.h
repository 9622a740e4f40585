// Counts for GET /metrics (issue 13) read from accounts.sqlite: sessions in
// use and academy enrolments. Owns only these read-only queries; the tables
// belong to access/account_store.h and academy/academy_store.h, whose
// schemas these counts follow.
// Thread-safety: a free function; it opens its own read-only connection.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "kpo/status.h"

namespace kpo::store {

struct UsageCounts {
  int64_t active_sessions = 0;              // sessions seen since `active_since`
  std::map<std::string, int64_t> enrolled;  // enrolment state -> count
};

// Errors: kStorageError (no such file, no such tables).
StatusOr<UsageCounts> ReadUsageCounts(const std::string& accounts_path, int64_t active_since);

}  // namespace kpo::store

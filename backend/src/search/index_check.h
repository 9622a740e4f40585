// Verifies an index directory before it is trusted: Xapian's own
// consistency check of the main database and of every spelling database,
// and the identity a store compares with the index it last wrote (UUID,
// revision, document count). Owns nothing else; deciding to rebuild is the
// index writer's (knowledge/index_applier.h).
// Thread-safety: free functions; the directory must not be written meanwhile
// (the caller holds the writer lock).
#pragma once

#include <cstdint>
#include <string>

#include "kpo/status.h"

namespace kpo::search {

struct IndexIdentity {
  std::string uuid;
  uint64_t revision = 0;
  uint64_t doc_count = 0;
};

// OK when `dir` holds a main database and every spelling database passes
// Xapian's check. Errors: kIndexError with a Dutch message naming the
// missing or damaged database (detail: Xapian's words).
Status CheckIndexFiles(const std::string& dir);
// The main database's identity. Errors: kIndexError (missing, unreadable).
StatusOr<IndexIdentity> ReadIndexIdentity(const std::string& dir);

}  // namespace kpo::search

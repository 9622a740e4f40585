// The extracted text of attachments, for search (issue 10): what the index
// writer adds to an item's text, and which attachment of a hit holds the
// query. Owns: reading attachments.sqlite's text column; nothing else (the
// attachments module writes it).
// Why in knowledge: every index writer (kpo-server's thread, kpo-index,
// kpo-admin reindex) is an IndexApplier, which opens it itself, so no writer
// can index an item without its attachments' text.
// May not touch: access (callers show the name only on hits the caller may
// read), HTTP.
// Thread-safety: every method may be called from any thread at once (one
// connection behind a mutex).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "kpo/status.h"

namespace kpo::store {
class Db;
}

namespace kpo::knowledge {

class AttachmentTexts {
 public:
  // Opens or creates `data_dir`/attachments.sqlite. Errors: kStorageError.
  static StatusOr<std::unique_ptr<AttachmentTexts>> Open(const std::string& data_dir);
  ~AttachmentTexts();

  // The texts of item `id`'s attachments, joined; "" when none (or the
  // database fails: search then simply misses them, logged).
  std::string IndexText(const std::string& id);
  // The name of the first attachment (by name) of item `id` whose text holds
  // every word of `q` (folded as search folds it); "" when none does.
  std::string Matching(const std::string& id, const std::string& q);

 private:
  explicit AttachmentTexts(std::unique_ptr<store::Db> db);
  std::mutex mu_;
  std::unique_ptr<store::Db> db_;  // GUARDED_BY(mu_)
};

// attachments.sqlite's schema; created by whichever opens it first
// (attachments/attachments.cc or this class).
extern const char* const kAttachmentSchema;

}  // namespace kpo::knowledge

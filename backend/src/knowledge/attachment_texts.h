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

#include <cstdint>
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

  // The texts of the attachments of item `id` as revision `revision` (the
  // live item's attachments_revision) carries them (kVisibleAttachments), joined; "" when none (or
  // the database fails: search then simply misses them, logged).
  std::string IndexText(const std::string& id, int64_t revision);
  // The name of the first of those attachments (by name) whose text holds
  // every word of `q` (folded as search folds it); "" when none does.
  std::string Matching(const std::string& id, int64_t revision, const std::string& q);

 private:
  explicit AttachmentTexts(std::unique_ptr<store::Db> db);
  std::mutex mu_;
  std::unique_ptr<store::Db> db_;  // GUARDED_BY(mu_)
};

// Creates or migrates attachments.sqlite's table (store/migrate.h), on
// whichever connection opens it first (attachments/attachments.cc or this
// class). Errors: kStorageError.
Status MigrateAttachmentSchema(store::Db* db);

// Why uploads carry `from_revision`: an attachment goes live with the next
// approved version of its item, never at upload (editors never publish
// alone, and a draft may narrow who reads the item). An upload records the
// item's latest revision + 1; every approval makes a live revision above
// it and records it as the item's attachments_revision (content/item.h);
// other live saves (the academy's, the file importer's) leave that as it
// was. The SQL condition (table alias `a`, parameters ?1 item id, ?2 the
// revision a reader sees: the live item's attachments_revision, or
// INT64_MAX for those who may read the draft) keeping per name the newest
// upload that revision carries, so a replaced file stays live until its
// successor is approved; none when that newest row is a removal (an empty
// hash: attachments/attachments.h Remove).
extern const char* const kVisibleAttachments;

}  // namespace kpo::knowledge

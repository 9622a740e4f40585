// Attachments (bijlagen) of items (issue 10). Owns: the file
// <data>/attachments.sqlite (which item has which attachment under which
// name, its content hash, type, size, extracted text, who uploaded it and
// when) and the content files under <data>/attachments/<2 hex>/<sha-256>,
// each stored once whatever the number of items or names using it; reading
// an upload's multipart body from the file the HTTP layer streamed it to.
// Who may read an attachment is who may read its item, live or draft, as
// EditorialService::Get decides it (the access keys; a draft-only item: its
// werkplaats's editors, the redactie, admin): a caller who may not read the
// item gets the same 404 as for an item that does not exist. Those who may
// edit it (Get's can_edit) may upload, also to an item never published;
// every upload is audited. An upload goes live with the item's next
// approved version: until then readers of the live version neither see nor
// find it, and a replaced file stays live until its successor is approved.
// Removing follows the same rule for editors (the file stays live until the
// next approved version, which leaves it out); the redactie and admins
// remove at once, the way to take down a file uploaded by mistake. Rows no
// reader can see again (replaced or removed before the live version) and
// content files no row uses are deleted (PurgeDead).
// Why a file of its own: kpo.sqlite is the item store's (and rewritten by
// the importer); attachments are added beside an item, never by a file import.
// May not touch: HTTP, Xapian (search reads the text through
// knowledge/attachment_texts.h; an upload queues the item's re-index job).
// Thread-safety: every method may be called from any thread at once (one
// SQLite connection behind a mutex; uploads are rare and writes short).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kpo/access/principal.h"
#include "kpo/status.h"

namespace kpo::editorial {
class EditorialService;
}
namespace kpo::access {
class AuthService;
}
namespace kpo::store {
class Db;
class ItemStore;
}  // namespace kpo::store

namespace kpo::attachments {

struct AttachmentOptions {
  std::string data_dir;  // required
  // Largest accepted attachment. Default: 25 MiB. The HTTP layer refuses
  // larger request bodies (413) before reading them.
  size_t max_bytes = size_t{25} << 20;
  // Current time in unix seconds. Default: empty, meaning the system clock.
  std::function<int64_t()> clock;
};

struct Attachment {
  std::string item_id;
  std::string
      name;  // safe file name, unique per item: [A-Za-z0-9._-], ends in the type's extension
  std::string hash;  // SHA-256 of the content, 64 hex
  std::string mime;
  int64_t size = 0;
  bool image = false;       // PNG or JPEG: may be shown inline
  std::string uploaded_by;  // empty in List for readers who do not work on the item
  int64_t uploaded_at = 0;
  // The first revision of the item that carries it (knowledge/
  // attachment_texts.h: an upload goes live with the next approval).
  int64_t from_revision = 0;
  // Not yet live: only those who may read the draft see it (List, Open).
  bool pending = false;
  // Live, and removed from the next approved version on (List, for those
  // who may read the draft; Open no longer serves it to them).
  bool removing = false;
  // Readers of the live version get a file by this name (List, for those
  // who may read the draft, and Upload): true for every live row, and for a
  // pending one that replaces a live file.
  bool has_live_version = false;
};

// What Remove did.
struct Removal {
  std::string name;
  // Gone for every reader now; false: gone with the next approved version.
  bool now = false;
};

// A file to send (Open).
struct Download {
  Attachment attachment;
  std::string path;  // the stored content
};

class Attachments {
 public:
  // `editorial` (who may read and edit an item) and `auth` must outlive
  // the service. Errors: kStorageError.
  static StatusOr<std::unique_ptr<Attachments>> Open(editorial::EditorialService* editorial,
                                                     access::AuthService* auth,
                                                     AttachmentOptions options);
  ~Attachments();

  // Stores the one file of the multipart/form-data body in `body_path`
  // (`content_type` carries its boundary) as an attachment of `item_id`,
  // extracts its text and audits the upload. A file with the same name
  // replaces the earlier one from the item's next approved version on (an
  // upload not yet live is replaced at once). Success: the attachment.
  // Errors: kDocumentNotFound (no such item, or not readable by `who`),
  // kForbidden (readable but not editable by `who`), kInvalidTransition
  // (an editor, while the item is in review or scheduled), kUnsupportedMediaType
  // (not multipart/form-data, no boundary), kInvalidField (no file part, a
  // malformed body, an empty file), kPayloadTooLarge,
  // kUnsupportedAttachmentType (by content, not name), kStorageError,
  // kNoSpaceLeft.
  StatusOr<Attachment> Upload(const Principal& who, const std::string& address,
                              const std::string& item_id, const std::string& content_type,
                              const std::string& body_path);
  // The item's attachments as `who` sees them (the live version's, or the
  // draft's for those who may read it), by name. Errors: kDocumentNotFound
  // (as Upload).
  StatusOr<std::vector<Attachment>> List(const Principal& who, const std::string& item_id);
  // The largest attachment accepted, for forms to say so before an upload.
  size_t max_bytes() const { return options_.max_bytes; }
  // One attachment by name or content hash, among those List shows `who`.
  // Errors: kDocumentNotFound (the item is missing or not readable),
  // kAttachmentNotFound.
  StatusOr<Download> Open(const Principal& who, const std::string& item_id,
                          const std::string& name_or_hash);
  // Removes attachment `name` of `item_id`. The redactie and admins remove
  // it at once, from the live version and the draft, with the bytes when no
  // other item uses them; an upload not yet live goes at once for anyone who
  // may edit. An editor's removal of a live file takes effect with the
  // item's next approved version (like an upload); uploading the name again
  // before that cancels it. Audited (attachment_removed); the item is
  // re-indexed. The redactie and admins may also remove from an archived
  // item. Errors: kDocumentNotFound (as Upload), kForbidden (readable but
  // not editable by `who`), kInvalidTransition (as Upload),
  // kAttachmentNotFound (no such name among those List shows `who`, or
  // already removed), kStorageError.
  StatusOr<Removal> Remove(const Principal& who, const std::string& address,
                           const std::string& item_id, const std::string& name);

 private:
  Attachments(editorial::EditorialService* editorial, access::AuthService* auth,
              AttachmentOptions options, std::unique_ptr<store::Db> db,
              std::unique_ptr<store::ItemStore> items);
  int64_t Now() const;
  // Queues the re-index and moves the audit line of every committed upload
  // or removal (store/audit_outbox.h). Call with mu_ held. Errors:
  // kStorageError.
  Status Deliver();
  // Deletes the rows of `item_id` that no reader can see again, given the
  // revision readers of its live version see (`live_revision`): rows below
  // the newest one at or under it, per name, and removals at or under it;
  // then the content files no row uses. Call with mu_ held. Why here and not
  // at approval: the editorial service knows nothing of attachments, so
  // this runs when the item's attachments change and at start (Open).
  Status PurgeDead(const std::string& item_id, int64_t live_revision);
  // The rows of `item_id` a reader of revision `seen_revision` sees
  // (kVisibleAttachments), by name; `live_revision` decides `pending`. Call
  // with mu_ held. Errors: kStorageError.
  StatusOr<std::vector<Attachment>> Visible(const std::string& item_id, int64_t seen_revision,
                                            int64_t live_revision);
  // PurgeDead for every item that may have such rows (Open). Errors:
  // kStorageError.
  Status PurgeAll();
  // After an upload or removal of `item_id` committed: Deliver, PurgeDead,
  // and DropUnusedFiles of the `hashes` the change let go of. Failures are
  // logged, never returned: the change itself stands. Call with mu_ held.
  void AfterCommit(const std::string& item_id, int64_t live_revision,
                   const std::vector<std::string>& hashes);
  // Unlinks the content file of each of `hashes` that no row uses. Call with
  // mu_ held (Upload places content files under it too).
  void DropUnusedFiles(const std::vector<std::string>& hashes);

  editorial::EditorialService* editorial_;
  access::AuthService* auth_;
  const AttachmentOptions options_;
  std::mutex mu_;
  std::unique_ptr<store::Db> db_;            // GUARDED_BY(mu_)
  std::unique_ptr<store::ItemStore> items_;  // GUARDED_BY(mu_): queues re-index jobs
};

// The file name an upload is stored under: the base name of `client_name`
// with every character outside [A-Za-z0-9._-] replaced by '-', at most 100
// bytes, never starting with '.', ending in `extension` (added when the
// name has another one). "bijlage.<extension>" when nothing is left.
std::string SafeName(const std::string& client_name, const std::string& extension);

}  // namespace kpo::attachments

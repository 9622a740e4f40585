// Writes items into the Xapian index: the main database and the per-access
// spelling databases. Owns: document construction from an Item. The index is
// derived: everything it holds comes from SQLite and can be rebuilt.
// Thread-safety: one writer per index directory (Xapian allows one writer).
#pragma once

#include <map>
#include <memory>
#include <string>

#include <xapian.h>

#include "kpo/content/item.h"
#include "kpo/status.h"
#include "search/analyzer.h"

namespace kpo::search {

class IndexWriter {
 public:
  // Opens (creating) the index under `dir`. Errors: kIndexError (locked by
  // another writer, unreadable), kNoSpaceLeft.
  static StatusOr<std::unique_ptr<IndexWriter>> Open(const std::string& dir,
                                                     std::shared_ptr<const Lexicon> lexicon,
                                                     StemmerKind stemmer = StemmerKind::kKpo);
  // Adds or replaces the document for `item`.
  Status Put(const Item& item);
  // Removes the document for `id` (no error when absent).
  Status Remove(const std::string& id);
  // Drops every document (before a full rebuild).
  Status Clear();
  // Makes the changes visible to readers. Errors: kIndexError, kNoSpaceLeft.
  Status Commit();
  uint64_t doc_count() const { return main_.get_doccount(); }

 private:
  IndexWriter(std::string dir, std::shared_ptr<const Lexicon> lexicon, StemmerKind stemmer)
      : dir_(std::move(dir)), analyzer_(std::move(lexicon), stemmer) {}
  Xapian::WritableDatabase& Spelling(const std::string& access_key);
  // Removes the spelling contributions of the stored document for `id_term`.
  void ForgetSpelling(const std::string& id_term);

  std::string dir_;
  Analyzer analyzer_;
  Xapian::WritableDatabase main_;
  std::map<std::string, Xapian::WritableDatabase> spelling_;
};

// Maps a Xapian exception to a Status (kNoSpaceLeft, kIndexError).
Status XapianError(const Xapian::Error& e, const std::string& what);

}  // namespace kpo::search

// Writes items into the Xapian index: the main database and the per-access
// spelling databases. Owns: document construction from an Item, including
// the glossary's phrases and common-grams (schema::IsPairWord) as terms of
// their own (schema::kPhrase) and the metadata saying which phrases every
// document carries. The index is
// derived: everything it holds comes from SQLite and can be rebuilt.
// Thread-safety: one writer per index directory (Xapian allows one writer).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

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
  // Call before Put. From now on documents also carry a term for each of `phrases` (two or
  // more folded words each) where the phrase occurs. Why: counting a phrase
  // by its positions costs 20-35 ms at 100 000 items the first time it is
  // searched in a revision; a term's posting list costs ~1 ms. The metadata
  // written on Commit lists only phrases every document carries: these
  // when the index was empty (new or cleared), else those that both these
  // and the earlier documents have.
  void IndexPhrases(const std::vector<std::vector<std::string>>& phrases);
  // Adds or replaces the document for `item`.
  Status Put(const Item& item);
  // Removes the document for `id` (no error when absent).
  Status Remove(const std::string& id);
  // Drops every document (before a full rebuild).
  Status Clear();
  // Makes the changes visible to readers. Errors: kIndexError, kNoSpaceLeft.
  Status Commit();
  uint64_t doc_count() const { return main_.get_doccount(); }
  // Commits a new revision without changing a document (issue 13: an index
  // rebuilt aside must not carry the revision number of the one it
  // replaces, or readers would not reopen). Errors: kIndexError, kNoSpaceLeft.
  Status Touch();

 private:
  IndexWriter(std::string dir, std::shared_ptr<const Lexicon> lexicon, StemmerKind stemmer)
      : dir_(std::move(dir)), analyzer_(std::move(lexicon), stemmer) {}
  Xapian::WritableDatabase& Spelling(const std::string& access_key);
  // Removes the spelling contributions of the stored document for `id_term`.
  void ForgetSpelling(const std::string& id_term);

  // Adds the phrase terms (glossary phrases and common-grams) of a document
  // whose kept words are `at` (term position, word), exactly where OP_PHRASE
  // over the words would match.
  void AddPhraseTerms(std::vector<std::pair<Xapian::termpos, std::string>> at,
                      Xapian::Document* doc) const;

  std::string dir_;
  Analyzer analyzer_;
  Xapian::WritableDatabase main_;
  // First word -> the phrases starting with it.
  std::map<std::string, std::vector<std::vector<std::string>>> phrases_;
  std::set<std::string> indexed_;  // schema::PhraseValue of each of phrases_
  std::set<std::string> prior_;    // phrases every earlier document carries (metadata)
  bool fresh_ = false;             // no document predates this writer's phrases
  bool prior_pairs_ = false;       // every earlier document carries pair terms (metadata)
  std::map<std::string, Xapian::WritableDatabase> spelling_;
};

// Maps a Xapian exception to a Status (kNoSpaceLeft, kIndexError).
Status XapianError(const Xapian::Error& e, const std::string& what);

}  // namespace kpo::search

// Reads the Xapian index: search with facets and spelling, autocomplete,
// related items and visible counts. Owns: query execution. Every query is
// filtered inside Xapian by the caller's access keys (access/policy.h), so
// totals, facet counts, pages, suggestions and completions only ever see
// items the caller may read. Spelling suggestions come only from the
// spelling databases of the caller's keys.
// Thread-safety: none. Each thread opens its own Searcher (Xapian::Database,
// Stem and Enquire must not be shared between threads).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "content/glossary.h"
#include "kpo/status.h"
#include "search/analyzer.h"
#include "search/helper_thread.h"
#include "search/match_sets.h"
#include "search/query.h"
#include "search/ranker.h"
#include "search/schema.h"

namespace kpo::search {

enum class SortOrder { kRelevance, kDate };

struct SearchRequest {
  std::string q;  // valid UTF-8 without control characters; may be empty
  // facet name ("type", "theme", "region", "werkplaats", "year") -> values;
  // values of one facet are alternatives (OR), facets combine with AND.
  std::map<std::string, std::vector<std::string>> filters;
  std::string from, to;  // YYYY-MM-DD or empty
  int page = 1;          // 1-based
  int size = 10;
  SortOrder sort = SortOrder::kRelevance;
  // false: a spelling fix is only suggested, never searched instead
  // (spelling=off: "zoek in plaats daarvan naar <original>").
  bool correct_spelling = true;
};

struct SearchResult {
  uint64_t total = 0;            // exact (counted by MatchSets, not the matcher)
  uint64_t full = 0;             // of which match every word of the query
  std::vector<std::string> ids;  // the page, best first
  // facet -> value -> exact count. A facet with a selection is counted as
  // if its own selection were absent, so the other values stay choosable.
  std::map<std::string, std::map<std::string, uint64_t>> facets;
  std::string suggestion;  // "did you mean", empty when none
  bool corrected = false;  // the suggestion was searched because q found (next to) nothing
  bool relaxed = false;    // not every word matched: any word was enough
  // Close words of a rare word searched beside it ("lookup" for
  // "vlookup"; query.cc CloseWords), as written; empty when none.
  std::vector<std::string> also_searched;
  // Per id of `ids`: the item matches some words of the query, not all. Fewer
  // full matches than a page (kFullPage) continue with partial ones, ranked
  // below them; questions (3+ words) are ranked by their words together.
  std::vector<bool> partial;
  Highlight highlight;  // for snippets
};

struct Completion {
  std::string text;  // the completed query
};

class Searcher {
 public:
  // Opens the index under `dir`. `sets` counts matches; Searchers of one
  // index should share one (nullptr: a private one). Errors: kIndexError
  // when there is no index.
  static StatusOr<std::unique_ptr<Searcher>> Open(const std::string& dir,
                                                  std::shared_ptr<const Lexicon> lexicon,
                                                  StemmerKind stemmer = StemmerKind::kKpo,
                                                  std::shared_ptr<MatchSets> sets = nullptr);

  // Runs `request` for a caller holding `access_keys`. Errors:
  // kInvalidSearchQ (only operators), kIndexError.
  StatusOr<SearchResult> Search(const SearchRequest& request,
                                const std::vector<std::string>& access_keys,
                                const content::Glossary& glossary);
  // Up to `limit` completions of the last word of `text`, from words of
  // readable items, most frequent first; and up to `limit` ids of readable
  // items whose title has a word starting so.
  Status Suggest(const std::string& text, const std::vector<std::string>& access_keys, size_t limit,
                 std::vector<Completion>* completions, std::vector<std::string>* title_ids);
  // Up to `limit` ids of readable items like item `id` (never `id` itself).
  StatusOr<std::vector<std::string>> Related(const std::string& id,
                                             const std::vector<std::string>& access_keys,
                                             size_t limit);
  // How many items the caller may read.
  StatusOr<uint64_t> CountVisible(const std::vector<std::string>& access_keys);
  // Reads from disk what every search reads (the newest revision, a posting
  // list, a document's data), past every cache: readiness fails on an index
  // that was deleted or damaged under the server. Errors: kIndexError.
  Status Probe();
  // A number that changes with every index commit.
  std::string Generation();

  Analyzer* analyzer() { return &analyzer_; }
  Ranker* ranker() { return &ranker_; }

 private:
  Searcher(std::string dir, std::shared_ptr<const Lexicon> lexicon, StemmerKind stemmer,
           std::shared_ptr<MatchSets> sets)
      : dir_(std::move(dir)),
        analyzer_(lexicon, stemmer),
        sets_(sets),
        helper_((std::filesystem::path(dir_) / schema::kMainDir).string(), lexicon, stemmer),
        ranker_(sets, &helper_) {}
  void Refresh();
  // The documents the caller may read.
  DocSet Readable(const std::vector<std::string>& access_keys);
  // The spelling databases of the caller's keys, one handle each.
  std::vector<Xapian::Database> SpellingFor(const std::vector<std::string>& access_keys);
  // Xapian's suggestion for `w` within `max_edits` from each of `spelling`
  // on its own; of their answers the fewest edits win, then the most
  // readable items. Why not one combined database: Xapian 1.4 adds a
  // candidate's trigram matches up over the databases that hold it, so a
  // word every group's texts hold outscored a closer word only public texts
  // hold ("witwassn" got "witwas", a compound part, for a member of the
  // police; "mengen" got "ingen").
  std::string SpellingSuggestion(const std::vector<Xapian::Database>& spelling,
                                 const std::string& w, unsigned max_edits, const DocSet& readable);
  // `has_close_words` (may be null): whether a word of the query has close
  // words (ParsedQuery::close_words).
  StatusOr<SearchResult> SearchOnce(const SearchRequest& request, const ParsedQuery& parsed,
                                    const std::vector<std::string>& access_keys,
                                    const content::Glossary& glossary,
                                    bool* has_close_words = nullptr);
  // The words one edit from `w`, not forms of it, that at least
  // `min_items` (and at least one) readable items hold, with those items.
  std::vector<std::pair<std::string, DocSet>> CloseWords(const std::string& w, uint64_t min_items,
                                                         const DocSet& readable);
  // A word one edit from `w` (seen in `seen` readable items) in far more
  // readable items, not a form of `w`; "" when there is none.
  std::string CloseFrequentWord(const std::string& w, uint64_t seen, const DocSet& readable);
  // Among the words one edit from `w` that readable items hold, the one that goes best with the
  // query's other `words` (all but `at`), when it goes better than `fix` (itself one edit away); ""
  // when none does. A typo often has two close words ("matix": matig, matrix).
  std::string FitsTheOtherWords(const std::string& w, const std::string& fix, uint64_t seen,
                                const std::vector<std::string>& words, size_t at,
                                const DocSet& readable);
  std::string Correct(const std::string& q, const ParsedQuery& parsed,
                      const std::vector<std::string>& access_keys,
                      const content::Glossary& glossary);

  std::string dir_;
  Analyzer analyzer_;
  Xapian::Database db_;
  std::map<std::string, Xapian::Database> spelling_;  // access key -> spelling database
  std::shared_ptr<MatchSets> sets_;
  HelperThread helper_;  // before ranker_, which uses it
  Ranker ranker_;
};

// The Xapian filter for a caller: OR of the access key terms. The one
// access-filter builder; every query goes through it.
Xapian::Query AccessFilter(const std::vector<std::string>& access_keys);

}  // namespace kpo::search

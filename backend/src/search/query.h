// The KPO query language and its translation to Xapian. Owns: parsing what a
// person types (words, "phrases", -exclusion, OR, prefix*) and expanding each
// word into everything it means (stem, compound parts, glossary synonyms,
// and for a word the index lacks its thesaurus words: search/thesaurus.h).
// May not touch: access decisions (the caller passes the filter), storage.
#pragma once

#include <array>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "content/glossary.h"
#include "search/analyzer.h"

namespace kpo::search {

struct Clause {
  enum class Kind { kWord, kPhrase, kPrefix };
  Kind kind = Kind::kWord;
  std::vector<std::string> words;  // folded
};

struct ParsedQuery {
  // AND over groups; the clauses of one group are alternatives (OR).
  std::vector<std::vector<Clause>> groups;
  std::vector<Clause> excluded;
  // The text held something, but only operators or punctuation.
  bool only_operators = false;
  // Set by the searcher, not the parser: a rare word also matches its close
  // words (query.cc, kCloseWordItems). Only for a query that is not searched
  // corrected, so that the close words, the correction among them, do not
  // turn a typo's few full matches into many and keep the correction from
  // being searched (searcher.cc).
  bool close_words = false;
  bool empty() const { return groups.empty() && excluded.empty(); }
};

// Parses `text` (valid UTF-8, control characters already removed). Never
// fails: unbalanced quotes close at the end, dangling operators are ignored.
ParsedQuery ParseQuery(const std::string& text);

// What a built query matches, for highlighting snippets.
struct Highlight {
  std::set<std::string> terms;        // "Z"+stem and unprefixed words
  std::vector<std::string> prefixes;  // folded prefixes of prefix* clauses
};

// Questions rarely have more content words than nine; a long pasted text
// would otherwise have the positions of every pair read (a 130-word query: 245 ms against 213 ms
// without proximity at 100 000 items, docs/performance.md).
inline constexpr size_t kMaxNearPairs = 8;

struct BuiltQuery {
  Xapian::Query strict;   // all groups required
  Xapian::Query relaxed;  // any group suffices (used when strict finds nothing)
  // The groups themselves: strict is their AND, relaxed their OR (each minus
  // the exclusions). A document's weight is the sum of its groups' weights.
  std::vector<Xapian::Query> groups;
  // Three or more words read as a question ("hoe pak ik vakantieparken
  // aan"): ranked by how many words match instead of requiring all. Chosen
  // by measurement: nDCG@10 0.828 -> 0.853 on tests/relevance (docs/search.md).
  bool prefer_relaxed = false;
  bool match_all = false;  // no positive clause: everything (minus exclusions)
  // Each plain word typed after another (stop words between skipped): the
  // Ranker ranks the top of a page higher where the two, in any written
  // form (WrittenForms), stand near each other (ranker.h, proximity). At
  // most kMaxNearPairs, the first ones.
  std::vector<std::array<std::string, 2>> near;
  // A word of the query has close words (ParsedQuery::close_words): set
  // whether or not they were added.
  bool has_close_words = false;
  // The close words added (ParsedQuery::close_words), each as the written
  // form most items hold: what the caller is told was searched too.
  std::vector<std::string> close_words;
  Highlight highlight;
};

// What the query builder asks of the index it builds for.
class TermSource {
 public:
  virtual ~TermSource() = default;
  // Whether `word` occurs in the index (query compounds may split into such words).
  virtual bool Exists(const std::string& word) = 0;
  // Up to `limit` indexed words starting with `prefix`, most frequent first.
  virtual std::vector<std::string> Expand(const std::string& prefix, size_t limit) = 0;
  // How many items hold `term` (readable ones, for a searcher that knows
  // the caller). By default one when it exists.
  virtual uint64_t Frequency(const std::string& term) { return Exists(term) ? 1 : 0; }
  // The query for the exact phrase `words` (two or more). By default
  // OP_PHRASE; a searcher that knows the phrase's matches may rank with an
  // equivalent query that skips the position checks.
  virtual Xapian::Query Phrase(const std::vector<std::string>& words);
};

// Builds the Xapian queries for `parsed`; prefix* clauses become the
// synonyms of their expansion in `terms`. With the default
// TermSource::Phrase the queries use only terms, AND, OR, AND_NOT, SYNONYM,
// SCALE_WEIGHT and exact phrases, so MatchSets can count them. `analyzer` must belong to the
// calling thread.
BuiltQuery BuildQuery(const ParsedQuery& parsed, Analyzer* analyzer,
                      const content::Glossary& glossary, TermSource* terms);

// The stem terms the index holds of the other forms of `word`: the verb
// behind a participle, the -atie noun of a verb (or of that verb) and the
// base of a diminutive. The search reads them as the word itself; spelling
// correction counts a word found through them as seen.
std::vector<std::string> OtherFormTerms(const std::string& word, Analyzer* analyzer,
                                        TermSource* terms);

// `word` and its other written forms with the same stem that `terms`
// holds ("invoegen": invoegt, invoeg): the index keeps positions for words
// as written, so proximity looks for each of them.
std::vector<std::string> WrittenForms(const std::string& word, Analyzer* analyzer,
                                      TermSource* terms);

// The words of `parsed` in order, for spelling correction.
std::vector<std::string> QueryWords(const ParsedQuery& parsed);

}  // namespace kpo::search

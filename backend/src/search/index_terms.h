// The query builder's view of one Xapian database (query.h's TermSource):
// which words exist, what a prefix expands to, and, once the matches are
// counted, phrases that rank without position checks. Owns: nothing but
// memos for one query. Thread-safety: one per thread and query.
//
// Access: with the caller's readable documents, a word exists only when a
// readable item holds it, and a prefix expands only to such words. Why:
// query rules that act on a word's absence (query.cc's thesaurus) or pick
// the most frequent expansions would otherwise behave differently when a
// word occurs only in items the caller may not read, and so tell the caller
// that it occurs there.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <xapian.h>

#include "search/match_sets.h"
#include "search/query.h"

namespace kpo::search {

class IndexTerms : public TermSource {
 public:
  // `readable` (nullptr: every document) must outlive this object.
  IndexTerms(const Xapian::Database& db, MatchSets* sets, const DocSet* readable = nullptr)
      : db_(db), sets_(sets), readable_(readable) {}
  bool Exists(const std::string& word) override;
  std::vector<std::string> Expand(const std::string& prefix, size_t limit) override;
  uint64_t Frequency(const std::string& term) override;
  // From now on phrases rank as `AND(words) FILTER their counted set`: same
  // matches, same weights, no position checks (MatchSets did those once).
  // The queries built are for weighing only: MatchSets cannot count them.
  void RankPhrasesBySet() { rank_by_set_ = true; }
  Xapian::Query Phrase(const std::vector<std::string>& words) override;

 private:
  const Xapian::Database& db_;
  MatchSets* sets_;
  const DocSet* readable_;
  bool rank_by_set_ = false;
  std::map<std::string, std::vector<std::string>> expanded_;
};

}  // namespace kpo::search

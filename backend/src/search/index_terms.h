// The query builder's view of one Xapian database (query.h's TermSource):
// which words exist, what a prefix expands to, and, once the matches are
// counted, phrases that rank without position checks. Owns: nothing but
// memos for one query. Thread-safety: one per thread and query.
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
  IndexTerms(const Xapian::Database& db, MatchSets* sets) : db_(db), sets_(sets) {}
  bool Exists(const std::string& word) override { return db_.term_exists(word); }
  std::vector<std::string> Expand(const std::string& prefix, size_t limit) override;
  // From now on phrases rank as `AND(words) FILTER their counted set`: same
  // matches, same weights, no position checks (MatchSets did those once).
  // The queries built are for weighing only: MatchSets cannot count them.
  void RankPhrasesBySet() { rank_by_set_ = true; }
  Xapian::Query Phrase(const std::vector<std::string>& words) override;

 private:
  const Xapian::Database& db_;
  MatchSets* sets_;
  bool rank_by_set_ = false;
  std::map<std::string, std::vector<std::string>> expanded_;
};

}  // namespace kpo::search

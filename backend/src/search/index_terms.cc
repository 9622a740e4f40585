// Implements index_terms.h.
#include "search/index_terms.h"

#include <algorithm>

namespace kpo::search {

bool IndexTerms::Exists(const std::string& word) {
  if (!db_.term_exists(word)) return false;
  // The term's set is kept per revision; the counting needs it anyway
  // whenever the word ends up in the query.
  return readable_ == nullptr || sets_->Term(db_, word)->Intersects(*readable_);
}

uint64_t IndexTerms::Frequency(const std::string& term) {
  if (!db_.term_exists(term)) return 0;
  const auto set = sets_->Term(db_, term);
  return readable_ == nullptr ? set->Count() : set->CountAnd(*readable_);
}

std::vector<std::string> IndexTerms::Expand(const std::string& prefix, size_t limit) {
  auto memo = expanded_.find(prefix);
  if (memo != expanded_.end()) return memo->second;
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
    found.emplace_back(t.get_termfreq(), *t);
  }
  // Most frequent first (index-wide frequency, like BM25's statistics),
  // keeping only words readable items hold.
  std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  std::vector<std::string> out;
  for (auto& entry : found) {
    if (out.size() >= limit) break;
    if (readable_ != nullptr && !sets_->Term(db_, entry.second)->Intersects(*readable_)) continue;
    out.push_back(std::move(entry.second));
  }
  expanded_.emplace(prefix, out);
  return out;
}

Xapian::Query IndexTerms::Phrase(const std::vector<std::string>& words) {
  if (!rank_by_set_) return TermSource::Phrase(words);
  return Xapian::Query(Xapian::Query::OP_FILTER,
                       Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()),
                       Xapian::Query((new DocSetSource(sets_->Phrase(db_, words)))->release()));
}

}  // namespace kpo::search

// Implements index_terms.h.
#include "search/index_terms.h"

#include <algorithm>

namespace kpo::search {

std::vector<std::string> IndexTerms::Expand(const std::string& prefix, size_t limit) {
  auto memo = expanded_.find(prefix);
  if (memo != expanded_.end()) return memo->second;
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
    found.emplace_back(t.get_termfreq(), *t);
  }
  const size_t n = std::min(limit, found.size());
  std::partial_sort(found.begin(), found.begin() + static_cast<long>(n), found.end(),
                    [](const auto& x, const auto& y) {
                      return x.first != y.first ? x.first > y.first : x.second < y.second;
                    });
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(std::move(found[i].second));
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

// Implements title_match.h.
#include "search/title_match.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <vector>

#include "search/schema.h"

namespace kpo::search {

namespace {

// The union of the stem's title-stem posting lists, one per title size; an
// item is in at most one of them.
class TitleMatchSource : public Xapian::PostingSource {
 public:
  explicit TitleMatchSource(std::string stem) : stem_(std::move(stem)) {}

  Xapian::PostingSource* clone() const override { return new TitleMatchSource(stem_); }

  void init(const Xapian::Database& db) override {
    lists_.clear();
    termfreq_ = 0;
    for (size_t k = 0; k < std::size(schema::kTitleSizes); ++k) {
      const std::string term = schema::TitleStemTerm(stem_, k + 1);
      termfreq_ += db.get_termfreq(term);
      lists_.push_back({db.postlist_begin(term), db.postlist_end(term),
                        1 / std::sqrt(static_cast<double>(k + 1))});
    }
    // The idf of the word itself (its stem anywhere, not only in titles): a
    // frequent word covering a title says less than a rare one.
    const double n = std::max<double>(1, db.get_doccount());
    const double df = db.get_termfreq(schema::Term(schema::kStem, stem_));
    idf_ = std::max(std::log((n - df + 0.5) / (df + 0.5)), 0.1);
    started_ = false;
    current_ = 0;
    set_maxweight(schema::kTitleMatchScale * idf_);
  }

  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return termfreq_; }
  Xapian::doccount get_termfreq_max() const override { return termfreq_; }

  void next(double /*min_wt*/) override {
    if (started_) {
      for (auto& l : lists_) {
        if (l.it != l.end && *l.it == current_) ++l.it;
      }
    }
    started_ = true;
    Settle();
  }

  void skip_to(Xapian::docid did, double /*min_wt*/) override {
    started_ = true;
    for (auto& l : lists_) {
      if (l.it != l.end && *l.it < did) l.it.skip_to(did);
    }
    Settle();
  }

  bool at_end() const override { return started_ && current_ == 0; }
  Xapian::docid get_docid() const override { return current_; }

  double get_weight() const override {
    for (const auto& l : lists_) {
      if (l.it != l.end && *l.it == current_) return schema::kTitleMatchScale * idf_ * l.share;
    }
    return 0;
  }

  // Part of the query's description, which keys cached group weights
  // (ranker.h): it names everything the weight depends on.
  std::string get_description() const override { return "TitleMatch(" + stem_ + ")"; }

 private:
  struct List {
    Xapian::PostingIterator it, end;
    double share;  // of the title the stem covers: 1 / sqrt(its stems)
  };

  void Settle() {
    current_ = 0;
    for (const auto& l : lists_) {
      if (l.it != l.end && (current_ == 0 || *l.it < current_)) current_ = *l.it;
    }
  }

  std::string stem_;
  std::vector<List> lists_;
  double idf_ = 0;
  Xapian::doccount termfreq_ = 0;
  bool started_ = false;
  Xapian::docid current_ = 0;
};

}  // namespace

Xapian::Query TitleMatch(const std::string& stem) {
  return Xapian::Query((new TitleMatchSource(stem))->release());
}

}  // namespace kpo::search

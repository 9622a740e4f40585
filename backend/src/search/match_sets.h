// Exact match sets, kept per index revision and shared by every thread that
// searches one index. Owns: turning the boolean shape of a Xapian::Query into
// the set of documents it matches, from posting and position lists; the sets
// of facet values and the dates of one revision; a bounded cache of term and
// phrase sets, of the weights Xapian gives the matches of query groups, and of the
// revision's spelling suggestions (a lookup in Xapian's spelling data costs
// milliseconds per word). May not touch: ranking decisions (Xapian's matcher
// makes them; the weights kept here are Xapian's own numbers) or access
// decisions (the caller's access filter arrives as a query like any other).
//
// Why: exact totals and facet counts need every match of a query. Xapian's
// matcher finds them at 60-400 ns per match (weights, phrase checks); posting
// lists decode at ~17 ns per entry, and a term's set, once built, is reused by
// every later query of the same revision (docs/performance.md).
//
// Thread-safety: all methods may be called from any thread at once. Each call
// reads through the caller's own Xapian::Database, which must be open on the
// index this object was made for.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "common/lru_cache.h"
#include "search/doc_set.h"
#include "search/schema.h"

namespace kpo::search {

class HelperThread;

// The weighting every ranked match uses: BM25 with schema.h's parameters
// (the group weights kept here, and the tests' exhaustive Xapian oracle).
Xapian::BM25Weight RankingWeight();

// Which database and revision a cached value belongs to. A rebuilt index
// (DB_CREATE_OR_OVERWRITE) starts again at revision 1 under a new UUID, so
// the revision alone could match an old database's cache.
struct IndexVersion {
  std::string uuid;
  Xapian::rev revision = 0;
  static IndexVersion Of(const Xapian::Database& db) { return {db.get_uuid(), db.get_revision()}; }
  bool operator==(const IndexVersion& o) const { return uuid == o.uuid && revision == o.revision; }
  // Whether values of this version replace values of `o`: another database
  // (rebuilt) or a later revision of the same one.
  bool Supersedes(const IndexVersion& o) const { return uuid != o.uuid || revision > o.revision; }
};

// What one index revision holds besides its terms: built once per revision.
struct RevisionSets {
  IndexVersion version;
  Xapian::docid last = 0;
  DocSet all;  // every document
  struct Facet {
    std::vector<std::string> values;  // sorted
    std::vector<DocSet> sets;         // documents per value
  };
  std::array<Facet, std::size(schema::kFacets)> facets;  // in schema::kFacets order
  std::vector<uint32_t> date;                            // docid -> YYYYMMDD, 0 when undated
  std::vector<DocSet::DocId> by_date;                    // newest first, then docid ascending
  // Phrases every document carries a term for (schema::kPhrasesKey).
  std::set<std::string> phrase_terms;
  // Every document carries the pair terms of schema::IsPairWord (kPairsKey).
  bool pairs = false;

  // Documents dated within [from, to] (0 leaves a side open), as Xapian's
  // value ranges on the date slot select them.
  DocSet DateRange(uint32_t from, uint32_t to) const;
};

// A query's matches with their weights, in docid order.
struct Weights {
  std::vector<Xapian::docid> docids;  // ascending
  std::vector<double> weights;        // weights[i] belongs to docids[i]
  double max_weight = 0;
  size_t Bytes() const {
    return docids.size() * (sizeof(Xapian::docid) + sizeof(double)) + sizeof(*this);
  }
};

class MatchSets {
 public:
  // `cache_bytes` bounds the term and phrase sets kept (least recently used
  // go first); 256 MiB holds ~20 000 sets at 100 000 items. Spelling
  // suggestions get a sixteenth of it.
  // Weights get as much again (~12 bytes per match: ~250 broad groups at
  // 100 000 items).
  explicit MatchSets(size_t cache_bytes = size_t{256} << 20)
      : cache_bytes_(cache_bytes), cache_(cache_bytes), weights_(cache_bytes) {}

  // The sets of the revision `db` is at.
  std::shared_ptr<const RevisionSets> Revision(const Xapian::Database& db);

  // The documents `query` matches in `db`. nullopt when the query holds an
  // operator not evaluated here (value ranges, wildcards left unexpanded,
  // posting sources): the caller counts through Xapian instead.
  // Phrases must have a window equal to their number of words. `helper`
  // (optional) checks the positions of large phrases' upper docid half.
  std::optional<DocSet> Evaluate(const Xapian::Database& db, const Xapian::Query& query,
                                 HelperThread* helper = nullptr);

  // The documents holding `term`.
  std::shared_ptr<const DocSet> Term(const Xapian::Database& db, const std::string& term);

  // The documents holding the exact phrase `words` (two or more): the
  // posting list of its phrase term when the index keeps one (a glossary
  // phrase, IndexWriter::IndexPhrases, or two pair words, schema::IsPairWord),
  // else Xapian's position checks, only among the documents holding every
  // pair term of the phrase when it has any. With `helper`, a phrase with
  // at least phrase_split_from() candidate documents is checked in two
  // docid halves at once, the upper one on the helper.
  std::shared_ptr<const DocSet> Phrase(const Xapian::Database& db,
                                       const std::vector<std::string>& words,
                                       HelperThread* helper = nullptr);
  // Default 2048 candidates, ~2 ms of checks at ~1 us each at 100 000
  // items; a hand-over to the helper costs tens of microseconds (tests set 0
  // to split every phrase).
  void set_phrase_split_from(uint64_t candidates) { phrase_split_from_ = candidates; }

  // Every document of [first, last] that `query` matches, with the weight
  // Xapian's matcher gives it there; kept under `key`, which must name the
  // query uniquely (its counting form's description: a ranking form holds
  // posting sources that describe alike). Why: ranking a broad query makes
  // Xapian merge and weigh tens of thousands of postings per search (3-13 ms
  // at 100 000 items); walking kept weights costs a third of that, and a
  // group's weights are the same in every query it is part of
  // (match_sets_test checks pages against Xapian's own).
  std::shared_ptr<const Weights> Weigh(const Xapian::Database& db, const std::string& key,
                                       const Xapian::Query& query, Xapian::docid first,
                                       Xapian::docid last);

  // Whether Weigh(db, key, …, first, last) would answer from kept weights,
  // weighing nothing. Why: a search on a request's path ranks a group from
  // weights only when they are kept; weighing every match of a group (a
  // match spy call and a kept entry each) costs more than ranking the page
  // from it directly, and on a request's path that cost is the tail of
  // distinct queries (docs/performance.md, "Thirteenth part"). WarmUp
  // weighs the groups of recent searches in the background after each
  // publication (Ranker::set_weighs). Both give the same weights.
  bool HasWeights(const Xapian::Database& db, const std::string& key, Xapian::docid first,
                  Xapian::docid last);

  // The correction for `word` decided earlier in this revision
  // for a caller with exactly `access_keys` ("" = none found); nullopt when
  // not looked up yet.
  std::optional<std::string> Suggestion(const Xapian::Database& db,
                                        const std::vector<std::string>& access_keys,
                                        const std::string& word);
  void PutSuggestion(const Xapian::Database& db, const std::vector<std::string>& access_keys,
                     const std::string& word, const std::string& suggestion);

  // What was computed (not found cached) since construction: for tests and
  // benchmarks that must know whether a search found its sets ready.
  struct Stats {
    uint64_t revisions = 0;     // RevisionSets built
    uint64_t terms = 0;         // posting lists decoded
    uint64_t phrases = 0;       // phrases checked by positions
    uint64_t weighings = 0;     // Weigh computations
    uint64_t from_weights = 0;  // Weigh calls answered from kept weights
    // Of `phrases`, those checked among the documents of their pair terms
    // only, and those checked in two halves at once.
    uint64_t checked = 0;
    uint64_t halved = 0;
  };
  Stats stats() const;

  // Bytes the caches hold now, as their bounds count them, and the bounds
  // (helper prod, issue 13: GET /metrics and the soak read them).
  struct Usage {
    size_t sets = 0, weights = 0, suggestions = 0;
    size_t sets_bound = 0, weights_bound = 0, suggestions_bound = 0;
  };
  Usage usage() const;

  // Drops the cached term and phrase sets, weights and suggestions (the revision's
  // facet and date sets stay). Benchmarks use it to measure searches for
  // words not searched before.
  void ClearTerms();

 private:
  std::shared_ptr<const DocSet> Node(const Xapian::Database& db, const Xapian::Query& q,
                                     Xapian::docid last, HelperThread* helper, bool* supported);
  std::shared_ptr<const DocSet> Lookup(const IndexVersion& version, const std::string& key);
  void Insert(const IndexVersion& version, const std::string& key,
              std::shared_ptr<const DocSet> set);
  // Makes `version` the cached one if it supersedes it (dropping older
  // sets and weights); whether values of `version` may be kept. Holds mu_.
  bool Adopt(const IndexVersion& version);

  const size_t cache_bytes_;
  uint64_t phrase_split_from_ = 2048;
  mutable std::mutex mu_;
  Stats stats_;                                               // GUARDED_BY(mu_)
  std::shared_ptr<const RevisionSets> revision_;              // GUARDED_BY(mu_)
  IndexVersion cached_version_;                               // GUARDED_BY(mu_)
  LruCache<std::shared_ptr<const DocSet>> cache_;             // GUARDED_BY(mu_), cost = bytes
  LruCache<std::shared_ptr<const Weights>> weights_;          // GUARDED_BY(mu_), same version
  IndexVersion suggestions_version_;                          // GUARDED_BY(mu_)
  std::unordered_map<std::string, std::string> suggestions_;  // GUARDED_BY(mu_)
  size_t suggestion_bytes_ = 0;                               // GUARDED_BY(mu_)
};

// A counted set as a Xapian filter: lets the matcher rank `AND(words)
// FILTER phrase set` instead of re-checking the positions of a phrase whose
// matches MatchSets already knows. Weights are unchanged: a phrase weighs
// what the AND of its words weighs, and a filter adds nothing.
class DocSetSource : public Xapian::PostingSource {
 public:
  // Members of `set` within [first, last] only (a ranker's docid range).
  explicit DocSetSource(std::shared_ptr<const DocSet> set, Xapian::docid first = 1,
                        Xapian::docid last = DocSet::kEnd - 1);
  Xapian::doccount get_termfreq_min() const override { return ranged_ ? 0 : count_; }
  Xapian::doccount get_termfreq_est() const override { return count_; }
  Xapian::doccount get_termfreq_max() const override { return count_; }
  void init(const Xapian::Database& db) override;
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return current_ == DocSet::kEnd; }
  Xapian::docid get_docid() const override { return current_; }
  DocSetSource* clone() const override { return new DocSetSource(set_, first_, last_); }
  std::string name() const override { return "kpo.DocSetSource"; }

 private:
  void Seek(Xapian::docid from);

  std::shared_ptr<const DocSet> set_;
  Xapian::docid first_, last_;
  bool ranged_;
  Xapian::doccount count_;
  Xapian::docid current_ = 0;
};

// Weights as a Xapian posting source: ranks a query group with the
// weights it has, without merging and weighing its posting lists again.
class WeightsSource : public Xapian::PostingSource {
 public:
  // `parts`: weights of disjoint docid ranges, in ascending order.
  explicit WeightsSource(std::vector<std::shared_ptr<const Weights>> parts);
  Xapian::doccount get_termfreq_min() const override { return count_; }
  Xapian::doccount get_termfreq_est() const override { return count_; }
  Xapian::doccount get_termfreq_max() const override { return count_; }
  void init(const Xapian::Database& db) override;
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return part_ >= parts_.size(); }
  Xapian::docid get_docid() const override { return parts_[part_]->docids[pos_]; }
  double get_weight() const override { return parts_[part_]->weights[pos_]; }
  WeightsSource* clone() const override { return new WeightsSource(parts_); }
  std::string name() const override { return "kpo.WeightsSource"; }

 private:
  // Moves past exhausted parts.
  void Settle();

  std::vector<std::shared_ptr<const Weights>> parts_;
  Xapian::doccount count_ = 0;
  size_t part_ = 0;
  size_t pos_ = 0;
  bool started_ = false;
};

}  // namespace kpo::search

// Ranking: the page of a search, best first. Owns: running Xapian's matcher
// for the page only (the counting is MatchSets'), over each query group as
// it is or, when WarmUp weighed it in this revision, over its kept weights
// (MatchSets::Weigh, Xapian's own numbers), split over two docid ranges
// ranked at once, one on the Searcher's HelperThread, and merging both into
// the page one matcher would have produced: both halves read the same
// revision, so weights are the same numbers. Then it reranks the top block
// by proximity (below).
// Why: ranking tens of thousands of matches costs Xapian 3-20 ms at 100 000
// items; kept weights cost less, and two cores halve it
// (docs/performance.md).
// May not touch: counting, access decisions (the caller's filter set holds
// them).
// Thread-safety: one Ranker per thread, like the Searcher that owns it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "content/glossary.h"
#include "search/analyzer.h"
#include "search/helper_thread.h"
#include "search/match_sets.h"
#include "search/query.h"

namespace kpo::search {

// Proximity: among the first kProximityBlock of a ranking, each pair of
// words typed one after the other (BuiltQuery::near) that an item has
// within kProximityWindow positions (one word between: "presentatie op
// ...") adds kProximityWeight, as each matched group adds the coordination
// weight (query.cc): "werk blad invoegen" lifts "Blad invoegen",
// "lege alinea's verwijderen" the option of that name. Only the top is
// reranked, as a rescoring window: the same check as OP_NEAR inside the
// groups cost 30 ms p50 at 100 000 items, since every match of a group is
// weighed (docs/performance.md); every page stays a slice of one order.
// Chosen on the ten real-text sets (docs/search.md): weight 6 gained on
// eight (mean +0.006); 1, 3, 10 and 15 less; window 2 less; blocks of 30,
// 50 and 100 ranked the same there.
inline constexpr size_t kProximityBlock = 30;
inline constexpr Xapian::termpos kProximityWindow = 3;
inline constexpr double kProximityWeight = 6;

struct RankRequest {
  const ParsedQuery* parsed = nullptr;
  const content::Glossary* glossary = nullptr;
  // The descriptions of BuildQuery's groups for `parsed` as counted: they
  // name each group's weights.
  std::vector<std::string> group_keys;
  // Per group: rank from its kept weights (Ranker::ChooseWeighed sets it).
  std::vector<bool> weigh;
  bool relaxed = false;                // rank the relaxed (any group) query
  std::shared_ptr<const DocSet> only;  // the counted matches (access, dates, facets applied)
  // The caller's readable documents: the query is built over them, as it
  // was for the counting (search/index_terms.h).
  std::shared_ptr<const DocSet> readable;
  bool by_date = false;  // newest first, then relevance
  uint64_t offset = 0;
  size_t size = 10;
};

class Ranker {
 public:
  // `helper` ranks the upper half; it must outlive the Ranker.
  Ranker(std::shared_ptr<MatchSets> sets, HelperThread* helper)
      : sets_(std::move(sets)), helper_(helper) {}
  Ranker(const Ranker&) = delete;
  Ranker& operator=(const Ranker&) = delete;

  // Sets `request->weigh` from its group_keys: the groups with kept weights
  // (MatchSets::HasWeights), or, with set_weighs(true), every group. Once
  // per search, before its first Page (one search may rank twice: full
  // matches, then partial ones).
  void ChooseWeighed(const Xapian::Database& db, RankRequest* request);

  // The docids of the page, ranked on `db` (the caller's handle) and
  // `analyzer` (the caller's). `matches` is how many documents the query
  // matches; small sets are ranked on one thread. Throws Xapian::Error.
  std::vector<Xapian::docid> Page(const Xapian::Database& db, Analyzer* analyzer,
                                  const RankRequest& request, uint64_t matches);
  // Queries matching fewer than this rank on one thread (default 4096; tests
  // set 0 to split every query).
  void set_split_from(uint64_t matches) { split_from_ = matches; }
  // Whether this Ranker weighs the groups it ranks and keeps their weights
  // (WarmUp's, in the background) or ranks a group without kept weights as
  // it is (default: a request's Ranker). Why: weighing a group costs a
  // request more than it saves that request; it pays back only for the
  // searches after it (docs/performance.md, "Thirteenth part").
  void set_weighs(bool weighs) { weighs_ = weighs; }

 private:
  std::shared_ptr<MatchSets> sets_;
  HelperThread* helper_;
  uint64_t split_from_ = 4096;  // below it one thread beats two plus a hand-over
  bool weighs_ = false;
};

}  // namespace kpo::search

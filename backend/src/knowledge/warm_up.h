// Warming a new index revision. Owns: the searches asked recently (distinct
// query texts with the access keys of who asked, bounded) and one
// background thread that, when the index generation moves, runs them again
// on the new revision, so that term, phrase and access sets, group weights
// and the callers' spelling suggestions (search/match_sets.h) are ready
// before people ask again. May not touch: answers to callers (it discards
// its results, and never fills the page cache) or access decisions (each
// search runs with the keys of the caller who asked it).
//
// Why: every publication commits a new index revision, and the caches of
// the old one no longer apply. The first search of each word in a new
// revision costs 10-40 ms at 100 000 items instead of 2-5 ms
// (docs/performance.md); warming moves that cost off the people searching.
// The thread runs at the lowest CPU priority, so live searches go first.
// Group weights are made only here: a request ranks a group from its weights
// when they are kept and never weighs one itself (search/ranker.h).
//
// Thread-safety: all methods may be called from any thread at once.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "content/glossary.h"
#include "search/analyzer.h"
#include "search/match_sets.h"

namespace kpo::knowledge {

class WarmUp {
 public:
  // `index_dir`: the directory Searcher::Open takes. Searches share `sets`.
  // `capacity`: distinct searches remembered (0: warming off).
  WarmUp(std::string index_dir, std::shared_ptr<const search::Lexicon> lexicon,
         search::StemmerKind stemmer, std::shared_ptr<search::MatchSets> sets, size_t capacity);
  ~WarmUp();
  WarmUp(const WarmUp&) = delete;
  WarmUp& operator=(const WarmUp&) = delete;

  // A query someone asked (the text as searched) with the caller's access
  // keys; the most recent distinct pairs are kept.
  void Remember(const std::string& q, const std::vector<std::string>& access_keys);

  // The index moved to `generation`: search the remembered queries again
  // with `glossary`, in the background. A later call replaces an earlier one
  // that has not finished.
  void Start(const std::string& generation, std::shared_ptr<const content::Glossary> glossary);

  // Blocks until no warming is pending or running (tests, benchmarks).
  void Wait();

  // Searches run again since construction.
  size_t warmed() const;

 private:
  void Run();

  const std::string index_dir_;
  const std::shared_ptr<const search::Lexicon> lexicon_;
  const search::StemmerKind stemmer_;
  const std::shared_ptr<search::MatchSets> sets_;
  const size_t capacity_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  using Asked = std::pair<std::string, std::vector<std::string>>;  // query, sorted keys
  std::deque<Asked> recent_;                           // GUARDED_BY(mu_), most recent first
  std::string generation_;                             // GUARDED_BY(mu_), the one to warm
  std::shared_ptr<const content::Glossary> glossary_;  // GUARDED_BY(mu_)
  bool pending_ = false;                               // GUARDED_BY(mu_)
  bool running_ = false;                               // GUARDED_BY(mu_)
  bool stop_ = false;                                  // GUARDED_BY(mu_)
  size_t warmed_ = 0;                                  // GUARDED_BY(mu_)
  std::thread thread_;                                 // started on the first Start
};

}  // namespace kpo::knowledge

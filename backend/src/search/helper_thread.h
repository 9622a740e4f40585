// A second thread for one Searcher: its own Xapian handle on the same index
// and its own Analyzer, running one job at a time while the caller works on
// its own part. Owns: the thread and its handle. May not touch: what the
// jobs compute (ranking halves, phrase checks of one docid range).
// Why: the two costly steps of a search nobody asked before in this index
// revision, weighing (ranker.h) and phrase position checks (match_sets.h),
// split by docid range; two cores halve them (docs/performance.md).
// Thread-safety: one HelperThread per Searcher, used from that Searcher's
// thread only.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <xapian.h>

#include "search/analyzer.h"
#include "search/match_sets.h"

namespace kpo::search {

class HelperThread {
 public:
  // `main_dir`: the main Xapian database, which the thread opens itself
  // when first given a job.
  HelperThread(std::string main_dir, std::shared_ptr<const Lexicon> lexicon, StemmerKind stemmer);
  ~HelperThread();
  HelperThread(const HelperThread&) = delete;
  HelperThread& operator=(const HelperThread&) = delete;

  using Job = std::function<void(const Xapian::Database&, Analyzer*)>;
  // Runs `job` on the thread's handle, reopened at `version`, while `own`
  // runs on the calling thread, and waits for both. Returns whether `job`
  // ran to its end: false when the handle could not be brought to `version`
  // (a commit in between: results of two revisions never mix) or `job`
  // threw; the caller then does that part itself. What `own` throws is
  // rethrown once `job` has ended (it may refer to the caller's frame).
  bool RunBeside(const IndexVersion& version, const Job& job, const std::function<void()>& own);

 private:
  void Start();

  std::string main_dir_;
  std::shared_ptr<const Lexicon> lexicon_;
  StemmerKind stemmer_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::function<void(Xapian::Database&, Analyzer*)> job_;  // GUARDED_BY(mu_)
  bool busy_ = false;                                      // GUARDED_BY(mu_)
  bool stop_ = false;                                      // GUARDED_BY(mu_)
};

}  // namespace kpo::search

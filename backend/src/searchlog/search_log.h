// The search log (issue 10): which searches found nothing, so the redactie
// sees what professionals look for and cannot find. Owns: the file
// <data>/searchlog.sqlite and its one table, search_days(day, query,
// searches, zero): per UTC day and normalised query, how often it was
// searched and how often it found nothing. Nothing else is kept — no user,
// session, address, token or time finer than a day — and days older than the
// retention window (30) are deleted at every flush. Queries stored before
// Normalise refused them (an older, laxer rule) are deleted at every Open.
// Why a file of its own: it holds no identity, so it can be kept, copied and
// inspected apart from accounts.sqlite (personal data) and kpo.sqlite (the
// content store the importer and the index writer rewrite), and logging a
// search never waits for either's write lock.
// May not touch: search itself, HTTP, accounts.
// Thread-safety: every method may be called from any thread at once.
// Record only updates counts in memory (a map insert under a mutex); a
// background thread writes them every Options::flush_interval and at
// destruction, so a search never waits for the disk.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "kpo/access/principal.h"
#include "kpo/status.h"

namespace kpo::store {
class Db;
}

namespace kpo::searchlog {

struct Options {
  std::string path;  // the SQLite file; required
  // Days kept, today included. Default: 30.
  int retention_days = 30;
  // How often buffered counts are written. Default: 5 s.
  std::chrono::milliseconds flush_interval{5000};
  // Distinct (day, query) pairs buffered between flushes; further new
  // queries are dropped until the next flush, so a flood of random queries
  // cannot grow memory. Default: 10000.
  size_t max_pending = 10000;
  // Today's UTC date as YYYY-MM-DD. Default: empty, meaning the system clock.
  std::function<std::string()> today;
};

// One line of the zero-result list.
struct ZeroResult {
  std::string query;     // normalised
  int64_t count = 0;     // searches that found nothing within the window
  std::string last_day;  // YYYY-MM-DD of the latest of them
};

class SearchLog {
 public:
  // Opens or creates the file, deletes stored queries that Normalise now
  // refuses, and starts the flush thread.
  // Errors: kStorageError, kNoSpaceLeft.
  static StatusOr<std::unique_ptr<SearchLog>> Open(Options options);
  // Writes what is buffered, then stops the flush thread.
  ~SearchLog();
  SearchLog(const SearchLog&) = delete;
  SearchLog& operator=(const SearchLog&) = delete;

  // What a query is logged as: folded (lowercase, no diacritics), spaces
  // collapsed, at most 100 bytes; "" (not logged) for an empty query and for
  // one that may identify a person by itself: an e-mail address (an '@',
  // its look-alikes and escapes, "(at)", " at " before a domain, ...), six
  // or more digits in the whole query whatever separates them (phone, BSN,
  // case numbers; every Unicode digit counts), or an IBAN (two letters, two
  // digits, 10 to 30 letters and digits, unbroken or in groups of four).
  // The list: docs/editorial.md, "Search log".
  static std::string Normalise(std::string_view query);
  // Counts one search of `query` (raw; normalised here) that found
  // `found_nothing`. Never fails: a query that normalises to "" is skipped.
  void Record(std::string_view query, bool found_nothing);
  // Writes the buffered counts and deletes days outside the window.
  // Errors: kStorageError, kNoSpaceLeft (the counts stay buffered).
  Status Flush();
  // The queries that found nothing within the window (buffered counts
  // included), most frequent first, at most `limit`. Errors: kStorageError.
  StatusOr<std::vector<ZeroResult>> ZeroResults(size_t limit = 50);
  // ZeroResults for the redactie dashboard: only the redactie and admins
  // read it. Errors: kForbidden (naming the roles), kStorageError.
  StatusOr<std::vector<ZeroResult>> ZeroResultsFor(const Principal& who, size_t limit = 50);

 private:
  struct Counts {
    int64_t searches = 0;
    int64_t zero = 0;
  };
  SearchLog(Options options, std::unique_ptr<store::Db> db);
  std::string Today() const;
  // The first day inside the window.
  std::string FirstDay() const;
  void FlushLoop();

  const Options options_;
  std::mutex pending_mu_;
  std::map<std::pair<std::string, std::string>, Counts> pending_;  // GUARDED_BY(pending_mu_)
  std::mutex db_mu_;
  std::unique_ptr<store::Db> db_;  // GUARDED_BY(db_mu_)
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;  // GUARDED_BY(stop_mu_)
  std::thread flusher_;
};

}  // namespace kpo::searchlog

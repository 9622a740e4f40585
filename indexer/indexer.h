// Brings the store and the index in line with a content directory.
// Owns: walking content files, incremental change detection, duplicate ids,
// removals and replaying index jobs. A bad file is reported and skipped;
// what was stored for it stays. May not touch: HTTP.
// Writes SQLite and its index jobs; applies the jobs to the index only when
// it can take the writer lock (knowledge/index_applier.h), that is when no
// kpo-server and no other kpo-index writes: otherwise the writer applies them.
// Thread-safety: runs may overlap; SQLite serialises their writes and the
// writer lock lets one of them write the index.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kpo/status.h"
#include "search/analyzer.h"

namespace kpo::indexer {

struct Options {
  std::string content_dir;
  std::string data_dir;
  // Dutch word list for compound splitting. Default: /usr/share/dict/dutch.
  std::string lexicon_path = "/usr/share/dict/dutch";
  search::StemmerKind stemmer = search::StemmerKind::kKpo;
  // Rebuild the index from SQLite (kpo-index --rebuild). Default: false.
  bool rebuild = false;
  // Called after each file with (done, total, relative path). Default: none.
  std::function<void(size_t, size_t, const std::string&)> progress;
};

struct Summary {
  size_t files = 0;
  size_t added = 0;
  size_t changed = 0;
  size_t unchanged = 0;
  size_t removed = 0;
  size_t indexed = 0;   // items re-indexed here
  std::string rebuilt;  // why the index was rebuilt; "" when it was not
  // A server holds the writer lock: it applies these jobs (and the rebuild,
  // when asked) itself.
  int64_t left_to_server = 0;
  bool rebuild_left_to_server = false;
  std::vector<std::string> errors;  // "path:line: reason"
  // "path: reason" for files not imported because their item was edited
  // over the API since (the newer revision wins). Not errors.
  std::vector<std::string> skipped;
  double seconds = 0;
};

// Runs one sync. Returns a Summary even when files had errors (see
// Summary::errors). Errors: kInvalidContent (vocabulary unreadable: nothing
// is changed), kStorageError, kIndexError, kNoSpaceLeft.
StatusOr<Summary> Run(const Options& options);

}  // namespace kpo::indexer

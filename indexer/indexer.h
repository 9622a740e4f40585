// Brings the store and the index in line with a content directory.
// Owns: walking content files, incremental change detection, duplicate ids,
// removals and replaying index jobs. A bad file is reported and skipped;
// what was stored for it stays. May not touch: HTTP.
// Thread-safety: one run per data directory at a time (the Xapian writer
// lock refuses a second one with kIndexError).
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
  // Called after each file with (done, total, relative path). Default: none.
  std::function<void(size_t, size_t, const std::string&)> progress;
};

struct Summary {
  size_t files = 0;
  size_t added = 0;
  size_t changed = 0;
  size_t unchanged = 0;
  size_t removed = 0;
  size_t indexed = 0;               // index jobs applied
  std::vector<std::string> errors;  // "path:line: reason"
  double seconds = 0;
};

// Runs one sync. Returns a Summary even when files had errors (see
// Summary::errors). Errors: kInvalidContent (vocabulary unreadable: nothing
// is changed), kStorageError, kIndexError, kNoSpaceLeft.
StatusOr<Summary> Run(const Options& options);

}  // namespace kpo::indexer

// Reads one content file: YAML front matter between `---` lines, then the
// Markdown body. Owns: the file format and its line-numbered errors.
// May not touch: storage, the index, the file system (bytes come in).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "content/vocabulary.h"
#include "kpo/content/item.h"

namespace kpo::content {

struct LineError {
  int line = 1;         // 1-based line in the file
  std::string message;  // Dutch, e.g. "onbekend thema 'x' (niet in vocabulary.yaml)"
};

struct ParsedFile {
  std::optional<Item> item;       // set when there are no errors
  std::vector<LineError> errors;  // every problem found, in line order
};

// Parses `bytes`, the content of the file at `relative_path` (used for the
// default id: the file name without ".md"). Fills every Item field except
// body_text, revision and content_hash. Never throws. Thread-safe.
ParsedFile ParseItemFile(const std::string& relative_path, const std::string& bytes,
                         const Vocabulary& vocabulary);

// A whole number written as digits ("24"); with `cents`, an amount in euros
// that may carry two decimals after a '.' ("12.50" -> 1250). False for
// anything else. Shared by course files (cost) and the portal's course form.
bool ParseAmount(const std::string& text, bool cents, long long* out);

}  // namespace kpo::content

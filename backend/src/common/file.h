// Reading whole files: the one helper for it. Owns nothing else.
#pragma once

#include <string>

#include "kpo/status.h"

namespace kpo {

// The bytes of the file at `path`. Errors: kInvalidContent ("<path>: bestand
// niet leesbaar") when it cannot be opened or read. Thread-safe.
StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace kpo

// The one validation routine for items, shared by content files and (later)
// the editorial API. Owns: what makes an item valid. May not touch: storage,
// files, HTTP.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "content/vocabulary.h"
#include "kpo/content/item.h"

namespace kpo::content {

// One problem with one field; messages are Dutch.
struct FieldError {
  std::string field;    // front matter key, e.g. "themes"
  std::string message;  // e.g. "onbekend thema 'x'"
};

// Checks every field of `item` against the rules and `vocabulary`. Empty
// result means valid. Thread-safe.
std::vector<FieldError> ValidateItem(const Item& item, const Vocabulary& vocabulary);

// [a-z0-9-]+, 1..100 characters, no leading or trailing '-'.
bool IsValidKey(std::string_view key);
// A real calendar date written as YYYY-MM-DD.
bool IsValidDate(std::string_view date);
// Offset of the first byte that is not valid UTF-8, or npos when valid.
size_t FirstInvalidUtf8(std::string_view text);

}  // namespace kpo::content

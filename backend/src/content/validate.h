// The one validation routine for items, shared by content files and (later)
// the editorial API. Owns: what makes an item valid. May not touch: storage,
// files, HTTP.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "content/vocabulary.h"
#include "kpo/content/item.h"

namespace kpo::content {

// One problem with one field; messages are Dutch.
struct FieldError {
  // Front matter key, e.g. "themes"; a session's field as
  // "sessions.<i>.<key>", e.g. "sessions.0.end".
  std::string field;
  // For file authors and the API: names front-matter keys, e.g. "sessie
  // 'voorjaar': end moet na start liggen".
  std::string message;
  // The same problem for a form, which names fields by their labels: each
  // "{key}" stands for the label of that front-matter key, e.g. "{end} moet
  // na {start} liggen". Empty: the form shows `message` (see FormMessage).
  std::string form_message;
};

// The sentence a form shows for `error`: its form_message with each {key}
// replaced by label(key) and a capital first letter; without one, "label:
// message" (as the editorial forms show it). Thread-safe.
std::string FormMessage(const FieldError& error,
                        const std::function<std::string(const std::string&)>& label);

// Checks every field of `item` against the rules and `vocabulary`. Empty
// result means valid. Thread-safe.
std::vector<FieldError> ValidateItem(const Item& item, const Vocabulary& vocabulary);

// [a-z0-9-]+, 1..100 characters, no leading or trailing '-'.
bool IsValidKey(std::string_view key);
// A real calendar date written as YYYY-MM-DD.
bool IsValidDate(std::string_view date);
// The places of one session: 1 to kMaxCapacity (files, API and portal).
inline constexpr long long kMaxCapacity = 10000;
inline bool IsValidCapacity(long long capacity) {
  return capacity >= 1 && capacity <= kMaxCapacity;
}
// Offset of the first byte that is not valid UTF-8, or npos when valid.
size_t FirstInvalidUtf8(std::string_view text);

// True when `text` holds a control character (C0 or DEL) not in `allowed`,
// or a Unicode bidirectional override or isolate: a title is one line and a
// summary or comment plain text, and a NUL, vertical tab or escape would
// reach HTML, Atom and iCalendar as it stands.
bool HasControl(std::string_view text, std::string_view allowed);

// `text` for a message: whole when it has at most `bytes` bytes, else its
// start cut at a whole UTF-8 character and followed by "…", so a message
// names a long value without repeating it.
std::string Abbreviated(std::string_view text, size_t bytes);

}  // namespace kpo::content

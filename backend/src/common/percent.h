// Percent-decoding (RFC 3986), the one routine for every module that reads
// an address: the HTTP layer's paths and forms, and the editorial check of
// the links a text publishes (which must read an address as the router
// will: "/items/%68andreiking" opens "handreiking").
#pragma once

#include <optional>
#include <string>

namespace kpo {

// Decodes %XX and '+' (as space, when `plus_is_space`). Returns nullopt for
// a malformed escape ("%G1", a trailing "%"). The result may be invalid
// UTF-8: callers that need text check it.
std::optional<std::string> PercentDecode(const std::string& text, bool plus_is_space);

}  // namespace kpo

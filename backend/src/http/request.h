// What handlers need from a request, parsed strictly. Owns: percent-decoding
// of the path and query (Pistache 0.0.5 decodes neither) and splitting the
// path into segments. May not touch: domain logic.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kpo::http {

// Decodes %XX and '+' (as space, when `plus_is_space`). Returns nullopt for
// a malformed escape ("%G1", a trailing "%"). The result may be invalid
// UTF-8: callers that need text check it.
std::optional<std::string> PercentDecode(const std::string& text, bool plus_is_space);

// Percent-encodes `text` for a query value or path segment: RFC 3986
// unreserved characters (A-Z a-z 0-9 - _ . ~) stay, every other byte is %XX.
std::string PercentEncode(const std::string& text);

// "/api/documents/x/related" -> {"api", "documents", "x", "related"}; each
// segment percent-decoded. nullopt when a segment is malformed.
std::optional<std::vector<std::string>> PathSegments(const std::string& path);

}  // namespace kpo::http

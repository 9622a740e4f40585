// Which item an address in a text points at. Owns: reading a link target the
// way the router reads a path (/items/<id>, /api/documents/<id>/...), so
// the editorial link check and the rendering for readers agree on what
// counts as a link to an item. May not touch: storage, access, HTTP.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

namespace kpo::content {

// The id of the item `url` addresses, whatever the host: the path
// percent-decoded and lower-cased as the router reads it, under /items/ or
// /api/documents/ (an attachment's address names its item too). nullopt
// for any other address or a segment that cannot be an id.
std::optional<std::string> LinkedItemId(const std::string& url);

}  // namespace kpo::content

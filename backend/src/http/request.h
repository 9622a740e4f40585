// What handlers need from a request, parsed strictly. Owns: percent-decoding
// of the path and query (Pistache 0.0.5 decodes neither), splitting the path
// into segments, and checking the head of every request (request line and
// header lines) before Pistache's lenient parser sees it. May not touch:
// domain logic.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/percent.h"
#include "kpo/status.h"

namespace kpo::http {

// Percent-encodes `text` for a query value or path segment: RFC 3986
// unreserved characters (A-Z a-z 0-9 - _ . ~) stay, every other byte is %XX.
std::string PercentEncode(const std::string& text);

// "/api/documents/x/related" -> {"api", "documents", "x", "related"}; each
// segment percent-decoded. nullopt when a segment is malformed.
std::optional<std::vector<std::string>> PathSegments(const std::string& path);

// A set of IP networks ("10.0.0.5", "10.0.0.0/8", "::1", "fd00::/8").
class AddressSet {
 public:
  // Errors: kInvalidParameter naming the entry that is no address or network.
  static StatusOr<AddressSet> Parse(const std::vector<std::string>& networks);
  // Whether `address` (IPv4 or IPv6 text, "[::1]" too) lies in the set.
  bool Contains(std::string_view address) const;
  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    int family = 0;
    unsigned char bytes[16] = {};
    int prefix = 0;  // leading bits that must match
  };
  std::vector<Network> networks_;
};

// The client's address for rate limits and the audit log: the socket peer,
// unless the peer is in `trusted_proxies`; then the rightmost address of
// `forwarded_for` (X-Forwarded-For) that is not itself a trusted proxy.
// An X-Forwarded-For from any other peer is ignored: anyone can send one.
// IPv4-mapped IPv6 addresses (a dual-stack listener's IPv4 peers) count
// and are answered as the IPv4 address they carry.
std::string ClientAddress(const std::string& peer, const std::string& forwarded_for,
                          const AddressSet& trusted_proxies);

// What the server needs to know of a request head to frame the request.
struct RequestHead {
  std::string method;         // one of GET HEAD POST PUT PATCH DELETE OPTIONS
  size_t content_length = 0;  // body bytes that follow the head
};

// Checks `head`: the request line and header lines of one request, through
// the blank line that ends them ("...\r\n\r\n"). `max_body_bytes` bounds
// Content-Length. Pistache 0.0.5 accepts much of what is refused here
// (docs/architecture.md), and some of it makes it throw or reserve gigabytes.
// Success: the method and body length. Errors (every one leaves the stream
// unframeable, so the server answers once and closes):
//   kMethodNotImplemented  a method token KPO does not serve (FOO, get, TRACE);
//   kInvalidRequestLine    not "METHOD SP /target SP HTTP/1.0|1.1", or CTLs;
//   kInvalidHeader         a line without "name:", a name that is no token,
//                          folded lines, bare LF, a missing or repeated Host
//                          (HTTP/1.1);
//   kInvalidContentLength  not 1 to 19 digits, or given twice;
//   kLengthRequired        Transfer-Encoding (bodies need Content-Length);
//   kPayloadTooLarge       Content-Length above `max_body_bytes`.
// A method token in the message is cut to 20 token characters.
StatusOr<RequestHead> ParseRequestHead(std::string_view head, size_t max_body_bytes);

// Whether the header line `line` (without its CRLF) is a field named
// `lower_name` (lowercase): "X-Forwarded-For: 1.2.3.4" for
// "x-forwarded-for".
bool IsFieldLine(std::string_view line, std::string_view lower_name);

// `head` (checked by ParseRequestHead) with every line of header
// `lower_name` joined into its first line, in order, separated by ", " (RFC
// 9110 5.3). Pistache keeps only the first line of a header, and a client
// writes the first line of X-Forwarded-For while a proxy that adds its own
// line (rather than appending to the client's) writes the last: read alone,
// the client's line would choose the address. Unchanged when the header
// occurs at most once.
std::string JoinFieldLines(std::string_view head, std::string_view lower_name);

}  // namespace kpo::http

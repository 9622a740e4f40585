// Implements request.h.
#include "http/request.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>

namespace kpo::http {

namespace {
// RFC 9110 tchar: what a method or header name may consist of.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool LowerEquals(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// Control characters other than HTAB (and DEL) never belong in a head line.
bool HasControl(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return true;
  }
  return false;
}

Status BadLine(std::string message, std::string detail) {
  return Status::Error(ErrorCode::kInvalidRequestLine, std::move(message), std::move(detail));
}

Status BadHeader(std::string detail) {
  return Status::Error(ErrorCode::kInvalidHeader,
                       "Het verzoek bevat een ongeldige header. Controleer de HTTP-client.",
                       std::move(detail));
}

constexpr std::array<std::string_view, 7> kMethods = {"GET",   "HEAD",   "POST",   "PUT",
                                                      "PATCH", "DELETE", "OPTIONS"};
}  // namespace

std::optional<std::vector<std::string>> PathSegments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    std::string raw =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!raw.empty()) {
      auto decoded = PercentDecode(raw, false);
      if (!decoded) return std::nullopt;
      out.push_back(std::move(*decoded));
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses an IPv4 or IPv6 address ("[::1]" too) into `bytes`; the family or 0.
// An IPv4-mapped IPv6 address (::ffff:10.0.0.5, what a dual-stack listener
// reports for an IPv4 client) is read as the IPv4 address it carries, and
// `mapped` (when given) says so: else a proxy configured as 10.0.0.5 would
// not be recognised behind such a listener, and every client behind it
// would share its address (and its login limit).
int ParseIp(std::string_view text, unsigned char bytes[16], bool* mapped = nullptr) {
  if (mapped != nullptr) *mapped = false;
  text = Trim(text);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() > 45) return 0;
  const std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), bytes) == 1) return AF_INET;
  if (inet_pton(AF_INET6, s.c_str(), bytes) != 1) return 0;
  static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(bytes, kMappedPrefix, sizeof kMappedPrefix) != 0) return AF_INET6;
  std::memmove(bytes, bytes + 12, 4);
  std::memset(bytes + 4, 0, 12);
  if (mapped != nullptr) *mapped = true;
  return AF_INET;
}

// `address` as the rest of the server writes it: an IPv4-mapped IPv6
// address as its IPv4 address (so the login limit, the audit log and the
// session list see one client once), anything else unchanged.
std::string Canonical(std::string_view address) {
  unsigned char bytes[16] = {};
  bool mapped = false;
  if (ParseIp(address, bytes, &mapped) != AF_INET || !mapped) return std::string(address);
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, bytes, text, sizeof text);
  return text;
}

}  // namespace

StatusOr<AddressSet> AddressSet::Parse(const std::vector<std::string>& networks) {
  AddressSet out;
  for (const auto& entry : networks) {
    const std::string_view text = Trim(entry);
    const size_t slash = text.find('/');
    Network n;
    bool mapped = false;
    n.family = ParseIp(text.substr(0, slash), n.bytes, &mapped);
    const int bits = n.family == AF_INET ? 32 : 128;
    n.prefix = bits;
    if (n.family != 0 && slash != std::string_view::npos) {
      const std::string_view p = text.substr(slash + 1);
      auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), n.prefix);
      // ::ffff:10.0.0.0/104 is 10.0.0.0/8.
      if (mapped) n.prefix -= 96;
      if (ec != std::errc() || end != p.data() + p.size() || n.prefix < 0 || n.prefix > bits) {
        n.family = 0;
      }
    }
    if (n.family == 0) {
      return Status::Error(
          ErrorCode::kInvalidParameter,
          "'" + entry + "' is geen IP-adres of netwerk (zoals 10.0.0.5, 10.0.0.0/8 of ::1).");
    }
    out.networks_.push_back(n);
  }
  return out;
}

bool AddressSet::Contains(std::string_view address) const {
  unsigned char bytes[16] = {};
  const int family = ParseIp(address, bytes);
  if (family == 0) return false;
  for (const auto& n : networks_) {
    if (n.family != family) continue;
    const int full = n.prefix / 8;
    const int rest = n.prefix % 8;
    if (std::memcmp(bytes, n.bytes, static_cast<size_t>(full)) != 0) continue;
    if (rest != 0) {
      const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
      if ((bytes[full] & mask) != (n.bytes[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

std::string ClientAddress(const std::string& peer, const std::string& forwarded_for,
                          const AddressSet& trusted_proxies) {
  if (!trusted_proxies.Contains(peer)) return Canonical(peer);
  std::string client = Canonical(peer);
  std::string_view rest = forwarded_for;
  // From the right: each trusted proxy vouches for the hop before it.
  while (!rest.empty()) {
    const size_t comma = rest.rfind(',');
    const std::string_view hop =
        Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    unsigned char bytes[16];
    if (ParseIp(hop, bytes) == 0) break;  // garbage: keep the last address vouched for
    client = Canonical(hop);
    if (!trusted_proxies.Contains(hop)) break;
  }
  return client;
}

StatusOr<RequestHead> ParseRequestHead(std::string_view head, size_t max_body_bytes) {
  // Lines end in CRLF; a bare LF is refused (a proxy may read it differently).
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < head.size()) {
    const size_t lf = head.find('\n', start);
    if (lf == std::string_view::npos) break;
    if (lf == start || head[lf - 1] != '\r') {
      return lf == 0 ? BadLine("Het verzoek begint niet met een verzoekregel.", "leading LF")
                     : BadHeader("bare LF");
    }
    lines.push_back(head.substr(start, lf - 1 - start));
    start = lf + 1;
  }
  if (lines.size() < 2 || !lines.back().empty()) {
    return BadHeader("head does not end in an empty line");
  }
  lines.pop_back();

  RequestHead out;
  const std::string_view line = lines[0];
  const size_t sp1 = line.find(' ');
  const std::string_view method = line.substr(0, sp1);
  if (!IsToken(method)) {
    return BadLine("De verzoekregel is ongeldig: verwacht 'METHODE /pad HTTP/1.1'.",
                   "request line: " + std::string(line.substr(0, 64)));
  }
  bool known = false;
  for (auto m : kMethods) known = known || m == method;
  if (!known) {
    const std::string shown(method.substr(0, 20));
    return Status::Error(ErrorCode::kMethodNotImplemented,
                         "Methode " + shown +
                             " wordt niet ondersteund. Gebruik GET, HEAD, POST, PUT, PATCH, "
                             "DELETE of OPTIONS.",
                         "method " + shown);
  }
  out.method = std::string(method);
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) {
    return BadLine("De verzoekregel is ongeldig: verwacht 'METHODE /pad HTTP/1.1'.",
                   "request line without version");
  }
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (target.empty() || target[0] != '/' || HasControl(target) ||
      target.find_first_of(" \t#") != std::string_view::npos) {
    return BadLine("Het adres in de verzoekregel is ongeldig.",
                   "target: " + std::string(target.substr(0, 64)));
  }
  const bool http11 = version == "HTTP/1.1";
  if (!http11 && version != "HTTP/1.0") {
    return BadLine("Alleen HTTP/1.0 en HTTP/1.1 worden ondersteund.",
                   "version: " + std::string(version.substr(0, 16)));
  }

  int hosts = 0;
  bool has_length = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string_view h = lines[i];
    if (h[0] == ' ' || h[0] == '\t') return BadHeader("folded header line");
    const size_t colon = h.find(':');
    if (colon == std::string_view::npos) return BadHeader("header line without ':'");
    const std::string_view name = h.substr(0, colon);
    if (!IsToken(name)) return BadHeader("header name: " + std::string(name.substr(0, 64)));
    std::string_view value = h.substr(colon + 1);
    if (HasControl(value)) return BadHeader("control character in " + std::string(name));
    value = Trim(value);
    if (LowerEquals(name, "host")) {
      ++hosts;
    } else if (LowerEquals(name, "transfer-encoding")) {
      return Status::Error(ErrorCode::kLengthRequired,
                           "Stuur de body met een Content-Length; Transfer-Encoding (chunked) "
                           "wordt niet aanvaard.",
                           "transfer-encoding: " + std::string(value.substr(0, 64)));
    } else if (LowerEquals(name, "content-length")) {
      const std::string shown(value.substr(0, 32));
      uint64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (has_length || value.empty() || value.size() > 19 || ec != std::errc() ||
          end != value.data() + value.size()) {
        return Status::Error(ErrorCode::kInvalidContentLength,
                             "Content-Length moet één geheel getal zijn (0 of meer).",
                             "content-length: " + shown);
      }
      has_length = true;
      if (n > max_body_bytes) {
        return Status::Error(
            ErrorCode::kPayloadTooLarge,
            "Het verzoek is te groot: hoogstens " + std::to_string(max_body_bytes / 1024) + " KiB.",
            "content-length: " + shown);
      }
      out.content_length = static_cast<size_t>(n);
    }
  }
  if (http11 && hosts != 1) return BadHeader("host headers: " + std::to_string(hosts));
  if (hosts > 1) return BadHeader("host headers: " + std::to_string(hosts));
  return out;
}

std::string PercentEncode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool IsFieldLine(std::string_view line, std::string_view lower_name) {
  return line.size() > lower_name.size() && line[lower_name.size()] == ':' &&
         std::equal(lower_name.begin(), lower_name.end(), line.begin(), [](char a, char b) {
           return a == std::tolower(static_cast<unsigned char>(b));
         });
}

std::string JoinFieldLines(std::string_view head, std::string_view lower_name) {
  struct Line {
    size_t start, end;  // the line without its CRLF
    bool named;
  };
  std::vector<Line> lines;
  size_t named = 0;
  for (size_t start = 0; start < head.size();) {
    size_t end = head.find("\r\n", start);
    if (end == std::string_view::npos) end = head.size();
    const bool is = IsFieldLine(head.substr(start, end - start), lower_name);
    named += is ? 1 : 0;
    lines.push_back({start, end, is});
    start = end + 2;
  }
  if (named < 2) return std::string(head);
  std::string joined;
  for (const Line& l : lines) {
    if (!l.named) continue;
    std::string_view v =
        head.substr(l.start + lower_name.size() + 1, l.end - l.start - lower_name.size() - 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    if (v.empty()) continue;
    joined += (joined.empty() ? "" : ", ") + std::string(v);
  }
  std::string out;
  bool first = true;
  for (const Line& l : lines) {
    if (l.named && !first) continue;
    if (l.named) {
      out += head.substr(l.start, lower_name.size() + 1);
      out += " " + joined;
      first = false;
    } else {
      out += head.substr(l.start, l.end - l.start);
    }
    if (l.end < head.size()) out += "\r\n";
  }
  return out;
}

}  // namespace kpo::http

// Implements request.h.
#include "http/request.h"

#include <array>
#include <charconv>

namespace kpo::http {

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

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

std::optional<std::string> PercentDecode(const std::string& text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

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
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
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

}  // namespace kpo::http

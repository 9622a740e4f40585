// libFuzzer target: an HTTP request as the server meets it. The head gate
// (ParseRequestHead), then, for heads it lets through, Pistache's own parser
// on the same bytes (as the server does), percent-decoding of the path and
// query, and routing against the real /api route table. Nothing may crash,
// and a head the gate accepts must frame: Content-Length within the bound
// (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <pistache/http.h>

#include "common/percent.h"
#include "http/api.h"
#include "http/request.h"
#include "http/router.h"

namespace {

constexpr size_t kMaxBody = 64 * 1024;

const kpo::http::Router& ApiRoutes() {
  // Matching never calls a handler, so the route table needs no services.
  static const std::shared_ptr<kpo::http::Router> router = kpo::http::BuildApi({});
  return *router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t end = input.find("\r\n\r\n");
  if (end == std::string_view::npos) return 0;
  const std::string_view head = input.substr(0, end + 4);
  auto parsed = kpo::http::ParseRequestHead(head, kMaxBody);
  if (!parsed.ok()) return 0;
  if (parsed->content_length > kMaxBody) std::abort();

  Pistache::Http::RequestParser parser(head.size() + kMaxBody);
  if (!parser.feed(input.data(), input.size())) return 0;
  try {
    if (parser.parse() != Pistache::Http::Private::State::Done) return 0;
  } catch (const std::exception&) {
    return 0;  // the server answers 400 for what Pistache throws on
  }
  const auto& request = parser.request;
  kpo::http::Request ours;
  ours.method = parsed->method;
  auto segments = kpo::http::PathSegments(request.resource());
  if (!segments) return 0;
  ours.segments = std::move(*segments);
  for (auto it = request.query().parameters_begin(); it != request.query().parameters_end(); ++it) {
    auto key = kpo::PercentDecode(it->first, true);
    auto value = kpo::PercentDecode(it->second, true);
    if (key && value) ours.query[*key] = std::move(*value);
  }
  kpo::http::Reply error;
  const kpo::http::HandlerFn* handler = ApiRoutes().Match(&ours, &error);
  if (handler == nullptr && error.status < 400) std::abort();
  (void)kpo::http::PercentEncode(std::string(request.resource()));
  return 0;
}

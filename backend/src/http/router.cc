// Implements router.h.
#include "http/router.h"

#include <algorithm>

#include "common/log.h"
#include "http/request.h"

namespace kpo::http {

std::string Request::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string Request::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

std::string Request::AbsoluteUrl(const std::string& path) const {
  const std::string host = Header("host");
  if (host.empty()) return path;
  return (secure ? "https://" : "http://") + host + path;
}

Reply JsonReply(int status, const nlohmann::json& body) {
  Reply r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Reply PrivateReply(Reply reply) {
  reply.headers.emplace_back("Cache-Control", "private, no-store");
  return reply;
}

Reply ErrorReply(const Status& status, const std::string& request_id) {
  const int http = HttpStatus(status.code());
  if (http >= 500 || !status.detail().empty()) {
    Log(http >= 500 ? LogLevel::kError : LogLevel::kInfo, "request.error",
        {{"request_id", request_id},
         {"code", WireName(status.code())},
         {"detail", status.detail()}});
  }
  return JsonReply(http, {{"error",
                           {{"code", WireName(status.code())},
                            {"message", status.message()},
                            {"type", TypeName(TypeOf(status.code()))}}}});
}

void Router::Add(const std::string& method, const std::string& pattern, HandlerFn handler) {
  routes_.push_back({method, pattern, *PathSegments(pattern), std::move(handler)});
}

namespace {

// Whether `segments` fit `pattern`; fills `params` from its {name} parts.
bool Fits(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
          std::map<std::string, std::string>* params) {
  if (pattern.size() != segments.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      (*params)[p.substr(1, p.size() - 2)] = segments[i];
    } else if (p != segments[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

const HandlerFn* Router::Match(Request* request, Reply* error) const {
  std::vector<std::string> allowed;
  auto allow = [&allowed](const std::string& method) {
    // Several patterns can fit one path ({id} and a literal): name each
    // method once.
    if (std::find(allowed.begin(), allowed.end(), method) == allowed.end()) {
      allowed.push_back(method);
    }
  };
  // HEAD is GET without the body (RFC 9110 9.3.2): every GET route has it.
  const std::string wanted = request->method == "HEAD" ? "GET" : request->method;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!Fits(route.pattern, request->segments, &params)) continue;
    if (route.method != wanted) {
      allow(route.method);
      if (route.method == "GET") allow("HEAD");
      continue;
    }
    request->params = std::move(params);
    request->route = route.text;
    return &route.handler;
  }
  if (!allowed.empty()) {
    std::string allow_header;
    for (const auto& m : allowed) allow_header += (allow_header.empty() ? "" : ", ") + m;
    *error = ErrorReply(Status::Error(
        ErrorCode::kMethodNotAllowed,
        "Methode " + request->method + " is hier niet toegestaan (wel: " + allow_header + ")."));
    error->headers.emplace_back("Allow", allow_header);
  } else {
    *error =
        ErrorReply(Status::Error(ErrorCode::kRouteNotFound,
                                 "Dit adres bestaat niet. Zie de API-beschrijving in de README."));
  }
  return nullptr;
}

void Router::AddBodyGuard(const std::string& method, const std::string& pattern,
                          BodyGuardFn guard) {
  guards_.push_back({method, pattern, *PathSegments(pattern), std::move(guard)});
}

Status Router::GuardBody(Request* request) const {
  for (const auto& guard : guards_) {
    std::map<std::string, std::string> params;
    if (guard.method != request->method || !Fits(guard.pattern, request->segments, &params)) {
      continue;
    }
    request->params = std::move(params);
    request->route = guard.text;
    return guard.guard(*request);
  }
  return Status::Ok();
}

}  // namespace kpo::http

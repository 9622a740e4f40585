// Implements router.h.
#include "http/router.h"

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

const HandlerFn* Router::Match(Request* request, Reply* error) const {
  std::vector<std::string> allowed;
  for (const auto& route : routes_) {
    if (route.pattern.size() != request->segments.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; i < route.pattern.size() && ok; ++i) {
      const std::string& p = route.pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        params[p.substr(1, p.size() - 2)] = request->segments[i];
      } else {
        ok = p == request->segments[i];
      }
    }
    if (!ok) continue;
    if (route.method != request->method) {
      allowed.push_back(route.method);
      continue;
    }
    request->params = std::move(params);
    request->route = route.text;
    return &route.handler;
  }
  if (!allowed.empty()) {
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    *error = ErrorReply(Status::Error(
        ErrorCode::kMethodNotAllowed,
        "Methode " + request->method + " is hier niet toegestaan (wel: " + allow + ")."));
    error->headers.emplace_back("Allow", allow);
  } else {
    *error =
        ErrorReply(Status::Error(ErrorCode::kRouteNotFound,
                                 "Dit adres bestaat niet. Zie de API-beschrijving in de README."));
  }
  return nullptr;
}

}  // namespace kpo::http

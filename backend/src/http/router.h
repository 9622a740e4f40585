// Requests and replies as handlers see them, and the route table.
// Owns: matching method + path to a handler, the Reply type and the one
// JSON error helper. Handlers never see Pistache.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kpo/status.h"

namespace kpo::http {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::vector<std::string> segments;           // decoded path segments
  std::map<std::string, std::string> params;   // {name} path parameters
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // lowercase name -> value (selected headers)
  std::map<std::string, std::string> cookies;
  std::string body;
  std::string remote_address;
  bool secure = false;  // served over TLS (X-Forwarded-Proto: https from nginx)
  std::string request_id;
  // The pattern of the matched route ("/api/documents/{id}"), set by
  // Router::Match; metrics count per pattern, never per raw path.
  std::string route;
  // Issue 10: for the upload route (ServerOptions::max_upload_bytes) the
  // body is not in `body` but in this file, removed after the handler
  // returns; `upload_content_type` is the raw Content-Type (with boundary).
  std::string upload_path;
  std::string upload_content_type;

  // The header's value, or "" when absent. `name` in lowercase.
  std::string Header(const std::string& name) const;
  // The query parameter, or "" when absent.
  std::string Query(const std::string& name) const;
  // `path` (starting with '/') as the absolute URL a feed reader or a
  // calendar program needs, on the Host the request came to (nginx passes
  // it; TLS per `secure`); `path` itself when there is no Host.
  std::string AbsoluteUrl(const std::string& path) const;
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
};

// A JSON reply. Invalid UTF-8 in strings is replaced, never an exception.
Reply JsonReply(int status, const nlohmann::json& body);
// The one error helper: {"error": {"code", "message", "type"}} with the
// status of the code's row in error_codes.h. The detail is logged, never sent.
Reply ErrorReply(const Status& status, const std::string& request_id = {});

// `reply` marked for its caller only (Cache-Control: private, no-store):
// the answers of signed-in work areas, which no shared cache may keep.
Reply PrivateReply(Reply reply);

using HandlerFn = std::function<Reply(const Request&)>;
// A check of a request's head alone (method, segments, headers, cookies,
// remote_address; no body yet). Non-OK refuses the request before its body
// is read.
using BodyGuardFn = std::function<Status(const Request&)>;

class Router {
 public:
  // `pattern` like "/api/documents/{id}/related".
  void Add(const std::string& method, const std::string& pattern, HandlerFn handler);
  // Finds the handler; fills request->params. Returns a 404 or 405 reply
  // through `error` when nothing matches. A HEAD request is served by the
  // GET route (RFC 9110 9.3.2; the server drops the body), and a 405's
  // Allow lists each method once, with HEAD wherever GET is allowed.
  const HandlerFn* Match(Request* request, Reply* error) const;
  // Registers `guard` for requests to (method, pattern). The server's
  // request gate runs it on the head of a request whose body it streams to
  // disk (the upload routes), so an anonymous or forged upload is refused
  // before a byte of its body is stored. The handler must still check
  // everything itself. Not thread-safe: register before serving.
  void AddBodyGuard(const std::string& method, const std::string& pattern, BodyGuardFn guard);
  // The status of the guard for `request` (method and segments set): OK
  // when no guard matches. Fills request->params and request->route.
  // Thread-safe once serving (the table is read-only then).
  Status GuardBody(Request* request) const;

 private:
  struct Route {
    std::string method;
    std::string text;  // the pattern as given
    std::vector<std::string> pattern;
    HandlerFn handler;
  };
  struct Guard {
    std::string method;
    std::string text;
    std::vector<std::string> pattern;
    BodyGuardFn guard;
  };
  std::vector<Route> routes_;
  std::vector<Guard> guards_;
};

}  // namespace kpo::http

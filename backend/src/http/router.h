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

using HandlerFn = std::function<Reply(const Request&)>;

class Router {
 public:
  // `pattern` like "/api/documents/{id}/related".
  void Add(const std::string& method, const std::string& pattern, HandlerFn handler);
  // Finds the handler; fills request->params. Returns a 404 or 405 reply
  // through `error` when nothing matches.
  const HandlerFn* Match(Request* request, Reply* error) const;

 private:
  struct Route {
    std::string method;
    std::string text;  // the pattern as given
    std::vector<std::string> pattern;
    HandlerFn handler;
  };
  std::vector<Route> routes_;
};

}  // namespace kpo::http

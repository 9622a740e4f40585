// Who is calling and what they sent, for every API handler file: the one
// place that turns a request's cookie or bearer token into a Principal,
// checks CSRF, and reads JSON bodies and ids strictly. Owns: those steps and
// their error answers. May not touch: domain rules (handlers call the
// domain), SQL, Xapian.
// Thread-safety: stateless; the AuthService it calls is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/auth_service.h"
#include "http/router.h"
#include "kpo/access/principal.h"

namespace kpo::http {

// The session cookie's name, shared with the portal's sign-in pages.
inline constexpr const char* kSessionCookie = "kpo_session";
// The Set-Cookie value for a session (Max-Age 0 with "" removes it); the
// API's login and the portal's /inloggen set the very same cookie.
std::string SessionCookie(const std::string& value, int64_t max_age, bool secure);

// The caller: a bearer token, a session cookie, or anonymous.
struct Caller {
  Principal principal;
  std::string csrf_token;  // set for cookie sessions
  bool via_cookie = false;
};

// A cookie or token that does not (or no longer) authenticate is an error,
// not a silent downgrade, so a client notices an expired session.
StatusOr<Caller> Identify(access::AuthService* auth, const Request& req);
// State-changing requests made with a cookie must carry the session's CSRF
// token; bearer tokens are not sent by browsers on their own and need none.
Status CheckCsrf(access::AuthService* auth, const Caller& caller, const Request& req);
// The body guard of an upload route (Router::AddBodyGuard), run on the
// request's head before its body is stored: a signed-in caller and, when
// `csrf_header` and the caller uses a cookie, the X-CSRF-Token header.
// Errors: those of Identify, kAuthenticationRequired, CheckCsrf's.
Status CheckSignedInUploader(access::AuthService* auth, const Request& req, bool csrf_header);
// The body as a JSON object. Errors: kUnsupportedMediaType, kInvalidJson.
StatusOr<nlohmann::json> ParseJsonBody(const Request& req);
// kInvalidField naming the first field of `body` that is not in `allowed`,
// and listing those: a misspelt field is refused, never ignored (a typo in
// "capacity" would otherwise keep the old value and answer 200).
Status OnlyFields(const nlohmann::json& body, const std::vector<std::string>& allowed);
// A string field of a JSON object, "" when absent; an error when present
// with another type.
StatusOr<std::string> StringField(const nlohmann::json& body, const std::string& name);
// A list of strings, empty when absent. Errors: kInvalidField.
StatusOr<std::vector<std::string>> ListField(const nlohmann::json& body, const std::string& name);
// A positive decimal id of at most 18 digits.
bool ParseId(const std::string& text, int64_t* out);

// Runs `fn` with the identified caller; authentication errors become replies.
template <typename Fn>
Reply WithCaller(access::AuthService* auth, const Request& req, Fn fn) {
  auto caller = Identify(auth, req);
  if (!caller.ok()) return ErrorReply(caller.status(), req.request_id);
  return fn(*caller);
}

// Like WithCaller, for routes that need a signed-in caller: anonymous
// callers get 401, so only signed-in ones reach the role checks (403).
template <typename Fn>
Reply WithSignedIn(access::AuthService* auth, const Request& req, Fn fn) {
  return WithCaller(auth, req, [&](const Caller& caller) {
    if (!caller.principal.authenticated()) {
      return ErrorReply(Status::Error(ErrorCode::kAuthenticationRequired, "Log eerst in."),
                        req.request_id);
    }
    return fn(caller);
  });
}

// Like WithCaller for state-changing requests: a signed-in caller with a
// valid CSRF token (for cookies) and, when `needs_body`, a JSON body. A
// route without one accepts no body or an empty object: a body it cannot
// read or fields it would ignore are refused, as OnlyFields refuses them
// on the routes with a body.
template <typename Fn>
Reply WithWrite(access::AuthService* auth, const Request& req, bool needs_body, Fn fn) {
  return WithSignedIn(auth, req, [&](const Caller& caller) {
    Status csrf = CheckCsrf(auth, caller, req);
    if (!csrf.ok()) return ErrorReply(csrf, req.request_id);
    nlohmann::json body = nlohmann::json::object();
    if (needs_body || !req.body.empty()) {
      auto parsed = ParseJsonBody(req);
      if (!parsed.ok()) return ErrorReply(parsed.status(), req.request_id);
      body = std::move(*parsed);
      if (!needs_body) {
        Status none = OnlyFields(body, {});
        if (!none.ok()) return ErrorReply(none, req.request_id);
      }
    }
    return fn(caller, body);
  });
}

}  // namespace kpo::http

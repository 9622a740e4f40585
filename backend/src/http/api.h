// The JSON API: one thin handler per route (parse, call the domain,
// serialise). Owns: the route table, parameter names and the JSON shape of
// every answer. May not touch: SQL, Xapian, cmark, access rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/router.h"

namespace kpo::knowledge {
class KnowledgeBase;
}
namespace kpo::access {
class AuthService;
}

namespace kpo::http {

struct ApiDeps {
  knowledge::KnowledgeBase* kb = nullptr;  // required; not owned
  access::AuthService* auth = nullptr;     // required; not owned
  // Bytes of rendered search pages kept (keys included). Default: 16 MiB.
  size_t rendered_page_bytes = size_t{16} << 20;
};

// The session cookie's name, shared with the portal's sign-in pages.
inline constexpr const char* kSessionCookie = "kpo_session";
// The Set-Cookie value for a session (Max-Age 0 with "" removes it); the
// API's login and the portal's /inloggen set the very same cookie.
std::string SessionCookie(const std::string& value, int64_t max_age, bool secure);

// Every route of /api. The pointers in `deps` must outlive the router.
std::shared_ptr<Router> BuildApi(const ApiDeps& deps);

}  // namespace kpo::http

// "Mijn account" and the second step of signing in (issue 13, auth):
// server-rendered pages for TOTP enrolment, recovery codes, disabling the
// second factor and the session list with "sign out everywhere". Owns
// these routes and their view data. May not touch: access rules, SQL; it
// asks access::AuthService exactly as http/account_api.cc does.
// Thread-safety: handlers run on any reactor thread at once; the pages keep
// only the immutable PageKit.
#pragma once

#include <functional>
#include <string>

#include "http/router.h"
#include "portal/templates.h"

namespace kpo::access {
class AuthService;
}

namespace kpo::portal {

// What the portal lends its page files: the layout around a template, the
// error pages and the session's idle timeout. Set up by BuildPortal.
struct PageKit {
  // Template `name` with `view` inside the layout for the caller of `req`
  // (complete sessions show as signed in; others as visitors).
  std::function<http::Reply(const http::Request& req, int status, const std::string& title,
                            const std::string& name, const View& view)>
      page;
  // The portal's error page for `status` (403, 404, 500).
  std::function<http::Reply(const http::Request& req, int status)> error;
};

// Registers /inloggen/code and /account/... on `router`. `auth` must
// outlive the router.
void AddAccountPages(http::Router* router, access::AuthService* auth, const PageKit& kit);

}  // namespace kpo::portal

// What a page file outside portal.cc (academy_pages.cc, ...) needs from the
// portal: who is asking, the layout every page is rendered in, the Dutch
// error pages and how a listed item looks. Owns: that interface only; the
// portal (portal.cc) implements it, so every page shares one layout, one
// cookie rule and one set of headers.
// Thread-safety: every method may be called from any reactor thread at once.
#pragma once

#include <string>

#include "http/router.h"
#include "kpo/access/principal.h"
#include "kpo/content/item.h"
#include "kpo/status.h"
#include "portal/templates.h"

namespace kpo::portal {

// Who is asking. A session cookie that no longer authenticates makes the
// visitor anonymous (and is removed), not an error page.
struct PageCaller {
  Principal principal;
  std::string csrf_token;  // the session's; POST forms carry it as "csrf"
  bool clear_cookie = false;
};

// 303 See Other to `location` (after a form, or to the canonical address).
inline http::Reply SeeOther(const std::string& location) {
  http::Reply r;
  r.status = 303;
  r.content_type = "text/html; charset=utf-8";
  r.headers.emplace_back("Location", location);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

class PageHost {
 public:
  virtual ~PageHost() = default;
  // The caller of `req`. Errors: kStorageError and the like (never an
  // expired cookie: that is an anonymous caller).
  virtual StatusOr<PageCaller> Identify(const http::Request& req) = 0;
  // The template `name` rendered with `view` inside the layout titled
  // `title`, with the headers every page has (private, Vary: Cookie).
  virtual http::Reply Page(const http::Request& req, const PageCaller& caller, int status,
                           const std::string& title, const std::string& name, const View& view) = 0;
  // The Dutch error page for `status` (400, 403, 404, 405, 500); a 5xx logs
  // `cause`.
  virtual http::Reply ErrorPage(const http::Request& req, const PageCaller& caller, int status,
                                const Status& cause) = 0;
  // 404 for an item (or course) that is missing or closed to the caller,
  // alike; offers to sign in, and come back here, to those not signed in.
  virtual http::Reply ItemMissing(const http::Request& req, const PageCaller& caller) = 0;
  // The fields a listed item shows (title, url, type, audience, themes...).
  virtual View ItemView(const Item& item) = 0;
};

}  // namespace kpo::portal

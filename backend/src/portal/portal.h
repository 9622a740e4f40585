// The member portal (issue 9): server-rendered HTML pages at their own URLs
// (home, search, item, theme, werkplaats, sign in/out, static pages and the
// Dutch error pages) that work without JavaScript; ES modules in static/js
// only enhance them. Owns: the page routes, the page view data and the
// login form's CSRF cookie. May not touch: search, access or store logic —
// every page asks knowledge::KnowledgeBase and access::AuthService, exactly
// as the JSON API does; SQL, Xapian, cmark.
// Thread-safety: handlers run on any reactor thread at once; the portal
// keeps only immutable state (templates, asset versions).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "http/router.h"
#include "kpo/status.h"

namespace kpo::knowledge {
class KnowledgeBase;
}
namespace kpo::access {
class AuthService;
}
namespace kpo::academy {
class Academy;
}
namespace kpo::feed {
class NewsFeed;
}
namespace kpo::editorial {
class EditorialService;
}
namespace kpo::attachments {
class Attachments;
}
namespace kpo::searchlog {
class SearchLog;
}

namespace kpo::portal {

struct PortalDeps {
  knowledge::KnowledgeBase* kb = nullptr;  // required; not owned
  access::AuthService* auth = nullptr;     // required; not owned
  // The folder served as /static/ (stylesheets and scripts are linked with
  // ?v=<hash of their bytes>). Default: none (links carry v=0).
  std::string static_dir;
  // The sessions' idle timeout (AuthOptions::idle_timeout): the page warns
  // two minutes before it runs out. Default: 1800 s.
  int64_t session_idle_seconds = int64_t{30} * 60;
  // The academy: the home lists its next upcoming courses. Default: none
  // (the home then says there are no upcoming courses). Not owned.
  academy::Academy* academy = nullptr;
  // Issue 10: the personal feed link page /mijn-feed. Default: none. Not owned.
  feed::NewsFeed* news_feed = nullptr;
  // Issue 10, editorial pages (editorial_pages.h): the service (without it
  // no /redactie pages), attachments on the editor page and the dashboard's
  // zero-result searches. Default: none. Not owned.
  editorial::EditorialService* editorial = nullptr;
  attachments::Attachments* attachments = nullptr;
  searchlog::SearchLog* search_log = nullptr;
};

// The HTML answer for a non-API path that failed with `status` (400, 404,
// 405, 500): ServerOptions::html_error.
using HtmlErrorFn = std::function<http::Reply(const http::Request&, int status)>;

// Registers every page route on `router`. The pointers in `deps` must
// outlive the router. Success: the error page renderer for the server.
// Errors: kInternal when an embedded template does not parse.
StatusOr<HtmlErrorFn> BuildPortal(http::Router* router, const PortalDeps& deps);

}  // namespace kpo::portal

// The JSON API: one thin handler per route (parse, call the domain,
// serialise). Owns: the route table, parameter names and the JSON shape of
// every answer. May not touch: SQL, Xapian, cmark, access rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/metrics.h"
#include "http/router.h"

namespace kpo::knowledge {
class KnowledgeBase;
}
namespace kpo::access {
class AuthService;
}
namespace kpo::academy {
class Academy;
}
namespace kpo::editorial {
class EditorialService;
}
namespace kpo::feed {
class NewsFeed;
}
namespace kpo::searchlog {
class SearchLog;
}
namespace kpo::attachments {
class Attachments;
}

namespace kpo::http {

struct ApiDeps {
  knowledge::KnowledgeBase* kb = nullptr;  // required; not owned
  access::AuthService* auth = nullptr;     // required; not owned
  academy::Academy* academy = nullptr;     // optional: the academy routes when set; not owned
  // Bytes of rendered search pages kept (keys included). Default: 16 MiB.
  size_t rendered_page_bytes = size_t{16} << 20;
  // Optional: the editorial routes (issue 10) when set; not owned.
  editorial::EditorialService* editorial = nullptr;
  // Platform (issue 13), GET /metrics: addresses and networks that may read
  // it without signing in (admins always may). Default: none.
  std::vector<std::string> metrics_addresses;
  // More gauges for /metrics, measured by the program at scrape time (the
  // index's size, sessions, enrolments: files and databases this layer may
  // not read). Default: none.
  std::function<std::vector<metrics::Gauge>()> metrics_gauges;
  // Issue 10 (feed, search log): optional; their routes when set; not owned.
  feed::NewsFeed* news_feed = nullptr;
  searchlog::SearchLog* search_log = nullptr;
  attachments::Attachments* attachments = nullptr;
};

// Every route of /api. The pointers in `deps` must outlive the router.
std::shared_ptr<Router> BuildApi(const ApiDeps& deps);

// The academy's routes (http/academy_api.cc); called by BuildApi.
void AddAcademyRoutes(Router* router, const ApiDeps& deps);
// GET /metrics (http/metrics_api.cc); called by BuildApi.
void AddMetricsRoutes(Router* router, const ApiDeps& deps);

// The editorial routes (http/editorial_api.cc); called by BuildApi before
// the reader's document routes, whose GET /api/documents/{id} it extends.
void AddEditorialRoutes(Router* router, const ApiDeps& deps);

// Logout, the second step of signing in, one's own account and sessions,
// and the admins' privacy routes (http/account_api.cc, issue 13); called by
// BuildApi.
void AddAccountRoutes(Router* router, const ApiDeps& deps);
// Issue 10: /feed.atom and personal feed links (http/feed_api.cc).
void AddFeedRoutes(Router* router, const ApiDeps& deps);
// Issue 10: the redactie's zero-result searches (http/search_log_api.cc).
void AddSearchLogRoutes(Router* router, const ApiDeps& deps);
// Issue 10: attachments of items (http/attachment_api.cc).
void AddAttachmentRoutes(Router* router, const ApiDeps& deps);

}  // namespace kpo::http

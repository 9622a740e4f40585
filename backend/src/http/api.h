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
namespace kpo::academy {
class Academy;
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
  // Issue 10 (feed, search log): optional; their routes when set; not owned.
  feed::NewsFeed* news_feed = nullptr;
  searchlog::SearchLog* search_log = nullptr;
  attachments::Attachments* attachments = nullptr;
};

// Every route of /api. The pointers in `deps` must outlive the router.
std::shared_ptr<Router> BuildApi(const ApiDeps& deps);

// The academy's routes (http/academy_api.cc); called by BuildApi.
void AddAcademyRoutes(Router* router, const ApiDeps& deps);
// Issue 10: /feed.atom and personal feed links (http/feed_api.cc).
void AddFeedRoutes(Router* router, const ApiDeps& deps);
// Issue 10: the redactie's zero-result searches (http/search_log_api.cc).
void AddSearchLogRoutes(Router* router, const ApiDeps& deps);
// Issue 10: attachments of items (http/attachment_api.cc).
void AddAttachmentRoutes(Router* router, const ApiDeps& deps);

}  // namespace kpo::http

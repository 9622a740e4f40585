// Issue 10: GET /api/redactie/zero-results, the searches of the last 30
// days that found nothing (query and count, never who asked), for the
// redactie dashboard. Thin: searchlog/ decides who may read it.
#include "http/api.h"
#include "http/api_json.h"
#include "http/caller.h"
#include "searchlog/search_log.h"

namespace kpo::http {

void AddSearchLogRoutes(Router* router, const ApiDeps& deps) {
  access::AuthService* auth = deps.auth;
  searchlog::SearchLog* log = deps.search_log;
  router->Add("GET", "/api/redactie/zero-results", [auth, log](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      auto zero = log->ZeroResultsFor(caller.principal);
      if (!zero.ok()) return ErrorReply(zero.status(), req.request_id);
      return JsonReply(200, ZeroResultsJson(*zero));
    });
  });
}

}  // namespace kpo::http

// Implements api.h.
#include "http/api.h"

#include <mutex>

#include "access/auth_service.h"
#include "access/policy.h"
#include "common/lru_cache.h"
#include "common/metrics.h"
#include "http/api_json.h"
#include "http/caller.h"
#include "knowledge/knowledge_base.h"

namespace kpo::http {

namespace {

// Rendered search pages by SearchPage::cache_key. Why: a page the knowledge
// base serves from its page cache costs ~30 us; rendering its ~9 KB of JSON
// again costs several times that. Same key, same page, same bytes.
class RenderedPages {
 public:
  explicit RenderedPages(size_t bytes) : bodies_(bytes) {}
  std::shared_ptr<const std::string> Get(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    const auto* hit = bodies_.Get(key);
    metrics::CacheLookup("rendered_pages", hit != nullptr);
    return hit ? *hit : nullptr;
  }
  void Put(const std::string& key, std::string body) {
    std::lock_guard<std::mutex> lock(mu_);
    const size_t cost = key.size() + body.size() + kEntryOverhead;
    bodies_.Put(key, std::make_shared<const std::string>(std::move(body)), cost);
  }
  // Issue 13: for GET /metrics.
  metrics::Gauge Bytes() {
    std::lock_guard<std::mutex> lock(mu_);
    return {metrics::Family::kCacheBytes,
            {{"cache", "rendered_pages"}},
            static_cast<double>(bodies_.used())};
  }
  metrics::Gauge Bound() const {
    return {metrics::Family::kCacheBoundBytes,
            {{"cache", "rendered_pages"}},
            static_cast<double>(bodies_.capacity())};
  }

 private:
  // List and map nodes, the shared_ptr block and two string headers.
  static constexpr size_t kEntryOverhead = 192;
  std::mutex mu_;
  LruCache<std::shared_ptr<const std::string>> bodies_;  // GUARDED_BY(mu_), cost = bytes
};

}  // namespace

std::shared_ptr<Router> BuildApi(const ApiDeps& deps) {
  auto router = std::make_shared<Router>();
  knowledge::KnowledgeBase* kb = deps.kb;
  access::AuthService* auth = deps.auth;
  // Editorial (issue 10): first, so its GET /api/documents/{id} answers.
  if (deps.editorial != nullptr) AddEditorialRoutes(router.get(), deps);

  router->Add("GET", "/api/health", [kb, auth](const Request& req) {
    return WithCaller(auth, req, [&](const Caller& caller) {
      auto health = kb->GetHealth(caller.principal);
      if (!health.ok()) return ErrorReply(health.status(), req.request_id);
      return JsonReply(200, HealthJson(*health));
    });
  });

  // Readiness (editorial foundation): for load balancers and operators, no caller needed.
  router->Add("GET", "/api/ready", [kb](const Request& req) {
    auto ready = kb->GetReadiness();
    if (!ready.ok()) return ErrorReply(ready.status(), req.request_id);
    return JsonReply(200, ReadinessJson(*ready));
  });

  auto rendered = std::make_shared<RenderedPages>(deps.rendered_page_bytes);
  router->Add("GET", "/api/search", [kb, auth, rendered](const Request& req) {
    return WithCaller(auth, req, [&](const Caller& caller) {
      knowledge::SearchParams params{req.Query("q"),    {},
                                     req.Query("from"), req.Query("to"),
                                     req.Query("page"), req.Query("size"),
                                     req.Query("sort"), req.Query("spelling")};
      for (const char* facet : {"type", "theme", "region", "werkplaats", "year"}) {
        if (req.query.count(facet) > 0) params.filters[facet] = req.Query(facet);
      }
      auto page = kb->Search(caller.principal, params);
      if (!page.ok()) return ErrorReply(page.status(), req.request_id);
      if (page->cache_key.empty()) return JsonReply(200, SearchPageJson(*page));
      Reply reply;
      if (auto body = rendered->Get(page->cache_key)) {
        reply.body = *body;
        return reply;
      }
      reply = JsonReply(200, SearchPageJson(*page));
      rendered->Put(page->cache_key, reply.body);
      return reply;
    });
  });

  router->Add("GET", "/api/suggest", [kb, auth](const Request& req) {
    return WithCaller(auth, req, [&](const Caller& caller) {
      auto s = kb->Suggest(caller.principal, req.Query("q"));
      if (!s.ok()) return ErrorReply(s.status(), req.request_id);
      return JsonReply(200, SuggestionsJson(req.Query("q"), *s));
    });
  });

  // The same for everyone, but a stale cookie or token is still a 401, as
  // on every other route (http/caller.h, Identify).
  router->Add("GET", "/api/vocabulary", [kb, auth](const Request& req) {
    return WithCaller(auth, req, [&](const Caller&) {
      return JsonReply(200, VocabularyJson(*kb->vocabulary()));
    });
  });

  router->Add("GET", "/api/documents/{id}", [kb, auth](const Request& req) {
    return WithCaller(auth, req, [&](const Caller& caller) {
      auto doc = kb->GetDocument(caller.principal, req.params.at("id"));
      if (!doc.ok()) return ErrorReply(doc.status(), req.request_id);
      return JsonReply(200, DocumentJson(*doc));
    });
  });

  router->Add("GET", "/api/documents/{id}/related", [kb, auth](const Request& req) {
    return WithCaller(auth, req, [&](const Caller& caller) {
      auto items = kb->Related(caller.principal, req.params.at("id"));
      if (!items.ok()) return ErrorReply(items.status(), req.request_id);
      nlohmann::json out = {{"id", req.params.at("id")}, {"results", nlohmann::json::array()}};
      for (const auto& item : *items) out["results"].push_back(ItemSummaryJson(item));
      return JsonReply(200, out);
    });
  });

  router->Add("GET", "/api/documents/{id}/access", [kb, auth](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      auto report = kb->DocumentAccess(caller.principal, req.params.at("id"));
      if (!report.ok()) return ErrorReply(report.status(), req.request_id);
      return JsonReply(200, AccessReportJson(req.params.at("id"), *report));
    });
  });

  router->Add("POST", "/api/auth/login", [auth](const Request& req) {
    auto body = ParseJsonBody(req);
    if (!body.ok()) return ErrorReply(body.status(), req.request_id);
    auto email = StringField(*body, "email");
    auto password = StringField(*body, "password");
    if (!email.ok()) return ErrorReply(email.status(), req.request_id);
    if (!password.ok()) return ErrorReply(password.status(), req.request_id);
    int retry_after = 0;
    auto login =
        auth->Login(*email, *password, req.remote_address, &retry_after, req.Header("user-agent"));
    if (!login.ok()) {
      Reply r = ErrorReply(login.status(), req.request_id);
      if (retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after));
      return r;
    }
    // "second_factor": "none" (signed in), "code" (POST /api/auth/login/code
    // next) or "enrol" (only /api/account/totp* until enrolled): issue 13.
    Reply r = JsonReply(200, {{"user", PrincipalJson(login->principal)},
                              {"csrf_token", login->csrf_token},
                              {"second_factor", access::SessionStageName(login->stage)}});
    r.headers.emplace_back("Set-Cookie",
                           SessionCookie(login->session_id, login->max_age, req.secure));
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  });

  router->Add("GET", "/api/auth/me", [auth](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      nlohmann::json out = {{"user", PrincipalJson(caller.principal)}};
      if (caller.via_cookie) out["csrf_token"] = caller.csrf_token;
      Reply r = JsonReply(200, out);
      r.headers.emplace_back("Cache-Control", "no-store");
      return r;
    });
  });

  router->Add("GET", "/api/admin/users", [auth](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      auto users = auth->ListUsers(caller.principal, req.remote_address);
      if (!users.ok()) return ErrorReply(users.status(), req.request_id);
      nlohmann::json out = {{"users", nlohmann::json::array()}};
      for (const auto& u : *users) out["users"].push_back(UserJson(u));
      return JsonReply(200, out);
    });
  });

  router->Add("POST", "/api/admin/users", [auth](const Request& req) {
    return WithWrite(auth, req, true, [&](const Caller& caller, const nlohmann::json& body) {
      Status known =
          OnlyFields(body, {"email", "name", "role", "password", "groups", "werkplaatsen"});
      if (!known.ok()) return ErrorReply(known, req.request_id);
      auto email = StringField(body, "email");
      auto name = StringField(body, "name");
      auto role = StringField(body, "role");
      auto password = StringField(body, "password");
      auto groups = ListField(body, "groups");
      auto werkplaatsen = ListField(body, "werkplaatsen");
      for (const Status* s : {&email.status(), &name.status(), &role.status(), &password.status(),
                              &groups.status(), &werkplaatsen.status()}) {
        if (!s->ok()) return ErrorReply(*s, req.request_id);
      }
      access::NewUserRequest user{*email, *name, *role, *groups, *werkplaatsen, *password};
      auto created = auth->AddUser(caller.principal, req.remote_address, user);
      if (!created.ok()) return ErrorReply(created.status(), req.request_id);
      return JsonReply(201, {{"user", UserJson(*created)}});
    });
  });

  router->Add("POST", "/api/admin/users/{id}/disable", [auth](const Request& req) {
    return WithWrite(auth, req, false, [&](const Caller& caller, const nlohmann::json&) {
      int64_t id = 0;
      if (!ParseId(req.params.at("id"), &id)) {
        return ErrorReply(Status::Error(ErrorCode::kUserNotFound, "Deze gebruiker bestaat niet."),
                          req.request_id);
      }
      auto user = auth->SetUserDisabled(caller.principal, req.remote_address, id, true);
      if (!user.ok()) return ErrorReply(user.status(), req.request_id);
      return JsonReply(200, {{"user", UserJson(*user)}});
    });
  });

  router->Add("POST", "/api/admin/tokens", [auth](const Request& req) {
    return WithWrite(auth, req, true, [&](const Caller& caller, const nlohmann::json& body) {
      Status known = OnlyFields(body, {"name", "role", "groups"});
      if (!known.ok()) return ErrorReply(known, req.request_id);
      auto name = StringField(body, "name");
      auto role = StringField(body, "role");
      auto groups = ListField(body, "groups");
      for (const Status* s : {&name.status(), &role.status(), &groups.status()}) {
        if (!s->ok()) return ErrorReply(*s, req.request_id);
      }
      auto token = auth->CreateToken(caller.principal, req.remote_address, *name, *role, *groups);
      if (!token.ok()) return ErrorReply(token.status(), req.request_id);
      return JsonReply(201, {{"id", token->id}, {"token", token->token}});
    });
  });

  router->Add("DELETE", "/api/admin/tokens/{id}", [auth](const Request& req) {
    return WithWrite(auth, req, false, [&](const Caller& caller, const nlohmann::json&) {
      int64_t id = 0;
      if (!ParseId(req.params.at("id"), &id)) {
        return ErrorReply(Status::Error(ErrorCode::kTokenNotFound, "Dit token bestaat niet."),
                          req.request_id);
      }
      Status s = auth->RevokeToken(caller.principal, req.remote_address, id);
      if (!s.ok()) return ErrorReply(s, req.request_id);
      return JsonReply(200, {{"ok", true}});
    });
  });

  router->Add("GET", "/api/admin/audit", [auth](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      int64_t page_no = 1, size = 50;
      // Only the syntax here: the range of size (and its message) is
      // AccountStore::ListAudit's, kMaxAuditPageSize, so the two cannot drift.
      if ((!req.Query("page").empty() && !ParseId(req.Query("page"), &page_no)) ||
          (!req.Query("size").empty() && !ParseId(req.Query("size"), &size))) {
        return ErrorReply(Status::Error(ErrorCode::kInvalidParameter,
                                        "page en size moeten positieve gehele getallen zijn."),
                          req.request_id);
      }
      auto page = auth->ListAudit(caller.principal, req.remote_address, page_no, size);
      if (!page.ok()) return ErrorReply(page.status(), req.request_id);
      return JsonReply(200, AuditJson(*page, page_no, size));
    });
  });

  if (deps.academy != nullptr) AddAcademyRoutes(router.get(), deps);
  AddAccountRoutes(router.get(), deps);  // issue 13, auth: logout, second factor, privacy
  // Platform (issue 13); the rendered pages' bytes are measured here, where they live.
  ApiDeps with_rendered = deps;
  with_rendered.metrics_gauges = [more = deps.metrics_gauges, rendered] {
    std::vector<metrics::Gauge> gauges = more ? more() : std::vector<metrics::Gauge>();
    gauges.push_back(rendered->Bytes());
    gauges.push_back(rendered->Bound());
    return gauges;
  };
  AddMetricsRoutes(router.get(), with_rendered);
  // Issue 10: feed, search log and attachments.
  if (deps.news_feed != nullptr) AddFeedRoutes(router.get(), deps);
  if (deps.search_log != nullptr) AddSearchLogRoutes(router.get(), deps);
  if (deps.attachments != nullptr) AddAttachmentRoutes(router.get(), deps);
  return router;
}

}  // namespace kpo::http

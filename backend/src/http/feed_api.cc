// Issue 10: the Atom feed. GET /feed.atom for the caller (anonymous: the
// public feed), GET /feed/<secret>.atom for a member's feed reader (which
// sends no cookie), and the member's own link: GET/POST/DELETE /api/me/feed.
// Thin: feed/ decides what a feed holds.
#include "feed/news_feed.h"
#include "http/api.h"
#include "http/caller.h"

namespace kpo::http {

namespace {

Reply AtomReply(const StatusOr<std::string>& atom, const Request& req, bool shared) {
  if (!atom.ok()) return ErrorReply(atom.status(), req.request_id);
  Reply r;
  r.body = atom.value();
  r.content_type = "application/atom+xml; charset=utf-8";
  // Only the anonymous feed is the same for everyone; every other answer
  // keeps the server's private, no-store (http/server.cc).
  if (shared) {
    r.headers.emplace_back("Cache-Control", "public, max-age=300");
    r.headers.emplace_back("Vary", "Cookie, Authorization");
  }
  return r;
}

nlohmann::json LinkJson(const feed::FeedLink& link) {
  nlohmann::json out = {{"created_at", link.created_at}};
  if (!link.token.empty()) {
    out["token"] = link.token;
    out["url"] = link.path;
  }
  return out;
}

}  // namespace

void AddFeedRoutes(Router* router, const ApiDeps& deps) {
  access::AuthService* auth = deps.auth;
  feed::NewsFeed* feed = deps.news_feed;

  router->Add("GET", "/feed.atom", [auth, feed](const Request& req) {
    return WithCaller(auth, req, [&](const Caller& caller) {
      return AtomReply(feed->Atom(caller.principal), req, !caller.principal.authenticated());
    });
  });

  // The secret in the path is the only credential.
  router->Add("GET", "/feed/{token}", [feed](const Request& req) {
    std::string token = req.params.at("token");
    constexpr std::string_view kSuffix = ".atom";
    if (token.size() <= kSuffix.size() ||
        token.compare(token.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
      token.clear();  // refused below like any unknown secret
    } else {
      token.resize(token.size() - kSuffix.size());
    }
    return AtomReply(feed->PersonalAtom(token), req, false);
  });

  router->Add("GET", "/api/me/feed", [auth, feed](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      auto link = feed->Link(caller.principal);
      if (!link.ok()) return ErrorReply(link.status(), req.request_id);
      return JsonReply(200, {{"link", *link ? LinkJson(**link) : nlohmann::json(nullptr)}});
    });
  });

  router->Add("POST", "/api/me/feed", [auth, feed](const Request& req) {
    return WithWrite(auth, req, false, [&](const Caller& caller, const nlohmann::json&) {
      auto link = feed->CreateLink(caller.principal);
      if (!link.ok()) return ErrorReply(link.status(), req.request_id);
      return JsonReply(201, LinkJson(*link));
    });
  });

  router->Add("DELETE", "/api/me/feed", [auth, feed](const Request& req) {
    return WithWrite(auth, req, false, [&](const Caller& caller, const nlohmann::json&) {
      Status s = feed->RevokeLink(caller.principal);
      if (!s.ok()) return ErrorReply(s, req.request_id);
      return JsonReply(200, {{"ok", true}});
    });
  });
}

}  // namespace kpo::http

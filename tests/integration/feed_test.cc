// Issue 10 on a real server: the Atom feed (valid Atom 1.0, parsed back by
// Python's XML parser; only published news and products the caller may
// read; personal links that follow their owner's access and stop working
// when revoked, replaced or the account is disabled) and the search log
// behind the redactie's zero-result list (counts only, never who asked).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "support/server_fixture.h"

namespace kpo {
namespace {

using nlohmann::json;
using testing::HttpCall;
using testing::HttpResponse;

using Login = testing::Session;

// Checks `xml` with Python's parser against RFC 4287's required elements;
// returns "" when valid, else what is wrong.
std::string AtomProblems(const std::string& xml, const testing::TempDir& dir) {
  const std::string path = dir.Sub("feed.xml");
  testing::WriteFile(path, xml);
  const std::string script = R"PY(
import sys, xml.etree.ElementTree as ET, re
A = '{http://www.w3.org/2005/Atom}'
root = ET.parse(sys.argv[1]).getroot()
problems = []
rfc3339 = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$')
if root.tag != A + 'feed': problems.append('root is not atom:feed')
for name in ('id', 'title', 'updated'):
    if len(root.findall(A + name)) != 1: problems.append('feed needs one ' + name)
if not rfc3339.match(root.findtext(A + 'updated') or ''): problems.append('feed updated')
has_author = root.find(A + 'author/' + A + 'name') is not None
for e in root.findall(A + 'entry'):
    for name in ('id', 'title', 'updated'):
        if len(e.findall(A + name)) != 1: problems.append('entry needs one ' + name)
    if not rfc3339.match(e.findtext(A + 'updated') or ''): problems.append('entry updated')
    if e.find(A + 'link[@rel="alternate"]') is None: problems.append('entry link')
    if not has_author and e.find(A + 'author') is None: problems.append('author')
print('; '.join(problems))
)PY";
  testing::WriteFile(dir.Sub("check.py"), script);
  FILE* p = popen(("python3 " + dir.Sub("check.py") + " " + path + " 2>&1").c_str(), "r");
  if (p == nullptr) return "python3 did not start";
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  const int rc = pclose(p);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return rc == 0 ? out : "parse failed: " + out;
}

class FeedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::Corpus();
    corpus_->Add({.id = "nieuws-openbaar",
                  .title = "Openbaar <nieuws> & meer",
                  .type = "nieuws",
                  .published = "2026-10-01",
                  .summary = "Voor iedereen zichtbaar & <b>vet</b>."});
    corpus_->Add({.id = "product-leden",
                  .title = "Product voor leden",
                  .type = "product",
                  .access = "members",
                  .published = "2026-09-01"});
    corpus_->Add({.id = "nieuws-politie",
                  .title = "Politiebericht zebravink",
                  .type = "nieuws",
                  .access = "restricted",
                  .groups = {"politie"},
                  .published = "2026-08-01"});
    corpus_->Add({.id = "nieuws-concept",
                  .title = "Concept nieuws",
                  .type = "nieuws",
                  .werkplaats = "bibob",
                  .status = "draft",
                  .published = "2026-11-01"});
    corpus_->Add({.id = "handreiking-openbaar",
                  .title = "Handreiking openbaar",
                  .type = "handreiking",
                  .published = "2026-11-02"});
    server_ = new testing::ServerFixture(corpus_);
    AddUser("agent@politie.nl", "member", {"politie"});
    AddUser("ambtenaar@gemeente.nl", "member", {"gemeenten"});
    AddUser("redactie@kpo.nl", "redactie", {});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
  }
  static void AddUser(const std::string& email, const std::string& role,
                      const std::vector<std::string>& groups) {
    auto user = server_->auth()->AddUser(access::AuthService::LocalAdministrator(), "",
                                         {email, "Naam", role, groups, {}, testing::kPassword});
    ASSERT_TRUE(user.ok()) << user.status().ToString();
  }
  static Login SignIn(const std::string& email) {
    auto login = server_->auth()->Login(email, testing::kPassword, "127.0.0.1");
    EXPECT_TRUE(login.ok()) << login.status().ToString();
    return login.ok() ? Login{login->session_id, login->csrf_token} : Login{};
  }
  static HttpResponse Get(const std::string& target, const Login* who = nullptr) {
    return HttpCall(server_->port(), "GET", target,
                    who ? who->Headers() : std::vector<std::string>{});
  }
  static HttpResponse Send(const std::string& method, const std::string& target, const Login& who) {
    return HttpCall(server_->port(), method, target, who.Headers(), "");
  }
  static bool Has(const HttpResponse& r, const std::string& id) {
    return r.body.find("/items/" + id + "\"") != std::string::npos;
  }

  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
};

testing::Corpus* FeedTest::corpus_ = nullptr;
testing::ServerFixture* FeedTest::server_ = nullptr;

TEST_F(FeedTest, AnonymousFeedIsValidAtomOfPublicPublishedNewsAndProducts) {
  HttpResponse r = Get("/feed.atom");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/atom+xml; charset=utf-8");
  EXPECT_EQ(r.Header("cache-control"), "public, max-age=300");
  EXPECT_NE(r.Header("vary").find("Cookie"), std::string::npos);
  testing::TempDir dir;
  EXPECT_EQ(AtomProblems(r.body, dir), "") << r.body;
  EXPECT_TRUE(Has(r, "nieuws-openbaar"));
  EXPECT_NE(r.body.find("Openbaar &lt;nieuws&gt; &amp; meer"), std::string::npos);
  EXPECT_FALSE(Has(r, "product-leden"));
  EXPECT_FALSE(Has(r, "nieuws-politie"));
  EXPECT_FALSE(Has(r, "nieuws-concept"));
  EXPECT_FALSE(Has(r, "handreiking-openbaar"));  // only news and products
}

// The reported bug: every entry's <updated> was the day of the import.
// Items that did not change since then carry their published date.
TEST_F(FeedTest, EntriesAreDatedByTheirLastRealChangeNotTheImport) {
  HttpResponse r = Get("/feed.atom", nullptr);
  ASSERT_EQ(r.status, 200) << r.body;
  const size_t entry = r.body.find("tag:kpo.nl,2020:items/nieuws-openbaar");
  ASSERT_NE(entry, std::string::npos) << r.body;
  const size_t updated = r.body.find("<updated>", entry);
  ASSERT_NE(updated, std::string::npos);
  EXPECT_EQ(r.body.substr(updated, 39), "<updated>2026-10-01T00:00:00Z</updated>") << r.body;
  // The feed's own date is its newest entry's, not today either.
  EXPECT_NE(r.body.find("  <updated>2026-10-01T00:00:00Z</updated>\n"), std::string::npos);
}

TEST_F(FeedTest, SignedInFeedFollowsTheCallersAccessAndIsNeverShared) {
  Login agent = SignIn("agent@politie.nl");
  Login gemeente = SignIn("ambtenaar@gemeente.nl");
  Login redactie = SignIn("redactie@kpo.nl");
  HttpResponse a = Get("/feed.atom", &agent);
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.Header("cache-control"), "private, no-store");
  EXPECT_TRUE(Has(a, "nieuws-politie"));
  EXPECT_TRUE(Has(a, "product-leden"));
  HttpResponse g = Get("/feed.atom", &gemeente);
  EXPECT_TRUE(Has(g, "product-leden"));
  EXPECT_FALSE(Has(g, "nieuws-politie"));
  // The redactie may read drafts, but a feed holds only what is published.
  HttpResponse r = Get("/feed.atom", &redactie);
  EXPECT_TRUE(Has(r, "nieuws-politie"));
  EXPECT_FALSE(Has(r, "nieuws-concept"));
}

TEST_F(FeedTest, PersonalLinksFollowTheOwnerAndStopWhenRevokedOrReplaced) {
  Login agent = SignIn("agent@politie.nl");
  Login gemeente = SignIn("ambtenaar@gemeente.nl");
  EXPECT_EQ(Get("/api/me/feed", &agent).Json()["link"], nullptr);
  HttpResponse created = Send("POST", "/api/me/feed", agent);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string url = created.Json()["url"];
  ASSERT_EQ(url.rfind("/feed/", 0), 0u);
  EXPECT_TRUE(Get("/api/me/feed", &agent).Json()["link"].contains("created_at"));
  EXPECT_FALSE(Get("/api/me/feed", &agent).Json()["link"].contains("token"));

  HttpResponse mine = Get(url);  // a feed reader: no cookie
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Header("cache-control"), "private, no-store");
  EXPECT_TRUE(Has(mine, "nieuws-politie"));
  EXPECT_EQ(mine.body.find(created.Json()["token"].get<std::string>()), std::string::npos);
  testing::TempDir dir;
  EXPECT_EQ(AtomProblems(mine.body, dir), "");

  HttpResponse other = Send("POST", "/api/me/feed", gemeente);
  ASSERT_EQ(other.status, 201);
  HttpResponse theirs = Get(other.Json()["url"].get<std::string>());
  ASSERT_EQ(theirs.status, 200);
  EXPECT_FALSE(Has(theirs, "nieuws-politie"));  // restricted items never in the wrong feed

  // A new link replaces the old one; a revoked link is gone.
  HttpResponse again = Send("POST", "/api/me/feed", agent);
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(Get(url).status, 404);
  EXPECT_EQ(Get(url).ErrorCodeName(), "news_feed_not_found");
  const std::string url2 = again.Json()["url"];
  EXPECT_EQ(Get(url2).status, 200);
  EXPECT_EQ(Send("DELETE", "/api/me/feed", agent).status, 200);
  EXPECT_EQ(Get(url2).status, 404);
  EXPECT_EQ(Get("/api/me/feed", &agent).Json()["link"], nullptr);

  // Malformed or guessed secrets get the same 404.
  for (const char* bad :
       {"/feed/abc.atom", "/feed/.atom", "/feed/x",
        "/feed/0000000000000000000000000000000000000000000000000000000000000000.atom"}) {
    EXPECT_EQ(Get(bad).status, 404) << bad;
  }
}

// The link routes take no body: one they cannot read or fields they would
// ignore are refused before anything changes, as every route with a body
// refuses unknown fields.
TEST_F(FeedTest, LinkRoutesRefuseABodyTheyWouldIgnore) {
  AddUser("stuurt@gemeente.nl", "member", {"gemeenten"});
  Login who = SignIn("stuurt@gemeente.nl");
  auto send = [&](const std::string& method, const std::string& body) {
    return HttpCall(server_->port(), method, "/api/me/feed", who.Headers(), body);
  };
  for (const std::string method : {"POST", "DELETE"}) {
    HttpResponse broken = send(method, "{\"kind\":");
    EXPECT_EQ(broken.status, 400) << method;
    EXPECT_EQ(broken.ErrorCodeName(), "invalid_json") << method;
    HttpResponse unknown = send(method, "{\"rotate\":true}");
    EXPECT_EQ(unknown.status, 400) << method;
    EXPECT_EQ(unknown.ErrorCodeName(), "invalid_field") << method;
    EXPECT_NE(unknown.Json()["error"]["message"].get<std::string>().find("geen velden"),
              std::string::npos);
    EXPECT_EQ(Get("/api/me/feed", &who).Json()["link"], nullptr) << method;
  }
  HttpResponse created = send("POST", "{}");  // an empty object is no body
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(send("DELETE", "{\"x\":1}").status, 400);
  EXPECT_EQ(Get(created.Json()["url"].get<std::string>()).status, 200);  // still there
}

TEST_F(FeedTest, LinksNeedAnAccountAndDieWithIt) {
  EXPECT_EQ(HttpCall(server_->port(), "POST", "/api/me/feed").status, 401);
  AddUser("vertrekt@gemeente.nl", "member", {"gemeenten"});
  Login leaving = SignIn("vertrekt@gemeente.nl");
  HttpResponse created = Send("POST", "/api/me/feed", leaving);
  ASSERT_EQ(created.status, 201);
  const std::string url = created.Json()["url"];
  ASSERT_EQ(Get(url).status, 200);
  auto users = server_->auth()->ListUsers(access::AuthService::LocalAdministrator(), "");
  ASSERT_TRUE(users.ok());
  for (const auto& u : *users) {
    if (u.email == "vertrekt@gemeente.nl") {
      ASSERT_TRUE(server_->auth()
                      ->SetUserDisabled(access::AuthService::LocalAdministrator(), "", u.id, true)
                      .ok());
    }
  }
  EXPECT_EQ(Get(url).status, 404);
}

TEST_F(FeedTest, PortalPageMakesShowsOnceAndRevokesTheLinkWithoutJavaScript) {
  EXPECT_EQ(Get("/mijn-feed").status, 303);
  AddUser("lezer@gemeente.nl", "member", {"gemeenten"});
  Login reader = SignIn("lezer@gemeente.nl");
  const std::string cookie = "Cookie: kpo_session=" + reader.cookie;
  const std::string form = "Content-Type: application/x-www-form-urlencoded";
  HttpResponse page = Get("/mijn-feed", &reader);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<h1 class=\"utrecht-heading-1\">Mijn feed</h1>"), std::string::npos);
  EXPECT_NE(page.body.find("nog geen persoonlijke feed-link"), std::string::npos);
  EXPECT_EQ(HttpCall(server_->port(), "POST", "/mijn-feed", {cookie, form}, "actie=maken").status,
            403);  // no CSRF token in the form
  HttpResponse made = HttpCall(server_->port(), "POST", "/mijn-feed", {cookie, form},
                               "csrf=" + reader.csrf + "&actie=maken");
  ASSERT_EQ(made.status, 200);
  const size_t at = made.body.find("/feed/");
  ASSERT_NE(at, std::string::npos);
  const std::string url = made.body.substr(at, 6 + 64 + 5);
  // Absolute, on the Host the request came to, so it can go into a feed
  // reader as it is (the same helper as the agenda link).
  const size_t value = made.body.find("value=\"http://");
  ASSERT_NE(value, std::string::npos) << made.body;
  const size_t start = value + 7;
  const std::string shown = made.body.substr(start, made.body.find('"', start) - start);
  EXPECT_EQ(shown.substr(shown.size() - url.size()), url) << shown;
  EXPECT_EQ(Get(url).status, 200) << url;
  // Shown once: the page does not show it again.
  EXPECT_EQ(Get("/mijn-feed", &reader).body.find(url), std::string::npos);
  HttpResponse revoked = HttpCall(server_->port(), "POST", "/mijn-feed", {cookie, form},
                                  "csrf=" + reader.csrf + "&actie=intrekken");
  ASSERT_EQ(revoked.status, 200);
  EXPECT_NE(revoked.body.find("ingetrokken"), std::string::npos);
  EXPECT_EQ(Get(url).status, 404);
}

TEST_F(FeedTest, ZeroResultSearchesAreCountedWithoutIdentityForTheRedactie) {
  Login agent = SignIn("agent@politie.nl");
  Login redactie = SignIn("redactie@kpo.nl");
  EXPECT_EQ(Get("/api/search?q=kwartelkoning").status, 200);
  EXPECT_EQ(Get("/api/search?q=Kwartelkoning", &agent).status, 200);
  EXPECT_EQ(Get("/zoeken?q=kwartelkoning").status, 200);             // the portal counts too
  EXPECT_EQ(Get("/api/search?q=kwartelkoning&page=2").status, 200);  // a page turn: not counted
  EXPECT_EQ(Get("/api/search?q=kwartelkoning&type=nieuws").status, 200);  // a filter: not counted
  EXPECT_EQ(Get("/api/search?q=openbaar").status, 200);                   // found something
  // Found by the police member only: for anonymous callers it found nothing.
  EXPECT_EQ(Get("/api/search?q=zebravink", &agent).Json()["total"], 1);
  EXPECT_EQ(Get("/api/search?q=zebravink").Json()["total"], 0);

  HttpResponse r = Get("/api/redactie/zero-results", &redactie);
  ASSERT_EQ(r.status, 200) << r.body;
  std::map<std::string, int64_t> counts;
  const json answer = r.Json();  // kept: the loops below refer into it
  for (const auto& q : answer["queries"]) {
    counts[q["query"].get<std::string>()] = q["count"].get<int64_t>();
  }
  EXPECT_EQ(counts["kwartelkoning"], 3) << r.body;
  EXPECT_EQ(counts["zebravink"], 1);
  EXPECT_EQ(counts.count("openbaar"), 0u);
  EXPECT_EQ(r.body.find("agent@politie.nl"), std::string::npos);
  for (const auto& q : answer["queries"]) {
    for (const auto& [key, value] : q.items()) {
      EXPECT_TRUE(key == "query" || key == "count" || key == "last_day") << key;
    }
  }

  EXPECT_EQ(Get("/api/redactie/zero-results", &agent).status, 403);
  EXPECT_EQ(Get("/api/redactie/zero-results").status, 401);
}

}  // namespace
}  // namespace kpo

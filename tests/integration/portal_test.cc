// The portal's pages (backend/src/portal) on a real server over a real,
// freshly indexed corpus: escaping of hostile titles and queries, the
// headers of every route, traversal answered with the Dutch 404, the no-JS
// sign-in and sign-out forms (CSRF), restricted items never rendered for the
// wrong caller (with one 404 body for missing and forbidden items),
// pagination reaching the last page, and spelling=off.
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>

#include "support/server_fixture.h"
#include "support/test_support.h"

namespace kpo {
namespace {

using testing::HttpCall;
using testing::HttpResponse;
using testing::UrlEncode;

constexpr int kPagedItems = 35;  // 4 pages of 10

// An academy course file with one session on the day of `start`
// ("YYYY-MM-DDTHH:MM", Dutch local time) until 17:00; `access` is its
// access lines (the audience).
std::string CourseFile(const std::string& id, const std::string& title, const std::string& access,
                       const std::string& published, const std::string& start) {
  return "---\nid: " + id + "\ntitle: \"" + title + "\"\ntype: cursus\nthemes: [bibob]\n" + access +
         "\npublished: " + published +
         "\nformat: klassikaal\nsessions:\n  - id: sessie\n    start: " + start +
         "\n    end: " + start.substr(0, 11) +
         "17:00\n    location: Utrecht\n    capacity: 24\n---\nOver " + title + ".\n";
}

using Browser = testing::SignedInBrowser;

using testing::HiddenField;

class PortalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::Corpus();
    corpus_->Add({.id = "vijandig",
                  .title = "<script>alert('titel')</script> & <b>vet</b>",
                  .published = "2022-05-24",
                  .summary = "<img src=x onerror=alert(1)>",
                  .body = "Witwassen herkennen. Witwassen melden. Witwassen voorkomen."});
    corpus_->Add({.id = "witwassen-gids",
                  .title = "Gids witwassen",
                  .published = "2021-01-01",
                  .body = "Over witwassen en witwassen bij gemeenten."});
    corpus_->Add({.id = "leden-notitie",
                  .title = "Notitie voor leden",
                  .access = "members",
                  .published = "2022-02-02",
                  .body = "Ledenmateriaal over ondermijning."});
    corpus_->Add({.id = "politie-dossier",
                  .title = "Dossier zwartkraai",
                  .type = "nieuws",
                  .access = "restricted",
                  .groups = {"politie", "om"},
                  .published = "2023-03-03",
                  .body = "Operatie zwartkraai en ondermijning."});
    for (int i = 1; i <= kPagedItems; ++i) {
      char day[3];
      std::snprintf(day, sizeof day, "%02d", i % 28 + 1);
      corpus_->Add({.id = "blad-" + std::to_string(i),
                    .title = "Bladzijde " + std::to_string(i),
                    .published = std::string("2020-01-") + day,
                    .body = "Paginering van resultaten, nummer " + std::to_string(i) + "."});
    }
    // Close words: "vlookup" in one item, "lookup" (one edit away) in two.
    corpus_->Add({.id = "vlookup-functie",
                  .title = "Functie vlookup",
                  .published = "2019-01-01",
                  .body = "De functie vlookup zoekt een waarde."});
    for (int i = 1; i <= 2; ++i) {
      corpus_->Add({.id = "lookup-" + std::to_string(i),
                    .title = "Opzoeken " + std::to_string(i),
                    .published = "2019-01-02",
                    .body = "Met lookup zoekt u een waarde."});
    }
    // Academy courses for the home: an open course, a politie-only
    // masterclass whose session comes first (so it would lead the list if
    // access were not applied), and a course whose only session is past but
    // whose item is the newest (the home once listed course items by date).
    testing::WriteFile(corpus_->content_dir() + "/cursus-kievit.md",
                       CourseFile("cursus-kievit", "Cursus kievit-signalen", "access: public",
                                  "2024-01-01", "2027-01-12T09:30"));
    testing::WriteFile(
        corpus_->content_dir() + "/masterclass-zebravink.md",
        CourseFile("masterclass-zebravink", "Masterclass zebravink-analyse",
                   "access: restricted\ngroups: [politie]", "2024-01-01", "2027-01-05T09:00"));
    testing::WriteFile(corpus_->content_dir() + "/cursus-verleden.md",
                       CourseFile("cursus-verleden", "Cursus grutto-verleden", "access: public",
                                  "2026-11-01", "2021-03-01T09:00"));
    access::AuthOptions options = testing::FixtureAuthOptions();
    options.address_failure_limit = 1000;  // every test signs in from 127.0.0.1
    server_ = new testing::ServerFixture(corpus_, options);
    AddUser("agent@politie.nl", "Agent Jansen", "member", {"politie"});
    AddUser("lid@gemeente.nl", "Lid Gemeente", "member", {"gemeenten"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
  }

  static void AddUser(const std::string& email, const std::string& name, const std::string& role,
                      std::vector<std::string> groups) {
    access::NewUserRequest req{email, name, role, std::move(groups), {}, testing::kPassword};
    auto user = server_->auth()->AddUser(access::AuthService::LocalAdministrator(), "", req);
    ASSERT_TRUE(user.ok()) << user.status().ToString();
  }

  static HttpResponse Get(const std::string& target, const std::vector<std::string>& headers = {}) {
    return HttpCall(server_->port(), "GET", target, headers);
  }
  static HttpResponse PostForm(const std::string& target, std::vector<std::string> headers,
                               const std::string& body) {
    headers.push_back("Content-Type: application/x-www-form-urlencoded");
    return HttpCall(server_->port(), "POST", target, headers, body);
  }

  // Signs in through the no-JS form: GET /inloggen, then POST it back.
  static HttpResponse SubmitLogin(const std::string& email, const std::string& password,
                                  const std::string& next = "") {
    auto form = Get("/inloggen");
    EXPECT_EQ(form.status, 200);
    const std::string token = testing::CookieValue(form.Header("set-cookie"), "kpo_login");
    EXPECT_FALSE(token.empty());
    EXPECT_EQ(HiddenField(form.body, "login_token"), token);
    return PostForm("/inloggen", {"Cookie: kpo_login=" + token},
                    "login_token=" + token + "&email=" + UrlEncode(email) +
                        "&password=" + UrlEncode(password) + "&next=" + UrlEncode(next));
  }
  static Browser SignIn(const std::string& email) {
    auto r = SubmitLogin(email, testing::kPassword);
    EXPECT_EQ(r.status, 303) << r.body.substr(0, 300);
    Browser b;
    b.cookie = "Cookie: kpo_session=" + testing::CookieValue(r.Header("set-cookie"), "kpo_session");
    b.csrf = HiddenField(Get("/", {b.cookie}).body, "csrf");
    EXPECT_FALSE(b.csrf.empty());
    return b;
  }

  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
};

testing::Corpus* PortalTest::corpus_ = nullptr;
testing::ServerFixture* PortalTest::server_ = nullptr;

TEST_F(PortalTest, HostileTitlesAndQueriesAreEscaped) {
  for (const std::string target :
       {"/items/vijandig", "/zoeken?q=witwassen", "/zoeken?sort=date", "/"}) {
    auto r = Get(target);
    ASSERT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body.find("<script>alert"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("<b>vet"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("<img src=x"), std::string::npos) << target;
  }
  auto item = Get("/items/vijandig");
  EXPECT_NE(item.body.find("&lt;script&gt;alert(&apos;titel&apos;)&lt;/script&gt; &amp; "
                           "&lt;b&gt;vet&lt;/b&gt;"),
            std::string::npos);
  // The query comes back in the search box, the title and the status line.
  const std::string hostile = "\"><script>alert(2)</script>";
  auto search = Get("/zoeken?q=" + UrlEncode(hostile));
  ASSERT_EQ(search.status, 200);
  EXPECT_EQ(search.body.find("<script>alert(2)"), std::string::npos);
  EXPECT_NE(search.body.find("&quot;&gt;&lt;script&gt;alert(2)"), std::string::npos);
}

TEST_F(PortalTest, EveryRouteSendsTheSecurityAndCachingHeaders) {
  auto member = SignIn("lid@gemeente.nl");
  for (const std::string target :
       {"/", "/zoeken?q=witwassen", "/items/witwassen-gids", "/items/bestaat-niet", "/themas/bibob",
        "/werkplaatsen/bibob", "/inloggen", "/toegankelijkheid", "/privacy", "/contact", "/nergens",
        "/static/../CMakeLists.txt"}) {
    for (const auto& headers :
         {std::vector<std::string>{}, std::vector<std::string>{member.cookie}}) {
      auto r = Get(target, headers);
      SCOPED_TRACE(target + (headers.empty() ? " anoniem" : " lid"));
      EXPECT_NE(r.Header("content-type").find("text/html"), std::string::npos);
      const std::string csp = r.Header("content-security-policy");
      EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
      EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
      EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
      EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
      EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
      EXPECT_EQ(r.Header("referrer-policy"), "same-origin");
      EXPECT_EQ(r.Header("cache-control"), "private, no-store");
      EXPECT_NE(r.body.find("<html lang=\"nl\""), std::string::npos);
      EXPECT_NE(r.body.find(" — Kennisplatform Ondermijning</title>"), std::string::npos);
    }
  }
  // Static assets: an ETag, revalidated (304) without a version, a year
  // of caching for versioned links.
  auto css = Get("/static/portal.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_NE(css.Header("content-type").find("text/css"), std::string::npos);
  EXPECT_EQ(css.Header("cache-control"), "no-cache");
  const std::string etag = css.Header("etag");
  ASSERT_FALSE(etag.empty());
  auto again = Get("/static/portal.css", {"If-None-Match: " + etag});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  auto versioned = Get("/static/portal.css?v=abc");
  EXPECT_EQ(versioned.Header("cache-control"), "public, max-age=31536000, immutable");
  // Caller-dependent API answers are not cached either.
  for (const std::string target :
       {"/api/health", "/api/search?q=witwassen", "/api/suggest?q=wit"}) {
    EXPECT_EQ(Get(target, {member.cookie}).Header("cache-control"), "private, no-store") << target;
  }
  // The API stays JSON.
  auto api = Get("/api/nergens");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.ErrorCodeName(), "route_not_found");
}

TEST_F(PortalTest, TraversalAndUnknownPathsGetTheDutch404) {
  for (const std::string target :
       {"/nergens", "/static/../CMakeLists.txt", "/static/%2e%2e/CMakeLists.txt",
        "/static/..%2fCMakeLists.txt", "/static/js/../../CMakeLists.txt", "/%2e%2e/etc/passwd",
        "/static/%00", "/static/", "/static", "/items", "/items/a/b", "/themas/bestaat-niet",
        "/werkplaatsen/bestaat-niet", "/%zz"}) {
    auto r = Get(target);
    SCOPED_TRACE(target);
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.Header("content-type").find("text/html"), std::string::npos);
    EXPECT_EQ(r.body.find("cmake_minimum_required"), std::string::npos);
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
    EXPECT_NE(r.body.find("<h1 class=\"utrecht-heading-1\">Pagina niet gevonden</h1>"),
              std::string::npos);
  }
  // Another method on a page: the HTML page too, with Allow.
  auto post = PostForm("/zoeken", {}, "q=x");
  EXPECT_EQ(post.status, 405);
  EXPECT_NE(post.Header("content-type").find("text/html"), std::string::npos);
  EXPECT_EQ(post.Header("allow"), "GET, HEAD");  // HEAD wherever GET is allowed
}

TEST_F(PortalTest, SignInAndOutWorkAsPlainForms) {
  auto anonymous = Get("/");
  EXPECT_NE(anonymous.body.find(">Inloggen</a>"), std::string::npos);

  auto wrong = SubmitLogin("agent@politie.nl", "fout-wachtwoord-123");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("Onjuist e-mailadres of wachtwoord."), std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"agent@politie.nl\""), std::string::npos);
  EXPECT_TRUE(testing::CookieValue(wrong.Header("set-cookie"), "kpo_session").empty());

  auto ok = SubmitLogin("agent@politie.nl", testing::kPassword, "/zoeken?q=zwartkraai");
  ASSERT_EQ(ok.status, 303);
  EXPECT_EQ(ok.Header("location"), "/zoeken?q=zwartkraai");
  const std::string session = testing::CookieValue(ok.Header("set-cookie"), "kpo_session");
  ASSERT_FALSE(session.empty());
  EXPECT_NE(ok.Header("set-cookie").find("HttpOnly"), std::string::npos);
  EXPECT_NE(ok.Header("set-cookie").find("SameSite=Strict"), std::string::npos);
  const std::string cookie = "Cookie: kpo_session=" + session;
  auto home = Get("/", {cookie});
  EXPECT_NE(home.body.find("Agent Jansen"), std::string::npos);
  EXPECT_NE(home.body.find("(lid)"), std::string::npos);
  EXPECT_NE(home.body.find(">Uitloggen</button>"), std::string::npos);
  const std::string csrf = HiddenField(home.body, "csrf");
  ASSERT_FALSE(csrf.empty());

  // Sign-out needs the page's token: a forged form is refused, the session lives.
  auto forged = PostForm("/uitloggen", {cookie}, "csrf=verkeerd");
  EXPECT_EQ(forged.status, 403);
  EXPECT_NE(Get("/", {cookie}).body.find("Agent Jansen"), std::string::npos);
  auto out = PostForm("/uitloggen", {cookie}, "csrf=" + csrf);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(out.Header("location"), "/");
  EXPECT_NE(out.Header("set-cookie").find("Max-Age=0"), std::string::npos);
  auto after = Get("/", {cookie});
  EXPECT_EQ(after.body.find("Agent Jansen"), std::string::npos);
  EXPECT_NE(after.body.find(">Inloggen</a>"), std::string::npos);
  EXPECT_EQ(Get("/api/auth/me", {cookie}).status, 401);
}

TEST_F(PortalTest, LoginFormIsProtectedAgainstLoginCsrfAndOpenRedirects) {
  // A foreign page can post the form but cannot know the token cookie.
  auto forged = PostForm(
      "/inloggen", {},
      "login_token=abc&email=agent%40politie.nl&password=" + std::string(testing::kPassword));
  EXPECT_EQ(forged.status, 403);
  EXPECT_TRUE(testing::CookieValue(forged.Header("set-cookie"), "kpo_session").empty());
  auto mismatched = PostForm(
      "/inloggen", {"Cookie: kpo_login=een"},
      "login_token=twee&email=agent%40politie.nl&password=" + std::string(testing::kPassword));
  EXPECT_EQ(mismatched.status, 403);
  EXPECT_TRUE(testing::CookieValue(mismatched.Header("set-cookie"), "kpo_session").empty());
  for (const std::string next :
       {"//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"}) {
    auto r = SubmitLogin("lid@gemeente.nl", testing::kPassword, next);
    ASSERT_EQ(r.status, 303) << next;
    EXPECT_EQ(r.Header("location"), "/") << next;
  }
}

TEST_F(PortalTest, RestrictedItemsAreRenderedOnlyForThoseWhoMayReadThem) {
  auto police = SignIn("agent@politie.nl");
  auto municipality = SignIn("lid@gemeente.nl");

  auto seen = Get("/items/politie-dossier", {police.cookie});
  ASSERT_EQ(seen.status, 200);
  EXPECT_NE(seen.body.find("Dossier zwartkraai"), std::string::npos);
  EXPECT_NE(seen.body.find("Alleen voor: Politie, Openbaar Ministerie"), std::string::npos);
  EXPECT_NE(seen.body.find("<dt>Gepubliceerd</dt><dd><time datetime=\"2023-03-03\">3 maart "
                           "2023</time></dd>"),
            std::string::npos);
  // Imported once, never changed: the import itself is no update.
  EXPECT_NE(seen.body.find("<dt>Bijgewerkt</dt><dd>—</dd>"), std::string::npos);
  // Lists say who may read an item too, not only its own page.
  for (const std::string target : {"/zoeken?q=zwartkraai", "/"}) {
    const std::string body = Get(target, {police.cookie}).body;
    const size_t at = body.find("Dossier zwartkraai");
    ASSERT_NE(at, std::string::npos) << target;
    const size_t label = body.find("Alleen voor: Politie, Openbaar Ministerie", at);
    EXPECT_LT(label, body.find("class=\"kpo-hit\"", at + 1)) << target;
  }

  for (const auto& headers :
       {std::vector<std::string>{}, std::vector<std::string>{municipality.cookie}}) {
    const bool anonymous = headers.empty();
    SCOPED_TRACE(anonymous ? "anoniem" : "gemeente");
    auto forbidden = Get("/items/politie-dossier", headers);
    auto missing = Get("/items/bestaat-niet", headers);
    EXPECT_EQ(forbidden.status, 404);
    EXPECT_EQ(missing.status, 404);
    for (const auto* page : {&forbidden, &missing}) {
      EXPECT_EQ(page->body.find("zwartkraai"), std::string::npos);
      EXPECT_EQ(page->body.find("Alleen voor"), std::string::npos);
    }
    // One body for both, but for the address itself (in the sign-in link).
    std::string a = forbidden.body, b = missing.body;
    a = std::regex_replace(a, std::regex("politie-dossier"), "ID");
    b = std::regex_replace(b, std::regex("bestaat-niet"), "ID");
    EXPECT_EQ(a, b);
    EXPECT_EQ(forbidden.body.find("Als u inlogt") != std::string::npos, anonymous);
    for (const std::string target : {"/zoeken?q=zwartkraai", "/", "/zoeken?type=nieuws"}) {
      const std::string body = Get(target, headers).body;
      EXPECT_EQ(body.find("Dossier zwartkraai"), std::string::npos) << target;
      EXPECT_EQ(body.find("politie-dossier"), std::string::npos) << target;
    }
  }
  // Members-only items: members yes, anonymous no.
  EXPECT_EQ(Get("/items/leden-notitie", {municipality.cookie}).status, 200);
  EXPECT_NE(Get("/items/leden-notitie", {municipality.cookie}).body.find("Alleen voor leden"),
            std::string::npos);
  EXPECT_EQ(Get("/items/leden-notitie").status, 404);
}

// The home's academy block: the next upcoming courses the caller may read,
// with the next session in Dutch local time and the free places.
// The public news feed can be found: announced in every page's head for
// feed readers, linked on the home page; members also get their own.
TEST_F(PortalTest, TheNewsFeedCanBeFound) {
  const std::string kAlternate =
      "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Nieuws en producten — "
      "Kennisplatform Ondermijning\" href=\"/feed.atom\">";
  for (const char* path : {"/", "/zoeken?q=witwassen", "/items/witwassen-gids"}) {
    EXPECT_NE(Get(path).body.find(kAlternate), std::string::npos) << path;
  }
  const std::string home = Get("/").body;
  EXPECT_NE(home.find("href=\"/feed.atom\" type=\"application/atom+xml\">"), std::string::npos);
  EXPECT_EQ(home.find("uw eigen feed"), std::string::npos);
  auto member = SignIn("lid@gemeente.nl");
  EXPECT_NE(Get("/", {member.cookie}).body.find("href=\"/mijn-feed\">uw eigen feed</a>"),
            std::string::npos);
  EXPECT_EQ(Get("/feed.atom").status, 200);
}

TEST_F(PortalTest, HomeListsUpcomingCoursesTheCallerMaySee) {
  const std::string kOpenEntry =
      "<a class=\"utrecht-link\" href=\"/academie/cursus-kievit\">Cursus kievit-signalen</a>";
  const std::string kOpenSession =
      "Volgende bijeenkomst: <time datetime=\"2027-01-12T09:30\">di 12 januari 2027, "
      "09:30</time> · <span class=\"kpo-places\">24 plaatsen vrij</span>";
  auto police = SignIn("agent@politie.nl");
  auto municipality = SignIn("lid@gemeente.nl");

  const std::string seen = Get("/", {police.cookie}).body;
  const size_t masterclass = seen.find("href=\"/academie/masterclass-zebravink\"");
  ASSERT_NE(masterclass, std::string::npos);
  EXPECT_NE(seen.find("di 5 januari 2027, 09:00"), std::string::npos);
  EXPECT_LT(masterclass, seen.find(kOpenEntry)) << "sorted by next session";

  for (const auto& headers :
       {std::vector<std::string>{}, std::vector<std::string>{municipality.cookie}}) {
    SCOPED_TRACE(headers.empty() ? "anoniem" : "gemeente");
    const std::string body = Get("/", headers).body;
    EXPECT_NE(body.find(kOpenEntry), std::string::npos);
    EXPECT_NE(body.find(kOpenSession), std::string::npos);
    EXPECT_EQ(body.find("zebravink"), std::string::npos);
    EXPECT_EQ(body.find("5 januari 2027"), std::string::npos);
    // A course whose sessions are all past is not upcoming.
    EXPECT_EQ(body.find("grutto-verleden"), std::string::npos);
    EXPECT_EQ(body.find("geen komende cursussen"), std::string::npos);
    EXPECT_NE(body.find("href=\"/academie\">Alle cursussen van de Academie"), std::string::npos);
  }
}

TEST_F(PortalTest, PaginationReachesTheLastPage) {
  auto first = Get("/zoeken?q=paginering");
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.body.find(std::to_string(kPagedItems) + " resultaten voor ‘paginering’"),
            std::string::npos);
  EXPECT_NE(first.body.find("aria-label=\"Paginering\""), std::string::npos);
  EXPECT_NE(first.body.find("href=\"/zoeken?q=paginering&amp;page=4\" aria-label=\"Pagina 4\""),
            std::string::npos);
  EXPECT_NE(first.body.find("aria-label=\"Pagina 1\" aria-current=\"page\""), std::string::npos);
  EXPECT_NE(first.body.find(">Volgende</a>"), std::string::npos);
  EXPECT_EQ(first.body.find(">Vorige</a>"), std::string::npos);

  auto last = Get("/zoeken?q=paginering&page=4");
  ASSERT_EQ(last.status, 200);
  EXPECT_NE(last.body.find("aria-label=\"Pagina 4\" aria-current=\"page\""), std::string::npos);
  EXPECT_NE(last.body.find(">Vorige</a>"), std::string::npos);
  EXPECT_EQ(last.body.find(">Volgende</a>"), std::string::npos);
  size_t hits = 0;
  for (size_t at = last.body.find("class=\"kpo-hit\""); at != std::string::npos;
       at = last.body.find("class=\"kpo-hit\"", at + 1)) {
    ++hits;
  }
  EXPECT_EQ(hits, static_cast<size_t>(kPagedItems - 30));
  EXPECT_NE(last.body.find("<title>Zoeken naar ‘paginering’ (pagina 4)"), std::string::npos);

  // An old or edited link past the end lands on the last page.
  auto past = Get("/zoeken?q=paginering&page=99");
  EXPECT_EQ(past.status, 303);
  EXPECT_EQ(past.Header("location"), "/zoeken?q=paginering&page=4");
}

TEST_F(PortalTest, BadAddressesGetAPlainDutchMessageNotTheApis) {
  for (const std::string target :
       {"/zoeken?type=onbekend", "/zoeken?q=a&sort=foo", "/themas/bibob?year=abc"}) {
    auto r = Get(target);
    if (r.status == 404) continue;  // an unknown theme page is a 404 of its own
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_NE(r.body.find("die niet (meer) bestaat"), std::string::npos) << target;
    for (const char* api_words : {"/api/vocabulary", "Parameter ", "Onbekende waarde"}) {
      EXPECT_EQ(r.body.find(api_words), std::string::npos) << target << ": " << api_words;
    }
  }
}

// A date that does not exist, or an end before the start, is said beside its
// field, and the page keeps its results, filters and the typed value: it
// was replaced by "Dit adres bevat ..." with no form at all.
TEST_F(PortalTest, AWrongDateIsSaidBesideItsFieldAndThePageStays) {
  auto wrong = Get("/zoeken?q=witwassen&from=2025-13-45");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("id=\"from-fout\">Vul een bestaande datum in"), std::string::npos)
      << wrong.body;
  EXPECT_NE(wrong.body.find("value=\"2025-13-45\" aria-invalid=\"true\" "
                            "aria-describedby=\"from-fout\" autofocus>"),
            std::string::npos);
  EXPECT_NE(wrong.body.find("id=\"kpo-filter-form\""), std::string::npos);
  EXPECT_EQ(wrong.body.find("die niet (meer) bestaat"), std::string::npos);
  auto reversed = Get("/zoeken?q=witwassen&from=2024-01-01&to=2020-01-01");
  EXPECT_EQ(reversed.status, 400);
  EXPECT_NE(reversed.body.find("id=\"to-fout\">‘Tot en met’ ligt vóór ‘Vanaf’"), std::string::npos);
  EXPECT_NE(reversed.body.find("value=\"2024-01-01\">"), std::string::npos);  // kept, not marked
  EXPECT_NE(reversed.body.find("class=\"kpo-results\""), std::string::npos);
  // Only the dates the search used count as active filters.
  EXPECT_EQ(wrong.body.find("Actieve filters"), std::string::npos);
  EXPECT_NE(reversed.body.find("vanaf 1 januari 2024"), std::string::npos);
  EXPECT_EQ(reversed.body.find("tot en met 1 januari 2020"), std::string::npos);
  EXPECT_EQ(Get("/zoeken?q=witwassen&from=2020-01-01&to=2024-01-01").status, 200);
}

// "Niets gevonden" gives only the advice that fits: words to check when
// there are words, filters to drop when some are on, signing in only to
// those not signed in (with a link back to the same search).
TEST_F(PortalTest, NothingFoundAdvisesWhatFitsTheSearchAndTheCaller) {
  const Browser member = SignIn("lid@gemeente.nl");
  auto words = Get("/zoeken?q=kwartelkoning");
  EXPECT_NE(words.body.find("Niets gevonden"), std::string::npos);
  EXPECT_NE(words.body.find("Controleer de spelling"), std::string::npos);
  EXPECT_EQ(words.body.find("Verwijder filters"), std::string::npos);
  EXPECT_NE(words.body.find("href=\"/inloggen?next=%2Fzoeken%3Fq%3Dkwartelkoning\">log in</a>"),
            std::string::npos)
      << words.body;
  auto signed_in = Get("/zoeken?q=kwartelkoning", {member.cookie});
  EXPECT_NE(signed_in.body.find("Controleer de spelling"), std::string::npos);
  EXPECT_EQ(signed_in.body.find("log in</a>"), std::string::npos);
  auto filtered = Get("/zoeken?q=witwassen&from=2030-01-01", {member.cookie});
  EXPECT_NE(filtered.body.find("Verwijder filters of verruim de periode."), std::string::npos);
  // A theme page with nothing on it: no words, no filters to blame.
  auto theme = Get("/themas/vastgoed");
  EXPECT_NE(theme.body.find("Hier staat nog niets dat u zonder inloggen kunt lezen."),
            std::string::npos)
      << theme.body;
  EXPECT_EQ(theme.body.find("Controleer de spelling"), std::string::npos);
  EXPECT_EQ(theme.body.find("Verwijder filters"), std::string::npos);
  auto theme_member = Get("/themas/vastgoed", {member.cookie});
  EXPECT_NE(theme_member.body.find("Hier staat nog niets."), std::string::npos);
}

TEST_F(PortalTest, NoJsFilterFormRedirectsToTheCanonicalAddress) {
  auto r = Get("/zoeken?q=witwassen&type%3Ahandreiking=1&theme%3Abibob=1&sort=date");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.Header("location"), "/zoeken?q=witwassen&type=handreiking&theme=bibob&sort=date");
  auto filtered = Get("/zoeken?q=witwassen&type=handreiking");
  EXPECT_NE(filtered.body.find("id=\"f-type-handreiking\" name=\"type:handreiking\" value=\"1\" "
                               "checked"),
            std::string::npos);
  EXPECT_NE(filtered.body.find("Verwijder filter </span>Handreiking"), std::string::npos);
  EXPECT_NE(filtered.body.find(">Wis alle filters</a>"), std::string::npos);
}

TEST_F(PortalTest, SpellingOffSearchesTheOriginal) {
  auto corrected = Get("/api/search?q=witwassn").Json();
  ASSERT_TRUE(corrected.is_object());
  EXPECT_EQ(corrected["corrected"], true);
  EXPECT_EQ(corrected["suggestion"], "witwassen");
  auto original = Get("/api/search?q=witwassn&spelling=off").Json();
  EXPECT_EQ(original["corrected"], false);
  EXPECT_EQ(original["total"], 0);
  EXPECT_EQ(original["suggestion"], "witwassen");
  EXPECT_EQ(Get("/api/search?q=witwassn&spelling=misschien").ErrorCodeName(), "invalid_parameter");

  auto page = Get("/zoeken?q=witwassn");
  EXPECT_NE(page.body.find("Resultaten voor <strong>witwassen</strong>"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/zoeken?q=witwassn&amp;spelling=off\">zoek in plaats "
                           "daarvan naar witwassn</a>"),
            std::string::npos);
  auto off = Get("/zoeken?q=witwassn&spelling=off");
  EXPECT_NE(off.body.find("0 resultaten voor ‘witwassn’"), std::string::npos);
  EXPECT_NE(off.body.find("Bedoelde u <a class=\"utrecht-link\" href=\"/zoeken?q=witwassen\">"),
            std::string::npos);
}

TEST_F(PortalTest, CloseWordsSearchedTooAreNamed) {
  auto wide = Get("/api/search?q=vlookup").Json();
  ASSERT_TRUE(wide.is_object());
  EXPECT_EQ(wide["total"], 3);
  EXPECT_EQ(wide["also_searched"], nlohmann::json::array({"lookup"}));
  EXPECT_EQ(wide["corrected"], false);
  auto typed = Get("/api/search?q=vlookup&spelling=off").Json();
  EXPECT_EQ(typed["total"], 1);
  EXPECT_EQ(typed["also_searched"], nlohmann::json::array());

  auto page = Get("/zoeken?q=vlookup");
  EXPECT_NE(page.body.find("3 resultaten voor ‘vlookup’"), std::string::npos);
  EXPECT_NE(page.body.find("Ook gezocht naar <strong>lookup</strong> — <a class=\"utrecht-link\" "
                           "href=\"/zoeken?q=vlookup&amp;spelling=off\">zoek alleen naar "
                           "vlookup</a>"),
            std::string::npos);
  auto off = Get("/zoeken?q=vlookup&spelling=off");
  EXPECT_NE(off.body.find("1 resultaat voor ‘vlookup’"), std::string::npos);
  EXPECT_EQ(off.body.find("Ook gezocht naar"), std::string::npos);
}

}  // namespace
}  // namespace kpo

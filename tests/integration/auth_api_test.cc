// Accounts over HTTP against a real server: login and its cookie, sessions
// (fixation, expiry, forgery), CSRF, rate limiting, disabled accounts,
// secrecy of passwords, the admin API (users, tokens, audit) and hostile
// input. Time is the fixture's injectable clock, never sleep().
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/server_fixture.h"

namespace kpo {
namespace {

using nlohmann::json;
using testing::HttpCall;
using testing::HttpResponse;
using testing::ItemSpec;

constexpr const char* kAdminEmail = "beheer@kpo.test";
constexpr int64_t kIdle = 1800;  // AuthOptions defaults
constexpr int64_t kAbsolute = 43200;
constexpr int64_t kWindow = 900;
constexpr int kAccountLimit = 5;

// The fixture's clock, in unix seconds; tests move it forward.
std::atomic<int64_t> g_now{0};

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsHex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string ErrorMessageOf(const HttpResponse& r) {
  auto j = r.Json();
  return j.is_object() && j.contains("error") && j["error"].is_object()
             ? j["error"].value("message", "")
             : "";
}

// A message reads as Dutch: several Dutch words, no English giveaways.
bool LooksDutch(const std::string& message) {
  static const std::set<std::string> kDutch = {
      "de",    "het",        "een",        "is",        "moet",    "niet",      "geen",
      "van",   "te",         "met",        "of",        "voor",    "mag",       "alleen",
      "als",   "zijn",       "bevat",      "veld",      "stuur",   "gegevens",  "tekst",
      "lijst", "ongeldig",   "ongeldige",  "geldig",    "geldige", "onbekende", "kies",
      "vul",   "hoogstens",  "wachtwoord", "tekens",    "log",     "eerst",     "in",
      "dit",   "deze",       "bestaat",    "klopt",     "lang",    "rol",       "naam",
      "groep", "werkplaats", "tokennaam",  "gebruiker", "zoals",   "opnieuw"};
  static const std::set<std::string> kEnglish = {"the",       "must",   "invalid", "error",
                                                 "exception", "failed", "parse",   "should"};
  std::set<std::string> words;
  std::string word;
  for (char c : message + " ") {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.insert(word);
      word.clear();
    }
  }
  int dutch = 0;
  for (const auto& w : words) {
    if (kEnglish.count(w)) return false;
    dutch += kDutch.count(w) ? 1 : 0;
  }
  return dutch >= 2;
}

struct Session {
  std::string id;    // the kpo_session cookie value
  std::string csrf;  // csrf_token of the login answer
  std::string Cookie() const { return "Cookie: kpo_session=" + id; }
  std::string Csrf() const { return "X-CSRF-Token: " + csrf; }
};

class AuthApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    g_now = SystemNow();
    corpus_ = new testing::Corpus();
    corpus_->Add({.id = "openbaar",
                  .title = "Openbare handreiking Bibob",
                  .published = "2022-01-01",
                  .body = "Algemene tekst over ondermijning."});
    corpus_->Add({.id = "leden-notitie",
                  .title = "Notitie voor leden",
                  .access = "members",
                  .published = "2022-02-02",
                  .body = "Ledenmateriaal over ondermijning."});
    corpus_->Add({.id = "politie-dossier",
                  .title = "Dossier zwartkraai",
                  .access = "restricted",
                  .groups = {"politie"},
                  .published = "2022-03-03",
                  .tags = {"zwartkraai"},
                  .body = "Operatie zwartkraai en ondermijning."});
    access::AuthOptions options = testing::FixtureAuthOptions();
    options.account_failure_limit = kAccountLimit;
    options.address_failure_limit = 1000;  // every test logs in from 127.0.0.1
    options.clock = [] { return g_now.load(); };
    server_ = new testing::ServerFixture(corpus_, options);
    admin_id_ = AddUser(kAdminEmail, "admin");
    member_id_ = AddUser("lid@gemeente.nl", "member", {"gemeenten"});
    AddUser("agent@politie.nl", "member", {"politie"});
    AddUser("redactie@kpo.test", "redactie");
    AddUser("redacteur@kpo.test", "editor", {"gemeenten"}, {"bibob"});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
  }

  static int64_t AddUser(const std::string& email, const std::string& role,
                         std::vector<std::string> groups = {},
                         std::vector<std::string> werkplaatsen = {},
                         const std::string& password = testing::kPassword) {
    access::NewUserRequest req{
        email, "Gebruiker " + role, role, std::move(groups), std::move(werkplaatsen), password};
    auto user = server_->auth()->AddUser(access::AuthService::LocalAdministrator(), "", req);
    EXPECT_TRUE(user.ok()) << email << ": " << user.status().ToString();
    return user.ok() ? user->id : 0;
  }

  static HttpResponse Call(const std::string& method, const std::string& target,
                           const std::vector<std::string>& headers = {},
                           const std::string& body = {}) {
    return HttpCall(server_->port(), method, target, headers, body);
  }
  static HttpResponse PostJson(const std::string& target, std::vector<std::string> headers,
                               const json& body) {
    headers.push_back("Content-Type: application/json");
    return Call("POST", target, headers, body.dump());
  }
  static HttpResponse LoginCall(const std::string& email, const std::string& password,
                                std::vector<std::string> headers = {}) {
    return PostJson("/api/auth/login", std::move(headers),
                    {{"email", email}, {"password", password}});
  }
  static Session Login(const std::string& email, const std::string& password = testing::kPassword) {
    auto r = LoginCall(email, password);
    EXPECT_EQ(r.status, 200) << email << ": " << r.body;
    Session s;
    s.id = testing::CookieValue(r.Header("set-cookie"));
    auto j = r.Json();
    if (j.is_object() && j.contains("csrf_token")) s.csrf = j["csrf_token"];
    return s;
  }
  static HttpResponse Me(const std::string& cookie_header) {
    return Call("GET", "/api/auth/me", {cookie_header});
  }

  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
  static int64_t admin_id_;
  static int64_t member_id_;
};
testing::Corpus* AuthApiTest::corpus_ = nullptr;
testing::ServerFixture* AuthApiTest::server_ = nullptr;
int64_t AuthApiTest::admin_id_ = 0;
int64_t AuthApiTest::member_id_ = 0;

// --- login, cookie, me ------------------------------------------------------

TEST_F(AuthApiTest, LoginReturnsUserCsrfTokenAndAHardenedCookie) {
  auto r = LoginCall("lid@gemeente.nl", testing::kPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j["user"]["email"], "lid@gemeente.nl");
  EXPECT_EQ(j["user"]["role"], "member");
  EXPECT_EQ(j["user"]["groups"], json::array({"gemeenten"}));
  EXPECT_EQ(j["user"]["id"], member_id_);
  ASSERT_TRUE(j["csrf_token"].is_string());
  EXPECT_TRUE(IsHex64(j["csrf_token"])) << j["csrf_token"];
  EXPECT_EQ(r.Header("cache-control"), "no-store");

  const std::string cookie = r.Header("set-cookie");
  const std::string id = testing::CookieValue(cookie);
  EXPECT_TRUE(IsHex64(id)) << cookie;
  EXPECT_NE(id, j["csrf_token"].get<std::string>());
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Max-Age=" + std::to_string(kAbsolute)), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP: " << cookie;
  // The session id travels in the cookie only.
  EXPECT_EQ(r.body.find(id), std::string::npos);

  auto https = LoginCall("lid@gemeente.nl", testing::kPassword, {"X-Forwarded-Proto: https"});
  ASSERT_EQ(https.status, 200) << https.body;
  const std::string secure_cookie = https.Header("set-cookie");
  EXPECT_NE(secure_cookie.find("; Secure"), std::string::npos) << secure_cookie;
  EXPECT_NE(secure_cookie.find("; HttpOnly"), std::string::npos) << secure_cookie;
}

TEST_F(AuthApiTest, MeWithTheCookie) {
  Session s = Login("lid@gemeente.nl");
  auto r = Me(s.Cookie());
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j["user"]["email"], "lid@gemeente.nl");
  EXPECT_EQ(j["user"]["role"], "member");
  EXPECT_EQ(j["csrf_token"], s.csrf);
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  // Among the other cookies a browser sends.
  auto among = Me("Cookie: thema=donker; kpo_session=" + s.id + "; taal=nl");
  EXPECT_EQ(among.status, 200) << among.body;
  // Without a cookie: not signed in.
  auto anonymous = Call("GET", "/api/auth/me");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.ErrorCodeName(), "authentication_required");
}

TEST_F(AuthApiTest, SameAnswerForUnknownEmailWrongPasswordAndDisabledAccount) {
  const int64_t id = AddUser("geblokkeerd@gemeente.nl", "member");
  ASSERT_TRUE(server_->auth()
                  ->SetUserDisabled(access::AuthService::LocalAdministrator(), "", id, true)
                  .ok());
  auto unknown = LoginCall("niemand@gemeente.nl", testing::kPassword);
  auto wrong = LoginCall("redactie@kpo.test", "Verkeerd-wachtwoord-1");
  auto disabled = LoginCall("geblokkeerd@gemeente.nl", testing::kPassword);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.ErrorCodeName(), "invalid_credentials");
  EXPECT_EQ(unknown.body, wrong.body);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(disabled.status, 401);
  EXPECT_EQ(disabled.body, wrong.body);
  EXPECT_TRUE(LooksDutch(ErrorMessageOf(wrong))) << wrong.body;
  for (const auto* r : {&unknown, &wrong, &disabled}) EXPECT_TRUE(r->Header("set-cookie").empty());
}

TEST_F(AuthApiTest, SessionFixationIsImpossible) {
  const std::string planted(64, 'a');  // well-formed, chosen by the client
  auto r = LoginCall("lid@gemeente.nl", testing::kPassword, {"Cookie: kpo_session=" + planted});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string issued = testing::CookieValue(r.Header("set-cookie"));
  EXPECT_TRUE(IsHex64(issued));
  EXPECT_NE(issued, planted);
  auto with_planted = Me("Cookie: kpo_session=" + planted);
  EXPECT_EQ(with_planted.status, 401);
  EXPECT_EQ(with_planted.ErrorCodeName(), "authentication_required");
  EXPECT_EQ(Me("Cookie: kpo_session=" + issued).status, 200);

  // Logging in again, even while sending the current cookie, issues a new id.
  auto again = LoginCall("lid@gemeente.nl", testing::kPassword, {"Cookie: kpo_session=" + issued});
  ASSERT_EQ(again.status, 200);
  const std::string second = testing::CookieValue(again.Header("set-cookie"));
  EXPECT_TRUE(IsHex64(second));
  EXPECT_NE(second, issued);
  EXPECT_NE(again.Json()["csrf_token"], r.Json()["csrf_token"]);
  EXPECT_EQ(Me("Cookie: kpo_session=" + second).status, 200);
}

TEST_F(AuthApiTest, ExpiredSessionsGet401) {
  // Idle: no request for idle_timeout seconds.
  Session idle = Login("agent@politie.nl");
  ASSERT_EQ(Me(idle.Cookie()).status, 200);
  g_now += kIdle - 1;
  ASSERT_EQ(Me(idle.Cookie()).status, 200);  // still alive, and touched
  g_now += kIdle - 1;
  ASSERT_EQ(Me(idle.Cookie()).status, 200);
  g_now += kIdle;
  auto r = Me(idle.Cookie());
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.ErrorCodeName(), "authentication_required");
  EXPECT_TRUE(LooksDutch(ErrorMessageOf(r))) << r.body;
  // A later request with the same cookie stays refused.
  EXPECT_EQ(Me(idle.Cookie()).status, 401);

  // Absolute: used all the time, still over after absolute_timeout.
  Session busy = Login("agent@politie.nl");
  int64_t elapsed = 0;
  while (elapsed + kIdle - 100 < kAbsolute) {
    g_now += kIdle - 100;
    elapsed += kIdle - 100;
    ASSERT_EQ(Me(busy.Cookie()).status, 200) << "after " << elapsed << " s";
  }
  g_now += kAbsolute - elapsed;
  auto over = Me(busy.Cookie());
  EXPECT_EQ(over.status, 401);
  EXPECT_EQ(over.ErrorCodeName(), "authentication_required");
  // Expired cookies are not a silent downgrade to anonymous either.
  auto search = Call("GET", "/api/search?q=ondermijning", {busy.Cookie()});
  EXPECT_EQ(search.status, 401);
  EXPECT_EQ(search.ErrorCodeName(), "authentication_required");
}

TEST_F(AuthApiTest, ForgedAndGarbageCookiesGet401) {
  Session real = Login("agent@politie.nl");
  std::string flipped = real.id;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  std::string upper = real.id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::vector<std::string> values = {
      std::string(64, 'f'),  // well-formed, never issued
      flipped,               // one character off a live id
      real.csrf,             // the CSRF token is not a session id
      upper,
      real.id + "00",
      real.id.substr(0, 63),
      "garbage",
      "%00%00%00",
      "' OR '1'='1",
      std::string(4096, 'a'),
  };
  for (const auto& value : values) {
    for (const std::string target : {"/api/auth/me", "/api/search?q=zwartkraai", "/api/health"}) {
      auto r = Call("GET", target, {"Cookie: kpo_session=" + value});
      EXPECT_EQ(r.status, 401) << target << " with " << value.substr(0, 80) << ": " << r.body;
      EXPECT_EQ(r.ErrorCodeName(), "authentication_required") << value.substr(0, 80);
      EXPECT_EQ(r.body.find("zwartkraai"), std::string::npos);
    }
  }
  EXPECT_EQ(Me(real.Cookie()).status, 200);  // the real one still works
}

// --- CSRF and logout --------------------------------------------------------

TEST_F(AuthApiTest, LogoutNeedsTheCsrfToken) {
  Session s = Login("lid@gemeente.nl");
  Session other = Login("agent@politie.nl");
  auto none = Call("POST", "/api/auth/logout", {s.Cookie()});
  EXPECT_EQ(none.status, 403) << none.body;
  EXPECT_EQ(none.ErrorCodeName(), "invalid_csrf_token");
  EXPECT_TRUE(LooksDutch(ErrorMessageOf(none))) << none.body;
  auto wrong = Call("POST", "/api/auth/logout", {s.Cookie(), other.Csrf()});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(wrong.ErrorCodeName(), "invalid_csrf_token");
  auto empty = Call("POST", "/api/auth/logout", {s.Cookie(), "X-CSRF-Token: "});
  EXPECT_EQ(empty.status, 403);
  EXPECT_EQ(Me(s.Cookie()).status, 200) << "a refused logout must not end the session";

  auto ok = Call("POST", "/api/auth/logout", {s.Cookie(), s.Csrf()});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json()["ok"], true);
  const std::string cleared = ok.Header("set-cookie");
  EXPECT_EQ(cleared.rfind("kpo_session=;", 0), 0u) << cleared;
  EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos) << cleared;
  auto after = Me(s.Cookie());
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.ErrorCodeName(), "authentication_required");
  EXPECT_EQ(Me(other.Cookie()).status, 200) << "only that session ends";

  auto anonymous = Call("POST", "/api/auth/logout");
  EXPECT_EQ(anonymous.status, 401);
  // Media types are case-insensitive.
  auto upper = Call("POST", "/api/auth/login", {"Content-Type: APPLICATION/JSON"},
                    json{{"email", "lid@gemeente.nl"}, {"password", testing::kPassword}}.dump());
  EXPECT_EQ(upper.status, 200) << upper.body;
  // Every route says so, also one whose answer is the same for everyone.
  EXPECT_EQ(Call("GET", "/api/vocabulary", {s.Cookie()}).status, 401);
  EXPECT_EQ(Call("GET", "/api/vocabulary", {"Authorization: Bearer abc"}).status, 401);
  EXPECT_EQ(Call("GET", "/api/vocabulary").status, 200);
}

TEST_F(AuthApiTest, AdminWritesNeedTheCsrfToken) {
  Session admin = Login(kAdminEmail);
  const json user = {{"email", "csrf-proef@gemeente.nl"},
                     {"name", "Proef"},
                     {"role", "member"},
                     {"password", testing::kPassword}};
  auto none = PostJson("/api/admin/users", {admin.Cookie()}, user);
  EXPECT_EQ(none.status, 403) << none.body;
  EXPECT_EQ(none.ErrorCodeName(), "invalid_csrf_token");
  auto wrong =
      PostJson("/api/admin/users", {admin.Cookie(), "X-CSRF-Token: " + std::string(64, '0')}, user);
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(wrong.ErrorCodeName(), "invalid_csrf_token");
  auto list = Call("GET", "/api/admin/users", {admin.Cookie()});
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find("csrf-proef@gemeente.nl"), std::string::npos) << "created without CSRF";

  // A field the route does not know is refused, never ignored: before,
  // {"is_admin": true} answered 201 with a plain member.
  json extra = user;
  extra["is_admin"] = true;
  auto unknown = PostJson("/api/admin/users", {admin.Cookie(), admin.Csrf()}, extra);
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.ErrorCodeName(), "invalid_field");
  EXPECT_EQ(Call("GET", "/api/admin/users", {admin.Cookie()}).body.find("csrf-proef@gemeente.nl"),
            std::string::npos);
  auto ok = PostJson("/api/admin/users", {admin.Cookie(), admin.Csrf()}, user);
  EXPECT_EQ(ok.status, 201) << ok.body;
  // Other state-changing admin routes check it too.
  auto token = PostJson("/api/admin/tokens", {admin.Cookie()}, {{"name", "x"}, {"role", "member"}});
  EXPECT_EQ(token.ErrorCodeName(), "invalid_csrf_token");
  auto revoke = Call("DELETE", "/api/admin/tokens/1", {admin.Cookie()});
  EXPECT_EQ(revoke.ErrorCodeName(), "invalid_csrf_token");
  auto disable =
      Call("POST", "/api/admin/users/" + std::to_string(member_id_) + "/disable", {admin.Cookie()});
  EXPECT_EQ(disable.ErrorCodeName(), "invalid_csrf_token");
  EXPECT_EQ(Me(Login("lid@gemeente.nl").Cookie()).status, 200);
}

// --- rate limiting ----------------------------------------------------------

TEST_F(AuthApiTest, RateLimitAfterTheAccountLimitOfFailures) {
  AddUser("proberen@gemeente.nl", "member");
  // Successful logins do not count, however many.
  for (int i = 0; i < kAccountLimit + 2; ++i) {
    EXPECT_EQ(LoginCall("proberen@gemeente.nl", testing::kPassword).status, 200) << "login " << i;
  }
  // Failures under any spelling of the address count for the one account.
  const std::vector<std::string> spellings = {"proberen@gemeente.nl", "PROBEREN@gemeente.nl",
                                              "Proberen@Gemeente.NL", "proberen@GEMEENTE.nl",
                                              "pRoBeReN@gemeente.nl"};
  for (int i = 0; i < kAccountLimit; ++i) {
    auto r = LoginCall(spellings[i % spellings.size()], "Fout-wachtwoord-" + std::to_string(i));
    EXPECT_EQ(r.status, 401) << "failure " << i << ": " << r.body;
  }
  // Now refused, even with the right password.
  auto limited = LoginCall("proberen@gemeente.nl", testing::kPassword);
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.ErrorCodeName(), "too_many_requests");
  EXPECT_TRUE(LooksDutch(ErrorMessageOf(limited))) << limited.body;
  EXPECT_TRUE(limited.Header("set-cookie").empty());
  const std::string retry = limited.Header("retry-after");
  ASSERT_FALSE(retry.empty()) << "no Retry-After header";
  ASSERT_EQ(retry.find_first_not_of("0123456789"), std::string::npos) << retry;
  EXPECT_GT(std::stoll(retry), 0);
  EXPECT_LE(std::stoll(retry), kWindow);
  // Another account from the same address is not affected.
  EXPECT_EQ(LoginCall("agent@politie.nl", testing::kPassword).status, 200);
  // Unknown addresses are limited the same way (the limit tells nothing).
  for (int i = 0; i < kAccountLimit; ++i) {
    EXPECT_EQ(LoginCall("bestaat-niet@gemeente.nl", testing::kPassword).status, 401);
  }
  auto unknown = LoginCall("bestaat-niet@gemeente.nl", testing::kPassword);
  EXPECT_EQ(unknown.status, 429);
  EXPECT_FALSE(unknown.Header("retry-after").empty());
  // After the window the account can sign in again.
  g_now += kWindow;
  EXPECT_EQ(LoginCall("proberen@gemeente.nl", testing::kPassword).status, 200);
}

// A login whose request claims to come from `client` (X-Forwarded-For).
testing::HttpResponse LoginFrom(int port, const std::string& email, const std::string& password,
                                const std::string& client) {
  return HttpCall(port, "POST", "/api/auth/login",
                  {"Content-Type: application/json", "X-Forwarded-For: " + client},
                  json{{"email", email}, {"password", password}}.dump());
}

// Issue 13, behind the proxy: the client address comes from X-Forwarded-For
// only when the peer is a trusted proxy, and an address over its limit
// (a whole organisation behind one NAT) never locks out accounts that did
// not fail from it.
TEST(AuthApiRateLimit, AddressLimitBehindATrustedProxy) {
  testing::Corpus corpus;
  corpus.Add({.id = "openbaar", .title = "Openbaar"});
  std::atomic<int64_t> now{SystemNow()};
  access::AuthOptions options = testing::FixtureAuthOptions();
  options.address_failure_limit = 3;
  options.clock = [&now] { return now.load(); };
  testing::ServerFixture fixture(&corpus, options, {"127.0.0.1"});
  for (const char* email : {"echt@gemeente.nl", "collega@gemeente.nl"}) {
    access::NewUserRequest req{email, "Echt", "member", {}, {}, testing::kPassword};
    ASSERT_TRUE(fixture.auth()->AddUser(access::AuthService::LocalAdministrator(), "", req).ok());
  }
  auto login = [&](const std::string& email, const std::string& password,
                   const std::string& client) {
    return LoginFrom(fixture.port(), email, password, client);
  };
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(login("gok" + std::to_string(i) + "@gemeente.nl", testing::kPassword, "198.51.100.7")
                  .status,
              401);
  }
  // The guessing address gets one wrong password per account...
  EXPECT_EQ(login("echt@gemeente.nl", "fout wachtwoord", "198.51.100.7").status, 401);
  auto limited = login("echt@gemeente.nl", testing::kPassword, "198.51.100.7");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.ErrorCodeName(), "too_many_requests");
  const std::string retry = limited.Header("retry-after");
  ASSERT_FALSE(retry.empty());
  EXPECT_GT(std::stoll(retry), 0);
  EXPECT_LE(std::stoll(retry), kWindow);
  // ...a colleague behind the same address is not locked out...
  EXPECT_EQ(login("collega@gemeente.nl", testing::kPassword, "198.51.100.7").status, 200);
  // ...and another client behind the proxy is a different address.
  EXPECT_EQ(login("echt@gemeente.nl", testing::kPassword, "198.51.100.8").status, 200);
  // The audit log names the forwarded client, not the proxy.
  auto audit = fixture.auth()->ListAudit(access::AuthService::LocalAdministrator(), "", 1, 5);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->entries.front().address, "198.51.100.8");
  now += kWindow;
  EXPECT_EQ(login("echt@gemeente.nl", testing::kPassword, "198.51.100.7").status, 200);
}

// Without a trusted proxy, X-Forwarded-For is anyone's to write: a client
// that spoofs one is still counted (and audited) under its socket address.
TEST(AuthApiRateLimit, SpoofedForwardedForFromAnUntrustedPeerIsIgnored) {
  testing::Corpus corpus;
  corpus.Add({.id = "openbaar", .title = "Openbaar"});
  access::AuthOptions options = testing::FixtureAuthOptions();
  options.address_failure_limit = 2;
  testing::ServerFixture fixture(&corpus, options);  // no trusted proxies
  for (const char* email : {"echt@gemeente.nl"}) {
    access::NewUserRequest req{email, "Echt", "member", {}, {}, testing::kPassword};
    ASSERT_TRUE(fixture.auth()->AddUser(access::AuthService::LocalAdministrator(), "", req).ok());
  }
  auto login = [&](const std::string& email, const std::string& password,
                   const std::string& client) {
    return LoginFrom(fixture.port(), email, password, client);
  };
  // Each guess claims a fresh address; all of them are 127.0.0.1.
  EXPECT_EQ(login("gok1@gemeente.nl", testing::kPassword, "192.0.2.1").status, 401);
  EXPECT_EQ(login("gok2@gemeente.nl", testing::kPassword, "192.0.2.2").status, 401);
  EXPECT_EQ(login("echt@gemeente.nl", "fout wachtwoord", "192.0.2.3").status, 401);
  EXPECT_EQ(login("echt@gemeente.nl", testing::kPassword, "192.0.2.4").status, 429);
  auto audit = fixture.auth()->ListAudit(access::AuthService::LocalAdministrator(), "", 1, 5);
  ASSERT_TRUE(audit.ok());
  int logins = 0;
  for (const auto& e : audit->entries) {
    if (e.event.rfind("login", 0) != 0) continue;  // not the account creation
    EXPECT_EQ(e.address, "127.0.0.1") << e.event;
    ++logins;
  }
  EXPECT_EQ(logins, 4);
}

// --- disabled accounts ------------------------------------------------------

TEST_F(AuthApiTest, DisabledUserLosesAccessOnTheNextRequest) {
  const int64_t id = AddUser("vertrekker@politie.nl", "member", {"politie"});
  Session s = Login("vertrekker@politie.nl");
  ASSERT_EQ(Me(s.Cookie()).status, 200);
  ASSERT_EQ(Call("GET", "/api/search?q=zwartkraai", {s.Cookie()}).Json()["total"], 1);
  const auto admin = access::AuthService::LocalAdministrator();
  ASSERT_TRUE(server_->auth()->SetUserDisabled(admin, "", id, true).ok());
  auto me = Me(s.Cookie());
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.ErrorCodeName(), "authentication_required");
  auto search = Call("GET", "/api/search?q=zwartkraai", {s.Cookie()});
  EXPECT_EQ(search.status, 401);
  EXPECT_EQ(search.body.find("zwartkraai"), std::string::npos);
  auto login = LoginCall("vertrekker@politie.nl", testing::kPassword);
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(login.ErrorCodeName(), "invalid_credentials");
  // Re-enabled: a new login works; the old session stays ended.
  ASSERT_TRUE(server_->auth()->SetUserDisabled(admin, "", id, false).ok());
  Session fresh = Login("vertrekker@politie.nl");
  EXPECT_EQ(Me(fresh.Cookie()).status, 200);
  EXPECT_EQ(Me(s.Cookie()).status, 401);

  // The same through the admin API.
  Session admin_session = Login(kAdminEmail);
  auto r = Call("POST", "/api/admin/users/" + std::to_string(id) + "/disable",
                {admin_session.Cookie(), admin_session.Csrf()});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["user"]["disabled"], true);
  EXPECT_EQ(Me(fresh.Cookie()).status, 401);
  auto missing = Call("POST", "/api/admin/users/999999/disable",
                      {admin_session.Cookie(), admin_session.Csrf()});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.ErrorCodeName(), "user_not_found");
  // An admin cannot lock themselves out.
  auto self = Call("POST", "/api/admin/users/" + std::to_string(admin_id_) + "/disable",
                   {admin_session.Cookie(), admin_session.Csrf()});
  EXPECT_EQ(self.status, 400) << self.body;
  EXPECT_EQ(Me(admin_session.Cookie()).status, 200);
}

// --- passwords stay secret ---------------------------------------------------

TEST_F(AuthApiTest, PasswordNeverInResponsesLogsOrDataFiles) {
  const std::string created = "Geheim-Nieuw-Wachtwoord-7391";
  const std::string wrong = "Geheim-Fout-Wachtwoord-5518";
  const std::string rejected = "Geheim-Afgewezen-Wachtwoord-2264";
  const std::vector<std::string> secrets = {created, wrong, rejected, testing::kPassword};
  std::vector<HttpResponse> responses;

  ::testing::internal::CaptureStderr();
  Session admin = Login(kAdminEmail);
  responses.push_back(PostJson("/api/admin/users", {admin.Cookie(), admin.Csrf()},
                               {{"email", "geheim@gemeente.nl"},
                                {"name", "Geheim"},
                                {"role", "member"},
                                {"password", created}}));
  responses.push_back(LoginCall("geheim@gemeente.nl", created));
  responses.push_back(LoginCall("geheim@gemeente.nl", wrong));
  responses.push_back(LoginCall("onbekend@gemeente.nl", created));
  responses.push_back(LoginCall("geen-adres", rejected));
  responses.push_back(PostJson(
      "/api/admin/users", {admin.Cookie(), admin.Csrf()},
      {{"email", "geen-adres"}, {"name", "X"}, {"role", "member"}, {"password", rejected}}));
  responses.push_back(PostJson(
      "/api/admin/users", {admin.Cookie(), admin.Csrf()},
      {{"email", "kort@gemeente.nl"}, {"name", "X"}, {"role", "member"}, {"password", "kort"}}));
  responses.push_back(PostJson("/api/admin/users", {admin.Cookie(), admin.Csrf()},
                               {{"email", "geheim@gemeente.nl"},
                                {"name", "Dubbel"},
                                {"role", "member"},
                                {"password", rejected}}));
  responses.push_back(PostJson(
      "/api/admin/users", {admin.Cookie(), admin.Csrf()},
      {{"email", "rol@gemeente.nl"}, {"name", "X"}, {"role", rejected}, {"password", rejected}}));
  responses.push_back(Call("GET", "/api/admin/users", {admin.Cookie()}));
  responses.push_back(Call("GET", "/api/admin/audit?size=100", {admin.Cookie()}));
  responses.push_back(Me(admin.Cookie()));
  const std::string logged = ::testing::internal::GetCapturedStderr();

  ASSERT_EQ(responses[0].status, 201) << responses[0].body;
  EXPECT_EQ(responses[1].status, 200);
  EXPECT_EQ(responses[2].status, 401);
  EXPECT_EQ(responses[3].status, 401);
  EXPECT_EQ(responses[4].status, 400);
  EXPECT_EQ(responses[5].status, 400);
  EXPECT_EQ(responses[6].status, 400);
  EXPECT_EQ(responses[7].status, 409);
  EXPECT_EQ(responses[8].status, 400);
  EXPECT_EQ(responses[9].status, 200);
  EXPECT_EQ(responses[10].status, 200);
  EXPECT_NE(logged.find("\"request\""), std::string::npos) << "stderr was not captured";
  for (const auto& secret : secrets) {
    for (size_t i = 0; i < responses.size(); ++i) {
      EXPECT_EQ(responses[i].body.find(secret), std::string::npos)
          << "response " << i << " shows " << secret;
    }
    EXPECT_EQ(logged.find(secret), std::string::npos) << "stderr shows " << secret;
  }
  for (const auto& r : responses) EXPECT_EQ(r.body.find("$argon2"), std::string::npos);

  namespace fs = std::filesystem;
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(corpus_->data_dir())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string bytes = testing::ReadFile(entry.path().string());
    for (const auto& secret : secrets) {
      EXPECT_EQ(bytes.find(secret), std::string::npos) << entry.path() << " holds " << secret;
    }
  }
  EXPECT_GT(files, 0u);
}

// --- the admin API ----------------------------------------------------------

TEST_F(AuthApiTest, AdminCreatesAndListsUsers) {
  Session admin = Login(kAdminEmail);
  auto r = PostJson("/api/admin/users", {admin.Cookie(), admin.Csrf()},
                    {{"email", "Nieuw.Lid@Gemeente.NL"},
                     {"name", "Nieuw Lid"},
                     {"role", "editor"},
                     {"groups", {"gemeenten", "provincies"}},
                     {"werkplaatsen", {"bibob"}},
                     {"password", "Een-lang-genoeg-wachtwoord"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto user = r.Json()["user"];
  EXPECT_EQ(user["email"], "nieuw.lid@gemeente.nl");
  EXPECT_EQ(user["name"], "Nieuw Lid");
  EXPECT_EQ(user["role"], "editor");
  EXPECT_EQ(user["groups"], json::array({"gemeenten", "provincies"}));
  EXPECT_EQ(user["werkplaatsen"], json::array({"bibob"}));
  EXPECT_EQ(user["disabled"], false);
  EXPECT_GT(user["id"].get<int64_t>(), 0);
  EXPECT_FALSE(user.contains("password"));
  EXPECT_FALSE(user.contains("password_hash"));

  auto dup = PostJson("/api/admin/users", {admin.Cookie(), admin.Csrf()},
                      {{"email", "nieuw.lid@gemeente.nl"},
                       {"name", "Nog een"},
                       {"role", "member"},
                       {"password", "Een-lang-genoeg-wachtwoord"}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.ErrorCodeName(), "user_exists");

  auto list = Call("GET", "/api/admin/users", {admin.Cookie()});
  ASSERT_EQ(list.status, 200) << list.body;
  bool found = false;
  std::string previous;
  const json users = list.Json()["users"];
  ASSERT_TRUE(users.is_array());
  for (const auto& u : users) {
    EXPECT_FALSE(u.contains("password"));
    EXPECT_LE(previous, u["email"].get<std::string>()) << "not sorted by e-mail";
    previous = u["email"].get<std::string>();
    if (u["email"] == "nieuw.lid@gemeente.nl") {
      found = true;
      EXPECT_EQ(u["role"], "editor");
    }
  }
  EXPECT_TRUE(found) << list.body;
  // The new account signs in with the role it was given.
  auto login = LoginCall("nieuw.lid@gemeente.nl", "Een-lang-genoeg-wachtwoord");
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(login.Json()["user"]["werkplaatsen"], json::array({"bibob"}));
}

TEST_F(AuthApiTest, TokensAreBearerCredentialsWithTheirRoleAndGroupsAndCanBeRevoked) {
  Session admin = Login(kAdminEmail);
  auto created =
      PostJson("/api/admin/tokens", {admin.Cookie(), admin.Csrf()},
               {{"name", "koppeling politie"}, {"role", "member"}, {"groups", {"politie"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = created.Json()["id"];
  const std::string token = created.Json()["token"];
  EXPECT_TRUE(IsHex64(token));
  const std::string bearer = "Authorization: Bearer " + token;

  auto search = Call("GET", "/api/search?q=zwartkraai", {bearer});
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.Json()["total"], 1);
  EXPECT_EQ(Call("GET", "/api/search?q=zwartkraai").Json()["total"], 0);
  auto me = Call("GET", "/api/auth/me", {bearer});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json()["user"]["role"], "member");
  EXPECT_EQ(me.Json()["user"]["groups"], json::array({"politie"}));
  EXPECT_EQ(me.Json()["user"]["email"], "token:" + std::to_string(id));
  EXPECT_FALSE(me.Json().contains("csrf_token"));
  EXPECT_EQ(Call("GET", "/api/health", {bearer}).Json()["items"], 3);

  // A token without groups reads members items but not the politie dossier.
  auto plain = PostJson("/api/admin/tokens", {admin.Cookie(), admin.Csrf()},
                        {{"name", "koppeling leden"}, {"role", "member"}});
  ASSERT_EQ(plain.status, 201) << plain.body;
  const std::string plain_bearer =
      "Authorization: Bearer " + plain.Json()["token"].get<std::string>();
  EXPECT_EQ(Call("GET", "/api/search?q=zwartkraai", {plain_bearer}).Json()["total"], 0);
  EXPECT_EQ(Call("GET", "/api/health", {plain_bearer}).Json()["items"], 2);

  // An admin token needs no CSRF token (browsers never send it on their own).
  auto admin_token = PostJson("/api/admin/tokens", {admin.Cookie(), admin.Csrf()},
                              {{"name", "beheer script"}, {"role", "admin"}});
  ASSERT_EQ(admin_token.status, 201);
  const std::string admin_bearer =
      "Authorization: Bearer " + admin_token.Json()["token"].get<std::string>();
  EXPECT_EQ(Call("GET", "/api/admin/users", {admin_bearer}).status, 200);

  // Revoked: refused from the next request on.
  auto revoke =
      Call("DELETE", "/api/admin/tokens/" + std::to_string(id), {admin.Cookie(), admin.Csrf()});
  ASSERT_EQ(revoke.status, 200) << revoke.body;
  auto after = Call("GET", "/api/search?q=zwartkraai", {bearer});
  EXPECT_EQ(after.status, 401) << after.body;
  EXPECT_EQ(after.ErrorCodeName(), "invalid_token");
  EXPECT_EQ(after.body.find("zwartkraai"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/auth/me", {bearer}).status, 401);
  EXPECT_EQ(
      Call("DELETE", "/api/admin/tokens/" + std::to_string(id), {admin.Cookie(), admin.Csrf()})
          .status,
      200);  // revoking twice is fine
  auto unknown = Call("DELETE", "/api/admin/tokens/999999", {admin.Cookie(), admin.Csrf()});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.ErrorCodeName(), "token_not_found");
  EXPECT_EQ(Call("GET", "/api/search?q=zwartkraai", {plain_bearer}).status, 200)
      << "others live on";

  for (const std::string& header :
       {"Authorization: Bearer " + std::string(64, 'b'), std::string("Authorization: Bearer kapot"),
        std::string("Authorization: Basic YWRtaW46YWRtaW4="),
        std::string("Authorization: Bearer")}) {
    auto r = Call("GET", "/api/search?q=zwartkraai", {header});
    EXPECT_EQ(r.status, 401) << header << ": " << r.body;
    EXPECT_EQ(r.ErrorCodeName(), "invalid_token") << header;
  }
}

TEST_F(AuthApiTest, AuditListsSignInsAndUserChangesWithPaging) {
  Session admin = Login(kAdminEmail);
  EXPECT_EQ(LoginCall("audit-onbekend@gemeente.nl", testing::kPassword).status, 401);
  auto created = PostJson("/api/admin/users", {admin.Cookie(), admin.Csrf()},
                          {{"email", "audit-lid@gemeente.nl"},
                           {"name", "Audit"},
                           {"role", "member"},
                           {"password", testing::kPassword}});
  ASSERT_EQ(created.status, 201);
  const int64_t id = created.Json()["user"]["id"];
  EXPECT_EQ(LoginCall("audit-lid@gemeente.nl", "Helemaal-verkeerd-1").status, 401);
  Login("audit-lid@gemeente.nl");
  ASSERT_EQ(Call("POST", "/api/admin/users/" + std::to_string(id) + "/disable",
                 {admin.Cookie(), admin.Csrf()})
                .status,
            200);

  auto r = Call("GET", "/api/admin/audit?size=100", {admin.Cookie()});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j["page"], 1);
  EXPECT_EQ(j["size"], 100);
  ASSERT_TRUE(j["entries"].is_array());
  EXPECT_GE(j["total"].get<int64_t>(), static_cast<int64_t>(j["entries"].size()));
  auto has = [&](const std::string& event, const std::string& subject,
                 const std::string& reason = "") {
    for (const auto& e : j["entries"]) {
      if (e["event"] == event && e["subject"] == subject &&
          (reason.empty() || e["detail"].value("reason", "") == reason)) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(has("login_failed", "audit-onbekend@gemeente.nl", "unknown_account")) << r.body;
  EXPECT_TRUE(has("login_failed", "audit-lid@gemeente.nl", "wrong_password"));
  EXPECT_TRUE(has("login", "audit-lid@gemeente.nl"));
  EXPECT_TRUE(has("login", kAdminEmail));
  EXPECT_TRUE(has("user_created", "audit-lid@gemeente.nl"));
  EXPECT_TRUE(has("user_disabled", "audit-lid@gemeente.nl"));
  int64_t previous = INT64_MAX;
  for (const auto& e : j["entries"]) {
    EXPECT_LT(e["id"].get<int64_t>(), previous) << "not newest first";
    previous = e["id"];
    if (e["event"] == "user_created" && e["subject"] == "audit-lid@gemeente.nl") {
      EXPECT_EQ(e["actor"], kAdminEmail);
      EXPECT_EQ(e["address"], "127.0.0.1");
    }
  }

  // Paging: page 2 continues exactly where page 1 stopped (reading the log
  // is not itself logged, so pages do not shift).
  auto p1 = Call("GET", "/api/admin/audit?page=1&size=3", {admin.Cookie()}).Json();
  auto p2 = Call("GET", "/api/admin/audit?page=2&size=3", {admin.Cookie()}).Json();
  ASSERT_EQ(p1["entries"].size(), 3u);
  ASSERT_EQ(p2["entries"].size(), 3u);
  EXPECT_EQ(p2["page"], 2);
  EXPECT_EQ(p2["size"], 3);
  const int64_t p1_oldest = p1["entries"][2]["id"];
  std::set<int64_t> ids;
  for (const auto& e : p1["entries"]) ids.insert(e["id"].get<int64_t>());
  for (const auto& e : p2["entries"]) {
    EXPECT_LT(e["id"].get<int64_t>(), p1_oldest);
    ids.insert(e["id"].get<int64_t>());
  }
  EXPECT_EQ(ids.size(), 6u);
  for (const std::string bad :
       {"size=0", "size=abc", "page=0", "page=-1", "size=201", "size=150"}) {
    auto b = Call("GET", "/api/admin/audit?" + bad, {admin.Cookie()});
    EXPECT_EQ(b.status, 400) << bad << ": " << b.body;
    EXPECT_EQ(b.ErrorCodeName(), "invalid_parameter") << bad;
  }
  // The message named 200 while 100 is the limit.
  auto too_big = Call("GET", "/api/admin/audit?size=150", {admin.Cookie()});
  const std::string message = too_big.Json()["error"]["message"];
  EXPECT_NE(message.find("100"), std::string::npos) << message;
  EXPECT_EQ(message.find("200"), std::string::npos) << message;
}

TEST_F(AuthApiTest, NonAdminsGet403OnEveryAdminRoute) {
  struct Route {
    std::string method, target;
    json body;
  };
  const std::vector<Route> routes = {
      {"GET", "/api/admin/users", nullptr},
      {"POST",
       "/api/admin/users",
       {{"email", "indringer@gemeente.nl"},
        {"name", "X"},
        {"role", "admin"},
        {"password", testing::kPassword}}},
      {"POST", "/api/admin/users/" + std::to_string(admin_id_) + "/disable", nullptr},
      {"POST", "/api/admin/tokens", {{"name", "x"}, {"role", "admin"}}},
      {"DELETE", "/api/admin/tokens/1", nullptr},
      {"GET", "/api/admin/audit", nullptr},
  };
  Session admin = Login(kAdminEmail);
  auto token = PostJson("/api/admin/tokens", {admin.Cookie(), admin.Csrf()},
                        {{"name", "redactie koppeling"}, {"role", "redactie"}});
  ASSERT_EQ(token.status, 201);
  std::vector<std::pair<std::string, std::vector<std::string>>> callers;
  for (const char* email : {"lid@gemeente.nl", "redactie@kpo.test", "redacteur@kpo.test"}) {
    Session s = Login(email);
    callers.push_back({email, {s.Cookie(), s.Csrf()}});
  }
  callers.push_back(
      {"redactie token", {"Authorization: Bearer " + token.Json()["token"].get<std::string>()}});
  for (const auto& [who, headers] : callers) {
    for (const auto& route : routes) {
      auto h = headers;
      std::string body;
      if (!route.body.is_null()) {
        h.push_back("Content-Type: application/json");
        body = route.body.dump();
      }
      auto r = Call(route.method, route.target, h, body);
      EXPECT_EQ(r.status, 403) << who << " " << route.method << " " << route.target << ": "
                               << r.body;
      EXPECT_EQ(r.ErrorCodeName(), "forbidden") << who << " " << route.target;
    }
  }
  // Anonymous callers never get in either.
  for (const auto& route : routes) {
    auto r = Call(route.method, route.target, {"Content-Type: application/json"},
                  route.body.is_null() ? "" : route.body.dump());
    EXPECT_EQ(r.status, 401) << route.method << " " << route.target << ": " << r.body;
    EXPECT_EQ(r.ErrorCodeName(), "authentication_required") << route.target;
  }
  // Nothing happened: no intruder account, the admin still works.
  auto list = Call("GET", "/api/admin/users", {admin.Cookie()});
  EXPECT_EQ(list.body.find("indringer@gemeente.nl"), std::string::npos);
  EXPECT_EQ(Me(admin.Cookie()).status, 200);
  // The refusals are audited.
  auto audit = Call("GET", "/api/admin/audit?size=100", {admin.Cookie()}).Json();
  bool forbidden = false;
  for (const auto& e : audit["entries"]) forbidden = forbidden || e["event"] == "forbidden";
  EXPECT_TRUE(forbidden);
}

// --- hostile input ----------------------------------------------------------

TEST_F(AuthApiTest, MalformedInputGets400Or415InDutchNever500) {
  Session admin = Login(kAdminEmail);
  const std::string big(10 * 1024, 'x');
  const std::string big_email = big + "@gemeente.nl";
  struct Case {
    std::string target;
    std::string content_type;  // "" = none
    std::string body;
    int status;
    std::string code;
  };
  auto j = [](const json& v) { return v.dump(); };
  const json user = {{"email", "veld@gemeente.nl"},
                     {"name", "Veld"},
                     {"role", "member"},
                     {"password", testing::kPassword}};
  auto with = [&](const std::string& key, const json& value) {
    json u = user;
    u[key] = value;
    return u.dump();
  };
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  const std::vector<Case> cases = {
      // login
      {"/api/auth/login", "text/plain", j({{"email", "a@b.nl"}, {"password", testing::kPassword}}),
       415, "unsupported_media_type"},
      {"/api/auth/login", "", j({{"email", "a@b.nl"}, {"password", testing::kPassword}}), 415,
       "unsupported_media_type"},
      {"/api/auth/login", "application/x-www-form-urlencoded", "email=a@b.nl&password=x", 415,
       "unsupported_media_type"},
      {"/api/auth/login", "application/json", "{", 400, "invalid_json"},
      {"/api/auth/login", "application/json", "", 400, "invalid_json"},
      {"/api/auth/login", "application/json", "[]", 400, "invalid_json"},
      {"/api/auth/login", "application/json", "\"tekst\"", 400, "invalid_json"},
      {"/api/auth/login", "application/json", "{\"email\": \"a@b.nl\", \"password\": \"\xff\xfe\"}",
       400, "invalid_json"},
      {"/api/auth/login", "application/json", deep, 400, "invalid_json"},
      {"/api/auth/login", "application/json", j({{"email", 42}, {"password", testing::kPassword}}),
       400, "invalid_field"},
      {"/api/auth/login", "application/json",
       j({{"email", {"a@b.nl"}}, {"password", testing::kPassword}}), 400, "invalid_field"},
      {"/api/auth/login", "application/json", j({{"email", "a@b.nl"}, {"password", {{"p", 1}}}}),
       400, "invalid_field"},
      {"/api/auth/login", "application/json", j({{"email", "a@b.nl"}, {"password", true}}), 400,
       "invalid_field"},
      {"/api/auth/login", "application/json",
       j({{"email", big_email}, {"password", testing::kPassword}}), 400, "invalid_field"},
      {"/api/auth/login", "application/json", j({{"email", "a@b.nl"}, {"password", big}}), 400,
       "invalid_field"},
      // admin: users
      {"/api/admin/users", "text/plain", user.dump(), 415, "unsupported_media_type"},
      {"/api/admin/users", "application/json", "{\"email\":", 400, "invalid_json"},
      {"/api/admin/users", "application/json", "null", 400, "invalid_json"},
      {"/api/admin/users", "application/json", with("email", 7), 400, "invalid_field"},
      {"/api/admin/users", "application/json", with("name", json::array()), 400, "invalid_field"},
      {"/api/admin/users", "application/json", with("role", 1.5), 400, "invalid_field"},
      {"/api/admin/users", "application/json", with("password", 1234567890), 400, "invalid_field"},
      {"/api/admin/users", "application/json", with("groups", "politie"), 400, "invalid_field"},
      {"/api/admin/users", "application/json", with("groups", json::array({1, 2})), 400,
       "invalid_field"},
      {"/api/admin/users", "application/json", with("werkplaatsen", {{"w", "bibob"}}), 400,
       "invalid_field"},
      {"/api/admin/users", "application/json", with("email", big_email), 400, "invalid_field"},
      {"/api/admin/users", "application/json", with("name", big), 400, "invalid_field"},
      {"/api/admin/users", "application/json", with("password", big), 400, "invalid_field"},
      {"/api/admin/users", "application/json", with("role", big), 400, "invalid_field"},
      {"/api/admin/users", "application/json", with("groups", json::array({big})), 400,
       "invalid_field"},
      {"/api/admin/users", "application/json", with("werkplaatsen", json::array({"Hoofd Letters"})),
       400, "invalid_field"},
      {"/api/admin/users", "application/json", with("role", "superuser"), 400, "invalid_field"},
      {"/api/admin/users", "application/json", with("password", "kort"), 400, "invalid_field"},
      {"/api/admin/users", "application/json", with("name", ""), 400, "invalid_field"},
      // admin: tokens
      {"/api/admin/tokens", "application/json", j({{"name", big}, {"role", "member"}}), 400,
       "invalid_field"},
      {"/api/admin/tokens", "application/json", j({{"name", "x"}, {"role", {"member"}}}), 400,
       "invalid_field"},
      {"/api/admin/tokens", "application/json", j({{"name", "x"}, {"role", "anonymous"}}), 400,
       "invalid_field"},
      {"/api/admin/tokens", "application/json",
       j({{"name", "x"}, {"role", "member"}, {"groups", 3}}), 400, "invalid_field"},
      {"/api/admin/tokens", "application/json", "{]", 400, "invalid_json"},
      {"/api/admin/tokens", "text/html", "{}", 415, "unsupported_media_type"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> headers = {admin.Cookie(), admin.Csrf()};
    if (!c.content_type.empty()) headers.push_back("Content-Type: " + c.content_type);
    auto r = Call("POST", c.target, headers, c.body);
    const std::string what = c.target + " " + c.content_type + " " + c.body.substr(0, 60);
    EXPECT_EQ(r.status, c.status) << what << " -> " << r.body.substr(0, 300);
    EXPECT_EQ(r.ErrorCodeName(), c.code) << what;
    const std::string message = ErrorMessageOf(r);
    EXPECT_TRUE(LooksDutch(message)) << what << " -> " << message;
    EXPECT_EQ(r.body.find(big), std::string::npos) << what << ": the hostile value is echoed";
    EXPECT_LT(r.body.size(), 1000u) << what;
  }
  // The admin session survived all of it, and no account was made.
  EXPECT_EQ(Me(admin.Cookie()).status, 200);
  auto list = Call("GET", "/api/admin/users", {admin.Cookie()});
  EXPECT_EQ(list.body.find("veld@gemeente.nl"), std::string::npos);
}

// --- concurrency ------------------------------------------------------------

TEST_F(AuthApiTest, EightConcurrentLoginsAllSucceed) {
  std::vector<std::string> emails;
  for (int i = 0; i < 8; ++i) {
    emails.push_back("gelijktijdig" + std::to_string(i) + "@gemeente.nl");
    AddUser(emails.back(), "member", {"gemeenten"});
  }
  for (bool same_user : {false, true}) {
    std::vector<HttpResponse> results(8);
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        results[i] = LoginCall(same_user ? emails[0] : emails[i], testing::kPassword);
      });
    }
    go = true;
    for (auto& t : threads) t.join();
    std::set<std::string> ids;
    for (int i = 0; i < 8; ++i) {
      ASSERT_EQ(results[i].status, 200)
          << (same_user ? "same user " : "") << i << ": " << results[i].body;
      const std::string id = testing::CookieValue(results[i].Header("set-cookie"));
      ids.insert(id);
      auto me = Me("Cookie: kpo_session=" + id);
      ASSERT_EQ(me.status, 200) << me.body;
      EXPECT_EQ(me.Json()["user"]["email"], same_user ? emails[0] : emails[i]);
    }
    EXPECT_EQ(ids.size(), 8u) << "session ids must be unique";
  }
}

}  // namespace
}  // namespace kpo

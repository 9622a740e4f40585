// The second factor, the session list and the privacy routes over HTTP
// against a real server (issue 13, auth), with the second factor required
// for redactie and admin as in production. Codes are computed from the
// enrolment's secret as an authenticator app would; time is the fixture's
// injectable clock, never sleep().
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "access/totp.h"
#include "support/server_fixture.h"

namespace kpo {
namespace {

using nlohmann::json;
using testing::HttpCall;
using testing::HttpResponse;

constexpr const char* kAgent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";

std::atomic<int64_t> g_two_step_now{0};

// RFC 4648 base32 (no padding), as an app reads the secret.
std::string FromBase32(const std::string& text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
    if (v < 0) continue;
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

struct TwoStepSession {
  std::string id;
  std::string csrf;
  std::string stage;  // the login answer's "second_factor"
  std::vector<std::string> Headers() const {
    return {"Cookie: kpo_session=" + id, "X-CSRF-Token: " + csrf};
  }
};

std::string FileBytes(const std::string& path) {
  std::string all;
  for (const char* suffix : {"", "-wal", "-journal"}) {
    std::ifstream in(path + suffix, std::ios::binary);
    if (!in) continue;
    std::stringstream buf;
    buf << in.rdbuf();
    all += buf.str();
  }
  return all;
}

class SecondFactorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    g_two_step_now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    corpus_ = new testing::Corpus();
    corpus_->Add({.id = "openbaar",
                  .title = "Openbare handreiking",
                  .published = "2022-01-01",
                  .body = "Algemene tekst over ondermijning."});
    access::AuthOptions options = testing::FixtureAuthOptions();
    options.second_factor_required = true;  // as kpo-server by default
    options.address_failure_limit = 1000;   // every test logs in from 127.0.0.1
    options.clock = [] { return g_two_step_now.load(); };
    server_ = new testing::ServerFixture(corpus_, options);
    AddUser("beheer@kpo.test", "admin");
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
  }

  static int64_t AddUser(const std::string& email, const std::string& role,
                         std::vector<std::string> groups = {}) {
    access::NewUserRequest req{email, "Gebruiker " + role, role, std::move(groups),
                               {},    testing::kPassword};
    auto user = server_->auth()->AddUser(access::AuthService::LocalAdministrator(), "", req);
    EXPECT_TRUE(user.ok()) << email << ": " << user.status().ToString();
    return user.ok() ? user->id : 0;
  }

  static HttpResponse Call(const std::string& method, const std::string& target,
                           std::vector<std::string> headers = {}, const std::string& body = {}) {
    return HttpCall(server_->port(), method, target, headers, body);
  }
  static HttpResponse Post(const std::string& target, std::vector<std::string> headers,
                           const json& body = json::object()) {
    headers.push_back("Content-Type: application/json");
    return Call("POST", target, headers, body.dump());
  }
  static TwoStepSession Login(const std::string& email) {
    auto r = Post("/api/auth/login", {"User-Agent: " + std::string(kAgent)},
                  {{"email", email}, {"password", testing::kPassword}});
    EXPECT_EQ(r.status, 200) << email << ": " << r.body;
    TwoStepSession s;
    s.id = testing::CookieValue(r.Header("set-cookie"));
    auto j = r.Json();
    if (j.is_object()) {
      s.csrf = j.value("csrf_token", "");
      s.stage = j.value("second_factor", "");
    }
    return s;
  }
  static std::string Code(const std::string& secret, int64_t offset = 0) {
    auto code = access::TotpCode(secret, g_two_step_now.load() + offset);
    EXPECT_TRUE(code.ok());
    return code.ok() ? *code : "";
  }
  // Enrols the session's account; returns the raw secret and fills `codes`.
  static std::string Enrol(const TwoStepSession& s, std::vector<std::string>* codes = nullptr) {
    auto begun = Post("/api/account/totp", s.Headers());
    EXPECT_EQ(begun.status, 201) << begun.body;
    const std::string b32 = begun.Json().value("secret", "");
    EXPECT_NE(begun.Json().value("uri", "").find("otpauth://totp/KPO:"), std::string::npos);
    const std::string secret = FromBase32(b32);
    auto confirmed = Post("/api/account/totp/confirm", s.Headers(), {{"code", Code(secret)}});
    EXPECT_EQ(confirmed.status, 200) << confirmed.body;
    if (codes != nullptr) {
      const json body = confirmed.Json();  // the loop must not outlive it
      for (const auto& c : body["recovery_codes"]) codes->push_back(c);
    }
    return secret;
  }
  // A step later, so the previous code counts as used.
  static void NextStep() { g_two_step_now += access::kTotpStep; }
  // A complete session of the admin (enrolled once, on first use).
  static TwoStepSession Admin() {
    TwoStepSession s = Login("beheer@kpo.test");
    if (s.stage == "enrol") {
      admin_secret_ = Enrol(s);
      return s;
    }
    NextStep();
    auto r = Post("/api/auth/login/code", s.Headers(), {{"code", Code(admin_secret_)}});
    EXPECT_EQ(r.status, 200) << r.body;
    return s;
  }
  static int Me(const TwoStepSession& s) { return Call("GET", "/api/auth/me", s.Headers()).status; }

  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
  static std::string admin_secret_;
};
testing::Corpus* SecondFactorTest::corpus_ = nullptr;
testing::ServerFixture* SecondFactorTest::server_ = nullptr;
std::string SecondFactorTest::admin_secret_;

// The portal's enrolment: a wrong first code keeps the key on the page
// (it vanished, so nobody could check what they had typed into the app),
// says why beside the code field and offers no recovery code, which does
// not exist yet; the right code then enrols.
TEST_F(SecondFactorTest, PortalEnrolmentKeepsTheKeyAfterAWrongCode) {
  AddUser("portaal-lid@gemeente.nl", "member", {"gemeenten"});
  TwoStepSession s = Login("portaal-lid@gemeente.nl");
  const std::vector<std::string> form_headers = {"Cookie: kpo_session=" + s.id,
                                                 "Content-Type: application/x-www-form-urlencoded"};
  auto begun = Call("POST", "/account/tweestaps", form_headers, "csrf=" + s.csrf);
  ASSERT_EQ(begun.status, 200) << begun.body;
  std::smatch key;
  ASSERT_TRUE(std::regex_search(begun.body, key, std::regex("id=\"totp-sleutel\">([A-Z2-7 ]+)<")));
  const std::string shown = key[1].str();
  auto wrong = Call("POST", "/account/tweestaps/bevestigen", form_headers,
                    "csrf=" + s.csrf + "&code=000000");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("id=\"totp-sleutel\">" + shown + "<"), std::string::npos) << wrong.body;
  EXPECT_NE(wrong.body.find("aria-invalid=\"true\" aria-describedby=\"code-fout\" autofocus"),
            std::string::npos);
  EXPECT_EQ(wrong.body.find("herstelcode"), std::string::npos);
  std::string b32;
  for (char c : shown) {
    if (c != ' ') b32.push_back(c);
  }
  auto right = Call("POST", "/account/tweestaps/bevestigen", form_headers,
                    "csrf=" + s.csrf + "&code=" + Code(FromBase32(b32)));
  EXPECT_EQ(right.status, 200) << right.body;
  EXPECT_NE(right.body.find("herstelcodes"), std::string::npos);
}

TEST_F(SecondFactorTest, MemberEnrolsThenSignsInWithACodeOnlyOnce) {
  AddUser("lid1@gemeente.nl", "member", {"gemeenten"});
  TwoStepSession s = Login("lid1@gemeente.nl");
  EXPECT_EQ(s.stage, "none");  // optional for members
  auto begun = Post("/api/account/totp", s.Headers());
  ASSERT_EQ(begun.status, 201) << begun.body;
  const std::string secret = FromBase32(begun.Json()["secret"]);
  // A wrong first code does not enrol.
  auto wrong = Post("/api/account/totp/confirm", s.Headers(), {{"code", "000000"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.ErrorCodeName(), "invalid_second_factor_code");
  // No recovery codes exist yet, so the answer does not offer one.
  EXPECT_EQ(wrong.body.find("herstelcode"), std::string::npos) << wrong.body;
  auto ok = Post("/api/account/totp/confirm", s.Headers(), {{"code", Code(secret)}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json()["recovery_codes"].size(), 10u);
  // Enrolling again while enrolled is refused.
  EXPECT_EQ(Post("/api/account/totp", s.Headers()).ErrorCodeName(), "second_factor_enrolled");

  // The next sign-in stops half-way: nothing but the code works.
  NextStep();
  TwoStepSession half = Login("lid1@gemeente.nl");
  EXPECT_EQ(half.stage, "code");
  auto me = Call("GET", "/api/auth/me", half.Headers());
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.ErrorCodeName(), "second_factor_required");
  EXPECT_EQ(Call("GET", "/api/search?q=ondermijning", half.Headers()).status, 401);
  auto bad = Post("/api/auth/login/code", half.Headers(), {{"code", "123456x"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorCodeName(), "invalid_second_factor_code");
  EXPECT_NE(bad.body.find("herstelcode"), std::string::npos) << bad.body;  // one works here
  // Without the CSRF header the step is refused.
  EXPECT_EQ(
      Post("/api/auth/login/code", {"Cookie: kpo_session=" + half.id}, {{"code", Code(secret)}})
          .ErrorCodeName(),
      "invalid_csrf_token");
  const std::string code = Code(secret);
  auto good = Post("/api/auth/login/code", half.Headers(), {{"code", code}});
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(Me(half), 200);

  // The same code again (same step, another sign-in) is a replay.
  TwoStepSession again = Login("lid1@gemeente.nl");
  auto replay = Post("/api/auth/login/code", again.Headers(), {{"code", code}});
  EXPECT_EQ(replay.status, 400);
  EXPECT_EQ(replay.ErrorCodeName(), "invalid_second_factor_code");
  EXPECT_EQ(Me(again), 401);
  NextStep();
  EXPECT_EQ(Post("/api/auth/login/code", again.Headers(), {{"code", Code(secret)}}).status, 200);
}

TEST_F(SecondFactorTest, RecoveryCodeWorksOnceAndWrongCodesAreRateLimited) {
  AddUser("lid2@gemeente.nl", "member");
  std::vector<std::string> codes;
  const std::string secret = Enrol(Login("lid2@gemeente.nl"), &codes);
  ASSERT_EQ(codes.size(), 10u);

  TwoStepSession first = Login("lid2@gemeente.nl");
  EXPECT_EQ(Post("/api/auth/login/code", first.Headers(), {{"code", codes[0]}}).status, 200);
  EXPECT_EQ(Me(first), 200);
  TwoStepSession second = Login("lid2@gemeente.nl");
  auto reused = Post("/api/auth/login/code", second.Headers(), {{"code", codes[0]}});
  EXPECT_EQ(reused.ErrorCodeName(), "invalid_second_factor_code");
  auto account = Call("GET", "/api/account", first.Headers());
  EXPECT_EQ(account.Json()["second_factor"]["recovery_codes_left"], 9);

  // Four more wrong codes make five: then even the right one is refused.
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Post("/api/auth/login/code", second.Headers(), {{"code", "999999"}}).status, 400);
  }
  NextStep();
  auto limited = Post("/api/auth/login/code", second.Headers(), {{"code", Code(secret)}});
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.Header("retry-after").empty());
  EXPECT_EQ(Me(second), 401);
  g_two_step_now += 15 * 60;  // the window passes
  TwoStepSession third = Login("lid2@gemeente.nl");
  EXPECT_EQ(Post("/api/auth/login/code", third.Headers(), {{"code", Code(secret)}}).status, 200);
}

TEST_F(SecondFactorTest, RedactieWithoutSecondFactorCanOnlyEnrol) {
  AddUser("redactie@kpo.test", "redactie");
  TwoStepSession s = Login("redactie@kpo.test");
  EXPECT_EQ(s.stage, "enrol");
  for (const char* target :
       {"/api/auth/me", "/api/search?q=ondermijning", "/api/account/sessions"}) {
    auto r = Call("GET", target, s.Headers());
    EXPECT_EQ(r.status, 403) << target;
    EXPECT_EQ(r.ErrorCodeName(), "second_factor_enrolment_required") << target;
  }
  auto account = Call("GET", "/api/account", s.Headers());
  ASSERT_EQ(account.status, 200) << account.body;
  EXPECT_EQ(account.Json()["session_stage"], "enrol");
  EXPECT_EQ(account.Json()["second_factor"]["required"], true);
  const std::string secret = Enrol(s);
  // The same session now works, and the role cannot switch the factor off.
  EXPECT_EQ(Me(s), 200);
  NextStep();
  auto off = Post("/api/account/totp/disable", s.Headers(), {{"code", Code(secret)}});
  EXPECT_EQ(off.status, 403);
  // Next time: the code step, as for everyone enrolled.
  EXPECT_EQ(Login("redactie@kpo.test").stage, "code");
}

TEST_F(SecondFactorTest, MemberDisablesWithACodeAndSignsInWithPasswordAgain) {
  AddUser("lid3@gemeente.nl", "member");
  TwoStepSession s = Login("lid3@gemeente.nl");
  const std::string secret = Enrol(s);
  NextStep();
  EXPECT_EQ(Post("/api/account/totp/disable", s.Headers(), {{"code", "000000"}}).status, 400);
  EXPECT_EQ(Post("/api/account/totp/disable", s.Headers(), {{"code", Code(secret)}}).status, 200);
  EXPECT_EQ(Login("lid3@gemeente.nl").stage, "none");
}

TEST_F(SecondFactorTest, SignOutEverywhereEndsTheOtherSessions) {
  AddUser("lid4@gemeente.nl", "member");
  TwoStepSession a = Login("lid4@gemeente.nl");
  TwoStepSession b = Login("lid4@gemeente.nl");
  TwoStepSession c = Login("lid4@gemeente.nl");
  auto list = Call("GET", "/api/account/sessions", a.Headers());
  ASSERT_EQ(list.status, 200) << list.body;
  auto sessions = list.Json()["sessions"];
  ASSERT_EQ(sessions.size(), 3u);
  int current = 0;
  int64_t b_number = 0;
  for (const auto& s : sessions) {
    EXPECT_EQ(s["user_agent"], kAgent);
    EXPECT_EQ(s["address"], "127.0.0.0/24");  // coarse, never the full address
    current += s["current"].get<bool>() ? 1 : 0;
    if (!s["current"].get<bool>()) b_number = s["id"];
  }
  EXPECT_EQ(current, 1);
  // One session: ends that one only; another user's number is not found.
  auto one = Call("DELETE", "/api/account/sessions/" + std::to_string(b_number), a.Headers());
  EXPECT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Me(a), 200);
  EXPECT_EQ((Me(b) == 401 ? 1 : 0) + (Me(c) == 401 ? 1 : 0), 1);
  EXPECT_EQ(Call("DELETE", "/api/account/sessions/" + std::to_string(b_number), a.Headers())
                .ErrorCodeName(),
            "user_session_not_found");
  // Everywhere: every session, this one too, and the cookie is cleared.
  auto all = Post("/api/account/sessions/end-all", a.Headers());
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_NE(all.Header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Me(a), 401);
  EXPECT_EQ(Me(b), 401);
  EXPECT_EQ(Me(c), 401);
}

TEST_F(SecondFactorTest, ChangingThePasswordKeepsThisSessionAndEndsTheOthers) {
  AddUser("wachtwoord@gemeente.nl", "member");
  TwoStepSession a = Login("wachtwoord@gemeente.nl");
  TwoStepSession b = Login("wachtwoord@gemeente.nl");
  const std::string fresh = "Nieuw-Paard-Batterij-43";
  auto change = [&](const std::string& current, const std::string& next,
                    const std::string& repeat) {
    return Post(
        "/api/account/password", a.Headers(),
        {{"current_password", current}, {"new_password", next}, {"new_password_repeat", repeat}});
  };
  // Refusals name the field that failed; nothing changes.
  auto wrong = change("niet-mijn-wachtwoord", fresh, fresh);
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_EQ(wrong.ErrorCodeName(), "invalid_current_password");
  auto mismatch = change(testing::kPassword, fresh, fresh + "!");
  EXPECT_EQ(mismatch.status, 400) << mismatch.body;
  EXPECT_EQ(mismatch.ErrorCodeName(), "new_password_mismatch");
  auto too_short = change(testing::kPassword, "kort", "kort");
  EXPECT_EQ(too_short.status, 400) << too_short.body;
  EXPECT_EQ(too_short.ErrorCodeName(), "invalid_field");
  EXPECT_EQ(Me(b), 200);
  // Without the CSRF header a cookie session is refused.
  auto no_csrf = Call("POST", "/api/account/password",
                      {"Cookie: kpo_session=" + a.id, "Content-Type: application/json"},
                      json{{"current_password", testing::kPassword},
                           {"new_password", fresh},
                           {"new_password_repeat", fresh}}
                          .dump());
  EXPECT_EQ(no_csrf.status, 403) << no_csrf.body;

  auto ok = change(testing::kPassword, fresh, fresh);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json()["sessions_ended"], 1);
  EXPECT_EQ(Me(a), 200);
  EXPECT_EQ(Me(b), 401);
  auto old_login = Post("/api/auth/login", {},
                        {{"email", "wachtwoord@gemeente.nl"}, {"password", testing::kPassword}});
  EXPECT_EQ(old_login.status, 401) << old_login.body;
  auto new_login =
      Post("/api/auth/login", {}, {{"email", "wachtwoord@gemeente.nl"}, {"password", fresh}});
  EXPECT_EQ(new_login.status, 200) << new_login.body;
}

TEST_F(SecondFactorTest, AdminEndsSessionsAndResetsASecondFactor) {
  const int64_t id = AddUser("lid5@gemeente.nl", "member");
  TwoStepSession member = Login("lid5@gemeente.nl");
  Enrol(member);
  // Not an admin: refused.
  EXPECT_EQ(Call("DELETE", "/api/admin/users/" + std::to_string(id) + "/sessions", member.Headers())
                .status,
            403);
  TwoStepSession admin = Admin();
  auto listed =
      Call("GET", "/api/admin/users/" + std::to_string(id) + "/sessions", admin.Headers());
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.Json()["sessions"].size(), 1u);
  auto ended =
      Call("DELETE", "/api/admin/users/" + std::to_string(id) + "/sessions", admin.Headers());
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(ended.Json()["ended"], 1);
  EXPECT_EQ(Me(member), 401);

  auto reset =
      Post("/api/admin/users/" + std::to_string(id) + "/second-factor/reset", admin.Headers());
  EXPECT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(Login("lid5@gemeente.nl").stage, "none");
  EXPECT_EQ(Post("/api/admin/users/" + std::to_string(id) + "/second-factor/reset", admin.Headers())
                .ErrorCodeName(),
            "second_factor_not_enrolled");
  auto audit = Call("GET", "/api/admin/audit?size=50", admin.Headers());
  EXPECT_NE(audit.body.find("\"second_factor_reset\""), std::string::npos);
  EXPECT_NE(audit.body.find("\"user_sessions_ended\""), std::string::npos);
  EXPECT_NE(audit.body.find("\"totp_enrolled\""), std::string::npos);
}

TEST_F(SecondFactorTest, ExportHoldsThatMemberOnly) {
  const int64_t id = AddUser("lid6@gemeente.nl", "member", {"gemeenten"});
  AddUser("buur@gemeente.nl", "member", {"gemeenten"});
  Login("lid6@gemeente.nl");
  Login("buur@gemeente.nl");
  TwoStepSession admin = Admin();
  // Admin actions about the member are in the export, named by kind.
  EXPECT_EQ(
      Call("GET", "/api/admin/users/" + std::to_string(id) + "/sessions", admin.Headers()).status,
      200);
  auto r = Call("GET", "/api/admin/users/" + std::to_string(id) + "/export", admin.Headers());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.Header("content-disposition").find("attachment"), std::string::npos);
  auto j = r.Json();
  EXPECT_EQ(j["account"]["email"], "lid6@gemeente.nl");
  EXPECT_EQ(j["sessions"].size(), 1u);
  EXPECT_TRUE(j["enrolments"].is_array());
  bool login_seen = false;
  for (const auto& e : j["audit"]) login_seen |= e["event"] == "login";
  EXPECT_TRUE(login_seen);
  EXPECT_EQ(r.body.find("buur@gemeente.nl"), std::string::npos);
  EXPECT_EQ(r.body.find("beheer@kpo.test"), std::string::npos);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  EXPECT_EQ(r.body.find("hash"), std::string::npos);
  // Members cannot export anyone.
  EXPECT_EQ(Call("GET", "/api/admin/users/" + std::to_string(id) + "/export",
                 Login("buur@gemeente.nl").Headers())
                .status,
            403);
}

TEST_F(SecondFactorTest, DeletionLeavesNoPersonalData) {
  const std::string email = "weg@gemeente.nl";
  const int64_t id = AddUser(email, "member", {"gemeenten"});
  TwoStepSession member = Login(email);
  Enrol(member);
  // A failed sign-in leaves a rate-limit row keyed by the address.
  EXPECT_EQ(
      Post("/api/auth/login", {}, {{"email", email}, {"password", "fout-wachtwoord-1"}}).status,
      401);
  TwoStepSession admin = Admin();
  // One's own account cannot be deleted.
  auto me = Call("GET", "/api/auth/me", admin.Headers()).Json();
  EXPECT_EQ(Call("DELETE", "/api/admin/users/" + std::to_string(me["user"]["id"].get<int64_t>()),
                 admin.Headers())
                .status,
            400);
  auto del = Call("DELETE", "/api/admin/users/" + std::to_string(id), admin.Headers());
  ASSERT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(Me(member), 401);
  EXPECT_EQ(Call("GET", "/api/admin/users/" + std::to_string(id) + "/export", admin.Headers())
                .ErrorCodeName(),
            "user_not_found");
  auto audit = Call("GET", "/api/admin/audit?size=100", admin.Headers());
  EXPECT_NE(audit.body.find("verwijderd:" + std::to_string(id)), std::string::npos);
  EXPECT_EQ(audit.body.find(email), std::string::npos);
  // Nothing in the accounts file (database and WAL) names the member any
  // more: rows deleted, audit lines pseudonymised, freed space overwritten.
  const std::string path =
      (std::filesystem::path(corpus_->data_dir()) / "accounts.sqlite").string();
  EXPECT_EQ(FileBytes(path).find(email), std::string::npos);
  EXPECT_EQ(
      Post("/api/auth/login", {}, {{"email", email}, {"password", testing::kPassword}}).status,
      401);
}

}  // namespace
}  // namespace kpo

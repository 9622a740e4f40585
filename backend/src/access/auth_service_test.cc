// Tests auth_service.h end to end on a real accounts.sqlite in a temporary
// directory, with an injected clock and libsodium's minimum hash cost.
#include "access/auth_service.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "access/account_store.h"
#include "access/totp.h"
#include "support/test_support.h"

namespace kpo::access {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPassword = "een goed wachtwoord";
constexpr int64_t kMinute = 60;
constexpr size_t kTenKb = 10240;

Principal AsRole(Role role) {
  Principal p;
  p.role = role;
  p.user_id = 999;
  p.email = std::string(RoleName(role)) + "@x.nl";
  return p;
}

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kpo_auth_service_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    Reopen();
  }
  void TearDown() override {
    service_.reset();
    fs::remove_all(dir_);
  }

  AuthOptions Options() {
    AuthOptions options;
    options.password = password_options_;
    options.clock = [this] { return now_.load(); };
    options.allowed_groups = std::set<std::string>{"gemeenten", "politie", "om", "fiod"};
    options.allowed_werkplaatsen = std::set<std::string>{"bibob", "integriteit"};
    // Off unless a test of the second factor turns it on (then Reopen()).
    options.second_factor_required = second_factor_required_;
    return options;
  }

  void Reopen() {
    service_.reset();
    auto service = AuthService::Open(dir_, Options());
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(*service);
  }

  User MustAdd(const std::string& email, const std::string& role = "member",
               std::vector<std::string> groups = {}, std::vector<std::string> werkplaatsen = {},
               const std::string& password = kPassword) {
    NewUserRequest request;
    request.email = email;
    request.name = "Test " + email;
    request.role = role;
    request.groups = std::move(groups);
    request.werkplaatsen = std::move(werkplaatsen);
    request.password = password;
    auto user = service_->AddUser(AuthService::LocalAdministrator(), "", request);
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    return user.ok() ? *user : User{};
  }

  std::vector<AuditEntry> AllAudit() {
    auto page = service_->ListAudit(AuthService::LocalAdministrator(), "", 1, 100);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->entries : std::vector<AuditEntry>{};
  }

  int CountEvents(const std::string& event) {
    int n = 0;
    for (const auto& e : AllAudit()) n += e.event == event ? 1 : 0;
    return n;
  }

  std::string dir_;
  std::atomic<int64_t> now_{1700000000};
  bool second_factor_required_ = false;
  PasswordOptions password_options_ = PasswordOptions::Minimum();
  std::unique_ptr<AuthService> service_;
};

// --- login -------------------------------------------------------------------

TEST_F(AuthServiceTest, LoginStartsASession) {
  User user = MustAdd("jan@gemeente.nl", "editor", {"gemeenten"}, {"bibob"});
  auto login = service_->Login("Jan@Gemeente.nl", kPassword, "192.0.2.1");
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_EQ(login->principal.role, Role::kEditor);
  EXPECT_EQ(login->principal.user_id, user.id);
  EXPECT_EQ(login->principal.email, "jan@gemeente.nl");
  EXPECT_EQ(login->principal.groups, (std::vector<std::string>{"gemeenten"}));
  EXPECT_EQ(login->principal.werkplaatsen, (std::vector<std::string>{"bibob"}));
  EXPECT_TRUE(IsWellFormedToken(login->session_id));
  EXPECT_TRUE(IsWellFormedToken(login->csrf_token));
  EXPECT_EQ(login->max_age, 12 * 60 * 60);

  auto session = service_->AuthenticateSession(login->session_id);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->principal.user_id, user.id);
  EXPECT_EQ(session->csrf_token, login->csrf_token);
}

TEST_F(AuthServiceTest, EveryLoginGetsAFreshSessionId) {
  MustAdd("a@x.nl");
  auto first = service_->Login("a@x.nl", kPassword, "");
  auto second = service_->Login("a@x.nl", kPassword, "");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->session_id, second->session_id);
  EXPECT_NE(first->csrf_token, second->csrf_token);
  EXPECT_TRUE(service_->AuthenticateSession(first->session_id).ok());
  EXPECT_TRUE(service_->AuthenticateSession(second->session_id).ok());
}

TEST_F(AuthServiceTest, WrongPasswordUnknownEmailAndDisabledAccountLookTheSame) {
  User user = MustAdd("a@x.nl");
  MustAdd("off@x.nl");
  auto off = service_->GetUser(AuthService::LocalAdministrator(), "", "off@x.nl");
  ASSERT_TRUE(off.ok());
  ASSERT_TRUE(service_->SetUserDisabled(AuthService::LocalAdministrator(), "", off->id, true).ok());

  auto wrong = service_->Login("a@x.nl", "fout wachtwoord", "");
  auto unknown = service_->Login("niemand@x.nl", kPassword, "");
  auto disabled = service_->Login("off@x.nl", kPassword, "");
  for (const auto* result : {&wrong, &unknown, &disabled}) {
    ASSERT_FALSE(result->ok());
    EXPECT_EQ(result->status().code(), ErrorCode::kInvalidCredentials);
    EXPECT_EQ(result->status().message(), "E-mailadres of wachtwoord klopt niet.");
    EXPECT_TRUE(result->status().detail().empty());
  }
  (void)user;
}

TEST_F(AuthServiceTest, PasswordIsNeverStoredOrAudited) {
  const std::string password = "Uniek-Geheim-9931-wachtwoord";
  MustAdd("geheim@x.nl", "member", {}, {}, password);
  ASSERT_TRUE(service_->Login("geheim@x.nl", password, "").ok());
  EXPECT_FALSE(service_->Login("geheim@x.nl", password + "x", "").ok());
  EXPECT_FALSE(service_->Login("niemand@x.nl", password, "").ok());
  auto token = service_->CreateToken(AuthService::LocalAdministrator(), "", "t", "member", {});
  ASSERT_TRUE(token.ok());
  auto login = service_->Login("geheim@x.nl", password, "");
  ASSERT_TRUE(login.ok());

  const std::string bytes = testing::DatabaseBytes((fs::path(dir_) / "accounts.sqlite").string());
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find(password), std::string::npos);
  EXPECT_EQ(bytes.find(login->session_id), std::string::npos);
  EXPECT_EQ(bytes.find(token->token), std::string::npos);
  for (const auto& e : AllAudit()) {
    EXPECT_EQ(e.detail.find(password), std::string::npos) << e.detail;
    EXPECT_EQ(e.subject.find(password), std::string::npos) << e.subject;
  }
}

TEST_F(AuthServiceTest, EveryLoginAttemptIsAudited) {
  MustAdd("a@x.nl");
  ASSERT_TRUE(service_->Login("a@x.nl", kPassword, "192.0.2.7").ok());
  ASSERT_FALSE(service_->Login("a@x.nl", "fout wachtwoord", "192.0.2.7").ok());
  ASSERT_FALSE(service_->Login("niemand@x.nl", "fout wachtwoord", "192.0.2.7").ok());
  auto entries = AllAudit();
  std::vector<std::string> logins;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->event.rfind("login", 0) == 0) {
      logins.push_back(it->event + " " + it->subject + " " + it->detail + " " + it->address);
    }
  }
  EXPECT_EQ(logins, (std::vector<std::string>{
                        "login a@x.nl {} 192.0.2.7",
                        "login_failed a@x.nl {\"reason\":\"wrong_password\"} 192.0.2.7",
                        "login_failed niemand@x.nl {\"reason\":\"unknown_account\"} 192.0.2.7",
                    }));
}

// --- rate limiting ----------------------------------------------------------------

TEST_F(AuthServiceTest, AccountRateLimitKicksInAndResetsAfterTheWindow) {
  MustAdd("a@x.nl");
  const int64_t start = now_;
  for (int i = 0; i < 5; ++i) {
    auto failed = service_->Login("a@x.nl", "fout wachtwoord", "10.0.0." + std::to_string(i));
    EXPECT_EQ(failed.status().code(), ErrorCode::kInvalidCredentials);
    now_ += 1;
  }
  // Even the right password is refused now, from any address.
  int retry_after = 0;
  auto limited = service_->Login("a@x.nl", kPassword, "10.0.0.99", &retry_after);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.status().code(), ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry_after, start + 900 - now_);
  EXPECT_EQ(CountEvents("login_rate_limited"), 1);

  // Limited attempts do not extend the lock.
  now_ += retry_after - 1;
  EXPECT_EQ(service_->Login("a@x.nl", kPassword, "", &retry_after).status().code(),
            ErrorCode::kTooManyRequests);
  EXPECT_EQ(retry_after, 1);
  now_ += 1;
  auto allowed = service_->Login("a@x.nl", kPassword, "", &retry_after);
  EXPECT_TRUE(allowed.ok()) << allowed.status().ToString();
  EXPECT_EQ(retry_after, 0);
}

TEST_F(AuthServiceTest, UnknownEmailsAreRateLimitedAlike) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(service_->Login("niemand@x.nl", kPassword, "").status().code(),
              ErrorCode::kInvalidCredentials);
  }
  EXPECT_EQ(service_->Login("niemand@x.nl", kPassword, "").status().code(),
            ErrorCode::kTooManyRequests);
}

TEST_F(AuthServiceTest, SuccessfulLoginsDoNotCountAndClearFailures) {
  MustAdd("a@x.nl");
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(service_->Login("a@x.nl", kPassword, "").ok());
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(service_->Login("a@x.nl", "fout wachtwoord", "10.0.0.1").status().code(),
                ErrorCode::kInvalidCredentials);
    }
    EXPECT_TRUE(service_->Login("a@x.nl", kPassword, "10.0.0.1").ok()) << round;
  }
}

// Issue 13: behind a proxy every client has the proxy's address, so 20
// wrong passwords by anyone once blocked every login. Over the address
// limit each account gets one wrong password from that address; accounts
// that did not fail from it are not affected.
TEST_F(AuthServiceTest, AddressOverItsLimitNeverLocksOutAccountsThatDidNotFail) {
  MustAdd("a@x.nl");
  MustAdd("b@x.nl");
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(service_->Login("u" + std::to_string(i) + "@x.nl", kPassword, "203.0.113.9")
                  .status()
                  .code(),
              ErrorCode::kInvalidCredentials);
  }
  // A colleague behind the same address signs in.
  EXPECT_TRUE(service_->Login("a@x.nl", kPassword, "203.0.113.9").ok());
  // Guessing across accounts: one wrong password per account, then refused.
  EXPECT_EQ(service_->Login("u0@x.nl", kPassword, "203.0.113.9").status().code(),
            ErrorCode::kTooManyRequests);
  EXPECT_EQ(service_->Login("b@x.nl", "fout wachtwoord", "203.0.113.9").status().code(),
            ErrorCode::kInvalidCredentials);
  int retry_after = 0;
  EXPECT_EQ(service_->Login("b@x.nl", kPassword, "203.0.113.9", &retry_after).status().code(),
            ErrorCode::kTooManyRequests);
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, 900);
  // Another address is not affected.
  EXPECT_TRUE(service_->Login("b@x.nl", kPassword, "203.0.113.10").ok());
  now_ += 900;
  EXPECT_TRUE(service_->Login("b@x.nl", kPassword, "203.0.113.9").ok());
}

TEST_F(AuthServiceTest, LoginUpgradesAHashMadeWithOtherLimits) {
  User user = MustAdd("a@x.nl");
  const std::string path = (fs::path(dir_) / "accounts.sqlite").string();
  AccountStoreOptions store_options;
  store_options.password = PasswordOptions::Minimum();
  auto store = AccountStore::Open(path, store_options);
  ASSERT_TRUE(store.ok());
  const std::string before = *(*store)->GetPasswordHash(user.id);

  // Restart with a (still cheap) higher cost: the next login re-hashes.
  const PasswordOptions stronger{2, 16384};
  service_.reset();
  AuthOptions options = Options();
  options.password = stronger;
  auto service = AuthService::Open(dir_, options);
  ASSERT_TRUE(service.ok());
  service_ = std::move(*service);
  ASSERT_TRUE(service_->Login("a@x.nl", kPassword, "").ok());
  const std::string after = *(*store)->GetPasswordHash(user.id);
  EXPECT_NE(before, after);
  EXPECT_TRUE(NeedsRehash(before, stronger));
  EXPECT_FALSE(NeedsRehash(after, stronger));
  EXPECT_TRUE(VerifyPassword(after, kPassword));
  EXPECT_TRUE(service_->Login("a@x.nl", kPassword, "").ok());
}

// --- sessions ---------------------------------------------------------------------

// --- changing one's own password -----------------------------------------

PasswordChange Change(const std::string& current, const std::string& next,
                      const std::string& repeat) {
  return PasswordChange{current, next, repeat};
}

TEST_F(AuthServiceTest, ChangePasswordRefusesMismatchShortAndWrongCurrent) {
  MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "192.0.2.1");
  ASSERT_TRUE(login.ok());
  const int64_t keep = service_->AuthenticateSession(login->session_id)->session_number;
  const Principal& who = login->principal;
  const std::string fresh = "een nieuw wachtwoord";

  EXPECT_EQ(service_->ChangePassword(who, "", Change(kPassword, fresh, fresh + "x"), keep)
                .status()
                .code(),
            ErrorCode::kPasswordMismatch);
  EXPECT_EQ(
      service_->ChangePassword(who, "", Change(kPassword, "kort", "kort"), keep).status().code(),
      ErrorCode::kInvalidField);
  // The same password again is no change (it ended every other session).
  auto same = service_->ChangePassword(who, "", Change(kPassword, kPassword, kPassword), keep);
  EXPECT_EQ(same.status().code(), ErrorCode::kInvalidField);
  EXPECT_NE(same.status().message().find("gelijk aan het huidige"), std::string::npos);
  auto wrong = service_->ChangePassword(who, "", Change("niet het wachtwoord", fresh, fresh), keep);
  EXPECT_EQ(wrong.status().code(), ErrorCode::kCurrentPassword);
  EXPECT_EQ(CountEvents("password_change_failed"), 1);
  // Nothing changed: the old password still signs in, the new one does not.
  EXPECT_TRUE(service_->Login("a@x.nl", kPassword, "").ok());
  EXPECT_EQ(service_->Login("a@x.nl", fresh, "").status().code(), ErrorCode::kInvalidCredentials);
  // API tokens (user id 0) have no password of their own.
  Principal token = AsRole(Role::kMember);
  token.user_id = 0;
  EXPECT_EQ(service_->ChangePassword(token, "", Change(kPassword, fresh, fresh), 0).status().code(),
            ErrorCode::kForbidden);
}

TEST_F(AuthServiceTest, ChangePasswordEndsTheOtherSessionsOnly) {
  MustAdd("a@x.nl");
  auto mine = service_->Login("a@x.nl", kPassword, "192.0.2.1");
  auto other = service_->Login("a@x.nl", kPassword, "198.51.100.7");
  ASSERT_TRUE(mine.ok() && other.ok());
  const int64_t keep = service_->AuthenticateSession(mine->session_id)->session_number;
  const std::string fresh = "een nieuw wachtwoord";

  auto ended =
      service_->ChangePassword(mine->principal, "192.0.2.1", Change(kPassword, fresh, fresh), keep);
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  EXPECT_EQ(*ended, 1);
  EXPECT_TRUE(service_->AuthenticateSession(mine->session_id).ok());
  EXPECT_EQ(service_->AuthenticateSession(other->session_id).status().code(),
            ErrorCode::kAuthenticationRequired);
  EXPECT_EQ(service_->Login("a@x.nl", kPassword, "").status().code(),
            ErrorCode::kInvalidCredentials);
  EXPECT_TRUE(service_->Login("a@x.nl", fresh, "").ok());
  // Audited, the passwords never.
  EXPECT_EQ(CountEvents("password_changed"), 1);
  for (const auto& e : AllAudit()) {
    EXPECT_EQ(e.detail.find(fresh), std::string::npos);
    EXPECT_EQ(e.detail.find(kPassword), std::string::npos);
  }
}

TEST_F(AuthServiceTest, WrongCurrentPasswordsCountTowardTheLoginLimit) {
  MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "192.0.2.1");
  ASSERT_TRUE(login.ok());
  const std::string fresh = "een nieuw wachtwoord";
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(service_
                  ->ChangePassword(login->principal, "192.0.2.1",
                                   Change("fout " + std::to_string(i), fresh, fresh), 0)
                  .status()
                  .code(),
              ErrorCode::kCurrentPassword);
  }
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(service_->Login("a@x.nl", "fout wachtwoord", "").status().code(),
              ErrorCode::kInvalidCredentials);
  }
  // Five failures in all: both the form and the sign-in are closed now.
  int retry_after = 0;
  EXPECT_EQ(
      service_
          ->ChangePassword(login->principal, "", Change(kPassword, fresh, fresh), 0, &retry_after)
          .status()
          .code(),
      ErrorCode::kTooManyRequests);
  EXPECT_GT(retry_after, 0);
  EXPECT_EQ(service_->Login("a@x.nl", kPassword, "").status().code(), ErrorCode::kTooManyRequests);
}

TEST_F(AuthServiceTest, SessionEndsAfterIdleTimeout) {
  MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "");
  ASSERT_TRUE(login.ok());
  now_ += 29 * kMinute;
  EXPECT_TRUE(service_->AuthenticateSession(login->session_id).ok());
  now_ += 29 * kMinute;  // active requests keep it alive
  EXPECT_TRUE(service_->AuthenticateSession(login->session_id).ok());
  now_ += 30 * kMinute;
  EXPECT_EQ(service_->AuthenticateSession(login->session_id).status().code(),
            ErrorCode::kAuthenticationRequired);
  now_ -= 30 * kMinute;  // deleted, not merely judged: turning the clock back does not revive it
  EXPECT_EQ(service_->AuthenticateSession(login->session_id).status().code(),
            ErrorCode::kAuthenticationRequired);
}

TEST_F(AuthServiceTest, SessionEndsAfterAbsoluteTimeoutHoweverActive) {
  MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "");
  ASSERT_TRUE(login.ok());
  for (int minutes = 10; minutes < 12 * 60; minutes += 10) {
    now_ += 10 * kMinute;
    ASSERT_TRUE(service_->AuthenticateSession(login->session_id).ok()) << minutes;
  }
  now_ += 10 * kMinute;
  EXPECT_EQ(service_->AuthenticateSession(login->session_id).status().code(),
            ErrorCode::kAuthenticationRequired);
}

TEST_F(AuthServiceTest, ForgedSessionIdsAreRejected) {
  MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "");
  ASSERT_TRUE(login.ok());
  std::string upper = login->session_id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string flipped = login->session_id;
  flipped[0] = flipped[0] == 'a' ? 'b' : 'a';
  for (const std::string& forged :
       {RandomToken(), std::string(), std::string(64, '0'), upper, flipped,
        login->session_id.substr(1), login->session_id + "0", TokenHash(login->session_id),
        login->csrf_token, std::string(10000, 'a')}) {
    EXPECT_EQ(service_->AuthenticateSession(forged).status().code(),
              ErrorCode::kAuthenticationRequired)
        << forged.substr(0, 70);
  }
  EXPECT_TRUE(service_->AuthenticateSession(login->session_id).ok());
}

TEST_F(AuthServiceTest, LogoutEndsTheSession) {
  MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "");
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(service_->Logout(login->session_id, "").ok());
  EXPECT_EQ(service_->AuthenticateSession(login->session_id).status().code(),
            ErrorCode::kAuthenticationRequired);
  EXPECT_TRUE(service_->Logout(login->session_id, "").ok());
  EXPECT_TRUE(service_->Logout("rommel", "").ok());
  EXPECT_EQ(CountEvents("logout"), 1);
}

TEST_F(AuthServiceTest, SessionsSurviveARestart) {
  MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "");
  ASSERT_TRUE(login.ok());
  Reopen();
  EXPECT_TRUE(service_->AuthenticateSession(login->session_id).ok());
}

TEST_F(AuthServiceTest, DisabledUserLosesAccessAtOnce) {
  User user = MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "");
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(service_->AuthenticateSession(login->session_id).ok());
  auto disabled = service_->SetUserDisabled(AuthService::LocalAdministrator(), "", user.id, true);
  ASSERT_TRUE(disabled.ok());
  EXPECT_TRUE(disabled->disabled);
  EXPECT_EQ(service_->AuthenticateSession(login->session_id).status().code(),
            ErrorCode::kAuthenticationRequired);
  EXPECT_EQ(service_->Login("a@x.nl", kPassword, "").status().code(),
            ErrorCode::kInvalidCredentials);
  ASSERT_TRUE(
      service_->SetUserDisabled(AuthService::LocalAdministrator(), "", user.id, false).ok());
  EXPECT_TRUE(service_->Login("a@x.nl", kPassword, "").ok());
}

TEST_F(AuthServiceTest, DisabledFlagIsCheckedEvenIfSessionsRemain) {
  // Another process (kpo-admin) may disable an account between two requests;
  // the flag alone must be enough.
  User user = MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "");
  ASSERT_TRUE(login.ok());
  auto db = store::Db::Open((fs::path(dir_) / "accounts.sqlite").string());
  ASSERT_TRUE(db.ok());
  auto stmt = (*db)->Prepare("UPDATE users SET disabled = 1 WHERE id = ?");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(stmt->Bind(1, user.id).Run().ok());
  EXPECT_EQ(service_->AuthenticateSession(login->session_id).status().code(),
            ErrorCode::kAuthenticationRequired);
}

TEST_F(AuthServiceTest, RoleAndGroupChangesApplyToTheNextRequest) {
  User user = MustAdd("a@x.nl", "member", {"gemeenten"});
  auto login = service_->Login("a@x.nl", kPassword, "");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(service_->AuthenticateSession(login->session_id)->principal.role, Role::kMember);

  Principal admin = AuthService::LocalAdministrator();
  ASSERT_TRUE(service_->SetUserRole(admin, "", user.id, "editor").ok());
  ASSERT_TRUE(service_->SetUserGroups(admin, "", user.id, {"politie", "om"}, {"integriteit"}).ok());
  auto session = service_->AuthenticateSession(login->session_id);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->principal.role, Role::kEditor);
  EXPECT_EQ(session->principal.groups, (std::vector<std::string>{"om", "politie"}));
  EXPECT_EQ(session->principal.werkplaatsen, (std::vector<std::string>{"integriteit"}));

  ASSERT_TRUE(service_->SetUserRole(admin, "", user.id, "member").ok());
  EXPECT_EQ(service_->AuthenticateSession(login->session_id)->principal.role, Role::kMember);
}

// --- CSRF ---------------------------------------------------------------------------

TEST_F(AuthServiceTest, CsrfMustMatchTheSession) {
  MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "");
  ASSERT_TRUE(login.ok());
  auto session = service_->AuthenticateSession(login->session_id);
  ASSERT_TRUE(session.ok());
  EXPECT_TRUE(AuthService::CheckCsrf(session->csrf_token, login->csrf_token).ok());
  std::string other = login->csrf_token;
  other[63] = other[63] == '0' ? '1' : '0';
  for (const std::string& bad : {other, std::string(), login->csrf_token.substr(1),
                                 login->csrf_token + "x", login->session_id}) {
    EXPECT_EQ(AuthService::CheckCsrf(session->csrf_token, bad).code(),
              ErrorCode::kInvalidCsrfToken);
  }
  EXPECT_EQ(AuthService::CheckCsrf("", "").code(), ErrorCode::kInvalidCsrfToken);
}

// --- tokens -------------------------------------------------------------------------

TEST_F(AuthServiceTest, TokensWorkUntilRevoked) {
  Principal admin = AuthService::LocalAdministrator();
  auto token = service_->CreateToken(admin, "", "Koppeling", "member", {"politie"});
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  auto principal = service_->AuthenticateToken(token->token, "198.51.100.1");
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_EQ(principal->role, Role::kMember);
  EXPECT_EQ(principal->user_id, 0);
  EXPECT_EQ(principal->email, "token:" + std::to_string(token->id));
  EXPECT_EQ(principal->groups, (std::vector<std::string>{"politie"}));

  ASSERT_TRUE(service_->RevokeToken(admin, "", token->id).ok());
  EXPECT_EQ(service_->AuthenticateToken(token->token).status().code(), ErrorCode::kInvalidToken);
  EXPECT_EQ(service_->AuthenticateToken(RandomToken()).status().code(), ErrorCode::kInvalidToken);
  EXPECT_EQ(service_->AuthenticateToken("").status().code(), ErrorCode::kInvalidToken);
  EXPECT_EQ(service_->RevokeToken(admin, "", 12345).code(), ErrorCode::kTokenNotFound);
  auto tokens = service_->ListTokens(admin, "");
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_TRUE((*tokens)[0].revoked_at.has_value());
}

TEST_F(AuthServiceTest, TokenUseIsAuditedAtMostOncePerMinute) {
  auto token = service_->CreateToken(AuthService::LocalAdministrator(), "", "t", "member", {});
  ASSERT_TRUE(token.ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(service_->AuthenticateToken(token->token).ok());
  EXPECT_EQ(CountEvents("token_used"), 1);
  now_ += 60;
  ASSERT_TRUE(service_->AuthenticateToken(token->token).ok());
  EXPECT_EQ(CountEvents("token_used"), 2);
}

// --- administration ------------------------------------------------------------------

TEST_F(AuthServiceTest, AdminOperationsAreRefusedForOtherRoles) {
  User target = MustAdd("target@x.nl");
  auto token = service_->CreateToken(AuthService::LocalAdministrator(), "", "t", "member", {});
  ASSERT_TRUE(token.ok());
  NewUserRequest request;
  request.email = "new@x.nl";
  request.name = "New";
  request.role = "admin";
  request.password = kPassword;
  for (Role role :
       {Role::kAnonymous, Role::kMember, Role::kEditor, Role::kRedactie, Role::kAcademie}) {
    Principal caller = role == Role::kAnonymous ? Principal::Anonymous() : AsRole(role);
    SCOPED_TRACE(RoleName(role));
    EXPECT_EQ(service_->AddUser(caller, "", request).status().code(), ErrorCode::kForbidden);
    EXPECT_EQ(service_->ListUsers(caller, "").status().code(), ErrorCode::kForbidden);
    EXPECT_EQ(service_->GetUser(caller, "", "target@x.nl").status().code(), ErrorCode::kForbidden);
    EXPECT_EQ(service_->SetUserDisabled(caller, "", target.id, true).status().code(),
              ErrorCode::kForbidden);
    EXPECT_EQ(service_->SetUserRole(caller, "", target.id, "admin").status().code(),
              ErrorCode::kForbidden);
    EXPECT_EQ(service_->SetUserGroups(caller, "", target.id, {"om"}, {}).status().code(),
              ErrorCode::kForbidden);
    EXPECT_EQ(service_->CreateToken(caller, "", "t", "admin", {}).status().code(),
              ErrorCode::kForbidden);
    EXPECT_EQ(service_->RevokeToken(caller, "", token->id).code(), ErrorCode::kForbidden);
    EXPECT_EQ(service_->ListTokens(caller, "").status().code(), ErrorCode::kForbidden);
    EXPECT_EQ(service_->ListAudit(caller, "", 1, 10).status().code(), ErrorCode::kForbidden);
  }
  // Nothing changed, and every refusal is on record.
  auto user = service_->GetUser(AuthService::LocalAdministrator(), "", "target@x.nl");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->role, Role::kMember);
  EXPECT_FALSE(user->disabled);
  EXPECT_EQ(service_->GetUser(AuthService::LocalAdministrator(), "", "new@x.nl").status().code(),
            ErrorCode::kUserNotFound);
  EXPECT_TRUE(service_->AuthenticateToken(token->token).ok());
  EXPECT_EQ(CountEvents("forbidden"), 50);
}

TEST_F(AuthServiceTest, AdminSignedInThroughASessionCanAdminister) {
  MustAdd("admin@x.nl", "admin");
  auto login = service_->Login("admin@x.nl", kPassword, "192.0.2.5");
  ASSERT_TRUE(login.ok());
  auto session = service_->AuthenticateSession(login->session_id);
  ASSERT_TRUE(session.ok());
  NewUserRequest request;
  request.email = "nieuw@x.nl";
  request.name = "Nieuw";
  request.role = "member";
  request.groups = {"fiod"};
  request.password = kPassword;
  auto user = service_->AddUser(session->principal, "192.0.2.5", request);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  auto entries = AllAudit();
  bool found = false;
  for (const auto& e : entries) {
    if (e.event == "user_created" && e.subject == "nieuw@x.nl") {
      found = true;
      EXPECT_EQ(e.actor, "admin@x.nl");
      EXPECT_EQ(e.address, "192.0.2.5");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(AuthServiceTest, AdminInputIsValidated) {
  Principal admin = AuthService::LocalAdministrator();
  NewUserRequest good;
  good.email = "a@x.nl";
  good.name = "A";
  good.role = "member";
  good.password = kPassword;
  auto expect_invalid = [&](NewUserRequest r) {
    auto user = service_->AddUser(admin, "", r);
    EXPECT_EQ(user.status().code(), ErrorCode::kInvalidField) << user.status().ToString();
  };
  NewUserRequest r = good;
  r.role = "anonymous";
  expect_invalid(r);
  r = good;
  r.role = "superuser";
  expect_invalid(r);
  r = good;
  r.groups = {"belastingdienst"};  // well-formed, but not allowed here
  expect_invalid(r);
  r = good;
  r.werkplaatsen = {"communicatie"};
  expect_invalid(r);
  r = good;
  r.password = "negen9999";
  expect_invalid(r);
  r = good;
  r.password = std::string(201, 'x');
  expect_invalid(r);
  ASSERT_TRUE(service_->AddUser(admin, "", good).ok());
  r = good;
  r.email = "A@X.NL";
  EXPECT_EQ(service_->AddUser(admin, "", r).status().code(), ErrorCode::kUserExists);

  EXPECT_EQ(service_->CreateToken(admin, "", "t", "anonymous", {}).status().code(),
            ErrorCode::kInvalidField);
  EXPECT_EQ(service_->CreateToken(admin, "", "t", "member", {"douane"}).status().code(),
            ErrorCode::kInvalidField);
  EXPECT_EQ(service_->SetUserRole(admin, "", 424242, "member").status().code(),
            ErrorCode::kUserNotFound);
  EXPECT_EQ(service_->ListAudit(admin, "", 0, 10).status().code(), ErrorCode::kInvalidParameter);
  EXPECT_EQ(service_->ListAudit(admin, "", 1, 1000).status().code(), ErrorCode::kInvalidParameter);
}

TEST_F(AuthServiceTest, AdminCannotLockThemselvesOut) {
  User admin_user = MustAdd("admin@x.nl", "admin");
  auto login = service_->Login("admin@x.nl", kPassword, "");
  ASSERT_TRUE(login.ok());
  const Principal& me = login->principal;
  EXPECT_EQ(service_->SetUserDisabled(me, "", admin_user.id, true).status().code(),
            ErrorCode::kInvalidField);
  EXPECT_EQ(service_->SetUserRole(me, "", admin_user.id, "member").status().code(),
            ErrorCode::kInvalidField);
  EXPECT_TRUE(service_->AuthenticateSession(login->session_id).ok());
}

TEST_F(AuthServiceTest, AuditListsNewestFirst) {
  MustAdd("a@x.nl");
  now_ += 5;
  ASSERT_TRUE(service_->Login("a@x.nl", kPassword, "").ok());
  auto page = service_->ListAudit(AuthService::LocalAdministrator(), "", 1, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0].event, "login");
  EXPECT_EQ(page->entries[1].event, "user_created");
  EXPECT_EQ(page->total, 2);
  // Reading the log is not logged: pages stay put between readings.
  EXPECT_EQ(service_->ListAudit(AuthService::LocalAdministrator(), "", 1, 2)->total, 2);
}

// --- demo -------------------------------------------------------------------------------

TEST_F(AuthServiceTest, SeedDemoIsIdempotent) {
  auto first = service_->SeedDemo();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 6u);
  std::set<std::string> roles;
  for (const auto& a : *first) {
    EXPECT_FALSE(a.existed) << a.email;
    EXPECT_GE(a.password.size(), 10u);
    roles.insert(a.role);
    auto login = service_->Login(a.email, a.password, "");
    ASSERT_TRUE(login.ok()) << a.email << ": " << login.status().ToString();
    EXPECT_EQ(RoleName(login->principal.role), a.role);
  }
  EXPECT_EQ(roles, (std::set<std::string>{"member", "editor", "redactie", "academie", "admin"}));
  auto editor = service_->GetUser(AuthService::LocalAdministrator(), "", "editor@demo.kpo.nl");
  ASSERT_TRUE(editor.ok());
  EXPECT_EQ(editor->werkplaatsen, (std::vector<std::string>{"bibob"}));
  EXPECT_EQ(editor->groups, (std::vector<std::string>{"gemeenten"}));
  auto politie =
      service_->GetUser(AuthService::LocalAdministrator(), "", "member-politie@demo.kpo.nl");
  ASSERT_TRUE(politie.ok());
  EXPECT_EQ(politie->groups, (std::vector<std::string>{"om", "politie"}));

  auto second = service_->SeedDemo();
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 6u);
  for (size_t i = 0; i < second->size(); ++i) {
    EXPECT_TRUE((*second)[i].existed);
    EXPECT_TRUE((*second)[i].password.empty());
    EXPECT_TRUE(service_->Login((*first)[i].email, (*first)[i].password, "").ok());
  }
}

// --- concurrency -------------------------------------------------------------------------

TEST_F(AuthServiceTest, ConcurrentLoginsFromEightThreads) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 6;
  for (int t = 0; t < kThreads; ++t) MustAdd("user" + std::to_string(t) + "@x.nl");
  MustAdd("shared@x.nl");
  std::vector<std::vector<std::string>> sessions(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string own = "user" + std::to_string(t) + "@x.nl";
      const std::string address = "10.1.0." + std::to_string(t);
      for (int r = 0; r < kRounds; ++r) {
        for (const std::string& email : {own, std::string("shared@x.nl")}) {
          auto login = service_->Login(email, kPassword, address);
          if (!login.ok()) {
            ++errors;
            ADD_FAILURE() << login.status().ToString();
            continue;
          }
          auto session = service_->AuthenticateSession(login->session_id);
          if (!session.ok() || session->principal.email != email) ++errors;
          sessions[t].push_back(login->session_id);
        }
        auto wrong = service_->Login(own, "fout wachtwoord", address);
        if (wrong.status().code() != ErrorCode::kInvalidCredentials) ++errors;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);

  std::set<std::string> unique;
  for (const auto& list : sessions) {
    for (const auto& id : list) {
      unique.insert(id);
      EXPECT_TRUE(service_->AuthenticateSession(id).ok());
    }
  }
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kRounds * 2));
  auto page = service_->ListAudit(AuthService::LocalAdministrator(), "", 1, 1);
  ASSERT_TRUE(page.ok());
  // 9 user_created + 96 logins + 48 failures.
  EXPECT_EQ(page->total, 9 + kThreads * kRounds * 3);
  auto users = service_->ListUsers(AuthService::LocalAdministrator(), "");
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->size(), static_cast<size_t>(kThreads + 1));
}

// Login checked the failure count, ran Argon2id and only then recorded the
// failure, so parallel attempts all passed the check before any of them
// counted: 16 parallel wrong passwords for an account with one attempt left
// gave four 401s instead of one. Runs `attempt(i)` on `attempts` threads at
// once and counts the answers.
std::map<ErrorCode, int> InParallel(AuthService* service, int attempts,
                                    const std::function<ErrorCode(int)>& attempt) {
  std::mutex mu;
  std::map<ErrorCode, int> codes;
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < attempts; ++i) {
    threads.emplace_back([&, i] {
      // Opens this thread's connection now: opening is serialised and would
      // otherwise space the attempts out.
      (void)service->PrincipalOfUser(1);
      // Start together, so every attempt is in flight before any finishes.
      ++ready;
      while (ready.load() < attempts) std::this_thread::yield();
      const ErrorCode code = attempt(i);
      std::lock_guard<std::mutex> lock(mu);
      ++codes[code];
    });
  }
  for (auto& th : threads) th.join();
  return codes;
}

// `address_of(i)` is attempt i's address.
std::map<ErrorCode, int> ParallelWrongLogins(AuthService* service, const std::string& email,
                                             int attempts,
                                             const std::function<std::string(int)>& address_of) {
  return InParallel(service, attempts, [&](int i) {
    return service->Login(email, "fout wachtwoord", address_of(i)).status().code();
  });
}

// A few milliseconds per hash (the minimum takes microseconds), as a real
// hash's hundred makes the gap between check and record wide.
constexpr PasswordOptions kRacePasswordOptions{3, size_t{4} * 1024 * 1024};

TEST_F(AuthServiceTest, ParallelWrongPasswordsNeverExceedTheAccountLimit) {
  password_options_ = kRacePasswordOptions;
  Reopen();
  MustAdd("a@x.nl");
  MustAdd("b@x.nl");
  // a@ has one attempt left, b@ all five. Every attempt has its own address,
  // so only the account limit applies.
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(service_->Login("a@x.nl", "fout wachtwoord", "10.0.0.1").status().code(),
              ErrorCode::kInvalidCredentials);
  }
  auto codes = ParallelWrongLogins(service_.get(), "a@x.nl", 16,
                                   [](int i) { return "10.2.0." + std::to_string(i); });
  EXPECT_EQ(codes[ErrorCode::kInvalidCredentials], 1);
  EXPECT_EQ(codes[ErrorCode::kTooManyRequests], 15);
  EXPECT_EQ(codes.size(), 2u);

  codes = ParallelWrongLogins(service_.get(), "b@x.nl", 16,
                              [](int i) { return "10.3.0." + std::to_string(i); });
  EXPECT_EQ(codes[ErrorCode::kInvalidCredentials], 5);
  EXPECT_EQ(codes[ErrorCode::kTooManyRequests], 11);
  EXPECT_EQ(codes.size(), 2u);
  // The right password is refused too until the window has passed.
  EXPECT_EQ(service_->Login("b@x.nl", kPassword, "10.4.0.1").status().code(),
            ErrorCode::kTooManyRequests);
  now_ += 900;
  EXPECT_TRUE(service_->Login("b@x.nl", kPassword, "10.4.0.1").ok());
}

TEST_F(AuthServiceTest, ParallelWrongPasswordsNeverExceedTheAddressLimit) {
  password_options_ = kRacePasswordOptions;
  Reopen();
  MustAdd("a@x.nl");
  // The address is over its limit: each account gets one wrong password
  // from it, however many arrive at once.
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(service_->Login("u" + std::to_string(i) + "@x.nl", kPassword, "203.0.113.9")
                  .status()
                  .code(),
              ErrorCode::kInvalidCredentials);
  }
  auto codes = ParallelWrongLogins(service_.get(), "a@x.nl", 16,
                                   [](int) { return std::string("203.0.113.9"); });
  EXPECT_EQ(codes[ErrorCode::kInvalidCredentials], 1);
  EXPECT_EQ(codes[ErrorCode::kTooManyRequests], 15);
  EXPECT_EQ(codes.size(), 2u);
}

// The password form shares the sign-in's one check-and-record step: it
// checked and recorded apart, so parallel wrong current passwords of a
// signed-in caller all passed one check.
TEST_F(AuthServiceTest, ParallelWrongCurrentPasswordsNeverExceedTheLimit) {
  password_options_ = kRacePasswordOptions;
  Reopen();
  MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "10.0.0.1");
  ASSERT_TRUE(login.ok());
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(service_->Login("a@x.nl", "fout wachtwoord", "10.0.0.1").status().code(),
              ErrorCode::kInvalidCredentials);
  }
  const std::string fresh = "een nieuw wachtwoord";
  auto codes = InParallel(service_.get(), 16, [&](int i) {
    return service_
        ->ChangePassword(login->principal, "10.5.0." + std::to_string(i),
                         Change("fout wachtwoord", fresh, fresh), 0)
        .status()
        .code();
  });
  EXPECT_EQ(codes[ErrorCode::kCurrentPassword], 1);
  EXPECT_EQ(codes[ErrorCode::kTooManyRequests], 15);
  EXPECT_EQ(codes.size(), 2u);
}

// Parallel changes with the right current password, from sessions of one
// user: each was checked against the old hash, and all of them wrote, so
// callers were told "ok" for a password that was overwritten at once, and a
// session the first change ended still changed it. Exactly one wins now.
TEST_F(AuthServiceTest, ParallelPasswordChangesLetExactlyOneWin) {
  password_options_ = kRacePasswordOptions;
  Reopen();
  MustAdd("a@x.nl");
  constexpr int kSessions = 4;  // under the limit of 5 attempts in flight
  std::vector<Principal> who;
  std::vector<int64_t> numbers;
  std::vector<std::string> ids;
  for (int i = 0; i < kSessions; ++i) {
    auto login = service_->Login("a@x.nl", kPassword, "10.0.0." + std::to_string(i + 1));
    ASSERT_TRUE(login.ok());
    who.push_back(login->principal);
    ids.push_back(login->session_id);
    numbers.push_back(service_->AuthenticateSession(login->session_id)->session_number);
  }
  std::mutex mu;
  int winner = -1;
  auto codes = InParallel(service_.get(), kSessions, [&](int i) {
    const std::string fresh = "nieuw wachtwoord " + std::to_string(i);
    auto done = service_->ChangePassword(who[i], "10.0.0." + std::to_string(i + 1),
                                         Change(kPassword, fresh, fresh), numbers[i]);
    if (done.ok()) {
      std::lock_guard<std::mutex> lock(mu);
      winner = i;
    }
    return done.status().code();
  });
  EXPECT_EQ(codes[ErrorCode::kOk], 1);
  EXPECT_EQ(codes[ErrorCode::kOk] + codes[ErrorCode::kCurrentPassword] +
                codes[ErrorCode::kAuthenticationRequired],
            kSessions);
  ASSERT_GE(winner, 0);
  // The winner's password works and its session stays; every other ended.
  EXPECT_TRUE(service_->Login("a@x.nl", "nieuw wachtwoord " + std::to_string(winner), "").ok());
  for (int i = 0; i < kSessions; ++i) {
    if (i == winner) continue;
    // (Refused as a wrong password, or past the limit those make.)
    EXPECT_FALSE(service_->Login("a@x.nl", "nieuw wachtwoord " + std::to_string(i), "").ok());
    EXPECT_FALSE(service_->AuthenticateSession(ids[i]).ok());
  }
  EXPECT_TRUE(service_->AuthenticateSession(ids[winner]).ok());
  EXPECT_EQ(CountEvents("password_changed"), 1);
}

// The password form also follows the address rule of the sign-in: from an
// address over its limit, one wrong password per account.
TEST_F(AuthServiceTest, PasswordFormFollowsTheAddressRule) {
  MustAdd("a@x.nl");
  auto login = service_->Login("a@x.nl", kPassword, "10.0.0.1");
  ASSERT_TRUE(login.ok());
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(service_->Login("u" + std::to_string(i) + "@x.nl", kPassword, "203.0.113.9")
                  .status()
                  .code(),
              ErrorCode::kInvalidCredentials);
  }
  const std::string fresh = "een nieuw wachtwoord";
  EXPECT_EQ(
      service_->ChangePassword(login->principal, "203.0.113.9", Change("fout", fresh, fresh), 0)
          .status()
          .code(),
      ErrorCode::kCurrentPassword);
  EXPECT_EQ(
      service_->ChangePassword(login->principal, "203.0.113.9", Change("fout", fresh, fresh), 0)
          .status()
          .code(),
      ErrorCode::kTooManyRequests);
  // The right password from elsewhere still works, and resets the count.
  EXPECT_TRUE(
      service_->ChangePassword(login->principal, "10.0.0.1", Change(kPassword, fresh, fresh), 0)
          .ok());
}

// A right password takes back the attempt it reserved: it neither counts
// against the address nor leaves the account's pending attempts behind.
TEST_F(AuthServiceTest, RightPasswordReleasesItsReservedAttempt) {
  MustAdd("a@x.nl");
  MustAdd("b@x.nl");
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(service_->Login(i % 2 == 0 ? "a@x.nl" : "b@x.nl", kPassword, "203.0.113.9").ok());
  }
  // Had the 30 sign-ins counted, the address would be over its limit of 20
  // and b@ would get only one wrong password from it.
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(service_->Login("b@x.nl", "fout wachtwoord", "203.0.113.9").status().code(),
              ErrorCode::kInvalidCredentials)
        << i;
  }
}

// --- hostile input -------------------------------------------------------------------------

TEST_F(AuthServiceTest, HostileInputIsRefusedNotFatal) {
  MustAdd("a@x.nl");
  const std::string huge_email = std::string(kTenKb, 'a') + "@x.nl";
  const std::string nul_email("a\0@x.nl", 7);
  const std::string bad_utf8_email = "\xc3\x28@x.nl";
  for (const std::string& email : {huge_email, nul_email, bad_utf8_email, std::string()}) {
    auto login = service_->Login(email, kPassword, "");
    EXPECT_EQ(login.status().code(), ErrorCode::kInvalidField);
  }
  EXPECT_EQ(service_->Login("a@x.nl", std::string(kTenKb, 'p'), "").status().code(),
            ErrorCode::kInvalidField);
  // A NUL in the password is just a wrong password at login.
  EXPECT_EQ(service_->Login("a@x.nl", std::string("een goed\0 wachtwoord", 20), "").status().code(),
            ErrorCode::kInvalidCredentials);

  Principal admin = AuthService::LocalAdministrator();
  NewUserRequest good;
  good.email = "b@x.nl";
  good.name = "B";
  good.role = "member";
  good.password = kPassword;
  std::vector<NewUserRequest> bad(9, good);
  bad[0].email = huge_email;
  bad[1].email = nul_email;
  bad[2].email = bad_utf8_email;
  bad[3].name = std::string("B\0B", 3);
  bad[4].name = "B\xff";
  bad[5].name = std::string(kTenKb, 'n');
  bad[6].password = std::string("abcdefghij\0kl", 13);
  bad[7].password = "abcdefghij\xfe";
  bad[8].groups = {std::string("om\0", 3)};
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(service_->AddUser(admin, "", bad[i]).status().code(), ErrorCode::kInvalidField) << i;
  }
  bad[0] = good;
  bad[0].role = std::string("admin\0", 6);
  EXPECT_EQ(service_->AddUser(admin, "", bad[0]).status().code(), ErrorCode::kInvalidField);
  EXPECT_EQ(service_->CreateToken(admin, "", "t\xff", "member", {}).status().code(),
            ErrorCode::kInvalidField);
  EXPECT_EQ(service_->GetUser(admin, "", huge_email).status().code(), ErrorCode::kInvalidField);
  EXPECT_EQ(service_->AuthenticateSession(std::string(kTenKb, '\0')).status().code(),
            ErrorCode::kAuthenticationRequired);
  EXPECT_EQ(service_->AuthenticateToken(std::string(64, '\0')).status().code(),
            ErrorCode::kInvalidToken);
  EXPECT_EQ(AuthService::CheckCsrf(std::string(64, 'a'), std::string(64, '\0')).code(),
            ErrorCode::kInvalidCsrfToken);

  // A hostile address is stored cleaned and clipped.
  EXPECT_FALSE(
      service_->Login("a@x.nl", "fout wachtwoord", "1.2.3.4\n\xff" + std::string(500, 'z')).ok());
  auto page = service_->ListAudit(admin, "", 1, 1);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->entries.at(0).address.substr(0, 9), "1.2.3.4??");
  EXPECT_LE(page->entries.at(0).address.size(), 64u);

  auto users = service_->ListUsers(admin, "");
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->size(), 1u);
}

// --- second factor, sessions, privacy (issue 13) -----------------------------

// Enrols `who` and returns the raw secret; `codes` gets the recovery codes.
std::string EnrolTotp(AuthService* service, const Principal& who, int64_t now,
                      std::vector<std::string>* codes = nullptr) {
  auto begun = service->BeginTotp(who, "");
  EXPECT_TRUE(begun.ok()) << begun.status().ToString();
  if (!begun.ok()) return "";
  // The URI carries the same secret as the text.
  EXPECT_NE(begun->uri.find("secret=" + begun->secret), std::string::npos);
  std::string secret;
  auto decode = [](char c) { return c >= 'A' ? c - 'A' : c - '2' + 26; };
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : begun->secret) {
    buffer = (buffer << 5) | static_cast<uint32_t>(decode(c));
    bits += 5;
    if (bits >= 8) {
      secret.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  auto confirmed = service->ConfirmTotp(who, "", *TotpCode(secret, now));
  EXPECT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  if (codes != nullptr && confirmed.ok()) *codes = *confirmed;
  return secret;
}

TEST_F(AuthServiceTest, SecondFactorStagesFollowRoleAndEnrolment) {
  second_factor_required_ = true;
  Reopen();
  User member = MustAdd("lid@x.nl");
  MustAdd("redactie@x.nl", "redactie");
  auto plain = service_->Login("lid@x.nl", kPassword, "");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->stage, SessionStage::kComplete);
  auto staff = service_->Login("redactie@x.nl", kPassword, "");
  ASSERT_TRUE(staff.ok());
  EXPECT_EQ(staff->stage, SessionStage::kMustEnrol);
  EXPECT_EQ(service_->AuthenticateSession(staff->session_id).status().code(),
            ErrorCode::kEnrolSecondFactor);
  EXPECT_TRUE(service_->AuthenticateSession(staff->session_id, true).ok());

  // A member promoted to admin must enrol from the next request on, with
  // the session they already have.
  auto promoted = service_->SetUserRole(AuthService::LocalAdministrator(), "", member.id, "admin");
  ASSERT_TRUE(promoted.ok());
  EXPECT_EQ(service_->AuthenticateSession(plain->session_id).status().code(),
            ErrorCode::kEnrolSecondFactor);
  auto who = service_->AuthenticateSession(plain->session_id, true);
  ASSERT_TRUE(who.ok());
  EnrolTotp(service_.get(), who->principal, now_.load());
  EXPECT_TRUE(service_->AuthenticateSession(plain->session_id).ok());
}

TEST_F(AuthServiceTest, CodesAreSingleUseAndTheStepTimesOut) {
  MustAdd("lid@x.nl");
  auto first = service_->Login("lid@x.nl", kPassword, "");
  ASSERT_TRUE(first.ok());
  std::vector<std::string> recovery;
  const std::string secret = EnrolTotp(service_.get(), first->principal, now_.load(), &recovery);
  ASSERT_EQ(recovery.size(), 10u);

  now_ += kTotpStep;
  auto login = service_->Login("lid@x.nl", kPassword, "");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->stage, SessionStage::kAwaitingCode);
  EXPECT_EQ(service_->AuthenticateSession(login->session_id).status().code(),
            ErrorCode::kSecondFactorRequired);
  const std::string code = *TotpCode(secret, now_.load());
  ASSERT_TRUE(service_->CompleteSignIn(login->session_id, code, "").ok());
  EXPECT_TRUE(service_->AuthenticateSession(login->session_id).ok());
  // Completing twice is not a thing; the same code on a new sign-in is a replay.
  EXPECT_EQ(service_->CompleteSignIn(login->session_id, code, "").status().code(),
            ErrorCode::kAuthenticationRequired);
  auto again = service_->Login("lid@x.nl", kPassword, "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(service_->CompleteSignIn(again->session_id, code, "").status().code(),
            ErrorCode::kInvalidTotpCode);
  // The code of the previous step is inside the window but older than the
  // accepted one: also refused.
  EXPECT_EQ(service_->CompleteSignIn(again->session_id, *TotpCode(secret, now_ - kTotpStep), "")
                .status()
                .code(),
            ErrorCode::kInvalidTotpCode);
  // A recovery code works once, in any case and with or without the dash.
  std::string upper = recovery[3];
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(service_->CompleteSignIn(again->session_id, upper, "").ok());
  auto third = service_->Login("lid@x.nl", kPassword, "");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(service_->CompleteSignIn(third->session_id, recovery[3], "").status().code(),
            ErrorCode::kInvalidTotpCode);
  // Waiting longer than the step allows ends the half-way session.
  now_ += 16 * kMinute;
  EXPECT_EQ(service_->AuthenticateSession(third->session_id, true).status().code(),
            ErrorCode::kAuthenticationRequired);
  EXPECT_GE(CountEvents("second_factor_failed"), 3);
  EXPECT_EQ(CountEvents("login_second_factor"), 2);
}

TEST_F(AuthServiceTest, SessionListShowsCoarseAddressAndAgentAndEndsThem) {
  MustAdd("lid@x.nl");
  auto a = service_->Login("lid@x.nl", kPassword, "192.0.2.55", nullptr, "Firefox/128");
  auto b = service_->Login("lid@x.nl", kPassword, "192.0.2.56", nullptr,
                           std::string("Evil\n\x01") + std::string(500, 'x'));
  ASSERT_TRUE(a.ok() && b.ok());
  auto list = service_->ListSessions(a->principal);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  for (const auto& s : *list) {
    EXPECT_EQ(s.address, "192.0.2.0/24");
    EXPECT_TRUE(s.id_hash.empty());
    EXPECT_TRUE(s.csrf_token.empty());
    EXPECT_LE(s.user_agent.size(), 200u);
    EXPECT_EQ(s.user_agent.find('\x01'), std::string::npos);
  }
  // Another user cannot end them.
  MustAdd("ander@x.nl");
  auto other = service_->Login("ander@x.nl", kPassword, "");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(service_->EndSession(other->principal, "", (*list)[0].number).code(),
            ErrorCode::kUserSessionNotFound);
  auto ended = service_->EndAllSessions(a->principal, "");
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(*ended, 2);
  EXPECT_FALSE(service_->AuthenticateSession(b->session_id).ok());
  EXPECT_TRUE(service_->AuthenticateSession(other->session_id).ok());
  // Tokens have no account of their own.
  EXPECT_EQ(service_->ListSessions(AsRole(Role::kMember)).status().code(),
            ErrorCode::kUserNotFound);
  Principal token;
  token.role = Role::kMember;
  token.email = "token:1";
  EXPECT_EQ(service_->ListSessions(token).status().code(), ErrorCode::kForbidden);
}

TEST_F(AuthServiceTest, AuditRetentionPrunesOldEntriesOnly) {
  MustAdd("lid@x.nl");
  ASSERT_TRUE(service_->Login("lid@x.nl", kPassword, "").ok());
  const size_t before = AllAudit().size();
  now_ += 366 * 24 * 60 * 60;
  ASSERT_TRUE(service_->Login("lid@x.nl", kPassword, "").ok());  // prunes as it goes
  auto entries = AllAudit();
  ASSERT_FALSE(entries.empty());
  for (const auto& e : entries) EXPECT_GE(e.at, now_.load() - 365 * 24 * 60 * 60) << e.event;
  EXPECT_EQ(CountEvents("audit_pruned"), 1);
  EXPECT_LT(entries.size(), before + 3);
}

TEST_F(AuthServiceTest, DeletingAnAccountLeavesNoTraceOfItsEmail) {
  User gone = MustAdd("weg@x.nl", "member", {"gemeenten"});
  auto login = service_->Login("weg@x.nl", kPassword, "192.0.2.9", nullptr, "Firefox");
  ASSERT_TRUE(login.ok());
  EnrolTotp(service_.get(), login->principal, now_.load());
  EXPECT_FALSE(service_->Login("weg@x.nl", "fout wachtwoord 1", "192.0.2.9").ok());
  User admin = MustAdd("admin@x.nl", "admin");
  Principal caller = AsRole(Role::kAdmin);
  caller.user_id = admin.id;
  caller.email = admin.email;
  auto exported = service_->ExportUser(caller, "", gone.id);
  ASSERT_TRUE(exported.ok());
  EXPECT_TRUE(exported->second_factor);
  EXPECT_EQ(exported->recovery_codes_left, 10);
  EXPECT_GE(exported->audit.size(), 4u);
  EXPECT_EQ(service_->DeleteUser(caller, "", admin.id).code(), ErrorCode::kInvalidField);
  EXPECT_EQ(service_->DeleteUser(AsRole(Role::kMember), "", gone.id).code(), ErrorCode::kForbidden);
  ASSERT_TRUE(service_->DeleteUser(caller, "", gone.id).ok());
  EXPECT_EQ(service_->DeleteUser(caller, "", gone.id).code(), ErrorCode::kUserNotFound);
  EXPECT_FALSE(service_->AuthenticateSession(login->session_id).ok());
  service_.reset();  // close every connection: what is on disk is all there is
  const std::string bytes = testing::DatabaseBytes((fs::path(dir_) / "accounts.sqlite").string());
  EXPECT_EQ(bytes.find("weg@x.nl"), std::string::npos);
  EXPECT_EQ(bytes.find("Test weg@x.nl"), std::string::npos);
  Reopen();
  EXPECT_EQ(CountEvents("user_deleted"), 1);
  bool pseudonym = false;
  for (const auto& e : AllAudit())
    pseudonym |= e.subject == "verwijderd:" + std::to_string(gone.id);
  EXPECT_TRUE(pseudonym);
}

// Second-factor codes: check and record are one step too, and a right
// code takes its attempt back.
TEST_F(AuthServiceTest, ParallelWrongCodesNeverExceedTheLimit) {
  MustAdd("lid@x.nl");
  auto first = service_->Login("lid@x.nl", kPassword, "");
  ASSERT_TRUE(first.ok());
  const std::string secret = EnrolTotp(service_.get(), first->principal, now_.load(), nullptr);
  // Four right codes (each of its own step) leave no failure behind.
  for (int i = 0; i < 4; ++i) {
    now_ += kTotpStep;
    auto login = service_->Login("lid@x.nl", kPassword, "");
    ASSERT_TRUE(login.ok());
    ASSERT_TRUE(
        service_->CompleteSignIn(login->session_id, *TotpCode(secret, now_.load()), "").ok());
  }
  auto codes = InParallel(service_.get(), 16, [&](int) {
    return service_->DisableTotp(first->principal, "", "000000x").code();
  });
  EXPECT_EQ(codes[ErrorCode::kInvalidTotpCode], 5);
  EXPECT_EQ(codes[ErrorCode::kTooManyRequests], 11);
  EXPECT_EQ(codes.size(), 2u);
}

}  // namespace
}  // namespace kpo::access

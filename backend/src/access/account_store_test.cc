// Tests account_store.h on a real SQLite file in a temporary directory.
#include "access/account_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_support.h"

namespace kpo::access {
namespace {

namespace fs = std::filesystem;

class AccountStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kpo_account_store_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (fs::path(dir_) / AccountStore::kFileName).string();
    auto store = AccountStore::Open(path_, Options());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  AccountStoreOptions Options() {
    AccountStoreOptions options;
    options.password = PasswordOptions::Minimum();
    options.clock = [this] { return now_.load(); };
    return options;
  }

  User MustCreate(const std::string& email, Role role = Role::kMember,
                  std::vector<std::string> groups = {}) {
    NewUser user;
    user.email = email;
    user.name = "Test Gebruiker";
    user.role = role;
    user.groups = std::move(groups);
    auto created = store_->CreateUser(user, "een goed wachtwoord");
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : User{};
  }

  std::string dir_;
  std::string path_;
  std::atomic<int64_t> now_{1700000000};
  std::unique_ptr<AccountStore> store_;
};

// --- shape rules -------------------------------------------------------------

TEST(CoarseAddress, KeepsTheNetworkNeverTheHost) {
  EXPECT_EQ(CoarseAddress("192.0.2.77"), "192.0.2.0/24");
  EXPECT_EQ(CoarseAddress("10.1.2.3"), "10.1.2.0/24");
  EXPECT_EQ(CoarseAddress("2001:db8:85a3:8d3:1319:8a2e:370:7348"), "2001:db8:85a3::/48");
  EXPECT_EQ(CoarseAddress("2001:db8::1"), "2001:db8::/48");
  for (const char* odd : {"", "::1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "<script>", "fe80::1%eth0"}) {
    EXPECT_EQ(CoarseAddress(odd).find_first_of("<>%"), std::string::npos) << odd;
  }
  EXPECT_EQ(CoarseAddress("1.2.3"), "");
  EXPECT_EQ(CoarseAddress(std::string(1000, '1')), "");
}

TEST(NormalizeEmail, AcceptsOrdinaryAddressesAndLowercases) {
  auto email = NormalizeEmail("Jan.de-Vries+kpo@Gemeente.Example.NL");
  ASSERT_TRUE(email.ok());
  EXPECT_EQ(*email, "jan.de-vries+kpo@gemeente.example.nl");
}

TEST(NormalizeEmail, RefusesMalformedAndHostileInput) {
  for (std::string bad :
       {std::string(""), std::string("a@b"), std::string("no-at.nl"), std::string("@x.nl"),
        std::string("a@@x.nl"), std::string("a@x..nl"), std::string("a@-x.nl"),
        std::string(".a@x.nl"), std::string("a..b@x.nl"), std::string("a b@x.nl"),
        std::string("a@x.nl\n"), std::string("a\0b@x.nl", 8), std::string("\xff@x.nl"),
        std::string("jos\xc3\xa9@x.nl"), std::string("<a>@x.nl"), std::string("a@x_y.nl"),
        std::string(300, 'a') + "@x.nl", "a@" + std::string(10000, 'x') + ".nl"}) {
    auto email = NormalizeEmail(bad);
    ASSERT_FALSE(email.ok()) << bad;
    EXPECT_EQ(email.status().code(), ErrorCode::kInvalidField);
  }
}

TEST(NormalizeName, TrimsAndRefusesControlCharacters) {
  auto name = NormalizeName("  Anne-Marie Ö'Brien  ");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, "Anne-Marie Ö'Brien");
  EXPECT_FALSE(NormalizeName("").ok());
  EXPECT_FALSE(NormalizeName("   ").ok());
  EXPECT_FALSE(NormalizeName(std::string("a\0b", 3)).ok());
  EXPECT_FALSE(NormalizeName("a\nb").ok());
  EXPECT_FALSE(NormalizeName("\xc3").ok());               // truncated sequence
  EXPECT_FALSE(NormalizeName("\xc0\xaf").ok());           // overlong '/'
  EXPECT_FALSE(NormalizeName("\xed\xa0\x80").ok());       // surrogate
  EXPECT_FALSE(NormalizeName("adm\xe2\x80\xaein").ok());  // bidi override
  EXPECT_TRUE(NormalizeName(std::string(100, 'x')).ok());
  EXPECT_FALSE(NormalizeName(std::string(101, 'x')).ok());
  EXPECT_FALSE(NormalizeName(std::string(10000, 'x')).ok());
}

TEST(ValidatePassword, CountsCharactersNotBytes) {
  EXPECT_FALSE(ValidatePassword("short").ok());
  EXPECT_TRUE(ValidatePassword("tien tekens").ok());
  EXPECT_TRUE(ValidatePassword("ééééééééé\xc3\xa9").ok());  // 10 characters, 20 bytes
  EXPECT_TRUE(ValidatePassword(std::string(200, 'x')).ok());
  EXPECT_FALSE(ValidatePassword(std::string(201, 'x')).ok());
  EXPECT_FALSE(ValidatePassword(std::string("0123456789\0", 11)).ok());
  EXPECT_FALSE(ValidatePassword("0123456789\xff").ok());
}

TEST(NormalizeKeys, SortsDeduplicatesAndRefusesOddKeys) {
  auto keys = NormalizeKeys({"politie", "om", "politie"}, "groep");
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(*keys, (std::vector<std::string>{"om", "politie"}));
  EXPECT_FALSE(NormalizeKeys({"Politie"}, "groep").ok());
  EXPECT_FALSE(NormalizeKeys({""}, "groep").ok());
  EXPECT_FALSE(NormalizeKeys({"-om"}, "groep").ok());
  EXPECT_FALSE(NormalizeKeys({std::string("om\0x", 4)}, "groep").ok());
  EXPECT_FALSE(NormalizeKeys(std::vector<std::string>(51, "om"), "groep").ok());
}

TEST(CleanText, KeepsValidTextAndNeutralisesTheRest) {
  EXPECT_EQ(CleanText("gewoon één regel", 100), "gewoon één regel");
  EXPECT_EQ(CleanText("a\nb\rc", 100), "a?b?c");
  EXPECT_EQ(CleanText(std::string("a\0b", 3), 100), "a?b");
  EXPECT_EQ(CleanText("a\xff", 100), "a?");
  EXPECT_EQ(CleanText("abcdef", 3), "abc");
  EXPECT_EQ(CleanText("ab\xc3\xa9", 3), "ab");  // never cuts a character in half
}

// --- users ---------------------------------------------------------------------

TEST_F(AccountStoreTest, CreatesAndReadsUsers) {
  NewUser user;
  user.email = "Jan@Gemeente.NL";
  user.name = " Jan ";
  user.role = Role::kEditor;
  user.groups = {"politie", "gemeenten", "politie"};
  user.werkplaatsen = {"bibob"};
  auto created = store_->CreateUser(user, "een goed wachtwoord");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->email, "jan@gemeente.nl");
  EXPECT_EQ(created->name, "Jan");
  EXPECT_EQ(created->role, Role::kEditor);
  EXPECT_EQ(created->groups, (std::vector<std::string>{"gemeenten", "politie"}));
  EXPECT_EQ(created->werkplaatsen, (std::vector<std::string>{"bibob"}));
  EXPECT_FALSE(created->disabled);
  EXPECT_EQ(created->created_at, now_.load());

  auto by_email = store_->GetUserByEmail("JAN@gemeente.nl");
  ASSERT_TRUE(by_email.ok());
  EXPECT_EQ(by_email->id, created->id);
  auto by_id = store_->GetUserById(created->id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->email, "jan@gemeente.nl");
  EXPECT_EQ(by_id->groups, created->groups);

  auto hash = store_->GetPasswordHash(created->id);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, "een goed wachtwoord"));
}

TEST_F(AccountStoreTest, EmailIsUniqueWhateverItsCase) {
  MustCreate("piet@politie.nl");
  NewUser again;
  again.email = "PIET@Politie.nl";
  again.name = "Piet";
  auto created = store_->CreateUser(again, "een goed wachtwoord");
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), ErrorCode::kUserExists);
}

TEST_F(AccountStoreTest, RefusesInvalidFields) {
  NewUser good;
  good.email = "a@b.nl";
  good.name = "A";
  struct Case {
    NewUser user;
    std::string password;
  };
  std::vector<Case> cases;
  Case c{good, "een goed wachtwoord"};
  c.user.email = "geen adres";
  cases.push_back(c);
  c = Case{good, "een goed wachtwoord"};
  c.user.name = "";
  cases.push_back(c);
  c = Case{good, "een goed wachtwoord"};
  c.user.role = Role::kAnonymous;
  cases.push_back(c);
  c = Case{good, "een goed wachtwoord"};
  c.user.groups = {"Geen Sleutel"};
  cases.push_back(c);
  c = Case{good, "een goed wachtwoord"};
  c.user.werkplaatsen = {"x y"};
  cases.push_back(c);
  cases.push_back(Case{good, "kort"});
  for (const auto& tc : cases) {
    auto created = store_->CreateUser(tc.user, tc.password);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.status().code(), ErrorCode::kInvalidField) << created.status().ToString();
  }
  auto users = store_->ListUsers();
  ASSERT_TRUE(users.ok());
  EXPECT_TRUE(users->empty());
}

TEST_F(AccountStoreTest, PasswordIsNeverStoredInPlainText) {
  const std::string password = "Zeer-Geheim-Wachtwoord-8472";
  NewUser user;
  user.email = "geheim@kpo.nl";
  user.name = "Geheim";
  ASSERT_TRUE(store_->CreateUser(user, password).ok());
  auto created = store_->GetUserByEmail("geheim@kpo.nl");
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(store_->SetPassword(created->id, password + "-2").ok());
  const std::string bytes = testing::DatabaseBytes(path_);
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find(password), std::string::npos);
  EXPECT_NE(bytes.find("$argon2id$"), std::string::npos);
}

TEST_F(AccountStoreTest, ListsUsersByEmail) {
  MustCreate("c@x.nl");
  MustCreate("a@x.nl");
  MustCreate("b@x.nl");
  auto users = store_->ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 3u);
  EXPECT_EQ((*users)[0].email, "a@x.nl");
  EXPECT_EQ((*users)[2].email, "c@x.nl");
}

TEST_F(AccountStoreTest, UnknownUsersAreNotFound) {
  EXPECT_EQ(store_->GetUserById(42).status().code(), ErrorCode::kUserNotFound);
  EXPECT_EQ(store_->GetUserByEmail("niemand@x.nl").status().code(), ErrorCode::kUserNotFound);
  EXPECT_EQ(store_->GetUserByEmail("geen adres").status().code(), ErrorCode::kInvalidField);
  EXPECT_EQ(store_->SetDisabled(42, true).code(), ErrorCode::kUserNotFound);
  EXPECT_EQ(store_->SetPassword(42, "een goed wachtwoord").code(), ErrorCode::kUserNotFound);
  EXPECT_EQ(store_->SetRoleAndGroups(42, Role::kAdmin, std::nullopt, std::nullopt).status().code(),
            ErrorCode::kUserNotFound);
}

TEST_F(AccountStoreTest, SetRoleAndGroupsChangesOnlyWhatIsGiven) {
  User user = MustCreate("r@x.nl", Role::kMember, {"gemeenten"});
  auto changed = store_->SetRoleAndGroups(user.id, Role::kEditor, std::nullopt,
                                          std::vector<std::string>{"bibob"});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(changed->role, Role::kEditor);
  EXPECT_EQ(changed->groups, (std::vector<std::string>{"gemeenten"}));
  EXPECT_EQ(changed->werkplaatsen, (std::vector<std::string>{"bibob"}));
  changed =
      store_->SetRoleAndGroups(user.id, std::nullopt, std::vector<std::string>{}, std::nullopt);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->role, Role::kEditor);
  EXPECT_TRUE(changed->groups.empty());
  EXPECT_EQ(changed->werkplaatsen, (std::vector<std::string>{"bibob"}));
  EXPECT_EQ(store_->SetRoleAndGroups(user.id, Role::kAnonymous, std::nullopt, std::nullopt)
                .status()
                .code(),
            ErrorCode::kInvalidField);
}

TEST_F(AccountStoreTest, DisablingDeletesSessions) {
  User user = MustCreate("d@x.nl");
  auto session = store_->CreateSession(user.id);
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(store_->SetDisabled(user.id, true).ok());
  EXPECT_TRUE(store_->GetUserById(user.id)->disabled);
  EXPECT_EQ(store_->FindSession(session->id).status().code(), ErrorCode::kAuthenticationRequired);
  ASSERT_TRUE(store_->SetDisabled(user.id, false).ok());
  EXPECT_FALSE(store_->GetUserById(user.id)->disabled);
}

// --- sessions --------------------------------------------------------------------

TEST_F(AccountStoreTest, SessionsAreStoredByHashOnly) {
  User user = MustCreate("s@x.nl");
  auto session = store_->CreateSession(user.id);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_TRUE(IsWellFormedToken(session->id));
  EXPECT_TRUE(IsWellFormedToken(session->csrf_token));
  EXPECT_NE(session->id, session->csrf_token);

  auto found = store_->FindSession(session->id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user_id, user.id);
  EXPECT_EQ(found->id_hash, TokenHash(session->id));
  EXPECT_EQ(found->csrf_token, session->csrf_token);
  EXPECT_EQ(testing::DatabaseBytes(path_).find(session->id), std::string::npos);

  // The stored hash is not a key to the session.
  EXPECT_EQ(store_->FindSession(found->id_hash).status().code(),
            ErrorCode::kAuthenticationRequired);

  now_ += 100;
  ASSERT_TRUE(store_->TouchSession(session->id).ok());
  EXPECT_EQ(store_->FindSession(session->id)->last_seen, now_.load());
  ASSERT_TRUE(store_->DeleteSession(session->id).ok());
  EXPECT_EQ(store_->FindSession(session->id).status().code(), ErrorCode::kAuthenticationRequired);
  EXPECT_TRUE(store_->DeleteSession(session->id).ok());  // idempotent
}

TEST_F(AccountStoreTest, PurgeRemovesExpiredSessionsAndOldAttempts) {
  User user = MustCreate("p@x.nl");
  auto old_session = store_->CreateSession(user.id);
  ASSERT_TRUE(store_->RecordLoginFailure("account", "p@x.nl").ok());
  now_ += 1000;
  auto new_session = store_->CreateSession(user.id);
  ASSERT_TRUE(store_->RecordLoginFailure("account", "p@x.nl").ok());
  ASSERT_TRUE(store_->PurgeExpired(now_ - 500, now_ - 5000, now_ - 500).ok());
  EXPECT_FALSE(store_->FindSession(old_session->id).ok());
  EXPECT_TRUE(store_->FindSession(new_session->id).ok());
  EXPECT_EQ(store_->LoginFailures("account", "p@x.nl", 0)->size(), 1u);
}

// --- tokens ----------------------------------------------------------------------

TEST_F(AccountStoreTest, TokensCanBeFoundUntilRevoked) {
  auto token =
      store_->CreateToken("Koppeling RIEC", Role::kMember, {"politie", "om"}, "admin@x.nl");
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_TRUE(IsWellFormedToken(token->token));
  EXPECT_EQ(testing::DatabaseBytes(path_).find(token->token), std::string::npos);

  auto found = store_->FindToken(token->token);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, token->id);
  EXPECT_EQ(found->name, "Koppeling RIEC");
  EXPECT_EQ(found->role, Role::kMember);
  EXPECT_EQ(found->groups, (std::vector<std::string>{"om", "politie"}));
  EXPECT_EQ(found->created_by, "admin@x.nl");
  EXPECT_FALSE(found->revoked_at.has_value());

  ASSERT_TRUE(store_->RevokeToken(token->id).ok());
  EXPECT_EQ(store_->FindToken(token->token).status().code(), ErrorCode::kInvalidToken);
  EXPECT_TRUE(store_->RevokeToken(token->id).ok());
  EXPECT_EQ(store_->RevokeToken(999).code(), ErrorCode::kTokenNotFound);
  EXPECT_EQ(store_->FindToken(RandomToken()).status().code(), ErrorCode::kInvalidToken);

  auto tokens = store_->ListTokens();
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].revoked_at, now_.load());
}

TEST_F(AccountStoreTest, TokenUseIsMarkedOncePerInterval) {
  auto token = store_->CreateToken("t", Role::kMember, {}, "x");
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(*store_->MarkTokenUsed(token->id, 60));
  EXPECT_FALSE(*store_->MarkTokenUsed(token->id, 60));
  now_ += 59;
  EXPECT_FALSE(*store_->MarkTokenUsed(token->id, 60));
  now_ += 1;
  EXPECT_TRUE(*store_->MarkTokenUsed(token->id, 60));
  EXPECT_EQ(store_->FindToken(token->token)->last_used, now_.load());
}

TEST_F(AccountStoreTest, TokensRefuseInvalidFields) {
  EXPECT_EQ(store_->CreateToken("", Role::kMember, {}, "x").status().code(),
            ErrorCode::kInvalidField);
  EXPECT_EQ(store_->CreateToken("t", Role::kAnonymous, {}, "x").status().code(),
            ErrorCode::kInvalidField);
  EXPECT_EQ(store_->CreateToken("t", Role::kMember, {"NOPE"}, "x").status().code(),
            ErrorCode::kInvalidField);
}

// --- login attempts ----------------------------------------------------------------

TEST_F(AccountStoreTest, LoginFailuresAreCountedPerScopeAndKey) {
  ASSERT_TRUE(store_->RecordLoginFailure("account", "a@x.nl").ok());
  now_ += 10;
  ASSERT_TRUE(store_->RecordLoginFailure("account", "a@x.nl").ok());
  ASSERT_TRUE(store_->RecordLoginFailure("address", "a@x.nl").ok());
  ASSERT_TRUE(store_->RecordLoginFailure("account", "b@x.nl").ok());
  auto times = store_->LoginFailures("account", "a@x.nl", 0);
  ASSERT_TRUE(times.ok());
  EXPECT_EQ(*times, (std::vector<int64_t>{now_ - 10, now_.load()}));
  EXPECT_EQ(store_->LoginFailures("account", "a@x.nl", now_)->size(), 1u);
  ASSERT_TRUE(store_->ClearLoginFailures("account", "a@x.nl").ok());
  EXPECT_TRUE(store_->LoginFailures("account", "a@x.nl", 0)->empty());
  EXPECT_EQ(store_->LoginFailures("address", "a@x.nl", 0)->size(), 1u);
  EXPECT_EQ(store_->LoginFailures("account", "b@x.nl", 0)->size(), 1u);
}

// --- audit -------------------------------------------------------------------------

TEST_F(AccountStoreTest, AuditListsNewestFirstWithTotal) {
  for (int i = 0; i < 25; ++i) {
    AuditEntry e;
    e.actor = "admin@x.nl";
    e.event = "event" + std::to_string(i);
    e.detail = nlohmann::json{{"i", i}}.dump();
    ASSERT_TRUE(store_->AppendAudit(e).ok());
    now_ += 1;
  }
  auto page = store_->ListAudit(1, 10);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 25);
  ASSERT_EQ(page->entries.size(), 10u);
  EXPECT_EQ(page->entries[0].event, "event24");
  EXPECT_EQ(page->entries[0].detail, "{\"i\":24}");
  EXPECT_EQ(page->entries[9].event, "event15");
  page = store_->ListAudit(3, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 5u);
  EXPECT_EQ(page->entries[4].event, "event0");
  EXPECT_TRUE(store_->ListAudit(4, 10)->entries.empty());
  EXPECT_EQ(store_->ListAudit(0, 10).status().code(), ErrorCode::kInvalidParameter);
  EXPECT_EQ(store_->ListAudit(1, 0).status().code(), ErrorCode::kInvalidParameter);
  EXPECT_EQ(store_->ListAudit(1, 101).status().code(), ErrorCode::kInvalidParameter);
}

TEST_F(AccountStoreTest, AuditCleansHostileText) {
  AuditEntry e;
  e.actor = std::string("evil\0\n2024-01-01 admin login", 28);
  e.event = "login_failed";
  e.subject = "\xff\xfe" + std::string(5000, 'x');
  e.detail = "not json \xff";
  e.address = "1.2.3.4\r\n";
  ASSERT_TRUE(store_->AppendAudit(e).ok());
  auto page = store_->ListAudit(1, 1);
  ASSERT_TRUE(page.ok());
  const AuditEntry& got = page->entries.at(0);
  EXPECT_EQ(got.actor, "evil??2024-01-01 admin login");
  EXPECT_EQ(got.subject.substr(0, 3), "??x");
  EXPECT_LE(got.subject.size(), 300u);
  EXPECT_EQ(got.address, "1.2.3.4??");
  auto detail = nlohmann::json::parse(got.detail, nullptr, false);
  ASSERT_TRUE(detail.is_object()) << got.detail;
  EXPECT_EQ(detail["text"], "not json ?");
}

// --- file ----------------------------------------------------------------------------

TEST_F(AccountStoreTest, FileIsPrivateAndReopens) {
  struct stat st {};
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  User user = MustCreate("keep@x.nl");
  store_.reset();
  // A copy put back with looser bits (by hand, or an old restore) is
  // narrowed when opened, before SQLite makes its -wal and -shm from it.
  ASSERT_EQ(chmod(path_.c_str(), 0644), 0);
  auto reopened = AccountStore::Open(path_, Options());
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto again = (*reopened)->GetUserById(user.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->email, "keep@x.nl");
}

TEST_F(AccountStoreTest, RefusesAFileFromANewerVersion) {
  store_.reset();
  {
    auto db = store::Db::Open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version=99").ok());
  }
  auto reopened = AccountStore::Open(path_, Options());
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), ErrorCode::kStorageError);
}

}  // namespace
}  // namespace kpo::access

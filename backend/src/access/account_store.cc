// Implements account_store.h. Lists of keys live in their own tables so a
// group can be queried; API token groups are a JSON array (they never change).
#include "access/account_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "store/migrate.h"

namespace kpo::access {

namespace {

using store::Db;
using store::Stmt;
using store::Transaction;

constexpr int kSchemaVersion = 2;

const char* const kMigrations[] = {
    // 1: accounts, sessions, API tokens, rate limiting and the audit log.
    R"sql(
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL);
CREATE TABLE user_groups(
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  grp TEXT NOT NULL,
  PRIMARY KEY(user_id, grp));
CREATE TABLE user_werkplaatsen(
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  werkplaats TEXT NOT NULL,
  PRIMARY KEY(user_id, werkplaats));
CREATE TABLE sessions(
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens(
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  groups TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_used INTEGER);
CREATE TABLE login_attempts(
  scope TEXT NOT NULL,
  "key" TEXT NOT NULL,
  at INTEGER NOT NULL);
CREATE INDEX login_attempts_key ON login_attempts(scope, "key", at);
CREATE INDEX login_attempts_at ON login_attempts(at);
CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  address TEXT NOT NULL);
CREATE INDEX audit_log_at ON audit_log(at, id);
)sql",
    // 2 (issue 13, auth): sign-in stages and what a session list shows; the
    // second factor. Added columns only: sessions of version 1 are complete.
    R"sql(
ALTER TABLE sessions ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE TABLE totp(
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret_hex TEXT NOT NULL,
  confirmed INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_step INTEGER NOT NULL DEFAULT 0);
CREATE TABLE recovery_codes(
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at INTEGER,
  PRIMARY KEY(user_id, code_hash));
CREATE INDEX audit_log_actor ON audit_log(actor);
CREATE INDEX audit_log_subject ON audit_log(subject);
)sql",
};

constexpr const char* kSessionSelect =
    "SELECT id_hash, rowid, user_id, csrf_token, created_at, last_seen, stage, user_agent, "
    "address FROM sessions ";

// Bytes of a user agent kept with a session: enough to tell browsers apart.
constexpr size_t kMaxUserAgentBytes = 200;

// Every user query reads the same columns, groups and werkplaatsen included,
// so a Principal is one query away.
constexpr const char* kUserSelect =
    "SELECT u.id, u.email, u.name, u.role, u.disabled, u.created_at, "
    "(SELECT json_group_array(grp) FROM user_groups WHERE user_id = u.id), "
    "(SELECT json_group_array(werkplaats) FROM user_werkplaatsen WHERE user_id = u.id) "
    "FROM users u ";

constexpr const char* kTokenSelect =
    "SELECT id, name, role, groups, created_by, created_at, revoked_at, last_used "
    "FROM api_tokens ";

Status UserNotFound() {
  return Status::Error(ErrorCode::kUserNotFound,
                       "Deze gebruiker bestaat niet. Controleer het e-mailadres of de id.");
}

// --- UTF-8 --------------------------------------------------------------

// Length of the valid UTF-8 sequence at text[i] and its code point, or 0
// when the bytes there are not valid UTF-8 (overlong forms, surrogates and
// values above U+10FFFF included).
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  uint32_t value;
  uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    value = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    value = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    value = b0 & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *cp = value;
  return len;
}

// Characters that have no place in a name or a log line: C0 and C1 controls,
// DEL, line and paragraph separators and the bidi overrides (which can make
// "admin" display as something else).
bool IsControl(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// Number of characters when `text` is valid UTF-8 without control
// characters; nullopt otherwise.
std::optional<size_t> CountPlainChars(std::string_view text) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0 || IsControl(cp)) return std::nullopt;
    i += len;
    ++chars;
  }
  return chars;
}

bool IsValidKey(std::string_view key) {
  if (key.empty() || key.size() > 100 || key.front() == '-' || key.back() == '-') return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// --- rows ---------------------------------------------------------------

std::vector<std::string> FromJsonArray(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string ToJsonArray(const std::vector<std::string>& list) {
  return nlohmann::json(list).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

StatusOr<Role> ReadRole(const std::string& name) {
  Role role = Role::kAnonymous;
  // A role name we do not know means the file was edited by hand or by a
  // newer program; refusing is safer than guessing a role.
  if (!ParseRole(name, &role)) return Status::Internal("unknown role '" + name + "' in accounts");
  return role;
}

StatusOr<User> ReadUser(const Stmt& s) {
  User user;
  user.id = s.Int(0);
  user.email = s.Text(1);
  user.name = s.Text(2);
  auto role = ReadRole(s.Text(3));
  if (!role.ok()) return role.status();
  user.role = *role;
  user.disabled = s.Int(4) != 0;
  user.created_at = s.Int(5);
  user.groups = FromJsonArray(s.Text(6));
  user.werkplaatsen = FromJsonArray(s.Text(7));
  return user;
}

StatusOr<ApiToken> ReadToken(const Stmt& s) {
  ApiToken token;
  token.id = s.Int(0);
  token.name = s.Text(1);
  auto role = ReadRole(s.Text(2));
  if (!role.ok()) return role.status();
  token.role = *role;
  token.groups = FromJsonArray(s.Text(3));
  token.created_by = s.Text(4);
  token.created_at = s.Int(5);
  if (!s.IsNull(6)) token.revoked_at = s.Int(6);
  if (!s.IsNull(7)) token.last_used = s.Int(7);
  return token;
}

Session ReadSession(const Stmt& s) {
  Session session;
  session.id_hash = s.Text(0);
  session.number = s.Int(1);
  session.user_id = s.Int(2);
  session.csrf_token = s.Text(3);
  session.created_at = s.Int(4);
  session.last_seen = s.Int(5);
  const int64_t stage = s.Int(6);
  // An unknown stage number (a newer program) must never act as complete.
  session.stage = stage == 0   ? SessionStage::kComplete
                  : stage == 2 ? SessionStage::kMustEnrol
                               : SessionStage::kAwaitingCode;
  session.user_agent = s.Text(7);
  session.address = s.Text(8);
  return session;
}

AuditEntry ReadAudit(const Stmt& s) {
  AuditEntry e;
  e.id = s.Int(0);
  e.at = s.Int(1);
  e.actor = s.Text(2);
  e.event = s.Text(3);
  e.subject = s.Text(4);
  e.detail = s.Text(5);
  e.address = s.Text(6);
  return e;
}

std::string ToHex(std::string_view bytes) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string FromHex(std::string_view hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
  }
  return out;
}

Status CheckAssignableRole(Role role) {
  if (role == Role::kAnonymous) {
    return Status::Error(ErrorCode::kInvalidField,
                         "Kies een rol: member, editor, redactie, academie of admin.");
  }
  return Status::Ok();
}

// Creates the file with mode 0600 before SQLite does (SQLite would use 0644
// minus the umask), and narrows a file that exists with looser bits (one
// copied or restored by hand); the -wal and -shm files then take the same
// mode.
void CreatePrivateFile(const std::string& path) {
  if (path.empty() || path == ":memory:") return;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;  // Db::Open below reports the error with SQLite's words
  struct stat st {};
  if (::fstat(fd, &st) == 0 && (st.st_mode & 077) != 0) (void)::fchmod(fd, 0600);
  ::close(fd);
}

}  // namespace

// --- shape rules ----------------------------------------------------------

StatusOr<std::string> NormalizeEmail(std::string_view email) {
  static const char* const kMessage =
      "Vul een geldig e-mailadres in, zoals naam@gemeente.nl (hoogstens 254 tekens).";
  if (email.size() < 3 || email.size() > kMaxEmailBytes)
    return Status::Error(ErrorCode::kInvalidField, kMessage);
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return Status::Error(ErrorCode::kInvalidField, kMessage);
  }
  std::string_view local = email.substr(0, at);
  std::string_view domain = email.substr(at + 1);
  // Local part: printable ASCII without the characters that need quoting.
  // Quoted local parts and non-ASCII addresses are not accepted; no partner
  // organisation uses them, and they are a favourite of spoofing.
  static const std::string_view kSpecials = "()<>[]\\,;:\"";
  for (char c : local) {
    if (c <= 0x20 || c >= 0x7F || kSpecials.find(c) != std::string_view::npos) {
      return Status::Error(ErrorCode::kInvalidField, kMessage);
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return Status::Error(ErrorCode::kInvalidField, kMessage);
  }
  // Domain: at least two dot-separated labels of letters, digits and '-'.
  if (domain.empty() || domain.find('.') == std::string_view::npos)
    return Status::Error(ErrorCode::kInvalidField, kMessage);
  size_t start = 0;
  while (start <= domain.size()) {
    size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return Status::Error(ErrorCode::kInvalidField, kMessage);
    }
    for (char c : label) {
      bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return Status::Error(ErrorCode::kInvalidField, kMessage);
    }
    start = end + 1;
  }
  std::string out(email);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

StatusOr<std::string> NormalizeName(std::string_view name, const char* field) {
  const std::string message =
      std::string("Vul een ") + field + " in van 1 tot 100 tekens, zonder stuurtekens.";
  // Cheap bound first so a megabyte of input is refused without decoding it.
  if (name.size() > kMaxNameChars * 4) return Status::Error(ErrorCode::kInvalidField, message);
  size_t begin = name.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return Status::Error(ErrorCode::kInvalidField, message);
  size_t end = name.find_last_not_of(" \t");
  std::string_view trimmed = name.substr(begin, end - begin + 1);
  auto chars = CountPlainChars(trimmed);
  if (!chars || *chars == 0 || *chars > kMaxNameChars)
    return Status::Error(ErrorCode::kInvalidField, message);
  return std::string(trimmed);
}

Status ValidatePassword(std::string_view password) {
  static const char* const kMessage =
      "Kies een wachtwoord van 10 tot 200 tekens, zonder stuurtekens.";
  if (password.size() > kMaxPasswordChars * 4)
    return Status::Error(ErrorCode::kInvalidField, kMessage);
  auto chars = CountPlainChars(password);
  if (!chars || *chars < kMinPasswordChars || *chars > kMaxPasswordChars) {
    return Status::Error(ErrorCode::kInvalidField, kMessage);
  }
  return Status::Ok();
}

StatusOr<std::vector<std::string>> NormalizeKeys(const std::vector<std::string>& keys,
                                                 const char* field) {
  if (keys.size() > kMaxKeysPerList) {
    return Status::Error(ErrorCode::kInvalidField,
                         std::string("Geef hoogstens 50 waarden op voor ") + field + ".");
  }
  for (const auto& key : keys) {
    if (!IsValidKey(key)) {
      return Status::Error(
          ErrorCode::kInvalidField,
          std::string("Een ") + field + " bestaat uit a-z, 0-9 en - (1 tot 100 tekens).");
    }
  }
  std::vector<std::string> out = keys;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string CleanText(std::string_view text, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    size_t len = DecodeUtf8(text, i, &cp);
    bool plain = len != 0 && !IsControl(cp);
    size_t take = plain ? len : 1;
    if (out.size() + (plain ? len : 1) > max_bytes) break;
    if (plain) {
      out.append(text.substr(i, len));
    } else {
      out.push_back('?');
    }
    i += take;
  }
  return out;
}

std::string CoarseAddress(std::string_view address) {
  if (address.empty() || address.size() > 64) return "";
  if (address.find(':') == std::string_view::npos) {
    // IPv4: keep the first three numbers.
    int dots = 0;
    size_t third = 0;
    for (size_t i = 0; i < address.size(); ++i) {
      const char c = address[i];
      if (c == '.') {
        if (++dots == 3) third = i;
      } else if (c < '0' || c > '9') {
        return "";
      }
    }
    if (dots != 3) return "";
    return std::string(address.substr(0, third)) + ".0/24";
  }
  // IPv6: the first three groups of the written form (after expanding a
  // leading "::" they would be zeros, which says nothing anyway).
  std::string out;
  int groups = 0;
  size_t start = 0;
  while (groups < 3) {
    size_t end = address.find(':', start);
    if (end == std::string_view::npos || end == start) break;
    std::string_view group = address.substr(start, end - start);
    if (group.size() > 4 ||
        group.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) {
      return "";
    }
    out += std::string(group) + ":";
    ++groups;
    start = end + 1;
  }
  return out.empty() ? "" : out + ":/48";
}

// --- opening --------------------------------------------------------------

StatusOr<std::unique_ptr<AccountStore>> AccountStore::Open(const std::string& path,
                                                           AccountStoreOptions options) {
  CreatePrivateFile(path);
  auto db = Db::Open(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<AccountStore> store(new AccountStore(std::move(*db), std::move(options)));
  // Deleted personal data (an account, pruned audit lines) is overwritten,
  // not left in free pages (issue 13, docs/privacy.md).
  KPO_RETURN_IF_ERROR(store->db_->Exec("PRAGMA secure_delete=ON"));
  KPO_RETURN_IF_ERROR(store->Migrate());
  return store;
}

int64_t AccountStore::Now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status AccountStore::Migrate() {
  static_assert(std::size(kMigrations) == kSchemaVersion, "one migration per schema version");
  // The shared runner (store/migrate.h) backs the file up before changing it.
  return store::Migrate(db_.get(),
                        {db_->path(),
                         {std::begin(kMigrations), std::end(kMigrations)},
                         "",
                         "",
                         "Het accountbestand is gemaakt door een nieuwere versie van KPO."});
}

// --- users ----------------------------------------------------------------

Status AccountStore::WriteKeys(int64_t user_id, const char* table, const char* column,
                               const std::vector<std::string>& keys) {
  // `table` and `column` are compile-time constants of this file, never
  // values from a request; the values are bound.
  auto del = db_->Prepare(std::string("DELETE FROM ") + table + " WHERE user_id = ?");
  if (!del.ok()) return del.status();
  KPO_RETURN_IF_ERROR(del->Bind(1, user_id).Run());
  auto ins =
      db_->Prepare(std::string("INSERT INTO ") + table + "(user_id, " + column + ") VALUES(?, ?)");
  if (!ins.ok()) return ins.status();
  for (const auto& key : keys) {
    ins->Reset();
    KPO_RETURN_IF_ERROR(ins->Bind(1, user_id).Bind(2, key).Run());
  }
  return Status::Ok();
}

StatusOr<User> AccountStore::CreateUser(const NewUser& user, std::string_view password) {
  auto email = NormalizeEmail(user.email);
  if (!email.ok()) return email.status();
  auto name = NormalizeName(user.name);
  if (!name.ok()) return name.status();
  KPO_RETURN_IF_ERROR(CheckAssignableRole(user.role));
  auto groups = NormalizeKeys(user.groups, "groep");
  if (!groups.ok()) return groups.status();
  auto werkplaatsen = NormalizeKeys(user.werkplaatsen, "werkplaats");
  if (!werkplaatsen.ok()) return werkplaatsen.status();
  KPO_RETURN_IF_ERROR(ValidatePassword(password));
  // Hash before taking the write lock: Argon2id takes tens of milliseconds.
  auto hash = HashPassword(password, options_.password);
  if (!hash.ok()) return hash.status();

  int64_t id = 0;
  {
    Transaction tx(db_.get());
    KPO_RETURN_IF_ERROR(tx.begin_status());
    auto exists = db_->Prepare("SELECT 1 FROM users WHERE email = ?");
    if (!exists.ok()) return exists.status();
    auto row = exists->Bind(1, *email).Step();
    if (!row.ok()) return row.status();
    if (*row) {
      return Status::Error(ErrorCode::kUserExists,
                           "Er bestaat al een account met dit e-mailadres.");
    }
    auto ins = db_->Prepare(
        "INSERT INTO users(email, name, role, password_hash, disabled, created_at) "
        "VALUES(?, ?, ?, ?, 0, ?)");
    if (!ins.ok()) return ins.status();
    KPO_RETURN_IF_ERROR(ins->Bind(1, *email)
                            .Bind(2, *name)
                            .Bind(3, RoleName(user.role))
                            .Bind(4, *hash)
                            .Bind(5, Now())
                            .Run());
    id = db_->LastInsertRowId();
    KPO_RETURN_IF_ERROR(WriteKeys(id, "user_groups", "grp", *groups));
    KPO_RETURN_IF_ERROR(WriteKeys(id, "user_werkplaatsen", "werkplaats", *werkplaatsen));
    KPO_RETURN_IF_ERROR(tx.Commit());
  }
  return GetUserById(id);
}

StatusOr<std::vector<User>> AccountStore::ListUsers() {
  auto stmt = db_->Prepare(std::string(kUserSelect) + "ORDER BY u.email");
  if (!stmt.ok()) return stmt.status();
  std::vector<User> users;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto user = ReadUser(*stmt);
    if (!user.ok()) return user.status();
    users.push_back(std::move(*user));
  }
  return users;
}

StatusOr<User> AccountStore::GetUserByEmail(std::string_view email) {
  auto normal = NormalizeEmail(email);
  if (!normal.ok()) return normal.status();
  auto stmt = db_->Prepare(std::string(kUserSelect) + "WHERE u.email = ?");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, *normal).Step();
  if (!row.ok()) return row.status();
  if (!*row) return UserNotFound();
  return ReadUser(*stmt);
}

StatusOr<User> AccountStore::GetUserById(int64_t id) {
  auto stmt = db_->Prepare(std::string(kUserSelect) + "WHERE u.id = ?");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, id).Step();
  if (!row.ok()) return row.status();
  if (!*row) return UserNotFound();
  return ReadUser(*stmt);
}

StatusOr<std::string> AccountStore::GetPasswordHash(int64_t user_id) {
  auto stmt = db_->Prepare("SELECT password_hash FROM users WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, user_id).Step();
  if (!row.ok()) return row.status();
  if (!*row) return UserNotFound();
  return stmt->Text(0);
}

Status AccountStore::SetPassword(int64_t user_id, std::string_view password) {
  KPO_RETURN_IF_ERROR(ValidatePassword(password));
  auto hash = HashPassword(password, options_.password);
  if (!hash.ok()) return hash.status();
  auto stmt = db_->Prepare("UPDATE users SET password_hash = ? WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, *hash).Bind(2, user_id).Run());
  if (db_->Changes() == 0) return UserNotFound();
  return Status::Ok();
}

Status AccountStore::SetDisabled(int64_t user_id, bool disabled) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto stmt = db_->Prepare("UPDATE users SET disabled = ? WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, int64_t{disabled ? 1 : 0}).Bind(2, user_id).Run());
  if (db_->Changes() == 0) return UserNotFound();
  if (disabled) {
    // Signed-in sessions end with the account, not at their expiry.
    auto del = db_->Prepare("DELETE FROM sessions WHERE user_id = ?");
    if (!del.ok()) return del.status();
    KPO_RETURN_IF_ERROR(del->Bind(1, user_id).Run());
  }
  return tx.Commit();
}

StatusOr<User> AccountStore::SetRoleAndGroups(
    int64_t user_id, std::optional<Role> role,
    const std::optional<std::vector<std::string>>& groups,
    const std::optional<std::vector<std::string>>& werkplaatsen) {
  std::optional<std::vector<std::string>> new_groups;
  std::optional<std::vector<std::string>> new_werkplaatsen;
  if (role) KPO_RETURN_IF_ERROR(CheckAssignableRole(*role));
  if (groups) {
    auto normal = NormalizeKeys(*groups, "groep");
    if (!normal.ok()) return normal.status();
    new_groups = std::move(*normal);
  }
  if (werkplaatsen) {
    auto normal = NormalizeKeys(*werkplaatsen, "werkplaats");
    if (!normal.ok()) return normal.status();
    new_werkplaatsen = std::move(*normal);
  }
  {
    Transaction tx(db_.get());
    KPO_RETURN_IF_ERROR(tx.begin_status());
    auto exists = db_->Prepare("SELECT 1 FROM users WHERE id = ?");
    if (!exists.ok()) return exists.status();
    auto row = exists->Bind(1, user_id).Step();
    if (!row.ok()) return row.status();
    if (!*row) return UserNotFound();
    if (role) {
      auto stmt = db_->Prepare("UPDATE users SET role = ? WHERE id = ?");
      if (!stmt.ok()) return stmt.status();
      KPO_RETURN_IF_ERROR(stmt->Bind(1, RoleName(*role)).Bind(2, user_id).Run());
    }
    if (new_groups) KPO_RETURN_IF_ERROR(WriteKeys(user_id, "user_groups", "grp", *new_groups));
    if (new_werkplaatsen) {
      KPO_RETURN_IF_ERROR(WriteKeys(user_id, "user_werkplaatsen", "werkplaats", *new_werkplaatsen));
    }
    KPO_RETURN_IF_ERROR(tx.Commit());
  }
  return GetUserById(user_id);
}

// --- sessions -------------------------------------------------------------

StatusOr<NewSession> AccountStore::CreateSession(int64_t user_id, SessionStage stage,
                                                 std::string_view user_agent,
                                                 std::string_view address) {
  KPO_RETURN_IF_ERROR(InitCrypto());
  NewSession session;
  session.id = RandomToken();
  session.csrf_token = RandomToken();
  session.created_at = Now();
  auto stmt = db_->Prepare(
      "INSERT INTO sessions(id_hash, user_id, csrf_token, created_at, last_seen, stage, "
      "user_agent, address) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, TokenHash(session.id))
                          .Bind(2, user_id)
                          .Bind(3, session.csrf_token)
                          .Bind(4, session.created_at)
                          .Bind(5, session.created_at)
                          .Bind(6, static_cast<int64_t>(stage))
                          .Bind(7, CleanText(user_agent, kMaxUserAgentBytes))
                          .Bind(8, CoarseAddress(address))
                          .Run());
  return session;
}

StatusOr<Session> AccountStore::FindSession(std::string_view session_id) {
  auto stmt = db_->Prepare(std::string(kSessionSelect) + "WHERE id_hash = ?");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, TokenHash(session_id)).Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::Error(ErrorCode::kAuthenticationRequired, "Log in om verder te gaan.");
  }
  return ReadSession(*stmt);
}

Status AccountStore::TouchSession(std::string_view session_id) {
  auto stmt = db_->Prepare("UPDATE sessions SET last_seen = ? WHERE id_hash = ?");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, Now()).Bind(2, TokenHash(session_id)).Run();
}

Status AccountStore::DeleteSession(std::string_view session_id) {
  auto stmt = db_->Prepare("DELETE FROM sessions WHERE id_hash = ?");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, TokenHash(session_id)).Run();
}

Status AccountStore::PurgeExpired(int64_t idle_before, int64_t created_before,
                                  int64_t attempts_before) {
  auto sessions = db_->Prepare("DELETE FROM sessions WHERE last_seen < ? OR created_at < ?");
  if (!sessions.ok()) return sessions.status();
  KPO_RETURN_IF_ERROR(sessions->Bind(1, idle_before).Bind(2, created_before).Run());
  auto attempts = db_->Prepare("DELETE FROM login_attempts WHERE at < ?");
  if (!attempts.ok()) return attempts.status();
  return attempts->Bind(1, attempts_before).Run();
}

Status AccountStore::SetSessionStage(std::string_view session_id, SessionStage stage) {
  auto stmt = db_->Prepare("UPDATE sessions SET stage = ?, last_seen = ? WHERE id_hash = ?");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, static_cast<int64_t>(stage))
      .Bind(2, Now())
      .Bind(3, TokenHash(session_id))
      .Run();
}

StatusOr<std::vector<Session>> AccountStore::ListSessions(int64_t user_id) {
  auto stmt = db_->Prepare(std::string(kSessionSelect) +
                           "WHERE user_id = ? ORDER BY created_at DESC, rowid DESC");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, user_id);
  std::vector<Session> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Session session = ReadSession(*stmt);
    // The list is shown to people: it never carries the secrets.
    session.id_hash.clear();
    session.csrf_token.clear();
    out.push_back(std::move(session));
  }
  return out;
}

Status AccountStore::DeleteSessionOf(int64_t user_id, int64_t number) {
  auto stmt = db_->Prepare("DELETE FROM sessions WHERE rowid = ? AND user_id = ?");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, number).Bind(2, user_id).Run());
  if (db_->Changes() == 0) {
    return Status::Error(ErrorCode::kUserSessionNotFound,
                         "Deze sessie bestaat niet (meer). Laad de lijst opnieuw.");
  }
  return Status::Ok();
}

StatusOr<int64_t> AccountStore::DeleteSessionsOf(int64_t user_id) {
  auto stmt = db_->Prepare("DELETE FROM sessions WHERE user_id = ?");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, user_id).Run());
  return static_cast<int64_t>(db_->Changes());
}

StatusOr<int64_t> AccountStore::ChangePassword(int64_t user_id, std::string_view password,
                                               std::string_view expected_hash,
                                               int64_t keep_number) {
  KPO_RETURN_IF_ERROR(ValidatePassword(password));
  // Hash before taking the write lock: Argon2id takes tens of milliseconds.
  auto hash = HashPassword(password, options_.password);
  if (!hash.ok()) return hash.status();
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  if (keep_number != 0) {
    auto kept = db_->Prepare("SELECT 1 FROM sessions WHERE rowid = ? AND user_id = ?");
    if (!kept.ok()) return kept.status();
    auto row = kept->Bind(1, keep_number).Bind(2, user_id).Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return Status::Error(ErrorCode::kAuthenticationRequired,
                           "Uw sessie is beëindigd, omdat het wachtwoord net is gewijzigd. Log "
                           "opnieuw in.");
    }
  }
  auto update =
      db_->Prepare("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?");
  if (!update.ok()) return update.status();
  KPO_RETURN_IF_ERROR(update->Bind(1, *hash).Bind(2, user_id).Bind(3, expected_hash).Run());
  if (db_->Changes() == 0) {
    auto exists = db_->Prepare("SELECT 1 FROM users WHERE id = ?");
    if (!exists.ok()) return exists.status();
    auto row = exists->Bind(1, user_id).Step();
    if (!row.ok()) return row.status();
    if (!*row) return UserNotFound();
    return Status::Error(ErrorCode::kCurrentPassword,
                         "Het wachtwoord is net gewijzigd. Vul het wachtwoord in waarmee u nu "
                         "inlogt.");
  }
  auto del = db_->Prepare("DELETE FROM sessions WHERE user_id = ? AND rowid != ?");
  if (!del.ok()) return del.status();
  KPO_RETURN_IF_ERROR(del->Bind(1, user_id).Bind(2, keep_number).Run());
  const auto ended = static_cast<int64_t>(db_->Changes());
  KPO_RETURN_IF_ERROR(tx.Commit());
  return ended;
}

// --- second factor ----------------------------------------------------------

StatusOr<std::optional<TotpRecord>> AccountStore::GetTotp(int64_t user_id) {
  auto stmt = db_->Prepare(
      "SELECT secret_hex, confirmed, created_at, last_step FROM totp WHERE user_id = ?");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, user_id).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<TotpRecord>();
  TotpRecord record;
  record.secret = FromHex(stmt->Text(0));
  record.confirmed = stmt->Int(1) != 0;
  record.created_at = stmt->Int(2);
  record.last_step = stmt->Int(3);
  return std::optional<TotpRecord>(std::move(record));
}

Status AccountStore::BeginTotp(int64_t user_id, std::string_view secret) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto existing = GetTotp(user_id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value() && (*existing)->confirmed) {
    return Status::Error(ErrorCode::kTotpAlreadyEnrolled,
                         "Tweestapsverificatie staat al aan. Zet haar eerst uit om een nieuwe "
                         "app te koppelen.");
  }
  auto stmt = db_->Prepare(
      "INSERT OR REPLACE INTO totp(user_id, secret_hex, confirmed, created_at, last_step) "
      "VALUES(?, ?, 0, ?, 0)");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, user_id).Bind(2, ToHex(secret)).Bind(3, Now()).Run());
  return tx.Commit();
}

Status AccountStore::ConfirmTotp(int64_t user_id, int64_t step,
                                 const std::vector<std::string>& recovery_hashes) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto stmt = db_->Prepare(
      "UPDATE totp SET confirmed = 1, last_step = ? WHERE user_id = ? AND confirmed = 0");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, step).Bind(2, user_id).Run());
  if (db_->Changes() == 0) {
    return Status::Error(ErrorCode::kTotpNotEnrolled,
                         "Begin eerst opnieuw met het instellen van tweestapsverificatie.");
  }
  KPO_RETURN_IF_ERROR(ReplaceRecoveryCodes(user_id, recovery_hashes));
  return tx.Commit();
}

StatusOr<bool> AccountStore::AcceptTotpStep(int64_t user_id, int64_t step) {
  auto stmt = db_->Prepare(
      "UPDATE totp SET last_step = ? WHERE user_id = ? AND confirmed = 1 AND last_step < ?");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, step).Bind(2, user_id).Bind(3, step).Run());
  return db_->Changes() > 0;
}

StatusOr<bool> AccountStore::DeleteTotp(int64_t user_id) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto del = db_->Prepare("DELETE FROM totp WHERE user_id = ?");
  if (!del.ok()) return del.status();
  KPO_RETURN_IF_ERROR(del->Bind(1, user_id).Run());
  const bool had = db_->Changes() > 0;
  KPO_RETURN_IF_ERROR(ReplaceRecoveryCodes(user_id, {}));
  KPO_RETURN_IF_ERROR(tx.Commit());
  return had;
}

Status AccountStore::ReplaceRecoveryCodes(int64_t user_id, const std::vector<std::string>& hashes) {
  auto del = db_->Prepare("DELETE FROM recovery_codes WHERE user_id = ?");
  if (!del.ok()) return del.status();
  KPO_RETURN_IF_ERROR(del->Bind(1, user_id).Run());
  auto ins = db_->Prepare("INSERT OR IGNORE INTO recovery_codes(user_id, code_hash) VALUES(?, ?)");
  if (!ins.ok()) return ins.status();
  for (const auto& hash : hashes) {
    ins->Reset();
    KPO_RETURN_IF_ERROR(ins->Bind(1, user_id).Bind(2, hash).Run());
  }
  return Status::Ok();
}

StatusOr<bool> AccountStore::UseRecoveryCode(int64_t user_id, std::string_view hash) {
  auto stmt = db_->Prepare(
      "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND "
      "used_at IS NULL");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, Now()).Bind(2, user_id).Bind(3, hash).Run());
  return db_->Changes() > 0;
}

StatusOr<int64_t> AccountStore::RecoveryCodesLeft(int64_t user_id) {
  auto stmt =
      db_->Prepare("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, user_id).Step();
  if (!row.ok()) return row.status();
  return stmt->Int(0);
}

// --- privacy ----------------------------------------------------------------

StatusOr<AccountData> AccountStore::ExportAccount(int64_t user_id) {
  AccountData data;
  auto user = GetUserById(user_id);
  if (!user.ok()) return user.status();
  data.user = std::move(*user);
  auto totp = GetTotp(user_id);
  if (!totp.ok()) return totp.status();
  data.second_factor = totp->has_value() && (*totp)->confirmed;
  auto left = RecoveryCodesLeft(user_id);
  if (!left.ok()) return left.status();
  data.recovery_codes_left = *left;
  auto sessions = ListSessions(user_id);
  if (!sessions.ok()) return sessions.status();
  data.sessions = std::move(*sessions);
  // By the user or about them: the same rows DeleteAccount pseudonymises.
  auto stmt = db_->Prepare(
      "SELECT id, at, actor, event, subject, detail, address FROM audit_log "
      "WHERE actor = ?1 OR subject = ?1 ORDER BY at, id");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, data.user.email);
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    AuditEntry entry = ReadAudit(*stmt);
    // The export is the member's data, not their administrators': another
    // person acting on the account is named by kind, and their address
    // left out.
    if (entry.actor != data.user.email) {
      if (entry.actor.find('@') != std::string::npos) entry.actor = "beheerder";
      entry.address.clear();
    }
    data.audit.push_back(std::move(entry));
  }
  return data;
}

StatusOr<int64_t> AccountStore::DeleteAccount(int64_t user_id, const std::string& pseudonym,
                                              const AuditEntry& audit) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto user = GetUserById(user_id);
  if (!user.ok()) return user.status();
  const std::string& email = user->email;
  // The addresses of the person's own actions are theirs; then every
  // mention of the e-mail address becomes the pseudonym. E-mail addresses
  // are stored lowercased, so replace() (case-sensitive) finds them all.
  auto clear = db_->Prepare("UPDATE audit_log SET address = '' WHERE actor = ?");
  if (!clear.ok()) return clear.status();
  KPO_RETURN_IF_ERROR(clear->Bind(1, email).Run());
  auto rename = db_->Prepare(
      "UPDATE audit_log SET actor = replace(actor, ?1, ?2), subject = replace(subject, ?1, ?2), "
      "detail = replace(detail, ?1, ?2) "
      "WHERE instr(actor, ?1) > 0 OR instr(subject, ?1) > 0 OR instr(detail, ?1) > 0");
  if (!rename.ok()) return rename.status();
  KPO_RETURN_IF_ERROR(rename->Bind(1, email).Bind(2, pseudonym).Run());
  const int64_t renamed = db_->Changes();
  // Rate-limit rows are keyed by e-mail ("account") or "address e-mail".
  auto attempts = db_->Prepare(
      "DELETE FROM login_attempts WHERE \"key\" = ?1 OR \"key\" LIKE '% ' || ?1 OR "
      "(scope = 'code' AND \"key\" = ?2)");
  if (!attempts.ok()) return attempts.status();
  KPO_RETURN_IF_ERROR(attempts->Bind(1, email).Bind(2, std::to_string(user_id)).Run());
  // Foreign keys cascade to groups, werkplaatsen, sessions, TOTP, recovery
  // codes and the academy's enrolments and feed token.
  auto del = db_->Prepare("DELETE FROM users WHERE id = ?");
  if (!del.ok()) return del.status();
  KPO_RETURN_IF_ERROR(del->Bind(1, user_id).Run());
  auto id = AppendAuditTo(db_.get(), audit, Now());
  if (!id.ok()) return id.status();
  KPO_RETURN_IF_ERROR(tx.Commit());
  // secure_delete (set at Open) zeroed the freed cells in the database
  // pages; the old page images in the WAL go with a checkpoint. It may be
  // partial while another connection reads; the next checkpoint then
  // completes it (docs/privacy.md).
  (void)db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return renamed;
}

StatusOr<int64_t> AccountStore::PruneAudit(int64_t before) {
  auto stmt = db_->Prepare("DELETE FROM audit_log WHERE at < ?");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, before).Run());
  return static_cast<int64_t>(db_->Changes());
}

// --- API tokens -----------------------------------------------------------

StatusOr<NewToken> AccountStore::CreateToken(std::string_view name, Role role,
                                             const std::vector<std::string>& groups,
                                             const std::string& created_by) {
  auto normal_name = NormalizeName(name, "tokennaam");
  if (!normal_name.ok()) return normal_name.status();
  KPO_RETURN_IF_ERROR(CheckAssignableRole(role));
  auto normal_groups = NormalizeKeys(groups, "groep");
  if (!normal_groups.ok()) return normal_groups.status();
  KPO_RETURN_IF_ERROR(InitCrypto());
  NewToken token;
  token.token = RandomToken();
  auto stmt = db_->Prepare(
      "INSERT INTO api_tokens(token_hash, name, role, groups, created_by, created_at) "
      "VALUES(?, ?, ?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, TokenHash(token.token))
                          .Bind(2, *normal_name)
                          .Bind(3, RoleName(role))
                          .Bind(4, ToJsonArray(*normal_groups))
                          .Bind(5, CleanText(created_by, 300))
                          .Bind(6, Now())
                          .Run());
  token.id = db_->LastInsertRowId();
  return token;
}

Status AccountStore::RevokeToken(int64_t id) {
  // COALESCE keeps the first revocation time when revoked twice.
  auto stmt =
      db_->Prepare("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, Now()).Bind(2, id).Run());
  if (db_->Changes() == 0) {
    return Status::Error(ErrorCode::kTokenNotFound,
                         "Dit token bestaat niet. Controleer het nummer met 'token list'.");
  }
  return Status::Ok();
}

StatusOr<ApiToken> AccountStore::FindToken(std::string_view token) {
  auto stmt =
      db_->Prepare(std::string(kTokenSelect) + "WHERE token_hash = ? AND revoked_at IS NULL");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, TokenHash(token)).Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::Error(ErrorCode::kInvalidToken,
                         "Dit token is ongeldig of ingetrokken. Vraag de beheerder om een nieuw.");
  }
  return ReadToken(*stmt);
}

StatusOr<bool> AccountStore::MarkTokenUsed(int64_t id, int64_t min_interval) {
  int64_t now = Now();
  // One conditional UPDATE: of several threads using the token in the same
  // minute exactly one sees a change, so exactly one audits.
  auto stmt = db_->Prepare(
      "UPDATE api_tokens SET last_used = ? WHERE id = ? AND "
      "(last_used IS NULL OR last_used <= ?)");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, now).Bind(2, id).Bind(3, now - min_interval).Run());
  return db_->Changes() > 0;
}

StatusOr<std::vector<ApiToken>> AccountStore::ListTokens() {
  auto stmt = db_->Prepare(std::string(kTokenSelect) + "ORDER BY id DESC");
  if (!stmt.ok()) return stmt.status();
  std::vector<ApiToken> tokens;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto token = ReadToken(*stmt);
    if (!token.ok()) return token.status();
    tokens.push_back(std::move(*token));
  }
  return tokens;
}

// --- login attempts -------------------------------------------------------

StatusOr<int64_t> AccountStore::RecordLoginFailure(std::string_view scope, std::string_view key) {
  auto stmt = db_->Prepare("INSERT INTO login_attempts(scope, \"key\", at) VALUES(?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, scope).Bind(2, key).Bind(3, Now()).Run());
  return db_->LastInsertRowId();
}

Status AccountStore::ForgetLoginFailure(int64_t id) {
  auto stmt = db_->Prepare("DELETE FROM login_attempts WHERE rowid = ?");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, id).Run();
}

StatusOr<std::vector<int64_t>> AccountStore::LoginFailures(std::string_view scope,
                                                           std::string_view key, int64_t since) {
  auto stmt = db_->Prepare(
      "SELECT at FROM login_attempts WHERE scope = ? AND \"key\" = ? AND at >= ? "
      "ORDER BY at LIMIT 1000");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, scope).Bind(2, key).Bind(3, since);
  std::vector<int64_t> times;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    times.push_back(stmt->Int(0));
  }
  return times;
}

Status AccountStore::ClearLoginFailures(std::string_view scope, std::string_view key) {
  auto stmt = db_->Prepare("DELETE FROM login_attempts WHERE scope = ? AND \"key\" = ?");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, scope).Bind(2, key).Run();
}

Status AccountStore::InTransaction(const std::function<Status()>& body) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  KPO_RETURN_IF_ERROR(body());
  return tx.Commit();
}

// --- audit log ------------------------------------------------------------

StatusOr<int64_t> AccountStore::AppendAudit(const AuditEntry& entry) {
  return AppendAuditTo(db_.get(), entry, Now());
}

StatusOr<int64_t> AppendAuditTo(store::Db* db, const AuditEntry& entry, int64_t now) {
  std::string detail = "{}";
  if (!entry.detail.empty()) {
    auto j = nlohmann::json::parse(entry.detail, nullptr, /*allow_exceptions=*/false);
    // Keep what the caller meant even when it is not a JSON object, but never
    // store text a JSON reader would choke on.
    if (!j.is_object()) j = nlohmann::json{{"text", CleanText(entry.detail, 2000)}};
    detail = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  auto stmt = db->Prepare(
      "INSERT INTO audit_log(at, actor, event, subject, detail, address) "
      "VALUES(?, ?, ?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, entry.at != 0 ? entry.at : now)
                          .Bind(2, CleanText(entry.actor, 300))
                          .Bind(3, CleanText(entry.event, 64))
                          .Bind(4, CleanText(entry.subject, 300))
                          .Bind(5, detail)
                          .Bind(6, CleanText(entry.address, 64))
                          .Run());
  return db->LastInsertRowId();
}

StatusOr<AuditPage> AccountStore::ListAudit(int64_t page, int64_t size) {
  if (page < 1 || page > 1000000) {
    return Status::Error(ErrorCode::kInvalidParameter,
                         "page moet een geheel getal van 1 tot 1000000 zijn.");
  }
  if (size < 1 || size > kMaxAuditPageSize) {
    return Status::Error(ErrorCode::kInvalidParameter,
                         "size moet een geheel getal van 1 tot en met " +
                             std::to_string(kMaxAuditPageSize) + " zijn.");
  }
  AuditPage out;
  auto count = db_->Prepare("SELECT COUNT(*) FROM audit_log");
  if (!count.ok()) return count.status();
  auto counted = count->Step();
  if (!counted.ok()) return counted.status();
  out.total = count->Int(0);
  auto stmt = db_->Prepare(
      "SELECT id, at, actor, event, subject, detail, address FROM audit_log "
      "ORDER BY at DESC, id DESC LIMIT ? OFFSET ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, size).Bind(2, (page - 1) * size);
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.entries.push_back(ReadAudit(*stmt));
  }
  return out;
}

}  // namespace kpo::access

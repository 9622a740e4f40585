// Account values: what the access module hands to its callers (users, API
// tokens, audit lines) and the limits of the stored fields. Values only, so
// the HTTP layer can serialise them without seeing the account store, which
// is internal to access/ (docs/architecture.md, "Layering").
// Thread-safety: plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "access/password.h"
#include "kpo/access/principal.h"

namespace kpo::access {

// Limits of the stored fields, shared with the service and the tools.
inline constexpr size_t kMaxEmailBytes = 254;  // RFC 5321 path limit
inline constexpr size_t kMaxNameChars = 100;   // names and token names
inline constexpr size_t kMinPasswordChars = 10;
inline constexpr size_t kMaxPasswordChars = 200;
inline constexpr size_t kMaxKeysPerList = 50;  // groups or werkplaatsen

// A stored account. Carries no password hash (see GetPasswordHash), so it is
// safe to hand to the HTTP layer.
struct User {
  int64_t id = 0;
  std::string email;  // lowercase
  std::string name;
  Role role = Role::kMember;
  std::vector<std::string> groups;        // sorted, unique
  std::vector<std::string> werkplaatsen;  // sorted, unique
  bool disabled = false;
  int64_t created_at = 0;  // unix seconds
};

// What CreateUser needs besides the password. Normalised and checked there.
struct NewUser {
  std::string email;
  std::string name;
  Role role = Role::kMember;
  std::vector<std::string> groups;
  std::vector<std::string> werkplaatsen;
};

// How far a session got through signing in (issue 13, second factor).
// Stored as its number; only kComplete sessions act for their user.
enum class SessionStage {
  kComplete = 0,      // password and (when enrolled) second factor given
  kAwaitingCode = 1,  // password given; the TOTP or a recovery code is next
  kMustEnrol = 2,     // password given; the role needs a second factor that
                      // is not set up yet: only enrolment works
};

// A stored session. The raw id exists only in the client's cookie.
struct Session {
  std::string id_hash;
  int64_t number = 0;  // public handle (row id) for lists and "sign out this one"
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t last_seen = 0;
  SessionStage stage = SessionStage::kComplete;
  std::string user_agent;  // clipped to 200 bytes, cleaned
  std::string address;     // coarse: IPv4 /24 or IPv6 /48 (CoarseAddress)
};

// A user's TOTP enrolment: the raw secret (an HMAC key; it cannot be
// hashed, see docs/privacy.md) and the last time step accepted.
struct TotpRecord {
  std::string secret;
  bool confirmed = false;  // false while enrolment awaits its first code
  int64_t created_at = 0;
  int64_t last_step = 0;  // a code of this step or an older one is refused
};

// A session just created: `id` is the raw secret, returned this once.
struct NewSession {
  std::string id;
  std::string csrf_token;
  int64_t created_at = 0;
};

// A stored API token (never the token itself).
struct ApiToken {
  int64_t id = 0;
  std::string name;
  Role role = Role::kMember;
  std::vector<std::string> groups;  // sorted, unique
  std::string created_by;
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;
  std::optional<int64_t> last_used;
};

// A token just created: `token` is the raw secret, returned this once.
struct NewToken {
  int64_t id = 0;
  std::string token;
};

// One line of the audit log. Text fields are cleaned (valid UTF-8, no
// control characters, clipped) by AppendAudit, so a hostile value cannot
// forge lines or break a JSON writer downstream.
struct AuditEntry {
  int64_t id = 0;       // assigned by AppendAudit
  int64_t at = 0;       // unix seconds; 0 = now (the store's clock)
  std::string actor;    // e-mail, "token:<id>", "kpo-admin", "seed-demo"
  std::string event;    // "login", "login_failed", "user_created", ...
  std::string subject;  // whom or what it concerns, e.g. an e-mail
  std::string detail;   // a JSON object as text; "" means {}
  std::string address;  // client address, "" for local tools
};

// The most audit entries one page may hold (ListAudit's `size`): larger
// pages are refused, with a message naming this limit.
constexpr int64_t kMaxAuditPageSize = 100;

struct AuditPage {
  std::vector<AuditEntry> entries;  // newest first
  int64_t total = 0;                // entries in the whole log
};

// What the accounts database holds about one user: the member data export
// (docs/privacy.md). Secrets and their hashes are left out.
struct AccountData {
  User user;
  bool second_factor = false;  // TOTP enrolled and confirmed
  int64_t recovery_codes_left = 0;
  std::vector<Session> sessions;  // id_hash and csrf_token left empty
  std::vector<AuditEntry> audit;  // entries by or about the user, oldest first
};

struct AccountStoreOptions {
  // Cost of new password hashes. Default: interactive (access/password.h).
  PasswordOptions password;
  // Current time in unix seconds. Default: empty, meaning the system clock.
  std::function<int64_t()> clock;
};

}  // namespace kpo::access

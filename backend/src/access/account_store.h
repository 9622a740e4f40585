// Accounts in SQLite: the file accounts.sqlite, kept apart from the item store
// so content can be rebuilt or shipped without personal data. Owns: the
// users, user_groups, user_werkplaatsen, sessions, api_tokens, login_attempts
// and audit_log tables and their migrations (PRAGMA user_version), and the
// shape rules of every stored field (e-mail, name, password, keys).
// Secrets are never stored: passwords as Argon2id hashes, session ids and API
// tokens as BLAKE2b-256 hashes (access/password.h).
// May not touch: HTTP, the item store, Xapian; decisions about who may do
// what live in access/auth_service.h.
// Thread-safety: one AccountStore per thread (it owns one SQLite connection);
// any number of stores, in any number of processes, may share the file.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/account.h"
#include "access/password.h"
#include "kpo/access/principal.h"
#include "kpo/status.h"
#include "store/sqlite.h"

namespace kpo::access {

// Shape rules. Each returns the normalised value, or kInvalidField with a
// Dutch message naming the field (the hostile value itself is never echoed).
// Thread-safe.
//
// ASCII address local@domain.tld, at most 254 bytes, lowercased.
StatusOr<std::string> NormalizeEmail(std::string_view email);
// 1..100 characters of valid UTF-8 without control characters, trimmed.
// `field` is the Dutch field name used in the message ("naam", "tokennaam").
StatusOr<std::string> NormalizeName(std::string_view name, const char* field = "naam");
// 10..200 characters of valid UTF-8 without control characters.
Status ValidatePassword(std::string_view password);
// Keys [a-z0-9-] (1..100, no leading or trailing '-'), at most 50; returns
// them sorted and unique. `field` is "groep" or "werkplaats".
StatusOr<std::vector<std::string>> NormalizeKeys(const std::vector<std::string>& keys,
                                                 const char* field);
// `text` as valid UTF-8 without control characters, at most `max_bytes`:
// invalid bytes and control characters become '?'. For logs and audit lines.
std::string CleanText(std::string_view text, size_t max_bytes);

// The coarse form of a client address kept with a session: an IPv4
// address's /24 ("192.0.2.0/24"), an IPv6 address's /48, "" otherwise.
// Enough to recognise "that was me, at the office", too little to locate
// anyone (docs/privacy.md). Thread-safe.
std::string CoarseAddress(std::string_view address);

// Appends `entry` (id ignored; at = `now` when 0) through `db`, an open
// accounts.sqlite connection, inside the caller's transaction if one is
// open, so an audit line commits or rolls back with the change it records.
// Success: the stored id. Errors: kStorageError, kNoSpaceLeft.
StatusOr<int64_t> AppendAuditTo(store::Db* db, const AuditEntry& entry, int64_t now);

class AccountStore {
 public:
  static constexpr const char* kFileName = "accounts.sqlite";

  // Opens or creates the database at `path` (created with mode 0600: it
  // holds password hashes) and brings its schema up to date.
  // Errors: kStorageError, kNoSpaceLeft, kServiceUnavailable (locked).
  static StatusOr<std::unique_ptr<AccountStore>> Open(const std::string& path,
                                                      AccountStoreOptions options = {});

  // --- users ---------------------------------------------------------------
  // Creates an account with an Argon2id hash of `password`. Success: the
  // stored user. Errors: kInvalidField (shape rules above, anonymous role),
  // kUserExists (e-mail taken, case-insensitively), kStorageError, kInternal.
  StatusOr<User> CreateUser(const NewUser& user, std::string_view password);
  // All accounts, sorted by e-mail. Errors: kStorageError.
  StatusOr<std::vector<User>> ListUsers();
  // Errors: kInvalidField (not an e-mail address), kUserNotFound, kStorageError.
  StatusOr<User> GetUserByEmail(std::string_view email);
  // Errors: kUserNotFound, kStorageError.
  StatusOr<User> GetUserById(int64_t id);
  // The Argon2id hash, for verification only. Errors: kUserNotFound, kStorageError.
  StatusOr<std::string> GetPasswordHash(int64_t user_id);
  // Replaces the password. Errors: kInvalidField, kUserNotFound, kStorageError.
  Status SetPassword(int64_t user_id, std::string_view password);
  // Disables or re-enables an account; disabling also deletes its sessions in
  // the same transaction. Errors: kUserNotFound, kStorageError.
  Status SetDisabled(int64_t user_id, bool disabled);
  // Changes whichever of role, groups and werkplaatsen is given, in one
  // transaction. Success: the updated user. Errors: kInvalidField,
  // kUserNotFound, kStorageError.
  StatusOr<User> SetRoleAndGroups(int64_t user_id, std::optional<Role> role,
                                  const std::optional<std::vector<std::string>>& groups,
                                  const std::optional<std::vector<std::string>>& werkplaatsen);

  // --- sessions ------------------------------------------------------------
  // Creates a session with a fresh random id and CSRF token at `stage`;
  // stores only the id's hash, the user agent (cleaned, clipped to 200
  // bytes) and the coarse address. Success: the raw id (returned only here).
  // Errors: kStorageError.
  StatusOr<NewSession> CreateSession(int64_t user_id, SessionStage stage = SessionStage::kComplete,
                                     std::string_view user_agent = "",
                                     std::string_view address = "");
  // The session whose raw id is `session_id`. Expiry is the caller's
  // business. Errors: kAuthenticationRequired (unknown), kStorageError.
  StatusOr<Session> FindSession(std::string_view session_id);
  // Sets last_seen to now. Unknown ids are ignored. Errors: kStorageError.
  Status TouchSession(std::string_view session_id);
  // Unknown ids are ignored. Errors: kStorageError.
  Status DeleteSession(std::string_view session_id);
  // Deletes sessions idle since before `idle_before` or created before
  // `created_before`, and login attempts before `attempts_before`.
  // Errors: kStorageError.
  Status PurgeExpired(int64_t idle_before, int64_t created_before, int64_t attempts_before);

  // Moves a session to `stage`. Unknown ids are ignored. Errors: kStorageError.
  Status SetSessionStage(std::string_view session_id, SessionStage stage);
  // The sessions of `user_id`, newest first (id_hash and csrf_token empty).
  // Errors: kStorageError.
  StatusOr<std::vector<Session>> ListSessions(int64_t user_id);
  // Ends session `number` of `user_id`. Errors: kUserSessionNotFound (no
  // such session of this user), kStorageError.
  Status DeleteSessionOf(int64_t user_id, int64_t number);
  // Ends every session of `user_id`. Success: how many. Errors: kStorageError.
  StatusOr<int64_t> DeleteSessionsOf(int64_t user_id);
  // Replaces the password of `user_id` and ends its sessions other than
  // session `keep_number` (0: none kept), in one transaction, so a
  // password changed because of a stranger's session never leaves that
  // session alive. Only when the stored hash is still `expected_hash` (the
  // one the current password was checked against) and session
  // `keep_number` still exists: of two changes made at once, the second
  // was checked against a password that is gone, or made from a session
  // the first one ended. Success: how many sessions ended. Errors:
  // kInvalidField (ValidatePassword), kCurrentPassword (the password
  // changed meanwhile), kAuthenticationRequired (session `keep_number`
  // ended meanwhile), kUserNotFound, kStorageError, kInternal (hashing).
  StatusOr<int64_t> ChangePassword(int64_t user_id, std::string_view password,
                                   std::string_view expected_hash, int64_t keep_number);

  // --- second factor (issue 13) -------------------------------------------
  // The TOTP record of `user_id`, nullopt when none. Errors: kStorageError.
  StatusOr<std::optional<TotpRecord>> GetTotp(int64_t user_id);
  // Stores `secret` as an unconfirmed enrolment, replacing an earlier
  // unconfirmed one. Errors: kTotpAlreadyEnrolled, kStorageError.
  Status BeginTotp(int64_t user_id, std::string_view secret);
  // Confirms the enrolment at time step `step` and replaces the recovery
  // codes with `recovery_hashes`, in one transaction. Errors:
  // kTotpNotEnrolled (nothing begun), kStorageError.
  Status ConfirmTotp(int64_t user_id, int64_t step,
                     const std::vector<std::string>& recovery_hashes);
  // Records `step` as used unless a step at or after it was: true when it
  // was recorded (one conditional UPDATE, so of two requests racing with the
  // same code exactly one wins). Errors: kStorageError.
  StatusOr<bool> AcceptTotpStep(int64_t user_id, int64_t step);
  // Removes the TOTP record and the recovery codes. Success: true when there
  // was a record. Errors: kStorageError.
  StatusOr<bool> DeleteTotp(int64_t user_id);
  // Replaces the recovery codes. Errors: kStorageError.
  Status ReplaceRecoveryCodes(int64_t user_id, const std::vector<std::string>& hashes);
  // Marks the unused code with hash `hash` used: true when there was one.
  // Errors: kStorageError.
  StatusOr<bool> UseRecoveryCode(int64_t user_id, std::string_view hash);
  // Unused recovery codes of `user_id`. Errors: kStorageError.
  StatusOr<int64_t> RecoveryCodesLeft(int64_t user_id);

  // --- privacy (issue 13, docs/privacy.md) ---------------------------------
  // Everything stored about `user_id` (AccountData). Errors: kUserNotFound,
  // kStorageError.
  StatusOr<AccountData> ExportAccount(int64_t user_id);
  // Deletes the account in one transaction: its row and everything that
  // cascades from it (groups, werkplaatsen, sessions, TOTP, recovery codes,
  // academy enrolments and feed), its login attempts; in the audit log its
  // e-mail becomes `pseudonym` and the addresses of its own actions are
  // cleared; `audit` (the deletion itself) is appended. Success: the number
  // of audit entries pseudonymised. Errors: kUserNotFound, kStorageError.
  StatusOr<int64_t> DeleteAccount(int64_t user_id, const std::string& pseudonym,
                                  const AuditEntry& audit);
  // Deletes audit entries older than `before` (unix seconds). Success: how
  // many. Errors: kStorageError.
  StatusOr<int64_t> PruneAudit(int64_t before);

  // --- API tokens ----------------------------------------------------------
  // Creates a token; stores only its hash. Success: id and raw token
  // (returned only here). Errors: kInvalidField (name, groups, anonymous
  // role), kStorageError.
  StatusOr<NewToken> CreateToken(std::string_view name, Role role,
                                 const std::vector<std::string>& groups,
                                 const std::string& created_by);
  // Marks a token revoked; revoking twice is OK. Errors: kTokenNotFound, kStorageError.
  Status RevokeToken(int64_t id);
  // The live token whose raw value is `token`. Errors: kInvalidToken
  // (unknown or revoked), kStorageError.
  StatusOr<ApiToken> FindToken(std::string_view token);
  // Sets last_used to now unless it was set less than `min_interval` seconds
  // ago. Success: true when it was set (so the caller audits at most once per
  // interval, even across threads). Errors: kStorageError.
  StatusOr<bool> MarkTokenUsed(int64_t id, int64_t min_interval);
  // All tokens, newest first. Errors: kStorageError.
  StatusOr<std::vector<ApiToken>> ListTokens();

  // --- login attempts (rate limiting) --------------------------------------
  // Records a failed login under (scope, key), e.g. ("account", email).
  // Success: the record's id (for ForgetLoginFailure). Errors: kStorageError.
  StatusOr<int64_t> RecordLoginFailure(std::string_view scope, std::string_view key);
  // Deletes the failure record `id` (no-op when it is gone already): an
  // attempt counted as a failure before it was decided that succeeded.
  // Errors: kStorageError.
  Status ForgetLoginFailure(int64_t id);
  // Times of failures under (scope, key) at or after `since`, oldest first,
  // at most 1000. Errors: kStorageError.
  StatusOr<std::vector<int64_t>> LoginFailures(std::string_view scope, std::string_view key,
                                               int64_t since);
  // Forgets the failures under (scope, key). Errors: kStorageError.
  Status ClearLoginFailures(std::string_view scope, std::string_view key);
  // Runs `body` in one write transaction on this connection (BEGIN
  // IMMEDIATE, so every other connection, in this process or another,
  // waits): what `body` reads stays true until its writes are committed, so
  // a limit can be checked and an attempt recorded as one step. `body` may
  // call the login-attempt methods above, never a method that opens its own
  // transaction. Success: committed. Errors: those of `body` (everything is
  // rolled back), kServiceUnavailable (busy), kStorageError.
  Status InTransaction(const std::function<Status()>& body);

  // --- audit log -----------------------------------------------------------
  // Appends `entry` (id ignored; at = now when 0). Success: the stored id.
  // Errors: kStorageError, kNoSpaceLeft.
  StatusOr<int64_t> AppendAudit(const AuditEntry& entry);
  // Page `page` (from 1) of `size` entries, newest first, and the total.
  // Errors: kInvalidParameter (page outside 1..1000000, size outside
  // 1..kMaxAuditPageSize; the message names the limit),
  // kStorageError.
  StatusOr<AuditPage> ListAudit(int64_t page, int64_t size);

  // The current time from the configured clock, in unix seconds.
  int64_t Now() const;

 private:
  AccountStore(std::unique_ptr<store::Db> db, AccountStoreOptions options)
      : db_(std::move(db)), options_(std::move(options)) {}
  Status Migrate();
  Status WriteKeys(int64_t user_id, const char* table, const char* column,
                   const std::vector<std::string>& keys);

  std::unique_ptr<store::Db> db_;
  AccountStoreOptions options_;
};

}  // namespace kpo::access

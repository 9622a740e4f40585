// Who is signed in, and the administration of accounts: the domain service
// the HTTP layer and kpo-admin call (they only parse and serialise).
// Owns: login with rate limiting, sessions and their expiry, API tokens,
// CSRF checks, the admin-only account operations and the audit trail of all
// of them. Builds every Principal from the accounts database on every call,
// so a role change or a disabled account takes effect on the next request.
// May not touch: HTTP (no cookies or headers here), the item store, Xapian;
// SQL stays in access/account_store.h.
// Thread-safety: every method may be called from any number of threads at
// once. Each calling thread gets its own SQLite connection (an AccountStore
// created on first use and kept in a map keyed by thread id, guarded by a
// mutex held only for the lookup). No lock is held while a password is
// hashed, so one slow login never blocks other requests. Connections live
// until the service is destroyed; the service must outlive every call.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "access/account.h"
#include "access/password.h"
#include "kpo/access/principal.h"
#include "kpo/status.h"

namespace kpo::access {

class AccountStore;

struct AuthOptions {
  // A session ends after this many seconds without a request. Default: 1800.
  int64_t idle_timeout = int64_t{30} * 60;
  // A session ends this many seconds after login, used or not. Also the
  // cookie's Max-Age. Default: 43200 (12 h).
  int64_t absolute_timeout = int64_t{12} * 60 * 60;
  // Failed logins per e-mail address within `failure_window` after which
  // further attempts for it are refused. Counted for unknown addresses too,
  // so the limit reveals nothing about which accounts exist. Default: 5.
  int account_failure_limit = 5;
  // Failed logins per client address within `failure_window` after which
  // that address gets only one wrong password per account (further attempts
  // for an account that failed from it are refused); accounts that did not
  // fail from it sign in as usual, so one address (a proxy, an
  // organisation's NAT) never locks everyone out. Default: 20.
  int address_failure_limit = 20;
  // Seconds a failure counts. Default: 900 (15 min).
  int64_t failure_window = int64_t{15} * 60;
  // Cost of password hashes. Default: interactive; tests use Minimum().
  PasswordOptions password;
  // Partner groups that may be assigned (the vocabulary's `groups` keys).
  // Default: nullopt, meaning any key of the form [a-z0-9-]+.
  std::optional<std::set<std::string>> allowed_groups;
  // Werkplaatsen that may be assigned (the vocabulary's `werkplaatsen` keys).
  // Default: nullopt, meaning any key of the form [a-z0-9-]+.
  std::optional<std::set<std::string>> allowed_werkplaatsen;
  // Current time in unix seconds. Default: empty, meaning the system clock.
  std::function<int64_t()> clock;
  // --- second factor, sessions and retention (issue 13) -------------------
  // Whether redactie and admin accounts must use a second factor (TOTP):
  // without one enrolled, signing in leads only to enrolment. Off only for
  // demonstrations and test fixtures (kpo-server --second-factor optional).
  // Default: true.
  bool second_factor_required = true;
  // Wrong second-factor codes per account within `failure_window` after
  // which codes are refused for the rest of the window. Default: 5.
  int code_failure_limit = 5;
  // Seconds a session may stay between password and second factor (or
  // enrolment) before it ends. Default: 900 (15 min).
  int64_t sign_in_step_timeout = int64_t{15} * 60;
  // Audit entries older than this many seconds are deleted (at every
  // sign-in, which already does the housekeeping); 0 keeps them forever.
  // Default: 365 days.
  int64_t audit_retention = int64_t{365} * 24 * 60 * 60;
};

// Roles that must use a second factor when AuthOptions says so.
bool RoleNeedsSecondFactor(Role role);
// The principal an account acts as (role, groups, werkplaatsen, name).
Principal PrincipalOf(const User& user);
// "none" (kComplete), "code" (kAwaitingCode), "enrol" (kMustEnrol): the
// wire names of the API's "second_factor" and "session_stage".
const char* SessionStageName(SessionStage stage);

struct LoginResult {
  Principal principal;
  std::string session_id;  // raw 256-bit secret, hex: for the cookie only
  std::string csrf_token;  // for the client to echo in a header
  int64_t max_age = 0;     // seconds: the cookie's Max-Age
  // kComplete: signed in. kAwaitingCode: CompleteSignIn with a code next.
  // kMustEnrol: only the enrolment calls work until ConfirmTotp.
  SessionStage stage = SessionStage::kComplete;
};

struct SessionInfo {
  Principal principal;
  std::string csrf_token;  // what CheckCsrf compares the header with
  SessionStage stage = SessionStage::kComplete;
  int64_t session_number = 0;  // Session::number of this session
};

// A TOTP enrolment just begun: shown once, then only its hash-free record
// in the database (the secret must stay usable to check codes).
struct TotpEnrolment {
  std::string secret;  // base32, for typing into an app
  std::string uri;     // otpauth://..., for a QR code or a link
};

// What "Mijn account" shows about the second factor.
struct SecondFactorState {
  bool enrolled = false;  // confirmed TOTP
  bool pending = false;   // begun, awaiting the first code
  bool required = false;  // the role needs one (and AuthOptions says so)
  int64_t recovery_codes_left = 0;
};

struct CreatedToken {
  int64_t id = 0;
  std::string token;  // raw secret, shown once and never stored
};

// What AddUser receives, unparsed: the service validates every field.
struct NewUserRequest {
  std::string email;
  std::string name;
  std::string role;  // "member", "editor", "redactie", "academie", "admin"
  std::vector<std::string> groups;
  std::vector<std::string> werkplaatsen;
  std::string password;
};

// What ChangePassword receives, unparsed: the service checks every field.
struct PasswordChange {
  std::string current;       // the password now in use
  std::string new_password;  // the rules of AddUser: 10..200 characters
  std::string repeat;        // must equal new_password (a typo guard)
};

// One demo account of SeedDemo.
struct DemoAccount {
  std::string email;
  std::string role;
  std::vector<std::string> groups;
  std::vector<std::string> werkplaatsen;
  std::string password;  // empty when the account already existed
  bool existed = false;
};

class AuthService {
 public:
  // Opens (creating when needed) `data_dir`/accounts.sqlite and prepares a
  // dummy password hash for constant-time logins. Success: a service owned by
  // the caller. Errors: kStorageError (directory or file unusable),
  // kInternal (libsodium). Thread-safety: call once, before sharing.
  static StatusOr<std::unique_ptr<AuthService>> Open(const std::string& data_dir,
                                                     AuthOptions options = {});
  ~AuthService();
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  // The principal kpo-admin acts as: an administrator named "kpo-admin"
  // (user id 0) in the audit log. Only local tools may use it.
  static Principal LocalAdministrator();

  // --- signing in --------------------------------------------------------
  // Verifies e-mail and password and starts a new session (a fresh id at
  // every login, so a planted id is never adopted). Every attempt is
  // audited, the password never. `address` is the client address (the HTTP
  // layer resolves trusted proxies), used for rate limiting and the audit log.
  // Success: the principal, the raw session id, a CSRF token and the cookie
  // Max-Age. Errors:
  //   kInvalidCredentials  unknown e-mail, wrong password or disabled
  //                        account, one message and similar timing for all;
  //   kTooManyRequests     too many failures for this e-mail, or this e-mail
  //                        failed from an address over its limit (an
  //                        attempt counts as a failure from before its hash
  //                        until it proves right, so parallel attempts never
  //                        get past a limit);
  //                        `*retry_after` (when given) is set to the seconds
  //                        to wait, else left 0;
  //   kInvalidField        the e-mail is not an address or the password is
  //                        absurdly long (no account is consulted);
  //   kStorageError, kServiceUnavailable, kInternal.
  // The session starts at stage kAwaitingCode when the account has a second
  // factor, kMustEnrol when its role needs one it lacks, else kComplete.
  // `user_agent` is kept (clipped) for the session list, with the coarse
  // address.
  StatusOr<LoginResult> Login(const std::string& email, const std::string& password,
                              const std::string& address, int* retry_after = nullptr,
                              const std::string& user_agent = "");
  // The second step of signing in: a TOTP code (each time step once) or an
  // unused recovery code (each once) for a session at kAwaitingCode, which
  // then becomes complete. Audited, failures too. Success: the session's
  // principal. Errors: kAuthenticationRequired (no such session, or it is
  // not waiting for a code, or its step timed out),
  // kInvalidTotpCode (wrong, malformed or already used),
  // kTooManyRequests (code_failure_limit reached; `*retry_after` set),
  // kStorageError.
  StatusOr<SessionInfo> CompleteSignIn(const std::string& session_id, const std::string& code,
                                       const std::string& address, int* retry_after = nullptr);
  // Ends the session (no-op for unknown or malformed ids) and audits it.
  // Errors: kStorageError.
  Status Logout(const std::string& session_id, const std::string& address);

  // The principal behind a session cookie, read fresh from the users table.
  // Refreshes last_seen (at most once a minute, so the idle timeout is
  // honoured to within a minute while reads stay cheap).
  // Errors: kAuthenticationRequired (malformed, unknown, idle, past its
  // absolute lifetime, or account disabled or gone), kStorageError; unless
  // `allow_partial` (the sign-in and enrolment routes only):
  // kSecondFactorRequired (awaiting a code) and
  // kEnrolSecondFactor (the role needs a second factor that is
  // not enrolled, also for a session that predates the rule).
  StatusOr<SessionInfo> AuthenticateSession(const std::string& session_id,
                                            bool allow_partial = false);

  // The principal of an API token ("Authorization: Bearer <token>"): its
  // role and groups, user_id 0 and email "token:<id>". Use is audited at
  // most once a minute per token. Errors: kInvalidToken (malformed, unknown
  // or revoked), kStorageError.
  StatusOr<Principal> AuthenticateToken(const std::string& bearer, const std::string& address = "");

  // The principal of account `user_id`, read fresh, for requests that carry
  // another proof of who they are (a personal calendar feed token).
  // Errors: kUserNotFound (unknown or disabled account), kStorageError.
  StatusOr<Principal> PrincipalOfUser(int64_t user_id);

  // Issue 10: appends an audit line for a domain event of another module
  // (an attachment upload): `actor`'s e-mail, `event`, `subject`, `detail`
  // (JSON text) and the client `address`. Errors: kStorageError.
  Status RecordEvent(const Principal& actor, const std::string& address, const std::string& event,
                     const std::string& subject, const std::string& detail);
  // Compares the session's CSRF token with the request header in constant
  // time. Errors: kInvalidCsrfToken (missing or different). Thread-safe,
  // touches no storage.
  static Status CheckCsrf(const std::string& session_csrf_token, const std::string& header_value);

  // --- one's own account (issue 13) ---------------------------------------
  // `who` is a signed-in account (user_id != 0; API tokens get kForbidden).
  // Codes count against code_failure_limit (kTooManyRequests) and every
  // change is audited.

  // Errors: kForbidden, kStorageError.
  StatusOr<SecondFactorState> SecondFactor(const Principal& who);
  // Begins (or begins again) a TOTP enrolment with a fresh secret, shown
  // this once. Errors: kForbidden, kTotpAlreadyEnrolled, kStorageError.
  StatusOr<TotpEnrolment> BeginTotp(const Principal& who, const std::string& address);
  // The enrolment begun and not yet confirmed, for its owner to read again
  // after a wrong first code (the key is needed until the app has it).
  // Errors: kForbidden, kTotpNotEnrolled (none pending), kStorageError.
  StatusOr<TotpEnrolment> PendingTotp(const Principal& who);
  // Confirms the begun enrolment with its first code; the session
  // `session_id` (when given) becomes complete. Success: 10 recovery codes,
  // shown this once (stored hashed). Errors: kForbidden,
  // kTotpNotEnrolled, kInvalidTotpCode, kTooManyRequests.
  StatusOr<std::vector<std::string>> ConfirmTotp(const Principal& who, const std::string& address,
                                                 const std::string& code,
                                                 const std::string& session_id = "");
  // Switches TOTP off with a current code or a recovery code. Errors:
  // kForbidden (also when the role needs a second factor),
  // kTotpNotEnrolled, kInvalidTotpCode, kTooManyRequests.
  Status DisableTotp(const Principal& who, const std::string& address, const std::string& code);
  // New recovery codes (the old ones stop working) for a current TOTP code.
  // Errors: as DisableTotp, except the role rule.
  StatusOr<std::vector<std::string>> RenewRecoveryCodes(const Principal& who,
                                                        const std::string& address,
                                                        const std::string& code);
  // The caller's sessions, newest first. Errors: kForbidden, kStorageError.
  StatusOr<std::vector<Session>> ListSessions(const Principal& who);
  // Ends one of the caller's sessions. Errors: kForbidden,
  // kUserSessionNotFound, kStorageError.
  Status EndSession(const Principal& who, const std::string& address, int64_t number);
  // Ends every session of the caller ("sign out everywhere"), the current
  // one included. Success: how many. Errors: kForbidden, kStorageError.
  StatusOr<int64_t> EndAllSessions(const Principal& who, const std::string& address);

  // Replaces the caller's password. The new one follows the rules of
  // AddUser and must be typed twice the same. A wrong current password
  // counts as a failed login for the account's e-mail address and the
  // client address (the limits of Login), so this form cannot be used to
  // guess passwords around the login limit; past the limit it is refused
  // before the password is checked. On success every other session of the
  // account ends (`keep_session`, a Session::number, stays: the person
  // changing it; 0 keeps none), in the same transaction. Audited
  // ("password_changed", "password_change_failed"), the passwords never.
  // Success: how many sessions ended. Errors: kForbidden (API tokens),
  // kPasswordMismatch, kInvalidField (new password not 10..200
  // characters), kCurrentPassword, kTooManyRequests (`*retry_after`
  // set when given), kStorageError, kInternal.
  StatusOr<int64_t> ChangePassword(const Principal& who, const std::string& address,
                                   const PasswordChange& change, int64_t keep_session,
                                   int* retry_after = nullptr);

  // Deletes audit entries older than AuthOptions::audit_retention (nothing
  // when it is 0) and audits how many. Success: how many. Errors:
  // kStorageError.
  StatusOr<int64_t> PruneAudit();

  // --- administration: `caller` must have Role::kAdmin --------------------
  // Every call below is audited under the caller (refusals too, as
  // "forbidden"); `address` is the caller's client address ("" for local
  // tools). Every call returns kForbidden for a caller that is not an admin,
  // and kStorageError when the database fails.

  // Creates an account. Success: the stored user. Errors: kInvalidField
  // (e-mail, name, unknown role, group or werkplaats not allowed, password
  // not 10..200 characters), kUserExists.
  StatusOr<User> AddUser(const Principal& caller, const std::string& address,
                         const NewUserRequest& request);
  // All accounts, sorted by e-mail.
  StatusOr<std::vector<User>> ListUsers(const Principal& caller, const std::string& address);
  // One account by e-mail. Errors: kInvalidField, kUserNotFound.
  StatusOr<User> GetUser(const Principal& caller, const std::string& address,
                         const std::string& email);
  // Disables (ending its sessions at once) or re-enables an account.
  // Success: the updated user. Errors: kUserNotFound, kInvalidField (an admin
  // disabling their own account).
  StatusOr<User> SetUserDisabled(const Principal& caller, const std::string& address,
                                 int64_t user_id, bool disabled);
  // Changes an account's role. Success: the updated user. Errors:
  // kInvalidField (unknown role; an admin demoting themselves), kUserNotFound.
  StatusOr<User> SetUserRole(const Principal& caller, const std::string& address, int64_t user_id,
                             const std::string& role);
  // Replaces an account's groups and werkplaatsen. Success: the updated
  // user. Errors: kInvalidField (not allowed), kUserNotFound.
  StatusOr<User> SetUserGroups(const Principal& caller, const std::string& address, int64_t user_id,
                               const std::vector<std::string>& groups,
                               const std::vector<std::string>& werkplaatsen);
  // Creates an API token. Success: its id and the raw token, which is shown
  // this once and never stored. Errors: kInvalidField (name, role, groups).
  StatusOr<CreatedToken> CreateToken(const Principal& caller, const std::string& address,
                                     const std::string& name, const std::string& role,
                                     const std::vector<std::string>& groups);
  // Revokes a token; it is refused from the next request on. Revoking twice
  // is OK. Errors: kTokenNotFound.
  Status RevokeToken(const Principal& caller, const std::string& address, int64_t token_id);
  // All tokens (never their secrets), newest first.
  StatusOr<std::vector<ApiToken>> ListTokens(const Principal& caller, const std::string& address);
  // Removes an account's second factor (a lost phone and no recovery codes)
  // and ends its sessions; a role that needs one enrols at the next
  // sign-in. Errors: kUserNotFound, kTotpNotEnrolled.
  Status ResetSecondFactor(const Principal& caller, const std::string& address, int64_t user_id);
  // An account's sessions, newest first. Errors: kUserNotFound.
  StatusOr<std::vector<Session>> ListUserSessions(const Principal& caller,
                                                  const std::string& address, int64_t user_id);
  // Ends every session of an account. Success: how many. Errors: kUserNotFound.
  StatusOr<int64_t> EndUserSessions(const Principal& caller, const std::string& address,
                                    int64_t user_id);
  // Everything the accounts database holds about an account (a member's
  // data export, docs/privacy.md). Errors: kUserNotFound.
  StatusOr<AccountData> ExportUser(const Principal& caller, const std::string& address,
                                   int64_t user_id);
  // Deletes an account and pseudonymises the audit log (DeleteAccount in
  // account_store.h). `before` (when set) runs once the caller is known to
  // be allowed and the account exists, with the account's principal, so
  // other modules can let go of it properly first (the academy frees the
  // member's places and promotes the waiting list); its error stops the
  // deletion. Errors: kUserNotFound, kInvalidField (one's own account),
  // those of `before`.
  Status DeleteUser(const Principal& caller, const std::string& address, int64_t user_id,
                    const std::function<Status(const Principal&)>& before = nullptr);
  // Page `page` (from 1) of `size` (1..kMaxAuditPageSize) audit entries,
  // newest first. Errors: kInvalidParameter (the message names the limit).
  StatusOr<AuditPage> ListAudit(const Principal& caller, const std::string& address, int64_t page,
                                int64_t size);

  // --- demo --------------------------------------------------------------
  // Creates one account per role, for demonstrations: member@demo.kpo.nl
  // (gemeenten), member-politie@demo.kpo.nl (politie, om), editor@demo.kpo.nl
  // (werkplaats bibob, gemeenten), redactie@, academie@ and admin@demo.kpo.nl,
  // each with a random password. Idempotent: accounts that exist keep their
  // password and come back with existed = true and no password.
  // Errors: kInvalidField (a demo group or werkplaats is not allowed),
  // kStorageError.
  StatusOr<std::vector<DemoAccount>> SeedDemo();

 private:
  // Out of line, like the destructor: AccountStore is complete only there.
  AuthService(std::string path, AuthOptions options, AccountStoreOptions store_options);
  // The calling thread's store, opened on first use.
  StatusOr<AccountStore*> Store();
  int64_t Now() const;
  // Refuses (and audits) callers that are not admins.
  Status RequireAdmin(AccountStore* store, const Principal& caller, const std::string& address,
                      const char* operation);
  // kInvalidField unless every group / werkplaats is allowed.
  Status CheckAllowed(const std::vector<std::string>& groups,
                      const std::vector<std::string>& werkplaatsen) const;
  StatusOr<User> CreateUserAudited(AccountStore* store, const std::string& actor,
                                   const std::string& address, const NewUserRequest& request);
  // The calling thread's store and an account, read fresh.
  struct Target {
    AccountStore* store;
    User user;
  };
  // The account behind `who` (kForbidden for tokens and anonymous callers).
  StatusOr<Target> OwnAccount(const Principal& who);
  // Account `user_id` for an admin operation (refused and audited for
  // callers that are not admins).
  StatusOr<Target> AdminTarget(const Principal& caller, const std::string& address,
                               const char* operation, int64_t user_id);
  // One password attempt for `email` from `address`, checked against the
  // limits and recorded as a failure in one transaction before the slow hash
  // runs: checking first and recording after the hash let every attempt in
  // flight pass the same check. Login and ChangePassword share it, so a
  // session gets no more guesses than the sign-in form.
  struct PasswordAttempt {
    int64_t wait = 0;         // > 0: refused for that many seconds, nothing recorded
    int64_t address_row = 0;  // this attempt's failure under the address alone
    std::string address_account;
  };
  StatusOr<PasswordAttempt> ReservePasswordAttempt(AccountStore* store, const std::string& email,
                                                   const std::string& address);
  // The password was right: resets the account's count and takes this
  // attempt's failure back from the address.
  Status ReleasePasswordAttempt(AccountStore* store, const std::string& email,
                                const PasswordAttempt& attempt);
  // The same for a second-factor code of `user_id`: `*wait` > 0 when
  // refused, else the id of the failure recorded for this attempt (taken
  // back with ForgetLoginFailure when the code is right).
  StatusOr<int64_t> ReserveCodeAttempt(AccountStore* store, int64_t user_id, int64_t* wait);
  // Checks `code` (a TOTP code, or with `allow_recovery` a recovery code)
  // for `user`, counting failures; `*method` says which one matched.
  Status CheckCode(AccountStore* store, const User& user, const std::string& code,
                   bool allow_recovery, const std::string& address, int* retry_after,
                   const char** method);
  // Makes and stores 10 recovery codes. Success: the codes.
  StatusOr<std::vector<std::string>> NewRecoveryCodes(AccountStore* store, int64_t user_id,
                                                      bool confirm_totp, int64_t step);
  bool NeedsSecondFactor(Role role) const;
  Status Audit(AccountStore* store, const std::string& actor, const std::string& event,
               const std::string& subject, const std::string& detail, const std::string& address);

  const std::string path_;
  const AuthOptions options_;
  const AccountStoreOptions store_options_;
  // An Argon2id hash of a random password, verified against when the e-mail
  // is unknown so that case costs as much as a wrong password.
  std::string dummy_hash_;

  std::mutex stores_mu_;
  std::map<std::thread::id, std::unique_ptr<AccountStore>> stores_;  // GUARDED_BY(stores_mu_)
};

}  // namespace kpo::access

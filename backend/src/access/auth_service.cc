// Implements auth_service.h.
#include "access/auth_service.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "access/account_store.h"
#include "access/totp.h"

namespace kpo::access {

namespace {

// One message for every credential failure: which of e-mail, password or
// account state was wrong is for the audit log, not for the person trying.
constexpr const char* kInvalidCredentialsMessage = "E-mailadres of wachtwoord klopt niet.";
// last_seen is written at most this often (seconds): a write per request
// would make every read request a database write.
constexpr int64_t kTouchInterval = 60;
// A token's use is audited at most this often (seconds).
constexpr int64_t kTokenAuditInterval = 60;
// Rate-limit scopes in login_attempts.
constexpr const char* kScopeAccount = "account";
constexpr const char* kScopeAddress = "address";
// Failures of one account from one client address ("address e-mail").
constexpr const char* kScopeAddressAccount = "address_account";
// A login password longer than this (bytes) cannot be one we stored (at most
// 200 characters of at most 4 bytes); it is refused before Argon2id runs.
constexpr size_t kMaxLoginPasswordBytes = kMaxPasswordChars * 4;

std::string Json(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The name a principal has in the audit log.
std::string ActorOf(const Principal& p) {
  if (!p.email.empty()) return p.email;
  if (p.user_id != 0) return "user:" + std::to_string(p.user_id);
  return RoleName(p.role);
}

Status UnknownRole() {
  return Status::Error(ErrorCode::kInvalidField,
                       "Onbekende rol. Kies member, editor, redactie, academie of admin.");
}

Status SessionEnded() {
  return Status::Error(ErrorCode::kAuthenticationRequired,
                       "Uw sessie is verlopen of beëindigd. Log opnieuw in.");
}

// Failed second-factor codes, keyed by user id.
constexpr const char* kScopeCode = "code";
// Recovery codes made at enrolment and at renewal.
constexpr int kRecoveryCodes = 10;

Status NotForTokens() {
  return Status::Error(ErrorCode::kForbidden,
                       "Dit kan alleen met een eigen account, niet met een API-token.");
}

// The enrolment begun and not yet confirmed. Errors: kTotpNotEnrolled
// (none, or confirmed already), kStorageError.
StatusOr<TotpRecord> PendingEnrolment(AccountStore* store, int64_t user_id) {
  auto totp = store->GetTotp(user_id);
  if (!totp.ok()) return totp.status();
  if (!totp->has_value() || (*totp)->confirmed) {
    return Status::Error(ErrorCode::kTotpNotEnrolled,
                         "Begin eerst opnieuw met het instellen van tweestapsverificatie.");
  }
  return std::move(**totp);
}

// `recovery`: a recovery code would have been taken here (not while
// enrolling, when there are none yet, nor for renewing them).
Status WrongCode(bool recovery) {
  return Status::Error(ErrorCode::kInvalidTotpCode,
                       std::string("Deze code klopt niet of is al gebruikt. Wacht op de volgende "
                                   "code in uw app") +
                           (recovery ? ", of gebruik een herstelcode." : "."));
}

// The answer to a caller over one of the limits, in whole minutes:
// "Te veel <what>. Probeer het over 1 minuut opnieuw."
Status TooMany(const std::string& what, int64_t wait_seconds) {
  const int64_t minutes = std::max<int64_t>(1, (wait_seconds + 59) / 60);
  return Status::Error(ErrorCode::kTooManyRequests,
                       "Te veel " + what + ". Probeer het over " + std::to_string(minutes) +
                           (minutes == 1 ? " minuut" : " minuten") + " opnieuw.");
}

// Seconds until a key with failures at `times` (oldest first, all inside
// the window) is allowed again under `limit`: when the (n - limit + 1)th
// oldest leaves the window. 0 while under the limit.
int64_t WaitOver(const std::vector<int64_t>& times, int limit, int64_t window, int64_t now) {
  const size_t n = times.size();
  const auto lim = static_cast<size_t>(limit);
  if (n < lim) return 0;
  return std::max<int64_t>(1, times[n - lim] + window - now);
}

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// --- setup ----------------------------------------------------------------

StatusOr<std::unique_ptr<AuthService>> AuthService::Open(const std::string& data_dir,
                                                         AuthOptions options) {
  if (options.idle_timeout <= 0 || options.absolute_timeout <= 0 ||
      options.account_failure_limit <= 0 || options.address_failure_limit <= 0 ||
      options.failure_window <= 0) {
    return Status::Internal("AuthOptions: timeouts, limits and window must be positive");
  }
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return Status::Error(ErrorCode::kStorageError,
                         "De datamap kan niet worden aangemaakt. Controleer het pad en de rechten.",
                         data_dir + ": " + ec.message());
  }
  KPO_RETURN_IF_ERROR(InitCrypto());
  AccountStoreOptions store_options;
  store_options.password = options.password;
  store_options.clock = options.clock;
  std::unique_ptr<AuthService> service(
      new AuthService((std::filesystem::path(data_dir) / AccountStore::kFileName).string(),
                      std::move(options), std::move(store_options)));
  auto dummy = HashPassword(RandomToken(), service->options_.password);
  if (!dummy.ok()) return dummy.status();
  service->dummy_hash_ = std::move(*dummy);
  // Open (and migrate) now, so a broken data dir fails at start-up rather
  // than at the first request.
  auto store = service->Store();
  if (!store.ok()) return store.status();
  return service;
}

AuthService::AuthService(std::string path, AuthOptions options, AccountStoreOptions store_options)
    : path_(std::move(path)),
      options_(std::move(options)),
      store_options_(std::move(store_options)) {}

AuthService::~AuthService() = default;

Principal AuthService::LocalAdministrator() {
  Principal p;
  p.role = Role::kAdmin;
  p.email = "kpo-admin";
  return p;
}

StatusOr<AccountStore*> AuthService::Store() {
  std::lock_guard<std::mutex> lock(stores_mu_);
  // A thread id may be reused after its thread ends; the new thread then
  // inherits the connection, which is fine: the old thread can no longer
  // use it.
  auto& slot = stores_[std::this_thread::get_id()];
  if (!slot) {
    auto store = AccountStore::Open(path_, store_options_);
    if (!store.ok()) {
      stores_.erase(std::this_thread::get_id());
      return store.status();
    }
    slot = std::move(*store);
  }
  return slot.get();
}

int64_t AuthService::Now() const { return options_.clock ? options_.clock() : SystemNow(); }

Status AuthService::Audit(AccountStore* store, const std::string& actor, const std::string& event,
                          const std::string& subject, const std::string& detail,
                          const std::string& address) {
  AuditEntry entry;
  entry.at = Now();
  entry.actor = actor;
  entry.event = event;
  entry.subject = subject;
  entry.detail = detail;
  entry.address = address;
  auto id = store->AppendAudit(entry);
  return id.ok() ? Status::Ok() : id.status();
}

// --- signing in -----------------------------------------------------------

Principal PrincipalOf(const User& user) {
  Principal p;
  p.role = user.role;
  p.user_id = user.id;
  p.email = user.email;
  p.name = user.name;
  p.groups = user.groups;
  p.werkplaatsen = user.werkplaatsen;
  return p;
}

const char* SessionStageName(SessionStage stage) {
  switch (stage) {
    case SessionStage::kAwaitingCode:
      return "code";
    case SessionStage::kMustEnrol:
      return "enrol";
    case SessionStage::kComplete:
      break;
  }
  return "none";
}

bool RoleNeedsSecondFactor(Role role) { return role == Role::kRedactie || role == Role::kAdmin; }

bool AuthService::NeedsSecondFactor(Role role) const {
  return options_.second_factor_required && RoleNeedsSecondFactor(role);
}

// --- limits on guessing -----------------------------------------------------

StatusOr<AuthService::PasswordAttempt> AuthService::ReservePasswordAttempt(
    AccountStore* store, const std::string& email, const std::string& address) {
  PasswordAttempt attempt;
  const int64_t now = Now();
  // A failure counts while it is younger than the window.
  const int64_t since = now - options_.failure_window + 1;
  // An address over its limit is not refused as a whole: behind one proxy
  // or NAT it is a whole organisation. Instead each account gets a single
  // wrong password from it per window, which still stops guessing across
  // many accounts and never touches colleagues who typed theirs right.
  attempt.address_account = address + " " + email;
  auto check = [&](const char* scope, const std::string& key, int limit) -> Status {
    auto times = store->LoginFailures(scope, key, since);
    if (!times.ok()) return times.status();
    attempt.wait = std::max(attempt.wait, WaitOver(*times, limit, options_.failure_window, now));
    return Status::Ok();
  };
  // The attempt is recorded as a failure in the transaction that counted
  // the earlier ones, and a right password takes it back (Release). An
  // attempt that then ends in a storage error stays counted: the limit errs
  // on the side of refusing.
  auto check_and_reserve = [&]() -> Status {
    KPO_RETURN_IF_ERROR(check(kScopeAccount, email, options_.account_failure_limit));
    auto address_failures = store->LoginFailures(kScopeAddress, address, since);
    if (!address_failures.ok()) return address_failures.status();
    if (address_failures->size() >= static_cast<size_t>(options_.address_failure_limit)) {
      KPO_RETURN_IF_ERROR(check(kScopeAddressAccount, attempt.address_account, 1));
    }
    if (attempt.wait > 0) return Status::Ok();  // refused: nothing to record
    auto account_row = store->RecordLoginFailure(kScopeAccount, email);
    if (!account_row.ok()) return account_row.status();
    auto address_row = store->RecordLoginFailure(kScopeAddress, address);
    if (!address_row.ok()) return address_row.status();
    attempt.address_row = *address_row;
    return store->RecordLoginFailure(kScopeAddressAccount, attempt.address_account).status();
  };
  KPO_RETURN_IF_ERROR(store->InTransaction(check_and_reserve));
  return attempt;
}

Status AuthService::ReleasePasswordAttempt(AccountStore* store, const std::string& email,
                                           const PasswordAttempt& attempt) {
  // A right password resets the account's count (this attempt's row with
  // it) and counts nothing against the address.
  KPO_RETURN_IF_ERROR(store->ClearLoginFailures(kScopeAccount, email));
  KPO_RETURN_IF_ERROR(store->ClearLoginFailures(kScopeAddressAccount, attempt.address_account));
  return store->ForgetLoginFailure(attempt.address_row);
}

StatusOr<int64_t> AuthService::ReserveCodeAttempt(AccountStore* store, int64_t user_id,
                                                  int64_t* wait) {
  *wait = 0;
  const std::string key = std::to_string(user_id);
  const int64_t now = Now();
  int64_t row = 0;
  KPO_RETURN_IF_ERROR(store->InTransaction([&]() -> Status {
    auto failures = store->LoginFailures(kScopeCode, key, now - options_.failure_window + 1);
    if (!failures.ok()) return failures.status();
    *wait = WaitOver(*failures, options_.code_failure_limit, options_.failure_window, now);
    if (*wait > 0) return Status::Ok();  // refused: nothing to record
    auto recorded = store->RecordLoginFailure(kScopeCode, key);
    if (!recorded.ok()) return recorded.status();
    row = *recorded;
    return Status::Ok();
  }));
  return row;
}

StatusOr<LoginResult> AuthService::Login(const std::string& email, const std::string& password,
                                         const std::string& address_in, int* retry_after,
                                         const std::string& user_agent) {
  if (retry_after != nullptr) *retry_after = 0;
  auto store_or = Store();
  if (!store_or.ok()) return store_or.status();
  AccountStore* store = *store_or;
  const std::string address = CleanText(address_in, 64);
  const int64_t now = Now();
  // Housekeeping rides on logins: they are rare enough to pay for it, and it
  // keeps the tables small without a background thread.
  KPO_RETURN_IF_ERROR(store->PurgeExpired(
      now - options_.idle_timeout, now - options_.absolute_timeout, now - options_.failure_window));
  auto pruned = PruneAudit();
  if (!pruned.ok()) return pruned.status();

  auto normal = NormalizeEmail(email);
  if (!normal.ok()) {
    KPO_RETURN_IF_ERROR(Audit(store, "anonymous", "login_rejected", "",
                              Json({{"reason", "invalid_email"}}), address));
    return normal.status();
  }
  if (password.size() > kMaxLoginPasswordBytes) {
    KPO_RETURN_IF_ERROR(Audit(store, "anonymous", "login_rejected", *normal,
                              Json({{"reason", "password_too_long"}}), address));
    return Status::Error(ErrorCode::kInvalidField,
                         "Het wachtwoord is te lang: hoogstens 200 tekens.");
  }

  // Refuse before verifying: the point of the limit is to stop guessing.
  auto attempt = ReservePasswordAttempt(store, *normal, address);
  if (!attempt.ok()) return attempt.status();
  if (attempt->wait > 0) {
    if (retry_after != nullptr) *retry_after = static_cast<int>(attempt->wait);
    KPO_RETURN_IF_ERROR(Audit(store, "anonymous", "login_rate_limited", *normal,
                              Json({{"retry_after", attempt->wait}}), address));
    return TooMany("mislukte inlogpogingen", attempt->wait);
  }

  auto user = store->GetUserByEmail(*normal);
  if (!user.ok() && !user.status().Is(ErrorCode::kUserNotFound)) return user.status();
  const bool known = user.ok();
  std::string hash = dummy_hash_;
  if (known) {
    auto stored = store->GetPasswordHash(user->id);
    if (!stored.ok()) return stored.status();
    hash = std::move(*stored);
  }
  // Always one full Argon2id run, also for unknown and disabled accounts, so
  // the response time does not tell which e-mail addresses exist.
  const bool match = VerifyPassword(hash, password);
  const char* reason = !known           ? "unknown_account"
                       : !match         ? "wrong_password"
                       : user->disabled ? "disabled"
                                        : nullptr;
  if (reason != nullptr) {
    // Already recorded as a failure above.
    KPO_RETURN_IF_ERROR(
        Audit(store, "anonymous", "login_failed", *normal, Json({{"reason", reason}}), address));
    return Status::Error(ErrorCode::kInvalidCredentials, kInvalidCredentialsMessage);
  }

  KPO_RETURN_IF_ERROR(ReleasePasswordAttempt(store, *normal, *attempt));
  if (NeedsRehash(hash, options_.password)) {
    // The cost settings changed since this hash was made: upgrade it while
    // we have the password. Failing to do so only postpones the upgrade, so
    // it does not fail the login (a password from before the current shape
    // rules, for one, cannot be re-stored).
    Status rehashed = store->SetPassword(user->id, password);
    (void)rehashed;
  }
  auto totp = store->GetTotp(user->id);
  if (!totp.ok()) return totp.status();
  SessionStage stage = SessionStage::kComplete;
  if (totp->has_value() && (*totp)->confirmed) {
    stage = SessionStage::kAwaitingCode;
  } else if (NeedsSecondFactor(user->role)) {
    stage = SessionStage::kMustEnrol;
  }
  auto session = store->CreateSession(user->id, stage, user_agent, address);
  if (!session.ok()) return session.status();
  KPO_RETURN_IF_ERROR(Audit(
      store, user->email, "login", user->email,
      stage == SessionStage::kComplete ? "" : Json({{"second_factor", SessionStageName(stage)}}),
      address));

  LoginResult result;
  result.principal = PrincipalOf(*user);
  result.session_id = std::move(session->id);
  result.csrf_token = std::move(session->csrf_token);
  result.max_age = options_.absolute_timeout;
  result.stage = stage;
  return result;
}

Status AuthService::Logout(const std::string& session_id, const std::string& address) {
  if (!IsWellFormedToken(session_id)) return Status::Ok();
  auto store_or = Store();
  if (!store_or.ok()) return store_or.status();
  AccountStore* store = *store_or;
  auto session = store->FindSession(session_id);
  if (!session.ok()) {
    return session.status().Is(ErrorCode::kAuthenticationRequired) ? Status::Ok()
                                                                   : session.status();
  }
  KPO_RETURN_IF_ERROR(store->DeleteSession(session_id));
  auto user = store->GetUserById(session->user_id);
  std::string actor = user.ok() ? user->email : "user:" + std::to_string(session->user_id);
  return Audit(store, actor, "logout", actor, "", CleanText(address, 64));
}

StatusOr<SessionInfo> AuthService::AuthenticateSession(const std::string& session_id,
                                                       bool allow_partial) {
  // Malformed ids are refused without a lookup: cheap for junk cookies.
  if (!IsWellFormedToken(session_id)) {
    return Status::Error(ErrorCode::kAuthenticationRequired, "Log in om verder te gaan.");
  }
  auto store_or = Store();
  if (!store_or.ok()) return store_or.status();
  AccountStore* store = *store_or;
  auto session = store->FindSession(session_id);
  if (!session.ok()) return session.status();
  const int64_t now = Now();
  const bool partial = session->stage != SessionStage::kComplete;
  if (now - session->last_seen >= options_.idle_timeout ||
      now - session->created_at >= options_.absolute_timeout ||
      (partial && now - session->created_at >= options_.sign_in_step_timeout)) {
    KPO_RETURN_IF_ERROR(store->DeleteSession(session_id));
    return SessionEnded();
  }
  // Read the account on every call, never from a cache: a disabled account
  // or a changed role must count from the very next request.
  auto user = store->GetUserById(session->user_id);
  if (!user.ok() && !user.status().Is(ErrorCode::kUserNotFound)) return user.status();
  if (!user.ok() || user->disabled) {
    KPO_RETURN_IF_ERROR(store->DeleteSession(session_id));
    return SessionEnded();
  }
  SessionStage stage = session->stage;
  // A complete session of a role that needs a second factor it lacks (one
  // from before the rule, or an account promoted or reset since) may only
  // enrol. Members pay no extra query.
  if (stage == SessionStage::kComplete && NeedsSecondFactor(user->role)) {
    auto totp = store->GetTotp(user->id);
    if (!totp.ok()) return totp.status();
    if (!totp->has_value() || !(*totp)->confirmed) stage = SessionStage::kMustEnrol;
  }
  if (!allow_partial && stage == SessionStage::kAwaitingCode) {
    return Status::Error(ErrorCode::kSecondFactorRequired,
                         "Vul eerst de code uit uw authenticator-app in om het inloggen af te "
                         "ronden.");
  }
  if (!allow_partial && stage == SessionStage::kMustEnrol) {
    return Status::Error(ErrorCode::kEnrolSecondFactor,
                         "Stel eerst tweestapsverificatie in: die is verplicht voor uw rol. Ga "
                         "naar Mijn account.");
  }
  if (now - session->last_seen >= kTouchInterval) {
    KPO_RETURN_IF_ERROR(store->TouchSession(session_id));
  }
  SessionInfo info;
  info.principal = PrincipalOf(*user);
  info.csrf_token = std::move(session->csrf_token);
  info.stage = stage;
  info.session_number = session->number;
  return info;
}

StatusOr<SessionInfo> AuthService::CompleteSignIn(const std::string& session_id,
                                                  const std::string& code,
                                                  const std::string& address_in, int* retry_after) {
  if (retry_after != nullptr) *retry_after = 0;
  auto info = AuthenticateSession(session_id, /*allow_partial=*/true);
  if (!info.ok()) return info.status();
  if (info->stage != SessionStage::kAwaitingCode) {
    return Status::Error(ErrorCode::kAuthenticationRequired,
                         "Er wacht geen inlogpoging op een code. Log opnieuw in.");
  }
  auto store_or = Store();
  if (!store_or.ok()) return store_or.status();
  AccountStore* store = *store_or;
  auto user = store->GetUserById(info->principal.user_id);
  if (!user.ok()) return user.status();
  const std::string address = CleanText(address_in, 64);
  const char* method = nullptr;
  KPO_RETURN_IF_ERROR(
      CheckCode(store, *user, code, /*allow_recovery=*/true, address, retry_after, &method));
  KPO_RETURN_IF_ERROR(store->SetSessionStage(session_id, SessionStage::kComplete));
  KPO_RETURN_IF_ERROR(Audit(store, user->email, "login_second_factor", user->email,
                            Json({{"method", method}}), address));
  info->stage = SessionStage::kComplete;
  return info;
}

StatusOr<Principal> AuthService::PrincipalOfUser(int64_t user_id) {
  auto store = Store();
  if (!store.ok()) return store.status();
  auto user = (*store)->GetUserById(user_id);
  if (!user.ok()) return user.status();
  if (user->disabled)
    return Status::Error(ErrorCode::kUserNotFound, "Deze gebruiker bestaat niet.");
  return PrincipalOf(*user);
}

Status AuthService::RecordEvent(const Principal& actor, const std::string& address,
                                const std::string& event, const std::string& subject,
                                const std::string& detail) {
  auto store = Store();
  if (!store.ok()) return store.status();
  return Audit(*store, actor.email, event, subject, detail, address);
}

StatusOr<Principal> AuthService::AuthenticateToken(const std::string& bearer,
                                                   const std::string& address) {
  if (!IsWellFormedToken(bearer)) {
    return Status::Error(ErrorCode::kInvalidToken,
                         "Dit token is ongeldig of ingetrokken. Vraag de beheerder om een nieuw.");
  }
  auto store_or = Store();
  if (!store_or.ok()) return store_or.status();
  AccountStore* store = *store_or;
  auto token = store->FindToken(bearer);
  if (!token.ok()) return token.status();
  const std::string name = "token:" + std::to_string(token->id);
  auto first_this_minute = store->MarkTokenUsed(token->id, kTokenAuditInterval);
  if (!first_this_minute.ok()) return first_this_minute.status();
  if (*first_this_minute) {
    KPO_RETURN_IF_ERROR(Audit(store, name, "token_used", name, Json({{"name", token->name}}),
                              CleanText(address, 64)));
  }
  Principal p;
  p.role = token->role;
  p.email = name;
  p.groups = token->groups;
  return p;
}

Status AuthService::CheckCsrf(const std::string& session_csrf_token,
                              const std::string& header_value) {
  if (session_csrf_token.empty() || header_value.empty() ||
      !SecretsEqual(session_csrf_token, header_value)) {
    return Status::Error(ErrorCode::kInvalidCsrfToken,
                         "Het beveiligingstoken (CSRF) ontbreekt of klopt niet. Laad de pagina "
                         "opnieuw en probeer het nog eens.");
  }
  return Status::Ok();
}

// --- second factor and sessions of one's own account ------------------------

StatusOr<AuthService::Target> AuthService::OwnAccount(const Principal& who) {
  if (who.user_id == 0) return NotForTokens();
  auto store = Store();
  if (!store.ok()) return store.status();
  auto user = (*store)->GetUserById(who.user_id);
  if (!user.ok()) return user.status();
  return Target{*store, std::move(*user)};
}

Status AuthService::CheckCode(AccountStore* store, const User& user, const std::string& code,
                              bool allow_recovery, const std::string& address, int* retry_after,
                              const char** method) {
  *method = nullptr;
  auto totp = store->GetTotp(user.id);
  if (!totp.ok()) return totp.status();
  if (!totp->has_value() || !(*totp)->confirmed) {
    return Status::Error(ErrorCode::kTotpNotEnrolled,
                         "Tweestapsverificatie staat niet aan voor dit account.");
  }
  int64_t wait = 0;
  auto reserved = ReserveCodeAttempt(store, user.id, &wait);
  if (!reserved.ok()) return reserved.status();
  if (wait > 0) {
    if (retry_after != nullptr) *retry_after = static_cast<int>(wait);
    KPO_RETURN_IF_ERROR(Audit(store, user.email, "second_factor_rate_limited", user.email,
                              Json({{"retry_after", wait}}), address));
    return TooMany("onjuiste codes", wait);
  }
  const char* reason = "wrong_code";
  if (auto step = MatchTotp((*totp)->secret, code, Now())) {
    auto accepted = store->AcceptTotpStep(user.id, *step);
    if (!accepted.ok()) return accepted.status();
    if (*accepted) {
      *method = "totp";
    } else {
      reason = "replayed_code";
    }
  } else if (allow_recovery) {
    const std::string normal = NormalizeRecoveryCode(code);
    if (!normal.empty()) {
      auto used = store->UseRecoveryCode(user.id, TokenHash(normal));
      if (!used.ok()) return used.status();
      if (*used) *method = "recovery_code";
    }
  }
  // A right code takes its reserved failure back; a wrong one stays counted.
  if (*method != nullptr) return store->ForgetLoginFailure(*reserved);
  KPO_RETURN_IF_ERROR(Audit(store, user.email, "second_factor_failed", user.email,
                            Json({{"reason", reason}}), address));
  return WrongCode(allow_recovery);
}

StatusOr<std::vector<std::string>> AuthService::NewRecoveryCodes(AccountStore* store,
                                                                 int64_t user_id, bool confirm_totp,
                                                                 int64_t step) {
  KPO_RETURN_IF_ERROR(InitCrypto());
  std::vector<std::string> codes;
  std::vector<std::string> hashes;
  for (int i = 0; i < kRecoveryCodes; ++i) {
    codes.push_back(NewRecoveryCode());
    hashes.push_back(TokenHash(NormalizeRecoveryCode(codes.back())));
  }
  if (confirm_totp) {
    KPO_RETURN_IF_ERROR(store->ConfirmTotp(user_id, step, hashes));
  } else {
    KPO_RETURN_IF_ERROR(store->ReplaceRecoveryCodes(user_id, hashes));
  }
  return codes;
}

StatusOr<SecondFactorState> AuthService::SecondFactor(const Principal& who) {
  auto own = OwnAccount(who);
  if (!own.ok()) return own.status();
  auto& [store, user] = *own;
  auto totp = store->GetTotp(user.id);
  if (!totp.ok()) return totp.status();
  SecondFactorState state;
  state.enrolled = totp->has_value() && (*totp)->confirmed;
  state.pending = totp->has_value() && !(*totp)->confirmed;
  state.required = NeedsSecondFactor(user.role);
  auto left = store->RecoveryCodesLeft(user.id);
  if (!left.ok()) return left.status();
  state.recovery_codes_left = *left;
  return state;
}

StatusOr<TotpEnrolment> AuthService::BeginTotp(const Principal& who, const std::string& address) {
  auto own = OwnAccount(who);
  if (!own.ok()) return own.status();
  auto& [store, user] = *own;
  auto secret = NewTotpSecret();
  if (!secret.ok()) return secret.status();
  KPO_RETURN_IF_ERROR(store->BeginTotp(user.id, *secret));
  KPO_RETURN_IF_ERROR(
      Audit(store, user.email, "totp_enrolment_started", user.email, "", CleanText(address, 64)));
  TotpEnrolment out;
  out.secret = Base32(*secret);
  out.uri = OtpauthUri(user.email, *secret);
  return out;
}

StatusOr<TotpEnrolment> AuthService::PendingTotp(const Principal& who) {
  auto own = OwnAccount(who);
  if (!own.ok()) return own.status();
  auto& [store, user] = *own;
  auto pending = PendingEnrolment(store, user.id);
  if (!pending.ok()) return pending.status();
  TotpEnrolment out;
  out.secret = Base32(pending->secret);
  out.uri = OtpauthUri(user.email, pending->secret);
  return out;
}

StatusOr<std::vector<std::string>> AuthService::ConfirmTotp(const Principal& who,
                                                            const std::string& address_in,
                                                            const std::string& code,
                                                            const std::string& session_id) {
  auto own = OwnAccount(who);
  if (!own.ok()) return own.status();
  auto& [store, user] = *own;
  const std::string address = CleanText(address_in, 64);
  auto pending = PendingEnrolment(store, user.id);
  if (!pending.ok()) return pending.status();
  int64_t wait = 0;
  auto reserved = ReserveCodeAttempt(store, user.id, &wait);
  if (!reserved.ok()) return reserved.status();
  if (wait > 0) return TooMany("onjuiste codes", wait);
  auto step = MatchTotp(pending->secret, code, Now());
  if (!step) {
    KPO_RETURN_IF_ERROR(Audit(store, user.email, "second_factor_failed", user.email,
                              Json({{"reason", "wrong_enrolment_code"}}), address));
    return WrongCode(false);
  }
  KPO_RETURN_IF_ERROR(store->ForgetLoginFailure(*reserved));
  auto codes = NewRecoveryCodes(store, user.id, /*confirm_totp=*/true, *step);
  if (!codes.ok()) return codes.status();
  if (!session_id.empty() && IsWellFormedToken(session_id)) {
    KPO_RETURN_IF_ERROR(store->SetSessionStage(session_id, SessionStage::kComplete));
  }
  KPO_RETURN_IF_ERROR(Audit(store, user.email, "totp_enrolled", user.email,
                            Json({{"recovery_codes", kRecoveryCodes}}), address));
  return codes;
}

Status AuthService::DisableTotp(const Principal& who, const std::string& address_in,
                                const std::string& code) {
  auto own = OwnAccount(who);
  if (!own.ok()) return own.status();
  auto& [store, user] = *own;
  if (NeedsSecondFactor(user.role)) {
    return Status::Error(ErrorCode::kForbidden,
                         "Voor uw rol is tweestapsverificatie verplicht. Een beheerder kan haar "
                         "resetten als u uw app kwijt bent.");
  }
  const std::string address = CleanText(address_in, 64);
  const char* method = nullptr;
  KPO_RETURN_IF_ERROR(CheckCode(store, user, code, true, address, nullptr, &method));
  auto removed = store->DeleteTotp(user.id);
  if (!removed.ok()) return removed.status();
  return Audit(store, user.email, "totp_disabled", user.email, Json({{"method", method}}), address);
}

StatusOr<std::vector<std::string>> AuthService::RenewRecoveryCodes(const Principal& who,
                                                                   const std::string& address_in,
                                                                   const std::string& code) {
  auto own = OwnAccount(who);
  if (!own.ok()) return own.status();
  auto& [store, user] = *own;
  const std::string address = CleanText(address_in, 64);
  const char* method = nullptr;
  // Only the app's code: whoever holds one old recovery code must not be
  // able to mint ten new ones.
  KPO_RETURN_IF_ERROR(CheckCode(store, user, code, false, address, nullptr, &method));
  auto codes = NewRecoveryCodes(store, user.id, /*confirm_totp=*/false, 0);
  if (!codes.ok()) return codes.status();
  KPO_RETURN_IF_ERROR(Audit(store, user.email, "recovery_codes_renewed", user.email, "", address));
  return codes;
}

StatusOr<std::vector<Session>> AuthService::ListSessions(const Principal& who) {
  auto own = OwnAccount(who);
  if (!own.ok()) return own.status();
  auto& [store, user] = *own;
  return store->ListSessions(user.id);
}

Status AuthService::EndSession(const Principal& who, const std::string& address, int64_t number) {
  auto own = OwnAccount(who);
  if (!own.ok()) return own.status();
  auto& [store, user] = *own;
  KPO_RETURN_IF_ERROR(store->DeleteSessionOf(user.id, number));
  return Audit(store, user.email, "session_ended", user.email, Json({{"session", number}}),
               CleanText(address, 64));
}

StatusOr<int64_t> AuthService::EndAllSessions(const Principal& who, const std::string& address) {
  auto own = OwnAccount(who);
  if (!own.ok()) return own.status();
  auto& [store, user] = *own;
  auto ended = store->DeleteSessionsOf(user.id);
  if (!ended.ok()) return ended.status();
  KPO_RETURN_IF_ERROR(Audit(store, user.email, "sessions_ended", user.email,
                            Json({{"count", *ended}}), CleanText(address, 64)));
  return ended;
}

StatusOr<int64_t> AuthService::ChangePassword(const Principal& who, const std::string& address_in,
                                              const PasswordChange& change, int64_t keep_session,
                                              int* retry_after) {
  if (retry_after != nullptr) *retry_after = 0;
  auto own = OwnAccount(who);
  if (!own.ok()) return own.status();
  auto& [store, user] = *own;
  const std::string address = CleanText(address_in, 64);
  // The cheap checks of the new password first: a typo there costs no
  // Argon2id run and no failed attempt.
  if (change.new_password != change.repeat) {
    return Status::Error(ErrorCode::kPasswordMismatch,
                         "De twee nieuwe wachtwoorden zijn niet gelijk. Typ het nieuwe wachtwoord "
                         "twee keer hetzelfde.");
  }
  KPO_RETURN_IF_ERROR(ValidatePassword(change.new_password));
  // Compared as typed, before anything is checked: it tells nothing about
  // the stored password. A "change" to the same one would end every other
  // session and leave a stranger's knowledge of it intact.
  if (change.new_password == change.current) {
    return Status::Error(ErrorCode::kInvalidField,
                         "Het nieuwe wachtwoord is gelijk aan het huidige. Kies een ander "
                         "wachtwoord.");
  }
  // The limits of Login, under the same keys and in the same one step:
  // whoever holds a session must not get more guesses at the password than
  // the sign-in form gives.
  auto attempt = ReservePasswordAttempt(store, user.email, address);
  if (!attempt.ok()) return attempt.status();
  if (attempt->wait > 0) {
    if (retry_after != nullptr) *retry_after = static_cast<int>(attempt->wait);
    KPO_RETURN_IF_ERROR(Audit(store, user.email, "password_change_rate_limited", user.email,
                              Json({{"retry_after", attempt->wait}}), address));
    return TooMany("onjuiste wachtwoorden", attempt->wait);
  }
  auto hash = store->GetPasswordHash(user.id);
  if (!hash.ok()) return hash.status();
  // An over-long value cannot be a stored password: refused without
  // hashing it, but counted (already, above) like any wrong one.
  if (change.current.size() > kMaxLoginPasswordBytes || !VerifyPassword(*hash, change.current)) {
    KPO_RETURN_IF_ERROR(Audit(store, user.email, "password_change_failed", user.email,
                              Json({{"reason", "wrong_password"}}), address));
    return Status::Error(ErrorCode::kCurrentPassword,
                         "Het huidige wachtwoord klopt niet. Vul het wachtwoord in waarmee u nu "
                         "inlogt.");
  }
  KPO_RETURN_IF_ERROR(ReleasePasswordAttempt(store, user.email, *attempt));
  auto ended = store->ChangePassword(user.id, change.new_password, *hash, keep_session);
  if (!ended.ok()) return ended.status();
  KPO_RETURN_IF_ERROR(Audit(store, user.email, "password_changed", user.email,
                            Json({{"sessions_ended", *ended}}), address));
  return ended;
}

StatusOr<int64_t> AuthService::PruneAudit() {
  if (options_.audit_retention <= 0) return int64_t{0};
  auto store = Store();
  if (!store.ok()) return store.status();
  auto pruned = (*store)->PruneAudit(Now() - options_.audit_retention);
  if (!pruned.ok()) return pruned.status();
  if (*pruned > 0) {
    KPO_RETURN_IF_ERROR(Audit(*store, "kpo", "audit_pruned", "",
                              Json({{"count", *pruned}, {"retention", options_.audit_retention}}),
                              ""));
  }
  return pruned;
}

// --- administration -------------------------------------------------------

Status AuthService::RequireAdmin(AccountStore* store, const Principal& caller,
                                 const std::string& address, const char* operation) {
  if (caller.role == Role::kAdmin) return Status::Ok();
  KPO_RETURN_IF_ERROR(Audit(store, ActorOf(caller), "forbidden", operation,
                            Json({{"role", RoleName(caller.role)}}), CleanText(address, 64)));
  return Status::Error(ErrorCode::kForbidden, "Alleen beheerders mogen dit doen.");
}

Status AuthService::CheckAllowed(const std::vector<std::string>& groups,
                                 const std::vector<std::string>& werkplaatsen) const {
  // Keys reaching here passed NormalizeKeys, so echoing them is safe.
  if (options_.allowed_groups) {
    for (const auto& g : groups) {
      if (options_.allowed_groups->count(g) == 0) {
        return Status::Error(
            ErrorCode::kInvalidField,
            "Onbekende groep '" + g + "'. Kies een partnergroep uit het vocabulaire.");
      }
    }
  }
  if (options_.allowed_werkplaatsen) {
    for (const auto& w : werkplaatsen) {
      if (options_.allowed_werkplaatsen->count(w) == 0) {
        return Status::Error(
            ErrorCode::kInvalidField,
            "Onbekende werkplaats '" + w + "'. Kies een werkplaats uit het vocabulaire.");
      }
    }
  }
  return Status::Ok();
}

StatusOr<User> AuthService::CreateUserAudited(AccountStore* store, const std::string& actor,
                                              const std::string& address,
                                              const NewUserRequest& request) {
  NewUser user;
  if (!ParseRole(request.role, &user.role)) return UnknownRole();
  auto groups = NormalizeKeys(request.groups, "groep");
  if (!groups.ok()) return groups.status();
  auto werkplaatsen = NormalizeKeys(request.werkplaatsen, "werkplaats");
  if (!werkplaatsen.ok()) return werkplaatsen.status();
  KPO_RETURN_IF_ERROR(CheckAllowed(*groups, *werkplaatsen));
  user.email = request.email;
  user.name = request.name;
  user.groups = std::move(*groups);
  user.werkplaatsen = std::move(*werkplaatsen);
  auto created = store->CreateUser(user, request.password);
  if (!created.ok()) return created.status();
  KPO_RETURN_IF_ERROR(Audit(store, actor, "user_created", created->email,
                            Json({{"role", RoleName(created->role)},
                                  {"groups", created->groups},
                                  {"werkplaatsen", created->werkplaatsen}}),
                            CleanText(address, 64)));
  return created;
}

StatusOr<User> AuthService::AddUser(const Principal& caller, const std::string& address,
                                    const NewUserRequest& request) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, "user_add"));
  return CreateUserAudited(*store, ActorOf(caller), address, request);
}

StatusOr<std::vector<User>> AuthService::ListUsers(const Principal& caller,
                                                   const std::string& address) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, "user_list"));
  auto users = (*store)->ListUsers();
  if (!users.ok()) return users.status();
  KPO_RETURN_IF_ERROR(Audit(*store, ActorOf(caller), "users_listed", "",
                            Json({{"count", users->size()}}), CleanText(address, 64)));
  return users;
}

StatusOr<User> AuthService::GetUser(const Principal& caller, const std::string& address,
                                    const std::string& email) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, "user_get"));
  auto user = (*store)->GetUserByEmail(email);
  if (!user.ok()) return user.status();
  KPO_RETURN_IF_ERROR(
      Audit(*store, ActorOf(caller), "user_viewed", user->email, "", CleanText(address, 64)));
  return user;
}

StatusOr<User> AuthService::SetUserDisabled(const Principal& caller, const std::string& address,
                                            int64_t user_id, bool disabled) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, "user_disable"));
  // An admin who locks themselves out needs another admin or shell access to
  // get back in; refuse rather than surprise.
  if (disabled && caller.user_id != 0 && caller.user_id == user_id) {
    return Status::Error(ErrorCode::kInvalidField, "U kunt uw eigen account niet blokkeren.");
  }
  KPO_RETURN_IF_ERROR((*store)->SetDisabled(user_id, disabled));
  auto user = (*store)->GetUserById(user_id);
  if (!user.ok()) return user.status();
  KPO_RETURN_IF_ERROR(Audit(*store, ActorOf(caller), disabled ? "user_disabled" : "user_enabled",
                            user->email, "", CleanText(address, 64)));
  return user;
}

StatusOr<User> AuthService::SetUserRole(const Principal& caller, const std::string& address,
                                        int64_t user_id, const std::string& role_name) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, "user_set_role"));
  Role role = Role::kAnonymous;
  if (!ParseRole(role_name, &role)) return UnknownRole();
  if (role != Role::kAdmin && caller.user_id != 0 && caller.user_id == user_id) {
    return Status::Error(
        ErrorCode::kInvalidField,
        "U kunt uw eigen beheerdersrol niet afnemen. Laat een andere beheerder dit doen.");
  }
  auto before = (*store)->GetUserById(user_id);
  if (!before.ok()) return before.status();
  auto user = (*store)->SetRoleAndGroups(user_id, role, std::nullopt, std::nullopt);
  if (!user.ok()) return user.status();
  KPO_RETURN_IF_ERROR(Audit(*store, ActorOf(caller), "user_role_changed", user->email,
                            Json({{"from", RoleName(before->role)}, {"to", RoleName(role)}}),
                            CleanText(address, 64)));
  return user;
}

StatusOr<User> AuthService::SetUserGroups(const Principal& caller, const std::string& address,
                                          int64_t user_id, const std::vector<std::string>& groups,
                                          const std::vector<std::string>& werkplaatsen) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, "user_set_groups"));
  auto normal_groups = NormalizeKeys(groups, "groep");
  if (!normal_groups.ok()) return normal_groups.status();
  auto normal_werkplaatsen = NormalizeKeys(werkplaatsen, "werkplaats");
  if (!normal_werkplaatsen.ok()) return normal_werkplaatsen.status();
  KPO_RETURN_IF_ERROR(CheckAllowed(*normal_groups, *normal_werkplaatsen));
  auto user =
      (*store)->SetRoleAndGroups(user_id, std::nullopt, *normal_groups, *normal_werkplaatsen);
  if (!user.ok()) return user.status();
  KPO_RETURN_IF_ERROR(Audit(*store, ActorOf(caller), "user_groups_changed", user->email,
                            Json({{"groups", user->groups}, {"werkplaatsen", user->werkplaatsen}}),
                            CleanText(address, 64)));
  return user;
}

StatusOr<CreatedToken> AuthService::CreateToken(const Principal& caller, const std::string& address,
                                                const std::string& name,
                                                const std::string& role_name,
                                                const std::vector<std::string>& groups) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, "token_create"));
  Role role = Role::kAnonymous;
  if (!ParseRole(role_name, &role)) return UnknownRole();
  auto normal_groups = NormalizeKeys(groups, "groep");
  if (!normal_groups.ok()) return normal_groups.status();
  KPO_RETURN_IF_ERROR(CheckAllowed(*normal_groups, {}));
  auto token = (*store)->CreateToken(name, role, *normal_groups, ActorOf(caller));
  if (!token.ok()) return token.status();
  KPO_RETURN_IF_ERROR(Audit(
      *store, ActorOf(caller), "token_created", "token:" + std::to_string(token->id),
      Json({{"name", CleanText(name, 300)}, {"role", RoleName(role)}, {"groups", *normal_groups}}),
      CleanText(address, 64)));
  CreatedToken out;
  out.id = token->id;
  out.token = std::move(token->token);
  return out;
}

Status AuthService::RevokeToken(const Principal& caller, const std::string& address,
                                int64_t token_id) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, "token_revoke"));
  KPO_RETURN_IF_ERROR((*store)->RevokeToken(token_id));
  return Audit(*store, ActorOf(caller), "token_revoked", "token:" + std::to_string(token_id), "",
               CleanText(address, 64));
}

StatusOr<std::vector<ApiToken>> AuthService::ListTokens(const Principal& caller,
                                                        const std::string& address) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, "token_list"));
  auto tokens = (*store)->ListTokens();
  if (!tokens.ok()) return tokens.status();
  KPO_RETURN_IF_ERROR(Audit(*store, ActorOf(caller), "tokens_listed", "",
                            Json({{"count", tokens->size()}}), CleanText(address, 64)));
  return tokens;
}

StatusOr<AuditPage> AuthService::ListAudit(const Principal& caller, const std::string& address,
                                           int64_t page, int64_t size) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, "audit_list"));
  // Reading the log is not itself logged: each reading would shift the
  // pages under the reader. The request log records who called it.
  return (*store)->ListAudit(page, size);
}

StatusOr<AuthService::Target> AuthService::AdminTarget(const Principal& caller,
                                                       const std::string& address,
                                                       const char* operation, int64_t user_id) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, operation));
  auto user = (*store)->GetUserById(user_id);
  if (!user.ok()) return user.status();
  return Target{*store, std::move(*user)};
}

Status AuthService::ResetSecondFactor(const Principal& caller, const std::string& address,
                                      int64_t user_id) {
  auto target = AdminTarget(caller, address, "second_factor_reset", user_id);
  if (!target.ok()) return target.status();
  auto& [store, user] = *target;
  auto removed = store->DeleteTotp(user_id);
  if (!removed.ok()) return removed.status();
  if (!*removed) {
    return Status::Error(ErrorCode::kTotpNotEnrolled,
                         "Dit account heeft geen tweestapsverificatie.");
  }
  // Whoever holds the lost phone may be signed in: those sessions end too.
  auto ended = store->DeleteSessionsOf(user_id);
  if (!ended.ok()) return ended.status();
  return Audit(store, ActorOf(caller), "second_factor_reset", user.email,
               Json({{"sessions_ended", *ended}}), CleanText(address, 64));
}

StatusOr<std::vector<Session>> AuthService::ListUserSessions(const Principal& caller,
                                                             const std::string& address,
                                                             int64_t user_id) {
  auto target = AdminTarget(caller, address, "user_sessions", user_id);
  if (!target.ok()) return target.status();
  auto& [store, user] = *target;
  KPO_RETURN_IF_ERROR(Audit(store, ActorOf(caller), "user_sessions_viewed", user.email, "",
                            CleanText(address, 64)));
  return store->ListSessions(user_id);
}

StatusOr<int64_t> AuthService::EndUserSessions(const Principal& caller, const std::string& address,
                                               int64_t user_id) {
  auto target = AdminTarget(caller, address, "user_sessions_end", user_id);
  if (!target.ok()) return target.status();
  auto& [store, user] = *target;
  auto ended = store->DeleteSessionsOf(user_id);
  if (!ended.ok()) return ended.status();
  KPO_RETURN_IF_ERROR(Audit(store, ActorOf(caller), "user_sessions_ended", user.email,
                            Json({{"count", *ended}}), CleanText(address, 64)));
  return ended;
}

StatusOr<AccountData> AuthService::ExportUser(const Principal& caller, const std::string& address,
                                              int64_t user_id) {
  auto store = Store();
  if (!store.ok()) return store.status();
  KPO_RETURN_IF_ERROR(RequireAdmin(*store, caller, address, "user_export"));
  // Read before the export is audited, so the export does not contain
  // its own line; the audit line then says who took it.
  auto data = (*store)->ExportAccount(user_id);
  if (!data.ok()) return data.status();
  KPO_RETURN_IF_ERROR(Audit(*store, ActorOf(caller), "user_exported", data->user.email, "",
                            CleanText(address, 64)));
  return data;
}

Status AuthService::DeleteUser(const Principal& caller, const std::string& address, int64_t user_id,
                               const std::function<Status(const Principal&)>& before) {
  auto target = AdminTarget(caller, address, "user_delete", user_id);
  if (!target.ok()) return target.status();
  auto& [store, user] = *target;
  if (caller.user_id != 0 && caller.user_id == user_id) {
    return Status::Error(ErrorCode::kInvalidField,
                         "U kunt uw eigen account niet verwijderen. Laat een andere beheerder dit "
                         "doen.");
  }
  if (before) KPO_RETURN_IF_ERROR(before(PrincipalOf(user)));
  // The pseudonym keeps one former account's entries together for an
  // auditor without saying whose they were. A later account may get the
  // same number, but its entries carry its e-mail, never this pseudonym.
  const std::string pseudonym = "verwijderd:" + std::to_string(user_id);
  AuditEntry entry;
  entry.at = Now();
  entry.actor = ActorOf(caller);
  entry.event = "user_deleted";
  entry.subject = pseudonym;
  entry.address = CleanText(address, 64);
  auto renamed = store->DeleteAccount(user_id, pseudonym, entry);
  return renamed.ok() ? Status::Ok() : renamed.status();
}

// --- demo -----------------------------------------------------------------

StatusOr<std::vector<DemoAccount>> AuthService::SeedDemo() {
  struct Spec {
    const char* email;
    const char* name;
    const char* role;
    std::vector<std::string> groups;
    std::vector<std::string> werkplaatsen;
  };
  const Spec specs[] = {
      {"member@demo.kpo.nl", "Demo Lid Gemeenten", "member", {"gemeenten"}, {}},
      {"member-politie@demo.kpo.nl", "Demo Lid Politie en OM", "member", {"om", "politie"}, {}},
      {"editor@demo.kpo.nl", "Demo Redacteur Werkplaats Bibob", "editor", {"gemeenten"}, {"bibob"}},
      {"redactie@demo.kpo.nl", "Demo Redactie", "redactie", {}, {}},
      {"academie@demo.kpo.nl", "Demo Academie", "academie", {}, {}},
      {"admin@demo.kpo.nl", "Demo Beheerder", "admin", {}, {}},
  };
  auto store = Store();
  if (!store.ok()) return store.status();
  std::vector<DemoAccount> out;
  for (const auto& spec : specs) {
    DemoAccount account;
    account.email = spec.email;
    account.role = spec.role;
    account.groups = spec.groups;
    account.werkplaatsen = spec.werkplaatsen;
    auto existing = (*store)->GetUserByEmail(spec.email);
    if (existing.ok()) {
      account.existed = true;
      account.role = RoleName(existing->role);
      account.groups = existing->groups;
      account.werkplaatsen = existing->werkplaatsen;
      out.push_back(std::move(account));
      continue;
    }
    if (!existing.status().Is(ErrorCode::kUserNotFound)) return existing.status();
    NewUserRequest request;
    request.email = spec.email;
    request.name = spec.name;
    request.role = spec.role;
    request.groups = spec.groups;
    request.werkplaatsen = spec.werkplaatsen;
    // 96 random bits as 24 hex characters: strong, and easy to type in a demo.
    request.password = RandomHex(12);
    auto created = CreateUserAudited(*store, "seed-demo", "", request);
    if (created.ok()) {
      account.password = request.password;
    } else if (created.status().Is(ErrorCode::kUserExists)) {
      account.existed = true;  // created by a concurrent SeedDemo
    } else {
      return created.status();
    }
    out.push_back(std::move(account));
  }
  return out;
}

}  // namespace kpo::access

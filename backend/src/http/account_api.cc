// One's own account and the privacy routes (issue 13, auth): the second
// step of signing in, TOTP enrolment and recovery codes, the session list,
// and for admins: resetting a second factor, ending a user's sessions, a
// member's data export and deletion. Thin handlers over access::AuthService
// (and academy::Academy for the enrolments in an export). Owns: these
// paths, their parameter names and JSON. May not touch: SQL, access rules.
#include "academy/academy.h"
#include "http/api.h"
#include "http/api_json.h"
#include "http/caller.h"

namespace kpo::http {

namespace {

using access::AuthService;
using access::SessionStage;
using nlohmann::json;

Reply NoStore(Reply r) {
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// The caller of a route that also serves sessions half-way through signing
// in: `enrol` lets a session that must enrol through (the enrolment routes
// and the account overview); a session waiting for its code gets only the
// code route and logout. Bearer tokens and anonymous callers go through
// Identify as everywhere else. `write`: CSRF for cookie sessions.
struct AccountCaller {
  Caller caller;
  std::string session_id;  // the raw cookie value, "" for tokens
  SessionStage stage = SessionStage::kComplete;
  int64_t session_number = 0;  // marks "current" in the session list
};

StatusOr<AccountCaller> IdentifyAccount(AuthService* auth, const Request& req, bool write,
                                        bool enrol, bool awaiting_code = false) {
  AccountCaller out;
  auto cookie = req.cookies.find(kSessionCookie);
  if (req.Header("authorization").empty() && cookie != req.cookies.end() &&
      !cookie->second.empty()) {
    auto session = auth->AuthenticateSession(cookie->second, /*allow_partial=*/true);
    if (!session.ok()) return session.status();
    out.session_id = cookie->second;
    out.stage = session->stage;
    out.session_number = session->session_number;
    out.caller.principal = session->principal;
    out.caller.csrf_token = session->csrf_token;
    out.caller.via_cookie = true;
    if (out.stage == SessionStage::kAwaitingCode && !awaiting_code) {
      return Status::Error(ErrorCode::kSecondFactorRequired,
                           "Vul eerst de code uit uw authenticator-app in.");
    }
    if (out.stage == SessionStage::kMustEnrol && !enrol) {
      return Status::Error(ErrorCode::kEnrolSecondFactor,
                           "Stel eerst tweestapsverificatie in: die is verplicht voor uw rol.");
    }
  } else {
    auto caller = Identify(auth, req);
    if (!caller.ok()) return caller.status();
    out.caller = std::move(*caller);
  }
  if (!out.caller.principal.authenticated()) {
    return Status::Error(ErrorCode::kAuthenticationRequired, "Log eerst in.");
  }
  if (write) KPO_RETURN_IF_ERROR(CheckCsrf(auth, out.caller, req));
  return out;
}

template <typename Fn>
Reply WithAccount(AuthService* auth, const Request& req, bool write, bool enrol, Fn fn) {
  auto who = IdentifyAccount(auth, req, write, enrol);
  if (!who.ok()) return ErrorReply(who.status(), req.request_id);
  return fn(*who);
}

// The "code" field of a JSON body. Errors: kUnsupportedMediaType,
// kInvalidJson, kInvalidField.
StatusOr<std::string> CodeField(const Request& req) {
  auto body = ParseJsonBody(req);
  if (!body.ok()) return body.status();
  KPO_RETURN_IF_ERROR(OnlyFields(*body, {"code"}));
  return StringField(*body, "code");
}

// The body of POST /api/account/password. Errors: kUnsupportedMediaType,
// kInvalidJson, kInvalidField (a field that is not a string; an absent
// field is "", which the service refuses).
StatusOr<access::PasswordChange> PasswordChangeBody(const Request& req) {
  auto body = ParseJsonBody(req);
  if (!body.ok()) return body.status();
  KPO_RETURN_IF_ERROR(
      OnlyFields(*body, {"current_password", "new_password", "new_password_repeat"}));
  access::PasswordChange change;
  for (auto [name, field] : {std::pair{"current_password", &change.current},
                             std::pair{"new_password", &change.new_password},
                             std::pair{"new_password_repeat", &change.repeat}}) {
    auto value = StringField(*body, name);
    if (!value.ok()) return value.status();
    *field = std::move(*value);
  }
  return change;
}

// The {id} path parameter as a user or session number.
bool PathId(const Request& req, int64_t* id) { return ParseId(req.params.at("id"), id); }

Reply UnknownUser(const Request& req) {
  return ErrorReply(Status::Error(ErrorCode::kUserNotFound, "Deze gebruiker bestaat niet."),
                    req.request_id);
}

json SessionJson(const access::Session& s, int64_t current) {
  return {{"id", s.number},
          {"created_at", s.created_at},
          {"last_seen", s.last_seen},
          {"user_agent", s.user_agent},
          {"address", s.address},
          {"complete", s.stage == SessionStage::kComplete},
          {"current", s.number == current}};
}

json SessionsJson(const std::vector<access::Session>& sessions, int64_t current) {
  json out = json::array();
  for (const auto& s : sessions) out.push_back(SessionJson(s, current));
  return out;
}

json SecondFactorJson(const access::SecondFactorState& s) {
  return {{"enrolled", s.enrolled},
          {"pending", s.pending},
          {"required", s.required},
          {"recovery_codes_left", s.recovery_codes_left}};
}

json AuditEntryJson(const access::AuditEntry& e) {
  json detail = json::parse(e.detail.empty() ? "{}" : e.detail, nullptr, false);
  return {{"id", e.id},
          {"at", e.at},
          {"actor", e.actor},
          {"event", e.event},
          {"subject", e.subject},
          {"address", e.address},
          {"detail", detail.is_discarded() ? json::object() : detail}};
}

// The enrolments of the exported account, as the academy shows them to
// the member themselves.
StatusOr<json> EnrolmentsJson(academy::Academy* academy, const access::User& user) {
  json out = json::array();
  if (academy == nullptr) return out;
  auto mine = academy->MyEnrolments(access::PrincipalOf(user));
  if (!mine.ok()) return mine.status();
  for (const auto& e : *mine) {
    out.push_back({{"course", e.course.item.id},
                   {"title", e.course.item.title},
                   {"session", e.session.session.id},
                   {"start", e.session.start_local},
                   {"status", e.session.mine ? e.session.mine->state : std::string()}});
  }
  return out;
}

}  // namespace

void AddAccountRoutes(Router* router, const ApiDeps& deps) {
  AuthService* auth = deps.auth;
  academy::Academy* academy = deps.academy;

  // --- the second step of signing in ------------------------------------
  router->Add("POST", "/api/auth/login/code", [auth](const Request& req) {
    auto who = IdentifyAccount(auth, req, /*write=*/true, /*enrol=*/false, /*awaiting_code=*/true);
    if (!who.ok()) return ErrorReply(who.status(), req.request_id);
    auto code = CodeField(req);
    if (!code.ok()) return ErrorReply(code.status(), req.request_id);
    int retry_after = 0;
    auto done = auth->CompleteSignIn(who->session_id, *code, req.remote_address, &retry_after);
    if (!done.ok()) {
      Reply r = ErrorReply(done.status(), req.request_id);
      if (retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after));
      return r;
    }
    return NoStore(JsonReply(200, {{"user", PrincipalJson(done->principal)},
                                   {"csrf_token", done->csrf_token},
                                   {"second_factor", "none"}}));
  });

  // Logout also ends a session half-way through signing in.
  router->Add("POST", "/api/auth/logout", [auth](const Request& req) {
    auto who = IdentifyAccount(auth, req, /*write=*/true, /*enrol=*/true, /*awaiting_code=*/true);
    if (!who.ok()) return ErrorReply(who.status(), req.request_id);
    if (!who->session_id.empty()) {
      Status s = auth->Logout(who->session_id, req.remote_address);
      if (!s.ok()) return ErrorReply(s, req.request_id);
    }
    Reply r = JsonReply(200, {{"ok", true}});
    r.headers.emplace_back("Set-Cookie", SessionCookie("", 0, req.secure));
    return r;
  });

  // --- one's own account ---------------------------------------------------
  router->Add("GET", "/api/account", [auth](const Request& req) {
    return WithAccount(auth, req, false, true, [&](const AccountCaller& who) {
      auto state = auth->SecondFactor(who.caller.principal);
      if (!state.ok()) return ErrorReply(state.status(), req.request_id);
      return NoStore(JsonReply(200, {{"user", PrincipalJson(who.caller.principal)},
                                     {"session_stage", access::SessionStageName(who.stage)},
                                     {"second_factor", SecondFactorJson(*state)}}));
    });
  });

  router->Add("POST", "/api/account/totp", [auth](const Request& req) {
    return WithAccount(auth, req, true, true, [&](const AccountCaller& who) {
      auto enrolment = auth->BeginTotp(who.caller.principal, req.remote_address);
      if (!enrolment.ok()) return ErrorReply(enrolment.status(), req.request_id);
      return NoStore(JsonReply(201, {{"secret", enrolment->secret}, {"uri", enrolment->uri}}));
    });
  });

  router->Add("POST", "/api/account/totp/confirm", [auth](const Request& req) {
    return WithAccount(auth, req, true, true, [&](const AccountCaller& who) {
      auto code = CodeField(req);
      if (!code.ok()) return ErrorReply(code.status(), req.request_id);
      auto codes =
          auth->ConfirmTotp(who.caller.principal, req.remote_address, *code, who.session_id);
      if (!codes.ok()) return ErrorReply(codes.status(), req.request_id);
      return NoStore(JsonReply(200, {{"recovery_codes", *codes}}));
    });
  });

  router->Add("POST", "/api/account/totp/disable", [auth](const Request& req) {
    return WithAccount(auth, req, true, false, [&](const AccountCaller& who) {
      auto code = CodeField(req);
      if (!code.ok()) return ErrorReply(code.status(), req.request_id);
      Status s = auth->DisableTotp(who.caller.principal, req.remote_address, *code);
      if (!s.ok()) return ErrorReply(s, req.request_id);
      return JsonReply(200, {{"ok", true}});
    });
  });

  router->Add("POST", "/api/account/recovery-codes", [auth](const Request& req) {
    return WithAccount(auth, req, true, false, [&](const AccountCaller& who) {
      auto code = CodeField(req);
      if (!code.ok()) return ErrorReply(code.status(), req.request_id);
      auto codes = auth->RenewRecoveryCodes(who.caller.principal, req.remote_address, *code);
      if (!codes.ok()) return ErrorReply(codes.status(), req.request_id);
      return NoStore(JsonReply(200, {{"recovery_codes", *codes}}));
    });
  });

  router->Add("GET", "/api/account/sessions", [auth](const Request& req) {
    return WithAccount(auth, req, false, false, [&](const AccountCaller& who) {
      auto sessions = auth->ListSessions(who.caller.principal);
      if (!sessions.ok()) return ErrorReply(sessions.status(), req.request_id);
      return NoStore(JsonReply(200, {{"sessions", SessionsJson(*sessions, who.session_number)}}));
    });
  });

  router->Add("DELETE", "/api/account/sessions/{id}", [auth](const Request& req) {
    return WithAccount(auth, req, true, false, [&](const AccountCaller& who) {
      int64_t id = 0;
      if (!PathId(req, &id)) {
        return ErrorReply(
            Status::Error(ErrorCode::kUserSessionNotFound, "Deze sessie bestaat niet (meer)."),
            req.request_id);
      }
      Status s = auth->EndSession(who.caller.principal, req.remote_address, id);
      if (!s.ok()) return ErrorReply(s, req.request_id);
      return JsonReply(200, {{"ok", true}});
    });
  });

  // A new password; the other sessions end, this one stays (a stranger's
  // session is the usual reason to change it).
  router->Add("POST", "/api/account/password", [auth](const Request& req) {
    return WithAccount(auth, req, true, false, [&](const AccountCaller& who) {
      auto change = PasswordChangeBody(req);
      if (!change.ok()) return ErrorReply(change.status(), req.request_id);
      int retry_after = 0;
      auto ended = auth->ChangePassword(who.caller.principal, req.remote_address, *change,
                                        who.session_number, &retry_after);
      if (!ended.ok()) {
        Reply r = ErrorReply(ended.status(), req.request_id);
        if (retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after));
        return r;
      }
      return JsonReply(200, {{"ok", true}, {"sessions_ended", *ended}});
    });
  });

  // Sign out everywhere: this session too, so the cookie goes as well.
  router->Add("POST", "/api/account/sessions/end-all", [auth](const Request& req) {
    return WithAccount(auth, req, true, false, [&](const AccountCaller& who) {
      auto ended = auth->EndAllSessions(who.caller.principal, req.remote_address);
      if (!ended.ok()) return ErrorReply(ended.status(), req.request_id);
      Reply r = JsonReply(200, {{"ended", *ended}});
      if (!who.session_id.empty()) {
        r.headers.emplace_back("Set-Cookie", SessionCookie("", 0, req.secure));
      }
      return r;
    });
  });

  // --- administration ------------------------------------------------------
  router->Add("POST", "/api/admin/users/{id}/second-factor/reset", [auth](const Request& req) {
    return WithWrite(auth, req, false, [&](const Caller& caller, const json&) {
      int64_t id = 0;
      if (!PathId(req, &id)) return UnknownUser(req);
      Status s = auth->ResetSecondFactor(caller.principal, req.remote_address, id);
      if (!s.ok()) return ErrorReply(s, req.request_id);
      return JsonReply(200, {{"ok", true}});
    });
  });

  router->Add("GET", "/api/admin/users/{id}/sessions", [auth](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      int64_t id = 0;
      if (!PathId(req, &id)) return UnknownUser(req);
      auto sessions = auth->ListUserSessions(caller.principal, req.remote_address, id);
      if (!sessions.ok()) return ErrorReply(sessions.status(), req.request_id);
      return JsonReply(200, {{"sessions", SessionsJson(*sessions, 0)}});
    });
  });

  router->Add("DELETE", "/api/admin/users/{id}/sessions", [auth](const Request& req) {
    return WithWrite(auth, req, false, [&](const Caller& caller, const json&) {
      int64_t id = 0;
      if (!PathId(req, &id)) return UnknownUser(req);
      auto ended = auth->EndUserSessions(caller.principal, req.remote_address, id);
      if (!ended.ok()) return ErrorReply(ended.status(), req.request_id);
      return JsonReply(200, {{"ended", *ended}});
    });
  });

  router->Add("GET", "/api/admin/users/{id}/export", [auth, academy](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      int64_t id = 0;
      if (!PathId(req, &id)) return UnknownUser(req);
      auto data = auth->ExportUser(caller.principal, req.remote_address, id);
      if (!data.ok()) return ErrorReply(data.status(), req.request_id);
      auto enrolments = EnrolmentsJson(academy, data->user);
      if (!enrolments.ok()) return ErrorReply(enrolments.status(), req.request_id);
      json audit = json::array();
      for (const auto& e : data->audit) audit.push_back(AuditEntryJson(e));
      Reply r = NoStore(JsonReply(200, {{"account", UserJson(data->user)},
                                        {"second_factor",
                                         {{"enrolled", data->second_factor},
                                          {"recovery_codes_left", data->recovery_codes_left}}},
                                        {"sessions", SessionsJson(data->sessions, 0)},
                                        {"enrolments", *enrolments},
                                        {"audit", audit}}));
      r.headers.emplace_back("Content-Disposition", "attachment; filename=\"kpo-gegevens-" +
                                                        std::to_string(id) + ".json\"");
      return r;
    });
  });

  router->Add("DELETE", "/api/admin/users/{id}", [auth, academy](const Request& req) {
    return WithWrite(auth, req, false, [&](const Caller& caller, const json&) {
      int64_t id = 0;
      if (!PathId(req, &id)) return UnknownUser(req);
      // The member's places are given up first, so the waiting list moves
      // up; places in courses they can no longer read go with the account.
      auto give_up_places = [&](const Principal& member) -> Status {
        if (academy == nullptr) return Status::Ok();
        auto mine = academy->MyEnrolments(member);
        if (!mine.ok()) return mine.status();
        for (const auto& e : *mine) {
          KPO_RETURN_IF_ERROR(
              academy->Cancel(member, req.remote_address, e.course.item.id, e.session.session.id));
        }
        return Status::Ok();
      };
      Status s = auth->DeleteUser(caller.principal, req.remote_address, id, give_up_places);
      if (!s.ok()) return ErrorReply(s, req.request_id);
      return JsonReply(200, {{"ok", true}});
    });
  });
}

}  // namespace kpo::http

// Implements account_pages.h: thin page handlers over access::AuthService.
// Every POST form carries the session's CSRF token in a hidden field; the
// second step of signing in uses the token of the session half-way in.
#include "portal/account_pages.h"

#include <algorithm>

#include "access/auth_service.h"
#include "common/local_time.h"
#include "http/caller.h"
#include "http/request.h"
#include "portal/page_host.h"
#include "portal/view.h"

namespace kpo::portal {

namespace {

using access::AuthService;
using access::SessionInfo;
using access::SessionStage;
using http::Reply;
using http::Request;

// The session behind the cookie, half-way through signing in or not.
struct Signed {
  SessionInfo info;
  std::string session_id;
};

// Notices after a redirect, by key, so the address never carries text.
std::string Notice(const std::string& key) {
  if (key == "tweestaps-uit") return "Tweestapsverificatie staat nu uit.";
  if (key == "sessie-beeindigd") return "De sessie is beëindigd.";
  if (key == "wachtwoord-gewijzigd") {
    return "Uw wachtwoord is gewijzigd. Op andere apparaten en in andere browsers bent u nu "
           "uitgelogd.";
  }
  return "";
}

// "29 november 2026, 11:02"-style local time of a unix instant.
std::string When(int64_t utc) {
  static const auto zone = Zone::Amsterdam();
  if (!zone.ok()) return std::to_string(utc);
  return DutchDateTime(FormatLocalTime(zone.value()->ToLocal(utc)));
}

// A browser's name from its user agent: people recognise "Firefox", not
// the string. Edge says Chrome and Safari too, Chrome says Safari: the
// order matters.
std::string BrowserName(const std::string& agent) {
  if (agent.empty()) return "onbekend";
  for (const char* name : {"Edg", "Firefox", "Chrome", "Safari", "curl"}) {
    if (agent.find(name) != std::string::npos) {
      return std::string(name) == "Edg" ? "Edge" : std::string(name);
    }
  }
  return agent.substr(0, 40);
}

// "op 1 plek" / "op 3 plekken": Dutch counts take the singular only for one.
std::string Places(size_t n) { return "op " + std::to_string(n) + (n == 1 ? " plek" : " plekken"); }

// A refusal of the password form, tied to the field it is about.
struct FieldError {
  std::string field;  // the input's id: "pw-huidig", "pw-nieuw", "pw-herhaal"
  std::string message;
};

// Which field of the password form a refusal of ChangePassword is about;
// "" for what no field can fix.
std::string PasswordField(ErrorCode code) {
  switch (code) {
    case ErrorCode::kCurrentPassword:
    case ErrorCode::kTooManyRequests:
      return "pw-huidig";
    case ErrorCode::kInvalidField:
      return "pw-nieuw";
    case ErrorCode::kPasswordMismatch:
      return "pw-herhaal";
    default:
      return "";
  }
}

class AccountPages {
 public:
  AccountPages(AuthService* auth, PageKit kit) : auth_(auth), kit_(std::move(kit)) {}

  // --- the second step of signing in -----------------------------------
  Reply CodeForm(const Request& req) {
    auto who = Session(req);
    if (!who || who->info.stage != SessionStage::kAwaitingCode) return SeeOther("/inloggen");
    return CodePage(req, *who, 200, "", SafeNext(req.Query("next")));
  }

  Reply Code(const Request& req) {
    auto form = ParseForm(req.body);
    const std::string next = SafeNext(form["next"]);
    auto who = Session(req);
    if (!who || who->info.stage != SessionStage::kAwaitingCode) return SeeOther("/inloggen");
    if (!AuthService::CheckCsrf(who->info.csrf_token, form["csrf"]).ok()) {
      return CodePage(req, *who, 403, "Het formulier was verlopen. Probeer het opnieuw.", next);
    }
    int retry_after = 0;
    auto done =
        auth_->CompleteSignIn(who->session_id, form["code"], req.remote_address, &retry_after);
    if (!done.ok()) {
      const ErrorCode code = done.status().code();
      if (code == ErrorCode::kAuthenticationRequired) return SeeOther("/inloggen");
      if (TypeOf(code) == ErrorType::kInternal || TypeOf(code) == ErrorType::kSystem) {
        return kit_.error(req, 500);
      }
      Reply r =
          CodePage(req, *who, HttpStatus(done.status().code()), done.status().message(), next);
      if (retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after));
      return r;
    }
    return SeeOther(next);
  }

  // --- Mijn account ------------------------------------------------------
  Reply Account(const Request& req) {
    auto who = Session(req);
    if (!who) return SeeOther("/inloggen?next=%2Faccount");
    if (who->info.stage == SessionStage::kMustEnrol) return SeeOther("/account/tweestaps");
    if (who->info.stage != SessionStage::kComplete) return SeeOther("/inloggen");
    return AccountPage(req, *who, 200, Notice(req.Query("melding")), "");
  }

  // GET: the explanation and a button; POST: a fresh secret (shown once).
  Reply Enrol(const Request& req, bool begin) {
    auto who = Session(req);
    if (!who) return SeeOther("/inloggen?next=%2Faccount%2Ftweestaps");
    if (who->info.stage == SessionStage::kAwaitingCode) return SeeOther("/inloggen/code");
    View view;
    view.set("csrf", who->info.csrf_token);
    view.set("must_enrol", who->info.stage == SessionStage::kMustEnrol);
    if (!begin) return kit_.page(req, 200, "Tweestapsverificatie instellen", "account_totp", view);
    auto form = ParseForm(req.body);
    if (!AuthService::CheckCsrf(who->info.csrf_token, form["csrf"]).ok()) {
      return kit_.error(req, 403);
    }
    auto enrolment = auth_->BeginTotp(who->info.principal, req.remote_address);
    if (!enrolment.ok()) return Failed(req, *who, enrolment.status());
    view.set("secret", Grouped(enrolment->secret));
    view.set("uri", enrolment->uri);
    view.set("confirm", true);
    return kit_.page(req, 200, "Tweestapsverificatie instellen", "account_totp", view);
  }

  Reply Confirm(const Request& req) {
    auto who = Session(req);
    if (!who) return SeeOther("/inloggen");
    auto form = ParseForm(req.body);
    if (!AuthService::CheckCsrf(who->info.csrf_token, form["csrf"]).ok()) {
      return kit_.error(req, 403);
    }
    auto codes =
        auth_->ConfirmTotp(who->info.principal, req.remote_address, form["code"], who->session_id);
    View view;
    view.set("csrf", who->info.csrf_token);
    view.set("must_enrol", who->info.stage == SessionStage::kMustEnrol);
    if (!codes.ok()) {
      if (codes.status().code() != ErrorCode::kInvalidTotpCode &&
          codes.status().code() != ErrorCode::kTooManyRequests) {
        return Failed(req, *who, codes.status());
      }
      view.set("confirm", true);
      view.set("error", codes.status().message());
      // The key again: who typed it wrong into the app must see it to check.
      if (auto pending = auth_->PendingTotp(who->info.principal); pending.ok()) {
        view.set("secret", Grouped(pending->secret));
        view.set("uri", pending->uri);
      }
      return kit_.page(req, HttpStatus(codes.status().code()), "Tweestapsverificatie instellen",
                       "account_totp", view);
    }
    return CodesPage(req, *codes, "Tweestapsverificatie staat aan");
  }

  Reply Disable(const Request& req) {
    return WithForm(req, [&](const Signed& who, std::map<std::string, std::string>& form) {
      Status s = auth_->DisableTotp(who.info.principal, req.remote_address, form["code"]);
      if (!s.ok()) return Failed(req, who, s);
      return SeeOther("/account?melding=tweestaps-uit");
    });
  }

  Reply RecoveryCodes(const Request& req) {
    return WithForm(req, [&](const Signed& who, std::map<std::string, std::string>& form) {
      auto codes = auth_->RenewRecoveryCodes(who.info.principal, req.remote_address, form["code"]);
      if (!codes.ok()) return Failed(req, who, codes.status());
      return CodesPage(req, *codes, "Nieuwe herstelcodes");
    });
  }

  Reply EndSession(const Request& req) {
    return WithForm(req, [&](const Signed& who, std::map<std::string, std::string>&) {
      int64_t number = 0;
      if (!http::ParseId(req.params.at("id"), &number)) return kit_.error(req, 404);
      Status s = auth_->EndSession(who.info.principal, req.remote_address, number);
      if (!s.ok()) return Failed(req, who, s);
      // Ending the current session signs this browser out.
      if (number == who.info.session_number) return SignedOut(req);
      return SeeOther("/account?melding=sessie-beeindigd");
    });
  }

  // POST /account/wachtwoord: the other sessions end, this one stays.
  Reply ChangePassword(const Request& req) {
    return WithForm(req, [&](const Signed& who, std::map<std::string, std::string>& form) {
      access::PasswordChange change{form["current_password"], form["new_password"],
                                    form["new_password_repeat"]};
      int retry_after = 0;
      auto ended = auth_->ChangePassword(who.info.principal, req.remote_address, change,
                                         who.info.session_number, &retry_after);
      if (ended.ok()) return SeeOther("/account?melding=wachtwoord-gewijzigd");
      const Status& status = ended.status();
      const std::string field = PasswordField(status.code());
      if (field.empty()) return Failed(req, who, status);
      Reply r = AccountPage(req, who, HttpStatus(status.code()), "", "",
                            FieldError{field, status.message()});
      if (retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after));
      return r;
    });
  }

  Reply EndAll(const Request& req) {
    return WithForm(req, [&](const Signed& who, std::map<std::string, std::string>&) {
      auto ended = auth_->EndAllSessions(who.info.principal, req.remote_address);
      if (!ended.ok()) return Failed(req, who, ended.status());
      return SignedOut(req);
    });
  }

 private:
  std::optional<Signed> Session(const Request& req) {
    auto cookie = req.cookies.find(http::kSessionCookie);
    if (cookie == req.cookies.end() || cookie->second.empty()) return std::nullopt;
    auto info = auth_->AuthenticateSession(cookie->second, /*allow_partial=*/true);
    if (!info.ok()) return std::nullopt;
    return Signed{std::move(*info), cookie->second};
  }

  // POST forms of a complete session with a valid CSRF field.
  template <typename Fn>
  Reply WithForm(const Request& req, Fn fn) {
    auto who = Session(req);
    if (!who || who->info.stage != SessionStage::kComplete) return SeeOther("/inloggen");
    auto form = ParseForm(req.body);
    if (!AuthService::CheckCsrf(who->info.csrf_token, form["csrf"]).ok()) {
      return kit_.error(req, 403);
    }
    return fn(*who, form);
  }

  // A refused action: the account page with the message, or an error page
  // for what is not the person's doing.
  Reply Failed(const Request& req, const Signed& who, const Status& status) {
    const ErrorType type = TypeOf(status.code());
    if (type == ErrorType::kInternal || type == ErrorType::kSystem) return kit_.error(req, 500);
    if (who.info.stage != SessionStage::kComplete) {
      View view;
      view.set("csrf", who.info.csrf_token);
      view.set("must_enrol", who.info.stage == SessionStage::kMustEnrol);
      view.set("error", status.message());
      return kit_.page(req, HttpStatus(status.code()), "Tweestapsverificatie instellen",
                       "account_totp", view);
    }
    return AccountPage(req, who, HttpStatus(status.code()), "", status.message());
  }

  Reply SignedOut(const Request& req) {
    Reply r = SeeOther("/");
    r.headers.emplace_back("Set-Cookie", http::SessionCookie("", 0, req.secure));
    return r;
  }

  Reply CodePage(const Request& req, const Signed& who, int status, const std::string& error,
                 const std::string& next) {
    View view;
    view.set("csrf", who.info.csrf_token);
    view.set("next", next);
    if (!error.empty()) view.set("error", error);
    return kit_.page(req, status, "Inloggen: code", "login_code", view);
  }

  Reply CodesPage(const Request& req, const std::vector<std::string>& codes,
                  const std::string& title) {
    View list(View::type::list);
    for (const auto& c : codes) list.push_back(View(c));
    View view;
    view.set("heading", title);
    view.set("codes", list);
    return kit_.page(req, 200, title, "account_codes", view);
  }

  Reply AccountPage(const Request& req, const Signed& who, int status, const std::string& notice,
                    const std::string& error, const FieldError& field_error = {}) {
    const Principal& p = who.info.principal;
    View view;
    view.set("csrf", who.info.csrf_token);
    view.set("name", p.name);
    view.set("email", p.email);
    view.set("role", RoleLabel(p.role));
    if (!notice.empty()) view.set("notice", notice);
    if (!error.empty()) view.set("error", error);
    if (!field_error.field.empty()) {
      // The summary links to the field; the field names its error
      // (aria-describedby) and is marked invalid, as on the editorial forms.
      view.set("pw_error", field_error.message);
      view.set("pw_error_href", "#" + field_error.field);
      if (field_error.field == "pw-huidig") view.set("err_current", field_error.message);
      if (field_error.field == "pw-nieuw") view.set("err_new", field_error.message);
      if (field_error.field == "pw-herhaal") view.set("err_repeat", field_error.message);
    }
    auto state = auth_->SecondFactor(p);
    if (!state.ok()) return kit_.error(req, 500);
    view.set("enrolled", state->enrolled);
    view.set("required", state->required);
    view.set("codes_left", std::to_string(state->recovery_codes_left));
    auto sessions = auth_->ListSessions(p);
    if (!sessions.ok()) return kit_.error(req, 500);
    View rows(View::type::list);
    for (const auto& s : *sessions) {
      View row;
      row.set("id", std::to_string(s.number));
      row.set("created", When(s.created_at));
      row.set("last_seen", When(s.last_seen));
      row.set("browser", BrowserName(s.user_agent));
      row.set("address", s.address.empty() ? std::string("onbekend") : s.address);
      row.set("current", s.number == who.info.session_number);
      row.set("csrf", who.info.csrf_token);
      rows.push_back(row);
    }
    view.set("sessions", rows);
    view.set("session_places", Places(sessions->size()));
    return kit_.page(req, status, "Mijn account", "account", view);
  }

  // "ABCD EFGH ..." : a secret typed by hand is read in groups of four.
  static std::string Grouped(const std::string& secret) {
    std::string out;
    for (size_t i = 0; i < secret.size(); ++i) {
      if (i > 0 && i % 4 == 0) out.push_back(' ');
      out.push_back(secret[i]);
    }
    return out;
  }

  AuthService* auth_;
  const PageKit kit_;
};

}  // namespace

void AddAccountPages(http::Router* router, AuthService* auth, const PageKit& kit) {
  auto pages = std::make_shared<AccountPages>(auth, kit);
  router->Add("GET", "/inloggen/code",
              [pages](const Request& req) { return pages->CodeForm(req); });
  router->Add("POST", "/inloggen/code", [pages](const Request& req) { return pages->Code(req); });
  router->Add("GET", "/account", [pages](const Request& req) { return pages->Account(req); });
  router->Add("GET", "/account/tweestaps",
              [pages](const Request& req) { return pages->Enrol(req, false); });
  router->Add("POST", "/account/tweestaps",
              [pages](const Request& req) { return pages->Enrol(req, true); });
  router->Add("POST", "/account/tweestaps/bevestigen",
              [pages](const Request& req) { return pages->Confirm(req); });
  router->Add("POST", "/account/tweestaps/uitzetten",
              [pages](const Request& req) { return pages->Disable(req); });
  router->Add("POST", "/account/herstelcodes",
              [pages](const Request& req) { return pages->RecoveryCodes(req); });
  router->Add("POST", "/account/sessies/{id}/uitloggen",
              [pages](const Request& req) { return pages->EndSession(req); });
  router->Add("POST", "/account/wachtwoord",
              [pages](const Request& req) { return pages->ChangePassword(req); });
  router->Add("POST", "/account/sessies/uitloggen-overal",
              [pages](const Request& req) { return pages->EndAll(req); });
}

}  // namespace kpo::portal

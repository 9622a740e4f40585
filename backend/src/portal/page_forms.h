// What the portal's form pages outside portal.cc (academy_pages.cc,
// editorial_pages.cc) share: view building blocks, the controlled
// vocabulary as options and checkboxes, and the caller / signed-in POST
// form steps (CSRF token in the hidden "csrf" field, else 403 and nothing
// done). Owns: those steps only. May not touch: the domain (pages ask their
// own services), the layout (PageHost).
// Thread-safety: pure functions; the templates call the thread-safe PageHost.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "access/auth_service.h"
#include "content/vocabulary.h"
#include "portal/page_host.h"
#include "portal/view.h"

namespace kpo::portal {

// A text a template tests with {{#name}}: set only when not empty (a
// section treats any string as true), else false.
void SetText(View* view, const std::string& name, const std::string& value);

// The (label, key) pairs of a vocabulary kind, by label.
std::vector<std::pair<std::string, std::string>> VocabularyEntries(
    const content::Vocabulary& vocabulary, const char* kind);

// Checkboxes of a vocabulary kind, named "<field>:<key>" (one value per
// name: Pistache's form and query maps keep one), ids "c-<field>-<key>".
View Checkboxes(const content::Vocabulary& vocabulary, const char* kind, const std::string& field,
                const std::vector<std::string>& checked);

// Partner groups by their labels: "Politie, FIOD".
std::string GroupLabels(const content::Vocabulary& vocabulary,
                        const std::vector<std::string>& groups);

// Who may read an item, in the portal's words: "" for public, "Alleen voor
// leden", or "Alleen voor: Politie, FIOD" (GroupLabels).
std::string Audience(const content::Vocabulary& vocabulary, const std::string& access,
                     const std::vector<std::string>& groups);

// Runs `fn` with the caller of `req`; a failure to identify is a 500 page.
template <typename Fn>
http::Reply WithCaller(PageHost* host, const http::Request& req, Fn fn) {
  auto caller = host->Identify(req);
  if (!caller.ok()) return host->ErrorPage(req, PageCaller(), 500, caller.status());
  return fn(*caller);
}

// A POST form: signed in (else `sign_in(req)`, the sign-in page and back),
// with the session's CSRF token (else 403, nothing done); `fn` gets the
// caller and the parsed form. A form that carries a token was made for a
// session that has ended since: the sign-in page then says that what was
// sent is not saved (`verlopen=1`).
template <typename SignInFn, typename Fn>
http::Reply WithForm(PageHost* host, const http::Request& req, SignInFn sign_in, Fn fn) {
  return WithCaller(host, req, [&](const PageCaller& caller) -> http::Reply {
    auto form = ParseForm(req.body);
    if (!caller.principal.authenticated()) {
      http::Reply r = sign_in(req);
      if (!form["csrf"].empty()) {
        for (auto& [name, value] : r.headers) {
          if (name == "Location") value += "&verlopen=1";
        }
      }
      return r;
    }
    if (!access::AuthService::CheckCsrf(caller.csrf_token, form["csrf"]).ok()) {
      return host->ErrorPage(req, caller, 403, Status::Ok());
    }
    return fn(caller, form);
  });
}

}  // namespace kpo::portal

// Implements portal.h: thin page handlers (parse the request, ask the
// knowledge base or the auth service, fill a view, render a template).
#include "portal/portal.h"

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>

#include "academy/academy.h"
#include "access/auth_service.h"
#include "access/password.h"
#include "attachments/attachments.h"
#include "common/file.h"
#include "common/log.h"
#include "content/validate.h"
#include "feed/news_feed.h"
#include "http/api.h"
#include "http/caller.h"
#include "http/request.h"
#include "knowledge/knowledge_base.h"
#include "portal/academy_pages.h"
#include "portal/account_pages.h"
#include "portal/editorial_pages.h"
#include "portal/page_forms.h"
#include "portal/page_host.h"
#include "portal/templates.h"
#include "portal/view.h"

namespace kpo::portal {

namespace {

using http::Reply;
using http::Request;

// The login form's double-submit token (against login CSRF: a foreign page
// cannot read or set this cookie, so it cannot sign a visitor in to an
// account of the attacker's choosing).
constexpr const char* kLoginCookie = "kpo_login";
constexpr int64_t kLoginCookieSeconds = 3600;
constexpr int kPageSize = 10;
constexpr size_t kHomeCourses = 3;
constexpr int kMaxDepth = 10000;  // knowledge base: deepest result reachable

// The last page of `total` results that can be reached.
int LastPage(uint64_t total) {
  return static_cast<int>(std::min<uint64_t>((total + kPageSize - 1) / kPageSize,
                                             static_cast<uint64_t>(kMaxDepth / kPageSize)));
}

struct Facet {
  const char* name;    // query parameter and facet of SearchPage
  const char* legend;  // Dutch
  const char* kind;    // vocabulary kind, nullptr for type and year
};
const std::vector<Facet>& Facets() {
  static const std::vector<Facet> kFacets = {
      {"type", "Soort", nullptr},
      {"theme", "Thema", content::Vocabulary::kThemes},
      {"region", "Regio", content::Vocabulary::kRegions},
      {"werkplaats", "Werkplaats", content::Vocabulary::kWerkplaatsen},
      {"year", "Jaar", nullptr}};
  return kFacets;
}

using Caller = PageCaller;

// The search a page shows, as read from its URL.
struct SearchState {
  std::string q, sort, from, to, spelling;
  int page = 1;
  std::map<std::string, std::vector<std::string>> filters;  // facet -> values
  bool from_form = false;  // checkboxes named "facet:value" (the no-JS form)
};

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (!part.empty() && std::find(out.begin(), out.end(), part) == out.end()) {
      out.push_back(part);
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& values, const std::string& sep) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : sep) + v;
  return out;
}

// The first 16 hex digits of the hash of a file's bytes, for ?v= (the
// server's ETag of the same file starts alike); "0" when absent.
std::string FileVersion(const std::string& path) {
  auto bytes = ReadWholeFile(path);
  return bytes.ok() ? access::TokenHash(*bytes).substr(0, 16) : "0";
}

class Portal : public PageHost {
 public:
  Portal(const PortalDeps& deps, std::shared_ptr<const Templates> templates)
      : kb_(deps.kb),
        auth_(deps.auth),
        academy_(deps.academy),
        news_feed_(deps.news_feed),
        files_(deps.attachments),
        templates_(std::move(templates)),
        idle_seconds_(deps.session_idle_seconds),
        css_version_(FileVersion(deps.static_dir + "/portal.css") +
                     FileVersion(deps.static_dir + "/vendor/nlds.css")),
        js_version_(FileVersion(deps.static_dir + "/js/portal.js")) {}

  Reply Home(const Request& req) {
    return WithCaller(req, [&](const Caller& caller) -> Reply {
      View view;
      view.set("newest", Hits(caller, {{"type", "nieuws,product"}}, 6));
      View courses = UpcomingCourses(caller);
      view.set("has_courses", !courses.list_value().empty());
      view.set("courses", courses);
      view.set("themes", VocabularyLinks(content::Vocabulary::kThemes, "/themas/"));
      view.set("werkplaatsen",
               VocabularyLinks(content::Vocabulary::kWerkplaatsen, "/werkplaatsen/"));
      view.set("signed_in", caller.principal.authenticated());
      return Page(req, caller, 200, "Startpagina", "home", view);
    });
  }

  // /zoeken, /themas/{theme} and /werkplaatsen/{id}: the same search page;
  // the last two fix one facet (the path names it) and sort newest first.
  Reply Search(const Request& req, const std::string& fixed_facet) {
    return WithCaller(req, [&](const Caller& caller) -> Reply {
      std::string base = "/zoeken";
      std::string heading = "Zoeken";
      std::string fixed_key;
      if (!fixed_facet.empty()) {
        const char* kind = fixed_facet == "theme" ? content::Vocabulary::kThemes
                                                  : content::Vocabulary::kWerkplaatsen;
        fixed_key = req.params.at("id");
        if (!kb_->vocabulary()->Has(kind, fixed_key)) return ErrorPage(req, caller, 404);
        heading = kb_->vocabulary()->Label(kind, fixed_key);
        base = (fixed_facet == "theme" ? "/themas/" : "/werkplaatsen/") + fixed_key;
      }
      SearchState state = ParseState(req, fixed_facet);
      if (state.from_form) return SeeOther(Url(base, state, fixed_facet, state.page));
      if (!fixed_facet.empty()) state.filters[fixed_facet] = {fixed_key};

      knowledge::SearchParams params;
      params.q = state.q;
      for (const auto& [facet, values] : state.filters) params.filters[facet] = Join(values, ",");
      // A date typed wrong, or an end before the start, is said beside its
      // field and left out of the search: the page, its filters and the
      // focus stay (it replaced the whole page, also mid-typing with
      // JavaScript, where a year reads 0002 until its last digit).
      std::string err_from, err_to;
      constexpr const char* kNoDate =
          "Vul een bestaande datum in, zoals 1-3-2022 (een jaar van 1900 tot en met 2200).";
      if (!state.from.empty() && !content::IsValidDate(state.from)) err_from = kNoDate;
      if (!state.to.empty() && !content::IsValidDate(state.to)) err_to = kNoDate;
      if (err_from.empty() && err_to.empty() && !state.from.empty() && !state.to.empty() &&
          state.from > state.to) {
        err_to = "‘Tot en met’ ligt vóór ‘Vanaf’. Kies een latere datum.";
      }
      params.from = err_from.empty() ? state.from : std::string();
      params.to = err_to.empty() ? state.to : std::string();
      params.page = std::to_string(state.page);
      params.size = std::to_string(kPageSize);
      params.sort = state.sort;
      params.spelling = state.spelling;
      auto page = kb_->Search(caller.principal, params);

      View view;
      view.set("heading", heading);
      view.set("action", base);
      view.set("q", state.q);
      view.set("is_search", fixed_facet.empty());
      view.set("sort_date", state.sort == "date");
      view.set("from", state.from);
      view.set("to", state.to);
      if (!err_from.empty()) view.set("err_from", err_from);
      if (!err_to.empty()) view.set("err_to", err_to);
      view.set("spelling_off", state.spelling == "off");
      if (!page.ok()) {
        if (TypeOf(page.status().code()) != ErrorType::kInvalidRequest) {
          return ErrorPage(req, caller, 500, page.status());
        }
        // The API's messages name parameters; a person followed a link.
        // Only a query that is itself wrong (too long, only operators) keeps
        // its own words; anything else in the address is described plainly.
        view.set("error", page.status().code() == ErrorCode::kInvalidSearchQ
                              ? page.status().message()
                              : std::string("Dit adres bevat een filter, sortering, datum of "
                                            "pagina die niet (meer) bestaat. Zoek opnieuw "
                                            "met het zoekvak hierboven."));
        return Page(req, caller, 400, heading, "search", view);
      }
      // An old or edited link past the last page lands on the last one.
      if (page->hits.empty() && page->total > 0 && state.page > LastPage(page->total)) {
        return SeeOther(Url(base, state, fixed_facet, LastPage(page->total)));
      }
      // The results, active filters and links are those of the search as
      // made: a refused date is in its field only, to be mended there.
      SearchState applied = state;
      applied.from = params.from;
      applied.to = params.to;
      FillResults(&view, *page, applied, base, fixed_facet);
      if (!caller.principal.authenticated()) {
        view.set("hint_login", true);
        view.set("login_url",
                 "/inloggen?next=" + http::PercentEncode(Url(base, applied, fixed_facet, 1)));
      }
      const int status = err_from.empty() && err_to.empty() ? 200 : 400;
      std::string title = heading;
      if (!state.q.empty()) title = "Zoeken naar ‘" + state.q + "’";
      if (state.page > 1) title += " (pagina " + std::to_string(state.page) + ")";
      return Page(req, caller, status, title, "search", view);
    });
  }

  Reply Item(const Request& req) {
    return WithCaller(req, [&](const Caller& caller) -> Reply {
      const std::string& id = req.params.at("id");
      auto doc = kb_->GetDocument(caller.principal, id);
      if (!doc.ok()) {
        const ErrorCode code = doc.status().code();
        // Missing, unreadable and malformed ids: one answer, nothing revealed.
        if (code == ErrorCode::kDocumentNotFound || code == ErrorCode::kInvalidDocumentId) {
          return ItemMissing(req, caller);
        }
        return ErrorPage(req, caller, 500, doc.status());
      }
      auto related = kb_->Related(caller.principal, id);
      if (!related.ok()) return ErrorPage(req, caller, 500, related.status());
      const kpo::Item& item = doc->item;
      View view = ItemView(item);
      view.set("html", doc->html);
      // Sections treat any string as true: set only what exists.
      if (!item.summary.empty()) view.set("summary", item.summary);
      if (!item.tags.empty()) view.set("tags", Join(item.tags, ", "));
      // Only a real change is an update worth a date (ChangedDate).
      const std::string changed = ChangedDate(item);
      view.set("has_updated", !changed.empty());
      if (!changed.empty()) {
        view.set("updated", DutchDate(changed));
        view.set("updated_iso", changed);
      }
      view.set("type_url", "/zoeken?type=" + item.type);
      // A course's dates and enrolment are on its academy page (academy_pages.cc).
      if (item.type == "cursus") view.set("course_url", "/academie/" + id);
      view.set("regions", Labels(item.regions, content::Vocabulary::kRegions, ""));
      View related_list = ListView();
      for (const auto& r : *related) related_list.push_back(ItemView(r));
      view.set("related", related_list);
      // The attachments the caller's version carries (those of the live
      // version for readers: attachments/attachments.h).
      View files = ListView();
      if (files_ != nullptr) {
        auto list = files_->List(caller.principal, id);
        if (!list.ok()) return ErrorPage(req, caller, 500, list.status());
        for (const auto& a : *list) {
          if (a.pending) continue;  // the draft's, shown on the editor page
          View f;
          f.set("name", a.name);
          f.set("url", "/api/documents/" + id + "/attachments/" + a.name);
          f.set("kind", FileKind(a.mime));
          f.set("size", FileSize(a.size));
          files.push_back(f);
        }
      }
      view.set("has_files", !files.is_empty_list());
      view.set("files", files);
      return Page(req, caller, 200, item.title, "item", view);
    });
  }

  Reply LoginForm(const Request& req) {
    return WithCaller(req, [&](const Caller& caller) -> Reply {
      return LoginPage(req, caller, 200, req.Query("email"), "", SafeNext(req.Query("next")),
                       req.Query("verlopen") == "1" && !caller.principal.authenticated());
    });
  }

  Reply Login(const Request& req) {
    return WithCaller(req, [&](const Caller& caller) -> Reply {
      auto form = ParseForm(req.body);
      const std::string next = SafeNext(form["next"]);
      auto cookie = req.cookies.find(kLoginCookie);
      const std::string expected = cookie == req.cookies.end() ? "" : cookie->second;
      if (expected.empty() || !access::AuthService::CheckCsrf(expected, form["login_token"]).ok()) {
        return LoginPage(req, caller, 403, form["email"],
                         "Het formulier was verlopen. Probeer het opnieuw.", next);
      }
      int retry_after = 0;
      auto login = auth_->Login(form["email"], form["password"], req.remote_address, &retry_after,
                                req.Header("user-agent"));
      if (!login.ok()) {
        const ErrorCode code = login.status().code();
        if (code == ErrorCode::kInvalidCredentials) {
          return LoginPage(req, caller, 401, form["email"], "Onjuist e-mailadres of wachtwoord.",
                           next);
        }
        if (code == ErrorCode::kTooManyRequests) {
          const int minutes = std::max(1, (retry_after + 59) / 60);
          Reply r = LoginPage(req, caller, 429, form["email"],
                              "Te veel pogingen. Probeer het over " + std::to_string(minutes) +
                                  (minutes == 1 ? " minuut" : " minuten") + " opnieuw.",
                              next);
          r.headers.emplace_back("Retry-After", std::to_string(retry_after));
          return r;
        }
        if (code == ErrorCode::kInvalidField) {
          return LoginPage(req, caller, 400, form["email"], login.status().message(), next);
        }
        return ErrorPage(req, caller, 500, login.status());
      }
      // Issue 13: the second factor's code, or its enrolment, comes next.
      Reply r = SeeOther(login->stage == access::SessionStage::kAwaitingCode
                             ? "/inloggen/code?next=" + http::PercentEncode(next)
                         : login->stage == access::SessionStage::kMustEnrol ? "/account/tweestaps"
                                                                            : next);
      r.headers.emplace_back("Set-Cookie",
                             http::SessionCookie(login->session_id, login->max_age, req.secure));
      // One Set-Cookie per reply (the server keeps one header per name):
      // the login token cookie simply expires.
      return r;
    });
  }

  Reply Logout(const Request& req) {
    return WithCaller(req, [&](const Caller& caller) -> Reply {
      if (caller.principal.authenticated()) {
        auto form = ParseForm(req.body);
        if (!access::AuthService::CheckCsrf(caller.csrf_token, form["csrf"]).ok()) {
          return ErrorPage(req, caller, 403);
        }
        Status s = auth_->Logout(req.cookies.at(http::kSessionCookie), req.remote_address);
        if (!s.ok()) return ErrorPage(req, caller, 500, s);
      }
      Reply r = SeeOther("/");
      r.headers.emplace_back("Set-Cookie", http::SessionCookie("", 0, req.secure));
      return r;
    });
  }

  // Issue 10: /mijn-feed shows whether the member has a personal feed link;
  // POST creates one (shown this once) or revokes it (form field `actie`).
  Reply MyFeed(const Request& req) {
    return WithCaller(req, [&](const Caller& caller) -> Reply {
      if (!caller.principal.authenticated()) return SeeOther("/inloggen?next=%2Fmijn-feed");
      View view;
      if (req.method == "POST") {
        auto form = ParseForm(req.body);
        if (!access::AuthService::CheckCsrf(caller.csrf_token, form["csrf"]).ok()) {
          return ErrorPage(req, caller, 403);
        }
        if (form["actie"] == "intrekken") {
          Status s = news_feed_->RevokeLink(caller.principal);
          if (!s.ok()) return ErrorPage(req, caller, 500, s);
          view.set("message", std::string("Uw feed-link is ingetrokken."));
        } else {
          auto link = news_feed_->CreateLink(caller.principal);
          if (!link.ok()) return ErrorPage(req, caller, 500, link.status());
          // Feed readers need the whole address, as calendar programs do.
          view.set("new_url", req.AbsoluteUrl(link->path));
        }
      }
      auto link = news_feed_->Link(caller.principal);
      if (!link.ok()) return ErrorPage(req, caller, 500, link.status());
      view.set("has_link", link->has_value());
      view.set("csrf", caller.csrf_token);
      return Page(req, caller, 200, "Mijn feed", "my_feed", view);
    });
  }

  Reply Static(const Request& req, const std::string& name, const std::string& title) {
    return WithCaller(req, [&](const Caller& caller) -> Reply {
      return Page(req, caller, 200, title, name, View());
    });
  }

  // PageKit::page (account_pages.h): the layout for the caller of `req`.
  Reply KitPage(const Request& req, int status, const std::string& title, const std::string& name,
                const View& view) {
    auto caller = Identify(req);
    return Page(req, caller.ok() ? *caller : Caller(), status, title, name, view);
  }

  // ServerOptions::html_error.
  Reply Error(const Request& req, int status) {
    auto caller = Identify(req);
    return ErrorPage(req, caller.ok() ? *caller : Caller(), status);
  }

 private:
  StatusOr<Caller> Identify(const Request& req) override {
    Caller caller;
    auto cookie = req.cookies.find(http::kSessionCookie);
    if (cookie == req.cookies.end() || cookie->second.empty()) return caller;
    auto session = auth_->AuthenticateSession(cookie->second);
    if (!session.ok()) {
      // Half-way through signing in (issue 13): a visitor on every page, and
      // the cookie stays for /inloggen/code and /account/tweestaps.
      if (session.status().code() == ErrorCode::kSecondFactorRequired ||
          session.status().code() == ErrorCode::kEnrolSecondFactor) {
        return caller;
      }
      if (session.status().code() != ErrorCode::kAuthenticationRequired) return session.status();
      caller.clear_cookie = true;
      return caller;
    }
    caller.principal = session->principal;
    caller.csrf_token = session->csrf_token;
    return caller;
  }

  template <typename Fn>
  Reply WithCaller(const Request& req, Fn fn) {
    auto caller = Identify(req);
    if (!caller.ok()) return ErrorPage(req, Caller(), 500, caller.status());
    return fn(*caller);
  }

  // The page `name` inside the layout, with the headers every page has.
  Reply Page(const Request& req, const Caller& caller, int status, const std::string& title,
             const std::string& name, const View& view) override {
    auto main = templates_->Render(name, view);
    View layout;
    if (main.ok()) {
      // A page shown again because of what was sent (a form refused: 400,
      // 403, 409, 413, 422, 429) says so in its title, the first thing a
      // screen reader reads; a missing page and the error page say it in
      // their own title.
      const bool refused =
          status >= 400 && status < 500 && status != 404 && status != 405 && name != "error";
      layout = Layout(req, caller, refused ? "Fout: " + title : title);
      layout.set("main", *main);
    }
    auto html = main.ok() ? templates_->Render("layout", layout) : main.status();
    Reply r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    if (html.ok()) {
      r.body = std::move(*html);
    } else {
      // A template that fails to render is our bug: log it, answer plainly.
      Log(LogLevel::kError, "portal.render",
          {{"template", name}, {"detail", html.status().detail()}});
      r.status = 500;
      r.body =
          "<!doctype html><html lang=\"nl\"><title>Er ging iets mis — Kennisplatform "
          "Ondermijning</title><main><h1>Er ging iets mis</h1><p>Probeer het later "
          "opnieuw.</p></main></html>";
    }
    // Every page names the caller in its header: never cached for others.
    r.headers.emplace_back("Cache-Control", "private, no-store");
    r.headers.emplace_back("Vary", "Cookie");
    if (caller.clear_cookie) {
      r.headers.emplace_back("Set-Cookie", http::SessionCookie("", 0, req.secure));
    }
    return r;
  }

  View Layout(const Request& req, const Caller& caller, const std::string& title) {
    View layout;
    layout.set("title", title);
    layout.set("css_version", css_version_);
    layout.set("js_version", js_version_);
    const bool home = req.segments.empty();
    const bool search = !home && req.segments[0] == "zoeken";
    layout.set("nav_home", home);
    layout.set("nav_search", search);
    layout.set("nav_academy", !home && req.segments[0] == "academie");  // academy_pages.cc
    layout.set("nav_enrolments", !home && req.segments[0] == "mijn-inschrijvingen");
    layout.set("nav_feed", !home && req.segments[0] == "mijn-feed");
    // Issue 10 (editorial_pages.cc): links for those who write or review;
    // the pages themselves are guarded by the editorial service.
    const Role role = caller.principal.role;
    const bool redactie = role == Role::kRedactie || role == Role::kAdmin;
    layout.set("nav_writer", redactie || role == Role::kEditor);
    layout.set("nav_redactie", redactie);
    const bool editorial = !home && req.segments[0] == "redactie";
    layout.set("nav_drafts",
               editorial && req.segments.size() == 2 && req.segments[1] == "concepten");
    layout.set("nav_dashboard", editorial && req.segments.size() == 1);
    if (caller.principal.authenticated()) {
      layout.set("signed_in", true);
      layout.set("user_name",
                 caller.principal.name.empty() ? caller.principal.email : caller.principal.name);
      layout.set("role", RoleLabel(caller.principal.role));
      layout.set("csrf", caller.csrf_token);
      layout.set("idle_seconds", std::to_string(idle_seconds_));
    } else {
      std::string here = "/" + Join(req.segments, "/");
      // Sign-in returns the visitor to the page they were on.
      const bool login_page = !home && req.segments[0] == "inloggen";
      layout.set("login_url", login_page || home ? std::string("/inloggen")
                                                 : "/inloggen?next=" + http::PercentEncode(here));
    }
    return layout;
  }

  // `expired`: a form was sent after the session ended (page_forms.h
  // WithForm), so say that it was not saved.
  Reply LoginPage(const Request& req, const Caller& caller, int status, const std::string& email,
                  const std::string& error, const std::string& next, bool expired = false) {
    const std::string token = access::RandomHex(16);
    View view;
    view.set("expired", expired);
    view.set("email", email);
    if (!error.empty()) view.set("error", error);
    view.set("next", next);
    view.set("login_token", token);
    if (caller.principal.authenticated()) {
      view.set("signed_in_as",
               caller.principal.name.empty() ? caller.principal.email : caller.principal.name);
    }
    Reply r = Page(req, caller, status, "Inloggen", "login", view);
    r.headers.emplace_back("Set-Cookie", LoginCookie(token, kLoginCookieSeconds, req.secure));
    return r;
  }

  static std::string LoginCookie(const std::string& value, int64_t max_age, bool secure) {
    return std::string(kLoginCookie) + "=" + value +
           "; Path=/inloggen; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Strict" +
           (secure ? "; Secure" : "");
  }

  Reply ErrorPage(const Request& req, const Caller& caller, int status,
                  const Status& cause = Status::Ok()) override {
    if (status >= 500) {
      Log(LogLevel::kError, "portal.error",
          {{"request_id", req.request_id},
           {"code", WireName(cause.code())},
           {"detail", cause.detail()}});
    }
    View view;
    std::string heading;
    switch (status) {
      case 400:
        heading = "Ongeldig adres";
        view.set("bad_request", true);
        break;
      case 403:
        heading = "Geen toegang";
        // A page visited is no form sent: only a POST can have expired.
        view.set(req.method == "POST" ? "forbidden" : "forbidden_page", true);
        break;
      case 404:
      case 405:
        heading = "Pagina niet gevonden";
        view.set("not_found", true);
        break;
      case 413:
        heading = "Te groot om te versturen";
        view.set("too_large", true);
        break;
      default:
        status = 500;
        heading = "Er ging iets mis";
        view.set("failure", true);
        view.set("request_id", req.request_id);
    }
    view.set("heading", heading);
    return Page(req, caller, status, heading, "error", view);
  }

  Reply ItemMissing(const Request& req, const Caller& caller) override {
    View view;
    view.set("signed_in", caller.principal.authenticated());
    view.set("login_url", "/inloggen?next=" + http::PercentEncode("/" + Join(req.segments, "/")));
    return Page(req, caller, 404, "Item niet gevonden", "item_missing", view);
  }

  SearchState ParseState(const Request& req, const std::string& fixed_facet) {
    SearchState state;
    state.q = req.Query("q");
    state.sort = req.Query("sort");
    state.from = req.Query("from");
    state.to = req.Query("to");
    state.spelling = req.Query("spelling");
    const std::string page = req.Query("page");
    if (!page.empty() && page.size() < 6 &&
        page.find_first_not_of("0123456789") == std::string::npos) {
      state.page = std::max(1, std::stoi(page));
    }
    for (const auto& facet : Facets()) {
      if (facet.name == fixed_facet) continue;
      auto& values = state.filters[facet.name];
      values = SplitComma(req.Query(facet.name));
      // Pistache 0.0.5 keeps one value per parameter name, so the no-JS
      // form names each checkbox "facet:value"; the page then redirects
      // to the canonical "facet=a,b" address.
      const std::string prefix = std::string(facet.name) + ":";
      for (auto it = req.query.lower_bound(prefix);
           it != req.query.end() && it->first.rfind(prefix, 0) == 0; ++it) {
        state.from_form = true;
        const std::string value = it->first.substr(prefix.size());
        if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end()) {
          values.push_back(value);
        }
      }
      if (values.empty()) state.filters.erase(facet.name);
    }
    // Newest first where there is nothing to rank by.
    if (state.sort.empty() && (state.q.empty() || !fixed_facet.empty())) state.sort = "date";
    return state;
  }

  // The canonical address of `state` at page `page` (the fixed facet is in
  // the path, not the query).
  static std::string Url(const std::string& base, const SearchState& state,
                         const std::string& fixed_facet, int page) {
    std::vector<std::string> parts;
    if (!state.q.empty()) parts.push_back("q=" + http::PercentEncode(state.q));
    for (const auto& facet : Facets()) {
      auto it = state.filters.find(facet.name);
      if (facet.name == fixed_facet || it == state.filters.end() || it->second.empty()) continue;
      std::vector<std::string> encoded;
      for (const auto& v : it->second) encoded.push_back(http::PercentEncode(v));
      parts.push_back(std::string(facet.name) + "=" + Join(encoded, ","));
    }
    const bool default_date = state.q.empty() || !fixed_facet.empty();
    if (!state.sort.empty() && state.sort != (default_date ? "date" : "relevance")) {
      parts.push_back("sort=" + http::PercentEncode(state.sort));
    }
    if (!state.from.empty()) parts.push_back("from=" + http::PercentEncode(state.from));
    if (!state.to.empty()) parts.push_back("to=" + http::PercentEncode(state.to));
    if (!state.spelling.empty()) parts.push_back("spelling=" + http::PercentEncode(state.spelling));
    if (page > 1) parts.push_back("page=" + std::to_string(page));
    return parts.empty() ? base : base + "?" + Join(parts, "&");
  }

  std::string FacetLabel(const Facet& facet, const std::string& key) {
    if (facet.kind != nullptr) return kb_->vocabulary()->Label(facet.kind, key);
    return std::string(facet.name) == "type" ? TypeLabel(key) : key;
  }

  void FillResults(View* view, const knowledge::SearchPage& page, const SearchState& state,
                   const std::string& base, const std::string& fixed_facet) {
    // Results.
    View hits = ListView();
    for (const auto& hit : page.hits) {
      View h = ItemView(hit.item);
      h.set("snippet", hit.snippet.empty() ? hit.item.summary : hit.snippet);
      h.set("has_snippet", !hit.snippet.empty());
      h.set("has_attachment", !hit.attachment.empty());  // issue 10: "Gevonden in bijlage …"
      h.set("attachment", hit.attachment);
      hits.push_back(h);
    }
    view->set("hits", hits);
    view->set("has_hits", !page.hits.empty());
    const std::string count =
        std::to_string(page.total) + (page.total == 1 ? " resultaat" : " resultaten") +
        (state.q.empty() ? "" : " voor ‘" + (page.corrected ? page.suggestion : page.query) + "’");
    view->set("status", count);
    if (page.hits.empty() && page.total == 0) {
      view->set("no_results", true);
      // Only the advice that fits: words to check when there are words,
      // filters to drop when some are on (a theme page's own is not one).
      bool filtered = !state.from.empty() || !state.to.empty();
      for (const auto& [facet, values] : state.filters) {
        if (facet != fixed_facet && !values.empty()) filtered = true;
      }
      view->set("hint_words", !state.q.empty());
      view->set("hint_filters", filtered);
      view->set("hint_empty", state.q.empty() && !filtered);
      view->set("all_themes", VocabularyLinks(content::Vocabulary::kThemes, "/themas/"));
    }
    view->set("relaxed", page.relaxed);

    // Spelling: searched for the correction, or only suggested; and the
    // close words of a rare word, searched beside it. Spelling off searches
    // the words as typed only.
    auto as_typed_url = [&] {
      SearchState as_typed = state;
      as_typed.spelling = "off";
      return Url(base, as_typed, fixed_facet, 1);
    };
    if (!page.suggestion.empty()) {
      if (page.corrected) {
        view->set("corrected", page.suggestion);
        view->set("original", page.query);
        view->set("original_url", as_typed_url());
      } else {
        SearchState other = state;
        other.q = page.suggestion;
        other.spelling.clear();
        view->set("suggestion", page.suggestion);
        view->set("suggestion_url", Url(base, other, fixed_facet, 1));
      }
    }
    if (!page.also_searched.empty()) {
      view->set("also_searched", Join(page.also_searched, ", "));
      view->set("typed", page.query);
      view->set("typed_url", as_typed_url());
    }

    // Facets with counts; selected values stay even when counted 0.
    View facets = ListView();
    View active = ListView();
    for (const auto& facet : Facets()) {
      if (facet.name == fixed_facet) continue;
      std::map<std::string, uint64_t> counts;
      if (auto it = page.facets.find(facet.name); it != page.facets.end()) counts = it->second;
      std::vector<std::string> selected;
      if (auto it = state.filters.find(facet.name); it != state.filters.end()) {
        selected = it->second;
      }
      for (const auto& s : selected) counts.emplace(s, 0);
      std::vector<std::pair<std::string, std::string>> values;  // label, key
      for (const auto& [key, n] : counts) {
        const bool is_selected = std::find(selected.begin(), selected.end(), key) != selected.end();
        if (n > 0 || is_selected) values.emplace_back(FacetLabel(facet, key), key);
      }
      const std::string name = facet.name;
      if (name == "type") {
        std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
          auto pos = [](const std::string& k) {
            return std::find(ItemTypes().begin(), ItemTypes().end(), k) - ItemTypes().begin();
          };
          return pos(a.second) < pos(b.second);
        });
      } else if (name == "year") {
        std::sort(values.begin(), values.end(),
                  [](const auto& a, const auto& b) { return a.second > b.second; });
      } else {
        std::sort(values.begin(), values.end());
      }
      if (values.empty()) continue;
      View options = ListView();
      for (const auto& [label, key] : values) {
        const bool is_selected = std::find(selected.begin(), selected.end(), key) != selected.end();
        View option;
        option.set("id", "f-" + name + "-" + key);
        option.set("name", name + ":" + key);
        option.set("label", label);
        option.set("count", std::to_string(counts[key]));
        option.set("checked", is_selected);
        options.push_back(option);
        if (is_selected) {
          SearchState without = state;
          auto& vs = without.filters[name];
          vs.erase(std::remove(vs.begin(), vs.end(), key), vs.end());
          View a;
          a.set("label", label);
          a.set("url", Url(base, without, fixed_facet, 1));
          active.push_back(a);
        }
      }
      View f;
      f.set("name", name);
      f.set("legend", facet.legend);
      f.set("options", options);
      facets.push_back(f);
    }
    for (const auto* date : {&state.from, &state.to}) {
      if (date->empty()) continue;
      SearchState without = state;
      (date == &state.from ? without.from : without.to).clear();
      View a;
      a.set("label", (date == &state.from ? "vanaf " : "tot en met ") + DutchDate(*date));
      a.set("url", Url(base, without, fixed_facet, 1));
      active.push_back(a);
    }
    view->set("facets", facets);
    view->set("active", active);
    view->set("has_active", !active.is_empty_list());
    view->set("active_count", std::to_string(active.list_value().size()));
    SearchState cleared;
    cleared.q = state.q;
    cleared.sort = state.sort;
    view->set("clear_url", Url(base, cleared, fixed_facet, 1));

    // Pagination: every page reachable.
    const int last = LastPage(page.total);
    View pages = ListView();
    for (const auto& link : PageWindow(page.page, last)) {
      View p;
      if (link.number == 0) {
        p.set("gap", true);
      } else {
        p.set("number", std::to_string(link.number));
        p.set("url", Url(base, state, fixed_facet, link.number));
        p.set("current", link.current);
      }
      pages.push_back(p);
    }
    view->set("pages", pages);
    view->set("has_pages", last > 1);
    if (page.page > 1) view->set("previous_url", Url(base, state, fixed_facet, page.page - 1));
    if (page.page < last) view->set("next_url", Url(base, state, fixed_facet, page.page + 1));
  }

  // The fields a result, a related item or an item page show.
  View ItemView(const kpo::Item& item) override {
    const auto vocab = kb_->vocabulary();
    View v;
    v.set("id", item.id);
    v.set("url", "/items/" + item.id);
    v.set("title", item.title);
    v.set("type_label", TypeLabel(item.type));
    v.set("has_date", !item.published.empty());
    v.set("date", DutchDate(item.published));
    v.set("date_iso", item.published);
    v.set("draft", item.status == "draft");
    v.set("archived", item.status == "archived");
    // Every key is set (false when absent): Mustache looks a missing key up
    // in the enclosing context, so a related item would show its page's.
    v.set("has_werkplaats", !item.werkplaats.empty());
    if (!item.werkplaats.empty()) {
      v.set("werkplaats", vocab->Label(content::Vocabulary::kWerkplaatsen, item.werkplaats));
      v.set("werkplaats_url", "/werkplaatsen/" + item.werkplaats);
    }
    v.set("theme_labels", Labels(item.themes, content::Vocabulary::kThemes, "/themas/"));
    // Who may read it, shown to those who can, wherever the item is listed:
    // a result copied or forwarded from a list must say it is not public.
    SetText(&v, "audience", Audience(*vocab, item.access, item.groups));
    return v;
  }

  View Labels(const std::vector<std::string>& keys, const char* kind, const std::string& path) {
    View list = ListView();
    for (const auto& key : keys) {
      View l;
      l.set("label", kb_->vocabulary()->Label(kind, key));
      if (!path.empty()) l.set("url", path + key);
      list.push_back(l);
    }
    return list;
  }

  View VocabularyLinks(const char* kind, const std::string& path) {
    const auto vocab = kb_->vocabulary();
    std::vector<std::pair<std::string, std::string>> entries;
    if (auto it = vocab->all().find(kind); it != vocab->all().end()) {
      for (const auto& [key, label] : it->second) entries.emplace_back(label, key);
    }
    std::sort(entries.begin(), entries.end());
    View list = ListView();
    for (const auto& [label, key] : entries) {
      View l;
      l.set("label", label);
      l.set("url", path + key);
      list.push_back(l);
    }
    return list;
  }

  // The newest `size` items of `filters` the caller may read.
  View Hits(const Caller& caller, const std::map<std::string, std::string>& filters, int size) {
    knowledge::SearchParams params;
    params.filters = filters;
    params.sort = "date";
    params.size = std::to_string(size);
    View list = ListView();
    auto page = kb_->Search(caller.principal, params);
    if (!page.ok()) {
      Log(LogLevel::kError, "portal.home", {{"detail", page.status().detail()}});
      return list;
    }
    for (const auto& hit : page->hits) {
      View h = ItemView(hit.item);
      h.set("summary", hit.item.summary);
      list.push_back(h);
    }
    return list;
  }

  // The academy's next `kHomeCourses` courses the caller may read, each with
  // its next session (the academy sorts by it and applies access).
  View UpcomingCourses(const Caller& caller) {
    View list = ListView();
    if (academy_ == nullptr) return list;
    auto courses = academy_->ListCourses(caller.principal, {.upcoming = true});
    if (!courses.ok()) {
      Log(LogLevel::kError, "portal.home", {{"detail", courses.status().detail()}});
      return list;
    }
    for (const auto& course : *courses) {
      if (list.list_value().size() == kHomeCourses) break;
      auto next = std::find_if(course.sessions.begin(), course.sessions.end(),
                               [&](const academy::SessionView& s) {
                                 return s.session.start_utc == course.next_start_utc;
                               });
      if (next == course.sessions.end()) continue;
      View c = ItemView(course.item);
      c.set("url", "/academie/" + course.item.id);  // the course page with its dates
      c.set("session_iso", next->start_local);
      c.set("session_date", DutchDateTime(next->start_local));
      c.set("session_places", FreePlaces(next->free));
      list.push_back(c);
    }
    return list;
  }

  knowledge::KnowledgeBase* kb_;
  access::AuthService* auth_;
  academy::Academy* academy_;
  feed::NewsFeed* news_feed_;        // issue 10
  attachments::Attachments* files_;  // issue 10: an item's attachments
  std::shared_ptr<const Templates> templates_;
  const int64_t idle_seconds_;
  const std::string css_version_;
  const std::string js_version_;
};

}  // namespace

StatusOr<HtmlErrorFn> BuildPortal(http::Router* router, const PortalDeps& deps) {
  auto templates = Templates::Load();
  if (!templates.ok()) return templates.status();
  auto portal = std::make_shared<Portal>(deps, *templates);
  router->Add("GET", "/", [portal](const Request& req) { return portal->Home(req); });
  router->Add("GET", "/zoeken", [portal](const Request& req) { return portal->Search(req, ""); });
  router->Add("GET", "/themas/{id}",
              [portal](const Request& req) { return portal->Search(req, "theme"); });
  router->Add("GET", "/werkplaatsen/{id}",
              [portal](const Request& req) { return portal->Search(req, "werkplaats"); });
  router->Add("GET", "/items/{id}", [portal](const Request& req) { return portal->Item(req); });
  router->Add("GET", "/inloggen", [portal](const Request& req) { return portal->LoginForm(req); });
  router->Add("POST", "/inloggen", [portal](const Request& req) { return portal->Login(req); });
  router->Add("POST", "/uitloggen", [portal](const Request& req) { return portal->Logout(req); });
  if (deps.news_feed != nullptr) {  // issue 10
    router->Add("GET", "/mijn-feed", [portal](const Request& req) { return portal->MyFeed(req); });
    router->Add("POST", "/mijn-feed", [portal](const Request& req) { return portal->MyFeed(req); });
  }
  for (const auto& [path, name, title] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"/toegankelijkheid", "toegankelijkheid", "Toegankelijkheidsverklaring"},
           {"/privacy", "privacy", "Privacyverklaring"},
           {"/contact", "contact", "Contact"}}) {
    router->Add("GET", path, [portal, name = name, title = title](const Request& req) {
      return portal->Static(req, name, title);
    });
  }
  // Issue 13 (auth): "Mijn account" and the second step of signing in.
  AddAccountPages(
      router, deps.auth,
      {[portal](const Request& req, int status, const std::string& title, const std::string& name,
                const View& view) { return portal->KitPage(req, status, title, name, view); },
       [portal](const Request& req, int status) { return portal->Error(req, status); }});
  AddAcademyPages(router, portal, deps);    // the academy's pages (issue 11)
  AddEditorialPages(router, portal, deps);  // issue 10: /redactie pages
  return HtmlErrorFn(
      [portal](const Request& req, int status) { return portal->Error(req, status); });
}

}  // namespace kpo::portal

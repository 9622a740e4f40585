// Implements academy_pages.h: thin page handlers (read the request, ask
// academy::Academy, fill a view, render a template inside the portal's
// layout).
#include "portal/academy_pages.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "academy/academy.h"
#include "access/auth_service.h"
#include "access/policy.h"
#include "content/item_file.h"
#include "content/validate.h"
#include "content/vocabulary.h"
#include "http/request.h"
#include "knowledge/knowledge_base.h"
#include "portal/page_forms.h"
#include "portal/view.h"

namespace kpo::portal {

namespace {

using http::Reply;
using http::Request;

// A form's fields by front-matter key, with their labels as the form shows
// them, in the form's order: error messages name fields by these
// (content::FormMessage) and the error summary lists them in this order.
// Each key is also the id of its input.
using FormLabels = std::vector<std::pair<std::string, std::string>>;

const FormLabels& CourseLabels() {
  static const FormLabels kLabels = {{"title", "Titel"},
                                     {"id", "Id in het adres"},
                                     {"summary", "Samenvatting"},
                                     {"body", "Beschrijving"},
                                     {"provider", "Aanbieder"},
                                     {"format", "Vorm"},
                                     {"level", "Niveau"},
                                     {"duration", "Duur"},
                                     {"cost", "Kosten in euro's"},
                                     {"language", "Taal"},
                                     {"points", "Accreditatiepunten"}};
  return kLabels;
}

// The session form's fields, as CourseLabels.
const FormLabels& SessionLabels() {
  static const FormLabels kLabels = {{"id", "Id van de sessie"},
                                     {"start", "Begint"},
                                     {"end", "Eindigt"},
                                     {"location", "Locatie of online link"},
                                     {"capacity", "Aantal plaatsen"},
                                     {"deadline", "Inschrijven kan tot en met"}};
  return kLabels;
}

// Problems beside their fields and in a summary at the top whose entries
// link to the fields, as the editorial editor shows them: "err_<key>" per
// field of `labels`, "errors" (text, href) and "has_errors". A session's
// "sessions.0.end" is the session form's "end"; a problem of a field not on
// the form is in the summary only.
void SetProblems(View* v, std::vector<content::FieldError> problems, const FormLabels& labels) {
  auto key_of = [](const std::string& field) {
    if (field.rfind("sessions.", 0) != 0) return field;
    const size_t dot = field.find('.', 9);
    return dot == std::string::npos ? std::string() : field.substr(dot + 1);
  };
  // The field's place on the form; labels.size() when it is not on it.
  auto place = [&](const std::string& field) {
    const std::string key = key_of(field);
    return static_cast<size_t>(
        std::find_if(labels.begin(), labels.end(), [&](const auto& l) { return l.first == key; }) -
        labels.begin());
  };
  auto label = [&](const std::string& field) {
    const size_t at = place(field);
    return at == labels.size() ? field : labels[at].second;
  };
  // In the form's order, whichever check found them first.
  std::stable_sort(problems.begin(), problems.end(),
                   [&](const auto& a, const auto& b) { return place(a.field) < place(b.field); });
  std::map<std::string, std::string> by_field;
  View summary = ListView();
  for (const auto& p : problems) {
    const std::string key = key_of(p.field);
    const bool on_form = place(p.field) < labels.size();
    std::string text =
        p.form_message.empty() && !on_form ? p.message : content::FormMessage(p, label);
    // A sentence ends once: some messages bring their own full stop.
    if (!text.empty() && text.back() != '.') text += '.';
    View entry;
    entry.set("text", text);
    if (on_form) {
      std::string& beside = by_field[key];
      beside += (beside.empty() ? "" : " ") + text;
      entry.set("href", "#" + key);
    } else {
      entry.set("href", false);
    }
    summary.push_back(entry);
  }
  for (const auto& [key, unused] : labels) {
    auto it = by_field.find(key);
    SetText(v, "err_" + key, it == by_field.end() ? std::string() : it->second);
  }
  v->set("errors", summary);
  v->set("has_errors", !problems.empty());
}

// What a redirect after a successful POST tells the next page (?melding=).
// Only these fixed texts are ever shown: the address cannot put words on
// the page.
const std::map<std::string, std::string>& AcademyNotices() {
  static const std::map<std::string, std::string> kNotices = {
      {"ingeschreven", "U bent ingeschreven."},
      {"wachtlijst", "De sessie is vol: u staat op de wachtlijst."},
      // Said of a place and of a waiting-list place alike (the question
      // before it said what follows).
      {"uitgeschreven", "U bent uitgeschreven."},
      {"cursus-opgeslagen", "De cursus is opgeslagen."},
      {"sessie-opgeslagen", "De sessie is opgeslagen."},
      {"capaciteit", "Het aantal plaatsen is aangepast."},
      {"sessie-geannuleerd",
       "De sessie is geannuleerd. Ingeschreven leden zien dit bij hun "
       "inschrijvingen."},
      {"agenda-ingetrokken", "De agenda-link is ingetrokken: hij werkt niet meer."}};
  return kNotices;
}

std::string FormatLabel(const std::string& format) {
  if (format == "klassikaal") return "Klassikaal";
  if (format == "online") return "Online";
  if (format == "e-learning") return "E-learning";
  if (format == "webinar") return "Webinar";
  return format;
}

// "nl" -> "Nederlands"; a code from before the list was checked stays as it is.
std::string LanguageName(const std::string& code) {
  for (const auto& l : CourseLanguages()) {
    if (code == l.code) return l.name;
  }
  return code;
}

// A select's options (key, label) with `chosen` selected. With
// `keep_unknown`, a form's value stored before its list was checked stays
// selected rather than silently becoming the first choice (saving it then
// asks for a real one); a filter's unknown value from the address is not
// shown.
View SelectOptions(const std::vector<std::pair<std::string, std::string>>& options,
                   const std::string& chosen, bool keep_unknown) {
  View out = ListView();
  bool found = false;
  for (const auto& [key, label] : options) {
    View o;
    o.set("key", key);
    o.set("label", label);
    o.set("selected", key == chosen);
    found = found || key == chosen;
    out.push_back(o);
  }
  if (keep_unknown && !found && !chosen.empty()) {
    View o;
    o.set("key", chosen);
    o.set("label", chosen);
    o.set("selected", true);
    out.push_back(o);
  }
  return out;
}

// 0 -> "Gratis"; 25000 -> "€ 250"; 1250 -> "€ 12,50".
std::string Price(int64_t cents) {
  if (cents <= 0) return "Gratis";
  std::string out = "€ " + std::to_string(cents / 100);
  if (cents % 100 != 0) {
    out += "," + std::string(cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100);
  }
  return out;
}

// The value a form field shows for a price: "12,50", "250", "0".
std::string PriceField(int64_t cents) {
  std::string out = std::to_string(cents / 100);
  if (cents % 100 != 0) {
    out += "," + std::string(cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100);
  }
  return out;
}

std::string CourseUrl(const std::string& id) { return "/academie/" + id; }
std::string SessionPath(const std::string& course_id, const std::string& session_id) {
  return CourseUrl(course_id) + "/sessies/" + session_id;
}

class AcademyPages {
 public:
  AcademyPages(std::shared_ptr<PageHost> host, const PortalDeps& deps)
      : host_(std::move(host)), kb_(deps.kb), academy_(deps.academy) {}

  // GET /academie: the catalogue with its filters.
  Reply Catalogue(const Request& req) {
    return WithCaller(req, [&](const PageCaller& caller) -> Reply {
      academy::CourseFilter filter;
      filter.theme = req.Query("theme");
      filter.format = req.Query("format");
      filter.audience = req.Query("audience");
      filter.region = req.Query("region");
      filter.upcoming = req.Query("upcoming") == "1";
      filter.free = req.Query("free") == "1";
      filter.from = req.Query("from");
      filter.to = req.Query("to");
      View view;
      view.set("manager", access::CanManageAcademy(caller.principal));
      FillFilters(&view, filter);
      auto courses = academy_->ListCourses(caller.principal, filter);
      if (!courses.ok()) {
        if (TypeOf(courses.status().code()) != ErrorType::kInvalidRequest) {
          return host_->ErrorPage(req, caller, 500, courses.status());
        }
        // A person followed or edited a link: say so plainly, keep the form.
        view.set("error", std::string("Dit adres bevat een filter of datum die niet bestaat. "
                                      "Kies de filters opnieuw."));
        view.set("courses", ListView());
        return host_->Page(req, caller, 400, "Academie", "academy_catalogue", view);
      }
      View list = ListView();
      for (const auto& c : *courses) list.push_back(CourseCard(c));
      const size_t n = courses->size();
      view.set("courses", list);
      view.set("has_courses", n > 0);
      view.set("status", std::to_string(n) + (n == 1 ? " cursus" : " cursussen"));
      return host_->Page(req, caller, 200, "Academie", "academy_catalogue", view);
    });
  }

  // GET /academie/{id}: the course with its sessions and the caller's places.
  Reply Course(const Request& req) {
    return WithCaller(req, [&](const PageCaller& caller) -> Reply {
      return CoursePage(req, caller, 200, Notice(req), "");
    });
  }

  // POST /academie/{id}/sessies/{sid}/inschrijven
  Reply Enrol(const Request& req) {
    return WithForm(req, [&](const PageCaller& caller, const std::map<std::string, std::string>&) {
      const std::string& id = req.params.at("id");
      auto place = academy_->Enrol(caller.principal, req.remote_address, id, req.params.at("sid"));
      if (!place.ok()) return Refused(req, caller, place.status());
      return SeeOther(AtSession(id, place->state == "enrolled" ? "ingeschreven" : "wachtlijst",
                                req.params.at("sid")));
    });
  }

  // POST /academie/{id}/sessies/{sid}/uitschrijven; `terug=mijn-inschrijvingen`
  // when asked from there, which it then returns to.
  Reply Cancel(const Request& req) {
    return WithForm(req, [&](const PageCaller& caller,
                             const std::map<std::string, std::string>& form) {
      const std::string& id = req.params.at("id");
      Status s = academy_->Cancel(caller.principal, req.remote_address, id, req.params.at("sid"));
      if (!s.ok()) return Refused(req, caller, s);
      auto back = form.find("terug");
      if (back != form.end() && back->second == "mijn-inschrijvingen") {
        return SeeOther("/mijn-inschrijvingen?melding=uitgeschreven");
      }
      return SeeOther(AtSession(id, "uitgeschreven", req.params.at("sid")));
    });
  }

  // GET /mijn-inschrijvingen
  Reply Mine(const Request& req) {
    return WithCaller(req, [&](const PageCaller& caller) -> Reply {
      if (!caller.principal.authenticated()) return SignIn(req);
      return MinePage(req, caller, 200, Notice(req), "", "");
    });
  }

  // POST /mijn-inschrijvingen/agenda: a new personal feed URL, shown once.
  Reply CreateFeed(const Request& req) {
    return WithForm(req, [&](const PageCaller& caller, const std::map<std::string, std::string>&) {
      auto feed = academy_->CreateFeed(caller.principal, req.remote_address);
      if (!feed.ok()) {
        if (TypeOf(feed.status().code()) != ErrorType::kInvalidRequest &&
            TypeOf(feed.status().code()) != ErrorType::kAuth) {
          return host_->ErrorPage(req, caller, 500, feed.status());
        }
        return MinePage(req, caller, HttpStatus(feed.status().code()), "", feed.status().message(),
                        "");
      }
      // Shown on this answer only (the secret is stored hashed): no redirect.
      // Calendar programs need the whole address.
      return MinePage(req, caller, 200, "", "", req.AbsoluteUrl(feed->path));
    });
  }

  // POST /mijn-inschrijvingen/agenda/intrekken
  Reply RevokeFeed(const Request& req) {
    return WithForm(req, [&](const PageCaller& caller, const std::map<std::string, std::string>&) {
      Status s = academy_->RevokeFeed(caller.principal, req.remote_address);
      if (!s.ok()) return host_->ErrorPage(req, caller, 500, s);
      return SeeOther("/mijn-inschrijvingen?melding=agenda-ingetrokken");
    });
  }

  // --- academy managers ------------------------------------------------------

  // GET /academie/nieuw and /academie/{id}/bewerken.
  Reply CourseForm(const Request& req) {
    return WithManager(req, [&](const PageCaller& caller) -> Reply {
      auto it = req.params.find("id");
      if (it == req.params.end()) {
        View fields = CourseFields(kpo::Item{}, CourseFacts{});
        return FormPage(req, caller, 200, "", "", fields);
      }
      auto doc = kb_->GetDocument(caller.principal, it->second);
      auto course = academy_->GetCourse(caller.principal, it->second);
      if (!doc.ok() || !course.ok()) {
        return CourseMissing(req, caller, doc.ok() ? course.status() : doc.status());
      }
      return FormPage(req, caller, 200, it->second, "", CourseFields(doc->item, course->facts));
    });
  }

  // POST /academie/nieuw and /academie/{id}/bewerken.
  Reply SaveCourse(const Request& req) {
    return WithForm(
        req,
        [&](const PageCaller& caller, const std::map<std::string, std::string>& form) -> Reply {
          auto it = req.params.find("id");
          const std::string id = it == req.params.end() ? "" : it->second;
          academy::CourseInput input;
          std::vector<content::FieldError> problems = ReadCourseForm(form, &input);
          StatusOr<academy::CourseView> saved = Status::Error(ErrorCode::kInvalidField, "");
          if (!problems.empty()) {
            // Not saved: with the form's own problems, the validation
            // routine's, so one submit shows them all.
            for (auto& p : academy_->CourseProblems(input)) {
              const bool known = std::any_of(problems.begin(), problems.end(),
                                             [&](const auto& q) { return q.field == p.field; });
              if (!known) problems.push_back(std::move(p));
            }
          } else {
            saved = id.empty() ? academy_->CreateCourse(caller.principal, req.remote_address, input,
                                                        &problems)
                               : academy_->EditCourse(caller.principal, req.remote_address, id,
                                                      input, &problems);
          }
          if (saved.ok()) return SeeOther(CourseUrl(saved->item.id) + "?melding=cursus-opgeslagen");
          const ErrorType type = TypeOf(saved.status().code());
          if (type != ErrorType::kInvalidRequest && type != ErrorType::kAuth) {
            return host_->ErrorPage(req, caller, 500, saved.status());
          }
          if (saved.status().Is(ErrorCode::kCourseNotFound)) {
            return CourseMissing(req, caller, saved.status());
          }
          if (saved.status().Is(ErrorCode::kDuplicateId)) {
            const std::string& taken = saved.status().message();
            problems.push_back({"id", taken, taken});
          }
          // The form again with what was typed, and what to change.
          return FormPage(req, caller, HttpStatus(saved.status().code()), id,
                          problems.empty() ? saved.status().message() : "", FormFields(form),
                          problems);
        });
  }

  // GET /academie/{id}/sessies/nieuw and /academie/{id}/sessies/{sid}/bewerken.
  Reply SessionForm(const Request& req) {
    return WithManager(req, [&](const PageCaller& caller) -> Reply {
      auto course = academy_->GetCourse(caller.principal, req.params.at("id"));
      if (!course.ok()) return CourseMissing(req, caller, course.status());
      std::map<std::string, std::string> values;
      auto sid = req.params.find("sid");
      if (sid != req.params.end()) {
        auto s = std::find_if(
            course->sessions.begin(), course->sessions.end(),
            [&](const academy::SessionView& v) { return v.session.id == sid->second; });
        if (s == course->sessions.end()) return host_->ErrorPage(req, caller, 404, Status::Ok());
        values = {{"id", s->session.id},
                  {"start", s->start_local},
                  {"end", s->end_local},
                  {"location", s->session.location},
                  {"capacity", std::to_string(s->session.capacity)},
                  // The default shows as empty, as the form's hint says,
                  // so moving the session moves it too.
                  {"deadline", s->session.deadline == academy::DefaultDeadline(s->start_local)
                                   ? std::string()
                                   : s->session.deadline}};
      }
      return SessionPage(req, caller, 200, *course, sid != req.params.end(), "", values);
    });
  }

  // POST /academie/{id}/sessies/nieuw and /academie/{id}/sessies/{sid}/bewerken.
  Reply SaveSession(const Request& req) {
    return WithForm(
        req, [&](const PageCaller& caller, std::map<std::string, std::string> form) -> Reply {
          const std::string& id = req.params.at("id");
          auto sid = req.params.find("sid");
          const bool editing = sid != req.params.end();
          if (editing) form["id"] = sid->second;
          academy::SessionInput input{form["start"], form["end"], form["location"],
                                      form["deadline"]};
          // A capacity that is no number stays 0, which the validation
          // routine refuses beside the field with every other problem.
          long long capacity = 0;
          if (content::ParseAmount(form["capacity"], false, &capacity)) input.capacity = capacity;
          std::vector<content::FieldError> problems;
          auto saved = editing ? academy_->PutSession(caller.principal, req.remote_address, id,
                                                      form["id"], input, &problems)
                               : academy_->AddSession(caller.principal, req.remote_address, id,
                                                      &form["id"], input, &problems);
          if (saved.ok()) {
            return SeeOther(AtSession(id, "sessie-opgeslagen", form["id"]));
          }
          const ErrorType type = TypeOf(saved.status().code());
          if (type != ErrorType::kInvalidRequest && type != ErrorType::kAuth) {
            return host_->ErrorPage(req, caller, 500, saved.status());
          }
          auto course = academy_->GetCourse(caller.principal, id);
          if (!course.ok()) return CourseMissing(req, caller, course.status());
          return SessionPage(req, caller, HttpStatus(saved.status().code()), *course, editing,
                             problems.empty() ? saved.status().message() : "", form, problems);
        });
  }

  // POST /academie/{id}/sessies/{sid}/capaciteit
  Reply Capacity(const Request& req) {
    return WithForm(
        req,
        [&](const PageCaller& caller, const std::map<std::string, std::string>& form) -> Reply {
          const std::string& id = req.params.at("id");
          long long capacity = 0;
          auto it = form.find("capacity");
          if (it == form.end() || !content::ParseAmount(it->second, false, &capacity)) {
            return CoursePage(req, caller, 400, "",
                              "Vul bij aantal plaatsen een getal in, bijvoorbeeld 20.");
          }
          auto done = academy_->SetCapacity(caller.principal, req.remote_address, id,
                                            req.params.at("sid"), capacity);
          if (!done.ok()) return Refused(req, caller, done.status());
          return SeeOther(AtSession(id, "capaciteit", req.params.at("sid")));
        });
  }

  // POST /academie/{id}/sessies/{sid}/annuleren
  Reply CancelSession(const Request& req) {
    return WithForm(req, [&](const PageCaller& caller, const std::map<std::string, std::string>&) {
      const std::string& id = req.params.at("id");
      auto done =
          academy_->CancelSession(caller.principal, req.remote_address, id, req.params.at("sid"));
      if (!done.ok()) return Refused(req, caller, done.status());
      return SeeOther(AtSession(id, "sessie-geannuleerd", req.params.at("sid")));
    });
  }

 private:
  template <typename Fn>
  Reply WithCaller(const Request& req, Fn fn) {
    return portal::WithCaller(host_.get(), req, fn);
  }

  // A POST form (page_forms.h); anonymous callers sign in and come back.
  template <typename Fn>
  Reply WithForm(const Request& req, Fn fn) {
    return portal::WithForm(host_.get(), req, &SignIn, fn);
  }

  // A manager's form page: anonymous callers sign in first, others get 403.
  template <typename Fn>
  Reply WithManager(const Request& req, Fn fn) {
    return WithCaller(req, [&](const PageCaller& caller) -> Reply {
      if (!caller.principal.authenticated()) return SignIn(req);
      if (!access::CanManageAcademy(caller.principal)) {
        return host_->ErrorPage(req, caller, 403, Status::Ok());
      }
      return fn(caller);
    });
  }

  // To the sign-in page, and back to the course (or page) afterwards.
  static Reply SignIn(const Request& req) {
    std::string back = "/" + (req.segments.empty() ? std::string() : req.segments[0]);
    if (req.segments.size() > 1 && req.segments[0] == "academie") back += "/" + req.segments[1];
    return SeeOther("/inloggen?next=" + http::PercentEncode(back));
  }

  // The course page after an action on one session: the address scrolls to
  // that session's entry, and its notice is shown there (CoursePage), in view
  // where the button was, not at the top of a long page.
  static std::string AtSession(const std::string& course, const std::string& notice,
                               const std::string& sid) {
    return CourseUrl(course) + "?melding=" + notice + "&sessie=" + http::PercentEncode(sid) +
           "#sessie-" + sid;
  }

  static std::string Notice(const Request& req) {
    auto it = AcademyNotices().find(req.Query("melding"));
    return it == AcademyNotices().end() ? "" : it->second;
  }

  // A refused action on a course: the course page again with the academy's
  // Dutch reason and its status (403 audience, 409 deadline, ...).
  Reply Refused(const Request& req, const PageCaller& caller, const Status& status) {
    const ErrorType type = TypeOf(status.code());
    if (type != ErrorType::kInvalidRequest && type != ErrorType::kAuth) {
      return host_->ErrorPage(req, caller, 500, status);
    }
    if (status.Is(ErrorCode::kCourseNotFound)) return CourseMissing(req, caller, status);
    return CoursePage(req, caller, HttpStatus(status.code()), "", status.message());
  }

  // Missing, unreadable and malformed ids: the portal's one 404 page.
  Reply CourseMissing(const Request& req, const PageCaller& caller, const Status& status) {
    const ErrorCode code = status.code();
    if (code == ErrorCode::kCourseNotFound || code == ErrorCode::kDocumentNotFound ||
        code == ErrorCode::kInvalidDocumentId) {
      return host_->ItemMissing(req, caller);
    }
    return host_->ErrorPage(req, caller, 500, status);
  }

  std::vector<std::pair<std::string, std::string>> Vocabulary(const char* kind) {
    return VocabularyEntries(*kb_->vocabulary(), kind);
  }

  // The options of a select.
  View Options(const char* kind, const std::string& selected) {
    std::vector<std::pair<std::string, std::string>> options;
    for (const auto& [label, key] : Vocabulary(kind)) options.emplace_back(key, label);
    return SelectOptions(options, selected, false);
  }

  void FillFilters(View* view, const academy::CourseFilter& filter) {
    view->set("themes", Options(content::Vocabulary::kThemes, filter.theme));
    view->set("regions", Options(content::Vocabulary::kRegions, filter.region));
    view->set("audiences", Options(content::Vocabulary::kGroups, filter.audience));
    View formats = ListView();
    for (const auto& f : CourseFormats()) {
      View o;
      o.set("key", f);
      o.set("label", FormatLabel(f));
      o.set("selected", f == filter.format);
      formats.push_back(o);
    }
    view->set("formats", formats);
    view->set("upcoming", filter.upcoming);
    view->set("free", filter.free);
    view->set("from", filter.from);
    view->set("to", filter.to);
  }

  // The facts every course view shows; every key set (Mustache looks a
  // missing key up in the enclosing context).
  View CourseFactsView(const academy::CourseView& c) {
    View v = host_->ItemView(c.item);
    v.set("url", CourseUrl(c.item.id));
    SetText(&v, "summary", c.item.summary);
    v.set("format", FormatLabel(c.facts.format));
    v.set("has_format", !c.facts.format.empty());
    v.set("provider", c.facts.provider);
    v.set("has_provider", !c.facts.provider.empty());
    SetText(&v, "level", c.facts.level);
    SetText(&v, "duration", c.facts.duration);
    v.set("price", Price(c.facts.cost_cents));
    v.set("language", LanguageName(c.facts.language));
    v.set("points", std::to_string(c.facts.points));
    v.set("target", c.audience.empty() ? std::string("Alle leden")
                                       : GroupLabels(*kb_->vocabulary(), c.audience));
    return v;
  }

  View CourseCard(const academy::CourseView& c) {
    View v = CourseFactsView(c);
    auto next = std::find_if(c.sessions.begin(), c.sessions.end(), [&](const auto& s) {
      return c.next_start_utc != 0 && s.session.start_utc == c.next_start_utc;
    });
    v.set("has_next", next != c.sessions.end());
    if (next != c.sessions.end()) {
      v.set("next_iso", next->start_local);
      v.set("next_date", DutchDateTime(next->start_local));
      v.set("next_places", FreePlaces(next->free));
    }
    int upcoming = 0;
    for (const auto& s : c.sessions) {
      if (!s.session.cancelled && s.session.start_utc >= c.next_start_utc &&
          c.next_start_utc != 0) {
        ++upcoming;
      }
    }
    SetText(&v, "more",
            upcoming > 1 ? "en nog " + std::to_string(upcoming - 1) +
                               (upcoming == 2 ? " bijeenkomst" : " bijeenkomsten")
                         : std::string());
    return v;
  }

  // One session as a page lists it. `page_url` is that page (the course's
  // or "Mijn inschrijvingen", which lists sessions of several courses: so
  // `anchor`, the element id, is the page's); `asked` its ?vraag=, the step
  // to confirm first: "uitschrijven:<course>:<sid>" or
  // "annuleren:<course>:<sid>" (a place given up goes to the next on the
  // waiting list at once; a cancelled session cannot be reopened), so a
  // stray click changes nothing.
  View SessionRow(const academy::CourseView& c, const academy::SessionView& s,
                  const PageCaller& caller, const std::string& page_url, const std::string& anchor,
                  const std::string& asked) {
    View v;
    const bool online = s.session.location.rfind("https://", 0) == 0;
    v.set("id", anchor);
    v.set("anchor", anchor);
    v.set("start_iso", s.start_local);
    v.set("start", DutchDateTime(s.start_local));
    // The end on the same day shows only its time.
    v.set("end", s.end_local.substr(0, 10) == s.start_local.substr(0, 10)
                     ? s.end_local.substr(11)
                     : DutchDateTime(s.end_local));
    v.set("online", online);
    v.set("location", online ? std::string("Online") : s.session.location);
    SetText(&v, "online_url", online ? s.session.location : std::string());
    v.set("cancelled", s.session.cancelled);
    v.set("full", s.status == "full");
    v.set("places", s.session.cancelled ? std::string("geannuleerd") : FreePlaces(s.free));
    v.set("capacity", std::to_string(s.session.capacity));
    v.set("enrolled", std::to_string(s.session.enrolled));
    v.set("waiting", std::to_string(s.session.waiting));
    v.set("has_waiting", s.session.waiting > 0);
    v.set("deadline", DutchDate(s.session.deadline));
    v.set("deadline_iso", s.session.deadline);
    v.set("open", s.enrolment_open);
    const bool mine_enrolled = s.mine && s.mine->state == "enrolled";
    const bool mine_waiting = s.mine && s.mine->state == "waiting";
    v.set("mine_enrolled", mine_enrolled);
    v.set("mine_waiting", mine_waiting);
    v.set("position", s.mine ? std::to_string(s.mine->position) : std::string());
    // Enrol where the caller may and holds no place; a full session says
    // it puts them on the waiting list.
    const bool can_enrol =
        caller.principal.authenticated() && c.can_enrol && !s.mine && s.enrolment_open;
    v.set("can_enrol", can_enrol);
    v.set("enrol_label",
          s.status == "full" ? std::string("Op de wachtlijst zetten") : std::string("Inschrijven"));
    v.set("can_cancel", s.mine.has_value());
    v.set("cancel_label",
          mine_waiting ? std::string("Van de wachtlijst af") : std::string("Uitschrijven"));
    v.set("enrol_action", SessionPath(c.item.id, s.session.id) + "/inschrijven");
    v.set("cancel_action", SessionPath(c.item.id, s.session.id) + "/uitschrijven");
    const std::string key = c.item.id + ":" + s.session.id;
    v.set("confirm_cancel", s.mine.has_value() && asked == "uitschrijven:" + key);
    // No #fragment: a page opened at one skips autofocus, and the question
    // takes the focus (and so comes into view) by autofocus.
    v.set("ask_cancel_url", page_url + "?vraag=uitschrijven:" + key);
    v.set("cancel_question",
          mine_waiting ? "Van de wachtlijst af? U verliest plaats " +
                             std::to_string(s.mine->position) + " op de wachtlijst."
                       : std::string("Uitschrijven? Uw plaats gaat direct naar de eerste op de "
                                     "wachtlijst of komt vrij voor een ander; terugkomen kan "
                                     "alleen als er dan nog plaats is."));
    v.set("confirm_cancel_session", !s.session.cancelled && asked == "annuleren:" + key);
    v.set("ask_cancel_session_url", page_url + "?vraag=annuleren:" + key);
    std::string affected;
    if (s.session.enrolled > 0) {
      affected = std::to_string(s.session.enrolled) +
                 (s.session.enrolled == 1 ? " deelnemer" : " deelnemers");
    }
    if (s.session.waiting > 0) {
      affected += (affected.empty() ? "" : " en ") + std::to_string(s.session.waiting) +
                  " op de wachtlijst";
    }
    v.set("cancel_session_question",
          "Deze sessie annuleren? Dat kan niet ongedaan worden gemaakt. " +
              (affected.empty()
                   ? std::string("Er is nog niemand ingeschreven.")
                   : "Ingeschreven: " + affected + "; zij zien de sessie daarna als geannuleerd."));
    v.set("confirm_label",
          mine_waiting ? std::string("Ja, van de wachtlijst af") : std::string("Ja, uitschrijven"));
    v.set("back_url", page_url + "#" + anchor);
    v.set("edit_url", SessionPath(c.item.id, s.session.id) + "/bewerken");
    v.set("capacity_action", SessionPath(c.item.id, s.session.id) + "/capaciteit");
    v.set("cancel_session_action", SessionPath(c.item.id, s.session.id) + "/annuleren");
    v.set("csv_url",
          "/api/courses/" + c.item.id + "/sessions/" + s.session.id + "/participants.csv");
    return v;
  }

  Reply CoursePage(const Request& req, const PageCaller& caller, int status,
                   const std::string& notice, const std::string& error) {
    auto course = academy_->GetCourse(caller.principal, req.params.at("id"));
    if (!course.ok()) return CourseMissing(req, caller, course.status());
    const academy::CourseView& c = *course;
    View view = CourseFactsView(c);
    view.set("html", c.html);
    SetText(&view, "error", error);
    view.set("signed_in", caller.principal.authenticated());
    view.set("login_url", "/inloggen?next=" + http::PercentEncode(CourseUrl(c.item.id)));
    view.set("outside_audience", caller.principal.authenticated() && !c.can_enrol);
    view.set("manager", access::CanManageAcademy(caller.principal));
    view.set("csrf", caller.csrf_token);
    view.set("ics_url", "/api/courses/" + c.item.id + ".ics");
    view.set("edit_url", CourseUrl(c.item.id) + "/bewerken");
    view.set("new_session_url", CourseUrl(c.item.id) + "/sessies/nieuw");
    // A notice about one session (?sessie=, AtSession) goes in its entry;
    // about the course, or a session no longer listed, at the top.
    const std::string about = notice.empty() ? std::string() : req.Query("sessie");
    bool placed = false;
    View sessions = ListView();
    for (const auto& s : c.sessions) {
      View row = SessionRow(c, s, caller, CourseUrl(c.item.id), "sessie-" + s.session.id,
                            req.Query("vraag"));
      const bool here = !about.empty() && s.session.id == about;
      SetText(&row, "row_notice", here ? notice : std::string());
      placed = placed || here;
      sessions.push_back(row);
    }
    SetText(&view, "notice", placed ? std::string() : notice);
    view.set("sessions", sessions);
    view.set("has_sessions", !c.sessions.empty());
    return host_->Page(req, caller, status, c.item.title, "academy_course", view);
  }

  Reply MinePage(const Request& req, const PageCaller& caller, int status,
                 const std::string& notice, const std::string& error, const std::string& feed_url) {
    auto mine = academy_->MyEnrolments(caller.principal);
    if (!mine.ok()) return host_->ErrorPage(req, caller, 500, mine.status());
    View list = ListView();
    for (const auto& m : *mine) {
      View row =
          SessionRow(m.course, m.session, caller, "/mijn-inschrijvingen",
                     "sessie-" + m.course.item.id + "-" + m.session.session.id, req.Query("vraag"));
      row.set("title", m.course.item.title);
      row.set("url", CourseUrl(m.course.item.id));
      // This place's session only: the course's other sessions are not the
      // member's (the personal feed below has all their places).
      row.set("ics_url",
              "/api/courses/" + m.course.item.id + ".ics?sessie=" + m.session.session.id);
      list.push_back(row);
    }
    View view;
    view.set("enrolments", list);
    view.set("has_enrolments", !mine->empty());
    SetText(&view, "notice", notice);
    SetText(&view, "error", error);
    view.set("csrf", caller.csrf_token);
    SetText(&view, "feed_url", feed_url);
    // Revoking is offered only when there is a link to revoke.
    auto has_feed = academy_->HasFeed(caller.principal);
    if (!has_feed.ok()) return host_->ErrorPage(req, caller, 500, has_feed.status());
    view.set("has_feed", *has_feed);
    return host_->Page(req, caller, status, "Mijn inschrijvingen", "academy_mine", view);
  }

  View Checkboxes(const char* kind, const std::string& field,
                  const std::vector<std::string>& checked) {
    return portal::Checkboxes(*kb_->vocabulary(), kind, field, checked);
  }

  View Fields(const std::map<std::string, std::string>& text,
              const std::map<std::string, std::vector<std::string>>& lists, bool open_to_all) {
    View v;
    for (const char* name : {"id", "title", "summary", "body", "provider", "level", "duration",
                             "cost", "points", "base_revision"}) {
      auto it = text.find(name);
      v.set(name, it == text.end() ? std::string() : it->second);
    }
    auto list = [&lists](const char* name) {
      auto it = lists.find(name);
      return it == lists.end() ? std::vector<std::string>() : it->second;
    };
    v.set("themes", Checkboxes(content::Vocabulary::kThemes, "theme", list("themes")));
    v.set("regions", Checkboxes(content::Vocabulary::kRegions, "region", list("regions")));
    v.set("audiences", Checkboxes(content::Vocabulary::kGroups, "audience", list("audience")));
    const auto chosen = [&text](const char* field) {
      auto it = text.find(field);
      return it == text.end() ? std::string() : it->second;
    };
    std::vector<std::pair<std::string, std::string>> formats;
    for (const auto& f : CourseFormats()) formats.emplace_back(f, FormatLabel(f));
    v.set("formats", SelectOptions(formats, chosen("format"), true));
    std::vector<std::pair<std::string, std::string>> languages;
    for (const auto& l : CourseLanguages()) languages.emplace_back(l.code, l.name);
    v.set("languages", SelectOptions(languages, chosen("language"), true));
    v.set("open_to_all", open_to_all);
    return v;
  }

  View CourseFields(const kpo::Item& item, const CourseFacts& facts) {
    const bool fresh = item.id.empty();
    return Fields(
        {{"id", item.id},
         {"title", item.title},
         {"summary", item.summary},
         {"body", item.body_markdown},
         {"provider", facts.provider},
         {"format", facts.format},
         {"level", facts.level},
         {"duration", facts.duration},
         {"cost", PriceField(facts.cost_cents)},
         {"language", fresh ? std::string("nl") : facts.language},
         {"points", std::to_string(facts.points)},
         {"base_revision", fresh ? std::string() : std::to_string(item.revision)}},
        {{"themes", item.themes},
         {"regions", item.regions},
         {"audience", item.access == "restricted" ? item.groups : std::vector<std::string>()}},
        item.access == "public");
  }

  // The fields as typed, for showing the form again after a refusal.
  View FormFields(const std::map<std::string, std::string>& form) {
    std::map<std::string, std::vector<std::string>> lists;
    for (const auto& [name, value] : form) {
      for (const auto& [prefix, list] :
           {std::pair{"theme:", "themes"}, std::pair{"region:", "regions"},
            std::pair{"audience:", "audience"}}) {
        const std::string p = prefix;
        if (name.rfind(p, 0) == 0 && !value.empty()) lists[list].push_back(name.substr(p.size()));
      }
    }
    auto open = form.find("open_to_all");
    return Fields(form, lists, open != form.end() && open->second == "1");
  }

  // The course form into `input`; the fields it cannot read (none: read).
  static std::vector<content::FieldError> ReadCourseForm(
      const std::map<std::string, std::string>& form, academy::CourseInput* input) {
    auto text = [&form](const char* name) {
      auto it = form.find(name);
      return it == form.end() ? std::string() : it->second;
    };
    input->id = text("id");
    input->title = text("title");
    input->summary = text("summary");
    // Browsers send CRLF line ends; the stored Markdown keeps LF.
    std::string body = text("body");
    body.erase(std::remove(body.begin(), body.end(), '\r'), body.end());
    input->body = body;
    input->provider = text("provider");
    input->format = text("format");
    input->level = text("level");
    input->duration = text("duration");
    input->language = text("language");
    input->open_to_all = text("open_to_all") == "1";
    input->themes.emplace();
    input->regions.emplace();
    input->audience.emplace();
    for (const auto& [name, value] : form) {
      if (value.empty()) continue;
      for (const auto& [prefix, target] :
           {std::pair{"theme:", &*input->themes}, std::pair{"region:", &*input->regions},
            std::pair{"audience:", &*input->audience}}) {
        const std::string p = prefix;
        if (name.rfind(p, 0) == 0) target->push_back(name.substr(p.size()));
      }
    }
    std::string cost = text("cost");
    std::replace(cost.begin(), cost.end(), ',', '.');
    long long cents = 0;
    std::vector<content::FieldError> problems;
    if (!cost.empty() && !content::ParseAmount(cost, true, &cents)) {
      problems.push_back({"cost", "", "Vul bij {cost} een bedrag in, zoals 0, 250 of 12,50"});
    }
    input->cost_cents = cents;
    long long points = 0;
    if (!text("points").empty() && !content::ParseAmount(text("points"), false, &points)) {
      problems.push_back({"points", "", "Vul bij {points} een heel getal in, zoals 0 of 6"});
    }
    input->points = points;
    long long base = 0;
    if (!text("base_revision").empty() &&
        !content::ParseAmount(text("base_revision"), false, &base)) {
      problems.push_back({"base_revision", "Het formulier is beschadigd. Open de cursus opnieuw."});
    }
    input->base_revision = base;
    return problems;
  }

  Reply FormPage(const Request& req, const PageCaller& caller, int status, const std::string& id,
                 const std::string& error, View fields,
                 const std::vector<content::FieldError>& problems = {}) {
    fields.set("editing", !id.empty());
    fields.set("action", id.empty() ? std::string("/academie/nieuw") : CourseUrl(id) + "/bewerken");
    fields.set("back_url", id.empty() ? std::string("/academie") : CourseUrl(id));
    SetText(&fields, "error", error);
    SetProblems(&fields, problems, CourseLabels());
    fields.set("csrf", caller.csrf_token);
    return host_->Page(req, caller, status, id.empty() ? "Nieuwe cursus" : "Cursus bewerken",
                       "academy_course_form", fields);
  }

  Reply SessionPage(const Request& req, const PageCaller& caller, int status,
                    const academy::CourseView& course, bool editing, const std::string& error,
                    const std::map<std::string, std::string>& values,
                    const std::vector<content::FieldError>& problems = {}) {
    View v;
    for (const char* name : {"id", "start", "end", "location", "capacity", "deadline"}) {
      auto it = values.find(name);
      v.set(name, it == values.end() ? std::string() : it->second);
    }
    v.set("editing", editing);
    v.set("course_title", course.item.title);
    v.set("course_url", CourseUrl(course.item.id));
    auto sid = req.params.find("sid");
    v.set("action", editing ? SessionPath(course.item.id, sid->second) + "/bewerken"
                            : CourseUrl(course.item.id) + "/sessies/nieuw");
    SetText(&v, "error", error);
    SetProblems(&v, problems, SessionLabels());
    v.set("csrf", caller.csrf_token);
    return host_->Page(req, caller, status, editing ? "Sessie bewerken" : "Nieuwe sessie",
                       "academy_session_form", v);
  }

  std::shared_ptr<PageHost> host_;
  knowledge::KnowledgeBase* kb_;
  academy::Academy* academy_;
};

}  // namespace

void AddAcademyPages(http::Router* router, std::shared_ptr<PageHost> host, const PortalDeps& deps) {
  if (deps.academy == nullptr) return;
  auto pages = std::make_shared<AcademyPages>(std::move(host), deps);
  using Handler = Reply (AcademyPages::*)(const Request&);
  // Fixed paths before the {id} ones: the router takes the first match.
  const std::vector<std::tuple<const char*, const char*, Handler>> routes = {
      {"GET", "/academie", &AcademyPages::Catalogue},
      {"GET", "/academie/nieuw", &AcademyPages::CourseForm},
      {"POST", "/academie/nieuw", &AcademyPages::SaveCourse},
      {"GET", "/academie/{id}", &AcademyPages::Course},
      {"GET", "/academie/{id}/bewerken", &AcademyPages::CourseForm},
      {"POST", "/academie/{id}/bewerken", &AcademyPages::SaveCourse},
      {"GET", "/academie/{id}/sessies/nieuw", &AcademyPages::SessionForm},
      {"POST", "/academie/{id}/sessies/nieuw", &AcademyPages::SaveSession},
      {"GET", "/academie/{id}/sessies/{sid}/bewerken", &AcademyPages::SessionForm},
      {"POST", "/academie/{id}/sessies/{sid}/bewerken", &AcademyPages::SaveSession},
      {"POST", "/academie/{id}/sessies/{sid}/inschrijven", &AcademyPages::Enrol},
      {"POST", "/academie/{id}/sessies/{sid}/uitschrijven", &AcademyPages::Cancel},
      {"POST", "/academie/{id}/sessies/{sid}/capaciteit", &AcademyPages::Capacity},
      {"POST", "/academie/{id}/sessies/{sid}/annuleren", &AcademyPages::CancelSession},
      {"GET", "/mijn-inschrijvingen", &AcademyPages::Mine},
      {"POST", "/mijn-inschrijvingen/agenda", &AcademyPages::CreateFeed},
      {"POST", "/mijn-inschrijvingen/agenda/intrekken", &AcademyPages::RevokeFeed},
  };
  for (const auto& [method, path, handler] : routes) {
    router->Add(method, path,
                [pages, handler = handler](const Request& req) { return (*pages.*handler)(req); });
  }
}

}  // namespace kpo::portal

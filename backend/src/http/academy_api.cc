// The academy's routes: thin handlers over academy::Academy (parse, call,
// serialise). Owns: the academy's paths, parameter names and JSON, CSV and
// iCalendar answers. May not touch: SQL, access rules, the waiting list
// (academy/ decides; this file only reads the request and writes the reply).
// Every answer depends on the caller (places, audience): each is a PrivateReply.
#include <limits>

#include "academy/academy.h"
#include "http/api.h"
#include "http/caller.h"

namespace kpo::http {

namespace {

using academy::Academy;
using academy::CourseView;
using academy::SessionView;
using nlohmann::json;

std::string IsoUtc(int64_t utc) { return FormatLocalTime(FromNaiveSeconds(utc)) + ":00Z"; }

json PlaceJson(const std::optional<academy::Place>& place) {
  if (!place) return nullptr;
  return {{"status", place->state},
          {"position", place->position > 0 ? json(place->position) : json(nullptr)}};
}

json SessionJson(const std::string& course_id, const SessionView& s) {
  const bool online = s.session.location.rfind("https://", 0) == 0;
  return {{"id", s.session.id},
          {"url", "/api/courses/" + course_id + "/sessions/" + s.session.id},
          {"start", s.start_local},
          {"end", s.end_local},
          {"timezone", "Europe/Amsterdam"},
          {"start_utc", IsoUtc(s.session.start_utc)},
          {"end_utc", IsoUtc(s.session.end_utc)},
          {"location", online ? "" : s.session.location},
          {"online_url", online ? s.session.location : ""},
          {"capacity", s.session.capacity},
          {"enrolled", s.session.enrolled},
          {"waiting", s.session.waiting},
          {"free", s.free},
          {"status", s.status},
          {"deadline", s.session.deadline},
          {"enrolment_open", s.enrolment_open},
          {"mine", PlaceJson(s.mine)}};
}

json CourseJson(const CourseView& c, bool with_body) {
  json sessions = json::array();
  json next = nullptr;
  for (const auto& s : c.sessions) {
    sessions.push_back(SessionJson(c.item.id, s));
    if (next.is_null() && s.session.start_utc == c.next_start_utc && c.next_start_utc != 0) {
      next = sessions.back();
    }
  }
  json out = {{"id", c.item.id},
              {"revision", c.item.revision},
              {"title", c.item.title},
              {"summary", c.item.summary},
              {"url", "/api/courses/" + c.item.id},
              {"document_url", "/api/documents/" + c.item.id},
              {"ics_url", "/api/courses/" + c.item.id + ".ics"},
              {"themes", c.item.themes},
              {"regions", c.item.regions},
              {"provider", c.facts.provider},
              {"format", c.facts.format},
              {"level", c.facts.level},
              {"duration", c.facts.duration},
              {"cost_cents", c.facts.cost_cents},
              {"language", c.facts.language},
              {"points", c.facts.points},
              {"audience", c.audience},
              {"open_to_all", c.item.access == "public"},
              {"can_enrol", c.can_enrol},
              {"next_session", next},
              {"sessions", sessions}};
  if (with_body) out["html"] = c.html;
  return out;
}

Reply CourseReply(const StatusOr<CourseView>& course, const Request& req, int status = 200) {
  if (!course.ok()) return ErrorReply(course.status(), req.request_id);
  return PrivateReply(JsonReply(status, {{"course", CourseJson(course.value(), true)}}));
}

// "1"/"true"/"ja" or "0"/"false"/"nee"/"" (absent).
StatusOr<bool> BoolParam(const Request& req, const std::string& name) {
  const std::string v = req.Query(name);
  if (v.empty() || v == "0" || v == "false" || v == "nee") return false;
  if (v == "1" || v == "true" || v == "ja") return true;
  return Status::Error(ErrorCode::kInvalidParameter, name + " is 1 (ja) of 0 (nee).");
}

// A whole number field; `fallback` when absent.
StatusOr<int64_t> IntField(const json& body, const std::string& name, int64_t fallback) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return fallback;
  // An unsigned JSON number above INT64_MAX would wrap to a negative one.
  if (!it->is_number_integer() ||
      (it->is_number_unsigned() &&
       it->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
    return Status::Error(ErrorCode::kInvalidField,
                         "Veld '" + name + "' moet een geheel getal zijn (en niet te groot).");
  }
  return it->get<int64_t>();
}

// The course fields `body` holds (academy::CourseInput); absent and null
// fields stay nullopt.
StatusOr<academy::CourseInput> CourseInputOf(const json& body) {
  KPO_RETURN_IF_ERROR(
      OnlyFields(body, {"id", "base_revision", "title", "summary", "body", "provider", "format",
                        "level", "duration", "language", "themes", "regions", "tags", "audience",
                        "cost_cents", "points", "open_to_all"}));
  academy::CourseInput in;
  auto given = [&body](const char* name) {
    auto it = body.find(name);
    return it != body.end() && !it->is_null();
  };
  for (const auto& [name, target] :
       {std::pair{"title", &in.title}, std::pair{"summary", &in.summary},
        std::pair{"body", &in.body}, std::pair{"provider", &in.provider},
        std::pair{"format", &in.format}, std::pair{"level", &in.level},
        std::pair{"duration", &in.duration}, std::pair{"language", &in.language}}) {
    if (!given(name)) continue;
    auto v = StringField(body, name);
    if (!v.ok()) return v.status();
    *target = std::move(*v);
  }
  for (const auto& [name, target] :
       {std::pair{"themes", &in.themes}, std::pair{"regions", &in.regions},
        std::pair{"tags", &in.tags}, std::pair{"audience", &in.audience}}) {
    if (!given(name)) continue;
    auto v = ListField(body, name);
    if (!v.ok()) return v.status();
    *target = std::move(*v);
  }
  for (const auto& [name, target] :
       {std::pair{"cost_cents", &in.cost_cents}, std::pair{"points", &in.points}}) {
    if (!given(name)) continue;
    auto v = IntField(body, name, 0);
    if (!v.ok()) return v.status();
    *target = *v;
  }
  if (given("open_to_all")) {
    if (!body["open_to_all"].is_boolean()) {
      return Status::Error(ErrorCode::kInvalidField, "Veld 'open_to_all' is true of false.");
    }
    in.open_to_all = body["open_to_all"].get<bool>();
  }
  auto id = StringField(body, "id");
  auto base = IntField(body, "base_revision", 0);
  if (!id.ok()) return id.status();
  if (!base.ok()) return base.status();
  in.id = *id;
  in.base_revision = *base;
  return in;
}

// ".ics" at the end of a path parameter: the calendar form of the resource.
bool StripIcs(std::string* id) {
  constexpr std::string_view kSuffix = ".ics";
  if (id->size() <= kSuffix.size() ||
      id->compare(id->size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    return false;
  }
  id->resize(id->size() - kSuffix.size());
  return true;
}

Reply Calendar(const StatusOr<std::string>& ics, const Request& req, const std::string& name) {
  if (!ics.ok()) return ErrorReply(ics.status(), req.request_id);
  Reply r;
  r.body = ics.value();
  r.content_type = "text/calendar; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + name + ".ics\"");
  return PrivateReply(std::move(r));
}

}  // namespace

void AddAcademyRoutes(Router* router, const ApiDeps& deps) {
  access::AuthService* auth = deps.auth;
  Academy* academy = deps.academy;

  router->Add("GET", "/api/courses", [auth, academy](const Request& req) {
    return WithCaller(auth, req, [&](const Caller& caller) {
      academy::CourseFilter filter{req.Query("theme"), req.Query("format"), req.Query("audience"),
                                   req.Query("region")};
      auto upcoming = BoolParam(req, "upcoming");
      auto free = BoolParam(req, "free");
      if (!upcoming.ok()) return ErrorReply(upcoming.status(), req.request_id);
      if (!free.ok()) return ErrorReply(free.status(), req.request_id);
      filter.upcoming = *upcoming;
      filter.free = *free;
      filter.from = req.Query("from");
      filter.to = req.Query("to");
      auto courses = academy->ListCourses(caller.principal, filter);
      if (!courses.ok()) return ErrorReply(courses.status(), req.request_id);
      json results = json::array();
      for (const auto& c : *courses) results.push_back(CourseJson(c, false));
      return PrivateReply(JsonReply(200, {{"total", results.size()}, {"results", results}}));
    });
  });

  // /api/courses/{id} and /api/courses/{id}.ics (all sessions as iCalendar,
  // or one: ?sessie=<id>).
  router->Add("GET", "/api/courses/{id}", [auth, academy](const Request& req) {
    return WithCaller(auth, req, [&](const Caller& caller) {
      std::string id = req.params.at("id");
      if (StripIcs(&id)) {
        return Calendar(academy->CourseCalendar(caller.principal, id, req.Query("sessie")), req,
                        id);
      }
      return CourseReply(academy->GetCourse(caller.principal, id), req);
    });
  });

  router->Add("POST", "/api/courses", [auth, academy](const Request& req) {
    return WithWrite(auth, req, true, [&](const Caller& caller, const json& body) {
      auto input = CourseInputOf(body);
      if (!input.ok()) return ErrorReply(input.status(), req.request_id);
      return CourseReply(academy->CreateCourse(caller.principal, req.remote_address, *input), req,
                         201);
    });
  });

  router->Add("PUT", "/api/courses/{id}", [auth, academy](const Request& req) {
    return WithWrite(auth, req, true, [&](const Caller& caller, const json& body) {
      auto input = CourseInputOf(body);
      if (!input.ok()) return ErrorReply(input.status(), req.request_id);
      return CourseReply(
          academy->EditCourse(caller.principal, req.remote_address, req.params.at("id"), *input),
          req);
    });
  });

  router->Add("PUT", "/api/courses/{id}/sessions/{sid}", [auth, academy](const Request& req) {
    return WithWrite(auth, req, true, [&](const Caller& caller, const json& body) {
      Status known = OnlyFields(body, {"start", "end", "location", "deadline", "capacity"});
      if (!known.ok()) return ErrorReply(known, req.request_id);
      academy::SessionInput input;
      for (const auto& [name, target] :
           {std::pair{"start", &input.start}, std::pair{"end", &input.end},
            std::pair{"location", &input.location}, std::pair{"deadline", &input.deadline}}) {
        auto v = StringField(body, name);
        if (!v.ok()) return ErrorReply(v.status(), req.request_id);
        *target = *v;
      }
      auto capacity = IntField(body, "capacity", 0);
      if (!capacity.ok()) return ErrorReply(capacity.status(), req.request_id);
      input.capacity = *capacity;
      return CourseReply(academy->PutSession(caller.principal, req.remote_address,
                                             req.params.at("id"), req.params.at("sid"), input),
                         req);
    });
  });

  router->Add("POST", "/api/courses/{id}/sessions/{sid}/capacity",
              [auth, academy](const Request& req) {
                return WithWrite(auth, req, true, [&](const Caller& caller, const json& body) {
                  Status known = OnlyFields(body, {"capacity"});
                  if (!known.ok()) return ErrorReply(known, req.request_id);
                  auto capacity = IntField(body, "capacity", 0);
                  if (!capacity.ok()) return ErrorReply(capacity.status(), req.request_id);
                  return CourseReply(
                      academy->SetCapacity(caller.principal, req.remote_address,
                                           req.params.at("id"), req.params.at("sid"), *capacity),
                      req);
                });
              });

  router->Add(
      "POST", "/api/courses/{id}/sessions/{sid}/cancel", [auth, academy](const Request& req) {
        return WithWrite(auth, req, false, [&](const Caller& caller, const json&) {
          return CourseReply(academy->CancelSession(caller.principal, req.remote_address,
                                                    req.params.at("id"), req.params.at("sid")),
                             req);
        });
      });

  router->Add(
      "GET", "/api/courses/{id}/sessions/{sid}/participants", [auth, academy](const Request& req) {
        return WithSignedIn(auth, req, [&](const Caller& caller) {
          auto rows = academy->Participants(caller.principal, req.remote_address,
                                            req.params.at("id"), req.params.at("sid"));
          if (!rows.ok()) return ErrorReply(rows.status(), req.request_id);
          json out = json::array();
          for (const auto& p : *rows) {
            out.push_back(
                {{"name", p.name},
                 {"email", p.email},
                 {"groups", p.groups},
                 {"status", p.place.state},
                 {"position", p.place.position > 0 ? json(p.place.position) : json(nullptr)},
                 {"enrolled_at", IsoUtc(p.enrolled_at)}});
          }
          return PrivateReply(JsonReply(200, {{"participants", out}}));
        });
      });

  router->Add("GET", "/api/courses/{id}/sessions/{sid}/participants.csv",
              [auth, academy](const Request& req) {
                return WithSignedIn(auth, req, [&](const Caller& caller) {
                  auto csv = academy->ParticipantsCsv(caller.principal, req.remote_address,
                                                      req.params.at("id"), req.params.at("sid"));
                  if (!csv.ok()) return ErrorReply(csv.status(), req.request_id);
                  Reply r;
                  r.body = *csv;
                  r.content_type = "text/csv; charset=utf-8";
                  r.headers.emplace_back("Content-Disposition",
                                         "attachment; filename=\"deelnemers-" +
                                             req.params.at("id") + "-" + req.params.at("sid") +
                                             ".csv\"");
                  return PrivateReply(std::move(r));
                });
              });

  router->Add("POST", "/api/courses/{id}/sessions/{sid}/enrolments",
              [auth, academy](const Request& req) {
                return WithWrite(auth, req, false, [&](const Caller& caller, const json&) {
                  auto place = academy->Enrol(caller.principal, req.remote_address,
                                              req.params.at("id"), req.params.at("sid"));
                  if (!place.ok()) return ErrorReply(place.status(), req.request_id);
                  return PrivateReply(JsonReply(200, PlaceJson(*place)));
                });
              });

  router->Add("DELETE", "/api/courses/{id}/sessions/{sid}/enrolments/me",
              [auth, academy](const Request& req) {
                return WithWrite(auth, req, false, [&](const Caller& caller, const json&) {
                  Status s = academy->Cancel(caller.principal, req.remote_address,
                                             req.params.at("id"), req.params.at("sid"));
                  if (!s.ok()) return ErrorReply(s, req.request_id);
                  return PrivateReply(JsonReply(200, {{"status", "cancelled"}}));
                });
              });

  router->Add("GET", "/api/me/enrolments", [auth, academy](const Request& req) {
    return WithSignedIn(auth, req, [&](const Caller& caller) {
      auto mine = academy->MyEnrolments(caller.principal);
      if (!mine.ok()) return ErrorReply(mine.status(), req.request_id);
      json out = json::array();
      for (const auto& m : *mine) {
        json course = CourseJson(m.course, false);
        course.erase("sessions");
        course.erase("next_session");
        out.push_back({{"course", course}, {"session", SessionJson(m.course.item.id, m.session)}});
      }
      return PrivateReply(JsonReply(200, {{"enrolments", out}}));
    });
  });

  router->Add("POST", "/api/me/calendar", [auth, academy](const Request& req) {
    return WithWrite(auth, req, false, [&](const Caller& caller, const json&) {
      auto feed = academy->CreateFeed(caller.principal, req.remote_address);
      if (!feed.ok()) return ErrorReply(feed.status(), req.request_id);
      return PrivateReply(JsonReply(201, {{"token", feed->token}, {"url", feed->path}}));
    });
  });

  router->Add("DELETE", "/api/me/calendar", [auth, academy](const Request& req) {
    return WithWrite(auth, req, false, [&](const Caller& caller, const json&) {
      Status s = academy->RevokeFeed(caller.principal, req.remote_address);
      if (!s.ok()) return ErrorReply(s, req.request_id);
      return PrivateReply(JsonReply(200, {{"ok", true}}));
    });
  });

  // The personal feed: the secret in the path is the only credential
  // (calendar programs send no cookies).
  router->Add("GET", "/api/calendar/{token}", [academy](const Request& req) {
    std::string token = req.params.at("token");
    if (!StripIcs(&token)) {
      return ErrorReply(Status::Error(ErrorCode::kFeedNotFound,
                                      "Deze agenda-link werkt niet (meer). Maak een nieuwe aan."),
                        req.request_id);
    }
    return Calendar(academy->FeedCalendar(token), req, "mijn-inschrijvingen");
  });
}

}  // namespace kpo::http

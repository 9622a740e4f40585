// The academy over HTTP on a real server: 200 members enrolling at once on
// 20 places, 50 cancelling at once, the waiting list and its promotions,
// refusals (audience, deadline, cancelled session), capacity changes,
// API edits surviving kpo-index, the participant CSV, iCalendar parsed back
// by libical with local times across a daylight-saving change, and the
// leak checks: a course for one audience is invisible to everyone else in
// search, listing, course page and calendars.
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/server_fixture.h"

namespace kpo {
namespace {

using nlohmann::json;
using testing::HttpCall;
using testing::HttpResponse;

// An open course with a full-day session before and after the spring
// change (2027-03-28), one on the autumn change week and one whose
// deadline has passed; a politie-only masterclass with a unique marker.
const char* kOpenCourse = R"(---
id: cursus-bibob-open
title: "Bibob in de praktijk"
type: cursus
summary: "Open cursus."
themes: [bibob]
regions: [landelijk]
access: members
published: 2024-01-01
provider: Landelijk Bureau Bibob
format: klassikaal
cost: 0
sessions:
  - id: groot
    start: 2027-03-26T09:30
    end: 2027-03-26T16:30
    location: Utrecht
    capacity: 20
  - id: na-zomertijd
    start: 2027-03-29T09:30
    end: 2027-03-29T16:30
    location: https://example.nl/live
    capacity: 2
  - id: na-wintertijd
    start: 2027-11-01T10:00
    end: 2027-11-01T12:00
    location: "Zwolle; zaal 3, \"Bibob\""
    capacity: 5
  - id: gesloten
    start: 2027-06-01T10:00
    end: 2027-06-01T12:00
    location: Assen
    capacity: 5
    deadline: 2026-01-01
---
De cursus over de Bibob-toets.
)";

const char* kPolitieCourse = R"(---
id: masterclass-politie
title: "Masterclass zebravink-analyse"
type: cursus
summary: "Alleen voor politie: zebravink."
themes: [bibob]
access: restricted
groups: [politie]
published: 2024-01-01
format: klassikaal
sessions:
  - id: mei
    start: 2027-05-11T09:00
    end: 2027-05-11T17:00
    location: Apeldoorn
    capacity: 10
---
Zebravink is het merkwoord van deze masterclass.
)";

using Login = testing::Session;

class AcademyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::Corpus();
    testing::WriteFile(corpus_->content_dir() + "/open.md", kOpenCourse);
    testing::WriteFile(corpus_->content_dir() + "/politie.md", kPolitieCourse);
    server_ = new testing::ServerFixture(corpus_);
    AddUser("beheer@academie.nl", "Academiebeheer", "academie", {});
    AddUser("redactie@kpo.nl", "Redactie", "redactie", {});
    AddUser("agent@politie.nl", "Agent Jansen", "member", {"politie"});
    AddUser("ambtenaar@gemeente.nl", "Ambtenaar Pietersen", "member", {"gemeenten"});
    AddUser("formule@gemeente.nl", "=SOM(A1;A2) \"de\" Boer", "member", {"gemeenten", "politie"});
    for (int i = 0; i < 200; ++i) AddUser(MemberEmail(i), "Lid " + std::to_string(i), "member", {});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
  }
  static std::string MemberEmail(int i) { return "lid" + std::to_string(i) + "@kpo.nl"; }
  static void AddUser(const std::string& email, const std::string& name, const std::string& role,
                      const std::vector<std::string>& groups) {
    auto user = server_->auth()->AddUser(access::AuthService::LocalAdministrator(), "",
                                         {email, name, role, groups, {}, testing::kPassword});
    ASSERT_TRUE(user.ok()) << user.status().ToString();
  }
  static Login SignIn(const std::string& email) {
    auto login = server_->auth()->Login(email, testing::kPassword, "127.0.0.1");
    EXPECT_TRUE(login.ok()) << login.status().ToString();
    return login.ok() ? Login{login->session_id, login->csrf_token} : Login{};
  }
  static HttpResponse Get(const std::string& target, const Login* who = nullptr) {
    return HttpCall(server_->port(), "GET", target,
                    who ? who->Headers() : std::vector<std::string>{});
  }
  static HttpResponse Send(const std::string& method, const std::string& target, const Login& who,
                           const json& body = json::object()) {
    return HttpCall(server_->port(), method, target, who.Headers(), body.dump());
  }
  static std::string Enrolments(const std::string& session) {
    return "/api/courses/cursus-bibob-open/sessions/" + session + "/enrolments";
  }
  static json SessionOf(const json& course, const std::string& id) {
    for (const auto& s : course["sessions"]) {
      if (s["id"] == id) return s;
    }
    return nullptr;
  }

  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
};

testing::Corpus* AcademyTest::corpus_ = nullptr;
testing::ServerFixture* AcademyTest::server_ = nullptr;

TEST_F(AcademyTest, TwoHundredAtOnceThenFiftyCancellations) {
  std::vector<Login> members;
  for (int i = 0; i < 200; ++i) members.push_back(SignIn(MemberEmail(i)));
  std::vector<HttpResponse> answers(200);
  std::vector<std::thread> threads;
  for (int i = 0; i < 200; ++i) {
    threads.emplace_back([&, i] { answers[i] = Send("POST", Enrolments("groot"), members[i]); });
  }
  for (auto& t : threads) t.join();
  threads.clear();
  int enrolled = 0;
  std::map<int64_t, int> position_of;  // position -> member
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(answers[i].status, 200) << answers[i].body;
    json j = answers[i].Json();
    if (j["status"] == "enrolled") {
      ++enrolled;
      EXPECT_TRUE(j["position"].is_null());
    } else {
      ASSERT_EQ(j["status"], "waiting");
      EXPECT_TRUE(position_of.emplace(j["position"].get<int64_t>(), i).second)
          << "duplicate position " << j["position"];
    }
  }
  EXPECT_EQ(enrolled, 20);
  ASSERT_EQ(position_of.size(), 180u);
  EXPECT_EQ(position_of.begin()->first, 1);
  EXPECT_EQ(position_of.rbegin()->first, 180);  // 180 distinct in 1..180: no gaps

  // Enrolling again changes nothing.
  json again = Send("POST", Enrolments("groot"), members[position_of[7]]).Json();
  EXPECT_EQ(again["status"], "waiting");
  EXPECT_EQ(again["position"], 7);

  // 50 cancel at once: all 20 enrolled and every sixth on the waiting list.
  std::set<int> leaving;
  for (int i = 0; i < 200; ++i) {
    if (answers[i].Json()["status"] == "enrolled") leaving.insert(i);
  }
  for (int64_t p = 1; p <= 180; p += 6) leaving.insert(position_of[p]);
  ASSERT_EQ(leaving.size(), 50u);
  std::vector<HttpResponse> cancelled(200);
  for (int i : leaving) {
    threads.emplace_back(
        [&, i] { cancelled[i] = Send("DELETE", Enrolments("groot") + "/me", members[i]); });
  }
  for (auto& t : threads) t.join();
  for (int i : leaving) ASSERT_EQ(cancelled[i].status, 200) << cancelled[i].body;

  // Who should hold a place now: the waiting list in order, minus leavers.
  std::vector<int> queue;
  for (const auto& [position, member] : position_of) {
    if (leaving.count(member) == 0) queue.push_back(member);
  }
  ASSERT_EQ(queue.size(), 150u);
  Login manager = SignIn("beheer@academie.nl");
  auto list = Get("/api/courses/cursus-bibob-open/sessions/groot/participants", &manager);
  ASSERT_EQ(list.status, 200) << list.body;
  json rows = list.Json()["participants"];
  ASSERT_EQ(rows.size(), 150u);
  for (size_t k = 0; k < 150; ++k) {
    EXPECT_EQ(rows[k]["email"], MemberEmail(queue[k])) << k;
    EXPECT_EQ(rows[k]["status"], k < 20 ? "enrolled" : "waiting") << k;
    if (k >= 20) {
      EXPECT_EQ(rows[k]["position"], static_cast<int64_t>(k - 19)) << k;
    }
  }
  // Each member sees their own place on the course page.
  json page = Get("/api/courses/cursus-bibob-open", &members[queue[25]]).Json()["course"];
  EXPECT_EQ(SessionOf(page, "groot")["mine"]["position"], 6);
  EXPECT_EQ(SessionOf(page, "groot")["enrolled"], 20);
  EXPECT_EQ(SessionOf(page, "groot")["free"], 0);
  EXPECT_EQ(SessionOf(page, "groot")["status"], "full");

  // Every promotion is in the audit log.
  // Every promotion is in the audit log: each of the 20 now enrolled was
  // promoted (a leaver may have been promoted before leaving, too).
  std::set<std::string> promoted;
  for (int audit_page = 1; audit_page <= 6; ++audit_page) {
    auto audit =
        server_->auth()->ListAudit(access::AuthService::LocalAdministrator(), "", audit_page, 100);
    ASSERT_TRUE(audit.ok());
    for (const auto& e : audit->entries) {
      if (e.event == "academy_promoted") promoted.insert(e.subject);
    }
  }
  for (size_t k = 0; k < 20; ++k) EXPECT_EQ(promoted.count(MemberEmail(queue[k])), 1u) << k;
}

TEST_F(AcademyTest, RefusalsSpeakDutch) {
  Login member = SignIn("ambtenaar@gemeente.nl");
  auto closed = Send("POST", Enrolments("gesloten"), member);
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(closed.ErrorCodeName(), "enrolment_deadline_passed");
  EXPECT_NE(closed.body.find("gesloten"), std::string::npos) << closed.body;
  auto anonymous = HttpCall(server_->port(), "POST", Enrolments("groot"));
  EXPECT_EQ(anonymous.status, 401);
  auto unknown = Send("POST", Enrolments("bestaat-niet"), member);
  EXPECT_EQ(unknown.ErrorCodeName(), "session_not_found");
  // The redactie may read the politie course but is not its audience.
  Login redactie = SignIn("redactie@kpo.nl");
  auto outside = Send("POST", "/api/courses/masterclass-politie/sessions/mei/enrolments", redactie);
  EXPECT_EQ(outside.status, 403);
  EXPECT_EQ(outside.ErrorCodeName(), "not_in_audience");
  EXPECT_NE(outside.body.find("alleen voor: Politie"), std::string::npos) << outside.body;
  // Members cannot manage.
  auto forbidden = Send("POST", "/api/courses/cursus-bibob-open/sessions/groot/capacity", member,
                        {{"capacity", 100}});
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(Get("/api/courses/cursus-bibob-open/sessions/groot/participants.csv", &member).status,
            403);
  auto bad_filter = Get("/api/courses?from=morgen", &member);
  EXPECT_EQ(bad_filter.status, 400);
  EXPECT_EQ(bad_filter.ErrorCodeName(), "invalid_parameter");
  // A value the vocabulary lacks is refused, not answered with an empty list.
  for (const char* target :
       {"/api/courses?audience=xyz", "/api/courses?theme=%ff", "/api/courses?region=nergens"}) {
    auto refused = Get(target, &member);
    EXPECT_EQ(refused.status, 400) << target;
    EXPECT_EQ(refused.ErrorCodeName(), "invalid_parameter") << target;
  }
  EXPECT_EQ(Get("/api/courses?theme=bibob", &member).status, 200);
}

TEST_F(AcademyTest, CapacityCancellationAndApiEditsSurviveKpoIndex) {
  Login manager = SignIn("beheer@academie.nl");
  std::vector<Login> m = {SignIn("agent@politie.nl"), SignIn("ambtenaar@gemeente.nl"),
                          SignIn("formule@gemeente.nl")};
  for (const auto& who : m) ASSERT_EQ(Send("POST", Enrolments("na-zomertijd"), who).status, 200);
  EXPECT_EQ(Send("POST", Enrolments("na-zomertijd"), m[2]).Json()["position"], 1);
  // A misspelt field is refused, not ignored: before, {"capaciteit": 3}
  // answered 200 and left the capacity as it was.
  for (const auto& [target, body] :
       {std::pair{"/api/courses/cursus-bibob-open/sessions/na-zomertijd/capacity",
                  json{{"capaciteit", 3}}},
        std::pair{"/api/courses/cursus-bibob-open", json{{"titel", "Nieuwe titel"}}}}) {
    auto misspelt = Send(std::string(target).find("capacity") != std::string::npos ? "POST" : "PUT",
                         target, manager, body);
    EXPECT_EQ(misspelt.status, 400) << target;
    EXPECT_EQ(misspelt.ErrorCodeName(), "invalid_field");
    EXPECT_NE(misspelt.Json()["error"]["message"].get<std::string>().find("Onbekend veld"),
              std::string::npos)
        << misspelt.body;
  }
  // Raising the capacity promotes the first waiting member.
  auto raised = Send("POST", "/api/courses/cursus-bibob-open/sessions/na-zomertijd/capacity",
                     manager, {{"capacity", 3}});
  ASSERT_EQ(raised.status, 200) << raised.body;
  EXPECT_EQ(SessionOf(raised.Json()["course"], "na-zomertijd")["enrolled"], 3);
  // kpo-index over a changed file keeps the API's capacity.
  std::string file = kOpenCourse;
  file.replace(file.find("capacity: 2"), 11, "capacity: 9");
  file.replace(file.find("provider: Landelijk Bureau Bibob"), 32, "provider: Iemand anders");
  testing::WriteFile(corpus_->content_dir() + "/open.md", file);
  corpus_->Index();
  json course = Get("/api/courses/cursus-bibob-open", &manager).Json()["course"];
  EXPECT_EQ(SessionOf(course, "na-zomertijd")["capacity"], 3);
  EXPECT_EQ(course["provider"], "Iemand anders");  // not edited over the API: the file wins
  // Cancelling the session: members see it in their enrolments.
  ASSERT_EQ(
      Send("POST", "/api/courses/cursus-bibob-open/sessions/na-zomertijd/cancel", manager).status,
      200);
  auto mine = Get("/api/me/enrolments", &m[1]).Json()["enrolments"];
  bool seen = false;
  for (const auto& e : mine) {
    if (e["session"]["id"] == "na-zomertijd") {
      seen = true;
      EXPECT_EQ(e["session"]["status"], "cancelled");
      EXPECT_EQ(e["session"]["mine"]["status"], "enrolled");
    }
  }
  EXPECT_TRUE(seen);
  auto refused = Send("POST", Enrolments("na-zomertijd"), SignIn("redactie@kpo.nl"));
  EXPECT_EQ(refused.ErrorCodeName(), "session_cancelled");
}

TEST_F(AcademyTest, ParticipantCsvOpensInADutchSpreadsheet) {
  Login manager = SignIn("beheer@academie.nl");
  ASSERT_EQ(Send("POST", Enrolments("na-wintertijd"), SignIn("formule@gemeente.nl")).status, 200);
  ASSERT_EQ(Send("POST", Enrolments("na-wintertijd"), SignIn("agent@politie.nl")).status, 200);
  auto csv =
      Get("/api/courses/cursus-bibob-open/sessions/na-wintertijd/participants.csv", &manager);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.Header("content-disposition").find("attachment"), std::string::npos);
  ASSERT_EQ(csv.body.rfind("\xEF\xBB\xBFNaam;E-mail;Organisatie;Status;", 0), 0u) << csv.body;
  // A name that a spreadsheet would run as a formula is quoted and defused.
  EXPECT_NE(
      csv.body.find("\r\n\"'=SOM(A1;A2) \"\"de\"\" Boer\";formule@gemeente.nl;Gemeenten, Politie;"
                    "ingeschreven;;"),
      std::string::npos)
      << testing::UrlEncode(csv.body);
  EXPECT_NE(csv.body.find("\r\nAgent Jansen;agent@politie.nl;Politie;ingeschreven;;"),
            std::string::npos);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 3);
  // Reading personal data is in the audit log, under the manager.
  auto audit = server_->auth()->ListAudit(access::AuthService::LocalAdministrator(), "", 1, 5);
  ASSERT_TRUE(audit.ok());
  ASSERT_FALSE(audit->entries.empty());
  EXPECT_EQ(audit->entries[0].event, "academy_participants_read");
  EXPECT_EQ(audit->entries[0].actor, "beheer@academie.nl");
  EXPECT_EQ(audit->entries[0].subject, "cursus-bibob-open/na-wintertijd");
}

// DTSTART/DTEND of every VEVENT as UTC, read by libical with the
// calendar's own VTIMEZONE, keyed by UID.
std::map<std::string, std::pair<time_t, time_t>> ParseWithLibical(const std::string& text) {
  std::map<std::string, std::pair<time_t, time_t>> out;
  icalcomponent* cal = icalparser_parse_string(text.c_str());
  EXPECT_NE(cal, nullptr);
  if (cal == nullptr) return out;
  EXPECT_EQ(icalcomponent_count_errors(cal), 0) << text;
  icalcomponent* vtz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
  EXPECT_NE(vtz, nullptr);
  icaltimezone* zone = icaltimezone_new();
  icaltimezone_set_component(zone, icalcomponent_new_clone(vtz));
  for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
       ev != nullptr; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
    auto at = [&](icalproperty_kind kind) {
      icalproperty* p = icalcomponent_get_first_property(ev, kind);
      icalparameter* tzid = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
      EXPECT_STREQ(icalparameter_get_tzid(tzid), "Europe/Amsterdam");
      icaltimetype t =
          kind == ICAL_DTSTART_PROPERTY ? icalproperty_get_dtstart(p) : icalproperty_get_dtend(p);
      t.zone = nullptr;  // read the wall-clock value with our VTIMEZONE only
      return icaltime_as_timet_with_zone(t, zone);
    };
    out[icalcomponent_get_uid(ev)] = {at(ICAL_DTSTART_PROPERTY), at(ICAL_DTEND_PROPERTY)};
  }
  icaltimezone_free(zone, 1);
  icalcomponent_free(cal);
  return out;
}

time_t UtcOf(const char* iso) {
  struct tm tm = {};
  strptime(iso, "%Y-%m-%dT%H:%M", &tm);
  return timegm(&tm);
}

TEST_F(AcademyTest, ICalendarParsesBackWithLocalTimesAcrossDst) {
  Login member = SignIn("ambtenaar@gemeente.nl");
  auto ics = Get("/api/courses/cursus-bibob-open.ics", &member);
  ASSERT_EQ(ics.status, 200) << ics.body;
  EXPECT_EQ(ics.Header("content-type"), "text/calendar; charset=utf-8");
  EXPECT_NE(ics.body.find("BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n"), std::string::npos);
  EXPECT_NE(ics.body.find("LOCATION:Zwolle\\; zaal 3\\, \"Bibob\"\r\n"), std::string::npos);
  auto events = ParseWithLibical(ics.body);
  ASSERT_EQ(events.size(), 4u);
  // 09:30 before the spring change is 08:30 UTC, after it 07:30 UTC; after
  // the autumn change 10:00 is 09:00 UTC.
  EXPECT_EQ(events["cursus-bibob-open/groot@kpo.academie"].first, UtcOf("2027-03-26T08:30"));
  EXPECT_EQ(events["cursus-bibob-open/na-zomertijd@kpo.academie"].first, UtcOf("2027-03-29T07:30"));
  EXPECT_EQ(events["cursus-bibob-open/na-zomertijd@kpo.academie"].second,
            UtcOf("2027-03-29T14:30"));
  EXPECT_EQ(events["cursus-bibob-open/na-wintertijd@kpo.academie"].first,
            UtcOf("2027-11-01T09:00"));
  // One session alone, as "Mijn inschrijvingen" links it beside a place.
  auto one = Get("/api/courses/cursus-bibob-open.ics?sessie=na-zomertijd", &member);
  ASSERT_EQ(one.status, 200) << one.body;
  auto only = ParseWithLibical(one.body);
  EXPECT_EQ(only.size(), 1u);
  EXPECT_EQ(only.count("cursus-bibob-open/na-zomertijd@kpo.academie"), 1u);
  auto unknown = Get("/api/courses/cursus-bibob-open.ics?sessie=bestaat-niet", &member);
  EXPECT_EQ(unknown.ErrorCodeName(), "session_not_found");
  // The API says the same.
  json course = Get("/api/courses/cursus-bibob-open", &member).Json()["course"];
  EXPECT_EQ(SessionOf(course, "na-zomertijd")["start"], "2027-03-29T09:30");
  EXPECT_EQ(SessionOf(course, "na-zomertijd")["start_utc"], "2027-03-29T07:30:00Z");
  EXPECT_EQ(SessionOf(course, "groot")["start_utc"], "2027-03-26T08:30:00Z");
}

TEST_F(AcademyTest, PersonalFeedFollowsEnrolmentsAndIsRevocable) {
  Login agent = SignIn("agent@politie.nl");
  ASSERT_EQ(Send("POST", "/api/courses/masterclass-politie/sessions/mei/enrolments", agent).status,
            200);
  auto created = Send("POST", "/api/me/calendar", agent);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string url = created.Json()["url"];
  auto feed = HttpCall(server_->port(), "GET", url);  // no cookie: the URL is the credential
  ASSERT_EQ(feed.status, 200) << feed.body;
  auto events = ParseWithLibical(feed.body);
  EXPECT_EQ(events.count("masterclass-politie/mei@kpo.academie"), 1u);
  EXPECT_EQ(events["masterclass-politie/mei@kpo.academie"].first, UtcOf("2027-05-11T07:00"));
  // Creating a new link retires the old one; revoking ends the new one.
  auto second = Send("POST", "/api/me/calendar", agent).Json()["url"].get<std::string>();
  EXPECT_EQ(HttpCall(server_->port(), "GET", url).status, 404);
  EXPECT_EQ(HttpCall(server_->port(), "GET", second).status, 200);
  ASSERT_EQ(Send("DELETE", "/api/me/calendar", agent).status, 200);
  auto gone = HttpCall(server_->port(), "GET", second);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.ErrorCodeName(), "calendar_feed_not_found");
  EXPECT_EQ(HttpCall(server_->port(), "GET", "/api/calendar/..%2F..%2Fetc.ics").status, 404);
}

TEST_F(AcademyTest, AudienceCourseIsInvisibleToOthersEverywhere) {
  Login gemeente = SignIn("ambtenaar@gemeente.nl");
  Login agent = SignIn("agent@politie.nl");
  Login manager = SignIn("beheer@academie.nl");
  auto ids = [](const HttpResponse& r) {
    std::set<std::string> out;
    const json body = r.Json();  // kept alive for the loop
    for (const auto& c : body["results"]) out.insert(c["id"]);
    return out;
  };
  for (const Login* who :
       {static_cast<const Login*>(&gemeente), static_cast<const Login*>(nullptr)}) {
    EXPECT_EQ(ids(Get("/api/courses", who)).count("masterclass-politie"), 0u);
    EXPECT_EQ(ids(Get("/api/courses?audience=politie", who)).count("masterclass-politie"), 0u);
    auto page = Get("/api/courses/masterclass-politie", who);
    EXPECT_EQ(page.status, 404);
    EXPECT_EQ(page.body.find("zebravink"), std::string::npos);
    auto ics = Get("/api/courses/masterclass-politie.ics", who);
    EXPECT_EQ(ics.status, 404);
    EXPECT_EQ(ics.body.find("ebravink"), std::string::npos);
    auto search = Get("/api/search?q=zebravink", who);
    EXPECT_EQ(search.status, 200);
    EXPECT_EQ(search.Json()["total"], 0) << search.body;
    EXPECT_EQ(search.body.find("masterclass-politie"), std::string::npos);
  }
  auto hidden = Send("POST", "/api/courses/masterclass-politie/sessions/mei/enrolments", gemeente);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.ErrorCodeName(), "course_not_found");
  // Giving up a place answers as for a missing course, whichever session
  // is named: no answer tells the course or its sessions exist.
  for (const char* url : {"/api/courses/masterclass-politie/sessions/mei/enrolments/me",
                          "/api/courses/masterclass-politie/sessions/bestaat-niet/enrolments/me",
                          "/api/courses/bestaat-niet/sessions/mei/enrolments/me"}) {
    auto cancel = Send("DELETE", url, gemeente);
    EXPECT_EQ(cancel.status, 404) << url;
    EXPECT_EQ(cancel.ErrorCodeName(), "course_not_found") << url << " " << cancel.body;
  }
  auto feed_url = Send("POST", "/api/me/calendar", gemeente).Json()["url"].get<std::string>();
  EXPECT_EQ(HttpCall(server_->port(), "GET", feed_url).body.find("ebravink"), std::string::npos);
  // Those in the audience, and the academy managers, do see it.
  EXPECT_EQ(ids(Get("/api/courses", &agent)).count("masterclass-politie"), 1u)
      << Get("/api/courses", &agent).body;
  EXPECT_EQ(ids(Get("/api/courses", &manager)).count("masterclass-politie"), 1u);
  EXPECT_EQ(Get("/api/search?q=zebravink", &agent).Json()["total"], 1);
  json course = Get("/api/courses/masterclass-politie", &agent).Json()["course"];
  EXPECT_EQ(course["audience"], json::array({"politie"}));
  EXPECT_TRUE(course["can_enrol"].get<bool>());
  // Participants' personal data: managers only.
  EXPECT_EQ(Get("/api/courses/masterclass-politie/sessions/mei/participants", &agent).status, 403);
}

TEST_F(AcademyTest, ListingFiltersAndSortsByNextSession) {
  Login member = SignIn("formule@gemeente.nl");
  auto all = Get("/api/courses", &member).Json();
  ASSERT_GE(all["results"].size(), 2u);
  // The open course's first session (March) comes before the masterclass (May).
  EXPECT_EQ(all["results"][0]["id"], "cursus-bibob-open");
  EXPECT_EQ(all["results"][0]["next_session"]["id"], "groot");
  EXPECT_EQ(Get("/api/courses?from=2027-05-01&to=2027-05-31", &member).Json()["total"], 1);
  EXPECT_EQ(Get("/api/courses?format=webinar", &member).Json()["total"], 0);
  EXPECT_EQ(Get("/api/courses?theme=witwassen", &member).Json()["total"], 0);
  EXPECT_EQ(Get("/api/courses?format=hybride", &member).status, 400);
}

// Courses created and edited over the API (items of type cursus with
// source "api"): validated like files, conditional on the revision, visible
// only to their audience, and never overwritten by a kpo-index run.
TEST_F(AcademyTest, ManagersCreateAndEditCoursesThatSurviveKpoIndex) {
  Login manager = SignIn("beheer@academie.nl");
  Login gemeente = SignIn("ambtenaar@gemeente.nl");
  Login agent = SignIn("agent@politie.nl");
  const json kNew = {{"title", "Cursus reigerbek-analyse"},
                     {"summary", "Voor gemeenten."},
                     {"body", "Reigerbek is het merkwoord van deze cursus."},
                     {"themes", {"bibob"}},
                     {"audience", {"gemeenten"}},
                     {"provider", "Academie"},
                     {"format", "webinar"},
                     {"cost_cents", 1250},
                     {"points", 2}};
  EXPECT_EQ(Send("POST", "/api/courses", gemeente, kNew).status, 403);
  EXPECT_EQ(HttpCall(server_->port(), "POST", "/api/courses", {"Content-Type: application/json"},
                     kNew.dump())
                .status,
            401);
  auto created = Send("POST", "/api/courses", manager, kNew);
  ASSERT_EQ(created.status, 201) << created.body;
  json course = created.Json()["course"];
  const std::string id = course["id"];
  EXPECT_EQ(id, "cursus-reigerbek-analyse");
  EXPECT_EQ(course["audience"], json::array({"gemeenten"}));
  EXPECT_EQ(course["format"], "webinar");
  EXPECT_EQ(course["cost_cents"], 1250);
  EXPECT_NE(course["html"].get<std::string>().find("Reigerbek"), std::string::npos);
  // The same title again gets its own id; a taken id is refused.
  EXPECT_EQ(Send("POST", "/api/courses", manager, kNew).Json()["course"]["id"],
            "cursus-reigerbek-analyse-2");
  auto taken = Send("POST", "/api/courses", manager, {{"id", "cursus-bibob-open"}, {"title", "x"}});
  EXPECT_EQ(taken.ErrorCodeName(), "duplicate_id") << taken.body;
  // Validated by the one routine, with its Dutch messages.
  for (const json& bad :
       {json{{"title", ""}}, json{{"title", "x"}, {"format", "hologram"}},
        json{{"title", "x"}, {"themes", {"onbekend"}}},
        json{{"title", "x"}, {"audience", {"marsmannetjes"}}},
        json{{"title", "x"}, {"id", "Hoofd Letters"}}, json{{"title", 7}},
        json{{"title", "x"}, {"cost_cents", "gratis"}},
        // Wrapped to a negative number, or negative as sent.
        json{{"title", "x"}, {"cost_cents", 9223372036854775808ULL}},
        json{{"title", "x"}, {"cost_cents", -5}}, json{{"title", "x"}, {"points", -1}},
        json{{"title", "x"}, {"points", 9999999}},
        // A language the academy does not give courses in, or a code in capitals.
        json{{"title", "x"}, {"language", "zz"}}, json{{"title", "x"}, {"language", "NL"}},
        // Control characters and a bidirectional override.
        json{{"title", "x"}, {"provider", "a\u0007b"}}, json{{"title", "x"}, {"level", "a\nb"}},
        json{{"title", "x"}, {"tags", {std::string("a\0b", 3)}}}, json{{"title", "x\u202e"}}}) {
    auto refused = Send("POST", "/api/courses", manager, bad);
    EXPECT_EQ(refused.status, 400) << bad.dump() << refused.body;
    EXPECT_EQ(refused.ErrorCodeName(), "invalid_field") << bad.dump();
  }
  // A link that would break out of a calendar line or an attribute.
  auto quoted = Send("PUT", "/api/courses/" + id + "/sessions/juni", manager,
                     {{"start", "2027-06-10T13:00"},
                      {"end", "2027-06-10T15:00"},
                      {"location", "https://x.example/\"><script>"},
                      {"capacity", 40}});
  EXPECT_EQ(quoted.status, 400) << quoted.body;
  // A session, then the audience sees it and others do not.
  ASSERT_EQ(Send("PUT", "/api/courses/" + id + "/sessions/juni", manager,
                 {{"start", "2027-06-10T13:00"},
                  {"end", "2027-06-10T15:00"},
                  {"location", "https://example.nl/webinar"},
                  {"capacity", 40}})
                .status,
            200);
  // A new session that has begun is refused (a slipped year).
  const json past = {{"start", "2020-06-10T13:00"},
                     {"end", "2020-06-10T15:00"},
                     {"location", "Utrecht"},
                     {"capacity", 10}};
  auto slipped = Send("PUT", "/api/courses/" + id + "/sessions/oud", manager, past);
  EXPECT_EQ(slipped.status, 400) << slipped.body;
  EXPECT_EQ(slipped.ErrorCodeName(), "invalid_field");
  EXPECT_NE(slipped.body.find("start ligt in het verleden"), std::string::npos) << slipped.body;
  ASSERT_EQ(Send("PUT", "/api/courses/" + id + "/sessions/verplaatst", manager,
                 {{"start", "2099-06-10T13:00"},
                  {"end", "2099-06-10T15:00"},
                  {"location", "Utrecht"},
                  {"capacity", 10}})
                .status,
            200);
  // Moved into the past: refused like a new one (its members would keep a
  // date gone by).
  EXPECT_EQ(Send("PUT", "/api/courses/" + id + "/sessions/verplaatst", manager, past).status, 400);
  auto listed = [&](const Login& who) {
    const json body = Get("/api/courses", &who).Json();
    for (const auto& c : body["results"]) {
      if (c["id"] == id) return true;
    }
    return false;
  };
  EXPECT_TRUE(listed(gemeente));
  EXPECT_FALSE(listed(agent));
  EXPECT_EQ(Get("/api/courses/" + id, &agent).status, 404);
  EXPECT_EQ(Send("POST", "/api/courses/" + id + "/sessions/juni/enrolments", gemeente).status, 200);

  // Edits are conditional on the revision they were based on.
  const int64_t revision = Get("/api/courses/" + id, &manager).Json()["course"]["revision"];
  auto edited = Send("PUT", "/api/courses/" + id, manager,
                     {{"title", "Cursus reigerbek-analyse (najaar)"}, {"base_revision", revision}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.Json()["course"]["title"], "Cursus reigerbek-analyse (najaar)");
  EXPECT_EQ(edited.Json()["course"]["format"], "webinar");  // left out: kept
  EXPECT_EQ(edited.Json()["course"]["audience"], json::array({"gemeenten"}));
  auto stale = Send("PUT", "/api/courses/" + id, manager,
                    {{"title", "Verouderd"}, {"base_revision", revision}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.ErrorCodeName(), "stale_revision");
  // Opening the course to every member: the politie agent now sees it.
  ASSERT_EQ(Send("PUT", "/api/courses/" + id, manager, {{"audience", json::array()}}).status, 200);
  EXPECT_TRUE(listed(agent));

  // A course from a file, edited over the API, then its file changes and
  // kpo-index runs: the API's edit stays, and so do the created courses.
  std::string file = kPolitieCourse;
  file.replace(file.find("id: masterclass-politie"), 23, "id: masterclass-kwartel");
  file.replace(file.find("Masterclass zebravink-analyse"), 29, "Masterclass kwartel-analyse");
  testing::WriteFile(corpus_->content_dir() + "/kwartel.md", file);
  corpus_->Index();
  auto file_course = Get("/api/courses/masterclass-kwartel", &manager).Json()["course"];
  ASSERT_EQ(file_course["title"], "Masterclass kwartel-analyse");
  ASSERT_EQ(Send("PUT", "/api/courses/masterclass-kwartel", manager,
                 {{"title", "Masterclass kwartel (API)"},
                  {"audience", {"politie", "gemeenten"}},
                  {"level", "gevorderd"}})
                .status,
            200);
  file.replace(file.find("Masterclass kwartel-analyse"), 27, "Masterclass kwartel uit bestand");
  file.replace(file.find("capacity: 10"), 12, "capacity: 11");
  testing::WriteFile(corpus_->content_dir() + "/kwartel.md", file);
  const auto errors = corpus_->Index();
  EXPECT_TRUE(errors.empty()) << errors.front();
  file_course = Get("/api/courses/masterclass-kwartel", &manager).Json()["course"];
  EXPECT_EQ(file_course["title"], "Masterclass kwartel (API)");
  EXPECT_EQ(file_course["audience"], json::array({"politie", "gemeenten"}));
  EXPECT_EQ(file_course["level"], "gevorderd");
  EXPECT_EQ(SessionOf(file_course, "mei")["capacity"], 10);  // the file's change is skipped
  EXPECT_EQ(Get("/api/courses/" + id, &manager).Json()["course"]["title"],
            "Cursus reigerbek-analyse (najaar)");
  // The index followed the API: search finds the new title for the audience.
  EXPECT_EQ(Get("/api/search?q=kwartel", &gemeente).Json()["total"], 1);
  EXPECT_EQ(Get("/api/search?q=reigerbek", &agent).Json()["total"], 1);
  // Every catalogue change is audited under the manager.
  std::set<std::string> events;
  auto audit = server_->auth()->ListAudit(access::AuthService::LocalAdministrator(), "", 1, 100);
  ASSERT_TRUE(audit.ok());
  for (const auto& e : audit->entries) {
    if (e.actor == "beheer@academie.nl") events.insert(e.event + " " + e.subject);
  }
  EXPECT_EQ(events.count("academy_course_saved " + id), 1u);
  EXPECT_EQ(events.count("academy_course_saved masterclass-kwartel"), 1u);
  EXPECT_EQ(events.count("academy_course_changed " + id), 1u);
}

// A working draft of the redactie's beside a course: a course save would
// have dropped it (a live save supersedes its draft, answering 200) and
// left the item in state "draft". Now refused before anything is written;
// sessions still change.
TEST_F(AcademyTest, CourseSaveNeverDropsTheRedactiesDraft) {
  Login manager = SignIn("beheer@academie.nl");
  Login redactie = SignIn("redactie@kpo.nl");
  const std::string doc = "/api/documents/cursus-bibob-open";
  const json live = Get(doc, &redactie).Json();
  ASSERT_TRUE(live.contains("editorial")) << live.dump();
  json draft = {{"title", "Conceptcursus"},
                {"type", "cursus"},
                {"summary", live.value("summary", "")},
                {"themes", live["themes"]},
                {"access", live["access"]},
                {"groups", live.value("groups", json::array())},
                {"body", "Conceptwoord zilverreiger."},
                {"base_revision", live["editorial"]["revision"]}};
  auto saved = Send("PUT", doc, redactie, draft);
  ASSERT_EQ(saved.status, 200) << saved.body;
  // The academy reads the course, not the redactie's work on it.
  const json seen = Get(doc, &manager).Json();
  EXPECT_FALSE(seen.contains("editorial")) << seen.dump();
  EXPECT_EQ(seen.dump().find("zilverreiger"), std::string::npos);
  EXPECT_EQ(Get(doc + "/revisions", &manager).status, 404);
  auto refused = Send("PUT", "/api/courses/cursus-bibob-open", manager, {{"summary", "Nieuw"}});
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.ErrorCodeName(), "invalid_transition");
  EXPECT_NE(refused.body.find("concept"), std::string::npos);
  const json after = Get(doc, &redactie).Json();
  ASSERT_TRUE(after["editorial"]["draft"].is_object()) << after.dump();
  EXPECT_EQ(after["editorial"]["draft"]["title"], "Conceptcursus");
  EXPECT_NE(Get("/api/courses/cursus-bibob-open", &manager).Json()["course"]["summary"], "Nieuw");
  EXPECT_EQ(Send("POST", "/api/courses/cursus-bibob-open/sessions/groot/capacity", manager,
                 {{"capacity", 300}})
                .status,
            200);
}

}  // namespace
}  // namespace kpo

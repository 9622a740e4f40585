// The academy's portal pages (backend/src/portal/academy_pages.cc) on a
// real server: a course for one audience absent from everyone else's
// catalogue and course page, the enrol / waiting list / cancel forms with
// their CSRF check and redirect, hostile query parameters answered with a
// Dutch page and nothing echoed, "Mijn inschrijvingen" with its calendar
// link, and the managers' course and session forms.
#include <gtest/gtest.h>

#include <regex>

#include "support/server_fixture.h"
#include "support/test_support.h"

namespace kpo {
namespace {

using testing::HttpCall;
using testing::HttpResponse;
using testing::UrlEncode;

const char* kPortalOpenCourse = R"(---
id: cursus-fuut
title: "Cursus fuut-signalen"
type: cursus
summary: "Signalen herkennen."
themes: [bibob]
regions: [landelijk]
access: members
published: 2024-01-01
provider: Landelijk Bureau Bibob
format: klassikaal
cost: 12.50
sessions:
  - id: klein
    start: 2027-04-13T09:30
    end: 2027-04-13T12:30
    location: Utrecht
    capacity: 1
  - id: later
    start: 2027-09-07T13:00
    end: 2027-09-07T16:00
    location: https://example.nl/live
    capacity: 30
---
Over de fuut.
)";

const char* kPortalPolitieCourse = R"(---
id: masterclass-zebravink
title: "Masterclass zebravink-analyse"
type: cursus
themes: [bibob]
access: restricted
groups: [politie]
published: 2024-01-01
format: webinar
sessions:
  - id: mei
    start: 2027-05-11T09:00
    end: 2027-05-11T17:00
    location: Apeldoorn
    capacity: 10
---
Zebravink is het merkwoord van deze masterclass.
)";

using Browser = testing::SignedInBrowser;

class AcademyPortalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::Corpus();
    testing::WriteFile(corpus_->content_dir() + "/fuut.md", kPortalOpenCourse);
    testing::WriteFile(corpus_->content_dir() + "/zebravink.md", kPortalPolitieCourse);
    access::AuthOptions options = testing::FixtureAuthOptions();
    options.address_failure_limit = 1000;
    server_ = new testing::ServerFixture(corpus_, options);
    AddUser("eerste@gemeente.nl", "Eerste Lid", "member", {"gemeenten"});
    AddUser("tweede@gemeente.nl", "Tweede Lid", "member", {"gemeenten"});
    AddUser("agent@politie.nl", "Agent Jansen", "member", {"politie"});
    AddUser("beheer@academie.nl", "Academiebeheer", "academie", {});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
  }
  static void AddUser(const std::string& email, const std::string& name, const std::string& role,
                      std::vector<std::string> groups) {
    access::NewUserRequest req{email, name, role, std::move(groups), {}, testing::kPassword};
    auto user = server_->auth()->AddUser(access::AuthService::LocalAdministrator(), "", req);
    ASSERT_TRUE(user.ok()) << user.status().ToString();
  }
  static Browser SignIn(const std::string& email) {
    auto login = server_->auth()->Login(email, testing::kPassword, "127.0.0.1");
    EXPECT_TRUE(login.ok()) << login.status().ToString();
    if (!login.ok()) return {};
    return {"Cookie: kpo_session=" + login->session_id, login->csrf_token};
  }
  static HttpResponse Get(const std::string& target, const Browser* who = nullptr) {
    return HttpCall(server_->port(), "GET", target,
                    who ? std::vector<std::string>{who->cookie} : std::vector<std::string>{});
  }
  static HttpResponse Post(const std::string& target, const Browser* who, const std::string& body) {
    std::vector<std::string> headers = {"Content-Type: application/x-www-form-urlencoded"};
    if (who != nullptr) headers.push_back(who->cookie);
    return HttpCall(server_->port(), "POST", target, headers, body);
  }
  // A form POST with the browser's own CSRF token.
  static HttpResponse Submit(const std::string& target, const Browser& who,
                             const std::string& fields = "") {
    return Post(target, &who, "csrf=" + UrlEncode(who.csrf) + (fields.empty() ? "" : "&") + fields);
  }
  static int Enrolled(const Browser& who) {
    return static_cast<int>(Get("/api/me/enrolments", &who).Json()["enrolments"].size());
  }

  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
};

testing::Corpus* AcademyPortalTest::corpus_ = nullptr;
testing::ServerFixture* AcademyPortalTest::server_ = nullptr;

TEST_F(AcademyPortalTest, CatalogueShowsCoursesWithFiltersAndNextDates) {
  Browser member = SignIn("eerste@gemeente.nl");
  auto page = Get("/academie", &member);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Header("cache-control"), "private, no-store");
  EXPECT_NE(page.body.find("<title>Academie — Kennisplatform Ondermijning</title>"),
            std::string::npos);
  EXPECT_NE(page.body.find("href=\"/academie\" aria-current=\"page\">Academie</a>"),
            std::string::npos);
  EXPECT_NE(page.body.find("<a class=\"utrecht-link\" href=\"/academie/cursus-fuut\">Cursus "
                           "fuut-signalen</a>"),
            std::string::npos);
  EXPECT_NE(page.body.find("Volgende bijeenkomst: <time datetime=\"2027-04-13T09:30\">di 13 april "
                           "2027, 09:30</time> · <span class=\"kpo-places\">1 plaats vrij</span> · "
                           "en nog 1 bijeenkomst"),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("€ 12,50"), std::string::npos);
  EXPECT_NE(page.body.find("1 cursus"), std::string::npos);
  // Filters narrow; a filter that matches nothing says so.
  EXPECT_NE(Get("/academie?format=klassikaal&from=2027-09-01&to=2027-09-30", &member)
                .body.find("/academie/cursus-fuut\""),
            std::string::npos);
  auto none = Get("/academie?format=webinar", &member);
  EXPECT_EQ(none.status, 200);
  EXPECT_NE(none.body.find("Geen cursussen gevonden"), std::string::npos);
  EXPECT_NE(none.body.find("<option value=\"webinar\" selected>Webinar</option>"),
            std::string::npos);
  // The course's item page (search results link there) leads to its dates.
  EXPECT_NE(Get("/items/cursus-fuut", &member)
                .body.find("<a class=\"utrecht-link\" href=\"/academie/cursus-fuut\">Data en "
                           "inschrijven voor deze cursus</a>"),
            std::string::npos);
  // Members see no manager links.
  EXPECT_EQ(page.body.find("/academie/nieuw"), std::string::npos);
  // Not signed in, a members' course is not there, as an item would not
  // be: with the offer to sign in and come back to it.
  auto closed = Get("/academie/cursus-fuut");
  EXPECT_EQ(closed.status, 404);
  EXPECT_NE(closed.body.find("href=\"/inloggen?next=%2Facademie%2Fcursus-fuut\">Inloggen</a>"),
            std::string::npos)
      << closed.body;
  EXPECT_EQ(closed.body.find("fuut-signalen"), std::string::npos);
}

TEST_F(AcademyPortalTest, AudienceCourseIsAbsentForOthers) {
  Browser gemeente = SignIn("eerste@gemeente.nl");
  Browser agent = SignIn("agent@politie.nl");
  for (const Browser* who :
       {static_cast<const Browser*>(&gemeente), static_cast<const Browser*>(nullptr)}) {
    SCOPED_TRACE(who ? "gemeente" : "anoniem");
    // The same page as for a course that does not exist (the address
    // itself is in the sign-in link of an anonymous page).
    std::string missing = Get("/academie/masterclass-bestaatniet", who).body;
    for (size_t at; (at = missing.find("bestaatniet")) != std::string::npos;) {
      missing.replace(at, 11, "zebravink");
    }
    EXPECT_EQ(Get("/academie/masterclass-zebravink", who).body, missing);
    for (const char* target :
         {"/academie", "/academie?audience=politie", "/academie?format=webinar",
          "/academie?theme=bibob&upcoming=1", "/"}) {
      auto page = Get(target, who);
      EXPECT_EQ(page.status, 200) << target;
      EXPECT_EQ(page.body.find("ebravink"), std::string::npos) << target;
    }
    auto course = Get("/academie/masterclass-zebravink", who);
    EXPECT_EQ(course.status, 404);
    EXPECT_EQ(course.body.find("Zebravink"), std::string::npos);
    // The forms answer as for a course that does not exist.
    if (who != nullptr) {
      auto enrol = Submit("/academie/masterclass-zebravink/sessies/mei/inschrijven", *who);
      EXPECT_EQ(enrol.status, 404);
      EXPECT_EQ(enrol.body.find("ebravink"), std::string::npos);
    }
  }
  // The audience sees it, with its place on the page.
  auto seen = Get("/academie", &agent);
  EXPECT_NE(seen.body.find("Masterclass zebravink-analyse"), std::string::npos);
  EXPECT_EQ(Get("/academie/masterclass-zebravink", &agent).status, 200);
}

TEST_F(AcademyPortalTest, EnrolWaitingListAndPromotionThroughTheForms) {
  Browser first = SignIn("eerste@gemeente.nl");
  Browser second = SignIn("tweede@gemeente.nl");
  const std::string enrol = "/academie/cursus-fuut/sessies/klein/inschrijven";
  const std::string cancel = "/academie/cursus-fuut/sessies/klein/uitschrijven";
  // The page offers the form with the session's token.
  auto page = Get("/academie/cursus-fuut", &first);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("action=\"" + enrol + "\""), std::string::npos);
  EXPECT_NE(page.body.find("name=\"csrf\" value=\"" + first.csrf + "\""), std::string::npos);

  // No token, a wrong token, another session's token: 403, nothing done.
  EXPECT_EQ(Post(enrol, &first, "").status, 403);
  EXPECT_EQ(Post(enrol, &first, "csrf=verkeerd").status, 403);
  EXPECT_EQ(Post(enrol, &first, "csrf=" + UrlEncode(second.csrf)).status, 403);
  EXPECT_EQ(Enrolled(first), 0);
  // Anonymous: to the sign-in page and back to the course; a form made for
  // a session that has ended since (it has a token) is said not to be done.
  auto anonymous = Post(enrol, nullptr, "");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(anonymous.Header("location"), "/inloggen?next=%2Facademie%2Fcursus-fuut");
  auto ended = Post(enrol, nullptr, "csrf=x");
  EXPECT_EQ(ended.Header("location"), "/inloggen?next=%2Facademie%2Fcursus-fuut&verlopen=1");

  auto done = Submit(enrol, first);
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.Header("location"),
            "/academie/cursus-fuut?melding=ingeschreven&sessie=klein#sessie-klein");
  auto after = Get("/academie/cursus-fuut?melding=ingeschreven&sessie=klein", &first).body;
  EXPECT_NE(after.find("U bent ingeschreven."), std::string::npos);
  EXPECT_NE(after.find("Uitschrijven"), std::string::npos);
  // The notice is in the session's entry, where the address scrolls to, and
  // not also at the top.
  const size_t entry = after.find("<li class=\"kpo-session\" id=\"sessie-klein\">");
  const size_t notice =
      after.find("role=\"status\"><p class=\"utrecht-paragraph\">U bent ingeschreven.");
  ASSERT_NE(entry, std::string::npos);
  ASSERT_NE(notice, std::string::npos);
  EXPECT_GT(notice, entry);
  EXPECT_LT(notice, after.find("</li>", entry));
  EXPECT_EQ(after.find("role=\"status\"", notice + 1), std::string::npos);
  // Without a session, or for one the page does not list (never echoed), it
  // stays at the top.
  for (const char* other : {"", "&sessie=onbekend", "&sessie=%3Cb%3Ex"}) {
    auto top = Get(std::string("/academie/cursus-fuut?melding=ingeschreven") + other, &first).body;
    const size_t at =
        top.find("role=\"status\"><p class=\"utrecht-paragraph\">U bent ingeschreven.");
    ASSERT_NE(at, std::string::npos) << other;
    EXPECT_LT(at, top.find("id=\"sessies\"")) << other;
    EXPECT_EQ(top.find("onbekend"), std::string::npos);
    EXPECT_EQ(top.find("<b>x"), std::string::npos);
  }

  // The session is full: the next member gets a waiting-list place.
  EXPECT_NE(Get("/academie/cursus-fuut", &second).body.find("Op de wachtlijst"), std::string::npos);
  auto waiting = Submit(enrol, second);
  EXPECT_EQ(waiting.Header("location"),
            "/academie/cursus-fuut?melding=wachtlijst&sessie=klein#sessie-klein");
  EXPECT_NE(Get("/academie/cursus-fuut", &second).body.find("U staat op de wachtlijst: plaats 1."),
            std::string::npos);
  // Enrolling twice changes nothing.
  EXPECT_EQ(Submit(enrol, second).Header("location"),
            "/academie/cursus-fuut?melding=wachtlijst&sessie=klein#sessie-klein");
  // A waiting place is no date for the calendar: no link until promoted.
  auto queued = Get("/mijn-inschrijvingen", &second).body;
  EXPECT_NE(queued.find("Wachtlijst: plaats 1</strong>. Komt er een plaats vrij"),
            std::string::npos);
  EXPECT_EQ(queued.find("In mijn agenda zetten"), std::string::npos);

  // Giving up a place asks first, in place, saying what happens; asking
  // changes nothing.
  auto course_page = Get("/academie/cursus-fuut", &first).body;
  EXPECT_NE(course_page.find("href=\"/academie/cursus-fuut?vraag=uitschrijven:cursus-fuut:klein\">"
                             "Uitschrijven"),
            std::string::npos)
      << course_page;
  EXPECT_EQ(course_page.find("Ja, uitschrijven"), std::string::npos);
  auto asked = Get("/academie/cursus-fuut?vraag=uitschrijven:cursus-fuut:klein", &first).body;
  EXPECT_NE(asked.find("Uitschrijven? Uw plaats gaat direct naar de eerste op de wachtlijst"),
            std::string::npos);
  EXPECT_NE(asked.find("action=\"" + cancel + "\" class=\"kpo-confirm\""), std::string::npos);
  EXPECT_NE(asked.find(">Ja, uitschrijven<"), std::string::npos);
  EXPECT_NE(asked.find("href=\"/academie/cursus-fuut#sessie-klein\">Nee, terug</a>"),
            std::string::npos);
  // Another session's or another course's question opens nothing here.
  EXPECT_EQ(Get("/academie/cursus-fuut?vraag=uitschrijven:cursus-fuut:later", &first)
                .body.find("Ja, uitschrijven"),
            std::string::npos);
  auto queued_mine = Get("/mijn-inschrijvingen?vraag=uitschrijven:cursus-fuut:klein", &second).body;
  EXPECT_NE(queued_mine.find("Van de wachtlijst af? U verliest plaats 1 op de wachtlijst."),
            std::string::npos)
      << queued_mine;
  EXPECT_NE(queued_mine.find("id=\"sessie-cursus-fuut-klein\""), std::string::npos);
  EXPECT_NE(Get("/academie/cursus-fuut", &second).body.find("U staat op de wachtlijst: plaats 1."),
            std::string::npos);

  // The first cancels: the second is promoted.
  EXPECT_EQ(Submit(cancel, first).Header("location"),
            "/academie/cursus-fuut?melding=uitgeschreven&sessie=klein#sessie-klein");
  auto promoted = Get("/academie/cursus-fuut", &second).body;
  EXPECT_NE(promoted.find("U bent ingeschreven."), std::string::npos);
  EXPECT_EQ(promoted.find("wachtlijst: plaats"), std::string::npos);
  // Cancelling what one does not hold: the course page with the reason.
  auto nothing = Submit(cancel, first);
  EXPECT_EQ(nothing.status, 404);
  EXPECT_NE(nothing.body.find("U bent niet ingeschreven voor deze sessie."), std::string::npos);

  // "Mijn inschrijvingen" lists it with its calendar links.
  auto mine = Get("/mijn-inschrijvingen", &second);
  ASSERT_EQ(mine.status, 200);
  EXPECT_NE(mine.body.find("href=\"/academie/cursus-fuut\">Cursus fuut-signalen</a>"),
            std::string::npos);
  // The calendar link beside a place holds that session alone.
  EXPECT_NE(mine.body.find("href=\"/api/courses/cursus-fuut.ics?sessie="), std::string::npos);
  // Nothing to revoke yet: the button is offered only once a link exists.
  EXPECT_EQ(mine.body.find("Agenda-link intrekken"), std::string::npos);
  EXPECT_EQ(Get("/mijn-inschrijvingen").Header("location"),
            "/inloggen?next=%2Fmijn-inschrijvingen");
  EXPECT_EQ(Post("/mijn-inschrijvingen/agenda", &second, "csrf=fout").status, 403);
  auto feed = Submit("/mijn-inschrijvingen/agenda", second);
  ASSERT_EQ(feed.status, 200);
  std::smatch m;
  const std::regex url("value=\"http://localhost(/api/calendar/[A-Za-z0-9_-]+\\.ics)\"");
  ASSERT_TRUE(std::regex_search(feed.body, m, url)) << feed.body;
  auto ics = Get(m[1].str());
  EXPECT_EQ(ics.status, 200);
  EXPECT_NE(ics.body.find("SUMMARY:Cursus fuut-signalen"), std::string::npos);
  EXPECT_NE(feed.body.find("Agenda-link intrekken"), std::string::npos);
  EXPECT_EQ(Submit("/mijn-inschrijvingen/agenda/intrekken", second).status, 303);
  EXPECT_EQ(Get(m[1].str()).status, 404);
  EXPECT_EQ(Get("/mijn-inschrijvingen", &second).body.find("Agenda-link intrekken"),
            std::string::npos);
  // Giving up the place from "Mijn inschrijvingen" returns there, with a
  // notice that promises nothing about a waiting list.
  EXPECT_NE(Get("/mijn-inschrijvingen?vraag=uitschrijven:cursus-fuut:klein", &second)
                .body.find("<input type=\"hidden\" name=\"terug\" value=\"mijn-inschrijvingen\">"),
            std::string::npos);
  auto left = Submit(cancel, second, "terug=mijn-inschrijvingen");
  EXPECT_EQ(left.Header("location"), "/mijn-inschrijvingen?melding=uitgeschreven");
  auto after_leaving = Get("/mijn-inschrijvingen?melding=uitgeschreven", &second).body;
  EXPECT_NE(after_leaving.find("U bent uitgeschreven.</p>"), std::string::npos) << after_leaving;
  EXPECT_EQ(after_leaving.find("Uw plaats gaat naar"), std::string::npos);
}

TEST_F(AcademyPortalTest, HostileQueryParametersGetADutchPageAndNoEcho) {
  Browser member = SignIn("eerste@gemeente.nl");
  const std::string script = "<script>alert(1)</script>";
  for (const std::string& query : std::vector<std::string>{
           "format=" + UrlEncode(script), "theme=" + UrlEncode(script), "from=2027-13-45",
           "to=" + UrlEncode("'; DROP TABLE academy_sessions; --"),
           "from=" + std::string(5000, '9'), "region=%FF%FE", "audience=..%2F..%2Fetc%2Fpasswd",
           "upcoming=%00", "free=ja%0d%0aX:%20y"}) {
    SCOPED_TRACE(query);
    auto page = Get("/academie?" + query, &member);
    EXPECT_TRUE(page.status == 200 || page.status == 400) << page.status;
    EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
    EXPECT_EQ(page.body.find("'; DROP"), std::string::npos);  // only escaped in the form
    EXPECT_EQ(page.Header("x"), "");
  }
  auto bad = Get("/academie?format=" + UrlEncode(script), &member);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("Dit adres bevat een filter of datum die niet bestaat."),
            std::string::npos);
  // A question to confirm is picked by exact key only: a hostile, empty,
  // partial or oversized ?vraag= opens none and is never echoed. The
  // member holds a place, so the right key does open one.
  const std::string later = "/academie/cursus-fuut/sessies/later";
  ASSERT_EQ(Submit(later + "/inschrijven", member).status, 303);
  EXPECT_NE(Get("/academie/cursus-fuut?vraag=uitschrijven:cursus-fuut:later", &member)
                .body.find("kpo-confirm\""),
            std::string::npos);
  for (const std::string& asked :
       {UrlEncode(script), std::string(), std::string("uitschrijven:"),
        std::string("uitschrijven:cursus-fuut"), std::string("uitschrijven:cursus-fuut:late"),
        std::string("annuleren:cursus-fuut:later"), std::string(5000, 'u'),
        std::string("uitschrijven%00:cursus-fuut:klein")}) {
    SCOPED_TRACE(asked.substr(0, 40));
    for (const char* page_path : {"/academie/cursus-fuut", "/mijn-inschrijvingen"}) {
      auto page = Get(std::string(page_path) + "?vraag=" + asked, &member);
      EXPECT_EQ(page.status, 200) << page_path;
      EXPECT_EQ(page.body.find("kpo-confirm\""), std::string::npos) << page_path;
      EXPECT_EQ(page.body.find("<script>alert"), std::string::npos) << page_path;
    }
  }
  ASSERT_EQ(Submit(later + "/uitschrijven", member).status, 303);
  // The notice is one of a fixed set: the address cannot put words on a page.
  auto notice =
      Get("/academie/cursus-fuut?melding=" + UrlEncode(script + "U bent ingeschreven."), &member);
  EXPECT_EQ(notice.status, 200);
  EXPECT_EQ(notice.body.find("alert(1)"), std::string::npos);
  EXPECT_EQ(notice.body.find("U bent ingeschreven."), std::string::npos);
  for (const char* path : {"/academie/%3Cscript%3E", "/academie/..%2F..%2Fetc",
                           "/academie/cursus-fuut/sessies/%00/bewerken"}) {
    auto r = Get(path, &member);
    EXPECT_TRUE(r.status == 404 || r.status == 403 || r.status == 400) << path << r.status;
    EXPECT_EQ(r.body.find("<script>"), std::string::npos);
  }
}

TEST_F(AcademyPortalTest, ManagersCreateACourseAndManageItsSessions) {
  Browser manager = SignIn("beheer@academie.nl");
  Browser member = SignIn("eerste@gemeente.nl");
  EXPECT_EQ(Get("/academie/nieuw", &member).status, 403);
  EXPECT_EQ(Get("/academie/nieuw").Header("location"), "/inloggen?next=%2Facademie%2Fnieuw");
  EXPECT_EQ(Submit("/academie/nieuw", member, "title=Poging").status, 403);
  auto form = Get("/academie/nieuw", &manager);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<title>Nieuwe cursus — Kennisplatform Ondermijning</title>"),
            std::string::npos);

  // A refused form comes back with what was typed and the reason.
  auto refused =
      Submit("/academie/nieuw", manager,
             "title=" + UrlEncode("Cursus <b>roerdomp</b>") + "&cost=veel&theme:bibob=1");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("<title>Fout: Nieuwe cursus — Kennisplatform Ondermijning</title>"),
            std::string::npos);
  EXPECT_NE(
      refused.body.find("<a class=\"utrecht-link\" href=\"#cost\">Vul bij Kosten in euro&apos;s "
                        "een bedrag in, zoals 0, 250 of 12,50.</a>"),
      std::string::npos);
  EXPECT_NE(refused.body.find("aria-describedby=\"cost-hint cost-fout\" aria-invalid=\"true\""),
            std::string::npos);
  // An empty form: every problem at once, in the form's words, each linked
  // to its field and marked beside it.
  auto empty = Submit("/academie/nieuw", manager, "title=&language=");
  EXPECT_EQ(empty.status, 400);
  EXPECT_NE(empty.body.find("href=\"#title\">Titel ontbreekt.</a>"), std::string::npos);
  EXPECT_NE(empty.body.find("href=\"#language\">Taal: kies uit Nederlands, Engels, Duits, Frans"),
            std::string::npos);
  EXPECT_NE(empty.body.find("id=\"title-fout\">Titel ontbreekt.</p>"), std::string::npos);
  EXPECT_NE(empty.body.find("aria-invalid=\"true\" aria-describedby=\"title-fout\""),
            std::string::npos);
  // An amount the form cannot read, a bad id and a bad language: all three
  // in one answer, not one per submit.
  auto three = Submit("/academie/nieuw", manager,
                      "title=Drie&cost=twaalf&id=" + UrlEncode("Mijn Cursus!") +
                          "&language=" + UrlEncode("Nederlands"));
  EXPECT_EQ(three.status, 400);
  for (const char* field : {"#cost", "#id", "#language"}) {
    EXPECT_NE(three.body.find(std::string("<a class=\"utrecht-link\" href=\"") + field + "\">"),
              std::string::npos)
        << field << "\n"
        << three.body;
  }
  // The summary lists them in the form's order (id, cost, language), not in
  // the order the checks found them (the amount is read first).
  const auto summary_at = [&](const char* field) {
    return three.body.find(std::string("<a class=\"utrecht-link\" href=\"") + field + "\">");
  };
  EXPECT_LT(summary_at("#id"), summary_at("#cost"));
  EXPECT_LT(summary_at("#cost"), summary_at("#language"));
  // The refused value stays chosen (not silently the first language), so
  // saving again asks for a real one.
  EXPECT_NE(three.body.find("<option value=\"Nederlands\" selected>Nederlands</option>"),
            std::string::npos);
  // A bad id alone: the other problems of the form come with it.
  auto bad_id =
      Submit("/academie/nieuw", manager, "title=&id=" + UrlEncode("Mijn Cursus!") + "&language=nl");
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_NE(bad_id.body.find("href=\"#id\">"), std::string::npos) << bad_id.body;
  EXPECT_NE(bad_id.body.find("href=\"#title\">Titel ontbreekt.</a>"), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"Cursus &lt;b&gt;roerdomp&lt;/b&gt;\""), std::string::npos);
  EXPECT_NE(refused.body.find("name=\"theme:bibob\" value=\"1\" checked"), std::string::npos);

  auto created =
      Submit("/academie/nieuw", manager,
             "title=" + UrlEncode("Cursus roerdomp") +
                 "&summary=Kort&body=" + UrlEncode("# Kop\r\n\r\nTekst met roerdomp.") +
                 "&theme:bibob=1&audience:gemeenten=1&format=online&cost=" + UrlEncode("250,00") +
                 "&points=3&language=en");
  ASSERT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(created.Header("location"), "/academie/cursus-roerdomp?melding=cursus-opgeslagen");
  // Accented letters are folded as the editorial side folds them (one slug
  // rule), not dropped: "één" is "een", not "n".
  auto accented =
      Submit("/academie/nieuw", manager,
             "language=nl&title=" + UrlEncode("Proefcursus Ondermijning herkennen — één dag"));
  ASSERT_EQ(accented.status, 303) << accented.body;
  EXPECT_EQ(accented.Header("location"),
            "/academie/proefcursus-ondermijning-herkennen-een-dag?melding=cursus-opgeslagen");
  auto course = Get(created.Header("location"), &manager);
  ASSERT_EQ(course.status, 200);
  EXPECT_NE(course.body.find("De cursus is opgeslagen."), std::string::npos);
  EXPECT_NE(course.body.find("€ 250"), std::string::npos);
  EXPECT_NE(course.body.find("Alleen voor: Gemeenten"), std::string::npos);
  EXPECT_NE(course.body.find("Engels"), std::string::npos);  // the language's name, not "en"
  EXPECT_NE(course.body.find("<h1>Kop</h1>"), std::string::npos);
  // The edit form holds the stored values and the revision it is based on.
  auto edit = Get("/academie/cursus-roerdomp/bewerken", &manager);
  ASSERT_EQ(edit.status, 200);
  EXPECT_NE(edit.body.find("# Kop\n\nTekst met roerdomp.</textarea>"), std::string::npos);
  EXPECT_NE(edit.body.find("name=\"audience:gemeenten\" value=\"1\" checked"), std::string::npos);
  EXPECT_NE(edit.body.find("<option value=\"en\" selected>Engels</option>"), std::string::npos);
  EXPECT_NE(edit.body.find("name=\"cost\" type=\"text\" inputmode=\"decimal\" "
                           "aria-describedby=\"cost-hint\" value=\"250\""),
            std::string::npos);

  // Sessions: a bad one is refused with the validation routine's words.
  const std::string sessions = "/academie/cursus-roerdomp/sessies/nieuw";
  auto bad = Submit(sessions, manager,
                    "id=voorjaar&start=2027-03-10T13%3A00&end=2027-03-10T12%3A00&location=Zwolle"
                    "&capacity=2");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("href=\"#end\">Eindigt: kies een moment na het begin.</a>"),
            std::string::npos);
  EXPECT_NE(bad.body.find("id=\"end-fout\">Eindigt: kies een moment na het begin.</p>"),
            std::string::npos);
  EXPECT_NE(bad.body.find("aria-invalid=\"true\" aria-describedby=\"end-fout\""),
            std::string::npos);
  EXPECT_EQ(bad.body.find("end moet"), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"Zwolle\""), std::string::npos);
  auto saved = Submit(sessions, manager,
                      "id=voorjaar&start=2027-03-10T13%3A00&end=2027-03-10T17%3A00&location=Zwolle"
                      "&capacity=1");
  ASSERT_EQ(saved.status, 303) << saved.body;
  // "Sessie toevoegen" with an id the course uses: refused at the id, the
  // session it names left as it was (it was replaced before).
  auto again = Submit(sessions, manager,
                      "id=voorjaar&start=2027-05-10T09%3A00&end=2027-05-10T12%3A00&location=Gouda"
                      "&capacity=9");
  EXPECT_EQ(again.status, 422);
  EXPECT_NE(again.body.find("id=\"id-fout\">Deze cursus heeft al een sessie met id "
                            "&apos;voorjaar&apos;. Kies een ander id.</p>"),
            std::string::npos)
      << again.body;
  EXPECT_EQ(Get("/academie/cursus-roerdomp", &manager).body.find("Gouda"), std::string::npos);
  // Without an id: made from the start date, unique in the course.
  for (const char* expected : {"2027-06-01", "2027-06-01-2"}) {
    auto dated = Submit(sessions, manager,
                        "id=&start=2027-06-01T09%3A00&end=2027-06-01T12%3A00&location=Delft"
                        "&capacity=3");
    ASSERT_EQ(dated.status, 303) << dated.body;
    EXPECT_EQ(dated.Header("location"),
              std::string("/academie/cursus-roerdomp?melding=sessie-opgeslagen&sessie=") +
                  expected + "#sessie-" + expected);
  }
  // The default deadline (the day before) shows empty in the edit form, as
  // its hint says, so moving the session moves the deadline too.
  const std::string session_form =
      Get("/academie/cursus-roerdomp/sessies/voorjaar/bewerken", &manager).body;
  EXPECT_NE(session_form.find("value=\"2027-03-10T13:00\""), std::string::npos) << session_form;
  EXPECT_EQ(session_form.find("2027-03-09"), std::string::npos) << session_form;
  // A member of the audience enrols, the manager raises the capacity, then
  // cancels the session: the member sees it under their enrolments.
  ASSERT_EQ(Submit("/academie/cursus-roerdomp/sessies/voorjaar/inschrijven", member).status, 303);
  auto managed = Get("/academie/cursus-roerdomp", &manager).body;
  EXPECT_NE(
      managed.find("href=\"/api/courses/cursus-roerdomp/sessions/voorjaar/participants.csv\""),
      std::string::npos);
  EXPECT_EQ(Get("/academie/cursus-roerdomp", &member).body.find("participants.csv"),
            std::string::npos);
  auto csv = Get("/api/courses/cursus-roerdomp/sessions/voorjaar/participants.csv", &manager);
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("eerste@gemeente.nl"), std::string::npos);
  EXPECT_EQ(
      Submit("/academie/cursus-roerdomp/sessies/voorjaar/capaciteit", member, "capacity=5").status,
      403);
  EXPECT_EQ(
      Submit("/academie/cursus-roerdomp/sessies/voorjaar/capaciteit", manager, "capacity=x").status,
      400);
  EXPECT_EQ(Submit("/academie/cursus-roerdomp/sessies/voorjaar/capaciteit", manager, "capacity=5")
                .Header("location"),
            "/academie/cursus-roerdomp?melding=capaciteit&sessie=voorjaar#sessie-voorjaar");
  EXPECT_NE(Get("/academie/cursus-roerdomp", &manager).body.find("4 plaatsen vrij"),
            std::string::npos);
  // Cancelling a session asks first, saying who is affected.
  const std::string manage = Get("/academie/cursus-roerdomp", &manager).body;
  EXPECT_NE(
      manage.find("href=\"/academie/cursus-roerdomp?vraag=annuleren:cursus-roerdomp:voorjaar\">"
                  "Sessie annuleren"),
      std::string::npos);
  EXPECT_EQ(manage.find("Ja, sessie annuleren"), std::string::npos);
  const std::string ask =
      Get("/academie/cursus-roerdomp?vraag=annuleren:cursus-roerdomp:voorjaar", &manager).body;
  EXPECT_NE(ask.find("Deze sessie annuleren? Dat kan niet ongedaan worden gemaakt. Ingeschreven: 1 "
                     "deelnemer; zij zien de sessie daarna als geannuleerd."),
            std::string::npos)
      << ask;
  EXPECT_NE(ask.find(">Ja, sessie annuleren<"), std::string::npos);
  EXPECT_EQ(Submit("/academie/cursus-roerdomp/sessies/voorjaar/annuleren", manager).status, 303);
  auto mine = Get("/mijn-inschrijvingen", &member).body;
  EXPECT_NE(mine.find("Geannuleerd"), std::string::npos);
  EXPECT_NE(mine.find("Cursus roerdomp"), std::string::npos);
  // The edit form changes the title; a stale form is refused, nothing lost.
  const std::string revision = testing::HiddenField(edit.body, "base_revision");
  ASSERT_FALSE(revision.empty()) << edit.body;
  auto renamed = Submit("/academie/cursus-roerdomp/bewerken", manager,
                        "base_revision=" + revision + "&title=" + UrlEncode("Cursus roerdomp II") +
                            "&audience:gemeenten=1&cost=250&language=nl");
  EXPECT_EQ(renamed.status, 303) << renamed.body;
  auto stale = Submit("/academie/cursus-roerdomp/bewerken", manager,
                      "base_revision=" + revision + "&title=" + UrlEncode("Cursus roerdomp III") +
                          "&cost=250&language=nl");
  EXPECT_EQ(stale.status, 409);
  EXPECT_NE(stale.body.find("value=\"Cursus roerdomp III\""), std::string::npos);
  EXPECT_NE(Get("/academie/cursus-roerdomp", &manager).body.find("Cursus roerdomp II</h1>"),
            std::string::npos);
}

}  // namespace
}  // namespace kpo

// The editorial portal pages (backend/src/portal/editorial_pages.cc) on a
// real server: an editor's drafts seen by the editors of that werkplaats
// only (others get 404, members and editors 403 on the redactie's pages),
// forms refused without the CSRF token, a stale save that keeps the
// editor's text, field errors beside the fields, the server-side preview,
// the workflow through the forms (submit, send back with a required
// comment, approve from the dashboard), the revision history with its diff
// and restore, an attachment uploaded through the multipart form, and what a
// form that cannot be taken (signed out, too large) answers.
#include <gtest/gtest.h>

#include <unistd.h>

#include <regex>
#include <string>

#include "support/server_fixture.h"
#include "support/test_support.h"

namespace kpo {
namespace {

using testing::HttpCall;
using testing::HttpResponse;
using testing::UrlEncode;

// A 1×1 PNG (the attachment types are decided by content, not by name).
const std::string kPng = [] {
  const unsigned char bytes[] = {137, 80, 78, 71,  13,  10, 26, 10, 0,   0,  0,   13, 73,  72,
                                 68,  82, 0,  0,   0,   1,  0,  0,  0,   1,  8,   6,  0,   0,
                                 0,   31, 21, 196, 137, 0,  0,  0,  11,  73, 68,  65, 84,  120,
                                 156, 99, 96, 0,   2,   0,  0,  5,  0,   1,  122, 94, 171, 63,
                                 0,   0,  0,  0,   73,  69, 78, 68, 174, 66, 96,  130};
  return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
}();

using Browser = testing::SignedInBrowser;

class EditorialPortalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::Corpus();
    corpus_->Add({.id = "bestaand", .title = "Bestaand item", .body = "Over ondermijning."});
    access::AuthOptions options = testing::FixtureAuthOptions();
    options.address_failure_limit = 1000;
    server_ = new testing::ServerFixture(corpus_, options);
    AddUser("bibob@gemeente.nl", "Bea Bibob", "editor", {"gemeenten"}, {"bibob"});
    AddUser("integriteit@gemeente.nl", "Ivo Integriteit", "editor", {"gemeenten"}, {"integriteit"});
    AddUser("lid@gemeente.nl", "Lia Lid", "member", {"gemeenten"}, {});
    AddUser("redactie@kpo.nl", "Rob Redactie", "redactie", {}, {});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
  }
  static void AddUser(const std::string& email, const std::string& name, const std::string& role,
                      std::vector<std::string> groups, std::vector<std::string> werkplaatsen) {
    access::NewUserRequest req{
        email, name, role, std::move(groups), std::move(werkplaatsen), testing::kPassword};
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
  static HttpResponse Post(const std::string& target, const Browser& who, const std::string& body) {
    return HttpCall(server_->port(), "POST", target,
                    {"Content-Type: application/x-www-form-urlencoded", who.cookie}, body);
  }
  // A form POST with the browser's own CSRF token.
  static HttpResponse Submit(const std::string& target, const Browser& who,
                             const std::string& fields) {
    return Post(target, who, "csrf=" + UrlEncode(who.csrf) + "&" + fields);
  }
  // The editor's form fields of a valid item of werkplaats bibob.
  static std::string Fields(const std::string& id, const std::string& body) {
    return "id=" + id + "&title=" + UrlEncode("Stuk " + id) +
           "&type=product&werkplaats=bibob&access=public&theme%3Abibob=1&tags=" +
           UrlEncode("vastgoed, huur") + "&body=" + UrlEncode(body);
  }
  // Creates `id` through the form; its first revision.
  static void Create(const Browser& editor, const std::string& id, const std::string& body) {
    auto made = Submit("/redactie/nieuw", editor, Fields(id, body) + "&knop=opslaan");
    ASSERT_EQ(made.status, 303) << made.body;
    EXPECT_EQ(made.Header("location"), "/redactie/stukken/" + id + "?melding=aangemaakt");
  }
  static int64_t Revision(const std::string& id, const Browser& who) {
    return Get("/api/documents/" + id, &who).Json()["editorial"].value("revision", int64_t{-1});
  }
  static std::string State(const std::string& id, const Browser& who) {
    return Get("/api/documents/" + id, &who).Json()["editorial"].value("state", std::string());
  }
  static bool Has(const HttpResponse& r, const std::string& text) {
    return r.body.find(text) != std::string::npos;
  }

  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
};

testing::Corpus* EditorialPortalTest::corpus_ = nullptr;
testing::ServerFixture* EditorialPortalTest::server_ = nullptr;

TEST_F(EditorialPortalTest, DraftsAreSeenByTheirWerkplaatsOnly) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  Create(bibob, "fuut-concept", "De fuut duikt.");
  auto mine = Get("/redactie/concepten", &bibob);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_TRUE(Has(mine, "<title>Mijn concepten — Kennisplatform Ondermijning</title>"));
  EXPECT_TRUE(Has(mine, "href=\"/redactie/stukken/fuut-concept\">Stuk fuut-concept</a>"));
  EXPECT_TRUE(Has(mine, ">concept</span>"));
  EXPECT_TRUE(Has(mine, "href=\"/redactie/nieuw\">Nieuw product</a>"));
  // The header links for editors; not the redactie's dashboard.
  EXPECT_TRUE(Has(mine, "href=\"/redactie/concepten\" aria-current=\"page\">Mijn concepten</a>"));
  EXPECT_FALSE(Has(mine, "href=\"/redactie\""));
  EXPECT_EQ(mine.Header("cache-control"), "private, no-store");
  EXPECT_TRUE(Has(mine, "ingeplande stukken van uw werkplaats,"));
  // The redactie's list holds every werkplaats's work, and says so.
  Browser redactie = SignIn("redactie@kpo.nl");
  auto all = Get("/redactie/concepten", &redactie);
  EXPECT_TRUE(Has(all, "ingeplande stukken van alle werkplaatsen,"));
  EXPECT_TRUE(Has(all, "fuut-concept"));

  Browser other = SignIn("integriteit@gemeente.nl");
  auto theirs = Get("/redactie/concepten", &other);
  ASSERT_EQ(theirs.status, 200);
  EXPECT_FALSE(Has(theirs, "fuut-concept"));
  EXPECT_EQ(Get("/redactie/stukken/fuut-concept", &other).status, 404);
  EXPECT_EQ(Get("/redactie/stukken/fuut-concept/versies", &other).status, 404);
  auto refused = Submit("/redactie/stukken/fuut-concept", other,
                        Fields("fuut-concept", "Overschreven.") + "&base_revision=1");
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(Get("/redactie", &other).status, 403);

  Browser member = SignIn("lid@gemeente.nl");
  auto page = Get("/redactie/concepten", &member);
  EXPECT_EQ(page.status, 403);
  EXPECT_TRUE(Has(page, "Geen toegang"));
  // A page visited, not a form sent: nothing "expired".
  EXPECT_TRUE(Has(page, "Deze pagina is er niet voor uw account."));
  EXPECT_FALSE(Has(page, "formulier was verlopen"));
  EXPECT_FALSE(Has(page, "Mijn concepten</a>"));  // no header link for members
  EXPECT_EQ(Get("/redactie/nieuw", &member).status, 403);
  EXPECT_EQ(Get("/redactie", &member).status, 403);
  EXPECT_EQ(Get("/redactie/stukken/fuut-concept", &member).status, 404);

  auto anonymous = Get("/redactie/concepten");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(anonymous.Header("location"), "/inloggen?next=%2Fredactie%2Fconcepten");
}

TEST_F(EditorialPortalTest, FormsWithoutTheCsrfTokenChangeNothing) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  const size_t before = Get("/api/me/documents", &bibob).Json()["results"].size();
  auto made = Post("/redactie/nieuw", bibob, Fields("zonder-token", "Tekst.") + "&knop=opslaan");
  EXPECT_EQ(made.status, 403);
  auto forged = Post("/redactie/nieuw", bibob,
                     "csrf=verkeerd&" + Fields("zonder-token", "Tekst.") + "&knop=opslaan");
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(Get("/api/me/documents", &bibob).Json()["results"].size(), before);

  Create(bibob, "token-stuk", "Tekst.");
  EXPECT_EQ(Post("/redactie/stukken/token-stuk/actie", bibob, "actie=submit").status, 403);
  EXPECT_EQ(State("token-stuk", bibob), "draft");
}

TEST_F(EditorialPortalTest, AStaleSaveKeepsTheEditorsText) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  Browser redactie = SignIn("redactie@kpo.nl");
  Create(bibob, "botsing", "Eerste tekst.");
  // The redactie saves first, on revision 1.
  auto first =
      Submit("/redactie/stukken/botsing", redactie,
             Fields("botsing", "Tekst van de redactie.") + "&base_revision=1&knop=opslaan");
  ASSERT_EQ(first.status, 303) << first.body;
  EXPECT_EQ(first.Header("location"), "/redactie/stukken/botsing?melding=opgeslagen");
  ASSERT_EQ(Revision("botsing", bibob), 2);
  // The editor, who opened revision 1, saves later.
  auto stale = Submit(
      "/redactie/stukken/botsing", bibob,
      Fields("botsing", "Mijn zorgvuldige <tekst> die blijft.") + "&base_revision=1&knop=opslaan");
  ASSERT_EQ(stale.status, 409) << stale.body;
  EXPECT_TRUE(Has(stale, "Dit stuk is intussen opnieuw opgeslagen"));
  EXPECT_TRUE(Has(stale, ">Mijn zorgvuldige &lt;tekst&gt; die blijft.</textarea>"));
  EXPECT_TRUE(Has(stale, "Tekst van de redactie."));  // the newer version beside it
  EXPECT_TRUE(Has(stale, "name=\"base_revision\" value=\"2\""));
  EXPECT_EQ(Revision("botsing", bibob), 2);  // nothing written
  // Saving again, now knowingly on revision 2, stores the editor's text.
  auto again = Submit(
      "/redactie/stukken/botsing", bibob,
      Fields("botsing", "Mijn zorgvuldige tekst die blijft.") + "&base_revision=2&knop=opslaan");
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(Revision("botsing", bibob), 3);
  // The same text once more: said so, and no version is made.
  auto same = Submit(
      "/redactie/stukken/botsing", bibob,
      Fields("botsing", "Mijn zorgvuldige tekst die blijft.") + "&base_revision=3&knop=opslaan");
  EXPECT_EQ(same.Header("location"), "/redactie/stukken/botsing?melding=ongewijzigd");
  EXPECT_EQ(Revision("botsing", bibob), 3);
  EXPECT_TRUE(Has(Get("/redactie/stukken/botsing?melding=ongewijzigd", &bibob),
                  "Er was niets gewijzigd: er is geen nieuwe versie gemaakt."));
}

TEST_F(EditorialPortalTest, FieldErrorsStandBesideTheFieldsAndKeepTheText) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  auto refused = Submit("/redactie/nieuw", bibob,
                        "title=&type=product&werkplaats=bibob&access=restricted&body=" +
                            UrlEncode("Mijn tekst gaat niet verloren.") + "&knop=opslaan");
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(Has(refused, "Het stuk is niet opgeslagen. Verbeter:"));
  EXPECT_TRUE(Has(refused, "href=\"#f-title\">Titel ontbreekt.</a>"));
  EXPECT_TRUE(Has(refused, "id=\"f-title-fout\">Titel ontbreekt.</p>"));
  EXPECT_TRUE(Has(refused, "aria-invalid=\"true\" aria-describedby=\"f-title-fout\""));
  // In the form's words (no front-matter keys) and the form's order.
  EXPECT_TRUE(
      Has(refused, "href=\"#f-groups\">Partnergroepen: kies minstens één partnergroep.</a>"));
  EXPECT_LT(refused.body.find("href=\"#f-title\">"), refused.body.find("href=\"#f-groups\">"));
  EXPECT_FALSE(Has(refused, "access: restricted"));
  EXPECT_TRUE(Has(refused, ">Mijn tekst gaat niet verloren.</textarea>"));
  // Groups ticked for a public item, a bad id before the title in the
  // checks' order and a tag too long: each said in the form's words.
  auto worded = Submit("/redactie/nieuw", bibob,
                       "id=" + UrlEncode("Foute ID!!") +
                           "&title=&type=product&werkplaats=bibob&access=public&group%3Afiod=1"
                           "&tags=" +
                           UrlEncode(std::string(70, 'x')) + "&body=x&knop=opslaan");
  ASSERT_EQ(worded.status, 422) << worded.body;
  EXPECT_TRUE(Has(worded,
                  "Partnergroepen gelden alleen bij &apos;Alleen de gekozen "
                  "partnergroepen&apos;: kies dat, of zet de partnergroepen uit."))
      << worded.body;
  EXPECT_TRUE(Has(worded,
                  "Trefwoorden: &apos;xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…&apos; is te lang "
                  "(maximaal 60 tekens)."));
  EXPECT_FALSE(Has(worded, "groups mag alleen"));
  EXPECT_LT(worded.body.find("href=\"#f-title\">"), worded.body.find("href=\"#f-id\">"));
  // The form says which groups the editor is in, before it is too late.
  const auto fresh = Get("/redactie/nieuw", &bibob);
  EXPECT_TRUE(Has(fresh, "(u zit in: Gemeenten)"));
  // A course is made in the academy's form, not here.
  EXPECT_FALSE(Has(fresh, "<option value=\"cursus\""));
  EXPECT_TRUE(Has(fresh, "<option value=\"product\""));
  // An editor may not write for another werkplaats: said plainly.
  auto other = Submit("/redactie/nieuw", bibob,
                      "title=Elders&type=product&werkplaats=integriteit&access=members&body=x&"
                      "knop=opslaan");
  EXPECT_EQ(other.status, 403);
  EXPECT_TRUE(Has(other, "role=\"alert\""));
  EXPECT_TRUE(Has(other, ">x</textarea>"));
}

TEST_F(EditorialPortalTest, ThePreviewButtonRendersOnTheServerAndSavesNothing) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  const size_t before = Get("/api/me/documents", &bibob).Json()["results"].size();
  auto preview = Submit("/redactie/nieuw", bibob,
                        Fields("voorbeeld-stuk",
                               "## Kopje\n\nZie [dit](/items/bestaat-niet). "
                               "<script>alert(1)</script>") +
                            "&knop=voorbeeld");
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_TRUE(Has(preview, "<h2>Kopje</h2>"));
  EXPECT_FALSE(Has(preview, "<script>alert(1)"));
  EXPECT_TRUE(Has(preview, "/items/bestaat-niet: bestaat niet"));
  EXPECT_TRUE(Has(preview, "Taalniveau B1:"));
  EXPECT_TRUE(Has(preview,
                  "<strong>Wat lezers niet zullen zien:</strong></p><ul class=\"kpo-advice "
                  "kpo-not-shown\"><li>HTML in de tekst wordt niet getoond."))
      << preview.body;
  EXPECT_EQ(Get("/api/me/documents", &bibob).Json()["results"].size(), before);
}

// The reported data loss: text typed but not saved, then submitted. The
// submit button is part of the edit form: what was typed is saved and then
// submitted, in one request.
TEST_F(EditorialPortalTest, SaveAndSubmitSubmitsTheTypedText) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  Create(bibob, "aanbieden", "Oude tekst met een fout.");
  auto done = Submit("/redactie/stukken/aanbieden", bibob,
                     Fields("aanbieden", "Verbeterde tekst.") + "&base_revision=1&knop=aanbieden");
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.Header("location"), "/redactie/stukken/aanbieden?melding=submit");
  auto doc = Get("/api/documents/aanbieden", &bibob).Json();
  EXPECT_EQ(doc["editorial"]["state"], "in_review");
  EXPECT_EQ(doc["editorial"]["revision"], 2);
  EXPECT_EQ(doc["editorial"]["draft"]["body"], "Verbeterde tekst.");
}

// A save that fails submits nothing and keeps the typed text in the form.
TEST_F(EditorialPortalTest, SaveAndSubmitSubmitsNothingWhenTheSaveFails) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  Browser redactie = SignIn("redactie@kpo.nl");
  Create(bibob, "aanbieden-fout", "Eerste tekst.");
  // Invalid: no title.
  auto invalid = Submit("/redactie/stukken/aanbieden-fout", bibob,
                        "title=&type=product&werkplaats=bibob&access=public&body=" +
                            UrlEncode("Mijn <correctie>.") + "&base_revision=1&knop=aanbieden");
  EXPECT_GE(invalid.status, 400) << invalid.body;
  EXPECT_TRUE(Has(invalid, "Het stuk is niet opgeslagen. Verbeter:"));
  EXPECT_TRUE(Has(invalid, ">Mijn &lt;correctie&gt;.</textarea>"));
  EXPECT_EQ(State("aanbieden-fout", bibob), "draft");
  EXPECT_EQ(Revision("aanbieden-fout", bibob), 1);
  // Stale: the redactie saved revision 2 meanwhile.
  ASSERT_EQ(
      Submit("/redactie/stukken/aanbieden-fout", redactie,
             Fields("aanbieden-fout", "Tekst van de redactie.") + "&base_revision=1&knop=opslaan")
          .status,
      303);
  auto stale =
      Submit("/redactie/stukken/aanbieden-fout", bibob,
             Fields("aanbieden-fout", "Mijn correctie.") + "&base_revision=1&knop=aanbieden");
  ASSERT_EQ(stale.status, 409) << stale.body;
  EXPECT_TRUE(Has(stale, "Dit stuk is intussen opnieuw opgeslagen"));
  EXPECT_TRUE(Has(stale, ">Mijn correctie.</textarea>"));
  EXPECT_EQ(State("aanbieden-fout", bibob), "draft");
  EXPECT_EQ(Revision("aanbieden-fout", bibob), 2);
}

TEST_F(EditorialPortalTest, TheWorkflowRunsThroughTheForms) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  Browser redactie = SignIn("redactie@kpo.nl");
  Create(bibob, "werkstroom", "Een stuk voor de werkstroom.");
  auto editor = Get("/redactie/stukken/werkstroom", &bibob);
  ASSERT_EQ(editor.status, 200);
  // Submitting is a button of the edit form, which saves first.
  EXPECT_TRUE(
      Has(editor, "name=\"knop\" value=\"aanbieden\">Opslaan en ter beoordeling aanbieden"));
  EXPECT_FALSE(Has(editor, "name=\"actie\" value=\"submit\""));
  EXPECT_FALSE(Has(editor, "Goedkeuren"));  // editors never approve

  auto submitted = Submit("/redactie/stukken/werkstroom/actie", bibob, "actie=submit");
  ASSERT_EQ(submitted.status, 303) << submitted.body;
  EXPECT_EQ(State("werkstroom", bibob), "in_review");
  // An editor's approve is refused by the domain, with nothing changed.
  EXPECT_EQ(Submit("/redactie/stukken/werkstroom/actie", bibob, "actie=approve").status, 403);

  auto dashboard = Get("/redactie", &redactie);
  ASSERT_EQ(dashboard.status, 200) << dashboard.body;
  EXPECT_TRUE(Has(dashboard, "href=\"/redactie\" aria-current=\"page\">Redactie</a>"));
  EXPECT_TRUE(Has(dashboard, "id=\"stuk-werkstroom\""));
  EXPECT_TRUE(Has(dashboard,
                  ">Goedkeuren en nu publiceren<span class=\"kpo-visually-hidden\">: Stuk "
                  "werkstroom</span></button>"));
  EXPECT_TRUE(Has(dashboard, "Zoekvragen zonder resultaat"));

  // Sending back needs a comment.
  auto bare = Submit("/redactie/stukken/werkstroom/actie", redactie,
                     "actie=reject&terug=dashboard&opmerking=+");
  EXPECT_EQ(bare.status, 400);
  EXPECT_TRUE(Has(bare, "Schrijf bij het terugsturen een opmerking"));
  // On the dashboard too the reason stands beside that item's field, which
  // keeps what was typed and takes the focus.
  EXPECT_TRUE(
      Has(bare, "id=\"opmerking-werkstroom-fout\">Schrijf bij het terugsturen een opmerking"))
      << bare.body;
  EXPECT_TRUE(Has(bare,
                  "aria-invalid=\"true\" aria-describedby=\"opmerking-werkstroom-fout\" "
                  "autofocus> </textarea>"));
  EXPECT_EQ(State("werkstroom", redactie), "in_review");
  auto back = Submit("/redactie/stukken/werkstroom/actie", redactie,
                     "actie=reject&terug=dashboard&opmerking=" + UrlEncode("Graag een bron."));
  ASSERT_EQ(back.status, 303);
  EXPECT_EQ(back.Header("location"), "/redactie?melding=reject#stuk-werkstroom");
  EXPECT_TRUE(Has(Get("/redactie/stukken/werkstroom", &bibob),
                  "<strong>Opmerking van de redactie:</strong> Graag een bron."));
  EXPECT_TRUE(Has(Get("/redactie/concepten", &bibob),
                  "<strong>Opmerking van de redactie:</strong> Graag een bron."));
  // "Mijn concepten" says what others did lately, instead of an e-mail; to
  // the werkplaats's editors only, and never one's own steps.
  auto drafts = Get("/redactie/concepten", &bibob);
  const size_t recent = drafts.body.find("id=\"recent\">Recent gebeurd</h2>");
  ASSERT_NE(recent, std::string::npos) << drafts.body;
  EXPECT_NE(drafts.body.find("href=\"/redactie/stukken/werkstroom/versies#verloop\">", recent),
            std::string::npos);
  EXPECT_NE(drafts.body.find("<strong>Teruggestuurd</strong></p>", recent), std::string::npos);
  EXPECT_EQ(drafts.body.find("<strong>Ter beoordeling aangeboden</strong>", recent),
            std::string::npos)
      << "the editor's own step";
  Browser other = SignIn("integriteit@gemeente.nl");
  EXPECT_FALSE(Has(Get("/redactie/concepten", &other), "/redactie/stukken/werkstroom/"));
  EXPECT_TRUE(
      Has(Get("/redactie/concepten", &redactie), "<strong>Ter beoordeling aangeboden</strong>"));

  ASSERT_EQ(Submit("/redactie/stukken/werkstroom/actie", bibob, "actie=submit").status, 303);
  // Submitted again, the reason it was sent back stays in its history, with
  // who gave it; the newest step first.
  auto steps = Get("/redactie/stukken/werkstroom/versies", &bibob);
  ASSERT_EQ(steps.status, 200) << steps.body;
  const size_t resubmitted = steps.body.find(">Ter beoordeling aangeboden</h3>");
  const size_t sent_back = steps.body.find(">Teruggestuurd</h3>");
  ASSERT_NE(sent_back, std::string::npos) << steps.body;
  EXPECT_LT(resubmitted, sent_back);
  EXPECT_NE(steps.body.find("redactie@kpo.nl · versie 1 · van ter beoordeling naar concept</p>\n"
                            "    <blockquote class=\"kpo-step__comment\"><p "
                            "class=\"utrecht-paragraph\">Graag een bron.</p></blockquote>",
                            sent_back),
            std::string::npos)
      << steps.body;
  // Approving twice: the second finds it published (409, said in Dutch).
  auto approved =
      Submit("/redactie/stukken/werkstroom/actie", redactie, "actie=approve&terug=dashboard");
  ASSERT_EQ(approved.status, 303);
  EXPECT_EQ(State("werkstroom", redactie), "published");
  auto twice =
      Submit("/redactie/stukken/werkstroom/actie", redactie, "actie=approve&terug=dashboard");
  EXPECT_EQ(twice.status, 409);
  EXPECT_TRUE(Has(twice, "role=\"alert\""));
  auto published = Get("/redactie?melding=approve", &redactie);
  EXPECT_TRUE(Has(published, "Het stuk is goedgekeurd en gepubliceerd."));
  EXPECT_TRUE(Has(published, ">Publicatie intrekken<span"));
  // Archive from the dashboard, restore, submit, then schedule (a moment is
  // required) and unpublish the scheduled item again.
  ASSERT_EQ(Submit("/redactie/stukken/werkstroom/actie", redactie, "actie=archive&terug=dashboard")
                .status,
            303);
  EXPECT_EQ(State("werkstroom", redactie), "archived");
  ASSERT_EQ(Submit("/redactie/stukken/werkstroom/actie", redactie, "actie=restore").status, 303);
  ASSERT_EQ(Submit("/redactie/stukken/werkstroom/actie", bibob, "actie=submit").status, 303);
  auto no_moment =
      Submit("/redactie/stukken/werkstroom/actie", redactie, "actie=schedule&terug=dashboard&op=");
  EXPECT_EQ(no_moment.status, 400);
  EXPECT_TRUE(Has(no_moment, "Kies de datum en tijd waarop het stuk verschijnt."));
  auto dashboard_dst = Submit("/redactie/stukken/werkstroom/actie", redactie,
                              "actie=schedule&terug=dashboard&op=2099-10-25T02%3A30");
  EXPECT_EQ(dashboard_dst.status, 400);
  EXPECT_TRUE(Has(dashboard_dst, "id=\"op-werkstroom-fout\">Het gekozen publicatiemoment"));
  EXPECT_TRUE(Has(dashboard_dst,
                  "value=\"2099-10-25T02:30\" aria-invalid=\"true\" "
                  "aria-describedby=\"op-werkstroom-fout\" autofocus>"));
  EXPECT_EQ(State("werkstroom", redactie), "in_review");
  // A moment in the hour the clocks go back, from the item's page: the
  // reason beside the field, the typed value kept, the field focused.
  auto repeated = Submit("/redactie/stukken/werkstroom/actie", redactie,
                         "actie=schedule&op=2099-10-25T02%3A30");
  EXPECT_EQ(repeated.status, 400);
  EXPECT_TRUE(Has(repeated,
                  "<p class=\"utrecht-form-field-error-message kpo-field-error\" "
                  "id=\"f-op-fout\">Het gekozen publicatiemoment komt twee keer voor"))
      << repeated.body;
  EXPECT_FALSE(Has(repeated, "2099-10-25T02:30 komt"));
  EXPECT_TRUE(Has(repeated,
                  "value=\"2099-10-25T02:30\" aria-invalid=\"true\" "
                  "aria-describedby=\"f-op-fout\" autofocus>"));
  EXPECT_FALSE(Has(repeated, "veld 'at'"));
  EXPECT_EQ(State("werkstroom", redactie), "in_review");
  auto scheduled = Submit("/redactie/stukken/werkstroom/actie", redactie,
                          "actie=schedule&terug=dashboard&op=2099-03-01T09%3A30");
  ASSERT_EQ(scheduled.status, 303) << scheduled.body;
  EXPECT_EQ(State("werkstroom", redactie), "scheduled");
  auto planned = Get("/redactie?melding=schedule", &redactie);
  EXPECT_TRUE(Has(planned, "De publicatie is ingepland."));
  EXPECT_TRUE(Has(planned, "verschijnt zo 1 maart 2099, 09:30"));
  // A scheduled item moves to another moment, or goes out now, from the
  // dashboard; nobody has to send it back first.
  EXPECT_TRUE(Has(planned, "for=\"op-werkstroom\""));
  ASSERT_EQ(Submit("/redactie/stukken/werkstroom/actie", redactie,
                   "actie=schedule&terug=dashboard&op=2099-04-01T10%3A00")
                .status,
            303);
  EXPECT_EQ(State("werkstroom", redactie), "scheduled");
  EXPECT_TRUE(Has(Get("/redactie", &redactie), "verschijnt wo 1 april 2099, 10:00"));
  EXPECT_EQ(Get("/items/werkstroom").status, 404);  // not out before its time
  ASSERT_EQ(Submit("/redactie/stukken/werkstroom/actie", redactie, "actie=approve&terug=dashboard")
                .status,
            303);
  EXPECT_EQ(State("werkstroom", redactie), "published");
  EXPECT_EQ(Get("/items/werkstroom").status, 200);
  EXPECT_FALSE(Has(Get("/redactie", &redactie), "verschijnt wo 1 april 2099"));
  ASSERT_EQ(
      Submit("/redactie/stukken/werkstroom/actie", redactie, "actie=unpublish&terug=dashboard")
          .status,
      303);
  EXPECT_EQ(State("werkstroom", redactie), "draft");
  EXPECT_EQ(Get("/items/werkstroom").status, 404);
  // A hostile notice parameter shows nothing.
  EXPECT_FALSE(Has(Get("/redactie?melding=%3Cscript%3E", &redactie), "&lt;script"));
}

// A refused approval or schedule for a link to a closed item is said at the
// top, naming the item, not as a problem of the date field.
TEST_F(EditorialPortalTest, ALinkToAClosedItemIsRefusedAtTheTopNotAtTheDate) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  Browser redactie = SignIn("redactie@kpo.nl");
  auto leden = Submit("/redactie/nieuw", bibob,
                      std::regex_replace(Fields("leden-alleen", "Voor leden."),
                                         std::regex("access=public"), "access=members") +
                          "&knop=opslaan");
  ASSERT_EQ(leden.status, 303) << leden.body;
  ASSERT_EQ(Submit("/redactie/stukken/leden-alleen/actie", bibob, "actie=submit").status, 303);
  ASSERT_EQ(Submit("/redactie/stukken/leden-alleen/actie", redactie, "actie=approve").status, 303);
  Create(bibob, "openbaar-verwijst", "Zie [de notitie][1].\n\n[1]: /items/leden-alleen\n");
  ASSERT_EQ(Submit("/redactie/stukken/openbaar-verwijst/actie", bibob, "actie=submit").status, 303);
  for (const char* fields : {"actie=approve", "actie=schedule&op=2099-01-01T09%3A00"}) {
    auto refused = Submit("/redactie/stukken/openbaar-verwijst/actie", redactie, fields);
    EXPECT_EQ(refused.status, 409) << fields;
    // The redactie may read the linked item: named by its title too.
    EXPECT_TRUE(Has(refused, "linkt naar &apos;Stuk leden-alleen&apos; (/items/leden-alleen)"))
        << fields << refused.body;
    EXPECT_TRUE(Has(refused, "Stuk openbaar-verwijst")) << fields;
    EXPECT_FALSE(Has(refused, "kpo-field--invalid")) << fields;
  }
  EXPECT_EQ(State("openbaar-verwijst", redactie), "in_review");
}

TEST_F(EditorialPortalTest, HistoryShowsTheDiffAndRestoresAsANewDraft) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  Create(bibob, "historie", "Regel een.\n\nRegel twee.");
  ASSERT_EQ(
      Submit("/redactie/stukken/historie", bibob,
             Fields("historie", "Regel een.\n\nRegel drie.") + "&base_revision=1&knop=opslaan")
          .status,
      303);
  auto history = Get("/redactie/stukken/historie/versies?van=1&naar=2", &bibob);
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_TRUE(Has(history, "Verschil tussen versie 1 en 2"));
  EXPECT_TRUE(Has(history, "1 regel toegevoegd, 1 regel verwijderd"));  // singular for one
  EXPECT_TRUE(Has(history, "verwijderd: </span><span class=\"kpo-diff__text\">Regel twee.</span>"));
  EXPECT_TRUE(Has(history, "toegevoegd: </span><span class=\"kpo-diff__text\">Regel drie.</span>"));
  EXPECT_TRUE(Has(history, "bibob@gemeente.nl"));
  auto one = Get("/redactie/stukken/historie/versies/1", &bibob);
  ASSERT_EQ(one.status, 200);
  EXPECT_TRUE(Has(one, "Regel twee."));
  EXPECT_EQ(Get("/redactie/stukken/historie/versies/99", &bibob).status, 404);
  EXPECT_TRUE(Has(Get("/redactie/stukken/historie/versies?van=1&naar=99", &bibob),
                  "Versie 1 of 99 bestaat niet."));
  EXPECT_EQ(Get("/redactie/stukken/historie/versies/x", &bibob).status, 404);

  auto restored =
      Submit("/redactie/stukken/historie/versies/1/terugzetten", bibob, "base_revision=2");
  ASSERT_EQ(restored.status, 303) << restored.body;
  EXPECT_EQ(Revision("historie", bibob), 3);
  EXPECT_TRUE(
      Has(Get("/redactie/stukken/historie", &bibob), ">Regel een.\n\nRegel twee.</textarea>"));
  // Restoring on an old base: refused, said plainly, nothing written.
  auto stale = Submit("/redactie/stukken/historie/versies/2/terugzetten", bibob, "base_revision=2");
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(Revision("historie", bibob), 3);
}

// The redactie approves from the dashboard: each card says who will read
// the item once live (the version in review, not the live one).
TEST_F(EditorialPortalTest, TheDashboardSaysWhoWillReadEachItem) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  Browser redactie = SignIn("redactie@kpo.nl");
  auto made = Submit("/redactie/nieuw", bibob,
                     "id=voor-gemeenten&title=" + UrlEncode("Stuk voor gemeenten") +
                         "&type=product&werkplaats=bibob&access=restricted&group%3Agemeenten=1"
                         "&theme%3Abibob=1&body=x&knop=opslaan");
  ASSERT_EQ(made.status, 303) << made.body;
  ASSERT_EQ(Submit("/redactie/stukken/voor-gemeenten/actie", bibob, "actie=submit").status, 303);
  auto dashboard = Get("/redactie", &redactie);
  ASSERT_EQ(dashboard.status, 200);
  const size_t card = dashboard.body.find("Stuk voor gemeenten");
  ASSERT_NE(card, std::string::npos);
  EXPECT_NE(dashboard.body.find("· Alleen voor: Gemeenten</p>", card), std::string::npos);
  Create(bibob, "voor-iedereen", "Tekst.");
  EXPECT_TRUE(Has(Get("/redactie/concepten", &bibob), "· Openbaar</p>"));
}

// A save sent after the session ended goes to the sign-in page, which says
// the text was not saved (the portal's script then offers it back); other
// visits to the sign-in page say nothing of the kind.
TEST_F(EditorialPortalTest, ASaveAfterTheSessionEndedSaysItWasNotSaved) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  Create(bibob, "na-verloop", "Eerste tekst.");
  auto late = HttpCall(server_->port(), "POST", "/redactie/stukken/na-verloop",
                       {"Content-Type: application/x-www-form-urlencoded"},
                       "csrf=oud&" + Fields("na-verloop", "Getypte tekst.") + "&knop=opslaan");
  ASSERT_EQ(late.status, 303);
  EXPECT_EQ(late.Header("location"),
            "/inloggen?next=%2Fredactie%2Fstukken%2Fna-verloop&verlopen=1");
  const std::string notice =
      "U was niet meer ingelogd.</strong> Wat u net verstuurde is daarom "
      "niet verwerkt: er is niets opgeslagen.";
  EXPECT_TRUE(Has(Get(late.Header("location")), notice));
  EXPECT_FALSE(Has(Get("/inloggen?next=%2Fredactie"), notice));
  // Signed in (another tab signed in again): nothing to tell.
  EXPECT_FALSE(Has(Get(late.Header("location"), &bibob), notice));
  EXPECT_EQ(Revision("na-verloop", bibob), 1);
  // The editor page marks its form for the script that keeps sent text.
  EXPECT_TRUE(
      Has(Get("/redactie/stukken/na-verloop", &bibob), "id=\"kpo-editor-form\" data-unsent"));
}

// A portal form too large to take gets the portal's page, in Dutch, not the
// API's JSON; the form says the limits beforehand.
TEST_F(EditorialPortalTest, ATooLargeFormGetsAPageThatSaysSo) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  Create(bibob, "te-groot", "Tekst.");
  auto page = Get("/redactie/stukken/te-groot", &bibob);
  EXPECT_TRUE(std::regex_search(page.body, std::regex("PNG of JPEG, hoogstens [0-9]+ MB\\.")))
      << page.body;
  EXPECT_TRUE(Has(page, "hoogstens 1 MB."));
  // A text over the limit of every route but the upload (1 MiB).
  auto big = Submit("/redactie/stukken/te-groot", bibob,
                    Fields("te-groot", std::string(size_t{3} << 19, 'a')) + "&knop=opslaan");
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(Has(big, "<h1 class=\"utrecht-heading-1\">Te groot om te versturen</h1>"))
      << big.body;
  EXPECT_FALSE(Has(big, "payload_too_large"));
  EXPECT_EQ(Revision("te-groot", bibob), 1);
  // A file over the upload limit: refused from the head, with the page.
  const int fd = testing::ConnectRaw(server_->port(), 20);
  ASSERT_GE(fd, 0);
  const std::string head =
      "POST /redactie/stukken/te-groot/bijlagen HTTP/1.1\r\nHost: x\r\n" + bibob.cookie +
      "\r\nContent-Type: multipart/form-data; boundary=grens\r\nContent-Length: " +
      std::to_string(size_t{1} << 30) + "\r\n\r\n";
  ASSERT_TRUE(testing::SendAll(fd, head));
  bool closed = false;
  const std::string answer = testing::ReadUntilClosed(fd, &closed);
  close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 300);
  EXPECT_NE(answer.find("Te groot om te versturen"), std::string::npos) << answer.substr(0, 600);
  // The API keeps its JSON.
  auto api =
      HttpCall(server_->port(), "POST", "/api/documents",
               {"Content-Type: application/json", bibob.cookie, "X-CSRF-Token: " + bibob.csrf},
               std::string(size_t{3} << 19, ' '));
  EXPECT_EQ(api.status, 413);
  EXPECT_TRUE(Has(api, "payload_too_large"));
}

TEST_F(EditorialPortalTest, AnAttachmentIsUploadedThroughTheForm) {
  Browser bibob = SignIn("bibob@gemeente.nl");
  Browser redactie = SignIn("redactie@kpo.nl");
  Create(bibob, "met-bijlage", "Zie de bijlage.");
  auto upload = [&](const std::string& csrf, const std::string& file = kPng) {
    const std::string boundary = "----kpo-grens";
    std::string body;
    if (!csrf.empty()) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf +
              "\r\n";
    }
    body += "--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"kaart.png\"\r\n"
            "Content-Type: image/png\r\n\r\n" +
            file + "\r\n--" + boundary + "--\r\n";
    return HttpCall(server_->port(), "POST", "/redactie/stukken/met-bijlage/bijlagen",
                    {"Content-Type: multipart/form-data; boundary=" + boundary, bibob.cookie},
                    body);
  };
  EXPECT_EQ(upload("").status, 403);
  EXPECT_EQ(upload("verkeerd").status, 403);
  // A file of a type not taken: said at the file field, which takes the focus.
  auto refused = upload(bibob.csrf, "Gewone tekst, geen plaatje.\n");
  EXPECT_EQ(refused.status, 415);
  EXPECT_TRUE(Has(refused, "id=\"f-bijlage-fout\">")) << refused.body;
  EXPECT_TRUE(
      Has(refused,
          "aria-describedby=\"f-bijlage-hint f-bijlage-fout\" aria-invalid=\"true\" autofocus"));
  // The refusal leaves the form's address in the address bar; opened again
  // it leads back to the item (it answered 405).
  auto reopened = Get("/redactie/stukken/met-bijlage/bijlagen", &bibob);
  EXPECT_EQ(reopened.status, 303);
  EXPECT_EQ(reopened.Header("location"), "/redactie/stukken/met-bijlage#bijlagen");
  EXPECT_EQ(Get("/redactie/stukken/met-bijlage/actie", &bibob).Header("location"),
            "/redactie/stukken/met-bijlage");
  EXPECT_EQ(Get("/redactie/stukken/Met%20Spatie/bijlagen", &bibob).status, 404);
  auto added = upload(bibob.csrf);
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_EQ(added.Header("location"), "/redactie/stukken/met-bijlage?melding=bijlage");
  auto page = Get("/redactie/stukken/met-bijlage", &bibob);
  EXPECT_TRUE(Has(page, "href=\"/api/documents/met-bijlage/attachments/kaart.png\">kaart.png</a>"));
  EXPECT_TRUE(Has(page, "zichtbaar voor lezers na goedkeuring"));
  EXPECT_EQ(Get("/api/documents/met-bijlage/attachments/kaart.png", &bibob).status, 200);
  // The version comparison cannot show it (files belong to no revision):
  // the history page names it apart, as a change of the next approval.
  const std::string history = "/redactie/stukken/met-bijlage/versies";
  auto compared = Get(history, &bibob);
  EXPECT_TRUE(Has(compared, "Bijlagen bij de volgende goedkeuring")) << compared.body;
  EXPECT_TRUE(Has(compared, "#bijlage-kaart.png\">kaart.png</a>: nieuw"));
  EXPECT_TRUE(Has(compared, "Lezers zien ze pas als het stuk gepubliceerd is."));
  // One version: nothing to compare, and no form offering "1 → 1".
  EXPECT_TRUE(Has(compared, "Er is nog één versie"));
  EXPECT_FALSE(Has(compared, "Twee versies vergelijken"));
  // Live with the approved version, for readers too.
  ASSERT_EQ(Submit("/redactie/stukken/met-bijlage/actie", bibob, "actie=submit").status, 303);
  // In review the editor changes no files: the page says why, offers none.
  auto waiting = Get("/redactie/stukken/met-bijlage", &bibob);
  EXPECT_TRUE(
      Has(waiting, "Bijlagen toevoegen of verwijderen kan weer zodra het stuk een concept is"));
  EXPECT_FALSE(Has(waiting, "Bijlage uploaden"));
  EXPECT_FALSE(Has(waiting, "?verwijderen=kaart.png"));
  EXPECT_TRUE(Has(Get("/redactie/stukken/met-bijlage", &redactie), "Bijlage uploaden"));
  ASSERT_EQ(Submit("/redactie/stukken/met-bijlage/actie", redactie, "actie=approve").status, 303);
  EXPECT_EQ(Get("/api/documents/met-bijlage/attachments/kaart.png").status, 200);
  EXPECT_FALSE(Has(Get("/redactie/stukken/met-bijlage", &bibob), "na goedkeuring"));
  EXPECT_FALSE(Has(Get(history, &bibob), "Bijlagen bij de volgende goedkeuring"));

  // Removing asks first, in place, saying what will happen; a GET changes
  // nothing. The editor's removal of the live file waits for the approval.
  const std::string item = "/redactie/stukken/met-bijlage";
  auto asked = Get(item + "?verwijderen=kaart.png", &bibob);
  EXPECT_TRUE(Has(asked, "action=\"" + item + "/bijlagen/kaart.png/verwijderen\""));
  EXPECT_TRUE(Has(asked, "tot de redactie de volgende versie goedkeurt"));
  EXPECT_TRUE(Has(asked, "Ja, kaart.png verwijderen"));
  EXPECT_FALSE(Has(Get(item, &bibob), "Ja, kaart.png verwijderen"));
  EXPECT_EQ(Get("/api/documents/met-bijlage/attachments/kaart.png").status, 200);
  EXPECT_EQ(Post(item + "/bijlagen/kaart.png/verwijderen", bibob, "x=1").status, 403);  // no CSRF
  auto removed = Submit(item + "/bijlagen/kaart.png/verwijderen", bibob, "");
  ASSERT_EQ(removed.status, 303) << removed.body;
  EXPECT_EQ(removed.Header("location"), item + "?melding=bijlage-weg-bij-goedkeuring");
  auto marked = Get(item + "?melding=bijlage-weg-bij-goedkeuring", &bibob);
  EXPECT_TRUE(Has(marked, "De bijlage verdwijnt met de volgende goedgekeurde versie"));
  EXPECT_TRUE(Has(marked, "verdwijnt met de volgende goedgekeurde versie)"));
  auto removing = Get(history, &bibob);
  EXPECT_TRUE(Has(removing, "kaart.png</a>: verdwijnt"));
  EXPECT_TRUE(Has(removing, "Tot dan zien lezers de bijlagen van de gepubliceerde versie."));
  // Uploaded again over the removal: a replacement of the live file, and
  // the editor is told the removal is off.
  auto again = upload(bibob.csrf);
  ASSERT_EQ(again.status, 303);
  EXPECT_EQ(again.Header("location"), item + "?melding=bijlage-vervangt");
  EXPECT_TRUE(Has(Get(item + "?melding=bijlage-vervangt", &bibob),
                  "Stond de bijlage op verwijderen, dan gaat dat niet door."));
  EXPECT_TRUE(Has(Get(history, &bibob), "kaart.png</a>: vervangt de gepubliceerde versie"));
  EXPECT_EQ(Get("/api/documents/met-bijlage/attachments/kaart.png").status, 200);
  // The redactie sees the same file and may take it down now.
  auto now = Get(item + "?verwijderen=kaart.png", &redactie);
  EXPECT_TRUE(Has(now, "verdwijnt direct, ook voor lezers"));
  auto gone = Submit(item + "/bijlagen/kaart.png/verwijderen", redactie, "");
  ASSERT_EQ(gone.status, 303) << gone.body;
  EXPECT_EQ(gone.Header("location"), item + "?melding=bijlage-weg");
  EXPECT_EQ(Get("/api/documents/met-bijlage/attachments/kaart.png").status, 404);
  EXPECT_TRUE(Has(Get(item, &redactie), "Dit stuk heeft geen bijlagen."));
  // Removing what is no longer there: said on the page, not a crash.
  auto missing = Submit(item + "/bijlagen/kaart.png/verwijderen", redactie, "");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(Has(missing, "Dit item heeft geen bijlage"));

  // Taken offline, the item keeps its live version for the history, but
  // readers see nothing: the pages no longer speak of a published version.
  ASSERT_EQ(upload(bibob.csrf).status, 303);
  EXPECT_TRUE(Has(Get(item, &bibob), "Gepubliceerde versie bekijken"));
  EXPECT_TRUE(Has(Get(history, &bibob), "Tot dan zien lezers de bijlagen"));
  // The item's page offers a reason for taking it offline; the editor reads it.
  EXPECT_TRUE(Has(Get(item, &redactie),
                  "<label class=\"utrecht-form-label\" for=\"f-reden-unpublish\">Reden voor de "
                  "redacteur (niet verplicht)</label>"));
  ASSERT_EQ(
      Submit(item + "/actie", redactie,
             "actie=unpublish&terug=stuk&opmerking=" + UrlEncode("Verouderd sinds de nieuwe wet."))
          .status,
      303);
  EXPECT_TRUE(Has(Get(item, &bibob),
                  "<strong>Opmerking van de redactie:</strong> Verouderd sinds de nieuwe wet."));
  EXPECT_TRUE(Has(Get(history, &bibob), ">Publicatie ingetrokken</h3>"));
  EXPECT_FALSE(Has(Get(item, &bibob), "Gepubliceerde versie bekijken"));
  auto offline = Get(history, &bibob);
  EXPECT_TRUE(Has(offline, "Lezers zien ze pas als het stuk gepubliceerd is.")) << offline.body;
  EXPECT_FALSE(Has(offline, "Tot dan zien lezers"));
}

}  // namespace
}  // namespace kpo

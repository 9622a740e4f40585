// Issue 10 through the HTTP API of a real server (the index's writer, as
// kpo-server is) with real accounts of every role: the whole editorial flow,
// every forbidden and impossible transition, conditional saves (stale and
// concurrent), revisions, diff and restore, the preview, the editors' and
// the redactie's lists, hostile input, and files and API side by side.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <set>
#include <thread>

#include "editorial/text_tools.h"
#include "indexer/indexer.h"
#include "support/server_fixture.h"

namespace kpo {
namespace {

using nlohmann::json;
using testing::HttpCall;
using testing::HttpResponse;
using testing::UrlEncode;

using Login = testing::Session;

json Draft(const std::string& id, const std::string& title, const std::string& body,
           const std::string& werkplaats = "bibob") {
  return {{"id", id},
          {"title", title},
          {"type", "handreiking"},
          {"themes", {"bibob"}},
          {"werkplaats", werkplaats},
          {"access", "public"},
          {"body", body}};
}

// `base` with the fields of `extra` set.
json With(json base, const json& extra) {
  base.update(extra);
  return base;
}

class EditorialApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::Corpus();
    corpus_->Add({.id = "bestand-item",
                  .title = "Handreiking uit een bestand",
                  .werkplaats = "bibob",
                  .body = "Bestandstekst over ondermijning."});
    corpus_->Add({.id = "leden-stuk",
                  .title = "Alleen voor leden",
                  .access = "members",
                  .body = "Ledentekst."});
    corpus_->Add({.id = "politie-stuk",
                  .title = "Politiedossier",
                  .access = "restricted",
                  .groups = {"politie"},
                  .body = "Politietekst."});
    server_ = new testing::ServerFixture(corpus_, testing::FixtureAuthOptions(), {},
                                         /*index_writer=*/true);
    AddUser("editor@bibob.nl", "editor", {"gemeenten"}, {"bibob"});
    AddUser("editor@integriteit.nl", "editor", {}, {"integriteit"});
    AddUser("lid@gemeente.nl", "member", {"gemeenten"}, {});
    AddUser("redactie@kpo.nl", "redactie", {}, {});
    AddUser("beheer@kpo.nl", "admin", {}, {});
    editor_ = new Login(SignIn("editor@bibob.nl"));
    other_editor_ = new Login(SignIn("editor@integriteit.nl"));
    member_ = new Login(SignIn("lid@gemeente.nl"));
    redactie_ = new Login(SignIn("redactie@kpo.nl"));
    admin_ = new Login(SignIn("beheer@kpo.nl"));
    anonymous_ = new Login();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
    for (Login* l : {editor_, other_editor_, member_, redactie_, admin_, anonymous_}) delete l;
  }
  static void AddUser(const std::string& email, const std::string& role,
                      const std::vector<std::string>& groups,
                      const std::vector<std::string>& werkplaatsen) {
    auto user =
        server_->auth()->AddUser(access::AuthService::LocalAdministrator(), "",
                                 {email, email, role, groups, werkplaatsen, testing::kPassword});
    ASSERT_TRUE(user.ok()) << user.status().ToString();
  }
  static Login SignIn(const std::string& email) {
    auto login = server_->auth()->Login(email, testing::kPassword, "127.0.0.1");
    EXPECT_TRUE(login.ok()) << login.status().ToString();
    return login.ok() ? Login{login->session_id, login->csrf_token} : Login{};
  }
  static HttpResponse Get(const std::string& target, const Login& who) {
    return HttpCall(server_->port(), "GET", target, who.Headers());
  }
  static HttpResponse Send(const std::string& method, const std::string& target, const Login& who,
                           const std::string& body) {
    return HttpCall(server_->port(), method, target, who.Headers(), body);
  }
  static HttpResponse Send(const std::string& method, const std::string& target, const Login& who,
                           const json& body) {
    return Send(method, target, who, body.dump());
  }
  static HttpResponse Act(const std::string& id, const Login& who, const std::string& action,
                          const std::string& comment = "", const std::string& at = "") {
    json body = {{"action", action}};
    if (!comment.empty()) body["comment"] = comment;
    if (!at.empty()) body["at"] = at;
    return Send("POST", "/api/documents/" + id + "/transitions", who, body);
  }
  // The latest revision as the editorial GET reports it.
  static int64_t RevisionOf(const std::string& id) {
    auto r = Get("/api/documents/" + id, *redactie_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json()["editorial"].value("revision", int64_t{0});
  }
  // The audit lines about item `id`: "actor event action from>to".
  static std::set<std::string> AuditLines(const std::string& id) {
    std::set<std::string> seen;
    for (int64_t page = 1;; ++page) {
      auto audit =
          server_->auth()->ListAudit(access::AuthService::LocalAdministrator(), "", page, 100);
      EXPECT_TRUE(audit.ok()) << audit.status().ToString();
      if (!audit.ok()) return seen;
      for (const auto& e : audit->entries) {
        if (e.subject != id) continue;
        auto detail = json::parse(e.detail);
        seen.insert(e.actor + " " + e.event + " " + detail.value("action", "") + " " +
                    detail.value("from", "") + ">" + detail.value("to", ""));
      }
      if (page * 100 >= audit->total) return seen;
    }
  }
  static std::string StateOf(const std::string& id) {
    return Get("/api/documents/" + id, *redactie_).Json()["editorial"].value("state", "");
  }
  // Total hits of an anonymous search for `word`, once the index agrees
  // with `expected` or after five seconds (then the last answer).
  static int SearchTotal(const std::string& word, int expected, const Login& who) {
    int total = -1;
    for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
         std::chrono::steady_clock::now() < until;
         std::this_thread::sleep_for(std::chrono::milliseconds(50))) {
      auto r = Get("/api/search?q=" + UrlEncode(word), who);
      total = r.Json().value("total", -1);
      if (total == expected) break;
    }
    return total;
  }
  static void Create(const std::string& id, const std::string& title, const std::string& body,
                     const Login& who, const std::string& werkplaats = "bibob") {
    auto r = Send("POST", "/api/documents", who, Draft(id, title, body, werkplaats));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  // An item of the editor's werkplaats driven to `state`.
  static void MakeInState(const std::string& id, const std::string& state) {
    Create(id, "Staat " + state, "Tekst in staat " + state + ".", *editor_);
    if (state == "draft") return;
    ASSERT_EQ(Act(id, *editor_, "submit").status, 200);
    if (state == "in_review") return;
    if (state == "scheduled") {
      ASSERT_EQ(Act(id, *redactie_, "schedule", "", "2099-01-01T09:00").status, 200);
      return;
    }
    ASSERT_EQ(Act(id, *redactie_, "approve").status, 200);
    if (state == "published") return;
    ASSERT_EQ(Act(id, *redactie_, "archive").status, 200);
  }

  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
  static Login *editor_, *other_editor_, *member_, *redactie_, *admin_, *anonymous_;
};
testing::Corpus* EditorialApiTest::corpus_ = nullptr;
testing::ServerFixture* EditorialApiTest::server_ = nullptr;
Login* EditorialApiTest::editor_ = nullptr;
Login* EditorialApiTest::other_editor_ = nullptr;
Login* EditorialApiTest::member_ = nullptr;
Login* EditorialApiTest::redactie_ = nullptr;
Login* EditorialApiTest::admin_ = nullptr;
Login* EditorialApiTest::anonymous_ = nullptr;

TEST_F(EditorialApiTest, WholeFlowFromDraftToSearch) {
  auto created = Send("POST", "/api/documents", *editor_,
                      Draft("flow-item", "Flow zilverreiger", "De zilverreiger tekst."));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["id"], "flow-item");
  EXPECT_EQ(created.Json()["revision"], 1);
  EXPECT_EQ(created.Header("location"), "/api/documents/flow-item");

  // Only the werkplaats's editors, the redactie and admin see the draft.
  for (const Login* who : {editor_, redactie_, admin_}) {
    auto r = Get("/api/documents/flow-item", *who);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json()["editorial"]["state"], "draft");
    EXPECT_EQ(r.Json()["editorial"]["draft"]["body"], "De zilverreiger tekst.");
    EXPECT_EQ(r.Header("cache-control"), "private, no-store");
  }
  for (const Login* who : {member_, other_editor_, anonymous_}) {
    EXPECT_EQ(Get("/api/documents/flow-item", *who).status, 404);
  }
  EXPECT_EQ(Act("flow-item", *member_, "submit").status, 404);

  ASSERT_EQ(Act("flow-item", *editor_, "submit").status, 200);
  auto self_approve = Act("flow-item", *editor_, "approve");
  EXPECT_EQ(self_approve.status, 403) << self_approve.body;
  EXPECT_NE(self_approve.Json()["error"]["message"].get<std::string>().find("Alleen de redactie"),
            std::string::npos);
  EXPECT_EQ(SearchTotal("zilverreiger", 0, *anonymous_), 0);

  auto approved = Act("flow-item", *redactie_, "approve");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json()["from"], "in_review");
  EXPECT_EQ(approved.Json()["state"], "published");
  EXPECT_EQ(SearchTotal("zilverreiger", 1, *anonymous_), 1);
  auto pub = Get("/api/documents/flow-item", *anonymous_);
  ASSERT_EQ(pub.status, 200);
  EXPECT_FALSE(pub.Json().contains("editorial")) << "readers see no editorial facts";
  EXPECT_EQ(pub.Json()["status"], "published");

  // Unpublish and archive: search follows.
  ASSERT_EQ(Act("flow-item", *redactie_, "unpublish", "even terug").status, 200);
  EXPECT_EQ(SearchTotal("zilverreiger", 0, *anonymous_), 0);
  EXPECT_EQ(Get("/api/documents/flow-item", *anonymous_).status, 404);
  EXPECT_EQ(SearchTotal("zilverreiger", 1, *redactie_), 1);
  ASSERT_EQ(Act("flow-item", *redactie_, "archive").status, 200);
  EXPECT_EQ(StateOf("flow-item"), "archived");

  // Every save and transition is in the audit log: who, what, from which state.
  EXPECT_EQ(AuditLines("flow-item"),
            (std::set<std::string>{
                "editor@bibob.nl editorial_created  >draft",
                "editor@bibob.nl editorial_transition submit draft>in_review",
                "redactie@kpo.nl editorial_transition approve in_review>published",
                "redactie@kpo.nl editorial_transition unpublish published>draft",
                "redactie@kpo.nl editorial_transition archive draft>archived",
            }));
}

TEST_F(EditorialApiTest, EditingAPublishedItemKeepsTheLiveVersionUntilApproved) {
  MakeInState("live-edit", "published");
  ASSERT_EQ(SearchTotal("staat", 1, *anonymous_) >= 1, true);
  auto saved = Send("PUT", "/api/documents/live-edit", *editor_,
                    With(Draft("live-edit", "Nieuwe titel", "Nieuwe tekst met grutto."),
                         {{"base_revision", RevisionOf("live-edit")}}));
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.Json()["state"], "draft");
  // Readers still get the live text; the draft's word is found by nobody.
  auto live = Get("/api/documents/live-edit", *anonymous_);
  ASSERT_EQ(live.status, 200);
  EXPECT_EQ(live.Json()["title"], "Staat published");
  EXPECT_EQ(live.body.find("grutto"), std::string::npos);
  EXPECT_EQ(SearchTotal("grutto", 0, *redactie_), 0);
  auto editor_view = Get("/api/documents/live-edit", *editor_).Json();
  EXPECT_EQ(editor_view["title"], "Staat published");
  EXPECT_EQ(editor_view["editorial"]["draft"]["title"], "Nieuwe titel");
  EXPECT_TRUE(editor_view["editorial"]["live"].get<bool>());

  ASSERT_EQ(Act("live-edit", *editor_, "submit").status, 200);
  ASSERT_EQ(Act("live-edit", *redactie_, "approve").status, 200);
  EXPECT_EQ(SearchTotal("grutto", 1, *anonymous_), 1);
  EXPECT_EQ(Get("/api/documents/live-edit", *anonymous_).Json()["title"], "Nieuwe titel");
  // The save is audited with the state it left (published: a draft beside it).
  EXPECT_EQ(AuditLines("live-edit").count("editor@bibob.nl editorial_saved  published>draft"), 1u);
}

// An access change reaches search with its approval: no total counts an
// item the caller can no longer read.
TEST_F(EditorialApiTest, SearchFollowsAnAccessChange) {
  Create("toegang-wissel", "Toegang wisselt", "Over de kwakkelwinter.", *editor_);
  ASSERT_EQ(Act("toegang-wissel", *editor_, "submit").status, 200);
  ASSERT_EQ(Act("toegang-wissel", *redactie_, "approve").status, 200);
  ASSERT_EQ(SearchTotal("kwakkelwinter", 1, *anonymous_), 1);
  auto saved = Send("PUT", "/api/documents/toegang-wissel", *editor_,
                    With(Draft("toegang-wissel", "Toegang wisselt", "Over de kwakkelwinter."),
                         {{"access", "members"}, {"base_revision", RevisionOf("toegang-wissel")}}));
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(SearchTotal("kwakkelwinter", 1, *anonymous_), 1) << "live until approved";
  ASSERT_EQ(Act("toegang-wissel", *editor_, "submit").status, 200);
  ASSERT_EQ(Act("toegang-wissel", *redactie_, "approve").status, 200);
  EXPECT_EQ(SearchTotal("kwakkelwinter", 0, *anonymous_), 0);
  EXPECT_EQ(Get("/api/documents/toegang-wissel", *anonymous_).status, 404);
  EXPECT_EQ(SearchTotal("kwakkelwinter", 1, *member_), 1);
}

// A draft beside a restricted item opens it to nobody: the werkplaats's
// editors who may not read the live version see neither it nor the work
// on it, before and after the redactie saves a draft (found by an
// adversarial test: the draft's save used to decide alone).
TEST_F(EditorialApiTest, DraftBesideARestrictedItemOpensItToNobody) {
  json restricted = With(Draft("riec-stuk", "Alleen RIEC", "Over de zwaluwstaart."),
                         {{"access", "restricted"}, {"groups", {"riec"}}});
  ASSERT_EQ(Send("POST", "/api/documents", *redactie_, restricted).status, 201);
  ASSERT_EQ(Act("riec-stuk", *redactie_, "submit").status, 200);
  ASSERT_EQ(Act("riec-stuk", *redactie_, "approve").status, 200);
  const std::vector<std::string> views = {
      "/api/documents/riec-stuk", "/api/documents/riec-stuk/revisions",
      "/api/documents/riec-stuk/diff?from=1&to=2", "/api/documents/riec-stuk/attachments"};
  auto closed = [&](const char* when) {
    for (const auto& url : views) {
      auto r = Get(url, *editor_);  // editor of bibob, group gemeenten: not riec
      EXPECT_EQ(r.status, 404) << when << " " << url << " " << r.body;
      EXPECT_EQ(r.body.find("zwaluwstaart"), std::string::npos) << when << " " << url;
    }
    const json mine = Get("/api/me/documents", *editor_).Json();  // alive for the loop
    for (const auto& e : mine["results"]) {
      EXPECT_NE(e["id"], "riec-stuk") << when;
    }
    EXPECT_EQ(Send("PUT", "/api/documents/riec-stuk", *editor_,
                   With(restricted, {{"base_revision", RevisionOf("riec-stuk")}}))
                  .status,
              404)
        << when;
  };
  closed("published");
  ASSERT_EQ(Send("PUT", "/api/documents/riec-stuk", *redactie_,
                 With(restricted, {{"body", "Over de zwaluwstaart, herzien."},
                                   {"base_revision", RevisionOf("riec-stuk")}}))
                .status,
            200);
  ASSERT_EQ(StateOf("riec-stuk"), "draft");
  closed("with a draft beside it");
  // The redactie still works on it.
  EXPECT_EQ(Get("/api/documents/riec-stuk", *redactie_).status, 200);
}

// Every action from every state: the rule table of editorial/workflow.h as
// the API answers it. 403 names what is missing, 409 the current state.
TEST_F(EditorialApiTest, ForbiddenAndImpossibleTransitions) {
  const std::map<std::string, std::string> labels = {{"draft", "concept"},
                                                     {"in_review", "ter beoordeling"},
                                                     {"scheduled", "ingepland"},
                                                     {"published", "gepubliceerd"},
                                                     {"archived", "gearchiveerd"}};
  const std::map<std::string, std::set<std::string>> allowed_from = {
      {"submit", {"draft"}},
      {"approve", {"in_review", "scheduled"}},
      {"schedule", {"in_review", "scheduled"}},
      {"reject", {"in_review", "scheduled"}},
      {"unpublish", {"published", "scheduled"}},
      {"archive", {"draft", "published"}},
      {"restore", {"archived"}}};
  for (const auto& [state, label] : labels) {
    const std::string id = "regels-" + std::string(state == "in_review" ? "in-review" : state);
    MakeInState(id, state);
    ASSERT_EQ(StateOf(id), state);
    for (const auto& [action, from] : allowed_from) {
      const bool possible = from.count(state) > 0;
      // The editor may only submit; everything else is the redactie's.
      if (action != "submit") {
        auto r = Act(id, *editor_, action, "reden", "2099-01-01T09:00");
        EXPECT_EQ(r.status, 403) << state << " " << action << ": " << r.body;
        EXPECT_EQ(r.ErrorCodeName(), "forbidden");
        EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("redactie"),
                  std::string::npos);
      }
      if (!possible) {
        const Login& who = action == "submit" ? *editor_ : *redactie_;
        auto r = Act(id, who, action, "reden", "2099-01-01T09:00");
        EXPECT_EQ(r.status, 409) << state << " " << action << ": " << r.body;
        EXPECT_EQ(r.ErrorCodeName(), "invalid_transition");
        EXPECT_NE(r.Json()["error"]["message"].get<std::string>().find("'" + label + "'"),
                  std::string::npos)
            << r.body;
      }
      EXPECT_EQ(StateOf(id), state) << "a refused " << action << " changed nothing";
    }
    // Members cannot act at all; an editor of another werkplaats is told
    // nothing about a draft (404) and what is missing about a live item.
    auto member = Act(id, *member_, "archive");
    EXPECT_EQ(member.status, state == "published" ? 403 : 404) << state << ": " << member.body;
    auto other = Act(id, *other_editor_, "submit");
    EXPECT_EQ(other.status, state == "published" ? 403 : 404) << state << ": " << other.body;
  }
  // The submit of an editor of another werkplaats names the werkplaats.
  auto other = Act("regels-published", *other_editor_, "submit");
  EXPECT_NE(other.Json()["error"]["message"].get<std::string>().find("bibob"), std::string::npos);
  // Missing or bad fields.
  MakeInState("regels-velden", "in_review");
  EXPECT_EQ(Act("regels-velden", *redactie_, "reject").ErrorCodeName(), "invalid_field");
  // A blank or invisible comment is no reason.
  EXPECT_EQ(Act("regels-velden", *redactie_, "reject", " \n ").ErrorCodeName(), "invalid_field");
  EXPECT_EQ(Act("regels-velden", *redactie_, "reject", std::string("Kort\0", 5)).ErrorCodeName(),
            "invalid_field");
  EXPECT_EQ(Act("regels-velden", *redactie_, "schedule", "", "morgen").ErrorCodeName(),
            "invalid_field");
  EXPECT_EQ(Act("regels-velden", *redactie_, "schedule", "", "2001-01-01T09:00Z").ErrorCodeName(),
            "invalid_field");
  EXPECT_EQ(Act("regels-velden", *redactie_, "publiceer").ErrorCodeName(), "invalid_parameter");
  EXPECT_EQ(StateOf("regels-velden"), "in_review");
  // Send back with a comment: the editor reads why.
  ASSERT_EQ(Act("regels-velden", *redactie_, "reject", "Graag een kortere titel.").status, 200);
  auto back = Get("/api/documents/regels-velden", *editor_).Json()["editorial"];
  EXPECT_EQ(back["state"], "draft");
  EXPECT_EQ(back["comment"], "Graag een kortere titel.");
}

// The record keeps one comment; the steps keep every one, so a send-back's
// reason outlives the editor's next submit (a new user's trial lost it).
TEST_F(EditorialApiTest, EveryStepKeepsItsCommentInTheHistory) {
  Create("stappen-item", "Stappen", "Eerste tekst.", *editor_);
  EXPECT_EQ(Get("/api/documents/stappen-item/steps", *editor_).Json()["steps"].size(), 0u);
  ASSERT_EQ(Act("stappen-item", *editor_, "submit").status, 200);
  ASSERT_EQ(Act("stappen-item", *redactie_, "reject", "Bron ontbreekt.\nGraag aanvullen.").status,
            200);
  ASSERT_EQ(Act("stappen-item", *editor_, "submit", "Bron toegevoegd.").status, 200);
  const std::string at = "2099-03-01T09:00:00Z";
  ASSERT_EQ(Act("stappen-item", *redactie_, "schedule", "", at).status, 200);
  // Refused steps leave no line.
  EXPECT_EQ(Act("stappen-item", *editor_, "approve").status, 403);
  EXPECT_EQ(Act("stappen-item", *redactie_, "submit").status, 409);
  ASSERT_EQ(Act("stappen-item", *redactie_, "approve").status, 200);

  auto r = Get("/api/documents/stappen-item/steps", *editor_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("cache-control"), "private, no-store");
  std::vector<std::string> seen;
  const json steps = r.Json()["steps"];
  for (const auto& s : steps) {
    seen.push_back(s.value("actor", "") + " " + s.value("action", "") + " " + s.value("from", "") +
                   ">" + s.value("to", "") + " r" + std::to_string(s.value("revision", 0)) + " [" +
                   s.value("comment", "") + "] " + s.value("scheduled_at", ""));
    EXPECT_EQ(s.value("at", "").size(), 20u) << s.dump();
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{
                "editor@bibob.nl submit draft>in_review r1 [] ",
                "redactie@kpo.nl reject in_review>draft r1 [Bron ontbreekt.\nGraag aanvullen.] ",
                "editor@bibob.nl submit draft>in_review r1 [Bron toegevoegd.] ",
                "redactie@kpo.nl schedule in_review>scheduled r1 [] " + at,
                "redactie@kpo.nl approve scheduled>published r2 [] ",
            }));
  // The steps are the work's: who may not see the draft side learns nothing.
  for (const Login* who : {member_, other_editor_, anonymous_}) {
    EXPECT_EQ(Get("/api/documents/stappen-item/steps", *who).status, who == anonymous_ ? 401 : 404);
  }
  // Ids that are no item's: the same 404, nothing read.
  for (const std::string& id :
       std::vector<std::string>{"bestaat-niet", "Met%20Spatie", "..%2F..%2Fetc", "%00", "x%27--",
                                std::string(300, 'a')}) {
    auto bad = Get("/api/documents/" + id + "/steps", *redactie_);
    EXPECT_EQ(bad.status, 404) << id << ": " << bad.body;
    EXPECT_EQ(bad.ErrorCodeName(), "document_not_found") << id;
  }
}

TEST_F(EditorialApiTest, StaleSaveIsRefusedAndLosesNothing) {
  Create("stale-item", "Oud", "Oude tekst.", *editor_);
  auto first =
      Send("PUT", "/api/documents/stale-item", *editor_,
           With(Draft("stale-item", "Eerste", "Tekst van de eerste."), {{"base_revision", 1}}));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Json()["revision"], 2);
  json mine = Draft("stale-item", "Tweede", "Mijn lange tekst die niet verloren mag gaan.");
  mine["base_revision"] = 1;
  auto second = Send("PUT", "/api/documents/stale-item", *redactie_, mine);
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_EQ(second.ErrorCodeName(), "stale_revision");
  EXPECT_EQ(second.Json()["yours"], mine) << "the editor's text comes back";
  EXPECT_EQ(second.Json()["current_revision"], 2);
  auto now = Get("/api/documents/stale-item", *editor_).Json();
  EXPECT_EQ(now["editorial"]["draft"]["body"], "Tekst van de eerste.");
  // Based on the current revision it goes through.
  mine["base_revision"] = 2;
  EXPECT_EQ(Send("PUT", "/api/documents/stale-item", *redactie_, mine).status, 200);
}

// A save that changes nothing writes nothing, so a second tab on the same
// version is not told someone saved since (a new user's trial).
TEST_F(EditorialApiTest, AnUnchangedSaveMakesNoVersion) {
  Create("zelfde-item", "Zelfde", "Tekst.", *editor_);
  ASSERT_EQ(Act("zelfde-item", *editor_, "submit").status, 200);
  auto same = Send("PUT", "/api/documents/zelfde-item", *editor_,
                   With(Draft("zelfde-item", "Zelfde", "Tekst."), {{"base_revision", 1}}));
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(same.Json()["unchanged"], true);
  EXPECT_EQ(same.Json()["revision"], 1);
  // Nothing changed, so the item stays in review and nothing is audited.
  EXPECT_EQ(same.Json()["state"], "in_review");
  EXPECT_EQ(Get("/api/documents/zelfde-item/revisions", *editor_).Json()["revisions"].size(), 1u);
  EXPECT_EQ(AuditLines("zelfde-item").count("editor@bibob.nl editorial_saved  in_review>draft"),
            0u);
  // One field differing is a change: a new review date too.
  auto dated = Send("PUT", "/api/documents/zelfde-item", *editor_,
                    With(Draft("zelfde-item", "Zelfde", "Tekst."),
                         {{"base_revision", 1}, {"review_by", "2030-01-01"}}));
  ASSERT_EQ(dated.status, 200) << dated.body;
  EXPECT_EQ(dated.Json()["unchanged"], false);
  EXPECT_EQ(dated.Json()["revision"], 2);
  EXPECT_EQ(dated.Json()["state"], "draft");
  // On an older base the save is refused as stale, as any other.
  EXPECT_EQ(Send("PUT", "/api/documents/zelfde-item", *editor_,
                 With(Draft("zelfde-item", "Zelfde", "Tekst."),
                      {{"base_revision", 1}, {"review_by", "2030-01-01"}}))
                .ErrorCodeName(),
            "stale_revision");
}

TEST_F(EditorialApiTest, ConcurrentSavesOnOneBaseRevisionExactlyOneWins) {
  Create("race-item", "Race", "Start.", *editor_);
  constexpr int kWriters = 8;
  std::atomic<int> ok{0}, stale{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      json body = Draft("race-item", "Race " + std::to_string(i), "Versie " + std::to_string(i));
      body["base_revision"] = 1;
      auto r = Send("PUT", "/api/documents/race-item", i % 2 ? *editor_ : *redactie_, body);
      (r.status == 200 ? ok : r.status == 409 ? stale : other)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(stale.load(), kWriters - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(RevisionOf("race-item"), 2);
}

// Of approvals sent at once exactly one applies, and the history holds
// exactly that one: a refused step leaves no line.
TEST_F(EditorialApiTest, ConcurrentApprovalsLeaveOneStep) {
  MakeInState("race-approve", "in_review");
  constexpr int kApprovers = 6;
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kApprovers; ++i) {
    threads.emplace_back([&, i] {
      auto r = Act("race-approve", i % 2 ? *redactie_ : *admin_, "approve");
      (r.status == 200 ? ok : r.status == 409 ? refused : other)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), kApprovers - 1);
  EXPECT_EQ(other.load(), 0);
  const json steps = Get("/api/documents/race-approve/steps", *redactie_).Json()["steps"];
  ASSERT_EQ(steps.size(), 2u) << steps;
  EXPECT_EQ(steps[0]["action"], "submit");
  EXPECT_EQ(steps[1]["action"], "approve");
}

TEST_F(EditorialApiTest, HostileInputGetsClearDutchErrors) {
  auto post = [&](const std::string& body, const Login& who = *editor_) {
    return Send("POST", "/api/documents", who, body);
  };
  EXPECT_EQ(post("{\"title\": ").ErrorCodeName(), "invalid_json");
  EXPECT_EQ(post("[1,2]").ErrorCodeName(), "invalid_json");
  EXPECT_EQ(post(R"({"title": 5, "body": "x"})").ErrorCodeName(), "invalid_field");
  EXPECT_EQ(post(R"({"title": "x", "themes": "bibob"})").ErrorCodeName(), "invalid_field");
  EXPECT_EQ(post(R"({"title": "x", "themes": [1]})").ErrorCodeName(), "invalid_field");
  auto unknown = post(R"({"title": "x", "tietel": "y"})");
  EXPECT_EQ(unknown.ErrorCodeName(), "invalid_field");
  EXPECT_NE(unknown.body.find("tietel"), std::string::npos);
  // The validation routine of content files, with its Dutch messages.
  auto bad_vocab = post(With(Draft("vocab-item", "Titel", "x"), {{"themes", {"onzin"}}}).dump());
  EXPECT_EQ(bad_vocab.status, 422) << bad_vocab.body;
  EXPECT_EQ(bad_vocab.ErrorCodeName(), "invalid_content");
  EXPECT_NE(bad_vocab.body.find("onbekend thema 'onzin'"), std::string::npos) << bad_vocab.body;
  EXPECT_EQ(post(Draft("Hoofd Letters", "x", "x").dump()).ErrorCodeName(), "invalid_content");
  EXPECT_EQ(post(Draft("geen-titel", "", "x").dump()).ErrorCodeName(), "invalid_content");
  // Oversized: refused before any handler, nothing stored.
  auto big = post(Draft("te-groot", "Groot", std::string(2 << 20, 'a')).dump());
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(Get("/api/documents/te-groot", *redactie_).status, 404);
  // Who may write.
  EXPECT_EQ(post(Draft("anoniem", "x", "x").dump(), *anonymous_).status, 401);
  EXPECT_EQ(post(Draft("lid-item", "x", "x").dump(), *member_).status, 403);
  auto wrong_werkplaats = post(Draft("andere-wp", "x", "x", "integriteit").dump());
  EXPECT_EQ(wrong_werkplaats.status, 403);
  EXPECT_NE(wrong_werkplaats.body.find("integriteit"), std::string::npos);
  Login no_csrf = *editor_;
  no_csrf.csrf = "verkeerd";
  EXPECT_EQ(post(Draft("csrf-item", "x", "x").dump(), no_csrf).ErrorCodeName(),
            "invalid_csrf_token");
  // Ids are unique; a taken one (also a file's) is refused.
  Create("dubbel", "Dubbel", "x", *editor_);
  EXPECT_EQ(post(Draft("dubbel", "x", "x").dump()).ErrorCodeName(), "duplicate_id");
  EXPECT_EQ(post(Draft("bestand-item", "x", "x").dump()).ErrorCodeName(), "duplicate_id");
  // An id is made from the title when none is given, accents folded
  // (a permanent address keeps whole words).
  auto made =
      post(json{{"title", "Zonder Id: één test!"}, {"type", "nieuws"}, {"body", "x"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.Json()["id"], "zonder-id-een-test");
  // PUT without or with a bad base revision, or another id.
  EXPECT_EQ(
      Send("PUT", "/api/documents/dubbel", *editor_, Draft("dubbel", "x", "y")).ErrorCodeName(),
      "invalid_field");
  EXPECT_EQ(Send("PUT", "/api/documents/dubbel", *editor_,
                 With(Draft("dubbel", "x", "y"), {{"base_revision", "1"}}))
                .ErrorCodeName(),
            "invalid_field");
  EXPECT_EQ(Send("PUT", "/api/documents/dubbel", *editor_,
                 With(Draft("ander-id", "x", "y"), {{"base_revision", 1}}))
                .ErrorCodeName(),
            "invalid_field");
  EXPECT_EQ(Get("/api/documents/dubbel/diff?from=1&to=abc", *editor_).ErrorCodeName(),
            "invalid_parameter");
  EXPECT_EQ(Get("/api/documents/dubbel/revisions/0", *editor_).ErrorCodeName(),
            "invalid_parameter");
  EXPECT_EQ(Get("/api/documents/dubbel/revisions/99", *editor_).status, 404);
  // Nothing above left a half-written item.
  EXPECT_EQ(RevisionOf("dubbel"), 1);
}

TEST_F(EditorialApiTest, RevisionsDiffAndRestore) {
  Create("historie", "Historie", "regel een\nregel twee\nregel drie", *editor_);
  json v2 = Draft("historie", "Historie", "regel een\nregel 2\nregel drie\nregel vier");
  v2["base_revision"] = 1;
  v2["review_by"] = "2030-01-01";
  ASSERT_EQ(Send("PUT", "/api/documents/historie", *editor_, v2).status, 200);
  auto list = Get("/api/documents/historie/revisions", *editor_);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Json()["revisions"].size(), 2u);
  EXPECT_EQ(list.Json()["revisions"][0]["author"], "editor@bibob.nl");
  EXPECT_EQ(list.Json()["revisions"][1]["version"], "draft");
  auto one = Get("/api/documents/historie/revisions/1", *editor_);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.Json()["body"], "regel een\nregel twee\nregel drie");
  auto diff = Get("/api/documents/historie/diff?from=1&to=2", *editor_);
  ASSERT_EQ(diff.status, 200) << diff.body;
  EXPECT_EQ(diff.Json()["added"], 2);
  EXPECT_EQ(diff.Json()["removed"], 1);
  std::vector<std::string> changed;
  const json lines = diff.Json()["lines"];
  for (const auto& l : lines) {
    if (l["op"] != " ")
      changed.push_back(l["op"].get<std::string>() + l["text"].get<std::string>());
  }
  EXPECT_EQ(changed, (std::vector<std::string>{"-regel twee", "+regel 2", "+regel vier"}));
  // Readers of nothing unpublished see no history.
  EXPECT_EQ(Get("/api/documents/historie/revisions", *member_).status, 404);
  EXPECT_EQ(Get("/api/documents/historie/diff?from=1&to=2", *other_editor_).status, 404);
  // Restore revision 1 as a new draft revision: exact.
  auto restored = Send("POST", "/api/documents/historie/restore", *editor_,
                       json{{"revision", 1}, {"base_revision", 2}});
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_EQ(restored.Json()["revision"], 3);
  EXPECT_EQ(AuditLines("historie").count("editor@bibob.nl editorial_restored  draft>draft"), 1u);
  auto three = Get("/api/documents/historie/revisions/3", *editor_).Json();
  auto first = Get("/api/documents/historie/revisions/1", *editor_).Json();
  three.erase("revision");
  first.erase("revision");
  EXPECT_EQ(three, first);
  EXPECT_EQ(Send("POST", "/api/documents/historie/restore", *editor_,
                 json{{"revision", 1}, {"base_revision", 2}})
                .ErrorCodeName(),
            "stale_revision");
}

TEST_F(EditorialApiTest, PreviewRendersAndFlagsLinksAndLongSentences) {
  json body = Draft("", "Voorbeeld",
                    "# Kop\n\nZie [leden](/items/leden-stuk), [weg](/items/bestaat-niet) en "
                    "[goed](/items/bestand-item).\n\nDit is een hele lange zin met heel veel "
                    "woorden die samen veel meer dan twintig woorden tellen zodat de lezer het "
                    "spoor bijster raakt en de B1-richtlijn wordt overschreden.\n\nKort.\n\n"
                    "<script>alert(1)</script>");
  auto r = Send("POST", "/api/preview", *editor_, body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_NE(j["html"].get<std::string>().find("<h1>Kop</h1>"), std::string::npos);
  EXPECT_EQ(j["html"].get<std::string>().find("<script>"), std::string::npos);
  std::map<std::string, std::string> links;
  for (const auto& l : j["links"]) links[l["id"]] = l["reason"];
  EXPECT_EQ(links.size(), 2u) << j["links"];
  EXPECT_NE(links["leden-stuk"].find("niet leesbaar"), std::string::npos);
  EXPECT_NE(links["bestaat-niet"].find("bestaat niet"), std::string::npos);
  EXPECT_EQ(j["readability"]["long_sentences"], 1);
  EXPECT_GE(j["readability"]["sentences"].get<int>(), 3);
  EXPECT_GE(j["readability"]["long_words"].get<int>(), 0);
  EXPECT_FALSE(j["readability"]["advice"].empty());
  EXPECT_TRUE(j["problems"].empty()) << j["problems"];
  // What readers will not see is said, not dropped in silence.
  EXPECT_EQ(j["not_shown"],
            json::array({"HTML in de tekst wordt niet getoond. Gebruik Markdown: **vet**, ## "
                         "kopje, [tekst](adres)."}));
  auto hidden = Send("POST", "/api/preview", *editor_,
                     Draft("", "Voorbeeld",
                           "[klik](javascript:alert(1)) en ![logo](https://elders.example/l.png) "
                           "en ![eigen](/bijlage.png)"));
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_EQ(hidden.Json()["not_shown"],
            json::array({"Link of afbeelding 'javascript:alert(1)' wordt alleen als tekst "
                         "getoond: dit soort adres is niet toegestaan.",
                         "Afbeelding van een andere website (https://elders.example/l.png) wordt "
                         "niet getoond. Voeg haar als bijlage toe."}));
  // Problems Save would refuse are listed, not refused.
  auto bad = Send("POST", "/api/preview", *editor_,
                  With(Draft("", "Voorbeeld", "x"), {{"themes", {"onzin"}}}));
  ASSERT_EQ(bad.status, 200);
  EXPECT_EQ(bad.Json()["problems"][0]["field"], "themes");
  EXPECT_EQ(Send("POST", "/api/preview", *member_, body).status, 403);
}

// A public item that links a members' item would show every reader that
// item's address: approving and scheduling refuse it, with the link named;
// a link to a missing item or one every reader may read is no reason.
TEST_F(EditorialApiTest, ApprovalRefusesALinkNotAllReadersMayFollow) {
  Create(
      "verwijst-naar-leden", "Verwijst naar leden",
      "Zie [leden](/items/leden-stuk), [weg](/items/bestaat-niet), [politie](/items/politie-stuk) "
      "en [goed](/items/bestand-item).",
      *editor_);
  ASSERT_EQ(Act("verwijst-naar-leden", *editor_, "submit").status, 200);
  // A linked item is named by its title to an approver who may read it; to
  // one who may not (admin, in no group) only by the address in the text.
  for (const Login* who : {redactie_, admin_}) {
    auto refused = Act("verwijst-naar-leden", *who, "approve");
    EXPECT_EQ(refused.status, 409) << refused.body;
    const std::string message = refused.Json()["error"]["message"];
    EXPECT_NE(message.find("linkt naar 'Alleen voor leden' (/items/leden-stuk), "),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(who == redactie_ ? ", 'Politiedossier' (/items/politie-stuk), die"
                                            : ", /items/politie-stuk, die"),
              std::string::npos)
        << message;
    if (who == admin_) {
      EXPECT_EQ(message.find("Politiedossier"), std::string::npos) << message;
    }
  }
  for (const char* action : {"approve", "schedule"}) {
    auto refused = Act("verwijst-naar-leden", *redactie_, action, "", "2099-01-01T09:00");
    EXPECT_EQ(refused.status, 409) << action << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCodeName(), "link_to_closed_item");
    const std::string message = refused.Json()["error"]["message"];
    EXPECT_NE(message.find("/items/leden-stuk"), std::string::npos) << message;
    EXPECT_EQ(message.find("bestaat-niet"), std::string::npos) << message;
    EXPECT_EQ(message.find("bestand-item"), std::string::npos) << message;
    EXPECT_EQ(message.rfind("'Verwijst naar leden' linkt naar", 0), 0u) << message;
  }
  EXPECT_EQ(StateOf("verwijst-naar-leden"), "in_review");
  EXPECT_EQ(Get("/api/documents/verwijst-naar-leden", *anonymous_).status, 404);
  // Narrowed to members, whom the linked item is for: approved.
  auto saved = Send(
      "PUT", "/api/documents/verwijst-naar-leden", *redactie_,
      With(Draft("verwijst-naar-leden", "Verwijst naar leden", "Zie [leden](/items/leden-stuk)."),
           {{"access", "members"}, {"base_revision", RevisionOf("verwijst-naar-leden")}}));
  ASSERT_EQ(saved.status, 200) << saved.body;
  auto approved = Act("verwijst-naar-leden", *redactie_, "approve");
  EXPECT_EQ(approved.status, 200) << approved.body;
}

// Scheduled while the linked item was public, due after it was narrowed to
// members: the scheduler does not publish it (every reader would see the
// address) but sends it back to the redactie, saying why.
TEST_F(EditorialApiTest, ScheduledItemWhoseLinkWasClosedSinceIsHeldBack) {
  MakeInState("later-dicht", "published");
  MakeInState("ook-dicht", "published");
  Create("gepland-verwijst", "Gepland met link",
         "Zie [het stuk](/items/later-dicht) en [het andere](/items/ook-dicht).", *editor_);
  ASSERT_EQ(Act("gepland-verwijst", *editor_, "submit").status, 200);
  const std::string at = editorial::FormatUtc(static_cast<int64_t>(std::time(nullptr)) + 2);
  auto scheduled = Act("gepland-verwijst", *redactie_, "schedule", "", at);
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  // The linked items are narrowed to members and approved.
  for (const std::string id : {"later-dicht", "ook-dicht"}) {
    auto narrowed = Send("PUT", "/api/documents/" + id, *redactie_,
                         With(Draft(id, "Staat published", "Nu voor leden."),
                              {{"access", "members"}, {"base_revision", RevisionOf(id)}}));
    ASSERT_EQ(narrowed.status, 200) << narrowed.body;
    if (StateOf(id) == "draft") {
      ASSERT_EQ(Act(id, *redactie_, "submit").status, 200);
    }
    ASSERT_EQ(Act(id, *redactie_, "approve").status, 200);
    ASSERT_EQ(Get("/api/documents/" + id, *anonymous_).status, 404);
  }
  while (editorial::FormatUtc(std::time(nullptr)) <= at) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto due = server_->editorial()->PublishDue();
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  EXPECT_EQ(*due, 0);
  EXPECT_EQ(Get("/api/documents/gepland-verwijst", *anonymous_).status, 404);
  auto doc = Get("/api/documents/gepland-verwijst", *redactie_);
  ASSERT_EQ(doc.status, 200) << doc.body;
  EXPECT_EQ(doc.Json()["editorial"]["state"], "in_review");
  EXPECT_EQ(doc.Json()["editorial"]["scheduled_at"], "");
  const std::string comment = doc.Json()["editorial"]["comment"];
  EXPECT_EQ(comment.rfind("Niet gepubliceerd op het geplande moment: 'Gepland met link' linkt "
                          "naar /items/later-dicht, /items/ook-dicht, die niet alle lezers van "
                          "dit stuk mogen lezen: elke lezer zou die adressen zien.",
                          0),
            0u)
      << comment;
  EXPECT_EQ(AuditLines("gepland-verwijst")
                .count("redactie@kpo.nl editorial_transition publish_scheduled_refused "
                       "scheduled>in_review"),
            1u);
  // Its history keeps the step and why, naming no one.
  const json steps = Get("/api/documents/gepland-verwijst/steps", *redactie_).Json()["steps"];
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps.back()["action"], "publish_scheduled_refused");
  EXPECT_EQ(steps.back()["actor"], "");
  EXPECT_EQ(steps.back()["comment"], comment);
  // The redactie's dashboard says why, on the item's card in the queue.
  auto dashboard = Get("/redactie", *redactie_);
  EXPECT_NE(dashboard.body.find("<strong>Opmerking:</strong> Niet gepubliceerd op het geplande"),
            std::string::npos)
      << dashboard.body;
  // No one is named for a step no one took; the editor's page does not put
  // the scheduler's words in the redactie's mouth either.
  EXPECT_EQ(doc.Json()["editorial"]["actor"], "");
  const size_t card = dashboard.body.find("id=\"stuk-gepland-verwijst\"");
  ASSERT_NE(card, std::string::npos);
  const std::string on_card =
      dashboard.body.substr(card, dashboard.body.find("id=\"stuk-", card + 1) - card);
  EXPECT_NE(on_card.find("Laatst gewijzigd"), std::string::npos) << on_card;
  EXPECT_EQ(on_card.find(" door "), std::string::npos) << on_card;
  auto page = Get("/redactie/stukken/gepland-verwijst", *editor_);
  EXPECT_NE(page.body.find("<strong>Opmerking:</strong> Niet gepubliceerd"), std::string::npos)
      << page.body;
  // Another round publishes nothing and changes nothing.
  EXPECT_EQ(*server_->editorial()->PublishDue(), 0);
  EXPECT_EQ(StateOf("gepland-verwijst"), "in_review");
}

TEST_F(EditorialApiTest, MyDraftsAndTheRedactieDashboard) {
  Create("mijn-concept", "Mijn concept", "x", *editor_);
  Create("ander-concept", "Ander concept", "x", *other_editor_, "integriteit");
  MakeInState("dash-review", "in_review");
  MakeInState("dash-published", "published");
  json overdue = Draft("dash-overdue", "Verlopen", "x");
  overdue["review_by"] = "2020-01-01";
  ASSERT_EQ(Send("POST", "/api/documents", *editor_, overdue).status, 201);
  json later = Draft("dash-later", "Later", "x");
  later["review_by"] = "2099-01-01";  // not listed before its date
  ASSERT_EQ(Send("POST", "/api/documents", *editor_, later).status, 201);
  // A search that finds nothing, by a signed-in member: counted, not who.
  ASSERT_EQ(Get("/api/search?q=ganzenbordspel", *member_).Json()["total"], 0);
  auto ids = [](const json& list) {
    std::set<std::string> out;
    for (const auto& e : list) out.insert(e["id"]);
    return out;
  };
  auto mine = Get("/api/me/documents", *editor_);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(ids(mine.Json()["results"]).count("mijn-concept"), 1u);
  EXPECT_EQ(ids(mine.Json()["results"]).count("dash-review"), 1u);
  EXPECT_EQ(ids(mine.Json()["results"]).count("ander-concept"), 0u);
  EXPECT_EQ(ids(mine.Json()["results"]).count("dash-published"), 0u);
  EXPECT_EQ(ids(Get("/api/me/documents", *other_editor_).Json()["results"]),
            std::set<std::string>{"ander-concept"});
  EXPECT_EQ(Get("/api/me/documents", *member_).status, 403);
  EXPECT_EQ(Get("/api/me/documents", *anonymous_).status, 401);

  auto dash = Get("/api/redactie/dashboard", *redactie_);
  ASSERT_EQ(dash.status, 200) << dash.body;
  auto d = dash.Json();
  EXPECT_EQ(ids(d["review_queue"]).count("dash-review"), 1u);
  EXPECT_EQ(ids(d["overdue"]).count("dash-overdue"), 1u);
  EXPECT_EQ(ids(d["overdue"]).count("mijn-concept"), 0u);
  EXPECT_EQ(ids(d["overdue"]).count("dash-later"), 0u);
  EXPECT_EQ(ids(d["recently_published"]).count("dash-published"), 1u);
  // The zero-result searches of the last 30 days are on the dashboard:
  // query and count only.
  ASSERT_TRUE(d["zero_results"].is_object()) << dash.body;
  EXPECT_EQ(d["zero_results"]["days"], 30);
  int64_t zero = 0;
  for (const auto& q : d["zero_results"]["queries"]) {
    if (q["query"] == "ganzenbordspel") zero = q["count"].get<int64_t>();
    for (const auto& [key, value] : q.items()) {
      EXPECT_TRUE(key == "query" || key == "count" || key == "last_day") << key;
    }
  }
  EXPECT_EQ(zero, 1) << dash.body;
  EXPECT_EQ(dash.body.find("lid@"), std::string::npos);
  EXPECT_EQ(Get("/api/redactie/dashboard", *admin_).status, 200);
  EXPECT_EQ(Get("/api/redactie/dashboard", *editor_).status, 403);
}

TEST_F(EditorialApiTest, ScheduledItemIsPublishedWhenDue) {
  MakeInState("gepland", "in_review");
  auto scheduled = Act("gepland", *redactie_, "schedule", "", "2099-06-01T10:00");
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  EXPECT_EQ(scheduled.Json()["scheduled_at"], "2099-06-01T08:00:00Z") << "CEST is UTC+2";
  auto due = server_->editorial()->PublishDue();
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(StateOf("gepland"), "scheduled") << "not before its time";
  EXPECT_EQ(Get("/api/documents/gepland", *anonymous_).status, 404);
}

// A file import never overwrites or removes what was edited over the API.
TEST_F(EditorialApiTest, KpoIndexLeavesApiEditsAlone) {
  auto base = RevisionOf("bestand-item");
  json edit = Draft("bestand-item", "Via de API", "API-tekst.");
  edit["base_revision"] = base;
  ASSERT_EQ(Send("PUT", "/api/documents/bestand-item", *editor_, edit).status, 200);
  // A file for an id that exists only as an API draft.
  Create("api-eerst", "API eerst", "API-concept.", *editor_);
  corpus_->Add({.id = "api-eerst", .title = "Uit een bestand", .body = "Bestand."});
  corpus_->Add({.id = "bestand-item",
                .title = "Bestand gewijzigd",
                .werkplaats = "bibob",
                .body = "Nieuwe bestandstekst."});
  indexer::Options import;
  import.content_dir = corpus_->content_dir();
  import.data_dir = corpus_->data_dir();
  auto summary = indexer::Run(import);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  // Both skips are reported, naming the file's item and the API revision.
  std::string skipped;
  for (const auto& line : summary->skipped) skipped += line + "\n";
  EXPECT_NE(skipped.find("'bestand-item' is via de API bewerkt"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("'api-eerst' is via de API bewerkt"), std::string::npos) << skipped;
  auto item = Get("/api/documents/bestand-item", *redactie_).Json();
  EXPECT_EQ(item["editorial"]["draft"]["title"], "Via de API");
  EXPECT_EQ(item["title"], "Handreiking uit een bestand") << "the live version is not the file's";
  auto api_first = Get("/api/documents/api-eerst", *redactie_);
  ASSERT_EQ(api_first.status, 200);
  EXPECT_EQ(api_first.Json()["editorial"]["draft"]["title"], "API eerst");
  EXPECT_EQ(Get("/api/documents/api-eerst", *anonymous_).status, 404);
}

}  // namespace
}  // namespace kpo

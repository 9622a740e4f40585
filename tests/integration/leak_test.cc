// The leak suite of "Accounts and role-based access, with search that never
// leaks": a real server over a corpus in which every non-public item carries a
// unique marker word (in title, body and tags) and a theme (omg) that only
// non-public items have. For every principal and every marker, no response
// may reveal the marker (or an unreadable item, or a count that includes one)
// unless the principal may read it; and the principal who may read it does
// find it, so the suite cannot pass by finding nothing.
//
// Every expected number below comes from the fixture list and this file's own
// model of the access rules (MayRead), never from the API.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/server_fixture.h"

namespace kpo {
namespace {

using nlohmann::json;
using testing::HttpCall;
using testing::HttpResponse;
using testing::ItemSpec;
using testing::UrlEncode;

// --- the fixture ------------------------------------------------------------

// Every item's body contains "ondermijning", so q=ondermijning matches all of
// them; the shared words "bibob", "motorclub" and "vergunning" pull restricted
// items into related lists if the access filter were missing. No text outside
// a marker's own item starts with a marker's first four letters.
std::vector<ItemSpec> Items() {
  std::vector<ItemSpec> items;
  // Public, published.
  items.push_back(
      {.id = "bibob-handreiking",
       .title = "Handreiking Bibob-toets voor gemeenten",
       .type = "handreiking",
       .themes = {"bibob"},
       .published = "2022-03-01",
       .summary = "Hoe een gemeente de Bibob-toets toepast.",
       .tags = {"bibob", "vergunning"},
       .body = "De Bibob-toets helpt tegen ondermijning. Een gemeente weigert een "
               "vergunning bij ernstig gevaar. Een motorclub en vastgoed komen vaak voor."});
  items.push_back({.id = "signalen-witwassen",
                   .title = "Signalenkaart witwassen in vastgoed",
                   .type = "product",
                   .themes = {"witwassen", "vastgoed"},
                   .published = "2023-05-10",
                   .body =
                       "Signalen van witwassen en ondermijning in de vastgoedsector. Bibob helpt "
                       "bij een vergunning."});
  items.push_back({.id = "cursus-vastgoed",
                   .title = "Cursus vastgoedfraude herkennen",
                   .type = "cursus",
                   .themes = {"vastgoed"},
                   .published = "2024-01-15",
                   .body = "In deze cursus leert u ondermijning in vastgoed herkennen."});
  items.push_back({.id = "cursus-politie",
                   .title = "Cursus opsporing voor de politie",
                   .type = "cursus",
                   .access = "restricted",
                   .groups = {"politie"},
                   .themes = {"vastgoed"},
                   .published = "2024-02-01",
                   .body = "Een cursus over ondermijning alleen voor de politie."});
  // Public, with links to closed items (ReaderHtml): the addresses are for
  // the linked items' readers only.
  items.push_back(
      {.id = "openbaar-verwijst",
       .title = "Verwijzingen",
       .type = "pagina",
       .themes = {"bibob"},
       .published = "2024-03-01",
       .body = "Over ondermijning: zie [het dossier](/items/politie-dossier), [de notitie][n] "
               "en [een oud "
               "stuk](/items/bestaat-niet).\n\n![de kaart](/api/documents/politie-dossier/"
               "attachments/kaart.png)\n\nOok: <https://kpo.example/items/politie-dossier>.\n\n"
               "[n]: https://kpo.example/items/Gemeenten-Notitie#kop\n"});
  items.push_back({.id = "nieuws-hennep",
                   .title = "Hennepteelt in het buitengebied",
                   .type = "nieuws",
                   .themes = {"drugs", "buitengebied"},
                   .published = "2021-11-20",
                   .body = "Nieuws over hennepteelt en ondermijning op het platteland."});
  items.push_back({.id = "werkplaats-lessen",
                   .title = "Lessen uit de werkplaats Bibob",
                   .type = "pagina",
                   .themes = {"bibob"},
                   .werkplaats = "bibob",
                   .published = "2023-09-01",
                   .body = "De werkplaats deelt lessen over ondermijning, Bibob, een vergunning en "
                           "een motorclub."});
  // Members.
  items.push_back({.id = "leden-verslag",
                   .title = "Ledenverslag roodborstje",
                   .type = "nieuws",
                   .access = "members",
                   .themes = {"omg", "bibob"},
                   .published = "2020-06-01",
                   .tags = {"roodborstje"},
                   .body =
                       "Verslag roodborstje: ondermijning door een motorclub, een vergunning en "
                       "Bibob."});
  items.push_back({.id = "leden-handreiking",
                   .title = "Handreiking voor leden over vergunningen",
                   .type = "handreiking",
                   .access = "members",
                   .themes = {"bibob"},
                   .published = "2022-07-07",
                   .body = "Ledenmateriaal over ondermijning, een vergunning en de Bibob-toets."});
  // Restricted to partner groups.
  items.push_back({.id = "politie-dossier",
                   .title = "Dossier zwartkraai",
                   .type = "product",
                   .access = "restricted",
                   .groups = {"politie"},
                   .themes = {"omg"},
                   .published = "2019-04-04",
                   .tags = {"zwartkraai"},
                   .body = "Operatie zwartkraai: ondermijning door een motorclub, Bibob, een "
                           "vergunning en vastgoed."});
  items.push_back({.id = "gemeenten-notitie",
                   .title = "Notitie blauwvinkje",
                   .type = "handreiking",
                   .access = "restricted",
                   .groups = {"gemeenten"},
                   .themes = {"omg", "witwassen"},
                   .published = "2019-08-08",
                   .tags = {"blauwvinkje"},
                   .body =
                       "Project blauwvinkje: ondermijning, witwassen, een vergunning en Bibob bij "
                       "een motorclub."});
  items.push_back({.id = "fiod-analyse",
                   .title = "Analyse financiering motorclubs",
                   .type = "product",
                   .access = "restricted",
                   .groups = {"fiod"},
                   .themes = {"omg", "afpakken"},
                   .published = "2018-02-02",
                   .body = "Analyse van ondermijning en afpakken bij een motorclub, Bibob en een "
                           "vergunning."});
  // Unpublished: only the werkplaats' editors and the redactie.
  items.push_back({.id = "bibob-concept",
                   .title = "Concept groenspecht",
                   .type = "handreiking",
                   .themes = {"omg", "bibob"},
                   .werkplaats = "bibob",
                   .status = "draft",
                   .published = "2025-01-01",
                   .tags = {"groenspecht"},
                   .body =
                       "Concepttekst groenspecht over ondermijning, Bibob, een vergunning en een "
                       "motorclub."});
  items.push_back(
      {.id = "integriteit-archief",
       .title = "Archief goudhaan",
       .type = "pagina",
       .access = "members",
       .themes = {"omg", "integriteit"},
       .werkplaats = "integriteit",
       .status = "archived",
       .published = "2017-03-03",
       .tags = {"goudhaan"},
       .body = "Gearchiveerd: goudhaan over ondermijning, integriteit en een vergunning."});
  return items;
}

struct Marker {
  std::string word;
  std::string item_id;  // the only item containing it
  std::string typo;     // one edit away, in no item
};

const std::vector<Marker>& Markers() {
  static const std::vector<Marker> kMarkers = {
      {"zwartkraai", "politie-dossier", "zwartkraaj"},
      {"blauwvinkje", "gemeenten-notitie", "blauwvinkja"},
      {"roodborstje", "leden-verslag", "roodborstja"},
      {"groenspecht", "bibob-concept", "groenspechd"},
      {"goudhaan", "integriteit-archief", "goudhaam"},
  };
  return kMarkers;
}

// A principal as this test models it (independently of access/policy.cc).
struct Who {
  std::string name;
  std::string role;  // anonymous | member | editor | redactie | admin
  std::vector<std::string> groups;
  std::vector<std::string> werkplaatsen;
  std::string email;
  std::string cookie;  // "Cookie: kpo_session=..." once signed in
};

bool Has(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// The access rules of the issue: public for everyone; members for anyone
// signed in; restricted for members of one of its groups; draft or archived
// only for editors of its werkplaats and admin (issue 10); the redactie
// reads everything.
bool MayRead(const Who& who, const ItemSpec& item) {
  if (who.role == "redactie") return true;
  if (item.status != "published") {
    return who.role == "admin" || (who.role == "editor" && !item.werkplaats.empty() &&
                                   Has(who.werkplaatsen, item.werkplaats));
  }
  if (item.access == "public") return true;
  if (who.role == "anonymous") return false;
  if (item.access == "members") return true;
  for (const auto& g : item.groups) {
    if (Has(who.groups, g)) return true;
  }
  return false;
}

const ItemSpec& ItemById(const std::string& id) {
  static const std::vector<ItemSpec> kItems = Items();
  for (const auto& item : kItems) {
    if (item.id == id) return item;
  }
  ADD_FAILURE() << "no fixture item " << id;
  return kItems.front();
}

std::set<std::string> ReadableIds(const Who& who) {
  std::set<std::string> out;
  for (const auto& item : Items()) {
    if (MayRead(who, item)) out.insert(item.id);
  }
  return out;
}

// Facet counts over `items`, in the JSON shape of /api/search.
json FacetsOf(const std::vector<ItemSpec>& items) {
  json f = {{"type", json::object()},
            {"theme", json::object()},
            {"region", json::object()},
            {"werkplaats", json::object()},
            {"year", json::object()}};
  auto bump = [&](const char* facet, const std::string& value) {
    f[facet][value] = f[facet].value(value, 0) + 1;
  };
  for (const auto& item : items) {
    bump("type", item.type);
    for (const auto& t : item.themes) bump("theme", t);
    if (!item.werkplaats.empty()) bump("werkplaats", item.werkplaats);
    bump("year", item.published.substr(0, 4));
  }
  return f;
}

std::vector<ItemSpec> ReadableItems(const Who& who) {
  std::vector<ItemSpec> out;
  for (const auto& item : Items()) {
    if (MayRead(who, item)) out.push_back(item);
  }
  return out;
}

// A response without the echo of the request's own query text.
std::string WithoutEcho(const HttpResponse& r) {
  json j = r.Json();
  if (!j.is_object()) return r.body;
  j.erase("query");
  return j.dump();
}

std::set<std::string> ResultIds(const json& results) {
  std::set<std::string> ids;
  if (!results.is_array()) return ids;
  for (const auto& r : results) ids.insert(r.value("id", ""));
  return ids;
}

// --- editorial items (issue 10) ----------------------------------------------
// Made over the editorial service in every unpublished state, each with its
// own marker word, and a draft beside a published item. Readers: the
// werkplaats's editors, the redactie and admin; nobody finds them in search
// (unpublished versions are never indexed), and no channel shows them to
// anyone else.
struct EditorialItem {
  std::string id;
  std::string marker;
  std::string werkplaats;
  std::string state;  // draft | in_review | scheduled | beside_live
};

const std::vector<EditorialItem>& EditorialItems() {
  static const std::vector<EditorialItem> kItems = {
      {"api-concept", "pimpelmees", "bibob", "draft"},
      {"api-review", "kwikstaart", "bibob", "in_review"},
      {"api-gepland", "ijsvogel", "bibob", "scheduled"},
      {"api-integriteit", "nachtegaal", "integriteit", "draft"},
      {"werkplaats-lessen", "boomklever", "bibob", "beside_live"},
  };
  return kItems;
}

bool MayReadDraft(const Who& who, const EditorialItem& item) {
  return who.role == "redactie" || who.role == "admin" ||
         (who.role == "editor" && Has(who.werkplaatsen, item.werkplaats));
}

// --- the suite --------------------------------------------------------------

class LeakTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::Corpus();
    for (const auto& item : Items()) corpus_->Add(item);
    server_ = new testing::ServerFixture(corpus_);
    principals_ = new std::vector<Who>{
        {"anonymous", "anonymous", {}, {}, "", ""},
        {"member gemeenten", "member", {"gemeenten"}, {}, "lid-gemeente@kpo.test", ""},
        {"member politie", "member", {"politie"}, {}, "lid-politie@kpo.test", ""},
        {"editor bibob", "editor", {"gemeenten"}, {"bibob"}, "redacteur-bibob@kpo.test", ""},
        {"redactie", "redactie", {}, {}, "redactie@kpo.test", ""},
    };
    admin_ = new Who{"admin", "admin", {}, {}, "beheerder@kpo.test", ""};
    for (auto& who : *principals_) {
      if (who.role != "anonymous") SignIn(&who);
    }
    SignIn(admin_);
    CreateEditorialItems();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
    delete principals_;
    delete admin_;
  }

  static int64_t CreateUser(const Who& who) {
    access::NewUserRequest req{who.email,  who.name,         who.role,
                               who.groups, who.werkplaatsen, testing::kPassword};
    auto user = server_->auth()->AddUser(access::AuthService::LocalAdministrator(), "", req);
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    return user.ok() ? user->id : 0;
  }

  static std::string Login(const std::string& email) {
    auto r =
        HttpCall(server_->port(), "POST", "/api/auth/login", {"Content-Type: application/json"},
                 json{{"email", email}, {"password", testing::kPassword}}.dump());
    EXPECT_EQ(r.status, 200) << email << ": " << r.body;
    std::string cookie = r.Header("set-cookie");
    return "Cookie: " + cookie.substr(0, cookie.find(';'));
  }

  static void SignIn(Who* who) {
    CreateUser(*who);
    who->cookie = Login(who->email);
  }

  static HttpResponse Get(const std::string& target, const Who& who) {
    std::vector<std::string> headers;
    if (!who.cookie.empty()) headers.push_back(who.cookie);
    return HttpCall(server_->port(), "GET", target, headers);
  }

  // No marker `who` may not read occurs in `text`.
  static void ExpectNoForeignMarkers(const Who& who, const std::string& text,
                                     const std::string& context) {
    for (const auto& m : Markers()) {
      if (MayRead(who, ItemById(m.item_id))) continue;
      EXPECT_EQ(text.find(m.word), std::string::npos)
          << who.name << " sees '" << m.word << "' in " << context << ": " << text.substr(0, 600);
    }
  }

  // Every listed item is one `who` may read.
  static void ExpectOnlyReadable(const Who& who, const json& results, const std::string& context) {
    ASSERT_TRUE(results.is_array()) << context;
    for (const auto& r : results) {
      const std::string id = r.value("id", "");
      EXPECT_TRUE(MayRead(who, ItemById(id)))
          << who.name << " is shown " << id << " in " << context;
    }
  }

  static const std::vector<Who>& Principals() { return *principals_; }

  static void CreateEditorialItems() {
    Principal redactie;
    redactie.role = Role::kRedactie;
    redactie.email = "redactie@kpo.test";
    editorial::EditorialService* service = server_->editorial();
    for (const auto& e : EditorialItems()) {
      editorial::DraftInput input;
      input.item.id = e.id;
      input.item.title = "Werkversie " + e.marker;
      input.item.type = "pagina";
      input.item.themes = {"omg"};
      input.item.werkplaats = e.werkplaats;
      input.item.access = "public";
      input.item.tags = {e.marker};
      input.item.body_markdown = "Concept " + e.marker + " over ondermijning en een motorclub.";
      if (e.state == "beside_live") {
        auto base = service->Get(redactie, e.id);
        ASSERT_TRUE(base.ok()) << base.status().ToString();
        ASSERT_TRUE(service->Save(redactie, "", e.id, input, base->revision).ok());
        continue;
      }
      auto made = service->Create(redactie, "", input);
      ASSERT_TRUE(made.ok()) << made.status().ToString();
      if (e.state == "draft") continue;
      ASSERT_TRUE(service->Transition(redactie, "", e.id, {editorial::Action::kSubmit}).ok());
      if (e.state == "scheduled") {
        ASSERT_TRUE(service
                        ->Transition(redactie, "", e.id,
                                     {editorial::Action::kSchedule, "", "2099-01-01T09:00Z"})
                        .ok());
      }
    }
  }

  // No editorial marker `who` may not read occurs in `text`; with
  // `search_channel`, none at all (search never holds unpublished versions).
  static void ExpectNoDraftMarkers(const Who& who, const std::string& text,
                                   const std::string& context, bool search_channel) {
    for (const auto& e : EditorialItems()) {
      if (!search_channel && MayReadDraft(who, e)) continue;
      EXPECT_EQ(text.find(e.marker), std::string::npos)
          << who.name << " sees '" << e.marker << "' in " << context << ": " << text.substr(0, 600);
    }
  }

  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
  static std::vector<Who>* principals_;
  static Who* admin_;
};
testing::Corpus* LeakTest::corpus_ = nullptr;
testing::ServerFixture* LeakTest::server_ = nullptr;
std::vector<Who>* LeakTest::principals_ = nullptr;
Who* LeakTest::admin_ = nullptr;

// The model agrees with a count by hand of the fixture list, so the
// expectations below are not just the model agreeing with itself.
TEST_F(LeakTest, ModelMatchesHandCount) {
  const std::map<std::string, size_t> by_hand = {{"anonymous", 6},
                                                 {"member gemeenten", 9},
                                                 {"member politie", 10},
                                                 {"editor bibob", 10},
                                                 {"redactie", 14}};
  for (const auto& who : Principals()) {
    EXPECT_EQ(ReadableIds(who).size(), by_hand.at(who.name)) << who.name;
  }
  // Public + members + the two unpublished items; holds no group.
  EXPECT_EQ(ReadableIds(*admin_).size(), 10u);
  // Marker readers, by hand.
  const std::map<std::string, std::set<std::string>> readers = {
      {"zwartkraai", {"member politie", "redactie"}},
      {"blauwvinkje", {"member gemeenten", "editor bibob", "redactie"}},
      {"roodborstje", {"member gemeenten", "member politie", "editor bibob", "redactie"}},
      {"groenspecht", {"editor bibob", "redactie"}},
      {"goudhaan", {"redactie"}},
  };
  for (const auto& m : Markers()) {
    std::set<std::string> got;
    for (const auto& who : Principals()) {
      if (MayRead(who, ItemById(m.item_id))) got.insert(who.name);
    }
    EXPECT_EQ(got, readers.at(m.word)) << m.word;
  }
}

TEST_F(LeakTest, SearchForMarkerFindsItOnlyForReaders) {
  for (const auto& who : Principals()) {
    for (const auto& m : Markers()) {
      const std::string context = "search q=" + m.word;
      auto r = Get("/api/search?q=" + m.word, who);
      ASSERT_EQ(r.status, 200) << who.name << " " << context << ": " << r.body;
      auto j = r.Json();
      ExpectOnlyReadable(who, j["results"], context);
      ExpectNoForeignMarkers(who, WithoutEcho(r), context);
      if (MayRead(who, ItemById(m.item_id))) {
        EXPECT_EQ(j["total"], 1) << who.name << " " << context;
        ASSERT_EQ(j["results"].size(), 1u) << who.name << " " << context;
        EXPECT_EQ(j["results"][0]["id"], m.item_id);
        EXPECT_NE(j["results"][0]["snippet"].get<std::string>().find("<mark>" + m.word),
                  std::string::npos)
            << j["results"][0]["snippet"];
        EXPECT_EQ(j["facets"], FacetsOf({ItemById(m.item_id)})) << who.name << " " << context;
      } else {
        EXPECT_EQ(j["total"], 0) << who.name << " " << context << ": " << r.body;
        EXPECT_TRUE(j["results"].empty()) << who.name << " " << context;
        EXPECT_EQ(j["facets"], FacetsOf({})) << who.name << " " << context;
        EXPECT_FALSE(j["corrected"].get<bool>()) << who.name << " " << context;
      }
    }
  }
}

// The other ways into the index: prefix wildcards, phrases, exclusion (whose
// count would drop by one if an unreadable item were counted), the relaxed
// fallback and filters.
TEST_F(LeakTest, MarkerQueryVariantsRevealNothing) {
  for (const auto& who : Principals()) {
    const size_t readable = ReadableIds(who).size();
    for (const auto& m : Markers()) {
      const bool reader = MayRead(who, ItemById(m.item_id));
      const ItemSpec& item = ItemById(m.item_id);
      struct Variant {
        std::string q, extra;
        int expected_total;  // -1: not fixed, only "the item is listed iff readable"
      };
      const std::vector<Variant> variants = {
          {m.word.substr(0, 6) + "*", "", reader ? 1 : 0},
          {"\"" + m.word + "\"", "", reader ? 1 : 0},
          {"ondermijning -" + m.word, "", static_cast<int>(readable) - (reader ? 1 : 0)},
          {"ondermijning NOT " + m.word, "", static_cast<int>(readable) - (reader ? 1 : 0)},
          {m.word + " OR hennepteelt", "", reader ? 2 : 1},
          {m.word + " vastgoed", "", -1},
          {m.word, "&theme=omg", reader ? 1 : 0},
          {m.word, "&type=" + item.type, reader ? 1 : 0},
          {m.word, "&year=" + item.published.substr(0, 4), reader ? 1 : 0},
          {m.word, "&sort=date&from=2000-01-01", reader ? 1 : 0},
      };
      for (const auto& v : variants) {
        const std::string target = "/api/search?size=100&q=" + UrlEncode(v.q) + v.extra;
        auto r = Get(target, who);
        ASSERT_EQ(r.status, 200) << who.name << " " << target << ": " << r.body;
        auto j = r.Json();
        ExpectOnlyReadable(who, j["results"], target);
        ExpectNoForeignMarkers(who, WithoutEcho(r), target);
        if (v.expected_total >= 0) {
          EXPECT_EQ(j["total"], v.expected_total) << who.name << " " << target;
        }
        if (v.q.find('-') == std::string::npos && v.q.find("NOT") == std::string::npos) {
          EXPECT_EQ(ResultIds(j["results"]).count(m.item_id), reader ? 1u : 0u)
              << who.name << " " << target;
        }
      }
    }
  }
}

TEST_F(LeakTest, SpellingSuggestionRevealsMarkerOnlyToReaders) {
  for (const auto& who : Principals()) {
    for (const auto& m : Markers()) {
      const std::string context = "search q=" + m.typo;
      auto r = Get("/api/search?q=" + m.typo, who);
      ASSERT_EQ(r.status, 200) << who.name << " " << context << ": " << r.body;
      auto j = r.Json();
      ExpectOnlyReadable(who, j["results"], context);
      ExpectNoForeignMarkers(who, WithoutEcho(r), context);
      if (MayRead(who, ItemById(m.item_id))) {
        // The reader is offered the marker (and its item).
        EXPECT_EQ(j["suggestion"], m.word) << who.name << " " << context << ": " << r.body;
        EXPECT_EQ(ResultIds(j["results"]), std::set<std::string>{m.item_id}) << who.name;
      } else {
        EXPECT_TRUE(j["suggestion"].is_null() || j["suggestion"] != m.word) << who.name;
        EXPECT_EQ(j["total"], 0) << who.name << " " << context << ": " << r.body;
      }
    }
  }
}

TEST_F(LeakTest, EmptyQueryTotalAndFacetsMatchHandCount) {
  for (const auto& who : Principals()) {
    const auto readable = ReadableItems(who);
    for (const std::string target : {"/api/search?size=100", "/api/search?q=&size=100"}) {
      auto r = Get(target, who);
      ASSERT_EQ(r.status, 200) << who.name << " " << target << ": " << r.body;
      auto j = r.Json();
      EXPECT_EQ(j["total"], readable.size()) << who.name << " " << target;
      EXPECT_EQ(ResultIds(j["results"]), ReadableIds(who)) << who.name << " " << target;
      EXPECT_EQ(j["facets"], FacetsOf(readable)) << who.name << " " << target;
      ExpectNoForeignMarkers(who, WithoutEcho(r), target);
    }
    // The default page: the same total and facets, ten results at most.
    auto page = Get("/api/search", who).Json();
    EXPECT_EQ(page["total"], readable.size()) << who.name;
    EXPECT_EQ(page["results"].size(), std::min<size_t>(10, readable.size())) << who.name;
    EXPECT_EQ(page["facets"], FacetsOf(readable)) << who.name;
    ExpectOnlyReadable(who, page["results"], "/api/search");
  }
}

TEST_F(LeakTest, WordInEveryItemCountsOnlyReadableItems) {
  for (const auto& who : Principals()) {
    auto r = Get("/api/search?q=ondermijning&size=100", who);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.Json();
    EXPECT_EQ(j["total"], ReadableIds(who).size()) << who.name;
    EXPECT_EQ(ResultIds(j["results"]), ReadableIds(who)) << who.name;
    EXPECT_EQ(j["facets"], FacetsOf(ReadableItems(who))) << who.name;
    ExpectNoForeignMarkers(who, WithoutEcho(r), "q=ondermijning");
  }
}

// omg is a theme only non-public items have: its facet count and its filter
// must not tell an outsider that such items exist.
TEST_F(LeakTest, ThemeOfRestrictedItemsOnly) {
  for (const auto& who : Principals()) {
    std::vector<ItemSpec> with_omg;
    for (const auto& item : ReadableItems(who)) {
      if (Has(item.themes, "omg")) with_omg.push_back(item);
    }
    auto r = Get("/api/search?theme=omg&size=100", who);
    ASSERT_EQ(r.status, 200) << who.name << ": " << r.body;
    auto j = r.Json();
    EXPECT_EQ(j["total"], with_omg.size()) << who.name;
    ExpectOnlyReadable(who, j["results"], "theme=omg");
    ExpectNoForeignMarkers(who, WithoutEcho(r), "theme=omg");
    std::set<std::string> expected_ids;
    for (const auto& item : with_omg) expected_ids.insert(item.id);
    EXPECT_EQ(ResultIds(j["results"]), expected_ids) << who.name;
    // The selected facet is counted without its own selection (over every
    // readable item); the others over the readable omg items.
    json expected = FacetsOf(with_omg);
    expected["theme"] = FacetsOf(ReadableItems(who))["theme"];
    EXPECT_EQ(j["facets"], expected) << who.name;
    if (who.role == "anonymous") {
      EXPECT_EQ(j["total"], 0);
      EXPECT_FALSE(j["facets"]["theme"].contains("omg")) << j["facets"];
    }
  }
}

TEST_F(LeakTest, SuggestRevealsMarkerOnlyToReaders) {
  for (const auto& who : Principals()) {
    for (const auto& m : Markers()) {
      const std::string prefix = m.word.substr(0, 4);
      auto r = Get("/api/suggest?q=" + prefix, who);
      ASSERT_EQ(r.status, 200) << who.name << " " << prefix << ": " << r.body;
      auto j = r.Json();
      ExpectOnlyReadable(who, j["titles"], "suggest " + prefix);
      ExpectNoForeignMarkers(who, WithoutEcho(r), "suggest q=" + prefix);
      if (MayRead(who, ItemById(m.item_id))) {
        const auto& c = j["completions"];
        EXPECT_NE(std::find(c.begin(), c.end(), m.word), c.end()) << who.name << ": " << r.body;
        EXPECT_EQ(ResultIds(j["titles"]), std::set<std::string>{m.item_id})
            << who.name << ": " << r.body;
      } else {
        EXPECT_TRUE(j["titles"].empty()) << who.name << ": " << r.body;
      }
    }
  }
}

TEST_F(LeakTest, UnreadableDocumentsAreTheSame404AsMissingOnes) {
  auto principals = Principals();
  principals.push_back(*admin_);
  for (const auto& who : principals) {
    auto missing = Get("/api/documents/bestaat-niet", who);
    ASSERT_EQ(missing.status, 404) << who.name;
    ASSERT_EQ(missing.ErrorCodeName(), "document_not_found");
    auto missing_related = Get("/api/documents/bestaat-niet/related", who);
    ASSERT_EQ(missing_related.status, 404);
    for (const auto& item : Items()) {
      for (const std::string suffix : {"", "/related"}) {
        const std::string target = "/api/documents/" + item.id + suffix;
        auto r = Get(target, who);
        if (MayRead(who, item)) {
          EXPECT_EQ(r.status, 200) << who.name << " " << target << ": " << r.body;
          if (suffix.empty()) {
            EXPECT_EQ(r.Json()["id"], item.id);
          }
        } else {
          EXPECT_EQ(r.status, 404) << who.name << " " << target << ": " << r.body.substr(0, 300);
          // Byte for byte the answer for a missing id, but for the id itself.
          std::string body = r.body;
          for (size_t at; (at = body.find(item.id)) != std::string::npos;) {
            body.replace(at, item.id.size(), "bestaat-niet");
          }
          EXPECT_EQ(body, suffix.empty() ? missing.body : missing_related.body)
              << who.name << " " << target;
        }
        ExpectNoForeignMarkers(who, r.body, target);
      }
    }
  }
}

TEST_F(LeakTest, RelatedListsOnlyReadableItems) {
  for (const auto& who : Principals()) {
    size_t listed = 0;
    for (const auto& id : ReadableIds(who)) {
      auto r = Get("/api/documents/" + id + "/related", who);
      ASSERT_EQ(r.status, 200) << who.name << " " << id << ": " << r.body;
      auto j = r.Json();
      ExpectOnlyReadable(who, j["results"], "related of " + id);
      ExpectNoForeignMarkers(who, r.body, "related of " + id);
      EXPECT_EQ(ResultIds(j["results"]).count(id), 0u);
      listed += j["results"].size();
    }
    EXPECT_GT(listed, 0u) << who.name << ": related never lists anything";
  }
  // Positively: the politie member is offered the politie dossier next to a
  // public item sharing its words, where an outsider is not.
  auto related_for = [&](const Who& who) {
    return ResultIds(Get("/api/documents/bibob-handreiking/related", who).Json()["results"]);
  };
  const auto& politie = Principals()[2];
  ASSERT_EQ(politie.name, "member politie");
  EXPECT_EQ(related_for(politie).count("politie-dossier"), 1u);
  EXPECT_EQ(related_for(Principals()[0]).count("politie-dossier"), 0u);
}

// A public text that links closed items shows their addresses only to
// their readers: for everyone else the link (or image) is its text, the
// same as for a link to an item that does not exist. In the API and on the
// portal's item page alike.
TEST_F(LeakTest, LinksToClosedItemsAreTextForThoseWhoMayNotReadThem) {
  auto html_for = [](const Who& who) {
    auto r = Get("/api/documents/openbaar-verwijst", who);
    EXPECT_EQ(r.status, 200) << who.name << ": " << r.body;
    return r.Json().value("html", std::string());
  };
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (const auto& who : Principals()) {
    const std::string html = lower(html_for(who));
    const std::string page = lower(Get("/items/openbaar-verwijst", who).body);
    const bool politie = MayRead(who, ItemById("politie-dossier"));
    const bool gemeenten = MayRead(who, ItemById("gemeenten-notitie"));
    for (const std::string& text : {html, page}) {
      EXPECT_NE(text.find("het dossier"), std::string::npos) << who.name;
      EXPECT_NE(text.find("de notitie"), std::string::npos) << who.name;
      EXPECT_EQ(text.find("href=\"/items/politie-dossier\"") != std::string::npos, politie)
          << who.name;
      EXPECT_EQ(text.find("politie-dossier/attachments") != std::string::npos, politie) << who.name;
      EXPECT_EQ(text.find("/items/gemeenten-notitie#kop") != std::string::npos, gemeenten)
          << who.name;
      if (!politie) {
        EXPECT_EQ(text.find("politie-dossier"), std::string::npos) << who.name;
      }
      if (!gemeenten) {
        EXPECT_EQ(text.find("gemeenten-notitie"), std::string::npos) << who.name;
      }
      // A missing item looks like a closed one (the redactie gets the
      // editorial view, the Markdown as written).
      if (who.role != "redactie") {
        EXPECT_EQ(text.find("bestaat-niet"), std::string::npos) << who.name;
      }
      EXPECT_NE(text.find("een oud stuk"), std::string::npos) << who.name;
      // An autolink's text is its address: hidden with the link.
      EXPECT_EQ(text.find("(link niet beschikbaar)") != std::string::npos, !politie) << who.name;
    }
  }
}

TEST_F(LeakTest, HealthCountsReadableItems) {
  for (const auto& who : Principals()) {
    auto r = Get("/api/health", who);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json()["items"], ReadableIds(who).size()) << who.name;
  }
  EXPECT_EQ(Get("/api/health", *admin_).Json()["items"], 10);
}

TEST_F(LeakTest, PaginationNeverShowsForbiddenItems) {
  for (const auto& who : Principals()) {
    const auto readable = ReadableIds(who);
    // Relevance order: page 2 of size 1.
    auto second = Get("/api/search?q=ondermijning&page=2&size=1", who);
    ASSERT_EQ(second.status, 200) << second.body;
    auto sj = second.Json();
    EXPECT_EQ(sj["total"], readable.size()) << who.name;
    ASSERT_EQ(sj["results"].size(), 1u) << who.name;
    ExpectOnlyReadable(who, sj["results"], "page 2");
    // Date order, every page of size 1 and one past the end.
    std::set<std::string> seen;
    for (size_t page = 1; page <= readable.size() + 1; ++page) {
      const std::string target =
          "/api/search?q=ondermijning&sort=date&size=1&page=" + std::to_string(page);
      auto r = Get(target, who);
      ASSERT_EQ(r.status, 200) << r.body;
      auto j = r.Json();
      EXPECT_EQ(j["total"], readable.size()) << who.name << " " << target;
      EXPECT_EQ(j["facets"], FacetsOf(ReadableItems(who))) << who.name << " " << target;
      ExpectOnlyReadable(who, j["results"], target);
      ExpectNoForeignMarkers(who, WithoutEcho(r), target);
      EXPECT_EQ(j["results"].size(), page <= readable.size() ? 1u : 0u)
          << who.name << " " << target;
      for (const auto& id : ResultIds(j["results"])) {
        EXPECT_TRUE(seen.insert(id).second) << id << " shown twice to " << who.name;
      }
    }
    EXPECT_EQ(seen, readable) << who.name;
  }
}

TEST_F(LeakTest, AccessReportOnlyForRedactieAndAdmin) {
  const Who& anonymous = Principals()[0];
  const Who& member = Principals()[1];
  const Who& editor = Principals()[3];
  const Who& redactie = Principals()[4];
  for (const Who* who : {&redactie, static_cast<const Who*>(admin_)}) {
    auto r = Get("/api/documents/politie-dossier/access", *who);
    ASSERT_EQ(r.status, 200) << who->name << ": " << r.body;
    auto j = r.Json();
    EXPECT_EQ(j["id"], "politie-dossier");
    EXPECT_EQ(j["access"], "restricted");
    EXPECT_EQ(j["status"], "published");
    EXPECT_EQ(j["groups"], json::array({"politie"}));
    EXPECT_EQ(j["roles"], json::array({"redactie"}));
    EXPECT_TRUE(j["werkplaatsen"].empty());
    auto draft = Get("/api/documents/bibob-concept/access", *who).Json();
    EXPECT_EQ(draft["status"], "draft");
    EXPECT_EQ(draft["werkplaatsen"], json::array({"bibob"}));
    EXPECT_TRUE(draft["groups"].empty());
    auto pub = Get("/api/documents/bibob-handreiking/access", *who).Json();
    EXPECT_EQ(pub["access"], "public");
    EXPECT_EQ(pub["roles"],
              json::array({"anonymous", "member", "editor", "redactie", "academie", "admin"}));
    EXPECT_EQ(draft["roles"], json::array({"redactie", "admin"}));
    // A course for one partner group: the academy reads every course.
    auto course = Get("/api/documents/cursus-politie/access", *who).Json();
    EXPECT_EQ(course["groups"], json::array({"politie"}));
    EXPECT_EQ(course["roles"], json::array({"redactie", "academie"}));
    auto missing = Get("/api/documents/bestaat-niet/access", *who);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.ErrorCodeName(), "document_not_found");
  }
  for (const Who* who : {&member, &editor}) {
    auto r = Get("/api/documents/politie-dossier/access", *who);
    EXPECT_EQ(r.status, 403) << who->name << ": " << r.body;
    EXPECT_EQ(r.ErrorCodeName(), "forbidden");
    // The same answer for an id that does not exist: no probing through it.
    auto missing = Get("/api/documents/bestaat-niet/access", *who);
    EXPECT_EQ(missing.status, 403);
  }
  auto r = Get("/api/documents/politie-dossier/access", anonymous);
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(r.ErrorCodeName(), "authentication_required");
}

// Groups and role are read from the accounts database on every request.
TEST_F(LeakTest, GroupAndRoleChangesCountFromTheNextRequest) {
  Who who{"wisselaar", "member", {"gemeenten"}, {}, "wisselaar@kpo.test", ""};
  const int64_t id = CreateUser(who);
  ASSERT_GT(id, 0);
  who.cookie = Login(who.email);
  auto total = [&](const std::string& q) { return Get("/api/search?q=" + q, who).Json()["total"]; };
  EXPECT_EQ(total("blauwvinkje"), 1);
  EXPECT_EQ(total("zwartkraai"), 0);
  EXPECT_EQ(Get("/api/documents/gemeenten-notitie", who).status, 200);

  const auto admin = access::AuthService::LocalAdministrator();
  ASSERT_TRUE(server_->auth()->SetUserGroups(admin, "", id, {"politie"}, {}).ok());
  who.groups = {"politie"};
  EXPECT_EQ(total("blauwvinkje"), 0);
  EXPECT_EQ(total("zwartkraai"), 1);
  EXPECT_EQ(Get("/api/documents/gemeenten-notitie", who).status, 404);
  EXPECT_EQ(Get("/api/documents/politie-dossier", who).status, 200);
  EXPECT_EQ(Get("/api/health", who).Json()["items"], ReadableIds(who).size());
  auto typo = Get("/api/search?q=blauwvinkja", who);
  ExpectNoForeignMarkers(who, WithoutEcho(typo), "typo after group change");

  ASSERT_TRUE(server_->auth()->SetUserRole(admin, "", id, "redactie").ok());
  who.role = "redactie";
  EXPECT_EQ(Get("/api/health", who).Json()["items"], 14);
  EXPECT_EQ(total("goudhaan"), 1);

  ASSERT_TRUE(server_->auth()->SetUserRole(admin, "", id, "member").ok());
  ASSERT_TRUE(server_->auth()->SetUserGroups(admin, "", id, {}, {}).ok());
  who.role = "member";
  who.groups = {};
  EXPECT_EQ(Get("/api/health", who).Json()["items"], 8);
  for (const auto& m : Markers()) {
    auto r = Get("/api/search?q=" + m.word, who);
    EXPECT_EQ(r.Json()["total"], MayRead(who, ItemById(m.item_id)) ? 1 : 0) << m.word;
    ExpectNoForeignMarkers(who, WithoutEcho(r), "search after demotion");
  }
}

// An item's access changes with a re-index; the running server follows on the
// next request, in both directions, spelling data included.
TEST(LeakAccessChange, ItemAccessChangeCountsOnTheNextRequest) {
  testing::Corpus corpus;
  ItemSpec open{.id = "openbaar",
                .title = "Openbare handreiking",
                .published = "2022-01-01",
                .body = "Algemene tekst over ondermijning."};
  ItemSpec secret{.id = "geheim",
                  .title = "Dossier zwartkraai",
                  .access = "restricted",
                  .groups = {"politie"},
                  .published = "2022-02-02",
                  .tags = {"zwartkraai"},
                  .body = "Operatie zwartkraai en ondermijning."};
  ItemSpec soon{.id = "straks-geheim",
                .title = "Notitie kievitsbloem",
                .published = "2022-03-03",
                .tags = {"kievitsbloem"},
                .body = "Project kievitsbloem en ondermijning."};
  corpus.Add(open);
  corpus.Add(secret);
  corpus.Add(soon);
  testing::ServerFixture fixture(&corpus);
  access::NewUserRequest req{"agent@kpo.test", "Agent", "member",
                             {"politie"},      {},      testing::kPassword};
  ASSERT_TRUE(fixture.auth()->AddUser(access::AuthService::LocalAdministrator(), "", req).ok());
  auto login =
      HttpCall(fixture.port(), "POST", "/api/auth/login", {"Content-Type: application/json"},
               json{{"email", req.email}, {"password", testing::kPassword}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  std::string set_cookie = login.Header("set-cookie");
  const std::string agent = "Cookie: " + set_cookie.substr(0, set_cookie.find(';'));

  auto anon = [&](const std::string& target) { return HttpCall(fixture.port(), "GET", target); };
  auto as_agent = [&](const std::string& target) {
    return HttpCall(fixture.port(), "GET", target, {agent});
  };
  EXPECT_EQ(anon("/api/health").Json()["items"], 2);
  EXPECT_EQ(anon("/api/search?q=zwartkraai").Json()["total"], 0);
  EXPECT_EQ(anon("/api/documents/geheim").status, 404);
  EXPECT_EQ(anon("/api/search?q=kievitsbloem").Json()["total"], 1);

  // Restricted -> public.
  secret.access = "public";
  secret.groups.clear();
  corpus.Add(secret);
  EXPECT_TRUE(corpus.Index().empty());
  EXPECT_EQ(anon("/api/health").Json()["items"], 3);
  EXPECT_EQ(anon("/api/search?q=zwartkraai").Json()["total"], 1);
  EXPECT_EQ(anon("/api/documents/geheim").status, 200);
  EXPECT_EQ(anon("/api/search?q=zwartkraaj").Json()["suggestion"], "zwartkraai");

  // Public -> restricted: gone for the anonymous caller, spelling included.
  soon.access = "restricted";
  soon.groups = {"politie"};
  corpus.Add(soon);
  EXPECT_TRUE(corpus.Index().empty());
  EXPECT_EQ(anon("/api/health").Json()["items"], 2);
  auto search = anon("/api/search?q=kievitsbloem");
  EXPECT_EQ(search.Json()["total"], 0) << search.body;
  EXPECT_EQ(WithoutEcho(search).find("kievitsbloem"), std::string::npos) << search.body;
  auto typo = anon("/api/search?q=kievitsbloen");
  EXPECT_EQ(WithoutEcho(typo).find("kievitsbloem"), std::string::npos) << typo.body;
  auto suggest = anon("/api/suggest?q=kiev");
  EXPECT_EQ(WithoutEcho(suggest).find("kievitsbloem"), std::string::npos) << suggest.body;
  EXPECT_EQ(anon("/api/documents/straks-geheim").status, 404);
  // ... and still there for the politie member.
  EXPECT_EQ(as_agent("/api/search?q=kievitsbloem").Json()["total"], 1);
  EXPECT_EQ(as_agent("/api/search?q=kievitsbloen").Json()["suggestion"], "kievitsbloem");
  EXPECT_EQ(as_agent("/api/health").Json()["items"], 3);
}

}  // namespace
}  // namespace kpo

namespace kpo {
namespace {

std::vector<Who> WithAdmin(const std::vector<Who>& principals, const Who& admin) {
  std::vector<Who> out = principals;
  out.push_back(admin);
  return out;
}

// Issue 10: drafts, items in review, scheduled items and the draft beside a
// published item, on every channel.
TEST_F(LeakTest, EditorialDraftsOnEveryChannel) {
  for (const auto& who : WithAdmin(Principals(), *admin_)) {
    for (const auto& e : EditorialItems()) {
      const std::string typo = e.marker.substr(0, e.marker.size() - 1) + "x";
      // Search, totals, facets, spelling suggestions, autocomplete.
      for (const std::string& target : std::vector<std::string>{
               "/api/search?q=" + e.marker, "/api/search?q=" + typo,
               "/api/search?size=100&q=ondermijning", "/api/search?theme=omg&size=100",
               "/api/suggest?q=" + e.marker.substr(0, 4), "/zoeken?q=" + e.marker}) {
        auto r = Get(target, who);
        ASSERT_EQ(r.status, 200) << who.name << " " << target;
        if (target.rfind("/zoeken", 0) == 0) {
          // The page repeats the query; the drafts' titles must not appear.
          EXPECT_EQ(r.body.find("Werkversie"), std::string::npos) << who.name << " " << target;
          continue;
        }
        ExpectNoDraftMarkers(who, WithoutEcho(r), target, /*search_channel=*/true);
        if (target.rfind("/api/search", 0) == 0 && e.state != "beside_live") {
          EXPECT_EQ(ResultIds(r.Json()["results"]).count(e.id), 0u) << who.name << " " << target;
        }
      }
      auto total = Get("/api/search?q=" + e.marker, who).Json();
      EXPECT_EQ(total["total"], 0) << who.name << " " << e.marker;
      EXPECT_EQ(total["facets"], FacetsOf({})) << who.name << " " << e.marker;
      // The item itself: readers get the draft, everyone else exactly what
      // they got before (the live version, or the 404 of a missing id).
      auto doc = Get("/api/documents/" + e.id, who);
      ExpectNoDraftMarkers(who, doc.body, "document " + e.id, false);
      if (MayReadDraft(who, e)) {
        ASSERT_EQ(doc.status, 200) << who.name << " " << e.id << ": " << doc.body;
        EXPECT_NE(doc.body.find(e.marker), std::string::npos) << who.name << " " << e.id;
        EXPECT_EQ(doc.Header("cache-control"), "private, no-store");
      } else if (e.state == "beside_live") {
        EXPECT_EQ(doc.status, MayRead(who, ItemById(e.id)) ? 200 : 404) << who.name;
        EXPECT_FALSE(doc.Json().contains("editorial")) << who.name;
      } else {
        EXPECT_EQ(doc.status, 404) << who.name << " " << e.id;
        std::string body = doc.body;
        body.replace(body.find(e.id), e.id.size(), "bestaat-niet");
        EXPECT_EQ(body, Get("/api/documents/bestaat-niet", who).body) << who.name;
      }
      // History, diff, related, the portal's page.
      for (const std::string& target : std::vector<std::string>{
               "/api/documents/" + e.id + "/revisions", "/api/documents/" + e.id + "/revisions/1",
               "/api/documents/" + e.id + "/diff?from=1&to=2", "/api/documents/" + e.id + "/steps",
               "/api/documents/" + e.id + "/related", "/items/" + e.id}) {
        auto r = Get(target, who);
        ExpectNoDraftMarkers(who, r.body, target,
                             /*search_channel=*/target.find("/related") != std::string::npos ||
                                 target.rfind("/items/", 0) == 0);
        if (!MayReadDraft(who, e) && (target.find("/revisions") != std::string::npos ||
                                      target.find("/steps") != std::string::npos)) {
          EXPECT_EQ(r.status, who.role == "anonymous" ? 401 : 404) << who.name << " " << target;
        }
      }
    }
    // Lists: only readers, only their werkplaatsen.
    auto mine = Get("/api/me/documents", who);
    ExpectNoDraftMarkers(who, mine.body, "/api/me/documents", false);
    std::set<std::string> expected_mine;
    for (const auto& e : EditorialItems()) {
      if (MayReadDraft(who, e)) expected_mine.insert(e.id);
    }
    if (who.role == "editor" || who.role == "redactie" || who.role == "admin") {
      ASSERT_EQ(mine.status, 200) << who.name << ": " << mine.body;
      EXPECT_EQ(ResultIds(mine.Json()["results"]), expected_mine) << who.name;
    } else {
      EXPECT_EQ(mine.status, who.role == "anonymous" ? 401 : 403) << who.name;
    }
    auto dash = Get("/api/redactie/dashboard", who);
    EXPECT_EQ(dash.status, who.role == "redactie" || who.role == "admin"
                               ? 200
                               : (who.role == "anonymous" ? 401 : 403))
        << who.name;
    ExpectNoDraftMarkers(who, dash.body, "/api/redactie/dashboard", false);
  }
  // No history of an item one may not read (working on items of one's
  // werkplaats opens no restricted published version).
  for (const auto& who : WithAdmin(Principals(), *admin_)) {
    for (const auto& item : Items()) {
      if (MayRead(who, item)) continue;
      for (const std::string& target : {"/api/documents/" + item.id + "/revisions",
                                        "/api/documents/" + item.id + "/revisions/1",
                                        "/api/documents/" + item.id + "/diff?from=1&to=1",
                                        "/api/documents/" + item.id + "/steps"}) {
        auto r = Get(target, who);
        EXPECT_EQ(r.status, who.role == "anonymous" ? 401 : 404) << who.name << " " << target;
        ExpectNoForeignMarkers(who, r.body, target);
      }
    }
  }
  // Related items of every readable item, for everyone.
  for (const auto& who : Principals()) {
    for (const auto& id : ReadableIds(who)) {
      auto r = Get("/api/documents/" + id + "/related", who);
      ExpectNoDraftMarkers(who, r.body, "related of " + id, true);
    }
  }
}

}  // namespace
}  // namespace kpo

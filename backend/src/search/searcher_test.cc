// Search behaviour on a real on-disk index built by the real indexer.
#include "search/searcher.h"

#include <gtest/gtest.h>

#include "access/policy.h"
#include "content/glossary.h"
#include "search/glossary_terms.h"
#include "search/index_terms.h"
#include "search/schema.h"
#include "support/test_support.h"

namespace kpo::search {
namespace {

using kpo::testing::Corpus;
using kpo::testing::ItemSpec;

class SearcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new Corpus();
    auto add = [](ItemSpec s) { corpus_->Add(s); };
    add({.id = "titel-bibob",
         .title = "Bibob-toets voor horeca",
         .published = "2021-01-01",
         .body = "Over vergunningen."});
    add({.id = "body-bibob",
         .title = "Vergunningen in het algemeen",
         .published = "2023-01-01",
         .body = "Soms is een bibob toets nodig, maar meestal gaat het over andere dingen."});
    add({.id = "cursus-een",
         .title = "Een cursus voor analisten",
         .type = "cursus",
         .themes = {"ondermijningsbeeld"},
         .published = "2024-05-01",
         .body = "Leer analyseren."});
    add({.id = "hennep",
         .title = "Opruimen van hennepkwekerijen",
         .themes = {"drugs"},
         .body = "Bij het ruimen van een kwekerij komt veel kijken. Drugslaboratoria ook."});
    add({.id = "wwft-meld",
         .title = "Melden onder de Wwft",
         .themes = {"witwassen"},
         .body = "Ongebruikelijke transacties melden bij de FIU."});
    add({.id = "cafe",
         .title = "Het café op de hoek",
         .themes = {"bibob"},
         .body = "Het Café in het dorp. Geïnd bedrag."});
    add({.id = "pps",
         .title = "Samenwerken met bedrijven",
         .themes = {"pps"},
         .body = "Publiek-private samenwerking tussen overheid en bedrijfsleven."});
    add({.id = "geheim",
         .title = "Geheim fenomeenbeeld zwartkraai",
         .access = "restricted",
         .groups = {"politie"},
         .themes = {"omg"},
         .body = "Alleen voor politie: zwartkraai."});
    add({.id = "leden",
         .title = "Ledenstuk over bibob",
         .access = "members",
         .body = "Voor leden."});
    add({.id = "integriteit",
         .title = "Integriteit van bestuurders",
         .themes = {"integriteit"},
         .body = "Integriteit is belangrijk voor ondermijning."});
    IndexAndLoadGlossary();
  }
  // Indexes corpus_ and loads the real glossary: the end of every suite's setup.
  static void IndexAndLoadGlossary() {
    auto errors = corpus_->Index();
    ASSERT_TRUE(errors.empty()) << errors[0];
    auto g = search::LoadGlossary(kpo::testing::SourceDir() + "/content/glossary.yaml");
    ASSERT_TRUE(g.ok());
    glossary_ = new content::Glossary(*g);
  }
  static void TearDownTestSuite() {
    delete corpus_;
    delete glossary_;
  }
  void SetUp() override {
    auto lexicon = Lexicon::Load("/usr/share/dict/dutch");
    ASSERT_TRUE(lexicon.ok()) << "wdutch (/usr/share/dict/dutch) is required";
    auto s = Searcher::Open(corpus_->data_dir() + "/index", *lexicon);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    searcher_ = std::move(*s);
  }
  SearchResult Find(const std::string& q, Principal who = Principal::Anonymous(),
                    std::map<std::string, std::vector<std::string>> filters = {}) {
    SearchRequest req;
    req.q = q;
    req.filters = std::move(filters);
    req.size = 50;
    auto r = searcher_->Search(req, access::PrincipalKeys(who), *glossary_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SearchResult();
  }
  static bool Has(const SearchResult& r, const std::string& id) {
    return std::find(r.ids.begin(), r.ids.end(), id) != r.ids.end();
  }
  static Corpus* corpus_;
  static content::Glossary* glossary_;
  std::unique_ptr<Searcher> searcher_;
};
Corpus* SearcherTest::corpus_ = nullptr;
content::Glossary* SearcherTest::glossary_ = nullptr;

TEST_F(SearcherTest, TitleMatchOutranksBodyMention) {
  auto r = Find("bibob");
  ASSERT_GE(r.ids.size(), 2u);
  EXPECT_EQ(r.ids[0], "titel-bibob");
  EXPECT_TRUE(Has(r, "body-bibob"));
}

TEST_F(SearcherTest, StemmingFindsSingularFromPlural) {
  EXPECT_TRUE(Has(Find("cursussen"), "cursus-een"));
  EXPECT_TRUE(Has(Find("transactie"), "wwft-meld"));
}

TEST_F(SearcherTest, CompoundPartsAreFound) {
  EXPECT_TRUE(Has(Find("hennep"), "hennep"));
  EXPECT_TRUE(Has(Find("laboratorium"), "hennep"));
  EXPECT_TRUE(Has(Find("kwekerijen"), "hennep"));
}

TEST_F(SearcherTest, GlossaryExpandsBothWays) {
  EXPECT_TRUE(
      Has(Find("wet ter voorkoming van witwassen en financieren van terrorisme"), "wwft-meld"));
  EXPECT_TRUE(Has(Find("drugslab"), "hennep"));
}

TEST_F(SearcherTest, FunctionWordsOfAGlossaryPhraseAreNotMarked) {
  // "bibob" also means "wet bevordering integriteitsbeoordelingen door het
  // openbaar bestuur": its content words are marked, "door" and "het" are not
  // (they would be marked wherever they stand in a snippet).
  const auto& terms = Find("bibob").highlight.terms;
  EXPECT_EQ(terms.count("integriteitsbeoordelingen"), 1u);
  EXPECT_EQ(terms.count("openbaar"), 1u);
  EXPECT_EQ(terms.count("het"), 0u);
  EXPECT_EQ(terms.count("door"), 0u);
}

TEST_F(SearcherTest, AccentsFoldEverywhereIncludingPhrases) {
  EXPECT_TRUE(Has(Find("cafe"), "cafe"));
  EXPECT_TRUE(Has(Find("\"het cafe\""), "cafe"));
  EXPECT_TRUE(Has(Find("geind"), "cafe"));
  EXPECT_TRUE(Has(Find("geïnd"), "cafe"));
}

TEST_F(SearcherTest, PhraseExclusionOrPrefix) {
  auto phrase = Find("\"publiek-private samenwerking\"");
  EXPECT_TRUE(Has(phrase, "pps"));
  EXPECT_EQ(phrase.total, 1u);
  EXPECT_FALSE(Has(Find("bibob -horeca"), "titel-bibob"));
  EXPECT_TRUE(Has(Find("bibob -horeca"), "body-bibob"));
  auto either = Find("hennepkwekerijen OR integriteit");
  EXPECT_TRUE(Has(either, "hennep"));
  EXPECT_TRUE(Has(either, "integriteit"));
  EXPECT_TRUE(Has(Find("integrit*"), "integriteit"));
}

TEST_F(SearcherTest, TypoIsCorrectedAndSearched) {
  auto r = Find("integritijt");
  EXPECT_EQ(r.suggestion, "integriteit");
  EXPECT_TRUE(r.corrected);
  EXPECT_TRUE(Has(r, "integriteit"));
}

TEST_F(SearcherTest, OnlyOperatorsIsAnError) {
  SearchRequest req;
  req.q = "OR - \"\"";
  auto r = searcher_->Search(req, {"public"}, *glossary_);
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidSearchQ);
}

TEST_F(SearcherTest, EmptyQueryListsNewestFirstWithExactFacets) {
  auto r = Find("");
  EXPECT_EQ(r.total, 8u);  // public items only
  EXPECT_EQ(r.ids[0], "cursus-een");
  EXPECT_EQ(r.facets["type"]["cursus"], 1u);
  EXPECT_EQ(r.facets["type"]["handreiking"], 7u);
  EXPECT_EQ(r.facets["theme"]["bibob"], 3u);
  EXPECT_EQ(r.facets["theme"].count("omg"), 0u);  // only in a restricted item
}

TEST_F(SearcherTest, FacetSelectionKeepsOwnFacetCountsAndFilters) {
  auto r = Find("", Principal::Anonymous(), {{"theme", {"drugs", "pps"}}});
  EXPECT_EQ(r.total, 2u);
  EXPECT_EQ(r.facets["theme"]["bibob"], 3u);  // still choosable
  EXPECT_EQ(r.facets["type"]["handreiking"], 2u);
  auto both = Find("", Principal::Anonymous(), {{"theme", {"drugs"}}, {"type", {"cursus"}}});
  EXPECT_EQ(both.total, 0u);
}

TEST_F(SearcherTest, RestrictedItemsStayInvisibleToOthers) {
  EXPECT_EQ(Find("zwartkraai").total, 0u);
  EXPECT_TRUE(Find("zwartkraai").suggestion.empty());
  Principal gemeente;
  gemeente.role = Role::kMember;
  gemeente.groups = {"gemeenten"};
  EXPECT_EQ(Find("zwartkraai", gemeente).total, 0u);
  EXPECT_TRUE(Has(Find("ledenstuk", gemeente), "leden"));
  EXPECT_FALSE(Has(Find("ledenstuk"), "leden"));
  Principal agent;
  agent.role = Role::kMember;
  agent.groups = {"politie"};
  EXPECT_TRUE(Has(Find("zwartkraai", agent), "geheim"));
  // Spelling data of restricted items does not leak into suggestions.
  EXPECT_TRUE(Find("zwartkraaj").suggestion.empty());
  EXPECT_EQ(Find("zwartkraaj", agent).suggestion, "zwartkraai");
}

// Query rules ask whether a word exists and what a prefix expands to (a
// rule acting on a word's absence would otherwise behave differently when
// only an unreadable item holds the word): over the caller's items only.
TEST_F(SearcherTest, WordsOnlyUnreadableItemsHoldDoNotExistForTheCaller) {
  Xapian::Database db(corpus_->data_dir() + "/index/" + schema::kMainDir);
  MatchSets sets;
  auto readable_by = [&](const Principal& who) {
    DocSet set = *sets.Evaluate(db, AccessFilter(access::PrincipalKeys(who)));
    set &= sets.Revision(db)->all;
    return set;
  };
  Principal agent;
  agent.role = Role::kMember;
  agent.groups = {"politie"};
  const DocSet anonymous = readable_by(Principal::Anonymous());
  const DocSet police = readable_by(agent);
  IndexTerms everything(db, &sets);
  IndexTerms for_anonymous(db, &sets, &anonymous);
  IndexTerms for_police(db, &sets, &police);
  EXPECT_TRUE(everything.Exists("zwartkraai"));
  EXPECT_FALSE(for_anonymous.Exists("zwartkraai"));
  EXPECT_TRUE(for_police.Exists("zwartkraai"));
  EXPECT_TRUE(for_anonymous.Exists("bibob"));
  const auto has = [](const std::vector<std::string>& v, const std::string& w) {
    return std::find(v.begin(), v.end(), w) != v.end();
  };
  EXPECT_TRUE(has(everything.Expand("zwart", 10), "zwartkraai"));
  EXPECT_FALSE(has(for_anonymous.Expand("zwart", 10), "zwartkraai"));
  EXPECT_TRUE(has(for_police.Expand("zwart", 10), "zwartkraai"));
  // The limit counts readable words: the readable expansions of a prefix
  // are the same with or without unreadable ones beside them.
  EXPECT_EQ(for_anonymous.Expand("b", 1).size(), 1u);
}

TEST_F(SearcherTest, SuggestCompletesFromReadableItemsOnly) {
  std::vector<Completion> completions;
  std::vector<std::string> titles;
  ASSERT_TRUE(searcher_->Suggest("zwartk", {"public"}, 5, &completions, &titles).ok());
  EXPECT_TRUE(completions.empty());
  EXPECT_TRUE(titles.empty());
  ASSERT_TRUE(searcher_->Suggest("integr", {"public"}, 5, &completions, &titles).ok());
  ASSERT_FALSE(completions.empty());
  EXPECT_EQ(completions[0].text, "integriteit");
  EXPECT_EQ(titles, (std::vector<std::string>{"integriteit"}));
}

TEST_F(SearcherTest, RelatedNeverReturnsItselfOrUnreadable) {
  auto r = searcher_->Related("titel-bibob", {"public"}, 5);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::count(r->begin(), r->end(), "titel-bibob"), 0);
  EXPECT_EQ(std::count(r->begin(), r->end(), "leden"), 0);
  EXPECT_EQ(std::count(r->begin(), r->end(), "body-bibob"), 1);
}

TEST_F(SearcherTest, HostileQueriesNeverThrow) {
  for (const std::string& q :
       {std::string(10000, 'a'), std::string("\"unbalanced"), std::string("a OR"),
        std::string("NOT"), std::string("* ** ***"), std::string("-"), std::string("a AND AND b"),
        std::string("((("), std::string("ab*cd*")}) {
    SearchRequest req;
    req.q = q;
    auto r = searcher_->Search(req, {"public"}, *glossary_);
    EXPECT_TRUE(r.ok() || r.status().code() == ErrorCode::kInvalidSearchQ) << q;
  }
}

}  // namespace
}  // namespace kpo::search

namespace kpo::search {
namespace {

// The rules issue 12 measured on real text, each on a corpus made for it.
class RulesTest : public SearcherTest {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new Corpus();
    auto add = [](ItemSpec s) { corpus_->Add(s); };
    // Partial matches: one item has both words, two have one strongly.
    add({.id = "beide", .title = "Watermerk toevoegen", .body = "Zo gaat het."});
    add({.id = "alleen-watermerk",
         .title = "Watermerk voor pagina",
         .body = "Een watermerk op elke pagina."});
    add({.id = "alleen-toevoegen", .title = "Regels", .body = "Iets toevoegen aan de lijst."});
    // A typo that happens to occur: "integritiet" once, "integriteit" in twelve.
    add({.id = "tikfout", .title = "Verslag", .body = "Over integritiet van bestuurders."});
    for (int i = 0; i < 12; ++i) {
      add({.id = "integer-" + std::to_string(i),
           .title = "Stuk " + std::to_string(i),
           .body = "Integriteit van ambtenaren."});
    }
    // A rare word two edits from a frequent one: a word of its own.
    add({.id = "extrusie", .title = "Vormen", .body = "De extrusie van een vorm."});
    for (int i = 0; i < 10; ++i) {
      add({.id = "extensie-" + std::to_string(i),
           .title = "Uitbreiding " + std::to_string(i),
           .body = "Een extensie installeren."});
    }
    // A Dutch word in one item, one edit from a word in twelve ("graag",
    // "vraag"); and one whose frequent neighbour is another form of it
    // ("exponentieel", "exponentiele").
    add({.id = "graag", .title = "Antwoord", .body = "Graag gedaan."});
    add({.id = "exponentieel", .title = "Groei", .body = "Exponentieel verloop."});
    for (int i = 0; i < 12; ++i) {
      const std::string n = std::to_string(i);
      add({.id = "vraag-" + n, .title = "Loket " + n, .body = "Een vraag."});
      add({.id = "exponentiele-" + n, .title = "Lijn " + n, .body = "Een exponentiele curve."});
    }
    // "namen" in one item only the police may read, its stem (through
    // "naam") in five public ones; "samen" one edit away in twelve, beside
    // the function word "maar".
    add({.id = "namen",
         .title = "Lijst",
         .access = "restricted",
         .groups = {"politie"},
         .body = "De namen van de deelnemers."});
    for (int i = 0; i < 5; ++i) {
      add({.id = "naam-" + std::to_string(i),
           .title = "Register " + std::to_string(i),
           .body = "Een naam invullen."});
    }
    for (int i = 0; i < 12; ++i) {
      add({.id = "samen-" + std::to_string(i),
           .title = "Overleg " + std::to_string(i),
           .body = "Samen, maar apart."});
    }
    // Spelling over several access keys: "witwassen" in public items only,
    // "witwas" (a compound part in real texts) in public and police items.
    for (int i = 0; i < 3; ++i) {
      const std::string n = std::to_string(i);
      add({.id = "witwassen-" + n, .title = "Aanpak " + n, .body = "Over witwassen."});
      add({.id = "witwas-politie-" + n,
           .title = "Zaak " + n,
           .access = "restricted",
           .groups = {"politie"},
           .body = "Een witwas constructie."});
    }
    add({.id = "witwas-publiek", .title = "Constructie", .body = "Een witwas constructie."});
    // A word in no item whose verb is in one ("reorganisatie":
    // "reorganiseren"), two edits from a word of ten.
    add({.id = "reorganiseren", .title = "Diagram", .body = "De onderdelen reorganiseren."});
    for (int i = 0; i < 10; ++i) {
      add({.id = "organisatie-" + std::to_string(i),
           .title = "Werkwijze " + std::to_string(i),
           .body = "De organisatie van het werk."});
    }
    // A typo with two words one edit away ("matix": matig, matrix): the
    // frequent one alone, the one that goes with the other words beside them.
    for (int i = 0; i < 8; ++i) {
      add({.id = "matig-" + std::to_string(i),
           .title = "Weer " + std::to_string(i),
           .body = "Het weer is matig."});
    }
    for (int i = 0; i < 2; ++i) {
      add({.id = "matrix-" + std::to_string(i),
           .title = "Rekenen " + std::to_string(i),
           .body = "Een matrix in een formule."});
    }
    // A word of a glossary term ("money transfer organisation") in no
    // item, two edits from a word that goes with the next one.
    for (int i = 0; i < 4; ++i) {
      add({.id = "model-" + std::to_string(i),
           .title = "Schema " + std::to_string(i),
           .body = "Een model voor de transfer van gegevens."});
    }
    // A third close word that would fit better, in items only the police may read.
    for (int i = 0; i < 5; ++i) {
      add({.id = "matex-" + std::to_string(i),
           .title = "Dossier " + std::to_string(i),
           .access = "restricted",
           .groups = {"politie"},
           .body = "Een matex in een formule."});
    }
    // Proximity: the same words next to each other (in another form than
    // typed) on a page, far apart on a shorter one (which wins on BM25
    // alone).
    add({.id = "kaarten-nabij",
         .title = "Spel drie",
         .summary = "Over het spel.",
         .body = "Eerst de kaarten schudden, dan de regels van het spel, en dan."});
    add({.id = "kaarten-ver",
         .title = "Spel twee",
         .summary = "Over het spel.",
         .body = "De kaarten, de regels en dan schudden."});
    // Proximity over pages: twelve items of different lengths, every other
    // one with both words together.
    for (int i = 0; i < 12; ++i) {
      std::string filler;
      for (int k = 0; k < i; ++k) filler += " en meer";
      add({.id = "rooster-" + std::to_string(i),
           .title = "Planning " + std::to_string(i),
           .body = i % 2 == 1 ? "Het rooster plannen" + filler + "."
                              : "Het rooster" + filler + " plannen."});
    }
    // A glossary phrase ("criminele aanwas") with its words apart.
    add({.id = "mto-stuk", .title = "Geldstromen", .body = "Een MTO in de stad."});
    add({.id = "apart",
         .title = "Jongeren",
         .body = "De aanwas van criminele jongeren groeit in de wijk."});
    // Aboutness: a heading names the subject of a longer text; a short
    // text mentions it in passing (and would win on length alone).
    add({.id = "terloops", .title = "Handleiding twee", .body = "Het sorteren komt later."});
    add({.id = "kop",
         .title = "Handleiding",
         .body = "## Sorteren\n\nKies een kolom en een volgorde voor de gegevens in de lijst."});
    // A separable verb: "afdrukken" written "druk ... af".
    add({.id = "scheidbaar", .title = "Stempel", .body = "Druk de stempel op de envelop af."});
    // Close words: "vlookup" in one public item and nine the police may
    // read, "lookup" (one edit away) in three, "hlookup" in two (fewer than
    // twice as many as "lookup"). Each case below has a close word in three
    // items that only its rule keeps out: a Dutch word ("passend":
    // "passen"), a short one ("qwert": "qwerty") and a glossary word
    // ("euriec": "euriek").
    add({.id = "vlookup", .title = "Functies", .body = "De functie vlookup zoekt een waarde."});
    for (int i = 0; i < 9; ++i) {
      add({.id = "vlookup-politie-" + std::to_string(i),
           .title = "Dossier " + std::to_string(i),
           .access = "restricted",
           .groups = {"politie"},
           .body = "Een vlookup in het dossier."});
    }
    for (int i = 0; i < 3; ++i) {
      const std::string n = std::to_string(i);
      add({.id = "lookup-" + n, .title = "Opzoeken " + n, .body = "Met lookup zoekt u."});
      add({.id = "passen-" + n, .title = "Schoenen " + n, .body = "Ze passen goed."});
      add({.id = "qwerty-" + n, .title = "Toetsen " + n, .body = "Een qwerty toetsenbord."});
      add({.id = "euriek-" + n, .title = "Vondst " + n, .body = "Een euriek in de tuin."});
    }
    for (int i = 0; i < 2; ++i) {
      add({.id = "hlookup-" + std::to_string(i),
           .title = "Horizontaal " + std::to_string(i),
           .body = "De functie hlookup."});
    }
    add({.id = "passend", .title = "Antwoord", .body = "Een passend antwoord."});
    add({.id = "qwert", .title = "Toets", .body = "Het woord qwert."});
    // A typo that occurs once, one edit from a word in six items (below the
    // 10x of Xapian's suggestion, above the 5x of a close word).
    add({.id = "draaitabbel", .title = "Overzicht", .body = "Een draaitabbel van de cijfers."});
    for (int i = 0; i < 6; ++i) {
      add({.id = "draaitabel-" + std::to_string(i),
           .title = "Tabel " + std::to_string(i),
           .body = "Een draaitabel van de cijfers."});
    }
    // Issue 12, fourth part (rules of query.cc): a compound the text writes
    // as one word ("tekstvak", a part under 4 letters), typed apart; a
    // separable verb whose particle is a preposition ("slaat ... op").
    add({.id = "samengesteld", .title = "Dia's", .body = "Teken een tekstvak op de dia."});
    add({.id = "alleen-tekst", .title = "Opmaak", .body = "Tekst en nog eens tekst."});
    add({.id = "slaat-op", .title = "Exporteren", .body = "Slaat het bestand op als PDF."});
    add({.id = "alleen-pdf", .title = "PDF-opties", .body = "Instellingen voor PDF."});
    // Past participles (query.cc): the texts name the verb.
    add({.id = "spiegelen", .title = "Spiegelen", .body = "Een afbeelding spiegelen."});
    add({.id = "alleen-afbeelding", .title = "Afbeelding", .body = "Een afbeelding kiezen."});
    add({.id = "invoegen", .title = "Rijen invoegen", .body = "Voeg een rij in boven de cel."});
    add({.id = "herhalen", .title = "Koppen herhalen", .body = "Op elke pagina."});
    add({.id = "afronden", .title = "Getallen afronden", .body = "Op twee decimalen."});
    add({.id = "centreren", .title = "Alinea centreren", .body = "In het midden op de regel."});
    // Strong past participles (query.cc): the verb's vowel differs.
    add({.id = "verbergen", .title = "Alinea verbergen", .body = "Maak haar onzichtbaar."});
    add({.id = "sluiten", .title = "Pand sluiten", .body = "De burgemeester beslist."});
    add({.id = "schrijven", .title = "Rechts naar links schrijven", .body = "Arabisch."});
    add({.id = "vallen", .title = "Vallen", .body = "Laat een object vallen."});
    // A verb in -eren and its noun in -atie: the texts name one of them.
    add({.id = "validatie", .title = "Validatie", .body = "Regels voor de invoer in cellen."});
    add({.id = "animeren", .title = "Objecten animeren", .body = "Laat een vorm bewegen."});
    // One word typed: two items alike but for the form of the word.
    add({.id = "limiet", .title = "Limiet", .body = "Stelt de grenzen van de formule in."});
    add({.id = "limieten", .title = "Limieten", .body = "Stelt de grenzen van de formule in."});
    // Title coverage (title_match.h): a long page titled by the word alone
    // against a short one that names it in a longer title and mentions it
    // more often for its length (and wins on BM25 alone).
    std::string long_body = "De Navigator toont het document. ";
    for (int i = 0; i < 10; ++i) long_body += "Kies een onderdeel en bekijk de lijst. ";
    add({.id = "navigator-pagina", .title = "Navigator", .body = long_body});
    add({.id = "navigator-terloops",
         .title = "Hyperlinks invoegen met de Navigator",
         .body = "Sleep uit de Navigator. De Navigator blijft open."});
    // Coordination (query.cc): a page that repeats one word of a three-word
    // task against one that has all three once.
    std::string one_word_body;
    for (int i = 0; i < 12; ++i) one_word_body += "Een sjabloon. ";
    add({.id = "coord-een", .title = "Sjabloon", .body = one_word_body});
    add({.id = "coord-alle", .title = "Overzicht", .body = "Een sjabloon met een kader en marge."});
    // A diminutive typed where the text has the base word.
    add({.id = "hoeken", .title = "Afgeronde hoeken", .body = "Een rechthoek met ronde hoeken."});
    // Words that only look like participles: gemeente (menen), gebied (bieden).
    add({.id = "gemeente", .title = "Gemeente", .body = "Het gebied van de gemeente."});
    add({.id = "menen", .title = "Menen", .body = "Wat wij menen en bieden."});
    IndexAndLoadGlossary();
  }
  static size_t Rank(const SearchResult& r, const std::string& id) {
    return static_cast<size_t>(std::find(r.ids.begin(), r.ids.end(), id) - r.ids.begin());
  }
};

TEST_F(RulesTest, FewFullMatchesContinueWithPartialOnesBelowThem) {
  auto r = Find("watermerk toevoegen");
  ASSERT_EQ(r.ids.size(), 3u);
  EXPECT_EQ(r.ids[0], "beide");
  EXPECT_FALSE(r.partial[0]);
  EXPECT_EQ(r.ids[1], "alleen-watermerk");  // one word, strongly
  EXPECT_TRUE(r.partial[1]);
  EXPECT_TRUE(r.partial[2]);
  EXPECT_EQ(r.total, 3u);
  EXPECT_EQ(r.full, 1u);
  EXPECT_TRUE(r.relaxed);
}

TEST_F(RulesTest, RareTypoThatOccursIsCorrectedTowardsAFarMoreFrequentWord) {
  auto r = Find("integritiet");
  EXPECT_EQ(r.suggestion, "integriteit");
  EXPECT_TRUE(r.corrected);  // 1 full match; the correction has 12
  EXPECT_GE(r.total, 12u);
  // A word in many items is meant as typed.
  EXPECT_EQ(Find("integriteit").suggestion, "");
}

TEST_F(RulesTest, RareWordTwoEditsFromAFrequentOneIsNotCorrected) {
  auto r = Find("extrusie");
  EXPECT_FALSE(r.corrected);
  EXPECT_EQ(r.suggestion, "");
  ASSERT_EQ(r.ids.size(), 1u);
  EXPECT_EQ(r.ids[0], "extrusie");
}

TEST_F(RulesTest, WordOfAGlossaryTermIsNeverCorrected) {
  // Part of "money transfer organisation": jargon, not a typo of "model"
  // (the portal offered "Bedoelde u model transfer?").
  auto r = Find("money transfer");
  EXPECT_FALSE(r.corrected);
  EXPECT_EQ(r.suggestion, "");
}

TEST_F(RulesTest, RareDutchWordIsNotCorrectedTowardsAnotherWord) {
  // "graag" is spelt right: a frequent word one edit away is no correction.
  auto r = Find("graag");
  EXPECT_FALSE(r.corrected);
  EXPECT_EQ(r.suggestion, "");
  ASSERT_EQ(r.ids.size(), 1u);
  EXPECT_EQ(r.ids[0], "graag");
  // Towards another form of itself (its ending) it still is.
  auto form = Find("exponentieel");
  EXPECT_EQ(form.suggestion, "exponentiele");
  EXPECT_TRUE(form.corrected);
  // A word wdutch does not list is a typo as before ("integritiet", above).
}

TEST_F(RulesTest, WordFoundThroughItsStemIsNotCorrected) {
  // In no item a visitor may read as typed, in five through "naam": a word,
  // not a typo of "samen".
  auto r = Find("namen");
  EXPECT_FALSE(r.corrected);
  EXPECT_EQ(r.suggestion, "");
  EXPECT_EQ(r.total, 5u);
}

TEST_F(RulesTest, AFunctionWordIsNeverTheCorrection) {
  // In no item, one edit from "maar" (twelve items): no suggestion at all.
  auto r = Find("maart");
  EXPECT_FALSE(r.corrected);
  EXPECT_EQ(r.suggestion, "");
}

TEST_F(RulesTest, TypoIsCorrectedAlikeForEveryCallerWhoReadsTheWord) {
  // One edit from "witwassen", two from "witwas": the closer word wins for a
  // member of the police too, whose spelling data spans several keys (Xapian
  // asked over them at once offered "witwas").
  EXPECT_EQ(Find("witwassn").suggestion, "witwassen");
  Principal agent;
  agent.role = Role::kMember;
  agent.groups = {"politie"};
  auto r = Find("witwassn", agent);
  EXPECT_EQ(r.suggestion, "witwassen");
  EXPECT_TRUE(r.corrected);
}

TEST_F(RulesTest, WordFoundThroughAnotherFormIsNotCorrected) {
  // Typed as no item has it, but the search reads it as "reorganiseren":
  // a word, not a typo of "organisatie".
  auto r = Find("reorganisatie");
  EXPECT_FALSE(r.corrected);
  EXPECT_EQ(r.suggestion, "");
  ASSERT_EQ(r.ids.size(), 1u);
  EXPECT_EQ(r.ids[0], "reorganiseren");
}

TEST_F(RulesTest, WordsNearEachOtherRankFirst) {
  auto r = Find("kaart schudden");
  ASSERT_EQ(r.ids.size(), 2u);
  EXPECT_EQ(r.ids[0], "kaarten-nabij");
  EXPECT_FALSE(r.partial[1]);  // both match every word; only their distance differs
}

TEST_F(RulesTest, PagesStaySlicesOfOneOrderWithProximity) {
  // Only the top of a ranking is reranked by proximity: the same block
  // whatever page is asked, so pages neither repeat nor skip an item.
  const auto whole = Find("rooster plannen");
  ASSERT_EQ(whole.ids.size(), 12u);
  // Reranked: a longer item with the words together above a shorter one.
  EXPECT_LT(Rank(whole, "rooster-3"), Rank(whole, "rooster-2"));
  std::vector<std::string> paged;
  for (int page = 1; page <= 3; ++page) {
    SearchRequest req;
    req.q = "rooster plannen";
    req.page = page;
    req.size = 5;
    auto r = searcher_->Search(req, access::PrincipalKeys(Principal::Anonymous()), *glossary_);
    ASSERT_TRUE(r.ok());
    paged.insert(paged.end(), r->ids.begin(), r->ids.end());
  }
  EXPECT_EQ(paged, whole.ids);
}

TEST_F(RulesTest, ProximityReadsTheFirstEightPairsOnly) {
  auto lexicon = Lexicon::Load("/usr/share/dict/dutch");
  ASSERT_TRUE(lexicon.ok());
  Analyzer analyzer(*lexicon);
  Xapian::Database db(corpus_->data_dir() + "/index/" + schema::kMainDir);
  MatchSets sets;
  IndexTerms terms(db, &sets);
  auto near_pairs = [&](const std::string& q) {
    return BuildQuery(ParseQuery(q), &analyzer, *glossary_, &terms).near.size();
  };
  EXPECT_EQ(near_pairs("kaart schudden"), 1u);
  EXPECT_EQ(near_pairs("kaart de schudden"), 1u);  // a stop word between
  EXPECT_EQ(near_pairs("rooster plannen kaart schudden watermerk pagina regels lijst spel "
                       "werk cijfers vorm stad wijk jongeren stempel envelop"),
            kMaxNearPairs);
}

TEST_F(RulesTest, TypoNextToACommonWordIsSearchedCorrected) {
  // "ambtenaren" matches 12 items alone, but nothing matches both words.
  auto r = Find("integritiet ambtenaren");
  EXPECT_TRUE(r.corrected);
  EXPECT_EQ(r.full, 12u);
}

TEST_F(RulesTest, GlossaryPhraseKeepsThePlainReadingOfItsWords) {
  // "criminele aanwas" = "jonge aanwas" in the glossary; the words apart still count.
  EXPECT_LT(Rank(Find("criminele aanwas"), "apart"), 10u);
}

TEST_F(RulesTest, GlossaryTermIsFoundByItsStem) {
  // The glossary has "geldtransferkantoor" (singular) beside "mto"; the
  // plural finds the MTO item through it, whose text never says
  // "geldtransferkanto(o)r(en)".
  EXPECT_TRUE(Has(Find("geldtransferkantoren"), "mto-stuk"));
  EXPECT_TRUE(Has(Find("geldtransferkantoor"), "mto-stuk"));
}

TEST_F(RulesTest, SeparableVerbMatchesItsPartsApart) {
  auto r = Find("envelop afdrukken");
  ASSERT_FALSE(r.ids.empty());
  EXPECT_EQ(r.ids[0], "scheidbaar");
  EXPECT_FALSE(r.partial[0]);  // both words matched: "druk ... af"
}

TEST_F(RulesTest, RareTypoIsCorrectedTowardsAWordOneEditAway) {
  auto r = Find("draaitabbel");
  EXPECT_EQ(r.suggestion, "draaitabel");
  EXPECT_TRUE(r.corrected);
  EXPECT_EQ(r.full, 6u);
  // A form of the same word is no typo: "draaitabels" would stem alike.
  EXPECT_EQ(Find("draaitabel").suggestion, "");
}

TEST_F(RulesTest, TypoIsCorrectedTowardsTheWordThatGoesWithTheOthers) {
  EXPECT_EQ(Find("matix").suggestion, "matig");  // alone: the more frequent
  auto r = Find("matix formule");
  EXPECT_EQ(r.suggestion, "matrix formule");
  EXPECT_TRUE(r.corrected);
  ASSERT_FALSE(r.ids.empty());
  EXPECT_EQ(r.ids[0].rfind("matrix-", 0), 0u);
  // Only words of items the caller may read compete.
  Principal agent;
  agent.role = Role::kMember;
  agent.groups = {"politie"};
  EXPECT_EQ(Find("matix formule", agent).suggestion, "matex formule");
}

TEST_F(RulesTest, RareWordAlsoFindsItsCloseWords) {
  // Neither corrected (too few items hold "lookup") nor alone: the word as
  // typed first, then the items of the words one edit away ("lookup" in
  // three, "hlookup" in two: both at least twice one).
  auto r = Find("vlookup");
  EXPECT_FALSE(r.corrected);
  ASSERT_EQ(r.total, 6u);
  EXPECT_EQ(r.ids[0], "vlookup");
  EXPECT_EQ(r.full, 6u);
  EXPECT_EQ(r.also_searched, (std::vector<std::string>{"hlookup", "lookup"}));
  // Rare for the caller: the police read "vlookup" in ten items, so for
  // them it is no rare word. A count over every item would make it so for
  // anonymous callers too (1 result instead of 6).
  Principal agent;
  agent.role = Role::kMember;
  agent.groups = {"politie"};
  EXPECT_EQ(Find("vlookup", agent).total, 10u);
  // A close word in fewer items than twice the typed word's is not added.
  EXPECT_EQ(Find("hlookup").total, 2u);
  EXPECT_EQ(Find("lookup").total, 3u);
  // Not for a Dutch word, a word under six letters or jargon.
  EXPECT_EQ(Find("passend").total, 1u);
  EXPECT_TRUE(Find("passend").also_searched.empty());
  EXPECT_EQ(Find("qwert").total, 1u);
  EXPECT_FALSE(Has(Find("euriec"), "euriek-0"));
  // An excluded word excludes only itself, not its close words.
  EXPECT_EQ(Find("-vlookup lookup").total, 3u);
  // Spelling off: the words as typed only.
  SearchRequest typed;
  typed.q = "vlookup";
  typed.correct_spelling = false;
  auto exact = searcher_->Search(typed, access::PrincipalKeys(Principal::Anonymous()), *glossary_);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->total, 1u);
  EXPECT_TRUE(exact->also_searched.empty());
}

TEST_F(RulesTest, CloseWordsDoNotKeepATypoFromItsCorrection) {
  // "integritiet" (1 item) has "integriteit" (12) as a close word: searched
  // with it, 13 items would match in full and the correction (12) would not
  // be searched. Close words come only after that decision.
  auto r = Find("integritiet");
  EXPECT_TRUE(r.corrected);
  EXPECT_EQ(r.suggestion, "integriteit");
}

TEST_F(RulesTest, HeadingOutranksAPassingMention) {
  auto r = Find("sorteren");
  ASSERT_EQ(r.ids.size(), 2u);
  EXPECT_EQ(r.ids[0], "kop");
}

TEST_F(RulesTest, WordsTypedApartFindTheirCompound) {
  auto r = Find("tekst vak");
  ASSERT_FALSE(r.ids.empty());
  EXPECT_EQ(r.ids[0], "samengesteld");
  EXPECT_FALSE(r.partial[0]);  // "tekstvak" counts for both words
  EXPECT_EQ(r.full, 1u);
}

TEST_F(RulesTest, SeparableVerbWithAPrepositionParticle) {
  auto r = Find("opslaan pdf");
  ASSERT_FALSE(r.ids.empty());
  EXPECT_EQ(r.ids[0], "slaat-op");
  EXPECT_FALSE(r.partial[0]);  // "slaat ... op": both words matched
  EXPECT_EQ(r.full, 1u);
}

TEST_F(RulesTest, PastParticipleFindsTheVerb) {
  auto r = Find("gespiegelde afbeelding");
  ASSERT_FALSE(r.ids.empty());
  EXPECT_EQ(r.ids[0], "spiegelen");
  EXPECT_FALSE(r.partial[0]);  // both words: "gespiegelde" through "spiegelen"
  EXPECT_EQ(r.full, 1u);
  // With a separable particle: "ingevoegde" -> "invoegen".
  EXPECT_TRUE(Has(Find("ingevoegde rij"), "invoegen"));
  EXPECT_EQ(Find("ingevoegde rij").full, 1u);
  // An unstressed prefix takes no "ge-": "herhaalde" -> "herhalen".
  EXPECT_EQ(Find("herhaalde koppen").full, 1u);
  // The root's own d stays: "afgeronde" -> "afronden", not "afronen".
  EXPECT_EQ(Find("afgeronde getallen").full, 1u);
  // The bare participle too, when its adjective form is a word.
  auto bare = Find("alinea gecentreerd");
  ASSERT_FALSE(bare.ids.empty());
  EXPECT_EQ(bare.ids[0], "centreren");
  EXPECT_EQ(bare.full, 1u);
}

TEST_F(RulesTest, StrongPastParticipleFindsTheVerb) {
  // The participle's vowel is the verb's, changed: o after e, ui; e after ij.
  // Each found as typed, not as a spelling correction.
  auto r = Find("verborgen alinea");
  ASSERT_FALSE(r.ids.empty());
  EXPECT_EQ(r.ids[0], "verbergen");
  EXPECT_EQ(r.full, 1u);  // both words: "verborgen" through "verbergen"
  EXPECT_FALSE(r.corrected);
  r = Find("gesloten pand");
  EXPECT_EQ(r.full, 1u);
  EXPECT_FALSE(r.corrected);
  r = Find("van rechts naar links geschreven");
  EXPECT_EQ(r.full, 1u);
  EXPECT_FALSE(r.corrected);
  // A plural noun is no participle: "gevallen" are cases ("geval"), not "vallen".
  EXPECT_FALSE(Has(Find("gevallen"), "vallen"));
}

TEST_F(RulesTest, OneWordRanksItsTypedFormFirst) {
  // Without the rule the two tie and the same item comes first for both.
  auto r = Find("limieten");
  ASSERT_EQ(r.ids.size(), 2u);
  EXPECT_EQ(r.ids[0], "limieten");
  r = Find("limiet");
  ASSERT_EQ(r.ids.size(), 2u);
  EXPECT_EQ(r.ids[0], "limiet");
}

TEST_F(RulesTest, PageTitledByTheWordOutranksALongerTitleThatNamesIt) {
  auto r = Find("navigator");
  ASSERT_EQ(r.ids.size(), 2u);
  EXPECT_EQ(r.ids[0], "navigator-pagina");
  // Beside another word the title weighs as BM25 has it: the page that
  // names both ranks first.
  r = Find("navigator hyperlinks");
  ASSERT_FALSE(r.ids.empty());
  EXPECT_EQ(r.ids[0], "navigator-terloops");
}

TEST_F(RulesTest, MoreWordsOfALongerQueryRankFirst) {
  auto r = Find("sjabloon kader marge");
  ASSERT_GE(r.ids.size(), 2u);
  EXPECT_EQ(r.ids[0], "coord-alle");
  EXPECT_EQ(r.ids[1], "coord-een");
}

TEST_F(RulesTest, DiminutiveFindsItsBaseWord) {
  auto r = Find("hoekjes");
  EXPECT_TRUE(Has(r, "hoeken"));
  EXPECT_FALSE(r.corrected);  // found as typed, not as a spelling correction
  EXPECT_EQ(Find("afgeronde hoekjes").full, 1u);
}

TEST_F(RulesTest, VerbInErenAndNounInAtieFindEachOther) {
  EXPECT_TRUE(Has(Find("valideren"), "validatie"));
  EXPECT_TRUE(Has(Find("animatie"), "animeren"));
  // Through the participle's verb: "gevalideerde" -> valideren -> validatie.
  auto r = Find("gevalideerde cellen");
  ASSERT_FALSE(r.ids.empty());
  EXPECT_EQ(r.ids[0], "validatie");
  EXPECT_EQ(r.full, 1u);
}

TEST_F(RulesTest, WordsThatOnlyLookLikeParticiplesStayAsTyped) {
  // "gemeent" is no word, so "gemeente" is no participle of "menen"; a
  // bare "gebied" is not read as a participle of "bieden".
  EXPECT_FALSE(Has(Find("gemeente"), "menen"));
  EXPECT_FALSE(Has(Find("gebied"), "menen"));
  EXPECT_TRUE(Has(Find("gebied"), "gemeente"));
}

}  // namespace
}  // namespace kpo::search

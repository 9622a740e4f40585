// The query builder's rules for words the index does not hold (issue 12,
// fifth part), on a real index built by the real indexer, with the real
// thesaurus (FreeDict, search/thesaurus.h).
#include "search/query.h"

#include <gtest/gtest.h>

#include "access/policy.h"
#include "search/glossary_terms.h"
#include "search/searcher.h"
#include "support/test_support.h"

namespace kpo::search {
namespace {

using kpo::testing::Corpus;
using kpo::testing::ItemSpec;

class UnknownWordsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new Corpus();
    auto add = [](ItemSpec s) { corpus_->Add(s); };
    // The text writes "doorhalen"; a user types "doorstrepen".
    add({.id = "doorhalen", .title = "Teksteffecten", .body = "Tekst doorhalen met een lijn."});
    add({.id = "andere-tekst", .title = "Alinea", .body = "Tekst in een alinea."});
    add({.id = "schrappen", .title = "Regels", .body = "Een regel schrappen."});
    // "afdrukbereik" for "printbereik": a part replaced by its translation.
    add({.id = "afdrukbereik", .title = "Bereiken", .body = "Een afdrukbereik definieren."});
    add({.id = "alleen-bereik", .title = "Gegevens", .body = "Het bereik van cellen."});
    // "pilot" is in the index: "pivot" reads as its typo, not as "draaien".
    add({.id = "pilot", .title = "Gegevens", .body = "De pilot van een tabel."});
    add({.id = "draaien", .title = "Vormen", .body = "Een vorm draaien in een tabel."});
    auto errors = corpus_->Index();
    ASSERT_TRUE(errors.empty()) << errors[0];
    auto g = LoadGlossary(kpo::testing::SourceDir() + "/content/glossary.yaml");
    ASSERT_TRUE(g.ok());
    glossary_ = new content::Glossary(*g);
  }
  static void TearDownTestSuite() {
    delete corpus_;
    delete glossary_;
  }
  void SetUp() override {
    ASSERT_GT(Thesaurus::Default().size(), 0u) << "FreeDict (/usr/share/dictd) is required";
    auto lexicon = Lexicon::Load("/usr/share/dict/dutch");
    ASSERT_TRUE(lexicon.ok()) << "wdutch (/usr/share/dict/dutch) is required";
    auto s = Searcher::Open(corpus_->data_dir() + "/index", *lexicon);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    searcher_ = std::move(*s);
  }
  std::vector<std::string> Find(const std::string& q) {
    SearchRequest req;
    req.q = q;
    req.size = 50;
    req.correct_spelling = false;
    auto r = searcher_->Search(req, access::PrincipalKeys(Principal::Anonymous()), *glossary_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->ids : std::vector<std::string>();
  }
  static Corpus* corpus_;
  static content::Glossary* glossary_;
  std::unique_ptr<Searcher> searcher_;
};
Corpus* UnknownWordsTest::corpus_ = nullptr;
content::Glossary* UnknownWordsTest::glossary_ = nullptr;

TEST_F(UnknownWordsTest, WordTheIndexLacksMatchesItsThesaurusWords) {
  auto ids = Find("tekst doorstrepen");
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids[0], "doorhalen");  // both words, one through the thesaurus
  ids = Find("doorstrepen");
  EXPECT_NE(std::find(ids.begin(), ids.end(), "doorhalen"), ids.end());
}

TEST_F(UnknownWordsTest, CompoundPartIsReplacedByItsTranslation) {
  auto ids = Find("printbereik");
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids[0], "afdrukbereik");
}

TEST_F(UnknownWordsTest, WordOneEditFromAnIndexWordIsNoTranslation) {
  // "pivot" is one edit from "pilot": a typo, so no "draaien" (eng-nld's
  // first sense of pivot).
  auto ids = Find("pivot");
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "draaien"), ids.end());
}

TEST_F(UnknownWordsTest, WordTheIndexHoldsIsNotTranslated) {
  // "doorhalen" is in the index: its thesaurus word "schrappen" adds nothing.
  EXPECT_EQ(Find("doorhalen"), std::vector<std::string>{"doorhalen"});
}

}  // namespace
}  // namespace kpo::search

// The query builder's rules for words the index does not hold (issue 12,
// fifth part), on a real index built by the real indexer, with the real
// thesaurus (FreeDict, search/thesaurus.h).
#include "search/query.h"

#include <gtest/gtest.h>

#include "access/policy.h"
#include "search/glossary_terms.h"
#include "search/searcher.h"
#include "search/thesaurus.h"
#include "support/test_support.h"

namespace kpo::search {
namespace {

// Items that write other words than a user types, indexed once for the
// suite; searched anonymously without spelling correction.
struct Texts {
  Texts() {
    auto add = [this](const std::string& id, const std::string& body) {
      corpus.Add({.id = id, .title = "Hulp", .body = body});
    };
    add("doorhalen", "Tekst doorhalen met een lijn.");  // typed: "doorstrepen"
    add("andere-tekst", "Tekst in een alinea.");
    add("schrappen", "Een regel schrappen.");
    add("afdrukbereik", "Een afdrukbereik definieren.");  // typed: "printbereik"
    add("alleen-bereik", "Het bereik van cellen.");
    // "pilot" is in the index: "pivot" reads as its typo, not as "draaien".
    add("pilot", "De pilot van een tabel.");
    add("draaien", "Een vorm draaien in een tabel.");
    errors = corpus.Index();
  }
  kpo::testing::Corpus corpus;
  std::vector<std::string> errors;
};

class UnknownWordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static const Texts texts;
    ASSERT_TRUE(texts.errors.empty()) << texts.errors[0];
    ASSERT_GT(Thesaurus::Default().size(), 0u) << "FreeDict (/usr/share/dictd) is required";
    auto g = LoadGlossary(kpo::testing::SourceDir() + "/content/glossary.yaml");
    ASSERT_TRUE(g.ok());
    glossary_ = *g;
    auto lexicon = Lexicon::Load("/usr/share/dict/dutch");
    ASSERT_TRUE(lexicon.ok()) << "wdutch (/usr/share/dict/dutch) is required";
    auto s = Searcher::Open(texts.corpus.data_dir() + "/index", *lexicon);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    searcher_ = std::move(*s);
  }
  std::vector<std::string> Find(const std::string& q) {
    SearchRequest req;
    req.q = q;
    req.correct_spelling = false;
    auto r = searcher_->Search(req, access::PrincipalKeys(Principal::Anonymous()), glossary_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->ids : std::vector<std::string>();
  }
  content::Glossary glossary_;
  std::unique_ptr<Searcher> searcher_;
};

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

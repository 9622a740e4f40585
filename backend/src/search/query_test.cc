// The query builder's readings of what a person types, on a real index built
// by the real indexer: each rule of docs/search.md that lives in query.cc.
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

class QueryRulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new Corpus();
    auto add = [](ItemSpec s) { corpus_->Add(s); };
    // A compound the text writes as one word ("tekstvak"), typed apart.
    add({.id = "samengesteld", .title = "Dia's", .body = "Teken een tekstvak op de dia."});
    add({.id = "alleen-tekst", .title = "Opmaak", .body = "Tekst en nog eens tekst."});
    // A separable verb whose particle is also a preposition: "opslaan"
    // written "slaat ... op", and a verb in -aan.
    add({.id = "slaat-op", .title = "Exporteren", .body = "Slaat het bestand op als PDF."});
    add({.id = "alleen-pdf", .title = "PDF-opties", .body = "Instellingen voor PDF."});
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
    auto lexicon = Lexicon::Load("/usr/share/dict/dutch");
    ASSERT_TRUE(lexicon.ok()) << "wdutch (/usr/share/dict/dutch) is required";
    auto s = Searcher::Open(corpus_->data_dir() + "/index", *lexicon);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    searcher_ = std::move(*s);
  }
  SearchResult Find(const std::string& q) {
    SearchRequest req;
    req.q = q;
    req.size = 50;
    auto r = searcher_->Search(req, access::PrincipalKeys(Principal::Anonymous()), *glossary_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SearchResult();
  }
  static Corpus* corpus_;
  static content::Glossary* glossary_;
  std::unique_ptr<Searcher> searcher_;
};
Corpus* QueryRulesTest::corpus_ = nullptr;
content::Glossary* QueryRulesTest::glossary_ = nullptr;

TEST_F(QueryRulesTest, WordsTypedApartFindTheirCompound) {
  auto r = Find("tekst vak");
  ASSERT_FALSE(r.ids.empty());
  EXPECT_EQ(r.ids[0], "samengesteld");
  EXPECT_FALSE(r.partial[0]);  // "tekstvak" counts for both words
  EXPECT_EQ(r.full, 1u);
}

TEST_F(QueryRulesTest, SeparableVerbWithAPrepositionParticle) {
  auto r = Find("opslaan pdf");
  ASSERT_FALSE(r.ids.empty());
  EXPECT_EQ(r.ids[0], "slaat-op");
  EXPECT_FALSE(r.partial[0]);  // "slaat ... op": both words matched
  EXPECT_EQ(r.full, 1u);
}

}  // namespace
}  // namespace kpo::search

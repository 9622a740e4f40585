// Snippets: what gets marked, what gets escaped, which passage is chosen.
#include "search/snippet.h"

#include <gtest/gtest.h>

#include "search/schema.h"

namespace kpo::search {
namespace {

Highlight Terms(std::initializer_list<std::string> stems, std::vector<std::string> prefixes = {}) {
  Highlight hl;
  for (const auto& s : stems) hl.terms.insert(schema::Term(schema::kStem, s));
  hl.prefixes = std::move(prefixes);
  return hl;
}

class SnippetsTest : public ::testing::Test {
 protected:
  SnippetsTest() : analyzer_(Lexicon::FromWordsForTest({"hennep", "kwekerij", "kwekerijen"})) {}
  Analyzer analyzer_;
};

TEST_F(SnippetsTest, MarksStemsCompoundPartsAndPrefixes) {
  const Highlight hl = Terms({analyzer_.Stem("kwekerij")}, {"ondermijn"});
  Snippets snippets(hl, &analyzer_);
  const std::string out =
      snippets.Make("Twee kwekerijen en een hennepkwekerij ondermijnen de wijk.");
  EXPECT_NE(out.find("<mark>kwekerijen</mark>"), std::string::npos) << out;
  EXPECT_NE(out.find("<mark>hennepkwekerij</mark>"), std::string::npos) << out;
  EXPECT_NE(out.find("<mark>ondermijnen</mark>"), std::string::npos) << out;
  EXPECT_EQ(out.find("<mark>wijk"), std::string::npos) << out;
}

TEST_F(SnippetsTest, EscapesTheTextAroundMarks) {
  const Highlight hl = Terms({analyzer_.Stem("kwekerij")});
  Snippets snippets(hl, &analyzer_);
  const std::string out = snippets.Make("Zie <script>alert('x')</script> kwekerij & \"meer\"");
  EXPECT_EQ(out.find("<script>"), std::string::npos) << out;
  EXPECT_NE(out.find("&lt;script&gt;"), std::string::npos) << out;
  EXPECT_NE(out.find("&amp;"), std::string::npos) << out;
  EXPECT_NE(out.find("&quot;meer&quot;"), std::string::npos) << out;
}

TEST_F(SnippetsTest, ChoosesTheDensestPassageAndMarksCutEnds) {
  std::string text;
  for (int i = 0; i < 60; ++i) text += "woord ";
  text += "kwekerij en nog een kwekerij ";
  for (int i = 0; i < 60; ++i) text += "eind ";
  const Highlight hl = Terms({analyzer_.Stem("kwekerij")});
  Snippets snippets(hl, &analyzer_);
  const std::string out = snippets.Make(text, 10);
  EXPECT_EQ(out.rfind("… ", 0), 0u) << out;
  EXPECT_NE(out.find("<mark>kwekerij</mark> en nog een <mark>kwekerij</mark>"), std::string::npos)
      << out;
  EXPECT_EQ(out.substr(out.size() - 4), " …") << out;
}

TEST_F(SnippetsTest, OneDecisionPerWordServesEveryTextOfThePage) {
  const Highlight hl = Terms({analyzer_.Stem("kwekerij")});
  Snippets snippets(hl, &analyzer_);
  const std::string first = snippets.Make("kwekerij hier");
  const std::string second = snippets.Make("daar kwekerij");
  EXPECT_EQ(first, "<mark>kwekerij</mark> hier");
  EXPECT_EQ(second, "daar <mark>kwekerij</mark>");
  EXPECT_EQ(snippets.Make("niets te zien"), "niets te zien");
  EXPECT_EQ(snippets.Make(""), "");
}

}  // namespace
}  // namespace kpo::search

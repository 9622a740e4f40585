// The thesaurus read from FreeDict's real dictionaries (dict-freedict-nld-eng,
// dict-freedict-eng-nld: scripts/deps.sh installs them).
#include "search/thesaurus.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace kpo::search {
namespace {

bool Has(const std::vector<std::string>& words, const std::string& w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

TEST(Thesaurus, PairsDutchWordsOfOneSpecificGloss) {
  const Thesaurus& t = Thesaurus::Default();
  ASSERT_GT(t.size(), 1000u) << "FreeDict's nld-eng/eng-nld are required (/usr/share/dictd)";
  EXPECT_TRUE(Has(t.Find("doorstrepen"), "doorhalen"));  // "crossout", "strikeout"
  EXPECT_TRUE(Has(t.Find("doorhalen"), "doorstrepen"));  // both ways
  // "make" translates dozens of Dutch words: too general to pair them.
  EXPECT_FALSE(Has(t.Find("maken"), "doen"));
  EXPECT_TRUE(t.Find("de").empty());  // short words are left out
}

TEST(Thesaurus, EnglishWordsGetTheDutchOfTheirFirstSense) {
  const Thesaurus& t = Thesaurus::Default();
  EXPECT_TRUE(Has(t.Find("template"), "sjabloon"));
  EXPECT_TRUE(Has(t.Find("print"), "afdruk"));
  EXPECT_FALSE(Has(t.Find("print"), "spoor"));  // a later sense
}

TEST(Thesaurus, MissingDictionariesAddNothing) {
  EXPECT_EQ(Thesaurus::Load("/nonexistent-dictd")->size(), 0u);
  auto t = Thesaurus::FromLinesForTest({"printen afdrukken"});
  EXPECT_EQ(t->Find("printen"), std::vector<std::string>{"afdrukken"});
  EXPECT_TRUE(t->Find("afdrukken").empty());
}

}  // namespace
}  // namespace kpo::search

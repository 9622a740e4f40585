// Front matter parsing: the good path and every kind of bad input.
#include "content/item_file.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace kpo::content {
namespace {

class ItemFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto v = Vocabulary::Load(kpo::testing::SourceDir() + "/content/vocabulary.yaml");
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    vocab_ = *v;
  }
  ParsedFile Parse(const std::string& text, const std::string& path = "dir/my-item.md") {
    return ParseItemFile(path, text, vocab_);
  }
  static std::string FirstError(const ParsedFile& f) {
    return f.errors.empty() ? "" : std::to_string(f.errors[0].line) + ": " + f.errors[0].message;
  }
  Vocabulary vocab_;
};

const char* kGood =
    "---\n"
    "title: \"Handreiking Bibob-beleid\"\n"
    "type: handreiking\n"
    "summary: \"Kort.\"\n"
    "themes: [bibob, vastgoed]\n"
    "regions: [riec-rotterdam]\n"
    "werkplaats: bibob\n"
    "access: restricted\n"
    "groups: [gemeenten]\n"
    "published: 2022-03-01\n"
    "tags: [bibob, vergunning]\n"
    "---\n"
    "# Kop\n\nTekst.\n";

TEST(ItemFile, ParsesEveryField) {
  auto v = Vocabulary::Load(kpo::testing::SourceDir() + "/content/vocabulary.yaml");
  ASSERT_TRUE(v.ok());
  ParsedFile f = ParseItemFile("x/handreiking-bibob.md", kGood, *v);
  ASSERT_TRUE(f.item.has_value()) << f.errors.size();
  EXPECT_EQ(f.item->id, "handreiking-bibob");  // from the file name
  EXPECT_EQ(f.item->title, "Handreiking Bibob-beleid");
  EXPECT_EQ(f.item->themes, (std::vector<std::string>{"bibob", "vastgoed"}));
  EXPECT_EQ(f.item->groups, (std::vector<std::string>{"gemeenten"}));
  EXPECT_EQ(f.item->access, "restricted");
  EXPECT_EQ(f.item->status, "published");  // default
  EXPECT_EQ(f.item->body_markdown, "# Kop\n\nTekst.\n");
}

TEST_F(ItemFileTest, DefaultsAccessToMembers) {
  auto f = Parse("---\ntitle: T\ntype: nieuws\n---\nx\n");
  ASSERT_TRUE(f.item.has_value()) << FirstError(f);
  EXPECT_EQ(f.item->access, "members");
}

TEST_F(ItemFileTest, FrontMatterIdWins) {
  auto f = Parse("---\nid: eigen-id\ntitle: T\ntype: nieuws\n---\n");
  ASSERT_TRUE(f.item.has_value());
  EXPECT_EQ(f.item->id, "eigen-id");
}

TEST_F(ItemFileTest, MissingFrontMatter) {
  auto f = Parse("# Alleen markdown\n");
  EXPECT_FALSE(f.item.has_value());
  EXPECT_EQ(f.errors.at(0).line, 1);
  EXPECT_NE(f.errors[0].message.find("front matter ontbreekt"), std::string::npos);
}

TEST_F(ItemFileTest, UnclosedFrontMatter) {
  auto f = Parse("---\ntitle: T\ntype: nieuws\n");
  EXPECT_FALSE(f.item.has_value());
  EXPECT_NE(FirstError(f).find("front matter"), std::string::npos);
}

TEST_F(ItemFileTest, BrokenYamlReportsLine) {
  auto f = Parse("---\ntitle: T\ntype: nieuws\nthemes: [bibob\n---\n");
  EXPECT_FALSE(f.item.has_value());
  ASSERT_FALSE(f.errors.empty());
  EXPECT_GE(f.errors[0].line, 4);
  EXPECT_NE(f.errors[0].message.find("YAML"), std::string::npos);
}

TEST_F(ItemFileTest, MissingTitle) {
  auto f = Parse("---\ntype: nieuws\n---\n");
  EXPECT_FALSE(f.item.has_value());
  EXPECT_NE(FirstError(f).find("titel ontbreekt"), std::string::npos);
}

TEST_F(ItemFileTest, MissingAndUnknownType) {
  EXPECT_NE(FirstError(Parse("---\ntitle: T\n---\n")).find("type ontbreekt"), std::string::npos);
  auto f = Parse("---\ntitle: T\ntype: blog\n---\n");
  EXPECT_EQ(f.errors.at(0).line, 3);
  EXPECT_NE(f.errors[0].message.find("onbekend type 'blog'"), std::string::npos);
}

TEST_F(ItemFileTest, BadDates) {
  for (const char* d : {"2022-02-30", "2022-13-01", "01-03-2022", "gisteren", "2022-3-1"}) {
    auto f = Parse(std::string("---\ntitle: T\ntype: nieuws\npublished: ") + d + "\n---\n");
    EXPECT_FALSE(f.item.has_value()) << d;
    EXPECT_EQ(f.errors.at(0).line, 4) << d;
    EXPECT_NE(f.errors[0].message.find("ongeldige datum"), std::string::npos) << d;
  }
  EXPECT_TRUE(Parse("---\ntitle: T\ntype: nieuws\npublished: 2024-02-29\n---\n").item.has_value());
}

TEST_F(ItemFileTest, UnknownVocabularyNamesFieldAndValue) {
  auto f = Parse("---\ntitle: T\ntype: nieuws\nthemes: [bibob, ruimtevaart]\n---\n");
  ASSERT_FALSE(f.item.has_value());
  EXPECT_EQ(f.errors.at(0).line, 4);
  EXPECT_NE(f.errors[0].message.find("onbekend thema 'ruimtevaart'"), std::string::npos);
  auto g = Parse("---\ntitle: T\ntype: nieuws\nwerkplaats: nergens\n---\n");
  EXPECT_NE(FirstError(g).find("onbekende werkplaats 'nergens'"), std::string::npos);
  auto r = Parse("---\ntitle: T\ntype: nieuws\nregions: [mars]\n---\n");
  EXPECT_NE(FirstError(r).find("onbekend regio 'mars'"), std::string::npos);
}

TEST_F(ItemFileTest, RestrictedNeedsGroupsAndGroupsNeedRestricted) {
  EXPECT_NE(FirstError(Parse("---\ntitle: T\ntype: nieuws\naccess: restricted\n---\n"))
                .find("partnergroep"),
            std::string::npos);
  EXPECT_NE(FirstError(Parse("---\ntitle: T\ntype: nieuws\naccess: public\ngroups: [om]\n---\n"))
                .find("alleen bij access: restricted"),
            std::string::npos);
  EXPECT_NE(FirstError(Parse("---\ntitle: T\ntype: nieuws\naccess: geheim\n---\n"))
                .find("toegangsniveau"),
            std::string::npos);
}

TEST_F(ItemFileTest, InvalidUtf8ReportsLine) {
  auto f = Parse("---\ntitle: T\ntype: nieuws\n---\nregel\nkapot \xC3\x28 hier\n");
  ASSERT_FALSE(f.item.has_value());
  EXPECT_EQ(f.errors.at(0).line, 6);
  EXPECT_NE(f.errors[0].message.find("UTF-8"), std::string::npos);
  EXPECT_FALSE(
      Parse("---\ntitle: \xED\xA0\x80\ntype: nieuws\n---\n").item.has_value());       // surrogate
  EXPECT_FALSE(Parse("---\ntitle: \xC0\xAF\ntype: nieuws\n---\n").item.has_value());  // overlong
}

TEST_F(ItemFileTest, UnknownFieldAndBadId) {
  EXPECT_NE(FirstError(Parse("---\ntitle: T\ntype: nieuws\ntittel: x\n---\n"))
                .find("onbekend veld 'tittel'"),
            std::string::npos);
  EXPECT_NE(FirstError(Parse("---\nid: Hoofd Letters\ntitle: T\ntype: nieuws\n---\n"))
                .find("ongeldige id"),
            std::string::npos);
}

TEST_F(ItemFileTest, HostileShapes) {
  // A list where one value is expected, a map inside a list, YAML aliases.
  EXPECT_FALSE(Parse("---\ntitle: [a, b]\ntype: nieuws\n---\n").item.has_value());
  EXPECT_FALSE(Parse("---\ntitle: T\ntype: nieuws\nthemes: [{a: b}]\n---\n").item.has_value());
  EXPECT_FALSE(Parse("---\n- a\n- b\n---\n").item.has_value());
  EXPECT_FALSE(Parse(std::string(3 << 20, 'x')).item.has_value());  // oversized
  std::string many = "---\ntitle: T\ntype: nieuws\ntags: [";
  for (int i = 0; i < 60; ++i) many += "t" + std::to_string(i) + ",";
  many += "z]\n---\n";
  EXPECT_NE(FirstError(Parse(many)).find("te veel"), std::string::npos);
  // A NUL inside a value: either an item or an error, never neither.
  auto nul = Parse(std::string("---\ntitle: T\0x\ntype: nieuws\n---\n", 31));
  EXPECT_NE(nul.item.has_value(), !nul.errors.empty());
}

TEST_F(ItemFileTest, CrlfAndBom) {
  auto f = Parse("\xEF\xBB\xBF---\r\ntitle: T\r\ntype: nieuws\r\n---\r\nTekst\r\n");
  ASSERT_TRUE(f.item.has_value()) << FirstError(f);
  EXPECT_EQ(f.item->title, "T");
}

}  // namespace
}  // namespace kpo::content

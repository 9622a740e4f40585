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

const char* kCourse =
    "---\n"
    "title: Bibob-basiscursus\n"
    "type: cursus\n"
    "provider: RIEC-LIEC\n"
    "format: klassikaal\n"
    "cost: 12.50\n"
    "points: 4\n"
    "sessions:\n"
    "  - id: voorjaar\n"
    "    start: 2027-03-09T09:30\n"
    "    end: 2027-03-09T16:30\n"
    "    location: Utrecht\n"
    "    capacity: 20\n"
    "    deadline: 2027-03-01\n"
    "  - id: najaar\n"
    "    start: 2027-10-31T10:00\n"
    "    end: 2027-10-31T12:00\n"
    "    location: https://example.nl/live\n"
    "    capacity: 100\n"
    "---\n"
    "Tekst.\n";

TEST_F(ItemFileTest, ParsesCourseFieldsAndSessions) {
  auto f = Parse(kCourse);
  ASSERT_TRUE(f.item.has_value()) << FirstError(f);
  ASSERT_TRUE(f.item->course.has_value());
  EXPECT_EQ(f.item->course->provider, "RIEC-LIEC");
  EXPECT_EQ(f.item->course->cost_cents, 1250);
  EXPECT_EQ(f.item->course->points, 4);
  ASSERT_EQ(f.item->course->sessions.size(), 2u);
  EXPECT_EQ(f.item->course->sessions[0].start, "2027-03-09T09:30");
  EXPECT_EQ(f.item->course->sessions[0].capacity, 20);
  EXPECT_EQ(f.item->course->sessions[1].deadline, "");
  // A course without academy fields still carries (empty) course facts.
  auto plain = Parse("---\ntitle: T\ntype: cursus\n---\nx\n");
  ASSERT_TRUE(plain.item.has_value());
  EXPECT_TRUE(plain.item->course.has_value());
  auto news = Parse("---\ntitle: T\ntype: nieuws\n---\nx\n");
  EXPECT_FALSE(news.item->course.has_value());
}

TEST_F(ItemFileTest, CourseErrorsNameTheSessionLine) {
  auto with = [](const std::string& from, const std::string& to) {
    std::string text = kCourse;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  EXPECT_EQ(FirstError(Parse(with("end: 2027-03-09T16:30", "end: 2027-03-09T08:00"))),
            "9: sessie 'voorjaar': end moet na start liggen");
  EXPECT_EQ(FirstError(Parse(with("id: najaar", "id: voorjaar"))),
            "15: sessie 'voorjaar': id komt twee keer voor");
  EXPECT_EQ(FirstError(Parse(with("capacity: 100", "capacity: 0"))),
            "15: sessie 'najaar': capacity moet een getal van 1 tot 10000 zijn");
  // A value that is not a number is named at its own line (the session then
  // also lacks a capacity).
  auto errors = Parse(with("capacity: 100", "capacity: veel")).errors;
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[1].line, 19);
  EXPECT_EQ(errors[1].message, "capacity moet een geheel getal zijn");
  EXPECT_EQ(FirstError(Parse(with("deadline: 2027-03-01", "deadline: 2027-03-10"))),
            "9: sessie 'voorjaar': deadline moet een datum JJJJ-MM-DD zijn, niet na de startdatum");
  EXPECT_EQ(FirstError(Parse(with("start: 2027-10-31T10:00", "start: 31-10-2027 10:00"))),
            "15: sessie 'najaar': start moet JJJJ-MM-DDTUU:MM zijn (Nederlandse tijd), "
            "bijvoorbeeld 2027-03-09T09:30");
  // The hours the clocks change: refused with the reason, as the editorial
  // schedule refuses them (common/local_time.h).
  EXPECT_EQ(FirstError(Parse(with("start: 2027-10-31T10:00", "start: 2027-10-31T02:30"))),
            "15: sessie 'najaar': start 2027-10-31T02:30 komt twee keer voor: die nacht gaat de "
            "klok om 03:00 een uur terug naar 02:00. Kies een ander tijdstip");
  EXPECT_EQ(FirstError(Parse(with("end: 2027-03-09T16:30", "end: 2027-03-28T02:15"))),
            "9: sessie 'voorjaar': end 2027-03-28T02:15 bestaat niet: die nacht gaat de klok om "
            "02:00 een uur vooruit naar 03:00. Kies een ander tijdstip");
  EXPECT_EQ(FirstError(Parse(with("format: klassikaal", "format: hybride"))),
            "5: onbekende vorm 'hybride' (klassikaal, online, e-learning, webinar)");
  EXPECT_EQ(FirstError(Parse(with("cost: 12.50", "cost: gratis"))),
            "6: cost moet een bedrag in euro's zijn, zoals 0, 250 of 12.50");
  errors = Parse(with("    location: Utrecht\n", "    room: 3\n")).errors;
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].line, 9);
  EXPECT_EQ(errors[0].message,
            "sessie 'voorjaar': location (adres of https-link) ontbreekt of is te lang");
  EXPECT_EQ(errors[1].line, 12);
  EXPECT_EQ(errors[1].message,
            "onbekend sessie-veld 'room' (id, start, end, location, capacity, deadline)");
  EXPECT_EQ(FirstError(Parse(with("type: cursus", "type: nieuws"))),
            "3: academievelden (provider, format, sessions, ...) horen alleen bij type: cursus");
  EXPECT_EQ(FirstError(Parse("---\ntitle: T\ntype: cursus\nsessions: morgen\n---\nx\n")),
            "4: sessions moet een lijst van sessies zijn (- id: ..., start: ...)");
}

}  // namespace
}  // namespace kpo::content

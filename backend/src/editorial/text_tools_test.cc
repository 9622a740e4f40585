#include "editorial/text_tools.h"

#include <gtest/gtest.h>

namespace kpo::editorial {
namespace {

TEST(ParseMoment, UtcOffsetAndDutchLocalTime) {
  EXPECT_EQ(FormatUtc(*ParseMoment("2027-03-01T08:00:00Z")), "2027-03-01T08:00:00Z");
  EXPECT_EQ(FormatUtc(*ParseMoment("2027-03-01T09:00+01:00")), "2027-03-01T08:00:00Z");
  // Local Dutch time: CET in winter, CEST in summer, switching on the last
  // Sunday of March (2027-03-28) and of October (2027-10-31) at 01:00 UTC.
  EXPECT_EQ(FormatUtc(*ParseMoment("2027-01-15T12:00")), "2027-01-15T11:00:00Z");
  EXPECT_EQ(FormatUtc(*ParseMoment("2027-07-15T12:00")), "2027-07-15T10:00:00Z");
  EXPECT_EQ(FormatUtc(*ParseMoment("2027-03-28T01:30")), "2027-03-28T00:30:00Z");
  EXPECT_EQ(FormatUtc(*ParseMoment("2027-03-28T04:00")), "2027-03-28T02:00:00Z");
  EXPECT_EQ(FormatUtc(*ParseMoment("2027-10-31T04:00")), "2027-10-31T03:00:00Z");
  // The hour the clocks skip, and the hour they show twice, are refused in
  // Dutch (the academy refuses them alike); with an offset the second is clear.
  for (const char* unclear : {"2027-03-28T02:30", "2027-10-31T02:30"}) {
    auto parsed = ParseMoment(unclear);
    ASSERT_FALSE(parsed.ok()) << unclear;
    EXPECT_TRUE(parsed.status().Is(ErrorCode::kInvalidField));
    EXPECT_NE(parsed.status().message().find("Kies een ander tijdstip"), std::string::npos)
        << parsed.status().message();
  }
  EXPECT_NE(ParseMoment("2027-10-31T02:30").status().message().find("komt twee keer voor"),
            std::string::npos);
  EXPECT_EQ(FormatUtc(*ParseMoment("2027-10-31T02:30+01:00")), "2027-10-31T01:30:00Z");
  EXPECT_EQ(FormatUtc(*ParseMoment("2027-07-15T12:00:30")), "2027-07-15T10:00:30Z");
  for (const char* bad : {"", "morgen", "2027-02-30T09:00", "2027-03-01T25:00", "2027-03-01 09:00",
                          "2027-03-01T09:00+1", "2027-03-01T09:00Zx", "2027-03-01T09:00:61Z"}) {
    auto parsed = ParseMoment(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) {
      EXPECT_TRUE(parsed.status().Is(ErrorCode::kInvalidField)) << bad;
    }
  }
}

TEST(DiffLines, ShowsChangedLinesBetweenCommonOnes) {
  auto diff = DiffLines({"a", "b", "c", "d"}, {"a", "x", "c", "d", "e"});
  std::string shown;
  for (const auto& l : diff.lines) shown += std::string(1, l.op) + l.text + "|";
  EXPECT_EQ(shown, " a|-b|+x| c| d|+e|");
  EXPECT_EQ(diff.added, 2);
  EXPECT_EQ(diff.removed, 1);
  EXPECT_EQ(DiffLines({"same"}, {"same"}).added, 0);
  // A very large middle is shown whole rather than computed quadratically.
  std::vector<std::string> a(3000), b(3000);
  for (int i = 0; i < 3000; ++i) {
    a[i] = "a" + std::to_string(i);
    b[i] = "b" + std::to_string(i);
  }
  auto big = DiffLines(a, b);
  EXPECT_EQ(big.added, 3000);
  EXPECT_EQ(big.removed, 3000);
}

TEST(ItemLines, FieldsThenBody) {
  Item item;
  item.title = "T";
  item.themes = {"bibob", "drugs"};
  item.body_markdown = "een\ntwee";
  auto lines = ItemLines(item);
  EXPECT_EQ(lines.front(), "title: T");
  EXPECT_NE(std::find(lines.begin(), lines.end(), "themes: bibob, drugs"), lines.end());
  EXPECT_EQ(lines[lines.size() - 2], "een");
  EXPECT_EQ(lines.back(), "twee");
}

TEST(InternalLinks, OnlyLinkTargetsOnce) {
  EXPECT_EQ(InternalLinks("[a](/items/een) [b](https://kpo.nl/items/twee) <https://x/api/"
                          "documents/drie> [c](/items/een) de tekst /items/vier is geen link"),
            (std::vector<std::string>{"een", "twee", "drie"}));
  EXPECT_TRUE(InternalLinks("[x](/items/) [y](/items/-fout)").empty());
}

// Every way Markdown writes a link, read as the router reads the address:
// a reference link, an encoded or upper-case path, a query or fragment, a
// protocol-relative address, an image, a title. Before, a reference link
// and "/items/%68andreiking" passed the approval's link check.
TEST(InternalLinks, EveryFormOfALinkIsRead) {
  EXPECT_EQ(InternalLinks("Zie [OMG][1] en [APV].\n\n[1]: /items/omg-aanpak\n"
                          "[apv]: </items/apv-regels> \"Titel\"\n"),
            (std::vector<std::string>{"omg-aanpak", "apv-regels"}));
  EXPECT_EQ(InternalLinks("[a](/items/%68andreiking) [b](/%69tems/twee) [c](/ITEMS/Drie?x=1#k) "
                          "[d](//kpo.nl/items/vier/) ![e](/items/vijf \"t\")"),
            (std::vector<std::string>{"handreiking", "twee", "drie", "vier", "vijf"}));
  // Not links: code, text, a blocked scheme, a broken escape.
  EXPECT_TRUE(InternalLinks("`[x](/items/een)` /items/twee [y](javascript:/items/drie) "
                            "[z](/items/%zz)")
                  .empty());
}

TEST(MeasureReadability, CountsLongSentencesAndLongWords) {
  const std::string long_sentence =
      "een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien "
      "zestien zeventien achttien negentien twintig eenentwintig.";
  auto r =
      MeasureReadability("Korte zin. " + long_sentence + "\nKop zonder punt\nOndermijningsaanpak!");
  EXPECT_EQ(r.sentences, 4);
  EXPECT_EQ(r.long_sentences, 1);
  EXPECT_EQ(r.words, 27);
  EXPECT_EQ(r.long_words, 1);  // eenentwintig (12 letters) is not long; ondermijningsaanpak is
  EXPECT_DOUBLE_EQ(r.long_sentence_share, 0.25);
  EXPECT_EQ(r.advice.size(), 1u);  // 1 of 27 words is long: within the guidance
  // Letters, not bytes: "één" is three letters.
  EXPECT_EQ(MeasureReadability("ééééééééééé.").long_words, 0);
  EXPECT_EQ(MeasureReadability("").sentences, 0);
}

}  // namespace
}  // namespace kpo::editorial

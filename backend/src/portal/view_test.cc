// Unit tests for view.h: Dutch dates and labels, the pagination window,
// form bodies and safe redirect targets.
#include "portal/view.h"

#include <gtest/gtest.h>

namespace kpo::portal {
namespace {

std::string Window(int current, int last) {
  std::string out;
  for (const auto& link : PageWindow(current, last)) {
    if (!out.empty()) out += " ";
    out += link.number == 0 ? "…"
                            : (link.current ? "[" + std::to_string(link.number) + "]"
                                            : std::to_string(link.number));
  }
  return out;
}

TEST(DutchDate, WritesDayMonthNameYear) {
  EXPECT_EQ(DutchDate("2022-05-24"), "24 mei 2022");
  EXPECT_EQ(DutchDate("2021-01-01"), "1 januari 2021");
  EXPECT_EQ(DutchDate("2020-12-31"), "31 december 2020");
  EXPECT_EQ(DutchDate(""), "");
  EXPECT_EQ(DutchDate("2022-13-01"), "2022-13-01");
  EXPECT_EQ(DutchDate("20x2-05-24"), "20x2-05-24");
}

TEST(DutchDateTime, WritesWeekdayDateAndClock) {
  EXPECT_EQ(DutchDateTime("2027-01-12T09:30"), "di 12 januari 2027, 09:30");
  EXPECT_EQ(DutchDateTime("2027-03-28T02:30"), "zo 28 maart 2027, 02:30");
  EXPECT_EQ(DutchDateTime("2027-11-01T10:05"), "ma 1 november 2027, 10:05");
  EXPECT_EQ(DutchDateTime("1970-01-01T00:00"), "do 1 januari 1970, 00:00");
  EXPECT_EQ(DutchDateTime("2027-02-29T09:30"), "2027-02-29T09:30");
  EXPECT_EQ(DutchDateTime(""), "");
}

TEST(FreePlaces, CountsInDutch) {
  EXPECT_EQ(FreePlaces(0), "vol");
  EXPECT_EQ(FreePlaces(1), "1 plaats vrij");
  EXPECT_EQ(FreePlaces(24), "24 plaatsen vrij");
}

TEST(Labels, TypesAndRolesInDutch) {
  EXPECT_EQ(TypeLabel("handreiking"), "Handreiking");
  EXPECT_EQ(TypeLabel("nieuws"), "Nieuws");
  EXPECT_EQ(TypeLabel("onbekend"), "onbekend");
  EXPECT_EQ(RoleLabel(Role::kMember), "lid");
  EXPECT_EQ(RoleLabel(Role::kEditor), "redacteur");
  EXPECT_EQ(RoleLabel(Role::kAdmin), "beheerder");
  EXPECT_EQ(RoleLabel(Role::kAnonymous), "");
}

TEST(PageWindow, EveryPageIsReachableInFewSteps) {
  EXPECT_EQ(Window(1, 1), "");
  EXPECT_EQ(Window(1, 4), "[1] 2 3 4");
  EXPECT_EQ(Window(1, 40), "[1] 2 3 … 40");
  EXPECT_EQ(Window(21, 40), "1 … 19 20 [21] 22 23 … 40");
  EXPECT_EQ(Window(40, 40), "1 … 38 39 [40]");
  EXPECT_EQ(Window(4, 7), "1 2 3 [4] 5 6 7");
  EXPECT_EQ(Window(99, 5), "1 … 3 4 [5]");  // clamped to the last page
}

TEST(ParseForm, DecodesFieldsAndSurvivesGarbage) {
  auto form = ParseForm("email=a%40b.nl&password=p+q%26r&leeg=&alleen&next=%2Fzoeken%3Fq%3Dx");
  EXPECT_EQ(form["email"], "a@b.nl");
  EXPECT_EQ(form["password"], "p q&r");
  EXPECT_EQ(form["leeg"], "");
  EXPECT_EQ(form.count("alleen"), 1u);
  EXPECT_EQ(form["next"], "/zoeken?q=x");
  auto bad = ParseForm("a=%zz&&=x&b=%");
  EXPECT_EQ(bad["a"], "");
  EXPECT_EQ(bad["b"], "");
  EXPECT_TRUE(ParseForm("").empty());
}

TEST(SafeNext, OnlyPathsOnThisSite) {
  EXPECT_EQ(SafeNext("/zoeken?q=x"), "/zoeken?q=x");
  EXPECT_EQ(SafeNext("/items/a"), "/items/a");
  for (const std::string bad : {"", "//evil.example", "/\\evil.example", "https://evil.example",
                                "javascript:alert(1)", "evil", "/a\r\nSet-Cookie: x=y", "/a\\b"}) {
    EXPECT_EQ(SafeNext(bad), "/") << bad;
  }
}

}  // namespace
}  // namespace kpo::portal

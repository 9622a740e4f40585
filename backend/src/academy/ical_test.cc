// iCalendar text: escaping, folding, CRLF and local times with TZID.
#include "academy/ical.h"

#include <gtest/gtest.h>

namespace kpo::academy {
namespace {

TEST(Ical, EscapesTextAndDropsControls) {
  EXPECT_EQ(EscapeText("a;b,c\\d\ne\rf\x01g"), "a\\;b\\,c\\\\d\\nefg");
}

TEST(Ical, FoldsLongLinesWithoutSplittingCharacters) {
  auto zone = Zone::Amsterdam();
  ASSERT_TRUE(zone.ok());
  CalendarEvent e;
  e.uid = "c/s@kpo";
  e.start_utc = 1806195600 + 86400 + 6 * 3600;  // 2027-03-29T07:00Z = 09:00 summer time
  e.end_utc = e.start_utc + 3600;
  std::string title;
  for (int i = 0; i < 40; ++i) title += "é";  // 2 bytes each
  e.summary = title;
  std::string ics = BuildCalendar("Mijn", {e}, **zone, 1800000000);
  EXPECT_NE(ics.find("DTSTART;TZID=Europe/Amsterdam:20270329T090000\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTAMP:20270115T080000Z\r\n"), std::string::npos);
  size_t start = 0;
  while (start < ics.size()) {
    size_t end = ics.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "every line ends in CRLF";
    EXPECT_LE(end - start, 75u);
    // A continuation never starts in the middle of a UTF-8 sequence.
    if (ics[start] == ' ' && start + 1 < end) {
      EXPECT_NE(static_cast<unsigned char>(ics[start + 1]) & 0xC0, 0x80);
    }
    start = end + 2;
  }
  std::string unfolded;
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    unfolded += ics[i];
  }
  EXPECT_NE(unfolded.find("SUMMARY:" + title + "\r\n"), std::string::npos);
}

}  // namespace
}  // namespace kpo::academy

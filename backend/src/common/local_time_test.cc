// Tests local_time.h against the system's Europe/Amsterdam and a slim TZif
// file that has only the POSIX footer rule.
#include "common/local_time.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace kpo {
namespace {

LocalTime At(const char* text) {
  LocalTime t;
  EXPECT_TRUE(ParseLocalTime(text, &t)) << text;
  return t;
}

// UTC instant of "YYYY-MM-DDTHH:MM" read as UTC.
int64_t Utc(const char* text) { return NaiveSeconds(At(text)); }

TEST(LocalTime, ParsesAndFormats) {
  EXPECT_EQ(FormatLocalTime(At("2027-03-28T09:05")), "2027-03-28T09:05");
  EXPECT_EQ(Utc("2027-03-28T01:00"), 1806195600);  // python3 datetime
  EXPECT_EQ(Utc("2000-02-29T12:34"), 951827640);
  EXPECT_EQ(FormatLocalTime(FromNaiveSeconds(951827640)), "2000-02-29T12:34");
  LocalTime t;
  for (const char* bad :
       {"", "2027-02-29T10:00", "2027-13-01T10:00", "2027-03-28T24:00", "2027-03-28 10:00",
        "2027-03-28T10:60", "2027-3-28T10:00", "2027-03-28T10:00Z", "abcd-ef-ghTij:kl"}) {
    EXPECT_FALSE(ParseLocalTime(bad, &t)) << bad;
  }
}

TEST(LocalTime, AmsterdamAcrossSpringForward) {
  auto zone = Zone::Amsterdam();
  ASSERT_TRUE(zone.ok()) << zone.status().ToString();
  // Saturday before the change: CET, UTC+1. Sunday after: CEST, UTC+2.
  EXPECT_EQ((*zone)->ToUtc(At("2027-03-27T10:00")), Utc("2027-03-27T09:00"));
  EXPECT_EQ((*zone)->ToUtc(At("2027-03-28T10:00")), Utc("2027-03-28T08:00"));
  EXPECT_EQ((*zone)->ToUtc(At("2027-03-28T01:59")), Utc("2027-03-28T00:59"));
  // 02:30 does not exist that night: it is read as 03:30 summer time.
  EXPECT_EQ((*zone)->ToUtc(At("2027-03-28T02:30")), Utc("2027-03-28T01:30"));
  EXPECT_EQ(FormatLocalTime((*zone)->ToLocal(Utc("2027-03-28T01:30"))), "2027-03-28T03:30");
  EXPECT_EQ((*zone)->OffsetAt(Utc("2027-03-28T00:59")), 3600);
  EXPECT_EQ((*zone)->OffsetAt(Utc("2027-03-28T01:00")), 7200);
}

TEST(LocalTime, AmsterdamAcrossFallBack) {
  auto zone = Zone::Amsterdam();
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ((*zone)->ToUtc(At("2027-10-30T10:00")), Utc("2027-10-30T08:00"));
  EXPECT_EQ((*zone)->ToUtc(At("2027-10-31T10:00")), Utc("2027-10-31T09:00"));
  // 02:30 happens twice: the first (summer time) is meant.
  EXPECT_EQ((*zone)->ToUtc(At("2027-10-31T02:30")), Utc("2027-10-31T00:30"));
  EXPECT_EQ(FormatLocalTime((*zone)->ToLocal(Utc("2027-10-31T01:30"))), "2027-10-31T02:30");
  // Round trip over a whole year, hour by hour, outside the ambiguous hour.
  for (int64_t utc = Utc("2027-01-01T00:00"); utc < Utc("2028-01-01T00:00"); utc += 3600) {
    LocalTime local = (*zone)->ToLocal(utc);
    if (local.month == 10 && local.day == 31 && local.hour == 2) continue;
    ASSERT_EQ((*zone)->ToUtc(local), utc) << FormatLocalTime(local);
  }
}

// What people type is checked, not guessed: the skipped and the repeated
// hour are told apart from every other minute of the year.
TEST(LocalTime, TypedTimesInTheChangingHoursAreRefused) {
  auto zone = Zone::Amsterdam();
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(CheckTypedLocalTime(**zone, "2027-03-28T01:59"), TypedTime::kOk);
  EXPECT_EQ(CheckTypedLocalTime(**zone, "2027-03-28T02:00"), TypedTime::kSkipped);
  EXPECT_EQ(CheckTypedLocalTime(**zone, "2027-03-28T02:59"), TypedTime::kSkipped);
  EXPECT_EQ(CheckTypedLocalTime(**zone, "2027-03-28T03:00"), TypedTime::kOk);
  EXPECT_EQ(CheckTypedLocalTime(**zone, "2027-10-31T01:59"), TypedTime::kOk);
  EXPECT_EQ(CheckTypedLocalTime(**zone, "2027-10-31T02:00"), TypedTime::kRepeated);
  EXPECT_EQ(CheckTypedLocalTime(**zone, "2027-10-31T02:59"), TypedTime::kRepeated);
  EXPECT_EQ(CheckTypedLocalTime(**zone, "2027-10-31T03:00"), TypedTime::kOk);
  EXPECT_EQ(CheckTypedLocalTime(**zone, "2027-10-31 02:30"), TypedTime::kMalformed);
  EXPECT_NE(TypedTimeProblem(TypedTime::kSkipped).find("vooruit"), std::string::npos);
  EXPECT_NE(TypedTimeProblem(TypedTime::kRepeated).find("terug"), std::string::npos);
  // Every other minute of a year occurs once.
  int skipped = 0, repeated = 0;
  for (int64_t naive = NaiveSeconds(At("2027-01-01T00:00"));
       naive < NaiveSeconds(At("2028-01-01T00:00")); naive += 60) {
    const int n = (*zone)->Occurrences(FromNaiveSeconds(naive));
    skipped += n == 0 ? 1 : 0;
    repeated += n == 2 ? 1 : 0;
  }
  EXPECT_EQ(skipped, 60);
  EXPECT_EQ(repeated, 60);
}

TEST(LocalTime, FarFutureFollowsTheFooterRule) {
  auto zone = Zone::Amsterdam();
  ASSERT_TRUE(zone.ok());
  // Past the last transition of a "fat" file (2037): the POSIX rule decides.
  EXPECT_EQ((*zone)->ToUtc(At("2050-07-01T12:00")), Utc("2050-07-01T10:00"));
  EXPECT_EQ((*zone)->ToUtc(At("2050-12-01T12:00")), Utc("2050-12-01T11:00"));
}

// A "slim" TZif v2 file: no transitions, one type, only the footer.
std::string SlimTzif() {
  std::string header(44, '\0');
  header.replace(0, 5, "TZif2");
  auto set_count = [&](std::string* h, int index, int value) {
    (*h)[20 + 4 * index + 3] = static_cast<char>(value);
  };
  std::string v1 = header;
  set_count(&v1, 4, 1);  // typecnt
  set_count(&v1, 5, 4);  // charcnt
  std::string types = std::string("\x00\x00\x0e\x10\x00\x00", 6) + std::string("CET\0", 4);
  return v1 + types + v1 + types + "\nCET-1CEST,M3.5.0,M10.5.0/3\n";
}

TEST(LocalTime, SlimFileUsesTheRule) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("Amsterdam"), SlimTzif());
  auto zone = Zone::Load(dir.Sub("Amsterdam"));
  ASSERT_TRUE(zone.ok()) << zone.status().ToString();
  EXPECT_EQ((*zone)->ToUtc(At("2027-03-28T10:00")), Utc("2027-03-28T08:00"));
  EXPECT_EQ((*zone)->ToUtc(At("2027-03-27T10:00")), Utc("2027-03-27T09:00"));
  EXPECT_EQ((*zone)->ToUtc(At("2027-10-31T02:30")), Utc("2027-10-31T00:30"));
  EXPECT_EQ((*zone)->ToUtc(At("2027-10-31T10:00")), Utc("2027-10-31T09:00"));
}

TEST(LocalTime, RefusesWhatIsNotTzif) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("bad"), "not a zone file at all, not at all, not at all, no");
  EXPECT_FALSE(Zone::Load(dir.Sub("bad")).ok());
  std::string slim = SlimTzif();
  testing::WriteFile(dir.Sub("short"), slim.substr(0, 60));
  EXPECT_FALSE(Zone::Load(dir.Sub("short")).ok());
  EXPECT_FALSE(Zone::Load(dir.Sub("missing")).ok());
}

}  // namespace
}  // namespace kpo

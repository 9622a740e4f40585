// The search log keeps per-day counts of normalised queries and nothing
// about who asked; the zero-result list covers 30 days.
#include "searchlog/search_log.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/sqlite.h"
#include "support/test_support.h"

namespace kpo::searchlog {
namespace {

TEST(SearchLog, NormaliseFoldsAndCollapsesAndDropsIdentifyingQueries) {
  EXPECT_EQ(SearchLog::Normalise("  Café   Witwassen\t"), "cafe witwassen");
  EXPECT_EQ(SearchLog::Normalise(""), "");
  EXPECT_EQ(SearchLog::Normalise("   "), "");
  EXPECT_EQ(SearchLog::Normalise("jan@example.nl"), "");
  EXPECT_EQ(SearchLog::Normalise("bsn 123456789"), "");
  EXPECT_EQ(SearchLog::Normalise("06-12345678"), "");  // 8 digits after the hyphen
  EXPECT_EQ(SearchLog::Normalise("wet 2022"), "wet 2022");
  EXPECT_LE(SearchLog::Normalise(std::string(500, 'a')).size(), 100u);
  // A long query of two-byte letters is not cut inside a letter.
  const std::string cut = SearchLog::Normalise(std::string(120, 'x') + "é");
  EXPECT_EQ(cut, std::string(100, 'x'));
}

// The promise was "an '@' or six or more digits are never logged", but
// only an ASCII '@' and six digits in a row were caught, so these reached
// the redactie's zero-result list.
TEST(SearchLog, NormaliseDropsIdentifiersWhateverSeparatesTheirDigits) {
  for (const char* query : {
           "bsn 1234.56.782",
           "telefoon 06-1234 5678",
           "telefoon 06 12 34 56 78",
           "iban NL91 ABNA 0417 1643 00",
           "NL91ABNA0417164300",
           "jan\uff20voorbeeld.nl",  // full-width @
           "jan\ufe6bvoorbeeld.nl",  // small @
           "jan(at)voorbeeld.nl",
           "jan [AT] voorbeeld [dot] nl",
           "dossier 12-34 en 56-78",
           "\uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16",  // full-width 06123456
           "  Bsn\t123 456\n789 ",
           // Other Unicode digits and number signs, and "at" written out.
           "qzx \u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",        // Arabic-Indic
           "qzx \U0001D7CE\U0001D7D4\U0001D7CF\U0001D7D0\U0001D7D1\U0001D7D2",  // mathematical
           "qzx \u2070\u2076\u00b9\u00b2\u00b3\u2074\u2075\u2076",              // superscript
           "qzx \u2460\u2461\u2462\u2463\u2464\u2465",                          // circled
           "qzx \u3220\u3221\u3222\u3223\u3224\u3225",  // parenthesised ideographs
           "jan.jansen at voorbeeld.nl",
           "jan{at}x.nl",
           "jan&#64;voorbeeld",
           "jan%40voorbeeld",
       }) {
    EXPECT_EQ(SearchLog::Normalise(query), "") << query;
  }
  // An IBAN is recognised by its shape, not only by its digits.
  EXPECT_EQ(SearchLog::Normalise("de44 abcd efgh ijkl m1"), "");
  EXPECT_EQ(SearchLog::Normalise("DE44ABCDEFGHIJKLM1"), "");
  // Digits past the 100 bytes that are kept count too.
  EXPECT_EQ(SearchLog::Normalise(std::string(120, 'x') + " 123 456"), "");
}

TEST(SearchLog, NormaliseKeepsOrdinaryQueries) {
  EXPECT_EQ(SearchLog::Normalise("Artikel 13b Opiumwet"), "artikel 13b opiumwet");
  EXPECT_EQ(SearchLog::Normalise("wet 2021"), "wet 2021");
  EXPECT_EQ(SearchLog::Normalise("bibob"), "bibob");
  EXPECT_EQ(SearchLog::Normalise("art. 3:4 awb"), "art. 3:4 awb");
  EXPECT_EQ(SearchLog::Normalise("wet bibob 2013 art 9"), "wet bibob 2013 art 9");
  // Shapes near an IBAN that are none: a word after two letters and two
  // digits, and groups without a digit.
  EXPECT_EQ(SearchLog::Normalise("ar15 geweren"), "ar15 geweren");
  EXPECT_EQ(SearchLog::Normalise("ab12 test data info here"), "ab12 test data info here");
  EXPECT_EQ(SearchLog::Normalise("e-mail at kantoor"), "e-mail at kantoor");
}

// Rows logged under the old rule stay visible for up to 30 days unless they
// are deleted: opening the log deletes what Normalise now refuses.
TEST(SearchLog, OpenDeletesQueriesStoredUnderTheOlderRule) {
  testing::TempDir dir;
  Options options;
  options.path = dir.Sub("searchlog.sqlite");
  options.today = [] { return std::string("2026-11-29"); };
  {
    auto log = SearchLog::Open(options);
    ASSERT_TRUE(log.ok());
    (*log)->Record("witwassen", true);
  }
  {
    // What the old Normalise let through, as it stored it.
    auto db = store::Db::Open(options.path);
    ASSERT_TRUE(db.ok());
    for (const char* query : {"bsn 1234.56.782", "telefoon 06 12 34 56 78",
                              "iban nl91 abna 0417 1643 00", "jan\uff20voorbeeld.nl"}) {
      for (const char* day : {"2026-11-28", "2026-11-29"}) {
        auto insert = (*db)->Prepare(
            "INSERT INTO search_days(day, query, searches, zero) VALUES(?, ?, 1, 1)");
        ASSERT_TRUE(insert.ok());
        ASSERT_TRUE(insert->Bind(1, day).Bind(2, query).Run().ok());
      }
    }
  }
  auto log = SearchLog::Open(options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  auto zero = (*log)->ZeroResults();
  ASSERT_TRUE(zero.ok());
  ASSERT_EQ(zero->size(), 1u);
  EXPECT_EQ((*zero)[0].query, "witwassen");
}

TEST(SearchLog, CountsZeroResultsPerQueryWithinTheWindow) {
  testing::TempDir dir;
  std::string today = "2026-11-29";
  Options options;
  options.path = dir.Sub("searchlog.sqlite");
  options.today = [&] { return today; };
  auto log = SearchLog::Open(options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  today = "2026-10-31";  // day one of the 30-day window ending today
  (*log)->Record("Crystal Meth", true);
  today = "2026-10-30";  // the day before: outside the window
  (*log)->Record("oud", true);
  today = "2026-11-29";
  (*log)->Record("crystal  meth", true);
  (*log)->Record("witwassen", false);
  (*log)->Record("vakantiepark", true);
  auto zero = (*log)->ZeroResults();
  ASSERT_TRUE(zero.ok()) << zero.status().ToString();
  ASSERT_EQ(zero->size(), 2u);
  EXPECT_EQ((*zero)[0].query, "crystal meth");
  EXPECT_EQ((*zero)[0].count, 2);
  EXPECT_EQ((*zero)[0].last_day, "2026-11-29");
  EXPECT_EQ((*zero)[1].query, "vakantiepark");
  EXPECT_EQ((*zero)[1].count, 1);
}

TEST(SearchLog, StoresOnlyDayQueryAndCountsAndPrunesOldDays) {
  testing::TempDir dir;
  std::string today = "2026-10-01";
  Options options;
  options.path = dir.Sub("searchlog.sqlite");
  options.today = [&] { return today; };
  {
    auto log = SearchLog::Open(options);
    ASSERT_TRUE(log.ok());
    (*log)->Record("oud", true);
    ASSERT_TRUE((*log)->Flush().ok());
    today = "2026-11-29";
    (*log)->Record("nieuw", true);
  }  // the destructor writes what is buffered and prunes
  auto db = store::Db::Open(options.path);
  ASSERT_TRUE(db.ok());
  auto columns = (*db)->Prepare("SELECT group_concat(name) FROM pragma_table_info('search_days')");
  ASSERT_TRUE(columns.ok());
  ASSERT_TRUE(*columns->Step());
  EXPECT_EQ(columns->Text(0), "day,query,searches,zero");
  auto rows = (*db)->Prepare("SELECT day, query, searches, zero FROM search_days");
  ASSERT_TRUE(rows.ok());
  ASSERT_TRUE(*rows->Step());
  EXPECT_EQ(rows->Text(0), "2026-11-29");
  EXPECT_EQ(rows->Text(1), "nieuw");
  EXPECT_FALSE(*rows->Step());  // "oud" (59 days old) was pruned
}

TEST(SearchLog, BoundsTheBufferAndCountsConcurrentRecords) {
  testing::TempDir dir;
  Options options;
  options.path = dir.Sub("searchlog.sqlite");
  options.max_pending = 3;
  options.flush_interval = std::chrono::hours(1);  // only explicit flushes
  auto log = SearchLog::Open(options);
  ASSERT_TRUE(log.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) (*log)->Record("niets", true);
    });
  }
  for (auto& t : threads) t.join();
  auto zero = (*log)->ZeroResults();
  ASSERT_TRUE(zero.ok());
  ASSERT_EQ(zero->size(), 1u);
  EXPECT_EQ((*zero)[0].count, 2000);
  ASSERT_TRUE((*log)->Flush().ok());
  for (int i = 0; i < 10; ++i) (*log)->Record("q" + std::string(1, char('a' + i)), true);
  auto after = (*log)->ZeroResults(100);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 1u + 3u);  // at most max_pending new queries between flushes
}

}  // namespace
}  // namespace kpo::searchlog

// Configuration layering: file, then environment, then flags, each value
// with its origin; strict number and list parsing.
#include "common/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "support/test_support.h"

namespace kpo {
namespace {

std::vector<ConfigKey> Keys() {
  return {{"port", "KPO_TEST_PORT", "--port", "8080"}, {"name", "", "--name", "kpo"}};
}

TEST(Config, LayersFileEnvironmentAndFlagsWithTheirOrigin) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("a.conf"), "# comment\n\n  port = 81  # trailing\nname=x = y\n");
  Config config(Keys());
  EXPECT_EQ(config.Get("port").value, "8080");
  EXPECT_EQ(config.Get("port").origin, "standaard");
  ASSERT_TRUE(config.LoadFile(dir.Sub("a.conf")).ok());
  EXPECT_EQ(config.Get("port").value, "81");
  EXPECT_EQ(config.Get("port").origin, dir.Sub("a.conf") + ":3");
  EXPECT_EQ(config.Get("name").value, "x = y");
  setenv("KPO_TEST_PORT", "82", 1);
  config.LoadEnvironment();
  unsetenv("KPO_TEST_PORT");
  EXPECT_EQ(config.Get("port").origin, "KPO_TEST_PORT");
  config.SetFromFlag("--port", "83");
  EXPECT_EQ(config.Get("port").value, "83");
  EXPECT_EQ(config.Problem("port", "fout"), "sleutel 'port' (--port): fout");
}

TEST(Config, RejectsUnknownKeysLinesWithoutValueAndRepeats) {
  testing::TempDir dir;
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"poort = 1\n", ":1: onbekende sleutel 'poort'"},
           {"\nport\n", ":2: regel zonder '='"},
           {"port = 1\nport = 2\n", ":2: sleutel 'port' staat er al op regel 1"},
       }) {
    testing::WriteFile(dir.Sub("b.conf"), text);
    Config config(Keys());
    Status s = config.LoadFile(dir.Sub("b.conf"));
    EXPECT_TRUE(s.Is(ErrorCode::kInvalidParameter));
    EXPECT_NE(s.message().find(dir.Sub("b.conf") + expected), std::string::npos) << s.message();
  }
  testing::WriteFile(dir.Sub("big.conf"), std::string((1 << 20) + 1, '#'));
  Config config(Keys());
  EXPECT_NE(config.LoadFile(dir.Sub("big.conf")).message().find("groter dan 1 MiB"),
            std::string::npos);
}

TEST(Config, ParsesBoundedNumbersAndListsStrictly) {
  EXPECT_EQ(ParseBoundedNumber("65535", 0, 65535), 65535);
  for (const char* bad : {"", "-1", "65536", "12abc", " 1", "1e3", "99999999999999"}) {
    EXPECT_FALSE(ParseBoundedNumber(bad, 0, 65535)) << bad;
  }
  EXPECT_EQ(SplitList(" a, b,,c ,"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitList("").empty());
}

}  // namespace
}  // namespace kpo

// Unit tests for request.h: percent-encoding round trips.
#include "http/request.h"

#include <gtest/gtest.h>

namespace kpo::http {
namespace {

TEST(PercentEncode, KeepsUnreservedEncodesTheRest) {
  EXPECT_EQ(PercentEncode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(PercentEncode("a b&c=d/é,"), "a%20b%26c%3Dd%2F%C3%A9%2C");
  for (const std::string text : {"", "witwassen & co", "\"><script>", "100%"}) {
    EXPECT_EQ(PercentDecode(PercentEncode(text), true), text);
  }
}

}  // namespace
}  // namespace kpo::http

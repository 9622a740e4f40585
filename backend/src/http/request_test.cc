// Unit tests of request.h: percent-encoding round trips and the head check (the hostile cases run
// against a real server in tests/integration/http_framing_test.cc).
#include "http/request.h"

#include "http/router.h"

#include <gtest/gtest.h>

namespace kpo::http {
namespace {

TEST(Request, AbsoluteUrlUsesHostAndScheme) {
  Request req;
  EXPECT_EQ(req.AbsoluteUrl("/feed/x.atom"), "/feed/x.atom");  // no Host: as given
  req.headers["host"] = "kpo.example.nl";
  EXPECT_EQ(req.AbsoluteUrl("/feed/x.atom"), "http://kpo.example.nl/feed/x.atom");
  req.secure = true;
  EXPECT_EQ(req.AbsoluteUrl("/api/calendar/y.ics"), "https://kpo.example.nl/api/calendar/y.ics");
}

TEST(ParseRequestHead, AcceptsWellFormedHeads) {
  auto get = ParseRequestHead("GET /api/search?q=a HTTP/1.1\r\nHost: x\r\n\r\n", 100);
  ASSERT_TRUE(get.ok()) << get.status().ToString();
  EXPECT_EQ(get->method, "GET");
  EXPECT_EQ(get->content_length, 0u);
  auto post = ParseRequestHead(
      "POST /api/auth/login HTTP/1.1\r\nhost:x\r\ncontent-length:  100 \r\n\r\n", 100);
  ASSERT_TRUE(post.ok()) << post.status().ToString();
  EXPECT_EQ(post->content_length, 100u);
  // HTTP/1.0 needs no Host.
  EXPECT_TRUE(ParseRequestHead("HEAD / HTTP/1.0\r\n\r\n", 0).ok());
}

TEST(ParseRequestHead, BoundsTheBody) {
  auto r = ParseRequestHead("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", 100);
  EXPECT_TRUE(r.status().Is(ErrorCode::kPayloadTooLarge));
}

TEST(ParseRequestHead, NeverEchoesMoreThanAShortMethod) {
  auto r = ParseRequestHead(std::string(5000, 'X') + " / HTTP/1.1\r\nHost: x\r\n\r\n", 0);
  ASSERT_TRUE(r.status().Is(ErrorCode::kMethodNotImplemented));
  EXPECT_LT(r.status().message().size(), 200u);
}

TEST(ParseRequestHead, RefusesBareLineFeeds) {
  EXPECT_TRUE(ParseRequestHead("GET / HTTP/1.1\nHost: x\r\n\r\n", 0)
                  .status()
                  .Is(ErrorCode::kInvalidHeader));
}

TEST(ClientAddress, ForwardedForCountsOnlyFromTrustedProxies) {
  auto trusted = AddressSet::Parse({"127.0.0.1", "10.0.0.0/8", "::1"});
  ASSERT_TRUE(trusted.ok());
  EXPECT_EQ(ClientAddress("192.0.2.9", "198.51.100.1", *trusted), "192.0.2.9");
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.1", *trusted), "198.51.100.1");
  // The rightmost hop not vouched for by a trusted proxy; spoofed entries
  // to its left do not count.
  EXPECT_EQ(ClientAddress("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.2.3", *trusted),
            "198.51.100.1");
  EXPECT_EQ(ClientAddress("::1", "", *trusted), "::1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "geen-adres", *trusted), "127.0.0.1");
  auto none = AddressSet::Parse({});
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.1", *none), "127.0.0.1");
}

// A dual-stack listener reports an IPv4 peer as ::ffff:a.b.c.d: it is the
// configured IPv4 proxy all the same (else everyone behind it would share
// one address and one login limit), and every address is answered in one
// form, so one client is one client for the limit and the session list.
TEST(ClientAddress, IPv4MappedAddressesAreTheirIPv4Address) {
  auto trusted = AddressSet::Parse({"127.0.0.1", "10.0.0.0/8"});
  ASSERT_TRUE(trusted.ok());
  EXPECT_EQ(ClientAddress("::ffff:127.0.0.1", "198.51.100.1", *trusted), "198.51.100.1");
  EXPECT_EQ(ClientAddress("[::FFFF:10.1.2.3]", "198.51.100.1", *trusted), "198.51.100.1");
  EXPECT_EQ(ClientAddress("::ffff:192.0.2.9", "198.51.100.1", *trusted), "192.0.2.9");
  EXPECT_EQ(ClientAddress("127.0.0.1", "::ffff:198.51.100.1", *trusted), "198.51.100.1");
  EXPECT_EQ(ClientAddress("::ffff:127.0.0.1", "10.0.0.7, ::ffff:10.0.0.8", *trusted), "10.0.0.7");
  // Other IPv6 addresses stay as they are, and are no IPv4 proxy.
  EXPECT_EQ(ClientAddress("::1", "198.51.100.1", *trusted), "::1");
  EXPECT_EQ(ClientAddress("::127.0.0.1", "198.51.100.1", *trusted), "::127.0.0.1");
  EXPECT_EQ(ClientAddress("64:ff9b::7f00:1", "198.51.100.1", *trusted), "64:ff9b::7f00:1");
  // A proxy network written as mapped IPv6 is the IPv4 network.
  auto mapped = AddressSet::Parse({"::ffff:10.0.0.0/104"});
  ASSERT_TRUE(mapped.ok());
  EXPECT_TRUE(mapped->Contains("10.200.0.1"));
  EXPECT_FALSE(mapped->Contains("11.0.0.1"));
  EXPECT_FALSE(AddressSet::Parse({"::ffff:10.0.0.0/90"}).ok());
}

TEST(JoinFieldLines, JoinsEveryLineOfTheHeaderIntoTheFirst) {
  const std::string two =
      "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.0.0.7\r\nAccept: */*\r\n"
      "x-forwarded-for:203.0.113.5 \r\n\r\n";
  EXPECT_EQ(JoinFieldLines(two, "x-forwarded-for"),
            "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.0.0.7, 203.0.113.5\r\n"
            "Accept: */*\r\n\r\n");
  // The joined line is read from the right, as one list.
  auto trusted = AddressSet::Parse({"127.0.0.1"});
  ASSERT_TRUE(trusted.ok());
  EXPECT_EQ(ClientAddress("127.0.0.1", "10.0.0.7, 203.0.113.5", *trusted), "203.0.113.5");
  const std::string one = "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n";
  EXPECT_EQ(JoinFieldLines(one, "x-forwarded-for"), one);
  EXPECT_EQ(JoinFieldLines("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "x-forwarded-for"),
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  // A name that only starts the same is another header.
  const std::string other =
      "GET / HTTP/1.1\r\nX-Forwarded-For-Extra: a\r\nX-Forwarded-For: b\r\n\r\n";
  EXPECT_EQ(JoinFieldLines(other, "x-forwarded-for"), other);
}

TEST(AddressSet, ParsesNetworksAndRefusesGarbage) {
  auto set = AddressSet::Parse({"192.168.0.0/16", "fd00::/8"});
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set->Contains("192.168.3.4"));
  EXPECT_FALSE(set->Contains("192.169.0.1"));
  EXPECT_TRUE(set->Contains("[fd12::1]"));
  EXPECT_FALSE(set->Contains("fe80::1"));
  for (const char* bad : {"localhost", "10.0.0.0/33", "10.0.0.0/", "1.2.3"}) {
    EXPECT_TRUE(AddressSet::Parse({bad}).status().Is(ErrorCode::kInvalidParameter)) << bad;
  }
}

TEST(PercentEncode, KeepsUnreservedEncodesTheRest) {
  EXPECT_EQ(PercentEncode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(PercentEncode("a b&c=d/é,"), "a%20b%26c%3Dd%2F%C3%A9%2C");
  for (const std::string text : {"", "witwassen & co", "\"><script>", "100%"}) {
    EXPECT_EQ(PercentDecode(PercentEncode(text), true), text);
  }
}

}  // namespace
}  // namespace kpo::http

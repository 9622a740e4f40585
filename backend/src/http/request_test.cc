// Unit tests of request.h: the head check (the hostile cases run against a
// real server in tests/integration/http_framing_test.cc).
#include "http/request.h"

#include <gtest/gtest.h>

namespace kpo::http {
namespace {

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

}  // namespace
}  // namespace kpo::http

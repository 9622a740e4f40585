// Issue 13, "defects found when the running server was probed": what the
// server answers to requests Pistache 0.0.5's parser mishandles, and what
// happens to the connection afterwards. Raw sockets against a real server.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "support/server_fixture.h"

namespace kpo {
namespace {

using testing::ConnectRaw;
using testing::ReadUntilClosed;
using testing::SendAll;

class HttpFramingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::Corpus();
    corpus_->Add({.id = "een", .title = "Bibob voor gemeenten", .body = "bibob"});
    server_ = new testing::ServerFixture(corpus_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
  }
  // Sends `raw` on a fresh connection and reads until the server closes it.
  static std::string Exchange(const std::string& raw, bool* closed) {
    const int fd = ConnectRaw(server_->port());
    EXPECT_GE(fd, 0);
    (void)SendAll(fd, raw);
    std::string got = ReadUntilClosed(fd, closed);
    ::close(fd);
    return got;
  }
  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
};
testing::Corpus* HttpFramingTest::corpus_ = nullptr;
testing::ServerFixture* HttpFramingTest::server_ = nullptr;

// Responses in `raw`, each framed by its Content-Length.
size_t CountResponses(const std::string& raw) {
  size_t n = 0;
  size_t at = 0;
  while (raw.compare(at, 9, "HTTP/1.1 ") == 0) {
    ++n;
    const size_t end = raw.find("\r\n\r\n", at);
    if (end == std::string::npos) break;
    const size_t cl = raw.find("Content-Length: ", at);
    if (cl == std::string::npos || cl > end) break;
    at = end + 4 + std::stoul(raw.substr(cl + 16, 20));
  }
  return n;
}

// The value of `name` (as the server spells it) in the first response.
std::string HeaderOf(const std::string& raw, const std::string& name) {
  const size_t at = raw.find("\r\n" + name + ": ");
  if (at == std::string::npos || at > raw.find("\r\n\r\n")) return "";
  const size_t start = at + name.size() + 4;
  return raw.substr(start, raw.find("\r\n", start) - start);
}

nlohmann::json BodyOf(const std::string& raw) {
  const size_t at = raw.find("\r\n\r\n");
  if (at == std::string::npos) return nullptr;
  return nlohmann::json::parse(raw.substr(at + 4), nullptr, false);
}

struct HostileCase {
  std::string name;
  std::string raw;
  int status;
  std::string code;
};

// Each once answered 500 with "basic_string::_M_create" or "stoull", 400
// with "std::bad_alloc", or a plain-text 400 without a request id.
TEST_F(HttpFramingTest, HostileHeadsGetOneJsonErrorWithRequestIdThenClose) {
  const std::string get = "GET /api/health HTTP/1.1\r\nHost: x\r\n";
  const std::string post = "POST /api/auth/login HTTP/1.1\r\nHost: x\r\n";
  const std::vector<HostileCase> cases = {
      {"length -1", post + "Content-Length: -1\r\n\r\nabc", 400, "invalid_content_length"},
      {"length 2^63", post + "Content-Length: 9223372036854775808\r\n\r\n", 413,
       "payload_too_large"},
      {"length 2^64+1", post + "Content-Length: 18446744073709551617\r\n\r\n", 400,
       "invalid_content_length"},
      {"length twice", post + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400,
       "invalid_content_length"},
      {"length not a number", post + "Content-Length: 12abc\r\n\r\n", 400,
       "invalid_content_length"},
      {"chunk FFFFFFFFFFFFFFFF",
       post + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n", 411,
       "length_required"},
      {"chunk -5", post + "Transfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n", 411,
       "length_required"},
      {"method FOO", "FOO /api/health HTTP/1.1\r\nHost: x\r\n\r\n", 501, "method_not_implemented"},
      {"method PROPFIND", "PROPFIND / HTTP/1.1\r\nHost: x\r\n\r\n", 501, "method_not_implemented"},
      {"method get", "get /api/health HTTP/1.1\r\nHost: x\r\n\r\n", 501, "method_not_implemented"},
      {"method TRACE", "TRACE /api/health HTTP/1.1\r\nHost: x\r\n\r\n", 501,
       "method_not_implemented"},
      {"no version", "GET /api/health\r\nHost: x\r\n\r\n", 400, "invalid_request_line"},
      {"version 2", "GET /api/health HTTP/2.0\r\nHost: x\r\n\r\n", 400, "invalid_request_line"},
      {"absolute target", "GET http://x/api/health HTTP/1.1\r\nHost: x\r\n\r\n", 400,
       "invalid_request_line"},
      {"no colon", get + "Geen dubbele punt\r\n\r\n", 400, "invalid_header"},
      {"space before colon", get + "Host : y\r\n\r\n", 400, "invalid_header"},
      {"folded", get + "X-A: b\r\n  c\r\n\r\n", 400, "invalid_header"},
      {"no host", "GET /api/health HTTP/1.1\r\n\r\n", 400, "invalid_header"},
      {"two hosts", get + "Host: y\r\n\r\n", 400, "invalid_header"},
  };
  for (const auto& c : cases) {
    bool closed = false;
    const std::string got = Exchange(c.raw, &closed);
    EXPECT_EQ(CountResponses(got), 1u) << c.name << "\n" << got;
    EXPECT_EQ(got.substr(0, 12), "HTTP/1.1 " + std::to_string(c.status)) << c.name;
    EXPECT_TRUE(closed) << c.name;
    EXPECT_EQ(HeaderOf(got, "Connection"), "Close") << c.name;
    EXPECT_EQ(HeaderOf(got, "X-Request-Id").size(), 16u) << c.name;
    auto body = BodyOf(got);
    ASSERT_TRUE(body.is_object()) << c.name << "\n" << got;
    EXPECT_EQ(body["error"]["code"], c.code) << c.name;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
    for (const char* internal : {"basic_string", "stoull", "bad_alloc", "std::", "Unknown HTTP"}) {
      EXPECT_EQ(got.find(internal), std::string::npos) << c.name << ": " << internal;
    }
  }
}

TEST_F(HttpFramingTest, RejectedRequestIsLoggedUnderItsRequestId) {
  ::testing::internal::CaptureStderr();
  bool closed = false;
  const std::string got = Exchange("FOO / HTTP/1.1\r\nHost: x\r\n\r\n", &closed);
  const std::string log = ::testing::internal::GetCapturedStderr();
  const std::string id = HeaderOf(got, "X-Request-Id");
  ASSERT_EQ(id.size(), 16u) << got;
  bool found = false;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || j["event"] != "request" || j["request_id"] != id) continue;
    found = true;
    EXPECT_EQ(j["status"], 501);
    EXPECT_EQ(j["method"], "FOO");
  }
  EXPECT_TRUE(found) << log;
}

// A 3 MB body once got its 413 and then had its remainder parsed as 512
// more requests on a connection that stayed open.
TEST_F(HttpFramingTest, OversizedBodyGetsOne413AndTheRestIsNeverParsed) {
  const std::string body(3 << 20, 'x');
  for (const char* connection : {"", "Connection: close\r\n"}) {
    bool closed = false;
    const std::string got = Exchange(
        "POST /api/auth/login HTTP/1.1\r\nHost: x\r\n" + std::string(connection) +
            "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n" + body,
        &closed);
    EXPECT_EQ(CountResponses(got), 1u) << got.substr(0, 2000);
    EXPECT_EQ(got.substr(0, 12), "HTTP/1.1 413");
    EXPECT_EQ(BodyOf(got)["error"]["code"], "payload_too_large");
    EXPECT_TRUE(closed);
  }
}

// A 2 MB header once got 413 and then a stray 400 on the same connection.
TEST_F(HttpFramingTest, OversizedHeadGetsOne431ThenClose) {
  bool closed = false;
  const std::string got = Exchange(
      "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2 << 20, 'a') + "\r\n\r\n",
      &closed);
  EXPECT_EQ(CountResponses(got), 1u) << got.substr(0, 2000);
  EXPECT_EQ(got.substr(0, 12), "HTTP/1.1 431");
  EXPECT_EQ(BodyOf(got)["error"]["code"], "headers_too_large");
  EXPECT_TRUE(closed);
}

// Pistache 0.0.5 answered only the first of requests sent together.
TEST_F(HttpFramingTest, PipelinedRequestsAreAllAnswered) {
  const int fd = ConnectRaw(server_->port());
  ASSERT_GE(fd, 0);
  const std::string one = "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string last = "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_TRUE(SendAll(fd, one + one + last));
  bool closed = false;
  const std::string got = ReadUntilClosed(fd, &closed);
  ::close(fd);
  EXPECT_EQ(CountResponses(got), 3u) << got;
  EXPECT_TRUE(closed);
}

// During a drain every answer says "Connection: close" and closes, so a
// client's next request goes to a fresh connection instead of a reset.
TEST(HttpFramingDrain, DrainAnswersCloseTheConnection) {
  testing::Corpus corpus;
  corpus.Add({.id = "een", .title = "Een"});
  testing::ServerFixture fixture(&corpus);
  const int fd = ConnectRaw(fixture.port());
  ASSERT_GE(fd, 0);
  const std::string get = "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE(SendAll(fd, get));
  char buf[4096];
  ASSERT_GT(::recv(fd, buf, sizeof buf, 0), 0);  // 200, keep-alive
  fixture.server()->StartDrainingForTest();
  ASSERT_TRUE(SendAll(fd, get));
  bool closed = false;
  const std::string got = ReadUntilClosed(fd, &closed);
  ::close(fd);
  EXPECT_EQ(got.substr(0, 12), "HTTP/1.1 503") << got;
  EXPECT_EQ(HeaderOf(got, "Connection"), "Close");
  EXPECT_EQ(BodyOf(got)["error"]["code"], "service_unavailable");
  EXPECT_TRUE(closed);
}

}  // namespace
}  // namespace kpo

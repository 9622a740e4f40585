// HEAD (RFC 9110 9.3.2) on a real server, at the socket level: every GET
// route and static file answers HEAD with GET's status and headers
// (Content-Length of GET's body, Content-Type, ETag, caching) and no body;
// no HEAD answer carries a body (404, 405 too), so a GET after a HEAD on
// the same keep-alive connection reads its own answer. Allow lists HEAD
// wherever GET is allowed, each method once.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "support/server_fixture.h"

namespace kpo {
namespace {

using testing::ConnectRaw;
using testing::ReadUntilClosed;
using testing::SendAll;

// One answer read off a connection, framed by its Content-Length (or by
// none when `head`).
struct Answer {
  int status = 0;
  std::string head;  // status line and headers, without the blank line
  std::string body;
  std::string Header(const std::string& name) const {
    const size_t at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    const size_t start = at + name.size() + 4;
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

// Reads one answer from `fd`, leaving whatever follows it in `rest`.
Answer ReadAnswer(int fd, std::string* rest, bool head_request) {
  std::string& buf = *rest;
  char chunk[65536];
  while (buf.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return {};
    buf.append(chunk, static_cast<size_t>(n));
  }
  Answer a;
  const size_t end = buf.find("\r\n\r\n");
  a.head = buf.substr(0, end);
  buf.erase(0, end + 4);
  if (a.head.rfind("HTTP/1.1 ", 0) == 0) a.status = std::stoi(a.head.substr(9, 3));
  const std::string length = a.Header("Content-Length");
  const size_t want = head_request || length.empty() ? 0 : std::stoul(length);
  while (buf.size() < want) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    buf.append(chunk, static_cast<size_t>(n));
  }
  a.body = buf.substr(0, want);
  buf.erase(0, want);
  return a;
}

class HeadMethodTest : public ::testing::Test {
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
  static std::string Request(const std::string& method, const std::string& target,
                             const std::string& extra = "") {
    return method + " " + target + " HTTP/1.1\r\nHost: kpo.test\r\n" + extra + "\r\n";
  }
  // HEAD then GET of `target` on one keep-alive connection; both answers.
  static std::pair<Answer, Answer> HeadThenGet(const std::string& target) {
    const int fd = ConnectRaw(server_->port());
    EXPECT_GE(fd, 0);
    std::string rest;
    EXPECT_TRUE(SendAll(fd, Request("HEAD", target)));
    Answer head = ReadAnswer(fd, &rest, true);
    EXPECT_TRUE(SendAll(fd, Request("GET", target, "Connection: close\r\n")));
    Answer get = ReadAnswer(fd, &rest, false);
    // Nothing else follows: the HEAD answer had no body.
    bool closed = false;
    rest += ReadUntilClosed(fd, &closed);
    EXPECT_EQ(rest, "") << target;
    ::close(fd);
    return {head, get};
  }
  // The whole of what the server sends to one request on its own
  // connection (Connection: close), to see that no body follows the head.
  static std::string Exchange(const std::string& raw) {
    const int fd = ConnectRaw(server_->port());
    EXPECT_GE(fd, 0);
    (void)SendAll(fd, raw);
    bool closed = false;
    std::string got = ReadUntilClosed(fd, &closed);
    EXPECT_TRUE(closed);
    ::close(fd);
    return got;
  }
  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
};
testing::Corpus* HeadMethodTest::corpus_ = nullptr;
testing::ServerFixture* HeadMethodTest::server_ = nullptr;

// Before the fix the HEAD answer carried the stylesheet, and the GET after
// it read the CSS as its status line.
TEST_F(HeadMethodTest, HeadThenGetOnOneConnectionBothParseForStaticFilesPagesAndApi) {
  for (const std::string target : {"/static/portal.css", "/static/portal.css?v=1", "/",
                                   "/api/health", "/api/documents/een", "/zoeken?q=bibob"}) {
    auto [head, get] = HeadThenGet(target);
    EXPECT_EQ(get.status, 200) << target;
    EXPECT_EQ(head.status, get.status) << target;
    EXPECT_EQ(head.body, "") << target;
    EXPECT_FALSE(get.body.empty()) << target;
    EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size())) << target;
    for (const char* name : {"Content-Type", "ETag", "Cache-Control", "Connection"}) {
      if (std::string(name) == "Connection") {
        EXPECT_EQ(head.Header(name), "Keep-Alive") << target;
      } else {
        EXPECT_EQ(head.Header(name), get.Header(name)) << target << " " << name;
      }
    }
  }
  auto [css, css_get] = HeadThenGet("/static/portal.css");
  EXPECT_FALSE(css.Header("ETag").empty());
  EXPECT_EQ(css.Header("Content-Type"), "text/css; charset=utf-8");
}

TEST_F(HeadMethodTest, HeadOfTheHomePageAndHealthIs200WithoutBody) {
  for (const std::string target : {"/", "/api/health"}) {
    const std::string got = Exchange(Request("HEAD", target, "Connection: close\r\n"));
    EXPECT_EQ(got.rfind("HTTP/1.1 200 ", 0), 0u) << got.substr(0, 200);
    const size_t end = got.find("\r\n\r\n");
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(end + 4, got.size()) << target << ": a body followed the head";
    EXPECT_EQ(got.find("Content-Length: 0\r\n"), std::string::npos) << target;
  }
}

TEST_F(HeadMethodTest, NoHeadAnswerHasABodyAlso404And405) {
  struct Case {
    std::string target;
    int status;
  };
  for (const Case& c : {Case{"/api/bestaat-niet", 404}, Case{"/bestaat-niet", 404},
                        Case{"/static/bestaat-niet.css", 404}, Case{"/api/auth/login", 405},
                        Case{"/api/documents/niet-zo", 404}}) {
    const std::string got = Exchange(Request("HEAD", c.target, "Connection: close\r\n"));
    EXPECT_EQ(got.rfind("HTTP/1.1 " + std::to_string(c.status) + " ", 0), 0u)
        << c.target << ": " << got.substr(0, 200);
    const size_t end = got.find("\r\n\r\n");
    ASSERT_NE(end, std::string::npos) << c.target;
    EXPECT_EQ(end + 4, got.size()) << c.target << ": a body followed the head";
  }
}

TEST_F(HeadMethodTest, AllowListsHeadWithGetAndEachMethodOnce) {
  const std::string patch = Exchange(
      Request("PATCH", "/api/documents/een", "Connection: close\r\nContent-Length: 0\r\n"));
  EXPECT_EQ(patch.rfind("HTTP/1.1 405 ", 0), 0u) << patch.substr(0, 200);
  const size_t at = patch.find("\r\nAllow: ");
  ASSERT_NE(at, std::string::npos);
  const std::string allow = patch.substr(at + 9, patch.find("\r\n", at + 9) - at - 9);
  EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
  EXPECT_NE(allow.find("HEAD"), std::string::npos) << allow;
  EXPECT_EQ(allow.find("GET"), allow.rfind("GET")) << allow;
  EXPECT_EQ(allow.find("PUT"), allow.rfind("PUT")) << allow;
  // A POST-only route allows no HEAD.
  const std::string login = Exchange(Request("GET", "/api/auth/login", "Connection: close\r\n"));
  const size_t login_allow = login.find("\r\nAllow: ");
  ASSERT_NE(login_allow, std::string::npos) << login.substr(0, 300);
  EXPECT_EQ(login.substr(login_allow + 9, login.find("\r\n", login_allow + 9) - login_allow - 9),
            "POST");
}

}  // namespace
}  // namespace kpo

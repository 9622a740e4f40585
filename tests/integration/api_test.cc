// The API contract against a real server on an ephemeral port.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "support/server_fixture.h"

namespace kpo {
namespace {

using testing::ConnectRaw;
using testing::HttpCall;
using testing::ItemSpec;
using testing::UrlEncode;

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new testing::Corpus();
    corpus_->Add({.id = "bibob-gids",
                  .title = "Handreiking Bibob-beleid voor gemeenten",
                  .published = "2022-03-01",
                  .summary = "Hoe een gemeente Bibob-beleid opstelt.",
                  .body = "## Stappen\n\nEen gemeente stelt **Bibob-beleid** vast.\n\n"
                          "<script>alert('x')</script>\n\n[klik](javascript:alert(1))\n"});
    corpus_->Add({.id = "cursus-bibob",
                  .title = "Cursus Bibob voor beginners",
                  .type = "cursus",
                  .published = "2024-01-10",
                  .body = "Een cursus over de Bibob-toets."});
    corpus_->Add({.id = "leden-notitie",
                  .title = "Notitie voor leden",
                  .access = "members",
                  .body = "Ledenmateriaal over bibob."});
    server_ = new testing::ServerFixture(corpus_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete corpus_;
  }
  static testing::HttpResponse Get(const std::string& target,
                                   const std::vector<std::string>& headers = {}) {
    return HttpCall(server_->port(), "GET", target, headers);
  }
  static testing::Corpus* corpus_;
  static testing::ServerFixture* server_;
};
testing::Corpus* ApiTest::corpus_ = nullptr;
testing::ServerFixture* ApiTest::server_ = nullptr;

TEST_F(ApiTest, HealthCountsVisibleItems) {
  auto r = Get("/api/health");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["items"], 2);  // the members item is not counted for anonymous
  EXPECT_FALSE(j["index_generation"].get<std::string>().empty());
}

TEST_F(ApiTest, SearchContract) {
  auto r = Get("/api/search?q=bibob");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j["query"], "bibob");
  EXPECT_EQ(j["total"], 2);
  EXPECT_EQ(j["page"], 1);
  EXPECT_EQ(j["size"], 10);
  ASSERT_EQ(j["results"].size(), 2u);
  const auto& first = j["results"][0];
  for (const char* field :
       {"id", "title", "type", "summary", "snippet", "url", "published", "themes"}) {
    EXPECT_TRUE(first.contains(field)) << field;
  }
  EXPECT_EQ(first["url"], "/api/documents/" + first["id"].get<std::string>());
  EXPECT_NE(j["results"].dump().find("<mark>"), std::string::npos);
  EXPECT_EQ(j["facets"]["type"]["cursus"], 1);
  EXPECT_EQ(j["facets"]["type"]["handreiking"], 1);
  EXPECT_TRUE(j["suggestion"].is_null());
  EXPECT_EQ(j["also_searched"], nlohmann::json::array());
  EXPECT_EQ(r.Header("content-type"), "application/json; charset=utf-8");
}

TEST_F(ApiTest, EmptyQueryListsNewestFirstAndFilters) {
  auto j = Get("/api/search").Json();
  ASSERT_EQ(j["results"].size(), 2u);
  EXPECT_EQ(j["results"][0]["id"], "cursus-bibob");
  auto f = Get("/api/search?type=cursus").Json();
  EXPECT_EQ(f["total"], 1);
  auto multi = Get("/api/search?type=cursus,handreiking&sort=date").Json();
  EXPECT_EQ(multi["total"], 2);
}

TEST_F(ApiTest, PercentDecodingAndUtf8) {
  auto r = Get("/api/search?q=" + UrlEncode("bibob-beleid gemeenten"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["query"], "bibob-beleid gemeenten");
  auto plus = Get("/api/search?q=bibob+gemeenten");
  EXPECT_EQ(plus.Json()["query"], "bibob gemeenten");
}

TEST_F(ApiTest, BadParametersGet400WithDutchMessage) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/api/search?size=10000", "invalid_search_size"},
      {"/api/search?size=0", "invalid_search_size"},
      {"/api/search?size=12abc", "invalid_search_size"},
      {"/api/search?page=-1", "invalid_search_page"},
      {"/api/search?page=abc", "invalid_search_page"},
      {"/api/search?page=1000&size=100", "invalid_search_page"},
      {"/api/search?sort=popular", "invalid_search_sort"},
      {"/api/search?theme=ruimtevaart", "invalid_search_filter"},
      {"/api/search?type=blog", "invalid_search_filter"},
      {"/api/search?from=2022-13-01", "invalid_search_date"},
      {"/api/search?from=2023-01-01&to=2022-01-01", "invalid_search_date"},
      {"/api/search?q=%FF%FE", "invalid_search_q"},
      {"/api/search?q=" + std::string(10000, 'a'), "invalid_search_q"},
      {"/api/search?q=OR", "invalid_search_q"},
      {"/api/search?q=%ZZ", "invalid_parameter"},
      {"/api/documents/Hoofd%20Letters", "invalid_document_id"},
  };
  for (const auto& [target, code] : cases) {
    auto r = Get(target);
    EXPECT_EQ(r.status, 400) << target << " " << r.body;
    EXPECT_EQ(r.ErrorCodeName(), code) << target;
    auto j = r.Json();
    ASSERT_TRUE(j.is_object()) << target;
    EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
  }
}

TEST_F(ApiTest, HostileQueriesNever500) {
  for (const std::string& q :
       std::vector<std::string>{"\"unbalanced", "a OR", "-", "NOT", "\x01\x02 bibob", "((()))",
                                "\"\"", "*", "bibob*", "a\"b\"c", "OR OR OR bibob"}) {
    auto r = Get("/api/search?q=" + UrlEncode(q));
    EXPECT_TRUE(r.status == 200 || r.status == 400) << q << " -> " << r.status << " " << r.body;
  }
}

TEST_F(ApiTest, DocumentIsRenderedSafely) {
  auto r = Get("/api/documents/bibob-gids");
  ASSERT_EQ(r.status, 200);
  auto j = r.Json();
  std::string html = j["html"];
  EXPECT_NE(html.find("<h2>Stappen</h2>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_EQ(j["title"], "Handreiking Bibob-beleid voor gemeenten");
}

TEST_F(ApiTest, MissingAndForbiddenDocumentsAreTheSame404) {
  auto missing = Get("/api/documents/bestaat-niet");
  auto members = Get("/api/documents/leden-notitie");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(members.status, 404);
  EXPECT_EQ(missing.ErrorCodeName(), "document_not_found");
  EXPECT_EQ(members.ErrorCodeName(), "document_not_found");
}

TEST_F(ApiTest, RelatedAndSuggest) {
  auto rel = Get("/api/documents/bibob-gids/related");
  ASSERT_EQ(rel.status, 200);
  // The parsed answer is kept: a range-for over a temporary's member reads
  // freed memory (ASan found it).
  const auto related = rel.Json();
  for (const auto& r : related["results"]) EXPECT_NE(r["id"], "bibob-gids");
  auto s = Get("/api/suggest?q=bib");
  ASSERT_EQ(s.status, 200);
  EXPECT_FALSE(s.Json()["completions"].empty());
  EXPECT_EQ(Get("/api/documents/leden-notitie/related").status, 404);
}

TEST_F(ApiTest, UnknownRoutesAndMethods) {
  EXPECT_EQ((Get("/api/nope")).ErrorCodeName(), "route_not_found");
  auto r = HttpCall(server_->port(), "DELETE", "/api/search");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("allow"), "GET, HEAD");  // HEAD wherever GET is allowed
  EXPECT_EQ(Get("/api/documents/..%2F..%2Fetc%2Fpasswd").status, 400);
  EXPECT_EQ(Get("/../../etc/passwd").status, 404);
}

TEST_F(ApiTest, LargeHeadersAndBodiesWithinLimitsWork) {
  std::string big_header = "X-Filler: " + std::string(8 * 1024, 'a');
  EXPECT_EQ(Get("/api/health", {big_header}).status, 200);
  std::string body = "{\"email\":\"x@y.nl\",\"password\":\"" + std::string(1 << 20, 'p') + "\"}";
  auto r = HttpCall(server_->port(), "POST", "/api/auth/login", {"Content-Type: application/json"},
                    body);
  // Accepted by the server (not 413), parsed, then refused by our validation.
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 200);
  EXPECT_EQ(r.ErrorCodeName(), "invalid_field");
  std::string huge(3 << 20, 'x');
  auto too_big = HttpCall(server_->port(), "POST", "/api/auth/login",
                          {"Content-Type: application/json"}, huge);
  EXPECT_EQ(too_big.status, 413);
}

// Keep-alive: two requests on one connection both answered; "close" closes.
TEST_F(ApiTest, KeepAliveAndClose) {
  const int fd = ConnectRaw(server_->port());
  ASSERT_GE(fd, 0);
  auto roundtrip = [&](const std::string& extra) {
    std::string req = "GET /api/health HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
    ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    std::string got;
    char buf[4096];
    while (got.find("\"status\"") == std::string::npos) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    return got;
  };
  std::string first = roundtrip("");
  EXPECT_NE(first.find("Connection: Keep-Alive"), std::string::npos) << first;
  std::string second = roundtrip("Connection: close\r\n");
  EXPECT_NE(second.find("200 OK"), std::string::npos);
  char buf[16];
  EXPECT_EQ(::recv(fd, buf, sizeof buf, 0), 0);  // the server closed the socket
  ::close(fd);
}

// A response is written in more than one segment (headers, body). With
// Nagle's algorithm on, the server holds the body until the client ACKs the
// headers, and clients that delay ACKs (most, and nginx upstreams) wait
// ~40 ms per response. The accepted sockets must carry TCP_NODELAY.
TEST_F(ApiTest, AcceptedConnectionsDisableNagle) {
  const int fd = ConnectRaw(server_->port());
  ASSERT_GE(fd, 0);
  const std::string req = "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n";
  ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  char buf[4096];
  ASSERT_GT(::recv(fd, buf, sizeof buf, 0), 0);  // accepted and answered
  // The server runs in this process: find its end of the connection.
  int server_ends = 0;
  for (int other = 0; other < 4096; ++other) {
    if (other == fd) continue;
    sockaddr_in local{}, peer{};
    socklen_t len = sizeof local;
    if (::getsockname(other, reinterpret_cast<sockaddr*>(&local), &len) != 0) continue;
    if (local.sin_family != AF_INET ||
        local.sin_port != htons(static_cast<uint16_t>(server_->port()))) {
      continue;
    }
    len = sizeof peer;
    if (::getpeername(other, reinterpret_cast<sockaddr*>(&peer), &len) != 0) continue;  // listener
    int nodelay = 0;
    len = sizeof nodelay;
    ASSERT_EQ(::getsockopt(other, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len), 0);
    EXPECT_NE(nodelay, 0) << "server socket " << other;
    ++server_ends;
  }
  EXPECT_GE(server_ends, 1);
  ::close(fd);
}

// A repeated search is answered from the page cache and its rendering; a
// change in the store reaches the very next answer all the same.
TEST(ApiRenderedPages, RepeatedSearchSameBytesUntilTheStoreChanges) {
  testing::Corpus corpus;
  corpus.Add({.id = "open", .title = "Zwartkraai openbaar", .body = "zwartkraai"});
  corpus.Add({.id = "ook", .title = "Zwartkraai ook", .body = "zwartkraai"});
  testing::ServerFixture server(&corpus);
  auto get = [&] { return HttpCall(server.port(), "GET", "/api/search?q=zwartkraai"); };
  const auto first = get();
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.Json()["total"], 2);
  const auto second = get();
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.body.find("cache_key"), std::string::npos);  // never sent
  // The item becomes members-only in the store; the index still says public.
  corpus.SetAccessInStore("open", "members");
  const auto after = get();
  ASSERT_EQ(after.status, 200);
  ASSERT_EQ(after.Json()["results"].size(), 1u);
  EXPECT_EQ(after.Json()["results"][0]["id"], "ook");
}

TEST_F(ApiTest, ConcurrentRequestsAllAnswered) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto r = Get(i % 2 ? "/api/search?q=bibob&theme=bibob" : "/api/documents/bibob-gids");
        if (r.status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 200);
}

TEST_F(ApiTest, PortalIsServed) {
  auto r = Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.Header("content-type").find("text/html"), std::string::npos);
}

TEST(ServerDrain, InFlightRequestFinishesThenNewOnesAreRefused) {
  testing::Corpus corpus;
  corpus.Add({.id = "een", .title = "Een"});
  testing::ServerFixture fixture(&corpus);
  ASSERT_EQ(HttpCall(fixture.port(), "GET", "/api/health").status, 200);
  fixture.server()->Drain(std::chrono::seconds(2));
  EXPECT_TRUE(fixture.server()->draining());
  EXPECT_EQ(HttpCall(fixture.port(), "GET", "/api/health").status, 0);  // listener gone
}

}  // namespace
}  // namespace kpo

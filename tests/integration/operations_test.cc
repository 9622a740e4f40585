// Platform (issue 13, docs/operations.md): the configuration file and
// --check-config, GET /metrics, and kpo-admin backup / restore / reindex,
// each over the real programs: kpo-server and kpo-admin run as processes on
// real SQLite files and a real Xapian index, answering on a real port.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "access/auth_service.h"
#include "common/memory.h"
#include "integration/server_process.h"
#include "store/sqlite.h"
#include "support/test_support.h"

namespace kpo {
namespace {

namespace fs = std::filesystem;
using testing::HttpCall;
using testing::ServerProcess;
using testing::TempDir;
using testing::WriteFile;

// Runs `command` through the shell: exit status, stdout and stderr.
testing::CommandRun Shell(const std::string& command) { return testing::RunCommand(command); }

std::string Admin(const std::string& data) {
  return std::string(KPO_ADMIN_BIN) + " --data '" + data + "' ";
}

// A corpus of `n` public items about witwassen, indexed.
void IndexCorpus(testing::Corpus* corpus, int n) {
  for (int i = 0; i < n; ++i) {
    corpus->Add({.id = "item-" + std::to_string(i),
                 .title = "Witwassen signaal " + std::to_string(i),
                 .summary = "Samenvatting over witwassen en vastgoed.",
                 .body = "Witwassen via vastgoed, deel " + std::to_string(i) + "."});
  }
  auto errors = corpus->Index();
  ASSERT_TRUE(errors.empty()) << errors[0];
}

// An API token of `role`, made with kpo-admin (its stdout is the token).
std::string Token(const std::string& data, const std::string& role) {
  FILE* pipe = ::popen(
      (Admin(data) + "token create meter-" + role + " --role " + role + " 2>/dev/null").c_str(),
      "r");
  char buf[256] = {};
  std::string token = pipe != nullptr && fgets(buf, sizeof buf, pipe) != nullptr ? buf : "";
  if (pipe != nullptr) ::pclose(pipe);
  while (!token.empty() && token.back() == '\n') token.pop_back();
  return token;
}

// --- configuration ----------------------------------------------------------

testing::CommandRun CheckConfig(const std::string& file, const std::string& env = "",
                                const std::string& flags = "") {
  return Shell(env + " " + KPO_SERVER_BIN + " --config '" + file + "' " + flags +
               " --check-config");
}

TEST(Configuration, AValidFileIsAccepted) {
  TempDir dir;
  fs::create_directories(dir.Sub("data"));
  WriteFile(dir.Sub("kpo.conf"), "# KPO\ndata = " + dir.Sub("data") +
                                     "\nport = 9000\ntrusted_proxies = 127.0.0.1, 10.0.0.0/8\n"
                                     "cache_pages_mb = 8   # klein\nmetrics_addresses = ::1\n");
  auto run = CheckConfig(dir.Sub("kpo.conf"));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("in orde"), std::string::npos) << run.output;
}

TEST(Configuration, ProblemsNameTheKeyAndFileLine) {
  TempDir dir;
  fs::create_directories(dir.Sub("data"));
  const std::string file = dir.Sub("kpo.conf");
  const std::string data = "data = " + dir.Sub("data") + "\n";
  struct Case {
    std::string text;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {data + "\nport = 70000\n", "sleutel 'port' (" + file + ":3)"},
           {data + "poort = 80\n", file + ":2: onbekende sleutel 'poort'"},
           {data + "threads\n", file + ":2: regel zonder '='"},
           {data + "port = 1\nport = 2\n", file + ":3: sleutel 'port' staat er al op regel 2"},
           {data + "trusted_proxies = 127.0.0.1, nginx\n",
            "sleutel 'trusted_proxies' (" + file + ":2)"},
           {data + "cache_sets_mb = -1\n", "sleutel 'cache_sets_mb' (" + file + ":2)"},
           {"port = 80\n", "sleutel 'data'"},
       }) {
    WriteFile(file, c.text);
    auto run = CheckConfig(file);
    EXPECT_EQ(run.exit_code, 2) << c.text << run.output;
    EXPECT_NE(run.output.find(c.expected), std::string::npos) << c.text << run.output;
  }
  auto missing = CheckConfig(dir.Sub("bestaat-niet.conf"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("No such file or directory"), std::string::npos) << missing.output;
}

TEST(Configuration, EnvironmentOverridesTheFileAndFlagsOverrideBoth) {
  TempDir dir;
  fs::create_directories(dir.Sub("data"));
  WriteFile(dir.Sub("kpo.conf"), "data = " + dir.Sub("data") + "\nport = 8080\n");
  auto env = CheckConfig(dir.Sub("kpo.conf"), "KPO_PORT=poort");
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_NE(env.output.find("sleutel 'port' (KPO_PORT)"), std::string::npos) << env.output;
  auto flag = CheckConfig(dir.Sub("kpo.conf"), "KPO_PORT=poort", "--port 8081");
  EXPECT_EQ(flag.exit_code, 0) << flag.output;
  auto proxies = CheckConfig(dir.Sub("kpo.conf"), "KPO_TRUSTED_PROXIES=geen-adres");
  EXPECT_EQ(proxies.exit_code, 2);
  EXPECT_NE(proxies.output.find("(KPO_TRUSTED_PROXIES)"), std::string::npos) << proxies.output;
  auto data = CheckConfig(dir.Sub("kpo.conf"), "", "--data " + dir.Sub("leeg"));
  EXPECT_EQ(data.exit_code, 2);
  EXPECT_NE(data.output.find("sleutel 'data' (--data)"), std::string::npos) << data.output;
}

// --- metrics ------------------------------------------------------------------

// The exposition text parsed: series (name + labels) -> value; fails the
// test on any line that is not a comment or `name{labels} value`, and on a
// sample whose family has no TYPE before it.
std::map<std::string, double> ParseExposition(const std::string& text) {
  std::map<std::string, double> series;
  std::set<std::string> typed;
  const std::regex sample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_]\w*="(\\.|[^"\\])*",?)*\})? (\S+)$)");
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream words(line.substr(7));
      std::string name, type;
      words >> name >> type;
      EXPECT_TRUE(type == "counter" || type == "gauge" || type == "histogram") << line;
      typed.insert(name);
      continue;
    }
    if (line.rfind("# HELP ", 0) == 0) continue;
    std::smatch m;
    if (!std::regex_match(line, m, sample)) {
      ADD_FAILURE() << "no sample line: " << line;
      continue;
    }
    std::string family = m[1];
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (typed.count(family) == 0 && family.size() > s.size() &&
          family.compare(family.size() - s.size(), s.size(), s) == 0) {
        family.resize(family.size() - s.size());
      }
    }
    EXPECT_EQ(typed.count(family), 1u) << "no TYPE before " << line;
    series[m[1].str() + m[2].str()] = std::stod(m[m.size() - 1]);
  }
  return series;
}

TEST(Metrics, CountsRoutesByPatternAndMeasuresTheServer) {
  testing::Corpus corpus;
  IndexCorpus(&corpus, 12);
  TempDir dir;
  WriteFile(dir.Sub("kpo.conf"), "data = " + corpus.data_dir() +
                                     "\nport = 0\nmetrics_addresses = 127.0.0.1\nstatic = " +
                                     testing::SourceDir() + "/static\n");
  ServerProcess server({"--config", dir.Sub("kpo.conf")});
  ASSERT_GT(server.port(), 0);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(HttpCall(server.port(), "GET", "/api/search?q=witwassen").status, 200);
  }
  EXPECT_EQ(HttpCall(server.port(), "GET", "/api/documents/item-1").status, 200);
  EXPECT_EQ(HttpCall(server.port(), "GET", "/api/documents/bestaat-niet").status, 404);
  auto reply = HttpCall(server.port(), "GET", "/metrics");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_NE(reply.Header("content-type").find("text/plain; version=0.0.4"), std::string::npos);
  auto series = ParseExposition(reply.body);
  EXPECT_EQ(series[R"(kpo_http_requests_total{method="GET",route="/api/search",status="200"})"], 3);
  EXPECT_EQ(
      series[R"(kpo_http_requests_total{method="GET",route="/api/documents/{id}",status="200"})"],
      1);
  EXPECT_EQ(
      series[R"(kpo_http_requests_total{method="GET",route="/api/documents/{id}",status="404"})"],
      1);
  // Raw paths never become series (unbounded label values).
  EXPECT_EQ(reply.body.find("bestaat-niet"), std::string::npos);
  // Histogram: cumulative buckets, +Inf equal to the count.
  const std::string search = R"({method="GET",route="/api/search")";
  EXPECT_EQ(series["kpo_http_request_duration_seconds_count" + search + "}"], 3);
  EXPECT_EQ(series["kpo_http_request_duration_seconds_bucket" + search + R"(,le="+Inf"})"], 3);
  EXPECT_LE(series["kpo_http_request_duration_seconds_bucket" + search + R"(,le="0.001"})"],
            series["kpo_http_request_duration_seconds_bucket" + search + R"(,le="0.01"})"]);
  EXPECT_EQ(series["kpo_search_duration_seconds_count"], 3);
  // The second and third identical search come from the page caches.
  EXPECT_GE(series[R"(kpo_cache_lookups_total{cache="rendered_pages",result="hit"})"], 1);
  EXPECT_EQ(series["kpo_index_documents"], 12);
  EXPECT_GT(series["kpo_index_size_bytes"], 0);
  EXPECT_EQ(series["kpo_index_pending_jobs"], 0);
  EXPECT_EQ(series["kpo_ready"], 1);
  EXPECT_EQ(series["kpo_active_sessions"], 0);
  EXPECT_EQ(series[R"(kpo_academy_enrolments{state="enrolled"})"], 0);
  EXPECT_NE(reply.body.find("kpo_index_info{generation=\""), std::string::npos);
  // Memory (issue 13, prod): each cache's bytes within its bound, the
  // process's resident set and heap, so an operator can tell them apart.
  for (const char* cache :
       {"match_sets", "weights", "spelling", "search_pages", "rendered_pages"}) {
    const std::string label = std::string(R"({cache=")") + cache + R"("})";
    ASSERT_EQ(series.count("kpo_cache_bytes" + label), 1u) << cache;
    EXPECT_GT(series["kpo_cache_bound_bytes" + label], 0) << cache;
    EXPECT_LE(series["kpo_cache_bytes" + label], series["kpo_cache_bound_bytes" + label]);
  }
  // The search above kept a page, its rendered body and its terms' sets.
  EXPECT_GT(series[R"(kpo_cache_bytes{cache="search_pages"})"], 0);
  EXPECT_GT(series[R"(kpo_cache_bytes{cache="rendered_pages"})"], 0);
  EXPECT_GT(series[R"(kpo_cache_bytes{cache="match_sets"})"], 0);
  EXPECT_EQ(series[R"(kpo_cache_bound_bytes{cache="match_sets"})"], 64 << 20);
  EXPECT_GT(series[R"(kpo_memory_bytes{kind="resident"})"], 1 << 20);
  if (kHeapFiguresFromGlibc) {
    EXPECT_GT(series[R"(kpo_memory_bytes{kind="heap_in_use"})"], 1 << 20);
  }
  EXPECT_EQ(series.count(R"(kpo_memory_bytes{kind="heap_free"})"), 1u);
}

TEST(Metrics, OnlyAdminsOrListedAddressesReadThem) {
  testing::Corpus corpus;
  IndexCorpus(&corpus, 2);
  const std::string admin = Token(corpus.data_dir(), "admin");
  const std::string member = Token(corpus.data_dir(), "member");
  ASSERT_FALSE(admin.empty());
  // 192.0.2.1 (TEST-NET) is listed: the loopback client is not.
  ServerProcess server(
      {"--data", corpus.data_dir(), "--port", "0", "--metrics-address", "192.0.2.1"});
  ASSERT_GT(server.port(), 0);
  auto anonymous = HttpCall(server.port(), "GET", "/metrics");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.body.find("kpo_"), std::string::npos);
  EXPECT_EQ(HttpCall(server.port(), "GET", "/metrics", {"Authorization: Bearer " + member}).status,
            403);
  auto allowed = HttpCall(server.port(), "GET", "/metrics", {"Authorization: Bearer " + admin});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_NE(allowed.body.find("kpo_ready 1"), std::string::npos) << allowed.body;
  // A forged X-Forwarded-For from an untrusted peer changes nothing.
  EXPECT_EQ(HttpCall(server.port(), "GET", "/metrics", {"X-Forwarded-For: 192.0.2.1"}).status, 401);
}

// Behind a proxy that adds its own X-Forwarded-For line, the client's line
// comes first: the lines are one list, read from the right. Read alone, the
// first line chose the address (metrics opened, the address limit of
// logins and the audit log fooled).
TEST(Metrics, EveryForwardedForLineCountsFromTheRight) {
  testing::Corpus corpus;
  IndexCorpus(&corpus, 2);
  ServerProcess server({"--data", corpus.data_dir(), "--port", "0", "--metrics-address",
                        "192.0.2.1", "--trusted-proxy", "127.0.0.1"});
  ASSERT_GT(server.port(), 0);
  EXPECT_EQ(HttpCall(server.port(), "GET", "/metrics", {"X-Forwarded-For: 192.0.2.1"}).status, 200);
  EXPECT_EQ(HttpCall(server.port(), "GET", "/metrics",
                     {"X-Forwarded-For: 192.0.2.1", "X-Forwarded-For: 203.0.113.5"})
                .status,
            401);
  EXPECT_EQ(HttpCall(server.port(), "GET", "/metrics",
                     {"X-Forwarded-For: 203.0.113.5", "x-forwarded-for: 192.0.2.1"})
                .status,
            200);
}

// A killed server leaves the body of an upload it was receiving in
// uploads/; the next start removes it once nothing has written to it for a
// while (a server still draining during a restart may be receiving one).
TEST(Uploads, AbandonedBodiesAreRemovedAtStart) {
  testing::Corpus corpus;
  IndexCorpus(&corpus, 2);
  const std::string uploads = corpus.data_dir() + "/uploads";
  fs::create_directories(uploads);
  WriteFile(uploads + "/body-Oud123", "half een bijlage");
  WriteFile(uploads + "/body-Nieuw4", "wordt nog ontvangen");
  WriteFile(uploads + "/notities.txt", "niet van de server");
  fs::last_write_time(uploads + "/body-Oud123",
                      fs::file_time_type::clock::now() - std::chrono::minutes(10));
  fs::last_write_time(uploads + "/notities.txt",
                      fs::file_time_type::clock::now() - std::chrono::minutes(10));
  ServerProcess server({"--data", corpus.data_dir(), "--port", "0"});
  ASSERT_GT(server.port(), 0);
  EXPECT_FALSE(fs::exists(uploads + "/body-Oud123"));
  EXPECT_TRUE(fs::exists(uploads + "/body-Nieuw4"));
  EXPECT_TRUE(fs::exists(uploads + "/notities.txt"));
}

// --- backup, restore, reindex ------------------------------------------------

int64_t CountRows(const std::string& path, const std::string& table) {
  auto db = store::Db::Open(path, true);
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return -1;
  auto stmt = (*db)->Prepare("SELECT COUNT(*) FROM " + table);
  EXPECT_TRUE(stmt.ok());
  auto row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return stmt->Int(0);
}

TEST(Backup, CopiesEveryDatabaseAndAttachmentsWhileTheServerWritesAndRestoresThem) {
  testing::Corpus corpus;
  IndexCorpus(&corpus, 20);
  const std::string data = corpus.data_dir();
  fs::create_directories(data + "/attachments/item-1");
  WriteFile(data + "/attachments/item-1/bijlage.pdf", "%PDF-1.4 bijlage");
  ServerProcess server({"--data", data, "--port", "0"});
  ASSERT_GT(server.port(), 0);
  // Writes go on in another process while the backup runs: each new token
  // is a committed row in accounts.sqlite.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop && i < 40; ++i) Token(data, "member");
  });
  TempDir target;
  auto backup = Shell(Admin(data) + "backup '" + target.Sub("kopie") + "'");
  stop = true;
  writer.join();
  ASSERT_EQ(backup.exit_code, 0) << backup.output;
  for (const char* db : {"kpo.sqlite", "accounts.sqlite"}) {
    auto copy = store::Db::Open(target.Sub("kopie/") + db, true);
    ASSERT_TRUE(copy.ok());
    auto check = (*copy)->Prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.ok());
    ASSERT_TRUE(check->Step().ok());
    EXPECT_EQ(check->Text(0), "ok") << db;
  }
  EXPECT_EQ(CountRows(target.Sub("kopie/kpo.sqlite"), "items"), 20);
  // Owner only, whatever the caller's umask: the copies hold password
  // hashes, second-factor secrets and restricted items.
  auto mode = [](const std::string& path) {
    return static_cast<unsigned>(fs::status(path).permissions() & fs::perms::mask);
  };
  for (const char* file :
       {"kopie/kpo.sqlite", "kopie/accounts.sqlite", "kopie/attachments/item-1/bijlage.pdf"}) {
    EXPECT_EQ(mode(target.Sub(file)) & 077, 0u) << file;
  }
  EXPECT_EQ(testing::ReadFile(target.Sub("kopie/attachments/item-1/bijlage.pdf")),
            "%PDF-1.4 bijlage");
  // A second backup into a non-empty directory is refused, nothing lost.
  auto again = Shell(Admin(data) + "backup '" + target.Sub("kopie") + "'");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("niet leeg"), std::string::npos) << again.output;
  // Restore refuses while the server runs.
  auto busy = Shell(Admin(data) + "restore '" + target.Sub("kopie") + "'");
  EXPECT_EQ(busy.exit_code, 1);
  EXPECT_NE(busy.output.find("stop de server eerst"), std::string::npos) << busy.output;

  // Restored into an empty directory: databases, attachments and an index
  // rebuilt from SQLite, served by a new server.
  TempDir fresh;
  auto restore = Shell(Admin(fresh.Sub("data")) + "restore '" + target.Sub("kopie") + "'");
  ASSERT_EQ(restore.exit_code, 0) << restore.output;
  EXPECT_NE(restore.output.find("Zoekindex herbouwd"), std::string::npos) << restore.output;
  EXPECT_EQ(testing::ReadFile(fresh.Sub("data/attachments/item-1/bijlage.pdf")),
            "%PDF-1.4 bijlage");
  EXPECT_EQ(CountRows(fresh.Sub("data/accounts.sqlite"), "api_tokens"),
            CountRows(target.Sub("kopie/accounts.sqlite"), "api_tokens"));
  EXPECT_EQ(mode(fresh.Sub("data/accounts.sqlite")) & 077, 0u);
  EXPECT_EQ(mode(fresh.Sub("data/kpo.sqlite")) & 077, 0u);
  ServerProcess restored({"--data", fresh.Sub("data"), "--port", "0"});
  ASSERT_GT(restored.port(), 0);
  auto found = HttpCall(restored.port(), "GET", "/api/search?q=witwassen&size=50");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.Json()["total"], 20);
}

TEST(Reindex, RebuildsAsideWhileTheServerKeepsAnsweringAndSwapsAtOnce) {
  testing::Corpus corpus;
  IndexCorpus(&corpus, 60);
  TempDir dir;
  ServerProcess server(
      {"--data", corpus.data_dir(), "--port", "0", "--metrics-address", "127.0.0.1"});
  ASSERT_GT(server.port(), 0);
  auto generation = [&] {
    auto reply = HttpCall(server.port(), "GET", "/metrics");
    std::smatch m;
    std::regex_search(reply.body, m, std::regex(R"re(kpo_index_info\{generation="([^"]+)"\})re"));
    return m.size() > 1 ? m[1].str() : std::string();
  };
  const std::string before = generation();
  ASSERT_FALSE(before.empty());
  // Searches all through the rebuild: every one answers, always complete.
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0};
  std::vector<std::string> wrong;
  std::thread searcher([&] {
    while (!stop) {
      auto reply = HttpCall(server.port(), "GET", "/api/search?q=witwassen&size=1");
      if (reply.status != 200 || reply.Json()["total"] != 60) {
        wrong.push_back(std::to_string(reply.status) + " " + reply.body);
      }
      answered++;
    }
  });
  auto run = Shell(Admin(corpus.data_dir()) + "reindex");
  stop = true;
  searcher.join();
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("ingewisseld door kpo-server"), std::string::npos) << run.output;
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " wrong, first: " << wrong[0];
  EXPECT_GT(answered.load(), 0);
  // A new index (new UUID) is served, without a restart; no leftovers.
  std::string after;
  for (int i = 0; i < 50 && (after.empty() || after == before); ++i) {
    auto reply = HttpCall(server.port(), "GET", "/api/search?q=witwassen");
    EXPECT_EQ(reply.status, 200);
    after = generation();
  }
  EXPECT_NE(after.substr(0, 36), before.substr(0, 36)) << before << " -> " << after;
  EXPECT_FALSE(fs::exists(corpus.data_dir() + "/index.next"));
}

TEST(Reindex, WithoutAServerRebuildsItself) {
  testing::Corpus corpus;
  IndexCorpus(&corpus, 5);
  auto run = Shell(Admin(corpus.data_dir()) + "reindex");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("Zoekindex herbouwd uit de database: 5 items"), std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace kpo

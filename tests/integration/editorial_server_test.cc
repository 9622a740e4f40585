// Issue 10 against the kpo-server program itself (a child process): its
// scheduler publishes a scheduled item at its time, also when the time
// passed while no server ran (catch-up at start), and a kill -9 between the
// SQLite commit of an approval and the index update loses nothing: after a
// restart the item is published and found exactly once, and the approval's
// audit line (committed with it) is in the audit log once. The kill is the
// fault-injection hook KPO_FAULT_KILL_AFTER_TRANSITION (editorial/service.cc).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "access/auth_service.h"
#include "editorial/text_tools.h"
#include "integration/server_process.h"
#include "support/test_support.h"

namespace kpo {
namespace {

using nlohmann::json;
using testing::HttpCall;
using testing::HttpResponse;

using Clock = std::chrono::steady_clock;
using testing::ServerProcess;

class EditorialServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_.Add({.id = "bestaand", .title = "Bestaand item", .body = "Iets over ondermijning."});
    ASSERT_TRUE(corpus_.Index().empty());
    access::AuthOptions options;
    options.password = access::PasswordOptions::Minimum();
    auto auth = access::AuthService::Open(corpus_.data_dir(), options);
    ASSERT_TRUE(auth.ok()) << auth.status().ToString();
    auto token = (*auth)->CreateToken(access::AuthService::LocalAdministrator(), "", "redactie",
                                      "redactie", {});
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    bearer_ = "Authorization: Bearer " + token->token;
  }
  std::string Log(const std::string& name) const { return corpus_.data_dir() + "/../" + name; }
  // kpo-server on this test's data, on a free port.
  std::vector<std::string> Args() const {
    return {"--port",           "0",        "--data",
            corpus_.data_dir(), "--static", testing::SourceDir() + "/static",
            "--second-factor",  "optional"};
  }
  HttpResponse Call(int port, const std::string& method, const std::string& target,
                    const json& body = nullptr) const {
    return HttpCall(port, method, target, {bearer_, "Content-Type: application/json"},
                    body.is_null() ? "" : body.dump());
  }
  // Creates item `id` (whose body holds `word`) and submits it.
  void CreateAndSubmit(int port, const std::string& id, const std::string& word) const {
    auto created = Call(port, "POST", "/api/documents",
                        {{"id", id},
                         {"title", "Item " + id},
                         {"type", "nieuws"},
                         {"themes", {"bibob"}},
                         {"access", "public"},
                         {"body", "Het woord is " + word + "."}});
    ASSERT_EQ(created.status, 201) << created.body;
    auto submitted =
        Call(port, "POST", "/api/documents/" + id + "/transitions", {{"action", "submit"}});
    ASSERT_EQ(submitted.status, 200) << submitted.body;
  }
  // Anonymous search hits for `word` once they equal `expected`, or the
  // last count after `seconds`.
  static int Hits(int port, const std::string& word, int expected, int seconds = 5) {
    const auto until = Clock::now() + std::chrono::seconds(seconds);
    for (;;) {
      const int total = HttpCall(port, "GET", "/api/search?q=" + word).Json().value("total", -1);
      if (total == expected || Clock::now() >= until) return total;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  static std::string InSeconds(int seconds) {
    return editorial::FormatUtc(static_cast<int64_t>(std::time(nullptr)) + seconds);
  }

  testing::Corpus corpus_;
  std::string bearer_;
};

TEST_F(EditorialServerTest, ScheduledItemIsPublishedByTheServerAtItsTime) {
  ServerProcess server(Args(), Log("server.log"));
  ASSERT_GT(server.port(), 0);
  CreateAndSubmit(server.port(), "gepland-item", "kwartelkoning");
  const std::string at = InSeconds(3);
  auto scheduled = Call(server.port(), "POST", "/api/documents/gepland-item/transitions",
                        {{"action", "schedule"}, {"at", at}});
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  EXPECT_EQ(scheduled.Json()["scheduled_at"], at);
  EXPECT_EQ(HttpCall(server.port(), "GET", "/api/documents/gepland-item").status, 404);
  EXPECT_EQ(Hits(server.port(), "kwartelkoning", 0, 0), 0) << "not before its time";
  // Published at its time by the server alone, and searchable within a second.
  EXPECT_EQ(Hits(server.port(), "kwartelkoning", 1, 10), 1);
  EXPECT_GE(editorial::FormatUtc(std::time(nullptr)), at);
  auto doc = HttpCall(server.port(), "GET", "/api/documents/gepland-item");
  ASSERT_EQ(doc.status, 200) << doc.body;
  EXPECT_EQ(doc.Json()["status"], "published");
}

TEST_F(EditorialServerTest, ScheduleFallingDueWhileStoppedIsPublishedAtStart) {
  std::string at;
  {
    ServerProcess server(Args(), Log("first.log"));
    ASSERT_GT(server.port(), 0);
    CreateAndSubmit(server.port(), "inhaal-item", "roerdomp");
    at = InSeconds(2);
    ASSERT_EQ(Call(server.port(), "POST", "/api/documents/inhaal-item/transitions",
                   {{"action", "schedule"}, {"at", at}})
                  .status,
              200);
  }  // stopped before its time
  while (editorial::FormatUtc(std::time(nullptr)) <= at) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ServerProcess restarted(Args(), Log("second.log"));
  ASSERT_GT(restarted.port(), 0);
  EXPECT_EQ(Hits(restarted.port(), "roerdomp", 1), 1);
  EXPECT_EQ(HttpCall(restarted.port(), "GET", "/api/documents/inhaal-item").status, 200);
}

TEST_F(EditorialServerTest, KillBetweenCommitAndIndexLosesNoPublication) {
  {
    ServerProcess server(Args(), Log("doomed.log"),
                         {{"KPO_FAULT_KILL_AFTER_TRANSITION", "approve"}});
    ASSERT_GT(server.port(), 0);
    CreateAndSubmit(server.port(), "overlever", "woudaap");
    auto approve = Call(server.port(), "POST", "/api/documents/overlever/transitions",
                        {{"action", "approve"}});
    EXPECT_EQ(approve.status, 0) << "the server died before answering: " << approve.body;
    const int status = server.Wait();
    ASSERT_TRUE(WIFSIGNALED(status)) << status;
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
  }
  ServerProcess restarted(Args(), Log("restarted.log"));
  ASSERT_GT(restarted.port(), 0);
  EXPECT_EQ(Hits(restarted.port(), "woudaap", 1), 1);
  auto doc = HttpCall(restarted.port(), "GET", "/api/documents/overlever");
  ASSERT_EQ(doc.status, 200) << doc.body;
  EXPECT_EQ(doc.Json()["status"], "published");
  // Exactly once, also once every job has been applied.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto all = HttpCall(restarted.port(), "GET", "/api/search?q=woudaap&size=100").Json();
  EXPECT_EQ(all["total"], 1);
  EXPECT_EQ(all["results"].size(), 1u);
  // The approval's audit line committed with it: the kill came before it
  // reached the audit log, the restart delivered it (once).
  restarted.Stop();
  access::AuthOptions options;
  options.password = access::PasswordOptions::Minimum();
  auto auth = access::AuthService::Open(corpus_.data_dir(), options);
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  auto audit = (*auth)->ListAudit(access::AuthService::LocalAdministrator(), "", 1, 100);
  ASSERT_TRUE(audit.ok()) << audit.status().ToString();
  int approvals = 0;
  for (const auto& e : audit->entries) {
    if (e.event == "editorial_transition" && e.subject == "overlever" &&
        e.detail.find("\"action\":\"approve\"") != std::string::npos) {
      ++approvals;
      EXPECT_NE(e.detail.find("\"from\":\"in_review\""), std::string::npos) << e.detail;
    }
  }
  EXPECT_EQ(approvals, 1);
}

}  // namespace
}  // namespace kpo

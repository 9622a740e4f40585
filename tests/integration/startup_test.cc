// Issue 13, "unclear fatal messages": kpo-server and kpo-admin started on
// data directories they cannot use must name the file and the system error
// (in a Dutch sentence) and exit 1. Tests run as root, for whom permission
// bits are no obstacle, so the faults are ones root meets too: a regular
// file where the data directory should be, a data directory under a regular
// file, a directory where accounts.sqlite should be, and a missing one.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "support/test_support.h"

namespace kpo {
namespace {

namespace fs = std::filesystem;

using Run = testing::CommandRun;
using testing::RunCommand;

Run Server(const std::string& data) {
  return RunCommand(std::string(KPO_SERVER_BIN) + " --port 0 --data '" + data + "'");
}

TEST(Startup, ServerOnAFileInsteadOfADataDirectory) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("data"), "geen map");
  auto run = Server(dir.Sub("data"));
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("De datamap " + dir.Sub("data") + " is geen map"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("Not a directory"), std::string::npos) << run.output;
}

TEST(Startup, ServerOnADataDirectoryUnderAFile) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("bestand"), "x");
  const std::string data = dir.Sub("bestand") + "/data";
  auto run = Server(data);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find(data), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("Not a directory"), std::string::npos) << run.output;
}

TEST(Startup, ServerOnAMissingDataDirectory) {
  testing::TempDir dir;
  auto run = Server(dir.Sub("bestaat-niet"));
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find(dir.Sub("bestaat-niet")), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("No such file or directory"), std::string::npos) << run.output;
}

TEST(Startup, ServerWithAnUnwritableAccountsDatabase) {
  testing::TempDir dir;
  fs::create_directories(dir.Sub("data/accounts.sqlite"));
  auto run = Server(dir.Sub("data"));
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find(dir.Sub("data/accounts.sqlite")), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("Is a directory"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("Probeer het later opnieuw"), std::string::npos) << run.output;
}

TEST(Startup, AdminNamesTheFileWithoutVocabularyAndWhy) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("wachtwoord"), "een goed wachtwoord\n");
  auto run = RunCommand(std::string(KPO_ADMIN_BIN) + " --data '" + dir.Sub("data") +
                            "' user add a@b.nl --name A --role member",
                        dir.Sub("wachtwoord"));
  // A warning: the account is still made, with the fixed partner groups.
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find(dir.Sub("data") + "/kpo.sqlite ontbreekt"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("No such file or directory"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("kpo-index"), std::string::npos) << run.output;
}

TEST(Startup, AdminWithAnUnwritableAccountsDatabase) {
  testing::TempDir dir;
  fs::create_directories(dir.Sub("data/accounts.sqlite"));
  auto run = RunCommand(std::string(KPO_ADMIN_BIN) + " --data '" + dir.Sub("data") + "' user list");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find(dir.Sub("data/accounts.sqlite")), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("Is a directory"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace kpo

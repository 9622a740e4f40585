// kpo-server run as a child process, the program as operators run it, for
// the suites that test what only the program does: its scheduler and
// catch-up, a kill -9 and a restart (editorial_server_test.cc), the
// configuration file, /metrics, backup and reindex (operations_test.cc).
// The one way the tests start the program; suites that only need the HTTP
// API use testing::ServerFixture (in process) instead.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/test_support.h"

namespace kpo::testing {

class ServerProcess {
 public:
  // Starts kpo-server with `args` (ask for "--port", "0": it prints the port
  // it took), its stdout in `log` and stderr in `log`.err (a temporary
  // directory's when `log` is empty), `env` set in the child only. Waits up
  // to 30 s for "KPO draait op http://ADDRESS:PORT/"; port() stays 0 when
  // it did not start, with a test failure naming its stderr.
  explicit ServerProcess(std::vector<std::string> args, std::string log = "",
                         std::vector<std::pair<std::string, std::string>> env = {})
      : log_(std::move(log)) {
    if (log_.empty()) {
      own_dir_ = std::make_unique<TempDir>();
      log_ = own_dir_->Sub("server.log");
    }
    pid_ = fork();
    if (pid_ == 0) {
      for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
      if (freopen(log_.c_str(), "w", stdout) == nullptr ||
          freopen((log_ + ".err").c_str(), "w", stderr) == nullptr) {
        _exit(126);
      }
      std::string bin = KPO_SERVER_BIN;
      std::vector<char*> argv{bin.data()};
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(bin.c_str(), argv.data());
      _exit(127);
    }
    const std::regex banner(R"(KPO draait op http://.+:(\d+)/)");
    for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
         pid_ > 0 && std::chrono::steady_clock::now() < until;
         std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
      const std::string text = ReadFile(log_);
      std::smatch m;
      if (std::regex_search(text, m, banner)) {
        port_ = std::stoi(m[1]);
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;  // ended without serving
    }
    ADD_FAILURE() << "kpo-server did not start: " << ReadFile(log_ + ".err");
  }
  ~ServerProcess() { Stop(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  // SIGTERM and wait: a normal stop (the server drains).
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    Wait();
  }
  // Waits for the child to end; its wait status.
  int Wait() {
    int status = 0;
    if (pid_ > 0) waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  std::unique_ptr<TempDir> own_dir_;
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace kpo::testing

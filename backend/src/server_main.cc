// kpo-server: serves the API and the portal.
//   kpo-server --data DIR [--port N] [--address A] [--static DIR] [--threads N] [--demo]
// Environment: KPO_DATA, KPO_PORT, KPO_ADDRESS, KPO_STATIC (flags win).
// SIGTERM/SIGINT drain: new API requests get 503, in-flight ones finish,
// then the process exits 0.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "access/auth_service.h"
#include "common/log.h"
#include "http/api.h"
#include "http/server.h"
#include "knowledge/knowledge_base.h"

namespace {

std::string Env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

bool ParsePort(const std::string& text, uint16_t* port) {
  if (text.empty() || text.size() > 5 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  int v = std::stoi(text);
  if (v > 65535) return false;
  *port = static_cast<uint16_t>(v);
  return true;
}

int Usage(const std::string& error) {
  std::cerr << "kpo-server: " << error
            << "\ngebruik: kpo-server --data MAP [--port N] [--address ADRES] [--static MAP] "
               "[--threads N] [--demo]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = Env("KPO_DATA", "");
  std::string port_text = Env("KPO_PORT", "8080");
  kpo::http::ServerOptions options;
  options.address = Env("KPO_ADDRESS", options.address);
  options.static_dir = Env("KPO_STATIC", "static");
  bool demo = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) return "";
      return argv[++i];
    };
    if (arg == "--data")
      data = value();
    else if (arg == "--port")
      port_text = value();
    else if (arg == "--address")
      options.address = value();
    else if (arg == "--static")
      options.static_dir = value();
    else if (arg == "--threads") {
      std::string t = value();
      if (t.empty() || t.size() > 2 || t.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(t) < 1) {
        return Usage("--threads vraagt een getal van 1 tot 99");
      }
      options.threads = std::stoi(t);
    } else if (arg == "--demo")
      demo = true;
    else
      return Usage("onbekende optie " + arg);
  }
  if (data.empty()) return Usage("--data (of KPO_DATA) ontbreekt");
  if (!ParsePort(port_text, &options.port)) return Usage("ongeldige poort '" + port_text + "'");

  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  signal(SIGPIPE, SIG_IGN);

  kpo::knowledge::Options kb_options;
  kb_options.data_dir = data;
  kb_options.index_writer = true;  // the server is the index's single writer
  auto kb = kpo::knowledge::KnowledgeBase::Open(kb_options);
  if (!kb.ok()) {
    std::cerr << "kpo-server: " << kb.status().message() << "\n";
    return 1;
  }
  // Accounts may only name partner groups and werkplaatsen of the vocabulary.
  kpo::access::AuthOptions auth_options;
  const auto vocabulary = (*kb)->vocabulary();
  for (const auto& [kind, target] :
       {std::pair{kpo::content::Vocabulary::kGroups, &auth_options.allowed_groups},
        std::pair{kpo::content::Vocabulary::kWerkplaatsen, &auth_options.allowed_werkplaatsen}}) {
    auto it = vocabulary->all().find(kind);
    target->emplace();
    if (it == vocabulary->all().end()) continue;
    for (const auto& entry : it->second) (*target)->insert(entry.first);
  }
  auto auth = kpo::access::AuthService::Open(data, auth_options);
  if (!auth.ok()) {
    std::cerr << "kpo-server: " << auth.status().message() << "\n";
    return 1;
  }
  if (demo) {
    auto accounts = (*auth)->SeedDemo();
    if (!accounts.ok()) {
      std::cerr << "kpo-server: " << accounts.status().message() << "\n";
      return 1;
    }
    std::cout << "Demo-accounts (alleen voor de demo):\n";
    for (const auto& a : *accounts) {
      std::cout << "  " << a.role << "\t" << a.email << "\t"
                << (a.password.empty() ? "(bestond al; wachtwoord ongewijzigd)" : a.password)
                << "\n";
    }
  }
  kpo::http::ApiDeps deps{kb->get(), auth->get()};
  kpo::http::Server server(options, kpo::http::BuildApi(deps));
  kpo::Status started = server.Start();
  if (!started.ok()) {
    std::cerr << "kpo-server: " << started.message() << " (" << started.detail() << ")\n";
    return 1;
  }
  std::cout << "KPO draait op http://" << options.address << ":" << server.port() << "/"
            << std::endl;
  kpo::Log(kpo::LogLevel::kInfo, "server.started", {{"port", server.port()}});
  int sig = 0;
  sigwait(&stop, &sig);
  kpo::Log(kpo::LogLevel::kInfo, "server.draining", {{"signal", sig}});
  server.Drain(std::chrono::seconds(10));
  kpo::Log(kpo::LogLevel::kInfo, "server.stopped");
  return 0;
}

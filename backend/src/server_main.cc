// kpo-server: serves the API and the portal.
//   kpo-server --data DIR [--port N] [--address A] [--static DIR] [--threads N]
//              [--trusted-proxy ADDR[,ADDR...]] [--cache-sets-mb N]
//              [--cache-pages-mb N] [--cache-rendered-mb N] [--max-upload-mb N] [--demo]
// Environment: KPO_DATA, KPO_PORT, KPO_ADDRESS, KPO_STATIC, KPO_TRUSTED_PROXIES,
// KPO_CACHE_SETS_MB, KPO_CACHE_PAGES_MB, KPO_CACHE_RENDERED_MB, KPO_MAX_UPLOAD_MB
// (attachments, default 25) (flags win).
// The caches are bounded in bytes (docs/performance.md, "Memory").
// SIGTERM/SIGINT drain: new API requests get 503, in-flight ones finish,
// then the process exits 0.
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "academy/academy.h"
#include "access/auth_service.h"
#include "attachments/attachment_texts.h"
#include "attachments/attachments.h"
#include "common/file.h"
#include "common/log.h"
#include "feed/news_feed.h"
#include "http/api.h"
#include "http/server.h"
#include "knowledge/knowledge_base.h"
#include "portal/portal.h"
#include "searchlog/search_log.h"

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

// "a, b,c" -> {"a", "b", "c"}.
std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

// A cache size in MiB, 0 to 65536; false when `text` is not one.
bool ParseMiB(const std::string& text, size_t* bytes) {
  if (text.empty() || text.size() > 5 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  const size_t mib = std::stoul(text);
  if (mib > 65536) return false;
  *bytes = mib << 20;
  return true;
}

int Usage(const std::string& error) {
  std::cerr << "kpo-server: " << error
            << "\ngebruik: kpo-server --data MAP [--port N] [--address ADRES] [--static MAP] "
               "[--threads N] [--trusted-proxy ADRES[,ADRES...]]\n"
               "                  [--cache-sets-mb N] [--cache-pages-mb N] [--cache-rendered-mb N] "
               "[--max-upload-mb N] [--demo]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = Env("KPO_DATA", "");
  std::string port_text = Env("KPO_PORT", "8080");
  kpo::http::ServerOptions options;
  options.address = Env("KPO_ADDRESS", options.address);
  options.static_dir = Env("KPO_STATIC", "static");
  options.trusted_proxies = SplitList(Env("KPO_TRUSTED_PROXIES", ""));
  // Cache sizes in MiB, as given (checked below).
  std::map<std::string, std::string> cache_mb = {{"sets", Env("KPO_CACHE_SETS_MB", "64")},
                                                 {"pages", Env("KPO_CACHE_PAGES_MB", "32")},
                                                 {"rendered", Env("KPO_CACHE_RENDERED_MB", "16")}};
  std::string upload_mb = Env("KPO_MAX_UPLOAD_MB", "25");  // issue 10: attachments
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
    else if (arg == "--trusted-proxy")
      options.trusted_proxies = SplitList(value());
    else if (arg == "--cache-sets-mb")
      cache_mb["sets"] = value();
    else if (arg == "--cache-pages-mb")
      cache_mb["pages"] = value();
    else if (arg == "--cache-rendered-mb")
      cache_mb["rendered"] = value();
    else if (arg == "--max-upload-mb")
      upload_mb = value();
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
  std::map<std::string, size_t> cache_bytes;
  for (const auto& [name, text] : cache_mb) {
    if (!ParseMiB(text, &cache_bytes[name])) {
      return Usage("--cache-" + name + "-mb vraagt een getal van 0 tot 65536 (MiB), niet '" + text +
                   "'");
    }
  }

  size_t max_upload_bytes = 0;
  if (!ParseMiB(upload_mb, &max_upload_bytes) || max_upload_bytes == 0 ||
      max_upload_bytes > (size_t{1} << 30)) {
    return Usage("--max-upload-mb vraagt een getal van 1 tot 1024 (MiB), niet '" + upload_mb + "'");
  }

  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Fail with the file and the system error, before any store hides them.
  for (const kpo::Status& s :
       {kpo::CheckWritableDir(data), kpo::CheckWritableFile(data + "/accounts.sqlite")}) {
    if (!s.ok()) {
      std::cerr << "kpo-server: " << kpo::OperatorText(s) << "\n";
      return 1;
    }
  }

  // Issue 10: the search log (zero-result searches, no identity); opened
  // before the knowledge base that feeds it, so it outlives it.
  kpo::searchlog::Options log_options;
  log_options.path = data + "/searchlog.sqlite";
  auto search_log = kpo::searchlog::SearchLog::Open(log_options);
  if (!search_log.ok()) {
    std::cerr << "kpo-server: " << kpo::OperatorText(search_log.status()) << "\n";
    return 1;
  }
  kpo::knowledge::Options kb_options;
  kb_options.data_dir = data;
  kb_options.on_search = [log = search_log->get()](const std::string& q, bool found_nothing) {
    log->Record(q, found_nothing);
  };
  // Issue 10: attachment text is indexed with its item, and hits name it.
  auto attachment_texts = kpo::attachments::AttachmentTexts::Open(data);
  if (!attachment_texts.ok()) {
    std::cerr << "kpo-server: " << kpo::OperatorText(attachment_texts.status()) << "\n";
    return 1;
  }
  kb_options.attachment_text = [texts = attachment_texts->get()](const std::string& id) {
    return texts->IndexText(id);
  };
  kb_options.attachment_match = [texts = attachment_texts->get()](const std::string& id,
                                                                  const std::string& q) {
    return texts->Matching(id, q);
  };
  kb_options.match_set_bytes = cache_bytes["sets"];
  kb_options.page_cache_bytes = cache_bytes["pages"];
  kb_options.index_writer = true;  // the server is the index's single writer
  auto kb = kpo::knowledge::KnowledgeBase::Open(kb_options);
  if (!kb.ok()) {
    std::cerr << "kpo-server: " << kpo::OperatorText(kb.status()) << "\n";
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
    std::cerr << "kpo-server: " << kpo::OperatorText(auth.status()) << "\n";
    return 1;
  }
  if (demo) {
    auto accounts = (*auth)->SeedDemo();
    if (!accounts.ok()) {
      std::cerr << "kpo-server: " << kpo::OperatorText(accounts.status()) << "\n";
      return 1;
    }
    std::cout << "Demo-accounts (alleen voor de demo):\n";
    for (const auto& a : *accounts) {
      std::cout << "  " << a.role << "\t" << a.email << "\t"
                << (a.password.empty() ? "(bestond al; wachtwoord ongewijzigd)" : a.password)
                << "\n";
    }
  }
  auto academy = kpo::academy::Academy::Open(data, kb->get(), auth->get());
  if (!academy.ok()) {
    std::cerr << "kpo-server: " << kpo::OperatorText(academy.status()) << "\n";
    return 1;
  }
  // Issue 10: the Atom feed and personal feed links.
  auto news_feed = kpo::feed::NewsFeed::Open(kb->get(), auth->get(), {data});
  if (!news_feed.ok()) {
    std::cerr << "kpo-server: " << kpo::OperatorText(news_feed.status()) << "\n";
    return 1;
  }
  // Issue 10: attachments; only their upload route takes large bodies,
  // streamed to <data>/uploads (http/server.cc).
  kpo::attachments::AttachmentOptions attachment_options{data, max_upload_bytes};
  auto attachments =
      kpo::attachments::Attachments::Open(kb->get(), auth->get(), attachment_options);
  if (!attachments.ok()) {
    std::cerr << "kpo-server: " << kpo::OperatorText(attachments.status()) << "\n";
    return 1;
  }
  options.upload_dir = data + "/uploads";
  std::error_code made;
  std::filesystem::create_directories(options.upload_dir, made);
  if (kpo::Status s = kpo::CheckWritableDir(options.upload_dir); !s.ok()) {
    std::cerr << "kpo-server: " << kpo::OperatorText(s) << "\n";
    return 1;
  }
  options.max_upload_bytes = max_upload_bytes;
  options.max_response_bytes = std::max(options.max_response_bytes, max_upload_bytes + (1u << 20));
  kpo::http::ApiDeps deps{kb->get(), auth->get(), academy->get(), cache_bytes["rendered"]};
  deps.news_feed = news_feed->get();
  deps.search_log = search_log->get();
  deps.attachments = attachments->get();
  auto router = kpo::http::BuildApi(deps);
  // The portal's pages share the router; its error pages answer non-API paths.
  kpo::portal::PortalDeps portal_deps{kb->get(), auth->get(), options.static_dir,
                                      auth_options.idle_timeout, academy->get()};
  portal_deps.news_feed = news_feed->get();  // issue 10: /mijn-feed
  auto portal = kpo::portal::BuildPortal(router.get(), portal_deps);
  if (!portal.ok()) {
    std::cerr << "kpo-server: " << portal.status().message() << " (" << portal.status().detail()
              << ")\n";
    return 1;
  }
  options.html_error = *portal;
  kpo::http::Server server(options, router);
  kpo::Status started = server.Start();
  if (!started.ok()) {
    std::cerr << "kpo-server: " << kpo::OperatorText(started) << "\n";
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

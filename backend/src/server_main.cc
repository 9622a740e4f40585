// kpo-server: serves the API and the portal.
//   kpo-server [--config FILE] [--check-config] [--data DIR] [--port N] [--address A]
//              [--static DIR] [--threads N] [--trusted-proxy ADDR[,ADDR...]]
//              [--metrics-address ADDR[,ADDR...]] [--cache-sets-mb N]
//              [--cache-pages-mb N] [--cache-rendered-mb N] [--replica true|false] [--demo]
// Configuration (docs/operations.md): the file of --config (or KPO_CONFIG),
// then KPO_* environment variables (KPO_DATA, KPO_PORT, KPO_TRUSTED_PROXIES,
// KPO_CACHE_SETS_MB, ...), then flags; the last one wins. Every value is
// checked before anything starts; --check-config only checks (exit 0 when
// the configuration is valid, 2 when not).
// Issue 13 (auth): second_factor = required|optional (--second-factor,
// KPO_SECOND_FACTOR; default required: redactie and admin must use TOTP;
// optional only for demos and tests) and audit_retention_days = N
// (--audit-retention-days, KPO_AUDIT_RETENTION_DAYS; default 365, 0 keeps the
// audit log forever).
// Issue 10 (attachments): max_upload_mb = N (--max-upload-mb, KPO_MAX_UPLOAD_MB;
// default 25): the body limit of the attachment upload route only.
// The caches are bounded in bytes (docs/performance.md, "Memory").
// SIGTERM/SIGINT drain: new API requests get 503, in-flight ones finish,
// then the process exits 0.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "academy/academy.h"
#include "access/auth_service.h"
#include "attachments/attachments.h"
#include "common/config.h"
#include "common/file.h"
#include "common/log.h"
#include "common/memory.h"
#include "common/metrics.h"
#include "editorial/service.h"
#include "feed/news_feed.h"
#include "http/api.h"
#include "http/request.h"
#include "http/server.h"
#include "knowledge/knowledge_base.h"
#include "portal/portal.h"
#include "searchlog/search_log.h"
#include "store/usage_counts.h"

namespace {

// Platform (issue 13): every setting of the server, its environment
// variable, its flag and its default (docs/operations.md lists them).
std::vector<kpo::ConfigKey> ServerKeys() {
  return {
      {"data", "KPO_DATA", "--data", ""},
      {"port", "KPO_PORT", "--port", "8080"},
      {"address", "KPO_ADDRESS", "--address", "127.0.0.1"},
      {"static", "KPO_STATIC", "--static", "static"},
      {"threads", "KPO_THREADS", "--threads", "4"},
      {"trusted_proxies", "KPO_TRUSTED_PROXIES", "--trusted-proxy", ""},
      {"metrics_addresses", "KPO_METRICS_ADDRESSES", "--metrics-address", ""},
      {"cache_sets_mb", "KPO_CACHE_SETS_MB", "--cache-sets-mb", "64"},
      {"cache_pages_mb", "KPO_CACHE_PAGES_MB", "--cache-pages-mb", "32"},
      {"cache_rendered_mb", "KPO_CACHE_RENDERED_MB", "--cache-rendered-mb", "16"},
      // A read replica (docs/deploy.md) serves a replicated index and never
      // writes it: the primary is the index's single writer.
      {"replica", "KPO_REPLICA", "--replica", "false"},
      {"second_factor", "KPO_SECOND_FACTOR", "--second-factor", "required"},
      {"audit_retention_days", "KPO_AUDIT_RETENTION_DAYS", "--audit-retention-days", "365"},
      {"max_upload_mb", "KPO_MAX_UPLOAD_MB", "--max-upload-mb", "25"},
  };
}

int Usage(const std::string& error) {
  std::cerr << "kpo-server: " << error
            << "\ngebruik: kpo-server [--config BESTAND] [--check-config] [--data MAP] [--port N] "
               "[--address ADRES] [--static MAP]\n"
               "                  [--threads N] [--trusted-proxy ADRES[,ADRES...]] "
               "[--metrics-address ADRES[,ADRES...]]\n"
               "                  [--cache-sets-mb N] [--cache-pages-mb N] [--cache-rendered-mb N] "
               "[--replica true|false] [--max-upload-mb N] [--demo]\n"
               "                  [--second-factor required|optional] [--audit-retention-days N]\n";
  return 2;
}

// The checked settings of one start.
struct Settings {
  std::string data;
  kpo::http::ServerOptions server;
  std::vector<std::string> metrics_addresses;
  std::map<std::string, size_t> cache_bytes;  // sets, pages, rendered
  bool replica = false;
  bool second_factor_required = true;
  int64_t audit_retention_days = 365;
  size_t max_upload_bytes = size_t{25} << 20;  // issue 10: the attachment upload route only
};

// Checks every value of `config`; the first problem names the key and where
// it was set.
kpo::StatusOr<Settings> Check(const kpo::Config& config) {
  auto bad = [&](const std::string& key, const std::string& problem) {
    return kpo::Status::Error(kpo::ErrorCode::kInvalidParameter, config.Problem(key, problem));
  };
  Settings s;
  s.data = config.Get("data").value;
  if (s.data.empty()) return bad("data", "de datamap ontbreekt (--data, KPO_DATA of data = MAP)");
  auto port = kpo::ParseBoundedNumber(config.Get("port").value, 0, 65535);
  if (!port)
    return bad("port", "vraagt een poort van 0 tot 65535, niet '" + config.Get("port").value + "'");
  s.server.port = static_cast<uint16_t>(*port);
  s.server.address = config.Get("address").value;
  s.server.static_dir = config.Get("static").value;
  auto threads = kpo::ParseBoundedNumber(config.Get("threads").value, 1, 99);
  if (!threads)
    return bad("threads",
               "vraagt een getal van 1 tot 99, niet '" + config.Get("threads").value + "'");
  s.server.threads = static_cast<int>(*threads);
  for (const char* key : {"trusted_proxies", "metrics_addresses"}) {
    auto list = kpo::SplitList(config.Get(key).value);
    if (auto parsed = kpo::http::AddressSet::Parse(list); !parsed.ok()) {
      return bad(key, parsed.status().message());
    }
    (std::string(key) == "trusted_proxies" ? s.server.trusted_proxies : s.metrics_addresses) = list;
  }
  for (const char* name : {"sets", "pages", "rendered"}) {
    const std::string key = std::string("cache_") + name + "_mb";
    auto mib = kpo::ParseBoundedNumber(config.Get(key).value, 0, 65536);
    if (!mib) {
      return bad(key,
                 "vraagt een getal van 0 tot 65536 (MiB), niet '" + config.Get(key).value + "'");
    }
    s.cache_bytes[name] = static_cast<size_t>(*mib) << 20;
  }
  const std::string& replica = config.Get("replica").value;
  if (replica != "true" && replica != "false") {
    return bad("replica", "vraagt true of false, niet '" + replica + "'");
  }
  s.replica = replica == "true";
  const std::string& second_factor = config.Get("second_factor").value;
  if (second_factor != "required" && second_factor != "optional") {
    return bad("second_factor", "vraagt 'required' of 'optional', niet '" + second_factor + "'");
  }
  s.second_factor_required = second_factor == "required";
  auto retention = kpo::ParseBoundedNumber(config.Get("audit_retention_days").value, 0, 99999);
  if (!retention) {
    return bad("audit_retention_days", "vraagt een getal van 0 tot 99999 (dagen), niet '" +
                                           config.Get("audit_retention_days").value + "'");
  }
  s.audit_retention_days = *retention;
  auto upload = kpo::ParseBoundedNumber(config.Get("max_upload_mb").value, 1, 1024);
  if (!upload) {
    return bad("max_upload_mb", "vraagt een getal van 1 tot 1024 (MiB), niet '" +
                                    config.Get("max_upload_mb").value + "'");
  }
  s.max_upload_bytes = static_cast<size_t>(*upload) << 20;
  return s;
}

uint64_t DirectoryBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      const auto size = it->file_size(size_error);
      if (!size_error) total += size;
    }
  }
  return total;
}

// Platform (issue 13): the gauges of /metrics that read the data directory
// (the HTTP layer may not): the index's bytes, sessions used within the idle
// timeout, academy enrolments by state.
std::vector<kpo::metrics::Gauge> MeasureData(const std::string& data, int64_t idle_seconds) {
  using kpo::metrics::Family;
  std::vector<kpo::metrics::Gauge> gauges;
  gauges.push_back({Family::kIndexBytes, {}, static_cast<double>(DirectoryBytes(data + "/index"))});
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto usage = kpo::store::ReadUsageCounts(data + "/accounts.sqlite", now - idle_seconds);
  if (!usage.ok()) {
    kpo::Log(kpo::LogLevel::kWarn, "metrics.usage_failed", {{"detail", usage.status().ToString()}});
    return gauges;
  }
  gauges.push_back({Family::kActiveSessions, {}, static_cast<double>(usage->active_sessions)});
  for (const char* state : {"enrolled", "waiting"}) {
    auto it = usage->enrolled.find(state);
    gauges.push_back({Family::kEnrolments,
                      {{"state", state}},
                      static_cast<double>(it == usage->enrolled.end() ? 0 : it->second)});
  }
  return gauges;
}

// Removes upload bodies a crashed or killed server left in `dir` (a body
// goes to a file while it arrives; the request removes it when done). Only
// files nothing wrote to for kAbandonedAfter: a server still draining on
// this directory during a restart may be receiving one (the body timeout
// is 60 s). Returns how many were removed.
int RemoveAbandonedUploads(const std::string& dir) {
  constexpr auto kAbandonedAfter = std::chrono::minutes(2);
  const auto now = std::filesystem::file_time_type::clock::now();
  int removed = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code file_error;
    if (it->path().filename().string().rfind("body-", 0) != 0 || !it->is_regular_file(file_error)) {
      continue;
    }
    const auto written = std::filesystem::last_write_time(it->path(), file_error);
    if (file_error || now - written < kAbandonedAfter) continue;
    if (std::filesystem::remove(it->path(), file_error)) ++removed;
  }
  return removed;
}

}  // namespace

int main(int argc, char** argv) {
  kpo::Config config(ServerKeys());
  std::string config_file = std::getenv("KPO_CONFIG") != nullptr ? std::getenv("KPO_CONFIG") : "";
  bool demo = false;
  bool check_only = false;
  std::vector<std::pair<std::string, std::string>> flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--demo") {
      demo = true;
    } else if (arg == "--check-config") {
      check_only = true;
    } else if (arg == "--config" || config.KeyOfFlag(arg)) {
      if (i + 1 >= argc) return Usage(arg + " heeft een waarde nodig");
      if (arg == "--config") {
        config_file = argv[++i];
      } else {
        flags.emplace_back(arg, argv[++i]);
      }
    } else {
      return Usage("onbekende optie " + arg);
    }
  }
  if (!config_file.empty()) {
    if (kpo::Status loaded = config.LoadFile(config_file); !loaded.ok()) {
      return Usage(loaded.message());
    }
  }
  config.LoadEnvironment();
  for (const auto& [flag, value] : flags) config.SetFromFlag(flag, value);
  auto settings = Check(config);
  if (!settings.ok()) return Usage(settings.status().message());
  const std::string& data = settings->data;
  kpo::http::ServerOptions& options = settings->server;
  std::map<std::string, size_t>& cache_bytes = settings->cache_bytes;
  if (check_only) {
    if (kpo::Status dir = kpo::CheckWritableDir(data); !dir.ok()) {
      std::cerr << "kpo-server: " << config.Problem("data", kpo::OperatorText(dir)) << "\n";
      return 2;
    }
    std::cout << "De configuratie is in orde";
    if (!config_file.empty()) std::cout << " (" << config_file << ")";
    std::cout << ".\n";
    return 0;
  }

  const size_t max_upload_bytes = settings->max_upload_bytes;

  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // Memory (issue 13, prod): freed large blocks go back to the system.
  kpo::KeepLargeBlocksOutOfTheHeap();

  // Fail with the file and the system error, before any store hides them.
  for (const kpo::Status& s : {kpo::CheckWritableDir(data), kpo::CheckWritableDatabases(data)}) {
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
  kb_options.match_set_bytes = cache_bytes["sets"];
  kb_options.page_cache_bytes = cache_bytes["pages"];
  // The server is the index's single writer, unless it is a read replica.
  kb_options.index_writer = !settings->replica;
  auto kb = kpo::knowledge::KnowledgeBase::Open(kb_options);
  if (!kb.ok()) {
    std::cerr << "kpo-server: " << kpo::OperatorText(kb.status()) << "\n";
    return 1;
  }
  // Accounts may only name partner groups and werkplaatsen of the vocabulary.
  kpo::access::AuthOptions auth_options;
  auth_options.second_factor_required = settings->second_factor_required;
  auth_options.audit_retention = settings->audit_retention_days * 24 * 60 * 60;
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
    if (auth_options.second_factor_required) {
      std::cout << "  (redactie en admin stellen bij het eerste inloggen tweestapsverificatie in;"
                   " zonder: KPO_SECOND_FACTOR=optional)\n";
    }
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
  // Editorial (issue 10): the service and its scheduler, which first
  // publishes what fell due while no server ran.
  kpo::editorial::EditorialOptions editorial_options;
  editorial_options.data_dir = data;
  editorial_options.scheduler_interval_ms = 500;
  editorial_options.search_log = search_log->get();  // the dashboard's zero-result searches
  auto editorial = kpo::editorial::EditorialService::Open(editorial_options, kb->get());
  if (!editorial.ok()) {
    std::cerr << "kpo-server: " << kpo::OperatorText(editorial.status()) << "\n";
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
      kpo::attachments::Attachments::Open(editorial->get(), auth->get(), attachment_options);
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
  if (const int removed = RemoveAbandonedUploads(options.upload_dir); removed > 0) {
    kpo::Log(kpo::LogLevel::kInfo, "uploads.abandoned_removed", {{"count", removed}});
  }
  options.max_upload_bytes = max_upload_bytes;
  options.max_response_bytes = std::max(options.max_response_bytes, max_upload_bytes + (1u << 20));
  kpo::http::ApiDeps deps{kb->get(), auth->get(), academy->get(), cache_bytes["rendered"],
                          editorial->get()};
  deps.metrics_addresses = settings->metrics_addresses;  // platform (issue 13): GET /metrics
  deps.metrics_gauges = [data, idle = auth_options.idle_timeout] {
    return MeasureData(data, idle);
  };
  deps.news_feed = news_feed->get();
  deps.search_log = search_log->get();
  deps.attachments = attachments->get();
  auto router = kpo::http::BuildApi(deps);
  // The portal's pages share the router; its error pages answer non-API paths.
  kpo::portal::PortalDeps portal_deps{kb->get(), auth->get(), options.static_dir,
                                      auth_options.idle_timeout, academy->get()};
  portal_deps.news_feed = news_feed->get();  // issue 10: /mijn-feed
  // Issue 10: the editorial pages (/redactie).
  portal_deps.editorial = editorial->get();
  portal_deps.attachments = attachments->get();
  portal_deps.search_log = search_log->get();
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

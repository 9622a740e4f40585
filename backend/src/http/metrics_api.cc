// GET /metrics (issue 13, docs/operations.md): the process's counters and
// histograms (common/metrics.h) plus gauges measured now: readiness, the
// index (documents, bytes, generation, pending jobs), sessions in use and
// academy enrolments. Readable by admins, or without signing in from the
// addresses of ApiDeps::metrics_addresses (a Prometheus scraper).
// Owns: that route and its access rule. May not touch: SQL, Xapian.
#include <chrono>
#include <filesystem>

#include "access/auth_service.h"
#include "common/log.h"
#include "common/metrics.h"
#include "http/api.h"
#include "http/caller.h"
#include "http/request.h"
#include "knowledge/knowledge_base.h"
#include "store/usage_counts.h"

namespace kpo::http {

namespace {

namespace fs = std::filesystem;
using metrics::Family;
using metrics::Gauge;

uint64_t DirectoryBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      const auto size = it->file_size(size_error);
      if (!size_error) total += size;
    }
  }
  return total;
}

std::vector<Gauge> Measure(const ApiDeps& deps) {
  std::vector<Gauge> gauges;
  auto ready = deps.kb->GetReadiness();
  gauges.push_back({Family::kReady, {}, ready.ok() ? 1.0 : 0.0});
  if (ready.ok()) {
    gauges.push_back(
        {Family::kIndexPendingJobs, {}, static_cast<double>(ready->pending_index_jobs)});
    gauges.push_back({Family::kIndexInfo, {{"generation", ready->index_generation}}, 1});
  }
  if (auto health = deps.kb->GetHealth(access::AuthService::LocalAdministrator()); health.ok()) {
    gauges.push_back({Family::kIndexDocuments, {}, static_cast<double>(health->visible_items)});
  }
  if (deps.data_dir.empty()) return gauges;
  gauges.push_back(
      {Family::kIndexBytes,
       {},
       static_cast<double>(DirectoryBytes((fs::path(deps.data_dir) / "index").string()))});
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto usage = store::ReadUsageCounts((fs::path(deps.data_dir) / "accounts.sqlite").string(),
                                      now - deps.session_idle_seconds);
  if (!usage.ok()) {
    Log(LogLevel::kWarn, "metrics.usage_failed", {{"detail", usage.status().ToString()}});
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

}  // namespace

void AddMetricsRoutes(Router* router, const ApiDeps& deps) {
  // Parsed once; the server refuses to start with a bad list, so a failure
  // here only leaves the list empty (admins only).
  auto scrapers = AddressSet::Parse(deps.metrics_addresses);
  auto allowed = std::make_shared<AddressSet>(scrapers.ok() ? *scrapers : AddressSet());
  router->Add("GET", "/metrics", [deps, allowed](const Request& req) {
    auto render = [&] {
      Reply reply;
      reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
      reply.body = metrics::Render(Measure(deps));
      return reply;
    };
    if (!allowed->empty() && allowed->Contains(req.remote_address)) return render();
    return WithSignedIn(deps.auth, req, [&](const Caller& caller) {
      if (caller.principal.role != Role::kAdmin) {
        return ErrorReply(
            Status::Error(ErrorCode::kForbidden, "Alleen beheerders mogen de meetgegevens lezen."),
            req.request_id);
      }
      return render();
    });
  });
}

}  // namespace kpo::http

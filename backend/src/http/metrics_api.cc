// GET /metrics (issue 13, docs/operations.md): the process's counters and
// histograms (common/metrics.h) plus gauges measured now: readiness and the
// index (documents, generation, pending jobs), and the program's own
// (ApiDeps::metrics_gauges). Readable by admins, or without signing in from
// the addresses of ApiDeps::metrics_addresses (a Prometheus scraper).
// Owns: that route and its access rule. May not touch: SQL, Xapian.
#include "access/auth_service.h"
#include "common/memory.h"
#include "common/metrics.h"
#include "http/api.h"
#include "http/caller.h"
#include "http/request.h"
#include "knowledge/knowledge_base.h"

namespace kpo::http {

namespace {

using metrics::Family;
using metrics::Gauge;

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
  // Memory (docs/operations.md): each cache as it counts itself, and the
  // process, so an operator sees what the caches do not explain.
  for (const auto& cache : deps.kb->Caches()) {
    gauges.push_back(
        {Family::kCacheBytes, {{"cache", cache.name}}, static_cast<double>(cache.bytes)});
    gauges.push_back(
        {Family::kCacheBoundBytes, {{"cache", cache.name}}, static_cast<double>(cache.bound)});
  }
  const MemoryUse memory = ReadMemoryUse();
  for (const auto& [kind, bytes] :
       {std::pair{"resident", memory.resident}, std::pair{"heap_in_use", memory.heap_in_use},
        std::pair{"heap_free", memory.heap_free}}) {
    gauges.push_back({Family::kMemoryBytes, {{"kind", kind}}, static_cast<double>(bytes)});
  }
  if (deps.metrics_gauges) {
    for (auto& gauge : deps.metrics_gauges()) gauges.push_back(std::move(gauge));
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

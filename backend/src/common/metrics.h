// Process-wide metrics for GET /metrics (Prometheus text exposition format
// 0.0.4). Owns: the list of metric families (one X-macro table, so names and
// help texts cannot drift), counters and histograms with labels, and
// rendering them with gauges the caller measured at scrape time. May not
// touch: HTTP, the domain.
// Thread-safety: every function may be called from any thread at once.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kpo::metrics {

// X(enum name, type, metric name, help). Types: counter, histogram, gauge.
#define KPO_METRIC_FAMILIES(X)                                                                \
  X(kHttpRequests, counter, "kpo_http_requests_total",                                        \
    "Answered HTTP requests by method, route pattern and status.")                            \
  X(kHttpDuration, histogram, "kpo_http_request_duration_seconds",                            \
    "Time from a parsed request to its answer by method and route pattern.")                  \
  X(kSearchDuration, histogram, "kpo_search_duration_seconds",                                \
    "Time of one search in the knowledge base (validation, index, store).")                   \
  X(kCacheLookups, counter, "kpo_cache_lookups_total", "Cache lookups by cache and result.")  \
  X(kIndexDocuments, gauge, "kpo_index_documents", "Documents in the search index.")          \
  X(kIndexBytes, gauge, "kpo_index_size_bytes", "Bytes of the search index directory.")       \
  X(kIndexInfo, gauge, "kpo_index_info", "The index generation served (label), always 1.")    \
  X(kIndexPendingJobs, gauge, "kpo_index_pending_jobs", "Committed changes not yet indexed.") \
  X(kReady, gauge, "kpo_ready", "1 when the server is ready for traffic (GET /api/ready).")   \
  X(kActiveSessions, gauge, "kpo_active_sessions", "Sessions used within the idle timeout.")  \
  X(kEnrolments, gauge, "kpo_academy_enrolments", "Academy enrolments by state.")             \
  /* Memory (issue 13, docs/operations.md "Memory"). */                                       \
  X(kCacheBytes, gauge, "kpo_cache_bytes", "Bytes a cache holds, as its bound counts them.")  \
  X(kCacheBoundBytes, gauge, "kpo_cache_bound_bytes", "The bound of a cache in bytes.")       \
  X(kMemoryBytes, gauge, "kpo_memory_bytes",                                                  \
    "The process's memory by kind: resident, heap_in_use, heap_free.")

enum class Family {
#define KPO_METRIC_ENUM(name, type, metric, help) name,
  KPO_METRIC_FAMILIES(KPO_METRIC_ENUM)
#undef KPO_METRIC_ENUM
};

using Labels = std::vector<std::pair<std::string, std::string>>;

// Adds `by` to a counter series.
void Count(Family family, const Labels& labels, double by = 1);
// Records one observation (seconds) in a histogram series.
void Observe(Family family, const Labels& labels, double seconds);

// A gauge measured at scrape time.
struct Gauge {
  Family family;
  Labels labels;
  double value = 0;
};

// Every counter and histogram so far, and `gauges`, in the text format:
// one "# HELP" and "# TYPE" per family, label values escaped.
std::string Render(const std::vector<Gauge>& gauges);

// Counting cache lookups: `cache` is a short name ("search_pages").
inline void CacheLookup(const char* cache, bool hit) {
  Count(Family::kCacheLookups, {{"cache", cache}, {"result", hit ? "hit" : "miss"}});
}

// Observes the seconds from construction to destruction in a histogram.
class ScopedTimer {
 public:
  ScopedTimer(Family family, Labels labels)
      : family_(family), labels_(std::move(labels)), start_(std::chrono::steady_clock::now()) {}
  ~ScopedTimer() {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
    Observe(family_, labels_, took.count());
  }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

 private:
  Family family_;
  Labels labels_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace kpo::metrics

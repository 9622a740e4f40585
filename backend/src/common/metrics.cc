// Implements metrics.h.
#include "common/metrics.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <mutex>

namespace kpo::metrics {

namespace {

enum class Type { kCounter, kHistogram, kGauge };

struct FamilyInfo {
  Type type;
  const char* name;
  const char* help;
};

constexpr Type counter = Type::kCounter;
constexpr Type histogram = Type::kHistogram;
constexpr Type gauge = Type::kGauge;

constexpr FamilyInfo kFamilies[] = {
#define KPO_METRIC_INFO(name, type, metric, help) {type, metric, help},
    KPO_METRIC_FAMILIES(KPO_METRIC_INFO)
#undef KPO_METRIC_INFO
};

// Upper bounds in seconds: a cached search answers in well under a
// millisecond, a rebuild-time page may take seconds.
constexpr std::array<double, 13> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  10};

struct Series {
  double value = 0;  // counter value, or histogram sum
  uint64_t count = 0;
  std::array<uint64_t, kBuckets.size()> buckets{};
};

std::mutex g_mu;
// Family -> rendered label set ("{a=\"b\"}") -> series.
std::map<int, std::map<std::string, Series>> g_series;  // GUARDED_BY(g_mu)

std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// `labels` plus `extra` as {a="b",c="d"}; "" when there are none.
std::string LabelText(const Labels& labels, const std::string& extra = "") {
  std::string out;
  for (const auto& [name, value] : labels) {
    out += (out.empty() ? "" : ",") + name + "=\"" + Escape(value) + "\"";
  }
  if (!extra.empty()) out += (out.empty() ? "" : ",") + extra;
  return out.empty() ? "" : "{" + out + "}";
}

std::string Number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return buf;
}

// The label text with `extra` added inside the braces.
std::string WithLabel(const std::string& labels, const std::string& extra) {
  if (labels.empty()) return "{" + extra + "}";
  return labels.substr(0, labels.size() - 1) + "," + extra + "}";
}

}  // namespace

void Count(Family family, const Labels& labels, double by) {
  const std::string key = LabelText(labels);
  std::lock_guard<std::mutex> lock(g_mu);
  g_series[static_cast<int>(family)][key].value += by;
}

void Observe(Family family, const Labels& labels, double seconds) {
  const std::string key = LabelText(labels);
  std::lock_guard<std::mutex> lock(g_mu);
  Series& s = g_series[static_cast<int>(family)][key];
  s.value += seconds;
  s.count++;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) s.buckets[i]++;
  }
}

std::string Render(const std::vector<Gauge>& gauges) {
  std::map<int, std::map<std::string, Series>> copy;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    copy = g_series;
  }
  for (const auto& g : gauges)
    copy[static_cast<int>(g.family)][LabelText(g.labels)].value = g.value;
  std::string out;
  for (const auto& [index, series] : copy) {
    const FamilyInfo& info = kFamilies[index];
    const std::string name = info.name;
    out += "# HELP " + name + " " + info.help + "\n";
    out += "# TYPE " + name + " " +
           (info.type == Type::kCounter     ? "counter"
            : info.type == Type::kHistogram ? "histogram"
                                            : "gauge") +
           "\n";
    for (const auto& [labels, s] : series) {
      if (info.type != Type::kHistogram) {
        out += name + labels + " " + Number(s.value) + "\n";
        continue;
      }
      // Buckets are counted per bound already (each observation in every
      // bucket it fits), so they are cumulative as the format wants.
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        out += name + "_bucket" + WithLabel(labels, "le=\"" + Number(kBuckets[i]) + "\"") + " " +
               std::to_string(s.buckets[i]) + "\n";
      }
      out += name + "_bucket" + WithLabel(labels, "le=\"+Inf\"") + " " + std::to_string(s.count) +
             "\n";
      out += name + "_sum" + labels + " " + Number(s.value) + "\n";
      out += name + "_count" + labels + " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

}  // namespace kpo::metrics

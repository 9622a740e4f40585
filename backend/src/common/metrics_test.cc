// The exposition text: HELP and TYPE once per family, escaped labels,
// cumulative histogram buckets whose +Inf equals the count.
#include "common/metrics.h"

#include <gtest/gtest.h>

namespace kpo::metrics {
namespace {

TEST(Metrics, RendersCountersHistogramsAndGaugesInTheTextFormat) {
  Count(Family::kCacheLookups, {{"cache", "unit\"test\\"}, {"result", "hit"}}, 2);
  Observe(Family::kSearchDuration, {{"unit", "1"}}, 0.003);
  Observe(Family::kSearchDuration, {{"unit", "1"}}, 20);
  const std::string text = Render({{Family::kIndexDocuments, {}, 7}});
  EXPECT_NE(text.find("# TYPE kpo_cache_lookups_total counter\n"), std::string::npos);
  EXPECT_NE(text.find(R"(kpo_cache_lookups_total{cache="unit\"test\\",result="hit"} 2)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(kpo_search_duration_seconds_bucket{unit="1",le="0.0025"} 0)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(kpo_search_duration_seconds_bucket{unit="1",le="0.005"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(kpo_search_duration_seconds_bucket{unit="1",le="10"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(kpo_search_duration_seconds_bucket{unit="1",le="+Inf"} 2)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(kpo_search_duration_seconds_count{unit="1"} 2)"), std::string::npos);
  EXPECT_NE(text.find("# TYPE kpo_index_documents gauge\nkpo_index_documents 7\n"),
            std::string::npos);
  // One TYPE line per family, however many series.
  EXPECT_EQ(text.find("# TYPE kpo_search_duration_seconds"),
            text.rfind("# TYPE kpo_search_duration_seconds"));
}

}  // namespace
}  // namespace kpo::metrics

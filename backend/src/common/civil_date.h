// Calendar arithmetic on proleptic Gregorian dates, shared by the academy's
// session times and the editorial schedule. Owns: days since the epoch of a
// date. May not touch: time zones (common/local_time.h reads them).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace kpo {

// Days since 1970-01-01 of year `y`, month `m` (1-12), day `d` (H. Hinnant's
// days_from_civil).
inline int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace kpo

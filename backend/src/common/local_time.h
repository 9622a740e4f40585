// Wall-clock time in one IANA zone (Europe/Amsterdam: the academy's session
// times, the editorial schedule, the portal's dates), converted to and from
// UTC with the rules of the system tz database. One parser for every Dutch
// time a person types, so the academy and the editorial schedule never
// read the same text differently.
// Owns: reading a TZif file (/usr/share/zoneinfo) and its POSIX TZ footer,
// and the text form "YYYY-MM-DDTHH:MM" of a local time. Why not std::chrono:
// GCC 12's libstdc++ has no std::chrono::zoned_time or tzdb; why not libical:
// its built-in zone cache is global mutable state shared by all threads.
// May not touch: storage, HTTP.
// Thread-safety: a loaded Zone is immutable; share it freely.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kpo/status.h"

namespace kpo {

// A local time as written in content files and the API.
struct LocalTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
};

// Parses "YYYY-MM-DDTHH:MM" (a real date, 00:00..23:59). False otherwise.
bool ParseLocalTime(std::string_view text, LocalTime* out);
// "YYYY-MM-DDTHH:MM".
std::string FormatLocalTime(const LocalTime& t);
// Seconds since 1970-01-01T00:00 of `t` read as if it were UTC.
int64_t NaiveSeconds(const LocalTime& t);
// The inverse of NaiveSeconds.
LocalTime FromNaiveSeconds(int64_t seconds);

// A typed "YYYY-MM-DDTHH:MM" in Europe/Amsterdam, checked (CheckTypedLocalTime).
enum class TypedTime { kOk, kMalformed, kSkipped, kRepeated };
class Zone;
// kMalformed unless ParseLocalTime reads `text`; kSkipped for a time the
// clocks skip (the last Sunday of March, 02:00-02:59), kRepeated for one
// they show twice (the last Sunday of October, 02:00-02:59): refused
// rather than guessed, because a session or a publication an hour off is
// worse than a question. `*out` gets the parsed time.
TypedTime CheckTypedLocalTime(const Zone& zone, std::string_view text, LocalTime* out = nullptr);
// The Dutch reason for kSkipped and kRepeated, ending in what to do:
// "bestaat niet: ..." / "komt twee keer voor: ...".
std::string TypedTimeProblem(TypedTime problem);

class Zone {
 public:
  // Reads a TZif (version 2 or later) file, e.g. /usr/share/zoneinfo/Europe/Amsterdam.
  // Errors: kInvalidContent (unreadable or not TZif v2+).
  static StatusOr<std::shared_ptr<const Zone>> Load(const std::string& path);
  // The system's Europe/Amsterdam, loaded once. Errors as Load.
  static StatusOr<std::shared_ptr<const Zone>> Amsterdam();

  // UTC offset in seconds at the instant `utc` (unix seconds).
  int OffsetAt(int64_t utc) const;
  // The local wall-clock time at `utc`.
  LocalTime ToLocal(int64_t utc) const;
  // The instant of local time `t`. A time that occurs twice (the hour the
  // clocks go back) is its first occurrence (summer time); a time that does
  // not occur (the hour the clocks go forward) is moved forward by the gap,
  // as calendars do (02:30 becomes 03:30 summer time). What people type is
  // checked with Occurrences first (CheckTypedLocalTime); this reading is
  // for times stored before that check.
  int64_t ToUtc(const LocalTime& t) const;
  // How often the wall clock shows `t`: 1; 0 in the hour the clocks go
  // forward; 2 in the hour they go back.
  int Occurrences(const LocalTime& t) const;

 private:
  // The instants at which the wall clock shows `t`, earliest first: none
  // in the hour the clocks skip, two in the hour they show twice. `*before`
  // gets the offset in force half a day earlier.
  std::vector<int64_t> Instants(const LocalTime& t, int* before) const;
  struct Rule;  // the POSIX TZ footer, for instants after the last transition
  Zone() = default;
  std::vector<int64_t> transitions_;  // ascending unix seconds
  std::vector<int> offsets_after_;    // offset from each transition on
  int initial_offset_ = 0;            // before the first transition
  std::shared_ptr<const Rule> rule_;  // may be null
};

}  // namespace kpo

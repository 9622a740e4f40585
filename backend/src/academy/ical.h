// iCalendar (RFC 5545) text for course sessions. Owns: escaping, line
// folding, the VTIMEZONE of Europe/Amsterdam and the event layout. Times
// are written as local Amsterdam time with TZID (so calendars show the time
// the academy announced, also across a daylight-saving change).
// May not touch: storage, HTTP, access decisions (callers pass only events
// the reader may see).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/local_time.h"

namespace kpo::academy {

struct CalendarEvent {
  std::string uid;  // stable and unique, e.g. "<course>/<session>@kpo"
  int64_t start_utc = 0;
  int64_t end_utc = 0;
  std::string summary;
  std::string description;
  std::string location;
  std::string url;
  bool cancelled = false;
};

// A VCALENDAR named `name` with one VEVENT per event; `stamp` (unix
// seconds) is every event's DTSTAMP. Lines end in CRLF and are folded at 75
// octets without splitting a UTF-8 character.
std::string BuildCalendar(const std::string& name, const std::vector<CalendarEvent>& events,
                          const Zone& zone, int64_t stamp);

// RFC 5545 TEXT escaping: backslash, ';', ',' and newlines; other control
// characters are dropped.
std::string EscapeText(const std::string& text);

}  // namespace kpo::academy

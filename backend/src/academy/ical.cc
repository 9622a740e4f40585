// Implements ical.h.
#include "academy/ical.h"

#include <cstdio>

namespace kpo::academy {

namespace {

// The rules in force since 1996 (EU summer time), as in the tz database.
constexpr const char* kAmsterdamTimezone =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Amsterdam\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19810329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19961027T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

std::string Compact(const LocalTime& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d00", t.year, t.month, t.day, t.hour,
                t.minute);
  return buf;
}

// Appends one content line, folded: at most 75 octets per line, a
// continuation starts with a space, UTF-8 sequences stay whole.
void Line(std::string* out, const std::string& line) {
  size_t used = 0;
  for (size_t i = 0; i < line.size();) {
    size_t len = 1;
    const auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    len = std::min(len, line.size() - i);
    if (used + len > 75) {
      out->append("\r\n ");
      used = 1;
    }
    out->append(line, i, len);
    used += len;
    i += len;
  }
  out->append("\r\n");
}

}  // namespace

std::string EscapeText(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out += c;
    }
  }
  return out;
}

std::string BuildCalendar(const std::string& name, const std::vector<CalendarEvent>& events,
                          const Zone& zone, int64_t stamp) {
  std::string out;
  Line(&out, "BEGIN:VCALENDAR");
  Line(&out, "VERSION:2.0");
  Line(&out, "PRODID:-//Kennisplatform Ondermijning//Academie//NL");
  Line(&out, "CALSCALE:GREGORIAN");
  Line(&out, "METHOD:PUBLISH");
  Line(&out, "X-WR-CALNAME:" + EscapeText(name));
  Line(&out, "X-WR-TIMEZONE:Europe/Amsterdam");
  out += kAmsterdamTimezone;
  const std::string dtstamp = Compact(FromNaiveSeconds(stamp)) + "Z";
  for (const auto& e : events) {
    Line(&out, "BEGIN:VEVENT");
    Line(&out, "UID:" + EscapeText(e.uid));
    Line(&out, "DTSTAMP:" + dtstamp);
    Line(&out, "DTSTART;TZID=Europe/Amsterdam:" + Compact(zone.ToLocal(e.start_utc)));
    Line(&out, "DTEND;TZID=Europe/Amsterdam:" + Compact(zone.ToLocal(e.end_utc)));
    Line(&out, "SUMMARY:" + EscapeText(e.summary));
    if (!e.description.empty()) Line(&out, "DESCRIPTION:" + EscapeText(e.description));
    if (!e.location.empty()) Line(&out, "LOCATION:" + EscapeText(e.location));
    if (!e.url.empty()) Line(&out, "URL:" + EscapeText(e.url));
    Line(&out, std::string("STATUS:") + (e.cancelled ? "CANCELLED" : "CONFIRMED"));
    Line(&out, "END:VEVENT");
  }
  Line(&out, "END:VCALENDAR");
  return out;
}

}  // namespace kpo::academy

// Implements local_time.h. TZif layout: RFC 8536.
#include "common/local_time.h"

#include <algorithm>
#include <cstdio>

#include "common/civil_date.h"
#include "common/file.h"

namespace kpo {

namespace {

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t ReadBig(const std::string& b, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(b[pos + i]);
  if (bytes == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

}  // namespace

bool ParseLocalTime(std::string_view s, LocalTime* out) {
  if (s.size() != 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  LocalTime t{num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2)};
  if (t.year < 1970 || t.year > 2200 || t.month < 1 || t.month > 12 || t.day < 1 ||
      t.day > DaysInMonth(t.year, t.month) || t.hour > 23 || t.minute > 59) {
    return false;
  }
  *out = t;
  return true;
}

std::string FormatLocalTime(const LocalTime& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", t.year, t.month, t.day, t.hour,
                t.minute);
  return buf;
}

int64_t NaiveSeconds(const LocalTime& t) {
  return DaysFromCivil(t.year, t.month, t.day) * 86400 + int64_t{t.hour} * 3600 +
         int64_t{t.minute} * 60;
}

LocalTime FromNaiveSeconds(int64_t seconds) {
  int64_t days = FloorDiv(seconds, 86400);
  int64_t rest = seconds - days * 86400;
  // civil_from_days (H. Hinnant).
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  LocalTime t;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = static_cast<int>(yoe + era * 400 + (t.month <= 2 ? 1 : 0));
  t.hour = static_cast<int>(rest / 3600);
  t.minute = static_cast<int>(rest % 3600 / 60);
  return t;
}

// "STDoffset[DST[offset],start[/time],end[/time]]" with Mm.w.d dates, the
// form every European zone uses. Offsets are stored as seconds east of UTC.
struct Zone::Rule {
  struct Date {
    int month = 0, week = 0, weekday = 0;
    int time = 7200;  // seconds after local midnight; default 02:00
  };
  int std_offset = 0;
  bool has_dst = false;
  int dst_offset = 0;
  Date start, end;

  // Parses the footer; nullopt-like false when it is in a form we do not read.
  static bool Parse(std::string_view s, Rule* rule) {
    size_t i = 0;
    auto name = [&]() {
      if (i < s.size() && s[i] == '<') {
        size_t close = s.find('>', i);
        if (close == std::string_view::npos) return false;
        i = close + 1;
        return true;
      }
      size_t begin = i;
      while (i < s.size() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) ++i;
      return i - begin >= 3;
    };
    auto hms = [&](int* out) {
      int sign = 1;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
      int parts[3] = {0, 0, 0};
      for (int p = 0; p < 3; ++p) {
        if (p > 0) {
          if (i >= s.size() || s[i] != ':') break;
          ++i;
        }
        size_t begin = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
          parts[p] = parts[p] * 10 + (s[i++] - '0');
        if (i == begin) return false;
      }
      *out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
      return true;
    };
    auto date = [&](Date* d) {
      if (i >= s.size() || s[i] != 'M') return false;
      ++i;
      int* fields[3] = {&d->month, &d->week, &d->weekday};
      for (int f = 0; f < 3; ++f) {
        if (f > 0) {
          if (i >= s.size() || s[i] != '.') return false;
          ++i;
        }
        size_t begin = i;
        *fields[f] = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
          *fields[f] = *fields[f] * 10 + (s[i++] - '0');
        if (i == begin) return false;
      }
      if (d->month < 1 || d->month > 12 || d->week < 1 || d->week > 5 || d->weekday > 6) {
        return false;
      }
      if (i < s.size() && s[i] == '/') {
        ++i;
        return hms(&d->time);
      }
      return true;
    };
    int posix = 0;
    if (!name() || !hms(&posix)) return false;
    rule->std_offset = -posix;  // POSIX counts west of UTC
    if (i == s.size()) return true;
    if (!name()) return false;
    rule->has_dst = true;
    rule->dst_offset = rule->std_offset + 3600;
    if (i < s.size() && s[i] != ',') {
      if (!hms(&posix)) return false;
      rule->dst_offset = -posix;
    }
    if (i >= s.size() || s[i++] != ',' || !date(&rule->start)) return false;
    if (i >= s.size() || s[i++] != ',' || !date(&rule->end)) return false;
    return i == s.size();
  }

  // Unix seconds at which `d` happens in `year`, `offset` being the local
  // offset in force just before it.
  static int64_t Instant(const Date& d, int year, int offset) {
    const int64_t first = DaysFromCivil(year, d.month, 1);
    const int first_weekday = static_cast<int>((first % 7 + 11) % 7);  // 1970-01-01 was Thursday
    int day = 1 + (d.weekday - first_weekday + 7) % 7 + (d.week - 1) * 7;
    while (day > DaysInMonth(year, d.month)) day -= 7;
    return (first + day - 1) * 86400 + d.time - offset;
  }

  int OffsetAt(int64_t utc) const {
    if (!has_dst) return std_offset;
    const int year = FromNaiveSeconds(utc + std_offset).year;
    const int64_t start_at = Instant(start, year, std_offset);
    const int64_t end_at = Instant(end, year, dst_offset);
    const bool dst =
        start_at < end_at ? (utc >= start_at && utc < end_at) : !(utc >= end_at && utc < start_at);
    return dst ? dst_offset : std_offset;
  }
};

StatusOr<std::shared_ptr<const Zone>> Zone::Load(const std::string& path) {
  auto bytes = ReadWholeFile(path);
  if (!bytes.ok()) return bytes.status();
  const std::string& b = *bytes;
  auto bad = [&](const char* why) {
    return Status::Error(ErrorCode::kInvalidContent, path + ": geen bruikbaar tijdzonebestand",
                         why);
  };
  if (b.size() < 44 || b.compare(0, 4, "TZif") != 0 || b[4] < '2') return bad("not TZif v2+");
  auto counts = [&](size_t at, int64_t c[6]) {
    for (size_t k = 0; k < 6; ++k) c[k] = ReadBig(b, at + 20 + 4 * k, 4);
  };
  int64_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  counts(0, c);
  for (int64_t v : c) {
    if (v < 0 || v > 100000) return bad("absurd counts");
  }
  const size_t v1 = 44 + c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
  if (b.size() < v1 + 44 || b.compare(v1, 4, "TZif") != 0) return bad("no v2 header");
  counts(v1, c);
  for (int64_t v : c) {
    if (v < 0 || v > 100000) return bad("absurd counts");
  }
  const size_t times = v1 + 44;
  const size_t indexes = times + c[3] * 8;
  const size_t types = indexes + c[3];
  const size_t end = types + c[4] * 6 + c[5] + c[2] * 12 + c[1] + c[0];
  if (b.size() < end || c[4] < 1) return bad("truncated");
  std::shared_ptr<Zone> zone(new Zone());
  auto type_offset = [&](size_t type) { return static_cast<int>(ReadBig(b, types + type * 6, 4)); };
  // Before the first transition: the first non-DST type (RFC 8536 3.2).
  zone->initial_offset_ = type_offset(0);
  for (int64_t t = 0; t < c[3]; ++t) {
    const auto type = static_cast<unsigned char>(b[indexes + t]);
    if (type >= c[4]) return bad("bad type index");
    zone->transitions_.push_back(ReadBig(b, times + t * 8, 8));
    zone->offsets_after_.push_back(type_offset(type));
  }
  if (!std::is_sorted(zone->transitions_.begin(), zone->transitions_.end())) {
    return bad("unsorted");
  }
  // The footer "\nTZ\n" rules every instant after the last transition.
  if (end < b.size() && b[end] == '\n') {
    size_t close = b.find('\n', end + 1);
    if (close != std::string::npos) {
      auto rule = std::make_shared<Rule>();
      if (Rule::Parse(std::string_view(b).substr(end + 1, close - end - 1), rule.get())) {
        zone->rule_ = rule;
      }
    }
  }
  return std::shared_ptr<const Zone>(zone);
}

StatusOr<std::shared_ptr<const Zone>> Zone::Amsterdam() {
  // Loaded once; C++ makes the initialisation of a local static thread-safe.
  static const StatusOr<std::shared_ptr<const Zone>> kLoaded =
      Load("/usr/share/zoneinfo/Europe/Amsterdam");
  return kLoaded;
}

int Zone::OffsetAt(int64_t utc) const {
  if (transitions_.empty() || utc < transitions_.front()) {
    return transitions_.empty() && rule_ ? rule_->OffsetAt(utc) : initial_offset_;
  }
  if (utc >= transitions_.back() && rule_) return rule_->OffsetAt(utc);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
  return offsets_after_[static_cast<size_t>(it - transitions_.begin()) - 1];
}

LocalTime Zone::ToLocal(int64_t utc) const { return FromNaiveSeconds(utc + OffsetAt(utc)); }

std::vector<int64_t> Zone::Instants(const LocalTime& t, int* before) const {
  const int64_t naive = NaiveSeconds(t);
  // Transitions are months apart, so the offsets half a day either side are
  // the only candidates.
  *before = OffsetAt(naive - 43200);
  const int after = OffsetAt(naive + 43200);
  std::vector<int64_t> out;
  for (int offset : {*before, after}) {
    const int64_t utc = naive - offset;
    if (OffsetAt(utc) == offset && std::find(out.begin(), out.end(), utc) == out.end()) {
      out.push_back(utc);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

int64_t Zone::ToUtc(const LocalTime& t) const {
  int before = 0;
  const auto instants = Instants(t, &before);
  // In the gap: read with the offset before it, which lands after the
  // transition, i.e. the gap's length later on the wall clock.
  return instants.empty() ? NaiveSeconds(t) - before : instants.front();
}

int Zone::Occurrences(const LocalTime& t) const {
  int before = 0;
  return static_cast<int>(Instants(t, &before).size());
}

TypedTime CheckTypedLocalTime(const Zone& zone, std::string_view text, LocalTime* out) {
  LocalTime t;
  if (!ParseLocalTime(text, &t)) return TypedTime::kMalformed;
  if (out != nullptr) *out = t;
  switch (zone.Occurrences(t)) {
    case 0:
      return TypedTime::kSkipped;
    case 1:
      return TypedTime::kOk;
    default:
      return TypedTime::kRepeated;
  }
}

std::string TypedTimeProblem(TypedTime problem) {
  switch (problem) {
    case TypedTime::kSkipped:
      return "bestaat niet: die nacht gaat de klok om 02:00 een uur vooruit naar 03:00. Kies een "
             "ander tijdstip";
    case TypedTime::kRepeated:
      return "komt twee keer voor: die nacht gaat de klok om 03:00 een uur terug naar 02:00. Kies "
             "een ander tijdstip";
    case TypedTime::kOk:
    case TypedTime::kMalformed:
      break;
  }
  return "";
}

}  // namespace kpo

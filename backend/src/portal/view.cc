// Implements view.h.
#include "portal/view.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "common/local_time.h"
#include "common/percent.h"
#include "http/request.h"

namespace kpo::portal {

namespace {
constexpr std::array<const char*, 12> kMonths = {"januari",   "februari", "maart",    "april",
                                                 "mei",       "juni",     "juli",     "augustus",
                                                 "september", "oktober",  "november", "december"};
}  // namespace

std::string DutchDate(const std::string& iso_date) {
  if (iso_date.size() != 10 || iso_date[4] != '-' || iso_date[7] != '-') return iso_date;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (iso_date[i] < '0' || iso_date[i] > '9') return iso_date;
  }
  const int month = std::stoi(iso_date.substr(5, 2));
  const int day = std::stoi(iso_date.substr(8, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31) return iso_date;
  return std::to_string(day) + " " + kMonths[static_cast<size_t>(month - 1)] + " " +
         iso_date.substr(0, 4);
}

std::string DutchDateTime(const std::string& local_time) {
  // Monday first; 1970-01-01 (day 0) was a Thursday.
  static constexpr std::array<const char*, 7> kDays = {"ma", "di", "wo", "do", "vr", "za", "zo"};
  LocalTime t;
  if (!ParseLocalTime(local_time, &t)) return local_time;
  // ParseLocalTime accepts years from 1970 on, so the day number is never negative.
  const int64_t days = NaiveSeconds(t) / 86400;
  const auto weekday = static_cast<size_t>((days + 3) % 7);
  char clock[6];
  std::snprintf(clock, sizeof clock, "%02d:%02d", t.hour, t.minute);
  return std::string(kDays[weekday]) + " " + std::to_string(t.day) + " " +
         kMonths[static_cast<size_t>(t.month - 1)] + " " + std::to_string(t.year) + ", " + clock;
}

std::string FreePlaces(int64_t free) {
  if (free <= 0) return "vol";
  return std::to_string(free) + (free == 1 ? " plaats vrij" : " plaatsen vrij");
}

std::string TypeLabel(const std::string& type) {
  static const std::map<std::string, std::string> kLabels = {{"handreiking", "Handreiking"},
                                                             {"product", "Product"},
                                                             {"cursus", "Cursus"},
                                                             {"nieuws", "Nieuws"},
                                                             {"pagina", "Pagina"}};
  auto it = kLabels.find(type);
  return it == kLabels.end() ? type : it->second;
}

std::string RoleLabel(Role role) {
  switch (role) {
    case Role::kMember:
      return "lid";
    case Role::kEditor:
      return "redacteur";
    case Role::kRedactie:
      return "redactie";
    case Role::kAcademie:
      return "academie";
    case Role::kAdmin:
      return "beheerder";
    case Role::kAnonymous:
      break;
  }
  return "";
}

std::vector<PageLink> PageWindow(int current, int last) {
  std::vector<PageLink> out;
  if (last <= 1) return out;
  current = std::clamp(current, 1, last);
  int previous = 0;
  for (int n = 1; n <= last; ++n) {
    const bool shown = n == 1 || n == last || (n >= current - 2 && n <= current + 2);
    if (!shown) continue;
    if (previous != 0 && n > previous + 1) out.push_back({0, false});
    out.push_back({n, n == current});
    previous = n;
  }
  return out;
}

std::map<std::string, std::string> ParseForm(const std::string& body) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(start, end - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      auto key = PercentDecode(pair.substr(0, eq), true);
      auto value = eq == std::string::npos ? std::optional<std::string>("")
                                           : PercentDecode(pair.substr(eq + 1), true);
      if (key) out[*key] = value ? *value : "";
    }
    start = end + 1;
  }
  return out;
}

std::string SafeNext(const std::string& next) {
  if (next.empty() || next[0] != '/' || next.size() > 2000) return "/";
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return "/";
  for (unsigned char c : next) {
    if (c < 0x20 || c == 0x7f || c == '\\') return "/";
  }
  return next;
}

std::string FileSize(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  if (bytes < (int64_t{1} << 20)) return std::to_string(bytes >> 10) + " kB";
  return std::to_string(bytes >> 20) + " MB";
}

std::string FileKind(const std::string& mime) {
  static const std::map<std::string, std::string> kKinds = {
      {"application/pdf", "PDF-document"},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word-document"},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel-werkblad"},
      {"application/vnd.oasis.opendocument.text", "OpenDocument-tekst"},
      {"image/png", "PNG-afbeelding"},
      {"image/jpeg", "JPEG-afbeelding"}};
  auto it = kKinds.find(mime);
  return it == kKinds.end() ? "bestand" : it->second;
}

}  // namespace kpo::portal

// Implements validate.h.
#include "content/validate.h"

#include <algorithm>
#include <cctype>

#include "common/local_time.h"

namespace kpo::content {

namespace {

// What is wrong with a key IsValidKey refuses, for a form.
std::string KeyProblem(std::string_view key) {
  if (key.empty()) return "ontbreekt";
  if (key.size() > 100) {
    return "is te lang: " + std::to_string(key.size()) + " tekens, maximaal 100";
  }
  if (key.front() == '-' || key.back() == '-') {
    return "mag niet met een streepje beginnen of eindigen";
  }
  return "mag alleen kleine letters, cijfers en streepjes bevatten";
}

constexpr size_t kMaxTitle = 300;
constexpr size_t kMaxSummary = 1000;
constexpr size_t kMaxBody = 1 << 20;
constexpr size_t kMaxListItems = 50;
constexpr size_t kMaxListValue = 60;  // bytes of one tag

// ASCII lower case (scheme names are ASCII).
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool Contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string Joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& v : list) out += (out.empty() ? "" : ", ") + v;
  return out;
}

void CheckList(const std::vector<std::string>& values, const std::string& field, const char* kind,
               const char* noun, const Vocabulary& vocabulary, std::vector<FieldError>* errors) {
  if (values.size() > kMaxListItems) {
    errors->push_back({field, "te veel waarden (maximaal 50)"});
  }
  for (const auto& v : values) {
    if (kind != nullptr && !vocabulary.Has(kind, v)) {
      errors->push_back(
          {field, std::string("onbekend ") + noun + " '" + v + "' (niet in vocabulary.yaml)"});
    } else if (kind == nullptr && v.empty()) {
      errors->push_back({field, "lege waarde", "{" + field + "}: een waarde is leeg"});
    } else if (kind == nullptr && v.size() > kMaxListValue) {
      // The start of the value says which one.
      const std::string shown = "'" + Abbreviated(v, 30) + "'";
      errors->push_back({field, shown + " is te lang (maximaal 60 tekens)",
                         "{" + field + "}: " + shown + " is te lang (maximaal 60 tekens)"});
    } else if (kind == nullptr && HasControl(v, "")) {
      errors->push_back({field, "waarde bevat een onzichtbaar stuurteken",
                         "{" + field + "}: een waarde bevat een onzichtbaar stuurteken"});
    }
  }
}

constexpr size_t kMaxCourseText = 200;
// What a course file can write (item_file.cc: nine digits before the
// point), so the API cannot store more than a file.
constexpr long long kMaxCostCents = 99999999999;
// Accreditation points per course: a long programme earns tens, so 1 000 is
// far above any real course and below a slip of the keyboard (9999999).
constexpr long long kMaxPoints = 1000;
constexpr size_t kMaxSessions = 200;

// A session's start or end as typed: "YYYY-MM-DDTHH:MM", a real date and
// time that the Dutch wall clock shows once (common/local_time.h); such
// times compare as text. Without the system's zone file nothing runs the
// academy, so only the form is checked then.
TypedTime CheckSessionTime(std::string_view t) {
  auto zone = Zone::Amsterdam();  // loaded once, then shared
  if (zone.ok()) return CheckTypedLocalTime(**zone, t);
  LocalTime parsed;
  return ParseLocalTime(t, &parsed) ? TypedTime::kOk : TypedTime::kMalformed;
}

void ValidateCourse(const Item& item, std::vector<FieldError>* errors) {
  const CourseFacts& c = *item.course;
  if (item.type != "cursus") {
    errors->push_back({"type",
                       "academievelden (provider, format, sessions, ...) horen alleen bij "
                       "type: cursus"});
    return;
  }
  for (const auto& [field, value] :
       {std::pair{"provider", &c.provider}, std::pair{"level", &c.level},
        std::pair{"duration", &c.duration}}) {
    // Appended, not prepended: GCC 12 at -O3 reports a false -Wrestrict
    // for `"{" + std::string(...)` here, which broke the Release build.
    const std::string name(field);
    const std::string label = std::string("{") + field + "}";
    if (value->size() > kMaxCourseText) {
      errors->push_back({name, name + " is te lang (maximaal 200 tekens)",
                         label + " is te lang (maximaal 200 tekens)"});
    } else if (HasControl(*value, "")) {
      errors->push_back({name, name + " bevat een regeleinde of een onzichtbaar stuurteken",
                         label + " bevat een regeleinde of een onzichtbaar stuurteken"});
    }
  }
  if (c.cost_cents < 0 || c.cost_cents > kMaxCostCents) {
    errors->push_back({"cost_cents", "cost moet een bedrag van 0 tot 999999999.99 euro zijn",
                       "{cost_cents} moet een bedrag van 0 euro of meer zijn"});
  }
  if (c.points < 0 || c.points > kMaxPoints) {
    errors->push_back({"points", "points moet een geheel getal van 0 tot en met 1000 zijn",
                       "{points} moet een geheel getal van 0 tot en met 1000 zijn"});
  }
  if (!c.format.empty() && !Contains(CourseFormats(), c.format)) {
    errors->push_back({"format",
                       "onbekende vorm '" + c.format + "' (" + Joined(CourseFormats()) + ")",
                       "{format}: kies uit " + Joined(CourseFormats())});
  }
  if (std::none_of(CourseLanguages().begin(), CourseLanguages().end(),
                   [&](const CourseLanguage& l) { return c.language == l.code; })) {
    std::string codes;
    std::string names;
    for (const auto& l : CourseLanguages()) {
      codes += std::string(codes.empty() ? "" : ", ") + l.code;
      names += std::string(names.empty() ? "" : ", ") + l.name;
    }
    errors->push_back(
        {"language", "onbekende taal (kies uit " + codes + ")", "{language}: kies uit " + names});
  }
  if (c.sessions.size() > kMaxSessions) {
    errors->push_back({"sessions", "te veel sessies (maximaal 200)"});
  }
  std::vector<std::string> seen;
  for (size_t i = 0; i < c.sessions.size(); ++i) {
    const SessionSpec& s = c.sessions[i];
    // One key per field, so a form can put each problem beside its field;
    // item_file.cc maps all of them to the session's line.
    const std::string at = "sessions." + std::to_string(i) + ".";
    const std::string name = "sessie " + (s.id.empty() ? std::to_string(i + 1) : "'" + s.id + "'");
    if (!IsValidKey(s.id)) {
      errors->push_back({at + "id", name + ": id ontbreekt of is ongeldig (alleen a-z, 0-9 en -)",
                         "{id} " + KeyProblem(s.id)});
    } else if (Contains(seen, s.id)) {
      errors->push_back({at + "id", name + ": id komt twee keer voor", "{id} komt twee keer voor"});
    }
    seen.push_back(s.id);
    // Every problem at once: a bad start does not hide a bad end or place.
    const TypedTime start = CheckSessionTime(s.start);
    const TypedTime end = CheckSessionTime(s.end);
    const bool start_ok = start == TypedTime::kOk;
    if (start == TypedTime::kMalformed) {
      errors->push_back({at + "start",
                         name + ": start moet JJJJ-MM-DDTUU:MM zijn (Nederlandse tijd), "
                                "bijvoorbeeld 2027-03-09T09:30",
                         "{start} ontbreekt of is geen datum met tijd"});
    } else if (!start_ok) {
      errors->push_back({at + "start", name + ": start " + s.start + " " + TypedTimeProblem(start),
                         "{start} " + TypedTimeProblem(start)});
    }
    if (end == TypedTime::kMalformed) {
      errors->push_back({at + "end", name + ": end moet JJJJ-MM-DDTUU:MM zijn (Nederlandse tijd)",
                         "{end} ontbreekt of is geen datum met tijd"});
    } else if (end != TypedTime::kOk) {
      errors->push_back({at + "end", name + ": end " + s.end + " " + TypedTimeProblem(end),
                         "{end} " + TypedTimeProblem(end)});
    } else if (start_ok && s.end <= s.start) {
      errors->push_back(
          {at + "end", name + ": end moet na start liggen", "{end}: kies een moment na het begin"});
    }
    // In the order of the session form, so its error summary reads top down.
    if (s.location.empty() || s.location.size() > kMaxCourseText || HasControl(s.location, "")) {
      errors->push_back({at + "location",
                         name + ": location (adres of https-link) ontbreekt of is te lang",
                         s.location.empty() ? "{location} ontbreekt"
                                            : "{location} mag hoogstens 200 tekens op één regel "
                                              "zijn"});
    } else if (Lower(s.location.substr(0, 7)) == "http://") {
      // Shown as a plain address, not as "Online" with a link: an unsafe
      // link would reach members as text they must copy. Said, not guessed.
      errors->push_back({at + "location",
                         name + ": een link in location begint met https://, niet met http://",
                         "{location}: een link begint met https://, niet met http://"});
    } else if (s.location.rfind("https://", 0) == 0 &&
               s.location.find_first_of(" \"<>\\^`{|}") != std::string::npos) {
      // The link goes into calendars (URL:) and href attributes as it is.
      errors->push_back({at + "location",
                         name + ": een link in location mag geen spaties of tekens als \" < > "
                                "bevatten",
                         "{location}: een link mag geen spaties of tekens als \" < > bevatten"});
    }
    if (!IsValidCapacity(s.capacity)) {
      errors->push_back({at + "capacity", name + ": capacity moet een getal van 1 tot 10000 zijn",
                         "{capacity} moet een getal van 1 tot en met 10000 zijn"});
    }
    if (!s.deadline.empty() &&
        (!IsValidDate(s.deadline) || (start_ok && s.deadline > s.start.substr(0, 10)))) {
      errors->push_back({at + "deadline",
                         name + ": deadline moet een datum JJJJ-MM-DD zijn, niet na de startdatum",
                         "{deadline}: kies een datum op of vóór de dag waarop de sessie begint"});
    }
  }
}

// The first letter in upper case; an ASCII letter is all our messages start
// with after a label ("Vul", "Kies", or a label itself).
std::string Capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

}  // namespace

bool IsValidKey(std::string_view key) {
  if (key.empty() || key.size() > 100 || key.front() == '-' || key.back() == '-') return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsValidDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  int y = std::stoi(std::string(d.substr(0, 4)));
  int m = std::stoi(std::string(d.substr(5, 2)));
  int day = std::stoi(std::string(d.substr(8, 2)));
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + ((m == 2 && leap) ? 1 : 0);
  return day <= max;
}

size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len;
    unsigned cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid too.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

std::string FormMessage(const FieldError& error,
                        const std::function<std::string(const std::string&)>& label) {
  if (error.form_message.empty()) return label(error.field) + ": " + error.message;
  std::string out;
  const std::string& pattern = error.form_message;
  for (size_t i = 0; i < pattern.size();) {
    const size_t close = pattern[i] == '{' ? pattern.find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      out += pattern[i++];
      continue;
    }
    out += label(pattern.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return Capitalised(out);
}

std::string Abbreviated(std::string_view text, size_t bytes) {
  if (text.size() <= bytes) return std::string(text);
  size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

bool HasControl(std::string_view text, std::string_view allowed) {
  if (std::any_of(text.begin(), text.end(), [allowed](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 || u == 0x7f) && allowed.find(c) == std::string_view::npos;
      })) {
    return true;
  }
  // The bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069,
  // UTF-8 E2 80 AA-AE and E2 81 A6-A9): invisible, and they make a title
  // or a place read as something else than it holds.
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) != 0xE2) continue;
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    const auto b2 = static_cast<unsigned char>(text[i + 2]);
    if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
      return true;
    }
  }
  return false;
}

std::vector<FieldError> ValidateItem(const Item& item, const Vocabulary& vocabulary) {
  std::vector<FieldError> errors;
  if (!IsValidKey(item.id)) {
    errors.push_back({"id", "ongeldige id '" + item.id + "' (alleen a-z, 0-9 en -)",
                      "{id} " + KeyProblem(item.id)});
  }
  if (item.title.find_first_not_of(" \t\r\n") == std::string::npos) {
    errors.push_back({"title", "titel ontbreekt", "{title} ontbreekt"});
  } else if (item.title.size() > kMaxTitle) {
    errors.push_back({"title", "titel is te lang (maximaal 300 tekens)",
                      "{title} is te lang (maximaal 300 tekens)"});
  } else if (HasControl(item.title, "")) {
    errors.push_back({"title", "titel bevat een regeleinde of een onzichtbaar stuurteken",
                      "{title} bevat een regeleinde of een onzichtbaar stuurteken"});
  }
  if (item.type.empty()) {
    errors.push_back({"type", "type ontbreekt (" + Joined(ItemTypes()) + ")"});
  } else if (!Contains(ItemTypes(), item.type)) {
    errors.push_back({"type", "onbekend type '" + item.type + "' (" + Joined(ItemTypes()) + ")"});
  }
  if (item.summary.size() > kMaxSummary) {
    errors.push_back({"summary", "samenvatting is te lang (maximaal 1000 tekens)",
                      "{summary} is te lang (maximaal 1000 tekens)"});
  } else if (HasControl(item.summary, "\t\r\n")) {
    errors.push_back({"summary", "samenvatting bevat een onzichtbaar stuurteken",
                      "{summary} bevat een onzichtbaar stuurteken"});
  }
  CheckList(item.themes, "themes", Vocabulary::kThemes, "thema", vocabulary, &errors);
  CheckList(item.regions, "regions", Vocabulary::kRegions, "regio", vocabulary, &errors);
  CheckList(item.groups, "groups", Vocabulary::kGroups, "partnergroep", vocabulary, &errors);
  CheckList(item.tags, "tags", nullptr, "tag", vocabulary, &errors);
  if (!item.werkplaats.empty() && !vocabulary.Has(Vocabulary::kWerkplaatsen, item.werkplaats)) {
    errors.push_back(
        {"werkplaats", "onbekende werkplaats '" + item.werkplaats + "' (niet in vocabulary.yaml)"});
  }
  if (!Contains(AccessLevels(), item.access)) {
    errors.push_back({"access", "onbekend toegangsniveau '" + item.access + "' (" +
                                    Joined(AccessLevels()) + ")"});
  } else if (item.access == "restricted" && item.groups.empty()) {
    errors.push_back({"groups", "access: restricted vraagt minstens één partnergroep in groups",
                      "{groups}: kies minstens één partnergroep"});
  } else if (item.access != "restricted" && !item.groups.empty()) {
    errors.push_back({"groups", "groups mag alleen bij access: restricted",
                      // The editor's choice for restricted (portal/editorial_pages.cc).
                      "{groups} gelden alleen bij 'Alleen de gekozen partnergroepen': kies dat, "
                      "of zet de partnergroepen uit"});
  }
  if (!item.published.empty() && !IsValidDate(item.published)) {
    errors.push_back({"published", "ongeldige datum '" + item.published +
                                       "' (gebruik JJJJ-MM-DD, bijvoorbeeld 2022-03-01)"});
  }
  if (!Contains(ItemStatuses(), item.status)) {
    errors.push_back(
        {"status", "onbekende status '" + item.status + "' (" + Joined(ItemStatuses()) + ")"});
  }
  if (item.course) ValidateCourse(item, &errors);
  if (item.body_markdown.size() > kMaxBody) {
    errors.push_back({"body", "tekst is te lang (maximaal 1 MB)"});
  }
  return errors;
}

}  // namespace kpo::content

// What a course file (an item of type `cursus`) says about the academy:
// its academy fields and the sessions it declares in front matter. Values
// only: parsing lives in content/, validation in content/validate.h, storage
// and enrolment in academy/.
#pragma once

#include <string>
#include <vector>

namespace kpo {

// One session as declared in a course file's `sessions:` list.
struct SessionSpec {
  std::string id;        // [a-z0-9-]+, unique within the course
  std::string start;     // local Europe/Amsterdam time, YYYY-MM-DDTHH:MM
  std::string end;       // same form, after start
  std::string location;  // an address, or an https:// link for online sessions
  long long capacity = 0;
  std::string deadline;  // YYYY-MM-DD, last day to enrol; empty = the day before start
};

struct CourseFacts {
  std::string provider;
  std::string format;  // klassikaal | online | e-learning | webinar; empty = unknown
  std::string level;
  std::string duration;  // free text, e.g. "2 dagdelen"
  long long cost_cents = 0;
  std::string language = "nl";  // a code of CourseLanguages()
  long long points = 0;         // accreditation points
  std::vector<SessionSpec> sessions;
};

inline const std::vector<std::string>& CourseFormats() {
  static const std::vector<std::string> kFormats = {"klassikaal", "online", "e-learning",
                                                    "webinar"};
  return kFormats;
}

// The languages a course can be given in: the academy's own (Dutch), English
// for international partners and the two neighbours' for cross-border
// courses. A list rather than any ISO 639-1 code, so the form can offer a
// choice and the portal a Dutch name ("zz" passed the old two-letter check).
struct CourseLanguage {
  const char* code;
  const char* name;  // in Dutch, as the portal shows it
};

inline const std::vector<CourseLanguage>& CourseLanguages() {
  static const std::vector<CourseLanguage> kLanguages = {
      {"nl", "Nederlands"}, {"en", "Engels"}, {"de", "Duits"}, {"fr", "Frans"}};
  return kLanguages;
}

}  // namespace kpo

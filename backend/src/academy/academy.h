// The Ondermijningsacademie: the course catalogue with sessions, enrolment
// with waiting lists, participant lists and calendars. Owns: the academy's
// domain rules on top of the knowledge base's items of type `cursus`: who
// sees a course (the item's access keys, via KnowledgeBase), who may enrol
// (access::CanEnrol), who manages (access::CanManageAcademy), local time
// (Europe/Amsterdam) to UTC, deadlines, filters and sorting, the CSV and
// iCalendar forms. Transactions and the waiting list live in
// academy_store.h; the HTTP shapes in http/academy_api.cc.
// May not touch: HTTP, Xapian, the item store (items are read through
// knowledge::KnowledgeBase, which applies access).
// Thread-safety: every method may be called from any number of threads at
// once; each thread gets its own AcademyStore (SQLite connection), created
// on first use. The service must outlive every call.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "academy/academy_store.h"
#include "common/local_time.h"
#include "content/validate.h"
#include "kpo/access/principal.h"
#include "kpo/content/item.h"
#include "kpo/status.h"

namespace kpo::knowledge {
class KnowledgeBase;
}
namespace kpo::access {
class AuthService;
}

namespace kpo::academy {

struct AcademyOptions {
  // Current time in unix seconds. Default: empty, meaning the system clock.
  std::function<int64_t()> clock;
};

// A session as a reader sees it.
struct SessionView {
  Session session;
  std::string start_local;  // YYYY-MM-DDTHH:MM, Europe/Amsterdam
  std::string end_local;
  std::string status;           // "open" | "full" | "cancelled"
  int64_t free = 0;             // places left (0 when full or cancelled)
  bool enrolment_open = false;  // before the deadline and the start, not cancelled
  std::optional<Place> mine;    // the caller's place, when they hold one
};

struct CourseView {
  Item item;         // body cleared in listings
  std::string html;  // rendered body; only in GetCourse
  CourseFacts facts;
  std::vector<std::string> audience;  // partner groups; empty = every member
  std::vector<SessionView> sessions;
  int64_t next_start_utc = 0;  // next session that has not started; 0 = none
  bool can_enrol = false;      // the caller is in the audience
};

// Filters of GET /api/courses; empty strings and false mean "any".
struct CourseFilter {
  std::string theme, format, audience, region;
  bool upcoming = false;  // only courses with a session still to come
  bool free = false;      // only courses with a session open for enrolment with places left
  std::string from, to;   // YYYY-MM-DD: a session starts on or between these local dates
};

// What an academy manager sends for a session (times local).
struct SessionInput {
  std::string start, end, location, deadline;
  int64_t capacity = 0;
};

// What an academy manager sends for a course (POST /api/courses, PUT
// /api/courses/{id}, the portal's course form). A field left out (nullopt)
// keeps its value on an edit, and takes the default on a create.
struct CourseInput {
  std::string id;  // create only: empty = made from the title
  // The item (title required on a create). `audience` empty = every member;
  // `open_to_all` (no audience) also shows the course to visitors who are
  // not signed in (access public instead of members).
  std::optional<std::string> title, summary, body;
  std::optional<std::vector<std::string>> themes, regions, tags, audience;
  std::optional<bool> open_to_all;
  // The academy fields.
  std::optional<std::string> provider, format, level, duration, language;
  std::optional<int64_t> cost_cents, points;
  // The item revision the edit was based on (GET's `revision`); 0 = the
  // current one (last writer wins).
  int64_t base_revision = 0;
};

struct MyEnrolment {
  CourseView course;  // without the other sessions
  SessionView session;
};

struct FeedToken {
  std::string token;  // raw secret, shown once
  std::string path;   // /api/calendar/<token>.ics
};

// The enrolment deadline of a session that names none: the day before its
// start ("2027-03-25T09:30" -> "2027-03-24"); "" for a start that is no
// local time.
std::string DefaultDeadline(const std::string& start_local);

class Academy {
 public:
  // `kb` and `auth` must outlive the service. Errors: kInvalidContent (the
  // system has no Europe/Amsterdam zone), kStorageError.
  static StatusOr<std::unique_ptr<Academy>> Open(const std::string& data_dir,
                                                 knowledge::KnowledgeBase* kb,
                                                 access::AuthService* auth,
                                                 AcademyOptions options = {});

  // Courses `who` may read, filtered, sorted by next session (courses
  // without one last, by title). Errors: kInvalidParameter (a bad filter),
  // kStorageError.
  StatusOr<std::vector<CourseView>> ListCourses(const Principal& who, const CourseFilter& filter);
  // One course with all sessions and the caller's places. Errors:
  // kCourseNotFound (missing, not a course, or not readable: the same
  // answer, so nothing is revealed), kStorageError.
  StatusOr<CourseView> GetCourse(const Principal& who, const std::string& course_id);

  // Errors: kCourseNotFound, kSessionNotFound, kAuthenticationRequired
  // (anonymous), kNotInAudience (with the audience named, or an API token),
  // kSessionCancelled, kDeadlinePassed, kStorageError, kServiceUnavailable.
  StatusOr<Place> Enrol(const Principal& who, const std::string& address,
                        const std::string& course_id, const std::string& session_id);
  // Errors: kCourseNotFound, kSessionNotFound, kEnrolmentNotFound.
  Status Cancel(const Principal& who, const std::string& address, const std::string& course_id,
                const std::string& session_id);
  // The caller's enrolments (sessions of courses they can still read), by
  // start. Errors: kAuthenticationRequired, kStorageError.
  StatusOr<std::vector<MyEnrolment>> MyEnrolments(const Principal& who);

  // --- academy managers: kForbidden for anyone else ------------------------
  // A new course: an item of type `cursus` (published, source "api", so
  // kpo-index never overwrites it) and its academy fields, both written
  // over the API. Errors: kForbidden, kInvalidField (every problem the
  // validation routine found, in one Dutch message; field by field in
  // `problems` when given, for a form), kDuplicateId (the id is taken),
  // kStorageError.
  StatusOr<CourseView> CreateCourse(const Principal& who, const std::string& address,
                                    const CourseInput& input,
                                    std::vector<content::FieldError>* problems = nullptr);
  // What the validation routine finds in `input` as a new course, saving
  // nothing: a form that found problems of its own (an amount it could not
  // read) lists these with them, so one submit shows every problem.
  std::vector<content::FieldError> CourseProblems(const CourseInput& input) const;
  // Changes the given fields of a course (sessions untouched). Changed item
  // fields make the item API-edited (a conditional save on
  // `input.base_revision`); changed academy fields make those API-edited:
  // kpo-index keeps both. Errors: kForbidden, kCourseNotFound,
  // kInvalidField (as CreateCourse, `problems` too), kStaleRevision
  // (someone saved since), kStorageError.
  StatusOr<CourseView> EditCourse(const Principal& who, const std::string& address,
                                  const std::string& course_id, const CourseInput& input,
                                  std::vector<content::FieldError>* problems = nullptr);
  // Creates or replaces a session. Errors: kForbidden, kCourseNotFound,
  // kInvalidField (as CreateCourse; a session's fields are named
  // "sessions.0.<key>" in `problems`).
  StatusOr<CourseView> PutSession(const Principal& who, const std::string& address,
                                  const std::string& course_id, const std::string& session_id,
                                  const SessionInput& input,
                                  std::vector<content::FieldError>* problems = nullptr);
  // A new session (the portal's "Sessie toevoegen"): as PutSession, but an
  // id the course already uses is refused (kDuplicateId, the problem at
  // "sessions.0.id") instead of replacing that session, and an empty
  // `*session_id` is made from the start date (2027-04-13, then
  // 2027-04-13-2, ...) and written back.
  StatusOr<CourseView> AddSession(const Principal& who, const std::string& address,
                                  const std::string& course_id, std::string* session_id,
                                  const SessionInput& input,
                                  std::vector<content::FieldError>* problems = nullptr);
  // Errors: kForbidden, kCourseNotFound, kSessionNotFound, kInvalidField.
  StatusOr<CourseView> SetCapacity(const Principal& who, const std::string& address,
                                   const std::string& course_id, const std::string& session_id,
                                   int64_t capacity);
  // Errors: kForbidden, kCourseNotFound, kSessionNotFound.
  StatusOr<CourseView> CancelSession(const Principal& who, const std::string& address,
                                     const std::string& course_id, const std::string& session_id);
  // Enrolled, then waiting in order; every read is audited with `form`
  // ("json", "csv"). Errors: kForbidden, kCourseNotFound, kSessionNotFound.
  StatusOr<std::vector<Participant>> Participants(const Principal& who, const std::string& address,
                                                  const std::string& course_id,
                                                  const std::string& session_id,
                                                  const std::string& form = "json");
  // The participant list as CSV for Dutch spreadsheets: UTF-8 with BOM, ';'
  // separated, CRLF, cells that could start a formula prefixed with "'".
  // Errors as Participants.
  StatusOr<std::string> ParticipantsCsv(const Principal& who, const std::string& address,
                                        const std::string& course_id,
                                        const std::string& session_id);

  // --- calendars -------------------------------------------------------------
  // All sessions of a course as iCalendar, or only `session_id` when given
  // (what "Mijn inschrijvingen" offers beside a place). Errors:
  // kCourseNotFound, kSessionNotFound.
  StatusOr<std::string> CourseCalendar(const Principal& who, const std::string& course_id,
                                       const std::string& session_id = "");
  // A new secret feed URL for the caller (an old one stops working).
  // Errors: kAuthenticationRequired (anonymous or API token), kStorageError.
  StatusOr<FeedToken> CreateFeed(const Principal& who, const std::string& address);
  // Errors: kAuthenticationRequired, kStorageError.
  Status RevokeFeed(const Principal& who, const std::string& address);
  // Whether the caller has a feed URL now (so revoking is worth offering).
  // Errors: kAuthenticationRequired, kStorageError.
  StatusOr<bool> HasFeed(const Principal& who);
  // The feed of `token`: the owner's enrolled sessions of courses they can
  // read now. Errors: kFeedNotFound (malformed, unknown, revoked, or the
  // account is disabled), kStorageError.
  StatusOr<std::string> FeedCalendar(const std::string& token);

 private:
  Academy(knowledge::KnowledgeBase* kb, access::AuthService* auth, std::shared_ptr<const Zone> zone,
          std::string path, std::string items_path, AcademyOptions options)
      : kb_(kb),
        auth_(auth),
        zone_(std::move(zone)),
        path_(std::move(path)),
        items_path_(std::move(items_path)),
        options_(std::move(options)) {}
  StatusOr<AcademyStore*> Store();
  int64_t Now() const;
  // A new course item (members-only, published today) and its facts from
  // `input`, before its id is chosen.
  void NewCourse(const CourseInput& input, Item* item, CourseFacts* facts) const;
  // The readable course item, or kCourseNotFound.
  StatusOr<Item> ReadableCourse(const Principal& who, const std::string& course_id,
                                std::string* html = nullptr);
  CourseView View(const Item& item, const CourseRecord& record, const Principal& who,
                  const std::map<std::string, Place>& mine) const;
  SessionView ViewOf(const Session& s, const std::map<std::string, Place>& mine) const;
  // 401 for anonymous callers, 403 unless `allowed` (a policy decision).
  Status CheckManager(const Principal& who, bool allowed) const;
  // Writes `item` (validated with `facts`) as the live item, conditional on
  // `base_revision`, and `facts` when `facts_changed`; one audit line.
  Status WriteCourse(const Principal& who, const std::string& address, Item item,
                     const CourseFacts& facts, bool item_changed, bool facts_changed,
                     int64_t base_revision, std::vector<content::FieldError>* problems);

  knowledge::KnowledgeBase* kb_;
  access::AuthService* auth_;
  std::shared_ptr<const Zone> zone_;
  std::string path_;        // accounts.sqlite
  std::string items_path_;  // kpo.sqlite: courses created or edited over the API
  AcademyOptions options_;
  std::mutex mu_;
  std::map<std::thread::id, std::unique_ptr<AcademyStore>> stores_;  // GUARDED_BY(mu_)
};

// The one hook of kpo-index: brings the academy data of a course file
// (`item.course`, set for every `cursus` file) into `data_dir`/accounts.sqlite.
// API-edited fields and sessions are kept (they win over files). Does
// nothing for items without course data. Errors: kInvalidContent (no time
// zone data), kStorageError.
Status ImportCourseFile(const std::string& data_dir, const Item& item);

}  // namespace kpo::academy

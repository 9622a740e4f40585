// The academy's tables in accounts.sqlite: courses' academy fields,
// sessions, enrolments with their waiting lists, and personal calendar feed
// tokens. Owns: their schema (own version table, so it never collides with
// the account store's PRAGMA user_version) and every rule that must hold in
// one transaction: never more enrolled than capacity, waiting-list order,
// promotion of the first waiting member whenever a place frees up, and the
// audit line of each change, written through the same connection so it
// commits or rolls back with the change (docs/architecture.md, "Academie").
// Why accounts.sqlite: enrolments are personal data joined to users, and the
// audit log lives there; kpo.sqlite can be rebuilt from content/ and holds
// no personal data.
// May not touch: HTTP, Xapian, the item store; who may do what is decided
// in academy/academy.h and access/policy.h.
// Thread-safety: one AcademyStore per thread (it owns one connection); any
// number of stores in any number of processes may share the file.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kpo/content/course.h"
#include "kpo/status.h"

namespace kpo::store {
class Db;
}

namespace kpo::academy {

// Who made a change and from where, for the audit log.
struct Actor {
  std::string name;     // e-mail, "kpo-index", ...
  std::string address;  // client address, "" for local tools
};

// A session as stored, with its current counts.
struct Session {
  std::string course_id;
  std::string id;
  int64_t start_utc = 0;  // unix seconds
  int64_t end_utc = 0;
  std::string location;  // an address, or an https:// link
  int64_t capacity = 0;
  std::string deadline;  // YYYY-MM-DD (local), last day to enrol
  bool cancelled = false;
  std::string source;  // "file" or "api"
  int64_t enrolled = 0;
  int64_t waiting = 0;
};

// A course's academy record (facts without sessions) and its sessions.
struct CourseRecord {
  std::string course_id;
  CourseFacts facts;              // sessions left empty; see `sessions`
  std::string source;             // "file" or "api"
  std::vector<Session> sessions;  // by start time
};

// A member's place on one session.
struct Place {
  std::string state;     // "enrolled" | "waiting"
  int64_t position = 0;  // 1-based waiting-list position; 0 when enrolled
};

// One of a member's enrolments.
struct MemberEnrolment {
  Session session;
  Place place;
};

// One row of a participant list.
struct Participant {
  std::string name;
  std::string email;
  std::vector<std::string> groups;
  Place place;
  int64_t enrolled_at = 0;
};

// A session as written by the API or a file; times already in UTC.
struct SessionWrite {
  std::string id;
  int64_t start_utc = 0;
  int64_t end_utc = 0;
  std::string location;
  int64_t capacity = 0;
  std::string deadline;
};

// The one answer for a session that does not exist (or was never this course's).
Status SessionNotFound();

class AcademyStore {
 public:
  ~AcademyStore();
  // Opens `path` (accounts.sqlite), creating the account schema when it is
  // new (access::AccountStore::Open), and brings the academy schema up to date.
  // Errors: kStorageError, kNoSpaceLeft, kServiceUnavailable.
  static StatusOr<std::unique_ptr<AcademyStore>> Open(const std::string& path);

  // --- reads ---------------------------------------------------------------
  // Every course record with its sessions. Errors: kStorageError.
  StatusOr<std::vector<CourseRecord>> ListCourses();
  // One course, or nullopt. Errors: kStorageError.
  StatusOr<std::optional<CourseRecord>> GetCourse(const std::string& course_id);
  // `user_id`'s places on the sessions of `course_id`, by session id.
  StatusOr<std::map<std::string, Place>> PlacesOf(int64_t user_id, const std::string& course_id);
  // All of `user_id`'s enrolments, by session start. Errors: kStorageError.
  StatusOr<std::vector<MemberEnrolment>> EnrolmentsOf(int64_t user_id);
  // Enrolled first, then the waiting list in order. Errors:
  // kSessionNotFound, kStorageError.
  StatusOr<std::vector<Participant>> Participants(const std::string& course_id,
                                                  const std::string& session_id);

  // --- enrolment: each one transaction, audit line included ---------------
  // Enrols `user_id`, or puts them on the waiting list when the session is
  // full. Enrolling again returns the existing place unchanged. `today` is
  // the local date (YYYY-MM-DD) the deadline is compared with; `now` unix
  // seconds. Errors: kSessionNotFound, kSessionCancelled,
  // kDeadlinePassed (also for a session that has started),
  // kStorageError, kServiceUnavailable (database busy for 5 s).
  StatusOr<Place> Enrol(const std::string& course_id, const std::string& session_id,
                        int64_t user_id, const std::string& today, int64_t now, const Actor& actor);
  // Removes `user_id`'s place; a freed place goes to the first waiting
  // member (audited as a promotion). Errors: kEnrolmentNotFound,
  // kSessionNotFound, kStorageError.
  Status Cancel(const std::string& course_id, const std::string& session_id, int64_t user_id,
                int64_t now, const Actor& actor);

  // --- catalogue (managers and files) -------------------------------------
  // Sets the academy fields of a course edited over the API (source "api").
  // Errors: kStorageError.
  Status PutCourse(const std::string& course_id, const CourseFacts& facts, int64_t now,
                   const Actor& actor);
  // Creates or replaces a session (source "api"); a higher capacity promotes
  // waiting members. Errors: kStorageError.
  StatusOr<Session> PutSession(const std::string& course_id, const SessionWrite& session,
                               int64_t now, const Actor& actor);
  // Changes the capacity (source becomes "api"); raising it promotes from the
  // waiting list, lowering it never removes anyone already enrolled.
  // Errors: kSessionNotFound, kStorageError.
  StatusOr<Session> SetCapacity(const std::string& course_id, const std::string& session_id,
                                int64_t capacity, int64_t now, const Actor& actor);
  // Marks a session cancelled; its enrolments stay so members see it.
  // Errors: kSessionNotFound, kStorageError.
  StatusOr<Session> CancelSession(const std::string& course_id, const std::string& session_id,
                                  int64_t now, const Actor& actor);
  // What a content file says about a course. Fields and sessions whose
  // source is "api" are kept (an API edit wins over any file); file sessions
  // the file no longer lists are removed unless members hold places on them.
  // Success: the number of API-edited parts that were kept. Errors: kStorageError.
  StatusOr<int> ImportFromFile(const std::string& course_id, const CourseFacts& facts,
                               const std::vector<SessionWrite>& sessions, int64_t now,
                               const Actor& actor);

  // Appends one audit line (inside the open transaction, if any), e.g. for
  // reading a participant list. Errors: kStorageError.
  Status Audit(const Actor& actor, const std::string& event, const std::string& subject,
               const std::string& detail, int64_t now);

  // --- personal calendar feeds --------------------------------------------
  // Stores the hash of a new feed token for `user_id`, replacing any old
  // one (which stops working). Errors: kStorageError.
  Status SetFeedToken(int64_t user_id, const std::string& token_hash, int64_t now,
                      const Actor& actor);
  // Errors: kStorageError. Revoking a feed that does not exist is OK.
  Status RevokeFeedToken(int64_t user_id, int64_t now, const Actor& actor);
  // Whether `user_id` has a feed token. Errors: kStorageError.
  StatusOr<bool> HasFeedToken(int64_t user_id);
  // The user of a feed token hash, or nullopt. Errors: kStorageError.
  StatusOr<std::optional<int64_t>> FeedUser(const std::string& token_hash);

 private:
  explicit AcademyStore(std::unique_ptr<store::Db> db);
  Status Migrate();
  StatusOr<std::optional<Session>> ReadSession(const std::string& course_id,
                                               const std::string& session_id);
  StatusOr<std::vector<Session>> ReadSessions(const std::string& course_id);
  Status Promote(const Session& session, int64_t now, const Actor& actor);
  Status WriteSession(const std::string& course_id, const SessionWrite& s,
                      const std::string& source, int64_t now);
  std::unique_ptr<store::Db> db_;
};

}  // namespace kpo::academy

// Implements academy_store.h. Every write is one BEGIN IMMEDIATE
// transaction: SQLite then serialises writers on the file, so the count of
// enrolled members read inside it cannot change before the commit, in this
// process or any other.
#include "academy/academy_store.h"

#include <nlohmann/json.hpp>

#include "access/account_store.h"
#include "store/migrate.h"
#include "store/sqlite.h"

namespace kpo::academy {

AcademyStore::AcademyStore(std::unique_ptr<store::Db> db) : db_(std::move(db)) {}
AcademyStore::~AcademyStore() = default;

namespace {

using store::Stmt;
using store::Transaction;

constexpr int kSchemaVersion = 1;

const char* const kMigrations[] = {
    // 1: academy fields, sessions, enrolments (waiting list = state
    // 'waiting', ordered by id), personal calendar feeds.
    R"sql(
CREATE TABLE academy_courses(
  course_id TEXT PRIMARY KEY,
  provider TEXT NOT NULL, format TEXT NOT NULL, level TEXT NOT NULL,
  duration TEXT NOT NULL, cost_cents INTEGER NOT NULL, language TEXT NOT NULL,
  points INTEGER NOT NULL,
  source TEXT NOT NULL CHECK(source IN ('file', 'api')),
  updated_at INTEGER NOT NULL);
CREATE TABLE academy_sessions(
  course_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  start_utc INTEGER NOT NULL, end_utc INTEGER NOT NULL,
  location TEXT NOT NULL,
  capacity INTEGER NOT NULL CHECK(capacity >= 0),
  deadline TEXT NOT NULL,
  cancelled INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL CHECK(source IN ('file', 'api')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY(course_id, session_id));
CREATE TABLE academy_enrolments(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  course_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK(state IN ('enrolled', 'waiting')),
  created_at INTEGER NOT NULL,
  UNIQUE(course_id, session_id, user_id),
  FOREIGN KEY(course_id, session_id) REFERENCES academy_sessions(course_id, session_id)
    ON DELETE CASCADE);
CREATE INDEX academy_enrolments_queue ON academy_enrolments(course_id, session_id, state, id);
CREATE INDEX academy_enrolments_user ON academy_enrolments(user_id);
CREATE TABLE academy_feeds(
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL);
)sql",
};

constexpr const char* kSessionSelect =
    "SELECT s.course_id, s.session_id, s.start_utc, s.end_utc, s.location, s.capacity, "
    "s.deadline, s.cancelled, s.source, "
    "(SELECT COUNT(*) FROM academy_enrolments e WHERE e.course_id = s.course_id "
    " AND e.session_id = s.session_id AND e.state = 'enrolled'), "
    "(SELECT COUNT(*) FROM academy_enrolments e WHERE e.course_id = s.course_id "
    " AND e.session_id = s.session_id AND e.state = 'waiting') "
    "FROM academy_sessions s ";

// Position on the waiting list: waiting rows of the session up to this one.
constexpr const char* kPositionSql =
    "(SELECT COUNT(*) FROM academy_enrolments w WHERE w.course_id = e.course_id "
    " AND w.session_id = e.session_id AND w.state = 'waiting' AND w.id <= e.id)";

Session ReadSessionRow(const Stmt& s, int first = 0) {
  Session out;
  out.course_id = s.Text(first);
  out.id = s.Text(first + 1);
  out.start_utc = s.Int(first + 2);
  out.end_utc = s.Int(first + 3);
  out.location = s.Text(first + 4);
  out.capacity = s.Int(first + 5);
  out.deadline = s.Text(first + 6);
  out.cancelled = s.Int(first + 7) != 0;
  out.source = s.Text(first + 8);
  out.enrolled = s.Int(first + 9);
  out.waiting = s.Int(first + 10);
  return out;
}

Place ReadPlace(const std::string& state, int64_t position) {
  return Place{state, state == "waiting" ? position : 0};
}

std::string Subject(const std::string& course_id, const std::string& session_id) {
  return course_id + "/" + session_id;
}

}  // namespace

Status SessionNotFound() {
  return Status::Error(ErrorCode::kSessionNotFound, "Deze sessie bestaat niet.");
}

StatusOr<std::unique_ptr<AcademyStore>> AcademyStore::Open(const std::string& path) {
  // The account schema first: the academy's tables refer to users, and its
  // audit lines go into the account store's audit_log.
  auto accounts = access::AccountStore::Open(path);
  if (!accounts.ok()) return accounts.status();
  auto db = store::Db::Open(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<AcademyStore> s(new AcademyStore(std::move(*db)));
  KPO_RETURN_IF_ERROR(s->Migrate());
  return s;
}

Status AcademyStore::Migrate() {
  static_assert(std::size(kMigrations) == kSchemaVersion, "one migration per schema version");
  // The shared runner (store/migrate.h) backs the file up before changing
  // it; the version has its own table, as user_version is the accounts'.
  return store::Migrate(db_.get(), {db_->path(),
                                    {std::begin(kMigrations), std::end(kMigrations)},
                                    "academy_schema",
                                    "academy",
                                    "De academiegegevens zijn van een nieuwere versie."});
}

// --- reads ------------------------------------------------------------------

StatusOr<std::vector<Session>> AcademyStore::ReadSessions(const std::string& course_id) {
  auto stmt = db_->Prepare(std::string(kSessionSelect) +
                           "WHERE s.course_id = ? ORDER BY s.start_utc, s.session_id");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, course_id);
  std::vector<Session> out;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(ReadSessionRow(*stmt));
  }
  return out;
}

StatusOr<std::optional<Session>> AcademyStore::ReadSession(const std::string& course_id,
                                                           const std::string& session_id) {
  auto stmt =
      db_->Prepare(std::string(kSessionSelect) + "WHERE s.course_id = ? AND s.session_id = ?");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, course_id).Bind(2, session_id).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Session>();
  return std::optional<Session>(ReadSessionRow(*stmt));
}

StatusOr<std::vector<CourseRecord>> AcademyStore::ListCourses() {
  auto stmt = db_->Prepare(
      "SELECT course_id, provider, format, level, duration, cost_cents, language, points, "
      "source FROM academy_courses ORDER BY course_id");
  if (!stmt.ok()) return stmt.status();
  std::vector<CourseRecord> out;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    CourseRecord c;
    c.course_id = stmt->Text(0);
    c.facts.provider = stmt->Text(1);
    c.facts.format = stmt->Text(2);
    c.facts.level = stmt->Text(3);
    c.facts.duration = stmt->Text(4);
    c.facts.cost_cents = stmt->Int(5);
    c.facts.language = stmt->Text(6);
    c.facts.points = stmt->Int(7);
    c.source = stmt->Text(8);
    out.push_back(std::move(c));
  }
  // All sessions in one pass, not one query per course.
  auto sessions =
      db_->Prepare(std::string(kSessionSelect) + "ORDER BY s.course_id, s.start_utc, s.session_id");
  if (!sessions.ok()) return sessions.status();
  size_t at = 0;
  while (true) {
    auto row = sessions->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Session s = ReadSessionRow(*sessions);
    while (at < out.size() && out[at].course_id < s.course_id) ++at;
    if (at < out.size() && out[at].course_id == s.course_id) out[at].sessions.push_back(s);
  }
  return out;
}

StatusOr<std::optional<CourseRecord>> AcademyStore::GetCourse(const std::string& course_id) {
  auto stmt = db_->Prepare(
      "SELECT provider, format, level, duration, cost_cents, language, points, source "
      "FROM academy_courses WHERE course_id = ?");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, course_id).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<CourseRecord>();
  CourseRecord c;
  c.course_id = course_id;
  c.facts.provider = stmt->Text(0);
  c.facts.format = stmt->Text(1);
  c.facts.level = stmt->Text(2);
  c.facts.duration = stmt->Text(3);
  c.facts.cost_cents = stmt->Int(4);
  c.facts.language = stmt->Text(5);
  c.facts.points = stmt->Int(6);
  c.source = stmt->Text(7);
  auto sessions = ReadSessions(course_id);
  if (!sessions.ok()) return sessions.status();
  c.sessions = std::move(*sessions);
  return std::optional<CourseRecord>(std::move(c));
}

StatusOr<std::map<std::string, Place>> AcademyStore::PlacesOf(int64_t user_id,
                                                              const std::string& course_id) {
  auto stmt = db_->Prepare(std::string("SELECT e.session_id, e.state, ") + kPositionSql +
                           " FROM academy_enrolments e WHERE e.user_id = ? AND e.course_id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, user_id).Bind(2, course_id);
  std::map<std::string, Place> out;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out[stmt->Text(0)] = ReadPlace(stmt->Text(1), stmt->Int(2));
  }
  return out;
}

StatusOr<std::vector<MemberEnrolment>> AcademyStore::EnrolmentsOf(int64_t user_id) {
  auto stmt = db_->Prepare(std::string(kSessionSelect) + ", academy_enrolments e " +
                           "WHERE e.course_id = s.course_id AND e.session_id = s.session_id "
                           "AND e.user_id = ? ORDER BY s.start_utc, s.course_id");
  if (!stmt.ok()) return stmt.status();
  // The state and position come from a second, keyed read per row: the
  // session select's column list is shared with every other read.
  auto place = db_->Prepare(std::string("SELECT e.state, ") + kPositionSql +
                            " FROM academy_enrolments e WHERE e.user_id = ? AND "
                            "e.course_id = ? AND e.session_id = ?");
  if (!place.ok()) return place.status();
  stmt->Bind(1, user_id);
  std::vector<MemberEnrolment> out;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    MemberEnrolment m;
    m.session = ReadSessionRow(*stmt);
    place->Reset();
    auto p = place->Bind(1, user_id).Bind(2, m.session.course_id).Bind(3, m.session.id).Step();
    if (!p.ok()) return p.status();
    if (*p) m.place = ReadPlace(place->Text(0), place->Int(1));
    out.push_back(std::move(m));
  }
  return out;
}

StatusOr<std::vector<Participant>> AcademyStore::Participants(const std::string& course_id,
                                                              const std::string& session_id) {
  auto session = ReadSession(course_id, session_id);
  if (!session.ok()) return session.status();
  if (!session->has_value()) return SessionNotFound();
  auto stmt = db_->Prepare(
      std::string("SELECT u.name, u.email, "
                  "(SELECT json_group_array(grp) FROM user_groups WHERE user_id = u.id), "
                  "e.state, ") +
      kPositionSql +
      ", e.created_at FROM academy_enrolments e JOIN users u ON u.id = e.user_id "
      "WHERE e.course_id = ? AND e.session_id = ? "
      "ORDER BY e.state = 'waiting', e.id");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, course_id).Bind(2, session_id);
  std::vector<Participant> out;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Participant p;
    p.name = stmt->Text(0);
    p.email = stmt->Text(1);
    auto groups = nlohmann::json::parse(stmt->Text(2), nullptr, false);
    if (groups.is_array()) {
      for (const auto& g : groups) {
        if (g.is_string()) p.groups.push_back(g.get<std::string>());
      }
    }
    p.place = ReadPlace(stmt->Text(3), stmt->Int(4));
    p.enrolled_at = stmt->Int(5);
    out.push_back(std::move(p));
  }
  return out;
}

// --- enrolment ----------------------------------------------------------------

Status AcademyStore::Audit(const Actor& actor, const std::string& event, const std::string& subject,
                           const std::string& detail, int64_t now) {
  access::AuditEntry entry;
  entry.at = now;
  entry.actor = actor.name;
  entry.event = event;
  entry.subject = subject;
  entry.detail = detail;
  entry.address = actor.address;
  auto id = access::AppendAuditTo(db_.get(), entry, now);
  return id.ok() ? Status::Ok() : id.status();
}

// Fills free places from the waiting list, first come first served. Runs
// inside the caller's transaction.
Status AcademyStore::Promote(const Session& session, int64_t now, const Actor& actor) {
  if (session.cancelled) return Status::Ok();
  auto count = db_->Prepare(
      "SELECT COUNT(*) FROM academy_enrolments WHERE course_id = ? AND session_id = ? "
      "AND state = 'enrolled'");
  if (!count.ok()) return count.status();
  auto row = count->Bind(1, session.course_id).Bind(2, session.id).Step();
  if (!row.ok()) return row.status();
  int64_t free = session.capacity - count->Int(0);
  if (free <= 0) return Status::Ok();
  auto next = db_->Prepare(
      "SELECT e.id, u.email FROM academy_enrolments e JOIN users u ON u.id = e.user_id "
      "WHERE e.course_id = ? AND e.session_id = ? AND e.state = 'waiting' ORDER BY e.id LIMIT ?");
  if (!next.ok()) return next.status();
  next->Bind(1, session.course_id).Bind(2, session.id).Bind(3, free);
  std::vector<std::pair<int64_t, std::string>> promoted;
  while (true) {
    auto r = next->Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    promoted.emplace_back(next->Int(0), next->Text(1));
  }
  auto update = db_->Prepare("UPDATE academy_enrolments SET state = 'enrolled' WHERE id = ?");
  if (!update.ok()) return update.status();
  for (const auto& [id, email] : promoted) {
    update->Reset();
    KPO_RETURN_IF_ERROR(update->Bind(1, id).Run());
    nlohmann::json detail = {
        {"course", session.course_id}, {"session", session.id}, {"member", email}};
    KPO_RETURN_IF_ERROR(Audit(actor, "academy_promoted", email, detail.dump(), now));
  }
  return Status::Ok();
}

StatusOr<Place> AcademyStore::Enrol(const std::string& course_id, const std::string& session_id,
                                    int64_t user_id, const std::string& today, int64_t now,
                                    const Actor& actor) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto session = ReadSession(course_id, session_id);
  if (!session.ok()) return session.status();
  if (!session->has_value()) return SessionNotFound();
  const Session& s = **session;
  auto existing = db_->Prepare(std::string("SELECT e.state, ") + kPositionSql +
                               " FROM academy_enrolments e WHERE e.course_id = ? AND "
                               "e.session_id = ? AND e.user_id = ?");
  if (!existing.ok()) return existing.status();
  auto found = existing->Bind(1, course_id).Bind(2, session_id).Bind(3, user_id).Step();
  if (!found.ok()) return found.status();
  // Idempotent: a second request finds the place the first one took.
  if (*found) return ReadPlace(existing->Text(0), existing->Int(1));
  if (s.cancelled) {
    return Status::Error(ErrorCode::kSessionCancelled,
                         "Deze sessie is geannuleerd. Kies een andere sessie.");
  }
  if (today > s.deadline || now >= s.start_utc) {
    return Status::Error(ErrorCode::kDeadlinePassed,
                         "De inschrijving voor deze sessie is gesloten (uiterlijk " + s.deadline +
                             "). Kies een andere sessie.");
  }
  const bool full = s.enrolled >= s.capacity;
  auto insert = db_->Prepare(
      "INSERT INTO academy_enrolments(course_id, session_id, user_id, state, created_at) "
      "VALUES(?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  KPO_RETURN_IF_ERROR(insert->Bind(1, course_id)
                          .Bind(2, session_id)
                          .Bind(3, user_id)
                          .Bind(4, full ? "waiting" : "enrolled")
                          .Bind(5, now)
                          .Run());
  Place place{full ? "waiting" : "enrolled", full ? s.waiting + 1 : 0};
  nlohmann::json detail = {{"course", course_id}, {"session", session_id}, {"state", place.state}};
  if (full) detail["position"] = place.position;
  KPO_RETURN_IF_ERROR(Audit(actor, full ? "academy_waiting" : "academy_enrolled",
                            Subject(course_id, session_id), detail.dump(), now));
  KPO_RETURN_IF_ERROR(tx.Commit());
  return place;
}

Status AcademyStore::Cancel(const std::string& course_id, const std::string& session_id,
                            int64_t user_id, int64_t now, const Actor& actor) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto session = ReadSession(course_id, session_id);
  if (!session.ok()) return session.status();
  if (!session->has_value()) return SessionNotFound();
  auto del = db_->Prepare(
      "DELETE FROM academy_enrolments WHERE course_id = ? AND session_id = ? AND user_id = ? "
      "RETURNING state");
  if (!del.ok()) return del.status();
  auto row = del->Bind(1, course_id).Bind(2, session_id).Bind(3, user_id).Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::Error(ErrorCode::kEnrolmentNotFound,
                         "U bent niet ingeschreven voor deze sessie.");
  }
  const std::string state = del->Text(0);
  KPO_RETURN_IF_ERROR(del->Run());
  nlohmann::json detail = {{"course", course_id}, {"session", session_id}, {"state", state}};
  KPO_RETURN_IF_ERROR(
      Audit(actor, "academy_cancelled", Subject(course_id, session_id), detail.dump(), now));
  if (state == "enrolled") KPO_RETURN_IF_ERROR(Promote(**session, now, actor));
  return tx.Commit();
}

// --- catalogue --------------------------------------------------------------

Status AcademyStore::WriteSession(const std::string& course_id, const SessionWrite& s,
                                  const std::string& source, int64_t now) {
  auto stmt = db_->Prepare(
      "INSERT INTO academy_sessions(course_id, session_id, start_utc, end_utc, location, "
      "capacity, deadline, source, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT(course_id, session_id) DO UPDATE SET start_utc = excluded.start_utc, "
      "end_utc = excluded.end_utc, location = excluded.location, capacity = excluded.capacity, "
      "deadline = excluded.deadline, source = excluded.source, updated_at = excluded.updated_at");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, course_id)
      .Bind(2, s.id)
      .Bind(3, s.start_utc)
      .Bind(4, s.end_utc)
      .Bind(5, s.location)
      .Bind(6, s.capacity)
      .Bind(7, s.deadline)
      .Bind(8, source)
      .Bind(9, now)
      .Run();
}

namespace {

Status WriteCourse(store::Db* db, const std::string& course_id, const CourseFacts& f,
                   const std::string& source, int64_t now) {
  auto stmt = db->Prepare(
      "INSERT INTO academy_courses(course_id, provider, format, level, duration, cost_cents, "
      "language, points, source, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT(course_id) DO UPDATE SET provider = excluded.provider, "
      "format = excluded.format, level = excluded.level, duration = excluded.duration, "
      "cost_cents = excluded.cost_cents, language = excluded.language, "
      "points = excluded.points, source = excluded.source, updated_at = excluded.updated_at");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, course_id)
      .Bind(2, f.provider)
      .Bind(3, f.format)
      .Bind(4, f.level)
      .Bind(5, f.duration)
      .Bind(6, f.cost_cents)
      .Bind(7, f.language)
      .Bind(8, f.points)
      .Bind(9, source)
      .Bind(10, now)
      .Run();
}

nlohmann::json FactsJson(const CourseFacts& f) {
  return {{"provider", f.provider}, {"format", f.format},         {"level", f.level},
          {"duration", f.duration}, {"cost_cents", f.cost_cents}, {"language", f.language},
          {"points", f.points}};
}

nlohmann::json SessionJson(const SessionWrite& s) {
  return {{"id", s.id},
          {"start_utc", s.start_utc},
          {"end_utc", s.end_utc},
          {"location", s.location},
          {"capacity", s.capacity},
          {"deadline", s.deadline}};
}

}  // namespace

Status AcademyStore::PutCourse(const std::string& course_id, const CourseFacts& facts, int64_t now,
                               const Actor& actor) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  KPO_RETURN_IF_ERROR(WriteCourse(db_.get(), course_id, facts, "api", now));
  KPO_RETURN_IF_ERROR(
      Audit(actor, "academy_course_changed", course_id, FactsJson(facts).dump(), now));
  return tx.Commit();
}

StatusOr<Session> AcademyStore::PutSession(const std::string& course_id,
                                           const SessionWrite& session, int64_t now,
                                           const Actor& actor) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  // A session needs its course row (the catalogue lists courses by it).
  auto ensure = db_->Prepare(
      "INSERT OR IGNORE INTO academy_courses(course_id, provider, format, level, duration, "
      "cost_cents, language, points, source, updated_at) "
      "VALUES(?, '', '', '', '', 0, 'nl', 0, 'file', ?)");
  if (!ensure.ok()) return ensure.status();
  KPO_RETURN_IF_ERROR(ensure->Bind(1, course_id).Bind(2, now).Run());
  KPO_RETURN_IF_ERROR(WriteSession(course_id, session, "api", now));
  KPO_RETURN_IF_ERROR(Audit(actor, "academy_session_changed", Subject(course_id, session.id),
                            SessionJson(session).dump(), now));
  auto stored = ReadSession(course_id, session.id);
  if (!stored.ok()) return stored.status();
  KPO_RETURN_IF_ERROR(Promote(**stored, now, actor));
  KPO_RETURN_IF_ERROR(tx.Commit());
  auto after = ReadSession(course_id, session.id);
  if (!after.ok()) return after.status();
  return **after;
}

StatusOr<Session> AcademyStore::SetCapacity(const std::string& course_id,
                                            const std::string& session_id, int64_t capacity,
                                            int64_t now, const Actor& actor) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto update = db_->Prepare(
      "UPDATE academy_sessions SET capacity = ?, source = 'api', updated_at = ? "
      "WHERE course_id = ? AND session_id = ?");
  if (!update.ok()) return update.status();
  KPO_RETURN_IF_ERROR(
      update->Bind(1, capacity).Bind(2, now).Bind(3, course_id).Bind(4, session_id).Run());
  if (db_->Changes() == 0) return SessionNotFound();
  nlohmann::json detail = {{"capacity", capacity}};
  KPO_RETURN_IF_ERROR(
      Audit(actor, "academy_capacity_changed", Subject(course_id, session_id), detail.dump(), now));
  auto stored = ReadSession(course_id, session_id);
  if (!stored.ok()) return stored.status();
  KPO_RETURN_IF_ERROR(Promote(**stored, now, actor));
  KPO_RETURN_IF_ERROR(tx.Commit());
  auto after = ReadSession(course_id, session_id);
  if (!after.ok()) return after.status();
  return **after;
}

StatusOr<Session> AcademyStore::CancelSession(const std::string& course_id,
                                              const std::string& session_id, int64_t now,
                                              const Actor& actor) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto update = db_->Prepare(
      "UPDATE academy_sessions SET cancelled = 1, source = 'api', updated_at = ? "
      "WHERE course_id = ? AND session_id = ?");
  if (!update.ok()) return update.status();
  KPO_RETURN_IF_ERROR(update->Bind(1, now).Bind(2, course_id).Bind(3, session_id).Run());
  if (db_->Changes() == 0) return SessionNotFound();
  KPO_RETURN_IF_ERROR(
      Audit(actor, "academy_session_cancelled", Subject(course_id, session_id), "{}", now));
  KPO_RETURN_IF_ERROR(tx.Commit());
  auto after = ReadSession(course_id, session_id);
  if (!after.ok()) return after.status();
  return **after;
}

StatusOr<int> AcademyStore::ImportFromFile(const std::string& course_id, const CourseFacts& facts,
                                           const std::vector<SessionWrite>& sessions, int64_t now,
                                           const Actor& actor) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  int kept = 0;
  auto course = db_->Prepare("SELECT source FROM academy_courses WHERE course_id = ?");
  if (!course.ok()) return course.status();
  auto row = course->Bind(1, course_id).Step();
  if (!row.ok()) return row.status();
  if (*row && course->Text(0) == "api") {
    ++kept;
  } else {
    KPO_RETURN_IF_ERROR(WriteCourse(db_.get(), course_id, facts, "file", now));
  }
  auto existing = ReadSessions(course_id);
  if (!existing.ok()) return existing.status();
  std::map<std::string, const Session*> by_id;
  for (const auto& s : *existing) by_id[s.id] = &s;
  for (const auto& s : sessions) {
    auto it = by_id.find(s.id);
    if (it != by_id.end() && it->second->source == "api") {
      ++kept;
      continue;
    }
    KPO_RETURN_IF_ERROR(WriteSession(course_id, s, "file", now));
    auto stored = ReadSession(course_id, s.id);
    if (!stored.ok()) return stored.status();
    KPO_RETURN_IF_ERROR(Promote(**stored, now, actor));
  }
  auto remove = db_->Prepare(
      "DELETE FROM academy_sessions WHERE course_id = ? AND session_id = ? AND source = 'file' "
      "AND NOT EXISTS (SELECT 1 FROM academy_enrolments e WHERE e.course_id = ? "
      "AND e.session_id = ?)");
  if (!remove.ok()) return remove.status();
  for (const auto& s : *existing) {
    bool listed = false;
    for (const auto& w : sessions) listed = listed || w.id == s.id;
    if (listed) continue;
    remove->Reset();
    KPO_RETURN_IF_ERROR(
        remove->Bind(1, course_id).Bind(2, s.id).Bind(3, course_id).Bind(4, s.id).Run());
  }
  nlohmann::json detail = FactsJson(facts);
  detail["sessions"] = nlohmann::json::array();
  for (const auto& s : sessions) detail["sessions"].push_back(SessionJson(s));
  detail["kept_api_edits"] = kept;
  KPO_RETURN_IF_ERROR(Audit(actor, "academy_course_imported", course_id, detail.dump(), now));
  KPO_RETURN_IF_ERROR(tx.Commit());
  return kept;
}

// --- feeds ------------------------------------------------------------------

Status AcademyStore::SetFeedToken(int64_t user_id, const std::string& token_hash, int64_t now,
                                  const Actor& actor) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto stmt = db_->Prepare(
      "INSERT INTO academy_feeds(user_id, token_hash, created_at) VALUES(?, ?, ?) "
      "ON CONFLICT(user_id) DO UPDATE SET token_hash = excluded.token_hash, "
      "created_at = excluded.created_at");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, user_id).Bind(2, token_hash).Bind(3, now).Run());
  KPO_RETURN_IF_ERROR(Audit(actor, "academy_feed_created", actor.name, "{}", now));
  return tx.Commit();
}

Status AcademyStore::RevokeFeedToken(int64_t user_id, int64_t now, const Actor& actor) {
  Transaction tx(db_.get());
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto stmt = db_->Prepare("DELETE FROM academy_feeds WHERE user_id = ?");
  if (!stmt.ok()) return stmt.status();
  KPO_RETURN_IF_ERROR(stmt->Bind(1, user_id).Run());
  KPO_RETURN_IF_ERROR(Audit(actor, "academy_feed_revoked", actor.name, "{}", now));
  return tx.Commit();
}

StatusOr<bool> AcademyStore::HasFeedToken(int64_t user_id) {
  auto stmt = db_->Prepare("SELECT 1 FROM academy_feeds WHERE user_id = ?");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, user_id).Step();
  if (!row.ok()) return row.status();
  return *row;
}

StatusOr<std::optional<int64_t>> AcademyStore::FeedUser(const std::string& token_hash) {
  auto stmt = db_->Prepare("SELECT user_id FROM academy_feeds WHERE token_hash = ?");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Bind(1, token_hash).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(stmt->Int(0));
}

}  // namespace kpo::academy

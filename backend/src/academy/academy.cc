// Implements academy.h.
#include "academy/academy.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <tuple>

#include "academy/ical.h"
#include "access/account_store.h"
#include "access/auth_service.h"
#include "access/password.h"
#include "access/policy.h"
#include "common/log.h"
#include "content/validate.h"
#include "knowledge/knowledge_base.h"
#include "render/markdown.h"
#include "search/slug.h"
#include "store/item_store.h"

namespace kpo::academy {

namespace {

Status CourseNotFound() {
  return Status::Error(ErrorCode::kCourseNotFound,
                       "Deze cursus bestaat niet of u heeft er geen toegang toe.");
}

Status SignInFirst() {
  return Status::Error(ErrorCode::kAuthenticationRequired,
                       "Log in met uw eigen account om u in te schrijven.");
}

std::string AccountsPath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / access::AccountStore::kFileName).string();
}

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string LocalDate(const Zone& zone, int64_t utc) {
  return FormatLocalTime(zone.ToLocal(utc)).substr(0, 10);
}

// The file's or the API's session converted to UTC; the deadline defaults to
// the day before the start. The spec has passed the validation routine.
SessionWrite ToWrite(const Zone& zone, const SessionSpec& spec) {
  LocalTime start, end;
  ParseLocalTime(spec.start, &start);
  ParseLocalTime(spec.end, &end);
  SessionWrite w;
  w.id = spec.id;
  w.start_utc = zone.ToUtc(start);
  w.end_utc = zone.ToUtc(end);
  w.location = spec.location;
  w.capacity = spec.capacity;
  w.deadline = spec.deadline.empty() ? DefaultDeadline(spec.start) : spec.deadline;
  return w;
}

// Runs the one validation routine over `item` with `facts` as its course
// data. Every problem goes into one kInvalidField message (an API client
// fixes all at once) and, field by field, into `problems` when given (a
// form shows each beside its field).
Status Validate(Item item, CourseFacts facts, const content::Vocabulary& vocabulary,
                std::vector<content::FieldError>* problems) {
  item.course = std::move(facts);
  auto errors = content::ValidateItem(item, vocabulary);
  if (errors.empty()) return Status::Ok();
  std::string message = "Niet opgeslagen: ";
  for (size_t i = 0; i < errors.size(); ++i) {
    message += (i > 0 ? "; " : "") + errors[i].message;
  }
  if (problems != nullptr) *problems = std::move(errors);
  return Status::Error(ErrorCode::kInvalidField, message + ".");
}

// Cells a spreadsheet would read as a formula get a leading quote.
std::string CsvCell(const std::string& value) {
  std::string v = value;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t')) {
    v.insert(0, "'");
  }
  if (v.find_first_of(";\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string DefaultDeadline(const std::string& start_local) {
  LocalTime start;
  if (!ParseLocalTime(start_local, &start)) return "";
  return FormatLocalTime(FromNaiveSeconds(NaiveSeconds(start) - 86400)).substr(0, 10);
}

StatusOr<std::unique_ptr<Academy>> Academy::Open(const std::string& data_dir,
                                                 knowledge::KnowledgeBase* kb,
                                                 access::AuthService* auth,
                                                 AcademyOptions options) {
  auto zone = Zone::Amsterdam();
  if (!zone.ok()) return zone.status();
  const std::string path = AccountsPath(data_dir);
  auto probe = AcademyStore::Open(path);  // creates or migrates the schema once
  if (!probe.ok()) return probe.status();
  const std::string items_path = (std::filesystem::path(data_dir) / "kpo.sqlite").string();
  return std::unique_ptr<Academy>(
      new Academy(kb, auth, *zone, path, items_path, std::move(options)));
}

StatusOr<AcademyStore*> Academy::Store() {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = stores_[std::this_thread::get_id()];
  if (!slot) {
    auto opened = AcademyStore::Open(path_);
    if (!opened.ok()) {
      stores_.erase(std::this_thread::get_id());
      return opened.status();
    }
    slot = std::move(*opened);
  }
  return slot.get();
}

int64_t Academy::Now() const { return options_.clock ? options_.clock() : SystemNow(); }

StatusOr<Item> Academy::ReadableCourse(const Principal& who, const std::string& course_id,
                                       std::string* html) {
  if (!content::IsValidKey(course_id)) return CourseNotFound();
  auto doc = kb_->GetDocument(who, course_id);
  if (!doc.ok()) {
    return doc.status().Is(ErrorCode::kDocumentNotFound) ? CourseNotFound() : doc.status();
  }
  if (doc->item.type != "cursus") return CourseNotFound();
  if (html != nullptr) *html = doc->html;
  return doc->item;
}

SessionView Academy::ViewOf(const Session& s, const std::map<std::string, Place>& mine) const {
  SessionView v;
  v.session = s;
  v.start_local = FormatLocalTime(zone_->ToLocal(s.start_utc));
  v.end_local = FormatLocalTime(zone_->ToLocal(s.end_utc));
  v.free = s.cancelled ? 0 : std::max<int64_t>(0, s.capacity - s.enrolled);
  v.status = s.cancelled ? "cancelled" : (v.free == 0 ? "full" : "open");
  const int64_t now = Now();
  v.enrolment_open = !s.cancelled && now < s.start_utc && LocalDate(*zone_, now) <= s.deadline;
  if (auto it = mine.find(s.id); it != mine.end()) v.mine = it->second;
  return v;
}

CourseView Academy::View(const Item& item, const CourseRecord& record, const Principal& who,
                         const std::map<std::string, Place>& mine) const {
  CourseView v;
  v.item = item;
  v.item.body_markdown.clear();
  v.item.body_text.clear();
  v.facts = record.facts;
  v.audience = access::CourseAudience(item);
  v.can_enrol = access::CanEnrol(who, item);
  const int64_t now = Now();
  for (const auto& s : record.sessions) {
    v.sessions.push_back(ViewOf(s, mine));
    if (!s.cancelled && s.start_utc > now &&
        (v.next_start_utc == 0 || s.start_utc < v.next_start_utc)) {
      v.next_start_utc = s.start_utc;
    }
  }
  return v;
}

StatusOr<std::vector<CourseView>> Academy::ListCourses(const Principal& who,
                                                       const CourseFilter& filter) {
  for (const std::string* d : {&filter.from, &filter.to}) {
    if (!d->empty() && !content::IsValidDate(*d)) {
      return Status::Error(ErrorCode::kInvalidParameter,
                           "from en to zijn datums als JJJJ-MM-DD, bijvoorbeeld 2027-03-01.");
    }
  }
  if (!filter.format.empty() && std::find(CourseFormats().begin(), CourseFormats().end(),
                                          filter.format) == CourseFormats().end()) {
    return Status::Error(ErrorCode::kInvalidParameter,
                         "format is klassikaal, online, e-learning of webinar.");
  }
  // A value the vocabulary does not know is refused, not read as "nothing
  // matches" (an empty list that looks like an answer).
  const auto vocabulary = kb_->vocabulary();
  for (const auto& [value, kind, name] :
       {std::tuple{&filter.theme, content::Vocabulary::kThemes, "theme"},
        std::tuple{&filter.region, content::Vocabulary::kRegions, "region"},
        std::tuple{&filter.audience, content::Vocabulary::kGroups, "audience"}}) {
    if (!value->empty() && !vocabulary->Has(kind, *value)) {
      return Status::Error(ErrorCode::kInvalidParameter,
                           std::string(name) + " kent de waarde niet; zie GET /api/vocabulary.");
    }
  }
  auto store = Store();
  if (!store.ok()) return store.status();
  auto records = (*store)->ListCourses();
  if (!records.ok()) return records.status();
  auto has = [](const std::vector<std::string>& list, const std::string& v) {
    return v.empty() || std::find(list.begin(), list.end(), v) != list.end();
  };
  std::vector<CourseView> out;
  for (const auto& record : *records) {
    // Access is the knowledge base's: an unreadable course is simply absent.
    auto item = ReadableCourse(who, record.course_id);
    if (!item.ok()) {
      if (item.status().Is(ErrorCode::kCourseNotFound)) continue;
      return item.status();
    }
    std::map<std::string, Place> mine;
    if (who.user_id != 0) {
      auto places = (*store)->PlacesOf(who.user_id, record.course_id);
      if (!places.ok()) return places.status();
      mine = std::move(*places);
    }
    CourseView v = View(*item, record, who, mine);
    if (!has(v.item.themes, filter.theme) || !has(v.item.regions, filter.region)) continue;
    if (!filter.format.empty() && v.facts.format != filter.format) continue;
    if (!filter.audience.empty() && !v.audience.empty() && !has(v.audience, filter.audience)) {
      continue;
    }
    if (filter.upcoming && v.next_start_utc == 0) continue;
    if (filter.free && std::none_of(v.sessions.begin(), v.sessions.end(), [](const SessionView& s) {
          return s.enrolment_open && s.free > 0;
        })) {
      continue;
    }
    if (!filter.from.empty() || !filter.to.empty()) {
      const bool in_range =
          std::any_of(v.sessions.begin(), v.sessions.end(), [&](const SessionView& s) {
            const std::string day = s.start_local.substr(0, 10);
            return !s.session.cancelled && (filter.from.empty() || day >= filter.from) &&
                   (filter.to.empty() || day <= filter.to);
          });
      if (!in_range) continue;
    }
    out.push_back(std::move(v));
  }
  std::stable_sort(out.begin(), out.end(), [](const CourseView& a, const CourseView& b) {
    if ((a.next_start_utc == 0) != (b.next_start_utc == 0)) return a.next_start_utc != 0;
    if (a.next_start_utc != b.next_start_utc) return a.next_start_utc < b.next_start_utc;
    return a.item.title < b.item.title;
  });
  return out;
}

StatusOr<CourseView> Academy::GetCourse(const Principal& who, const std::string& course_id) {
  std::string html;
  auto item = ReadableCourse(who, course_id, &html);
  if (!item.ok()) return item.status();
  auto store = Store();
  if (!store.ok()) return store.status();
  auto record = (*store)->GetCourse(course_id);
  if (!record.ok()) return record.status();
  CourseRecord empty;
  empty.course_id = course_id;
  std::map<std::string, Place> mine;
  if (who.user_id != 0) {
    auto places = (*store)->PlacesOf(who.user_id, course_id);
    if (!places.ok()) return places.status();
    mine = std::move(*places);
  }
  CourseView v = View(*item, record->has_value() ? **record : empty, who, mine);
  v.html = std::move(html);
  return v;
}

StatusOr<Place> Academy::Enrol(const Principal& who, const std::string& address,
                               const std::string& course_id, const std::string& session_id) {
  if (!who.authenticated()) return SignInFirst();
  auto item = ReadableCourse(who, course_id);
  if (!item.ok()) return item.status();
  if (!access::CanEnrol(who, *item)) {
    if (who.user_id == 0) {
      return Status::Error(ErrorCode::kNotInAudience,
                           "Inschrijven kan alleen met een persoonlijk account, niet met een "
                           "API-token.");
    }
    std::string groups;
    const auto vocabulary = kb_->vocabulary();
    for (const auto& g : access::CourseAudience(*item)) {
      groups += (groups.empty() ? "" : ", ") + vocabulary->Label(content::Vocabulary::kGroups, g);
    }
    return Status::Error(
        ErrorCode::kNotInAudience,
        "Deze cursus is alleen voor: " + groups + ". Uw account hoort niet bij deze doelgroep.");
  }
  auto store = Store();
  if (!store.ok()) return store.status();
  const int64_t now = Now();
  return (*store)->Enrol(course_id, session_id, who.user_id, LocalDate(*zone_, now), now,
                         Actor{who.email, address});
}

Status Academy::Cancel(const Principal& who, const std::string& address,
                       const std::string& course_id, const std::string& session_id) {
  if (!who.authenticated() || who.user_id == 0) return SignInFirst();
  if (!content::IsValidKey(course_id)) return CourseNotFound();
  auto readable = ReadableCourse(who, course_id);
  if (!readable.ok() && !readable.status().Is(ErrorCode::kCourseNotFound)) {
    return readable.status();
  }
  auto store = Store();
  if (!store.ok()) return store.status();
  // A member who lost access to the course may still give up their place;
  // any other answer about a course they may not read is the one for a
  // missing course, so that no session id or place tells it exists.
  Status cancelled =
      (*store)->Cancel(course_id, session_id, who.user_id, Now(), Actor{who.email, address});
  if (!cancelled.ok() && !readable.ok()) return CourseNotFound();
  return cancelled;
}

StatusOr<std::vector<MyEnrolment>> Academy::MyEnrolments(const Principal& who) {
  if (!who.authenticated() || who.user_id == 0) return SignInFirst();
  auto store = Store();
  if (!store.ok()) return store.status();
  auto rows = (*store)->EnrolmentsOf(who.user_id);
  if (!rows.ok()) return rows.status();
  std::vector<MyEnrolment> out;
  for (const auto& row : *rows) {
    auto item = ReadableCourse(who, row.session.course_id);
    if (!item.ok()) {
      if (item.status().Is(ErrorCode::kCourseNotFound)) continue;
      return item.status();
    }
    auto record = (*store)->GetCourse(row.session.course_id);
    if (!record.ok()) return record.status();
    CourseRecord course = record->has_value() ? **record : CourseRecord{};
    course.sessions.clear();
    const std::map<std::string, Place> mine = {{row.session.id, row.place}};
    out.push_back({View(*item, course, who, mine), ViewOf(row.session, mine)});
  }
  return out;
}

// --- managers ------------------------------------------------------------------

Status Academy::CheckManager(const Principal& who, bool allowed) const {
  if (!who.authenticated()) {
    return Status::Error(ErrorCode::kAuthenticationRequired, "Log eerst in.");
  }
  if (!allowed) {
    return Status::Error(ErrorCode::kForbidden,
                         "Alleen beheerders van de academie (rol academie) mogen dit.");
  }
  return Status::Ok();
}

namespace {

// Which parts of a course CourseInput changed.
struct Applied {
  bool item = false;
  bool facts = false;
};

// The fields of `in` that were given, applied to `item` and `facts`.
Applied ApplyInput(const CourseInput& in, Item* item, CourseFacts* facts) {
  Applied applied;
  auto apply = [](auto* target, const auto& value, bool* changed) {
    if (!value) return;
    *target = *value;
    *changed = true;
  };
  apply(&item->title, in.title, &applied.item);
  apply(&item->summary, in.summary, &applied.item);
  apply(&item->body_markdown, in.body, &applied.item);
  apply(&item->themes, in.themes, &applied.item);
  apply(&item->regions, in.regions, &applied.item);
  apply(&item->tags, in.tags, &applied.item);
  apply(&item->groups, in.audience, &applied.item);
  if (in.audience || in.open_to_all) {
    applied.item = true;
    // The audience is the item's access (access/policy.h, CourseAudience).
    if (!item->groups.empty()) {
      item->access = "restricted";
    } else if (in.open_to_all) {
      item->access = *in.open_to_all ? "public" : "members";
    } else if (item->access == "restricted") {
      item->access = "members";
    }
  }
  apply(&facts->provider, in.provider, &applied.facts);
  apply(&facts->format, in.format, &applied.facts);
  apply(&facts->level, in.level, &applied.facts);
  apply(&facts->duration, in.duration, &applied.facts);
  apply(&facts->language, in.language, &applied.facts);
  apply(&facts->cost_cents, in.cost_cents, &applied.facts);
  apply(&facts->points, in.points, &applied.facts);
  return applied;
}

// The portal serves the new-course form at /academie/nieuw.
constexpr const char* kReservedId = "nieuw";

}  // namespace

Status Academy::WriteCourse(const Principal& who, const std::string& address, Item item,
                            const CourseFacts& facts, bool item_changed, bool facts_changed,
                            int64_t base_revision, std::vector<content::FieldError>* problems) {
  KPO_RETURN_IF_ERROR(Validate(item, facts, *kb_->vocabulary(), problems));
  auto store = Store();
  if (!store.ok()) return store.status();
  const Actor actor{who.email, address};
  auto items = store::ItemStore::Open(items_path_);
  if (!items.ok()) return items.status();
  if (item_changed) {
    // Read before the draft check: a draft saved after it moves the latest
    // revision, so the conditional save below refuses.
    if (base_revision == 0) {
      auto latest = (*items)->LatestRevision(item.id);
      if (!latest.ok()) return latest.status();
      base_revision = *latest;
    }
    // A working draft beside the course (the redactie edits it in the
    // editor): a live save would drop it, as a live version supersedes its
    // draft, and approving the draft later would undo this save. Refused,
    // before anything is written, until the draft is published or withdrawn.
    auto draft = (*items)->GetDraft(item.id);
    if (!draft.ok()) return draft.status();
    if (draft->has_value()) {
      return Status::Error(ErrorCode::kInvalidTransition,
                           "Er ligt een concept van deze cursus bij de redactie. Wijzig de "
                           "cursusgegevens als dat concept is gepubliceerd of ingetrokken; sessies "
                           "en plaatsen kunt u wel wijzigen.");
    }
  }
  // The academy fields first: should the item's save then fail, the record
  // is invisible (the catalogue lists only readable items) and a retry
  // writes both.
  if (facts_changed) KPO_RETURN_IF_ERROR((*store)->PutCourse(item.id, facts, Now(), actor));
  if (!item_changed) return Status::Ok();
  item.course.reset();
  item.source = "api";  // kpo-index never overwrites it (indexer.cc)
  item.body_text = render::MarkdownToText(item.body_markdown);
  auto revision =
      (*items)->Save(item, store::SaveRequest{base_revision, who.email, store::Version::kLive});
  if (!revision.ok()) return revision.status();
  nlohmann::json detail = {{"revision", *revision},
                           {"title", item.title},
                           {"access", item.access},
                           {"audience", item.groups}};
  return (*store)->Audit(actor, "academy_course_saved", item.id, detail.dump(), Now());
}

void Academy::NewCourse(const CourseInput& input, Item* item, CourseFacts* facts) const {
  item->type = "cursus";
  item->status = "published";
  item->access = "members";
  item->published = LocalDate(*zone_, Now());
  ApplyInput(input, item, facts);
}

std::vector<content::FieldError> Academy::CourseProblems(const CourseInput& input) const {
  Item item;
  CourseFacts facts;
  NewCourse(input, &item, &facts);
  item.id = input.id.empty() ? search::Slug(item.title, "cursus") : input.id;
  std::vector<content::FieldError> problems;
  (void)Validate(item, facts, *kb_->vocabulary(), &problems);
  return problems;
}

StatusOr<CourseView> Academy::CreateCourse(const Principal& who, const std::string& address,
                                           const CourseInput& input,
                                           std::vector<content::FieldError>* problems) {
  KPO_RETURN_IF_ERROR(CheckManager(who, access::CanManageAcademy(who)));
  Item item;
  CourseFacts facts;
  NewCourse(input, &item, &facts);
  auto items = store::ItemStore::Open(items_path_);
  if (!items.ok()) return items.status();
  // The taken-id check gives a clear answer; the conditional save (base
  // revision 0) still refuses a course created in between.
  auto taken = [&](const std::string& id) -> StatusOr<bool> {
    if (id == kReservedId) return true;
    auto latest = (*items)->LatestRevision(id);
    if (!latest.ok()) return latest.status();
    return *latest != 0;
  };
  if (!input.id.empty()) {
    item.id = input.id;
    if (!content::IsValidKey(item.id)) {
      // Every problem of the form at once, the id's among them, in the
      // validation routine's words (ValidateItem refuses what IsValidKey
      // refuses, so this is never Ok).
      return Validate(item, facts, *kb_->vocabulary(), problems);
    }
    auto used = taken(item.id);
    if (!used.ok()) return used.status();
    if (*used) {
      return Status::Error(ErrorCode::kDuplicateId,
                           "Er bestaat al een item met id '" + item.id + "'. Kies een ander id.");
    }
  } else {
    const std::string base = search::Slug(item.title, "cursus");
    item.id = base;
    for (int n = 2;; ++n) {
      auto used = taken(item.id);
      if (!used.ok()) return used.status();
      if (!*used) break;
      if (n > 100) {
        return Status::Error(ErrorCode::kDuplicateId,
                             "Er bestaan al veel items met deze titel. Geef een eigen id op.");
      }
      item.id = base + "-" + std::to_string(n);
    }
  }
  items->reset();
  KPO_RETURN_IF_ERROR(WriteCourse(who, address, item, facts, true, true, 0, problems));
  return GetCourse(who, item.id);
}

StatusOr<CourseView> Academy::EditCourse(const Principal& who, const std::string& address,
                                         const std::string& course_id, const CourseInput& input,
                                         std::vector<content::FieldError>* problems) {
  KPO_RETURN_IF_ERROR(CheckManager(who, access::CanManageAcademy(who)));
  auto item = ReadableCourse(who, course_id);
  if (!item.ok()) return item.status();
  auto store = Store();
  if (!store.ok()) return store.status();
  auto record = (*store)->GetCourse(course_id);
  if (!record.ok()) return record.status();
  CourseFacts facts = record->has_value() ? (*record)->facts : CourseFacts{};
  facts.sessions.clear();
  Item changed = *item;
  const Applied applied = ApplyInput(input, &changed, &facts);
  KPO_RETURN_IF_ERROR(WriteCourse(who, address, changed, facts, applied.item, applied.facts,
                                  input.base_revision, problems));
  return GetCourse(who, course_id);
}

StatusOr<CourseView> Academy::PutSession(const Principal& who, const std::string& address,
                                         const std::string& course_id,
                                         const std::string& session_id, const SessionInput& input,
                                         std::vector<content::FieldError>* problems) {
  KPO_RETURN_IF_ERROR(CheckManager(who, access::CanManageAcademy(who)));
  auto item = ReadableCourse(who, course_id);
  if (!item.ok()) return item.status();
  SessionSpec spec{session_id,     input.start,    input.end,
                   input.location, input.capacity, input.deadline};
  CourseFacts facts;
  facts.sessions = {spec};
  KPO_RETURN_IF_ERROR(Validate(*item, facts, *kb_->vocabulary(), problems));
  const SessionWrite write = ToWrite(*zone_, spec);
  if (write.start_utc < Now()) {
    // A start set now that has passed is a slip of the year or month:
    // nobody could enrol, and enrolled members would be left with a date
    // gone by. A session that has taken place keeps its start and may still
    // be corrected (a room); files may carry past sessions as history.
    auto current = GetCourse(who, course_id);
    if (!current.ok()) return current.status();
    const bool kept =
        std::any_of(current->sessions.begin(), current->sessions.end(), [&](const SessionView& v) {
          return v.session.id == session_id && v.session.start_utc == write.start_utc;
        });
    if (!kept) {
      content::FieldError past{"sessions.0.start",
                               "sessie '" + session_id + "': start ligt in het verleden",
                               "{start} ligt in het verleden: kies een moment dat nog komt"};
      if (problems != nullptr) *problems = {past};
      return Status::Error(ErrorCode::kInvalidField, "Niet opgeslagen: " + past.message + ".");
    }
  }
  auto store = Store();
  if (!store.ok()) return store.status();
  auto stored = (*store)->PutSession(course_id, write, Now(), Actor{who.email, address});
  if (!stored.ok()) return stored.status();
  return GetCourse(who, course_id);
}

StatusOr<CourseView> Academy::AddSession(const Principal& who, const std::string& address,
                                         const std::string& course_id, std::string* session_id,
                                         const SessionInput& input,
                                         std::vector<content::FieldError>* problems) {
  KPO_RETURN_IF_ERROR(CheckManager(who, access::CanManageAcademy(who)));
  auto current = GetCourse(who, course_id);
  if (!current.ok()) return current.status();
  auto taken = [&](const std::string& id) {
    return std::any_of(current->sessions.begin(), current->sessions.end(),
                       [&](const SessionView& v) { return v.session.id == id; });
  };
  if (session_id->empty()) {
    const std::string day = input.start.substr(0, 10);
    const std::string base = content::IsValidDate(day) ? day : "sessie";
    *session_id = base;
    for (int n = 2; taken(*session_id); ++n) *session_id = base + "-" + std::to_string(n);
  } else if (taken(*session_id)) {
    const std::string message =
        "Deze cursus heeft al een sessie met id '" + *session_id + "'. Kies een ander id.";
    if (problems != nullptr) *problems = {{"sessions.0.id", message, message}};
    return Status::Error(ErrorCode::kDuplicateId, message);
  }
  return PutSession(who, address, course_id, *session_id, input, problems);
}

StatusOr<CourseView> Academy::SetCapacity(const Principal& who, const std::string& address,
                                          const std::string& course_id,
                                          const std::string& session_id, int64_t capacity) {
  KPO_RETURN_IF_ERROR(CheckManager(who, access::CanManageAcademy(who)));
  auto item = ReadableCourse(who, course_id);
  if (!item.ok()) return item.status();
  if (!content::IsValidCapacity(capacity)) {
    return Status::Error(ErrorCode::kInvalidField,
                         "Het aantal plaatsen (capacity) moet een getal van 1 tot en met " +
                             std::to_string(content::kMaxCapacity) + " zijn.");
  }
  auto store = Store();
  if (!store.ok()) return store.status();
  auto stored =
      (*store)->SetCapacity(course_id, session_id, capacity, Now(), Actor{who.email, address});
  if (!stored.ok()) return stored.status();
  return GetCourse(who, course_id);
}

StatusOr<CourseView> Academy::CancelSession(const Principal& who, const std::string& address,
                                            const std::string& course_id,
                                            const std::string& session_id) {
  KPO_RETURN_IF_ERROR(CheckManager(who, access::CanManageAcademy(who)));
  auto item = ReadableCourse(who, course_id);
  if (!item.ok()) return item.status();
  auto store = Store();
  if (!store.ok()) return store.status();
  auto stored = (*store)->CancelSession(course_id, session_id, Now(), Actor{who.email, address});
  if (!stored.ok()) return stored.status();
  return GetCourse(who, course_id);
}

StatusOr<std::vector<Participant>> Academy::Participants(const Principal& who,
                                                         const std::string& address,
                                                         const std::string& course_id,
                                                         const std::string& session_id,
                                                         const std::string& form) {
  KPO_RETURN_IF_ERROR(CheckManager(who, access::CanReadParticipants(who)));
  auto item = ReadableCourse(who, course_id);
  if (!item.ok()) return item.status();
  auto store = Store();
  if (!store.ok()) return store.status();
  auto rows = (*store)->Participants(course_id, session_id);
  if (!rows.ok()) return rows.status();
  // Reading personal data is audited, as the admin's user listings are.
  nlohmann::json detail = {{"rows", rows->size()}, {"form", form}};
  KPO_RETURN_IF_ERROR((*store)->Audit(Actor{who.email, address}, "academy_participants_read",
                                      course_id + "/" + session_id, detail.dump(), Now()));
  return rows;
}

StatusOr<std::string> Academy::ParticipantsCsv(const Principal& who, const std::string& address,
                                               const std::string& course_id,
                                               const std::string& session_id) {
  auto rows = Participants(who, address, course_id, session_id, "csv");
  if (!rows.ok()) return rows.status();
  const auto vocabulary = kb_->vocabulary();
  // The BOM makes Excel read UTF-8; ';' is the list separator of a Dutch locale.
  std::string csv =
      "\xEF\xBB\xBFNaam;E-mail;Organisatie;Status;Positie wachtlijst;Ingeschreven op\r\n";
  for (const auto& p : *rows) {
    std::string organisation;
    for (const auto& g : p.groups) {
      organisation +=
          (organisation.empty() ? "" : ", ") + vocabulary->Label(content::Vocabulary::kGroups, g);
    }
    std::string at = FormatLocalTime(zone_->ToLocal(p.enrolled_at));
    at[10] = ' ';
    csv += CsvCell(p.name) + ";" + CsvCell(p.email) + ";" + CsvCell(organisation) + ";" +
           (p.place.state == "enrolled" ? "ingeschreven" : "wachtlijst") + ";" +
           (p.place.position > 0 ? std::to_string(p.place.position) : "") + ";" + at + "\r\n";
  }
  return csv;
}

// --- calendars -------------------------------------------------------------------

namespace {

CalendarEvent EventOf(const Item& item, const Session& s) {
  CalendarEvent e;
  e.uid = s.course_id + "/" + s.id + "@kpo.academie";
  e.start_utc = s.start_utc;
  e.end_utc = s.end_utc;
  e.summary = item.title;
  e.description = item.summary;
  if (s.location.rfind("https://", 0) == 0) {
    e.url = s.location;
    e.location = "Online";
  } else {
    e.location = s.location;
  }
  e.cancelled = s.cancelled;
  return e;
}

}  // namespace

StatusOr<std::string> Academy::CourseCalendar(const Principal& who, const std::string& course_id,
                                              const std::string& session_id) {
  auto course = GetCourse(who, course_id);
  if (!course.ok()) return course.status();
  std::vector<CalendarEvent> events;
  for (const auto& s : course->sessions) {
    if (session_id.empty() || s.session.id == session_id) {
      events.push_back(EventOf(course->item, s.session));
    }
  }
  if (!session_id.empty() && events.empty()) return SessionNotFound();
  return BuildCalendar(course->item.title, events, *zone_, Now());
}

StatusOr<FeedToken> Academy::CreateFeed(const Principal& who, const std::string& address) {
  if (!who.authenticated() || who.user_id == 0) return SignInFirst();
  auto store = Store();
  if (!store.ok()) return store.status();
  FeedToken feed;
  feed.token = access::RandomToken();
  feed.path = "/api/calendar/" + feed.token + ".ics";
  KPO_RETURN_IF_ERROR((*store)->SetFeedToken(who.user_id, access::TokenHash(feed.token), Now(),
                                             Actor{who.email, address}));
  return feed;
}

StatusOr<bool> Academy::HasFeed(const Principal& who) {
  if (!who.authenticated() || who.user_id == 0) return SignInFirst();
  auto store = Store();
  if (!store.ok()) return store.status();
  return (*store)->HasFeedToken(who.user_id);
}

Status Academy::RevokeFeed(const Principal& who, const std::string& address) {
  if (!who.authenticated() || who.user_id == 0) return SignInFirst();
  auto store = Store();
  if (!store.ok()) return store.status();
  return (*store)->RevokeFeedToken(who.user_id, Now(), Actor{who.email, address});
}

StatusOr<std::string> Academy::FeedCalendar(const std::string& token) {
  const Status not_found = Status::Error(
      ErrorCode::kFeedNotFound, "Deze agenda-link werkt niet (meer). Maak een nieuwe aan.");
  if (!access::IsWellFormedToken(token)) return not_found;
  auto store = Store();
  if (!store.ok()) return store.status();
  auto user = (*store)->FeedUser(access::TokenHash(token));
  if (!user.ok()) return user.status();
  if (!user->has_value()) return not_found;
  auto who = auth_->PrincipalOfUser(**user);
  if (!who.ok()) return who.status().Is(ErrorCode::kUserNotFound) ? not_found : who.status();
  auto mine = MyEnrolments(*who);
  if (!mine.ok()) return mine.status();
  std::vector<CalendarEvent> events;
  for (const auto& m : *mine) {
    if (m.session.mine && m.session.mine->state == "enrolled") {
      events.push_back(EventOf(m.course.item, m.session.session));
    }
  }
  return BuildCalendar("Mijn inschrijvingen", events, *zone_, Now());
}

// --- kpo-index ---------------------------------------------------------------------

Status ImportCourseFile(const std::string& data_dir, const Item& item) {
  if (!item.course) return Status::Ok();
  auto zone = Zone::Amsterdam();
  if (!zone.ok()) return zone.status();
  auto store = AcademyStore::Open(AccountsPath(data_dir));
  if (!store.ok()) return store.status();
  std::vector<SessionWrite> sessions;
  for (const auto& spec : item.course->sessions) sessions.push_back(ToWrite(**zone, spec));
  auto kept = (*store)->ImportFromFile(item.id, *item.course, sessions, SystemNow(),
                                       Actor{"kpo-index", ""});
  if (!kept.ok()) return kept.status();
  if (*kept > 0) {
    Log(LogLevel::kInfo, "academy.import_kept_api_edits", {{"course", item.id}, {"kept", *kept}});
  }
  return Status::Ok();
}

}  // namespace kpo::academy

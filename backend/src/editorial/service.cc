// Implements service.h: thin over store/item_store.h (state, content and
// index job in one transaction) and access/ (who reads what; the audit log).
#include "editorial/service.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>

#include "access/account_store.h"
#include "access/policy.h"
#include "common/log.h"
#include "content/validate.h"
#include "editorial/text_tools.h"
#include "knowledge/knowledge_base.h"
#include "render/markdown.h"
#include "search/slug.h"
#include "store/item_store.h"

namespace kpo::editorial {

namespace {

constexpr size_t kMaxComment = 2000;
constexpr int64_t kRecentDays = 30;

int64_t SystemNow() { return static_cast<int64_t>(std::time(nullptr)); }

Status NotFound(const std::string& id) {
  // Word for word the knowledge base's answer, so an item one may not read
  // cannot be told from one that does not exist.
  return Status::Error(ErrorCode::kDocumentNotFound, "Document '" + id + "' bestaat niet.");
}

bool MayEdit(const Principal& who, const std::string& werkplaats) {
  if (IsRedactie(who)) return true;
  return who.role == Role::kEditor && !werkplaats.empty() &&
         std::find(who.werkplaatsen.begin(), who.werkplaatsen.end(), werkplaats) !=
             who.werkplaatsen.end();
}

Status ForbiddenToEdit(const Principal& who, const std::string& werkplaats) {
  if (who.role != Role::kEditor) {
    return Status::Error(ErrorCode::kForbidden,
                         "Alleen redacteuren, de redactie en beheerders bewerken items.");
  }
  return Status::Error(ErrorCode::kForbidden,
                       werkplaats.empty()
                           ? "Kies een werkplaats waarvoor u redacteur bent (veld werkplaats)."
                           : "U bent geen redacteur van werkplaats '" + werkplaats + "'.");
}

// The state of an item: its record, else (a file item nobody acted on yet)
// what its live status says.
State CurrentState(const std::optional<store::EditorialRecord>& record,
                   const std::optional<Item>& live) {
  if (record) {
    auto parsed = ParseState(record->state);
    if (parsed.ok()) return *parsed;
  }
  if (live && live->status == "published") return State::kPublished;
  if (live && live->status == "archived") return State::kArchived;
  return State::kDraft;
}

std::string Joined(const std::vector<content::FieldError>& errors) {
  std::string out = "Het item is niet geldig: ";
  for (size_t i = 0; i < errors.size(); ++i) {
    out += (i > 0 ? "; " : "") + errors[i].field + ": " + errors[i].message;
  }
  return out + ".";
}

// The readers `item` will have once published: anonymous for public, a
// member for members, a member of each group for restricted.
std::vector<Principal> ReadersOnceLive(const Item& item) {
  std::vector<Principal> readers;
  if (item.access == "public") {
    readers.push_back(Principal::Anonymous());
  } else if (item.access == "restricted") {
    for (const auto& g : item.groups) {
      Principal p;
      p.role = Role::kMember;
      p.groups = {g};
      readers.push_back(p);
    }
  } else {
    Principal p;
    p.role = Role::kMember;
    readers.push_back(p);
  }
  return readers;
}

bool AllRead(const std::vector<Principal>& readers, const Item& linked) {
  return std::all_of(readers.begin(), readers.end(),
                     [&](const Principal& p) { return access::CanRead(p, linked); });
}

// Publishing a link puts the linked item's address (its id, often its title
// in words) before every reader: one to an item some of them may not read
// tells them it exists and what it is about. The existing items `item`'s
// text links that not every reader it will have once live may read (none:
// empty); a link to a missing item is no reason (the preview lists it).
// Asked at approval, at scheduling and again when a scheduled item falls
// due: the linked item may have been narrowed since.
StatusOr<std::vector<Item>> ClosedLinks(store::ItemStore* items, const Item& item) {
  const std::vector<Principal> readers = ReadersOnceLive(item);
  std::vector<Item> hidden;
  for (const auto& target : InternalLinks(item.body_markdown)) {
    auto linked = items->Get(target);
    if (!linked.ok()) return linked.status();
    if (linked->has_value() && !AllRead(readers, **linked)) hidden.push_back(std::move(**linked));
  }
  return hidden;
}

// The addresses of `linked`, "/items/<id>", for the audit line and log.
std::vector<std::string> Addresses(const std::vector<Item>& linked) {
  std::vector<std::string> out;
  for (const auto& l : linked) out.push_back("/items/" + l.id);
  return out;
}

// "'<title>' linkt naar /items/a, dat niet alle lezers van dit stuk mogen
// lezen: elke lezer zou dat adres zien." (plural: die … die adressen). A
// linked item `told` may read is named by its title too ("'Dossier'
// (/items/a)"); the others by address only, which the text already shows.
std::string ClosedLinksSentence(const std::string& title, const std::vector<Item>& links,
                                const Principal* told) {
  std::string joined;
  for (const auto& l : links) {
    joined += joined.empty() ? "" : ", ";
    joined += told != nullptr && access::CanRead(*told, l)
                  ? "'" + l.title + "' (/items/" + l.id + ")"
                  : "/items/" + l.id;
  }
  const bool one = links.size() == 1;
  return "'" + title + "' linkt naar " + joined + (one ? ", dat" : ", die") +
         " niet alle lezers van dit stuk mogen lezen: elke lezer zou " +
         (one ? "dat adres" : "die adressen") + " zien.";
}

}  // namespace

bool IsRedactie(const Principal& who) {
  return who.role == Role::kRedactie || who.role == Role::kAdmin;
}

struct EditorialService::Impl {
  EditorialOptions options;
  knowledge::KnowledgeBase* kb = nullptr;
  // Held around every approval's commit (HoldApprovals).
  std::mutex approvals_mu;
  // OnApproved's listener. Called with approved_mu held, so that clearing it
  // (a listener's destructor) waits for a call under way.
  std::mutex approved_mu;
  std::function<void(const std::string&, int64_t)> approved;  // GUARDED_BY(approved_mu)
  void Approved(const std::string& id, int64_t revision) {
    std::lock_guard<std::mutex> lock(approved_mu);
    if (approved) approved(id, revision);
  }

  // One item store and one accounts connection per thread.
  struct Conn {
    std::unique_ptr<store::ItemStore> items;
    std::unique_ptr<store::Db> accounts;
  };
  std::mutex mu;
  std::map<std::thread::id, std::unique_ptr<Conn>> conns;  // GUARDED_BY(mu)

  std::mutex scheduler_mu;
  std::condition_variable scheduler_cv;
  bool stop = false;  // GUARDED_BY(scheduler_mu)
  std::thread scheduler;

  int64_t Now() const { return options.clock ? options.clock() : SystemNow(); }

  StatusOr<Conn*> Connection() {
    std::lock_guard<std::mutex> lock(mu);
    auto& slot = conns[std::this_thread::get_id()];
    if (!slot) {
      auto items = store::ItemStore::Open(options.data_dir + "/kpo.sqlite");
      if (!items.ok()) {
        conns.erase(std::this_thread::get_id());
        return items.status();
      }
      auto accounts = store::Db::Open(options.data_dir + "/" + access::AccountStore::kFileName);
      if (!accounts.ok()) {
        conns.erase(std::this_thread::get_id());
        return accounts.status();
      }
      slot = std::make_unique<Conn>(Conn{std::move(*items), std::move(*accounts)});
    }
    return slot.get();
  }

  // Everything known about one item.
  struct Loaded {
    std::optional<Item> live;
    std::optional<Item> draft;
    std::optional<store::EditorialRecord> record;
    State state = State::kDraft;
    int64_t revision = 0;
    // The version being worked on: the draft when there is one.
    const Item& working() const { return draft ? *draft : *live; }
    bool exists() const { return live || draft; }
  };

  // Whether a list (MyDrafts, RecentSteps) shows `who` the work on item
  // `id` of `werkplaats`: decided on the werkplaats alone, and for an item
  // with a live version, as Get, not when the caller may not read that.
  StatusOr<bool> ListsWork(const Principal& who, store::ItemStore* items, const std::string& id,
                           const std::string& werkplaats, bool live) {
    Item probe;
    probe.werkplaats = werkplaats;
    if (!access::CanReadWork(who, probe)) return false;
    if (!live) return true;
    auto l = Load(items, id);
    if (!l.ok()) return l.status();
    return SeesWork(who, *l);
  }

  // The calling thread's store, once `who` may see the work on item `id`
  // (its revisions and steps); else kDocumentNotFound, as for a missing id.
  StatusOr<store::ItemStore*> WorkStore(const Principal& who, const std::string& id) {
    auto conn = Connection();
    if (!conn.ok()) return conn.status();
    store::ItemStore* items = (*conn)->items.get();
    auto l = Load(items, id);
    if (!l.ok()) return l.status();
    if (!SeesWork(who, *l)) return NotFound(id);
    return items;
  }

  StatusOr<Loaded> Load(store::ItemStore* items, const std::string& id) {
    Loaded l;
    if (!content::IsValidKey(id)) return l;
    auto live = items->Get(id);
    if (!live.ok()) return live.status();
    auto draft = items->GetDraft(id);
    if (!draft.ok()) return draft.status();
    auto record = items->GetEditorial(id);
    if (!record.ok()) return record.status();
    auto latest = items->LatestRevision(id);
    if (!latest.ok()) return latest.status();
    l.live = std::move(*live);
    l.draft = std::move(*draft);
    l.record = std::move(*record);
    l.state = CurrentState(l.record, l.live);
    l.revision = *latest;
    return l;
  }

  // May `who` see the item's unpublished side (draft, history, state)? The
  // draft's readers (by its keys as an unpublished item); when there is no
  // draft, the live version's readers who would also read it unpublished,
  // so working on an item never opens a published version one could not
  // read (an editor of its werkplaats outside a restricted item's groups).
  // The work on an item (its draft, which starts as a copy of the live
  // version, the revisions and diffs) shows the live version too: who may
  // not read that may not see the work either, or saving a draft beside a
  // restricted item would open it to every editor of its werkplaats.
  static bool SeesWork(const Principal& who, const Loaded& l) {
    if (l.live && !access::CanRead(who, *l.live)) return false;
    if (l.draft) return access::CanReadWork(who, *l.draft);
    return l.live && access::CanReadWork(who, *l.live);
  }

  // A transition's step in the item's history and its audit line, from the
  // same facts, both committed with it. `revision`: the one the audit line
  // names (the step's own is the store's latest after it); `extra`: more
  // for the audit line only.
  void RecordStep(store::EditorialChange* change, const Principal& who, const std::string& address,
                  store::WorkflowStep step, int64_t revision,
                  nlohmann::json extra = nlohmann::json::object()) const {
    nlohmann::json detail = {
        {"action", step.action}, {"from", step.from}, {"to", step.to}, {"revision", revision}};
    if (!step.scheduled_at.empty()) detail["at"] = step.scheduled_at;
    detail.update(extra);
    change->audit = AuditLine(who, address, "editorial_transition", change->id, detail);
    change->step = std::move(step);
  }

  // The audit line of a step, committed with it (EditorialChange::audit)
  // and moved to the audit log by Deliver.
  store::OutboxLine AuditLine(const Principal& who, const std::string& address,
                              const std::string& event, const std::string& id,
                              const nlohmann::json& detail) const {
    store::OutboxLine line;
    line.at = Now();
    line.actor = who.email;
    line.event = event;
    line.subject = id;
    line.detail = detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line.address = address;
    return line;
  }

  // Sends a scheduled item that fell due with links to closed items
  // (`hidden`, from ClosedLinks) back to the redactie's queue instead of
  // publishing it, saying why in its comment; audited. The schedule is not
  // kept: the redactie decides again on the text as it is.
  void HoldBack(store::ItemStore* items, const store::EditorialRecord& record,
                const std::string& title, int64_t revision, const std::vector<Item>& hidden) const {
    store::EditorialChange change;
    change.id = record.item_id;
    change.expected_state = "scheduled";
    change.record = record;
    change.record.state = StateName(State::kInReview);
    change.record.comment = "Niet gepubliceerd op het geplande moment: " +
                            // Addresses only: the item's editors read this comment, and the
                            // linked items are closed to some readers, perhaps to them.
                            ClosedLinksSentence(title, hidden, nullptr) +
                            " Haal de link weg of beperk wie dit stuk leest, en plan het daarna "
                            "opnieuw in.";
    change.record.scheduled_at.clear();
    // No one made this step: the pages say "Laatst gewijzigd <when>" without
    // a name (the audit line keeps who had scheduled it).
    change.record.actor.clear();
    Principal by;
    by.email = record.scheduled_by;
    // The step names no one, as the pages do; the audit line keeps who had
    // scheduled it.
    RecordStep(&change, by, "",
               {kPublishScheduledRefused, "scheduled", "in_review", "", change.record.comment,
                record.scheduled_at},
               revision, {{"links", Addresses(hidden)}});
    auto applied = items->ApplyEditorial(change);
    if (!applied.ok()) {
      // Changed meanwhile (sent back, saved): the next round decides again.
      Log(LogLevel::kWarn, "editorial_schedule_skipped",
          {{"item", change.id}, {"error", applied.status().ToString()}});
      return;
    }
    Log(LogLevel::kWarn, "editorial_schedule_held_back",
        {{"item", change.id}, {"links", Addresses(hidden)}});
  }

  // Moves the committed audit lines from kpo.sqlite to the audit log. A
  // failure is logged, not returned: the step itself stands and its line
  // waits in the outbox for the next step or start.
  void Deliver(Conn* conn) {
    auto moved = store::DrainOutbox(conn->items->db(), [conn](const store::OutboxLine& line) {
      access::AuditEntry entry;
      entry.actor = line.actor;
      entry.event = line.event;
      entry.subject = line.subject;
      auto detail = nlohmann::json::parse(line.detail, nullptr, /*allow_exceptions=*/false);
      if (detail.is_object()) detail["outbox_seq"] = line.seq;
      entry.detail = detail.is_object() ? detail.dump() : line.detail;
      entry.address = line.address;
      return access::AppendAuditTo(conn->accounts.get(), entry, line.at).status();
    });
    if (!moved.ok()) {
      Log(LogLevel::kError, "editorial_audit_failed", {{"error", moved.status().ToString()}});
    }
  }

  // The item `input` describes, made ready to store and validated.
  StatusOr<Item> Prepare(const DraftInput& input, const std::string& id) {
    Item item = input.item;
    item.id = id;
    item.status = "draft";
    item.source = "api";
    item.source_path.clear();
    item.content_hash.clear();
    item.course.reset();
    item.revision = 0;
    item.updated.clear();
    std::vector<content::FieldError> errors = content::ValidateItem(item, *kb->vocabulary());
    if (!input.review_by.empty() && !content::IsValidDate(input.review_by)) {
      errors.push_back({"review_by", "ongeldige datum '" + input.review_by +
                                         "' (gebruik JJJJ-MM-DD, bijvoorbeeld 2027-03-01)"});
    }
    if (!errors.empty()) return Status::Error(ErrorCode::kInvalidContent, Joined(errors));
    item.body_text = render::MarkdownToText(item.body_markdown);
    return item;
  }

  // Save and Restore: a new draft revision of an existing item.
  StatusOr<SaveResult> SaveDraft(const Principal& who, const std::string& address,
                                 const std::string& id, const DraftInput& input,
                                 int64_t base_revision, const std::string& event,
                                 nlohmann::json detail) {
    auto conn = Connection();
    if (!conn.ok()) return conn.status();
    store::ItemStore* items = (*conn)->items.get();
    auto l = Load(items, id);
    if (!l.ok()) return l.status();
    if (!SeesWork(who, *l)) return NotFound(id);
    const Item& working = l->working();
    if (!MayEdit(who, working.werkplaats)) return ForbiddenToEdit(who, working.werkplaats);
    if (!MayEdit(who, input.item.werkplaats)) return ForbiddenToEdit(who, input.item.werkplaats);
    if (l->state == State::kArchived) {
      return Status::Error(ErrorCode::kInvalidTransition,
                           "Het item is 'gearchiveerd'; de redactie zet het eerst terug (restore) "
                           "voordat het bewerkt wordt.");
    }
    auto item = Prepare(input, id);
    if (!item.ok()) return item.status();
    // Nothing to write when every field an editor sets (ItemLines') and the
    // review date (the record's) equal the latest version's. Not for a save
    // on an older base, which is refused as stale like any other; nor on a
    // published item, where the save opens a draft beside it: the way to
    // send attachment changes for approval without changing the text.
    if (base_revision == l->revision && l->state != State::kPublished &&
        ItemLines(*item) == ItemLines(working) &&
        input.review_by == (l->record ? l->record->review_by : std::string())) {
      return SaveResult{id, l->revision, l->state, /*unchanged=*/true};
    }
    // A published item gets a draft beside it; an editor's change to an
    // item in review or scheduled needs approval again.
    State next = l->state;
    if (l->state == State::kPublished) next = State::kDraft;
    if ((l->state == State::kInReview || l->state == State::kScheduled) && !IsRedactie(who)) {
      next = State::kDraft;
    }
    store::EditorialChange change;
    change.id = id;
    change.expected_state = l->record ? l->record->state : "";
    change.item = std::move(*item);
    change.save = {base_revision, who.email, store::Version::kDraft};
    change.claim_live = l->live && l->live->source != "api";
    change.record = l->record.value_or(store::EditorialRecord{});
    change.record.state = StateName(next);
    change.record.review_by = input.review_by;
    change.record.actor = who.email;
    if (next != State::kScheduled) change.record.scheduled_at.clear();
    // The save is conditional on base_revision being the latest, so the
    // new revision is known before it commits.
    detail["revision"] = base_revision + 1;
    detail["from"] = StateName(l->state);
    detail["to"] = StateName(next);
    change.audit = AuditLine(who, address, event, id, detail);
    auto revision = items->ApplyEditorial(change);
    if (!revision.ok()) return revision.status();
    Deliver(*conn);
    return SaveResult{id, *revision, next};
  }
};

EditorialService::EditorialService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

EditorialService::~EditorialService() {
  {
    std::lock_guard<std::mutex> lock(impl_->scheduler_mu);
    impl_->stop = true;
  }
  impl_->scheduler_cv.notify_all();
  if (impl_->scheduler.joinable()) impl_->scheduler.join();
}

StatusOr<std::unique_ptr<EditorialService>> EditorialService::Open(const EditorialOptions& options,
                                                                   knowledge::KnowledgeBase* kb) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->kb = kb;
  auto conn = impl->Connection();  // creates or migrates the schema once
  if (!conn.ok()) return conn.status();
  // Audit lines of steps committed just before a crash.
  impl->Deliver(*conn);
  std::unique_ptr<EditorialService> service(new EditorialService(std::move(impl)));
  if (options.scheduler_interval_ms > 0) {
    // Catch-up first: what fell due while no server ran is published before
    // the first request is served.
    auto due = service->PublishDue();
    if (!due.ok()) return due.status();
    Impl* raw = service->impl_.get();
    raw->scheduler = std::thread([raw, svc = service.get()] {
      std::unique_lock<std::mutex> lock(raw->scheduler_mu);
      while (!raw->stop) {
        raw->scheduler_cv.wait_for(lock,
                                   std::chrono::milliseconds(raw->options.scheduler_interval_ms),
                                   [raw] { return raw->stop; });
        if (raw->stop) break;
        lock.unlock();
        auto published = svc->PublishDue();
        if (!published.ok()) {
          Log(LogLevel::kError, "editorial_scheduler_failed",
              {{"error", published.status().ToString()}});
        }
        lock.lock();
      }
    });
  }
  return service;
}

StatusOr<SaveResult> EditorialService::Create(const Principal& who, const std::string& address,
                                              const DraftInput& input) {
  DraftInput in = input;
  // An editor of one werkplaats writes for it unless they say otherwise.
  if (in.item.werkplaats.empty() && who.role == Role::kEditor && who.werkplaatsen.size() == 1) {
    in.item.werkplaats = who.werkplaatsen[0];
  }
  if (!MayEdit(who, in.item.werkplaats)) return ForbiddenToEdit(who, in.item.werkplaats);
  auto conn = impl_->Connection();
  if (!conn.ok()) return conn.status();
  store::ItemStore* items = (*conn)->items.get();
  std::string id = in.item.id;
  if (id.empty()) {
    // From the title, made unique: "titel", "titel-2", ...
    const std::string base = search::Slug(in.item.title, "item");
    id = base;
    for (int n = 2;; ++n) {
      auto latest = items->LatestRevision(id);
      if (!latest.ok()) return latest.status();
      if (*latest == 0) break;
      id = base + "-" + std::to_string(n);
    }
  } else if (!content::IsValidKey(id)) {
    return Status::Error(ErrorCode::kInvalidContent,
                         "Het item is niet geldig: id: alleen kleine letters, cijfers en '-' "
                         "(1 tot 100 tekens).");
  }
  auto item = impl_->Prepare(in, id);
  if (!item.ok()) return item.status();
  store::EditorialChange change;
  change.id = id;
  change.item = std::move(*item);
  change.save = {0, who.email, store::Version::kDraft};
  change.record.state = StateName(State::kDraft);
  change.record.review_by = in.review_by;
  change.record.actor = who.email;
  change.record.created_by = who.email;
  change.audit = impl_->AuditLine(
      who, address, "editorial_created", id,
      {{"revision", 1}, {"from", ""}, {"to", "draft"}, {"werkplaats", in.item.werkplaats}});
  auto revision = items->ApplyEditorial(change);
  if (!revision.ok()) {
    // Revision 0 was not the latest, or a record exists: the id is taken
    // (by an item, a draft or an item removed since; ids are never reused).
    if (revision.status().Is(ErrorCode::kStaleRevision) ||
        revision.status().Is(ErrorCode::kInvalidTransition)) {
      return Status::Error(ErrorCode::kDuplicateId,
                           "Er bestaat al een item met id '" + id + "'; kies een ander id.");
    }
    return revision.status();
  }
  impl_->Deliver(*conn);
  return SaveResult{id, *revision, State::kDraft};
}

StatusOr<SaveResult> EditorialService::Save(const Principal& who, const std::string& address,
                                            const std::string& id, const DraftInput& input,
                                            int64_t base_revision) {
  return impl_->SaveDraft(who, address, id, input, base_revision, "editorial_saved",
                          nlohmann::json::object());
}

StatusOr<TransitionResult> EditorialService::Transition(const Principal& who,
                                                        const std::string& address,
                                                        const std::string& id,
                                                        const TransitionRequest& request) {
  auto conn = impl_->Connection();
  if (!conn.ok()) return conn.status();
  store::ItemStore* items = (*conn)->items.get();
  auto l = impl_->Load(items, id);
  if (!l.ok()) return l.status();
  const bool reads_live = l->live && access::CanRead(who, *l->live);
  if (!Impl::SeesWork(who, *l) && !reads_live) return NotFound(id);
  const Item& working = l->working();
  auto to = editorial::Transition(who, working.werkplaats, l->state, request.action);
  if (!to.ok()) return to.status();
  if (request.comment.size() > kMaxComment ||
      content::FirstInvalidUtf8(request.comment) != std::string::npos ||
      content::HasControl(request.comment, "\t\r\n")) {
    return Status::Error(ErrorCode::kInvalidField,
                         "Veld 'comment' is te lang (maximaal 2000 tekens) of geen geldige tekst.");
  }
  // A link to a closed item (ClosedLinks): the preview warns the editor;
  // approving and scheduling refuse. Also when the approver may not read
  // the target: the redactie is then told its address only, which the text
  // already shows; a target they may read is named by its title too.
  if (request.action == Action::kApprove || request.action == Action::kSchedule) {
    auto hidden = ClosedLinks(items, working);
    if (!hidden.ok()) return hidden.status();
    if (!hidden->empty()) {
      return Status::Error(ErrorCode::kLinkToClosedItem,
                           ClosedLinksSentence(working.title, *hidden, &who) +
                               " Haal de link weg of beperk wie dit stuk leest, en " +
                               (request.action == Action::kApprove ? "keur het daarna goed."
                                                                   : "plan het daarna in."));
    }
  }
  // Blank is no reason: the editor must read why.
  if (request.action == Action::kReject &&
      request.comment.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::Error(ErrorCode::kInvalidField,
                         "Schrijf in 'comment' waarom het item wordt teruggestuurd.");
  }
  const int64_t now = impl_->Now();
  store::EditorialChange change;
  change.id = id;
  change.expected_state = l->record ? l->record->state : "";
  change.record = l->record.value_or(store::EditorialRecord{});
  change.record.state = StateName(*to);
  change.record.comment = request.comment;
  change.record.actor = who.email;
  change.record.scheduled_at.clear();
  switch (request.action) {
    case Action::kApprove: {
      Item published = working;
      published.status = "published";
      published.source = "api";
      if (published.published.empty()) published.published = FormatUtc(now).substr(0, 10);
      change.item = std::move(published);
      change.save = {l->revision, who.email, store::Version::kLive, /*approval=*/true};
      change.record.published_at = FormatUtc(now);
      break;
    }
    case Action::kSchedule: {
      auto at = ParseMoment(request.at);
      if (!at.ok()) return at.status();
      if (*at <= now) {
        return Status::Error(
            ErrorCode::kInvalidField,
            "Het publicatiemoment ligt niet in de toekomst: kies een later moment.");
      }
      change.record.scheduled_at = FormatUtc(*at);
      change.record.scheduled_by = who.email;
      break;
    }
    case Action::kUnpublish:
      // Nothing stays public: the live version is taken down too.
      if (l->live && l->live->status == "published") change.live_status = "draft";
      break;
    case Action::kArchive:
      if (l->live) change.live_status = "archived";
      break;
    case Action::kRestore:
      if (l->live && l->live->status == "archived") change.live_status = "draft";
      break;
    case Action::kSubmit:
    case Action::kReject:
      break;
  }
  // A step that saves content makes the next revision (conditional on the
  // latest, as Save); the others keep it.
  impl_->RecordStep(&change, who, address,
                    {ActionName(request.action), StateName(l->state), StateName(*to), who.email,
                     request.comment, change.record.scheduled_at},
                    change.item ? l->revision + 1 : l->revision);
  std::unique_lock<std::mutex> approving;
  if (change.save.approval) approving = HoldApprovals();
  auto revision = items->ApplyEditorial(change);
  if (approving.owns_lock()) approving.unlock();
  if (!revision.ok()) return revision.status();
  // Fault injection for tests/integration/editorial_server_test.cc: die as
  // kill -9 would, right after the commit: before the index writer applies
  // it and before the audit line leaves the outbox.
  if (const char* fault = std::getenv("KPO_FAULT_KILL_AFTER_TRANSITION");
      fault != nullptr && std::string(fault) == ActionName(request.action)) {
    std::raise(SIGKILL);
  }
  impl_->Deliver(*conn);
  if (request.action == Action::kApprove) impl_->Approved(id, *revision);
  return TransitionResult{l->state, *to, *revision, change.record.scheduled_at};
}

std::unique_lock<std::mutex> EditorialService::HoldApprovals() {
  return std::unique_lock<std::mutex>(impl_->approvals_mu);
}

void EditorialService::OnApproved(
    std::function<void(const std::string& id, int64_t revision)> approved) {
  std::lock_guard<std::mutex> lock(impl_->approved_mu);
  impl_->approved = std::move(approved);
}

StatusOr<EditorialDocument> EditorialService::Get(const Principal& who, const std::string& id) {
  auto conn = impl_->Connection();
  if (!conn.ok()) return conn.status();
  auto l = impl_->Load((*conn)->items.get(), id);
  if (!l.ok()) return l.status();
  const bool reads_live = l->live && access::CanRead(who, *l->live);
  const bool sees_work = Impl::SeesWork(who, *l);
  if (!reads_live && !sees_work) return NotFound(id);
  EditorialDocument doc;
  doc.id = id;
  doc.revision = l->revision;
  doc.editorial_visible = sees_work;
  if (!sees_work) {
    // A reader: rendered as the knowledge base renders for them (links to
    // items they may not read written as text).
    auto html = impl_->kb->ReaderHtml(who, l->live->body_markdown);
    if (!html.ok()) return html.status();
    doc.live = l->live;
    doc.live_html = std::move(*html);
    return doc;
  }
  if (l->record) {
    const auto& r = *l->record;
    doc.editorial = {l->state, r.scheduled_at, r.review_by, r.comment,
                     r.actor,  r.created_by,   r.updated_at};
  } else {
    doc.editorial.state = l->state;
  }
  if (reads_live) {
    doc.live = l->live;
    doc.live_html = render::MarkdownToHtml(l->live->body_markdown);
  }
  if (sees_work && l->draft) {
    doc.draft = l->draft;
    doc.draft_html = render::MarkdownToHtml(l->draft->body_markdown);
  }
  if (sees_work) {
    doc.can_edit = MayEdit(who, l->working().werkplaats) && l->state != State::kArchived;
    for (Action a : {Action::kSubmit, Action::kApprove, Action::kSchedule, Action::kReject,
                     Action::kUnpublish, Action::kArchive, Action::kRestore}) {
      if (editorial::Transition(who, l->working().werkplaats, l->state, a).ok()) {
        doc.actions.push_back(a);
      }
    }
  }
  return doc;
}

StatusOr<std::vector<RevisionEntry>> EditorialService::Revisions(const Principal& who,
                                                                 const std::string& id) {
  auto items = impl_->WorkStore(who, id);
  if (!items.ok()) return items.status();
  auto revisions = (*items)->Revisions(id);
  if (!revisions.ok()) return revisions.status();
  std::vector<RevisionEntry> out;
  for (const auto& r : *revisions) {
    out.push_back(
        {r.revision, r.author, r.created_at, r.version == store::Version::kLive, r.complete});
  }
  return out;
}

namespace {

StepEntry EntryOfStep(const store::WorkflowStep& s) {
  return {s.action, s.from, s.to, s.actor, s.comment, s.scheduled_at, s.revision, s.at};
}

}  // namespace

StatusOr<std::vector<StepEntry>> EditorialService::Steps(const Principal& who,
                                                         const std::string& id) {
  auto items = impl_->WorkStore(who, id);
  if (!items.ok()) return items.status();
  auto steps = (*items)->Steps(id);
  if (!steps.ok()) return steps.status();
  std::vector<StepEntry> out;
  for (const auto& s : *steps) out.push_back(EntryOfStep(s));
  return out;
}

StatusOr<Item> EditorialService::GetRevision(const Principal& who, const std::string& id,
                                             int64_t revision) {
  auto items = impl_->WorkStore(who, id);
  if (!items.ok()) return items.status();
  auto item = (*items)->GetRevision(id, revision);
  if (!item.ok()) return item.status();
  if (!item->has_value()) {
    return Status::Error(ErrorCode::kDocumentNotFound, "Document '" + id + "' heeft geen revisie " +
                                                           std::to_string(revision) + ".");
  }
  return **item;
}

StatusOr<LineDiff> EditorialService::Diff(const Principal& who, const std::string& id, int64_t from,
                                          int64_t to) {
  auto a = GetRevision(who, id, from);
  if (!a.ok()) return a.status();
  auto b = GetRevision(who, id, to);
  if (!b.ok()) return b.status();
  LineDiff diff = DiffLines(ItemLines(*a), ItemLines(*b));
  diff.from = from;
  diff.to = to;
  return diff;
}

StatusOr<SaveResult> EditorialService::Restore(const Principal& who, const std::string& address,
                                               const std::string& id, int64_t revision,
                                               int64_t base_revision) {
  auto old = GetRevision(who, id, revision);
  if (!old.ok()) return old.status();
  DraftInput input;
  input.item = *old;
  auto conn = impl_->Connection();
  if (!conn.ok()) return conn.status();
  auto record = (*conn)->items->GetEditorial(id);
  if (!record.ok()) return record.status();
  if (*record) input.review_by = (*record)->review_by;
  return impl_->SaveDraft(who, address, id, input, base_revision, "editorial_restored",
                          {{"restored_revision", revision}});
}

const std::vector<std::pair<std::string, std::string>>& EditorFields() {
  static const std::vector<std::pair<std::string, std::string>> kFields = {
      {"title", "Titel"},
      {"id", "Id in het adres"},
      {"summary", "Samenvatting"},
      {"body", "Tekst"},
      {"type", "Soort"},
      {"werkplaats", "Werkplaats"},
      {"access", "Wie mag het lezen?"},
      {"groups", "Partnergroepen"},
      {"themes", "Thema's"},
      {"regions", "Regio's"},
      {"tags", "Trefwoorden"},
      {"published", "Publicatiedatum"},
      {"review_by", "Herzien vóór"}};
  return kFields;
}

StatusOr<Preview> EditorialService::MakePreview(const Principal& who, const DraftInput& input) {
  if (who.role != Role::kEditor && !IsRedactie(who)) {
    return Status::Error(ErrorCode::kForbidden,
                         "Alleen redacteuren, de redactie en beheerders gebruiken het voorbeeld.");
  }
  auto conn = impl_->Connection();
  if (!conn.ok()) return conn.status();
  Preview preview;
  preview.html = render::MarkdownToHtml(input.item.body_markdown);
  Item item = input.item;
  item.status = "draft";
  if (item.id.empty()) item.id = search::Slug(item.title, "item");  // an id is made at Create
  item.course.reset();
  std::vector<content::FieldError> errors = content::ValidateItem(item, *impl_->kb->vocabulary());
  if (!input.review_by.empty() && !content::IsValidDate(input.review_by)) {
    errors.push_back({"review_by", "ongeldige datum (gebruik JJJJ-MM-DD)",
                      "{review_by} is geen datum; gebruik JJJJ-MM-DD"});
  }
  const auto& fields = EditorFields();
  const auto place = [&](const std::string& key) {
    return std::find_if(fields.begin(), fields.end(),
                        [&](const auto& f) { return f.first == key; }) -
           fields.begin();
  };
  const auto label = [&](const std::string& key) {
    const auto at = static_cast<size_t>(place(key));
    return at == fields.size() ? key : fields[at].second;
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const auto& a, const auto& b) { return place(a.field) < place(b.field); });
  for (const auto& e : errors)
    preview.problems.push_back({e.field, content::FormMessage(e, label)});
  const std::vector<Principal> readers = ReadersOnceLive(item);
  for (const auto& target : InternalLinks(input.item.body_markdown)) {
    auto linked = (*conn)->items->Get(target);
    if (!linked.ok()) return linked.status();
    // Unreadable to the caller reads as missing: the preview must not tell
    // an editor that a restricted id exists.
    if (!linked->has_value() || !access::CanRead(who, **linked)) {
      preview.links.push_back({target, "bestaat niet (of u kunt het niet lezen)"});
      continue;
    }
    if (!AllRead(readers, **linked)) {
      preview.links.push_back({target, "niet leesbaar voor alle lezers van dit stuk"});
    }
  }
  const render::NotShown hidden = render::FindNotShown(input.item.body_markdown);
  if (hidden.html > 0) {
    preview.not_shown.push_back(
        "HTML in de tekst wordt niet getoond. Gebruik Markdown: **vet**, ## kopje, "
        "[tekst](adres).");
  }
  for (const auto& target : hidden.blocked) {
    preview.not_shown.push_back("Link of afbeelding '" + content::Abbreviated(target, 60) +
                                "' wordt alleen als tekst getoond: dit soort adres is niet "
                                "toegestaan.");
  }
  for (const auto& target : hidden.external_images) {
    preview.not_shown.push_back("Afbeelding van een andere website (" +
                                content::Abbreviated(target, 60) +
                                ") wordt niet getoond. Voeg haar als bijlage toe.");
  }
  preview.readability = MeasureReadability(render::MarkdownToText(input.item.body_markdown));
  return preview;
}

namespace {

ListEntry EntryOf(const store::EditorialRow& row) {
  ListEntry e;
  e.id = row.record.item_id;
  e.title = row.title;
  e.type = row.type;
  e.werkplaats = row.werkplaats;
  e.access = row.access;
  e.groups = row.groups;
  e.revision = row.revision;
  e.live = row.live;
  const auto& r = row.record;
  auto state = ParseState(r.state);
  e.editorial = {state.ok() ? *state : State::kDraft,
                 r.scheduled_at,
                 r.review_by,
                 r.comment,
                 r.actor,
                 r.created_by,
                 r.updated_at};
  return e;
}

}  // namespace

StatusOr<std::vector<ListEntry>> EditorialService::MyDrafts(const Principal& who) {
  if (who.role != Role::kEditor && !IsRedactie(who)) {
    return Status::Error(ErrorCode::kForbidden,
                         "Alleen redacteuren, de redactie en beheerders hebben concepten.");
  }
  auto conn = impl_->Connection();
  if (!conn.ok()) return conn.status();
  auto rows = (*conn)->items->ListEditorial({"draft", "in_review", "scheduled"});
  if (!rows.ok()) return rows.status();
  std::vector<ListEntry> out;
  for (const auto& row : *rows) {
    auto listed =
        impl_->ListsWork(who, (*conn)->items.get(), row.record.item_id, row.werkplaats, row.live);
    if (!listed.ok()) return listed.status();
    if (*listed) out.push_back(EntryOf(row));
  }
  return out;
}

StatusOr<std::vector<RecentStep>> EditorialService::RecentSteps(const Principal& who,
                                                                size_t limit) {
  if (who.role != Role::kEditor && !IsRedactie(who)) {
    return Status::Error(ErrorCode::kForbidden,
                         "Alleen redacteuren, de redactie en beheerders hebben concepten.");
  }
  auto conn = impl_->Connection();
  if (!conn.ok()) return conn.status();
  store::ItemStore* items = (*conn)->items.get();
  // A bounded look back: the newest steps of every werkplaats, of which the
  // caller may see some.
  constexpr size_t kScanned = 500;
  auto steps =
      items->StepsSince(FormatUtc(impl_->Now() - int64_t{kRecentStepDays} * 86400), kScanned);
  if (!steps.ok()) return steps.status();
  std::map<std::string, bool> listed;  // item id -> the caller may see its work
  std::vector<RecentStep> out;
  for (const auto& row : *steps) {
    if (out.size() >= limit) break;
    if (!row.exists || row.step.actor == who.email) continue;
    auto known = listed.find(row.item_id);
    if (known == listed.end()) {
      auto sees = impl_->ListsWork(who, items, row.item_id, row.werkplaats, row.live);
      if (!sees.ok()) return sees.status();
      known = listed.emplace(row.item_id, *sees).first;
    }
    if (known->second) out.push_back({row.item_id, row.title, EntryOfStep(row.step)});
  }
  return out;
}

StatusOr<Dashboard> EditorialService::GetDashboard(const Principal& who) {
  if (!IsRedactie(who)) {
    return Status::Error(ErrorCode::kForbidden, "Alleen de redactie ziet het redactiedashboard.");
  }
  auto conn = impl_->Connection();
  if (!conn.ok()) return conn.status();
  auto rows =
      (*conn)->items->ListEditorial({"draft", "in_review", "scheduled", "published", "archived"});
  if (!rows.ok()) return rows.status();
  const int64_t now = impl_->Now();
  const std::string today = FormatUtc(now).substr(0, 10);
  const std::string recent = FormatUtc(now - kRecentDays * 86400);
  Dashboard d;
  for (const auto& row : *rows) {
    const auto& r = row.record;
    if (r.state == "in_review") d.review_queue.push_back(EntryOf(row));
    if (r.state == "scheduled") d.scheduled.push_back(EntryOf(row));
    if (r.state != "archived" && !r.review_by.empty() && r.review_by < today) {
      d.overdue.push_back(EntryOf(row));
    }
    if (r.state == "published" && r.published_at >= recent) {
      d.recently_published.push_back(EntryOf(row));
    }
  }
  auto by = [](auto key, bool ascending) {
    return [key, ascending](const ListEntry& a, const ListEntry& b) {
      return ascending ? key(a) < key(b) : key(b) < key(a);
    };
  };
  auto updated = [](const ListEntry& e) { return e.editorial.updated_at; };
  std::stable_sort(d.review_queue.begin(), d.review_queue.end(), by(updated, true));
  std::stable_sort(d.scheduled.begin(), d.scheduled.end(),
                   by([](const ListEntry& e) { return e.editorial.scheduled_at; }, true));
  std::stable_sort(d.overdue.begin(), d.overdue.end(),
                   by([](const ListEntry& e) { return e.editorial.review_by; }, true));
  std::stable_sort(d.recently_published.begin(), d.recently_published.end(), by(updated, false));
  if (impl_->options.search_log != nullptr) {
    auto zero = impl_->options.search_log->ZeroResultsFor(who);
    if (!zero.ok()) return zero.status();
    d.zero_results = std::move(*zero);
  }
  return d;
}

StatusOr<int> EditorialService::PublishDue() {
  auto conn = impl_->Connection();
  if (!conn.ok()) return conn.status();
  store::ItemStore* items = (*conn)->items.get();
  auto rows = items->ListEditorial({"scheduled"});
  if (!rows.ok()) return rows.status();
  const int64_t now = impl_->Now();
  const std::string now_text = FormatUtc(now);
  int published = 0;
  for (const auto& row : *rows) {
    if (row.record.scheduled_at.empty() || row.record.scheduled_at > now_text) continue;
    auto l = impl_->Load(items, row.record.item_id);
    if (!l.ok()) return l.status();
    if (!l->exists()) continue;
    Principal scheduler;
    scheduler.email = row.record.scheduled_by;
    std::unique_lock<std::mutex> approving = HoldApprovals();
    auto hidden = ClosedLinks(items, l->working());
    if (!hidden.ok()) return hidden.status();
    if (!hidden->empty()) {
      // A linked item was narrowed after scheduling: not published, back to
      // the redactie's queue, saying why (the schedule is not kept: it was
      // decided on a text that may no longer go live as it is).
      approving.unlock();
      impl_->HoldBack(items, row.record, l->working().title, l->revision, *hidden);
      continue;
    }
    Item item = l->working();
    item.status = "published";
    item.source = "api";
    if (item.published.empty()) item.published = now_text.substr(0, 10);
    store::EditorialChange change;
    change.id = row.record.item_id;
    change.expected_state = "scheduled";
    change.item = std::move(item);
    change.save = {l->revision, row.record.scheduled_by, store::Version::kLive, /*approval=*/true};
    change.record = row.record;
    change.record.state = StateName(State::kPublished);
    change.record.published_at = now_text;
    change.record.scheduled_at.clear();
    change.record.actor = row.record.scheduled_by;
    impl_->RecordStep(&change, scheduler, "",
                      {kPublishScheduled, "scheduled", "published", row.record.scheduled_by, "",
                       row.record.scheduled_at},
                      l->revision + 1);
    auto revision = items->ApplyEditorial(change);
    approving.unlock();
    if (!revision.ok()) {
      // Changed meanwhile (sent back, saved): the next round decides again.
      Log(LogLevel::kWarn, "editorial_schedule_skipped",
          {{"item", change.id}, {"error", revision.status().ToString()}});
      continue;
    }
    impl_->Approved(change.id, *revision);
    ++published;
  }
  impl_->Deliver(*conn);
  return published;
}

}  // namespace kpo::editorial

// The editorial service: werkplaats editors write drafts, the redactie
// approves, schedules, sends back, unpublishes and archives (issue 10).
// Owns: creating and saving items over the API (the one validation routine,
// content/validate.h), the editorial state of every item (state,
// scheduled_at, review_by, the last comment; stored by store/item_store.h
// beside the item, in the same transaction as the change and its index job),
// revisions, their line diff and restore, the preview with its editor aids,
// the editors' and the redactie's lists, the audit line of every save and
// transition, and the scheduler that publishes `scheduled` items at their
// time (also after a restart).
// The rules of which action leads where and who may take it are
// editorial/workflow.h's; who may *read* a draft is access/policy.h's
// (`werkplaats:<w>` keys), never decided here by looking at the user.
// May not touch: HTTP, Xapian (search follows through the index jobs the
// store commits with each change), portal templates.
// Thread-safety: every method may be called from any number of threads at
// once; each thread gets its own SQLite connections, opened on first use.
// The service must outlive every call; the KnowledgeBase it is given must
// outlive the service.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "editorial/workflow.h"
#include "kpo/access/principal.h"
#include "kpo/content/item.h"
#include "kpo/status.h"
#include "searchlog/search_log.h"

namespace kpo::knowledge {
class KnowledgeBase;
}

namespace kpo::editorial {

struct EditorialOptions {
  // Holds kpo.sqlite (items) and accounts.sqlite (the audit log). Required.
  std::string data_dir;
  // Current time in unix seconds. Default: empty, meaning the system clock.
  std::function<int64_t()> clock;
  // How often the scheduler looks for `scheduled` items whose time has come;
  // 0 = no scheduler thread (tools and tests that call PublishDue
  // themselves). Default: 0; kpo-server sets 1000. A scheduler also
  // publishes, once at Open, every item whose time passed while no server
  // ran (catch-up).
  int scheduler_interval_ms = 0;
  // The search log whose zero-result searches the dashboard shows (not
  // owned; must outlive the service). Default: none, an empty list.
  searchlog::SearchLog* search_log = nullptr;
};

// What an editor sends: the front-matter fields and the body, as in a
// content file (docs/content.md). `item.id` may be empty on Create (an id
// is made from the title); `item.status`, `revision`, `source`,
// `source_path`, `content_hash` and `updated` are the service's and
// ignored.
struct DraftInput {
  Item item;
  std::string review_by;  // YYYY-MM-DD after which the redactie reviews it; "" = none
};

// The editorial facts of an item.
struct EditorialInfo {
  State state = State::kDraft;
  std::string scheduled_at;  // UTC, 2026-11-29T12:00:00Z; "" unless scheduled
  std::string review_by;     // YYYY-MM-DD or ""
  std::string comment;       // the last transition's comment, e.g. why it was sent back
  std::string actor;         // who made the last save or transition (e-mail)
  std::string created_by;    // who created it over the API ("" for file items)
  std::string updated_at;    // UTC of the last save or transition
};

// An item as an editor or the redactie sees it (Get).
struct EditorialDocument {
  std::string id;
  EditorialInfo editorial;
  // The live version (what readers are served), when there is one the
  // caller may read; `html` its rendered body.
  std::optional<Item> live;
  std::string live_html;
  // Readers are served `live` now: it exists and was not unpublished or
  // archived (those keep it, with their status, for the history).
  bool LiveIsPublished() const { return live && live->status == "published"; }
  // The working draft beside it, when there is one and the caller may read
  // it (the werkplaats's editors, the redactie, admin).
  std::optional<Item> draft;
  std::string draft_html;
  // The latest revision, live or draft: the base_revision of the next save.
  int64_t revision = 0;
  // The caller may see the unpublished side (editorial facts, draft,
  // history). When false, `editorial` is left empty and only `live` is set:
  // a reader learns nothing about drafts or comments.
  bool editorial_visible = false;
  bool can_edit = false;        // the caller may save
  std::vector<Action> actions;  // the transitions the caller may take now
};

// The answer to Create, Save and Restore.
struct SaveResult {
  std::string id;
  int64_t revision = 0;
  State state = State::kDraft;
  // Save and Restore: the text and fields equalled the latest version's, so
  // nothing was written (no revision, no state change, no audit line): an
  // unchanged save made a version and so a conflict in another tab.
  bool unchanged = false;
};

struct TransitionRequest {
  Action action = Action::kSubmit;
  std::string comment;  // required for reject; at most 2000 characters
  // For schedule: when to publish, "2026-11-29T12:00:00Z", with an offset
  // ("…+01:00"), or local Dutch time "2026-11-29T13:00"; in the future.
  std::string at;
};

struct TransitionResult {
  State from = State::kDraft;
  State to = State::kDraft;
  int64_t revision = 0;      // the latest revision after it
  std::string scheduled_at;  // UTC when scheduled, else ""
};

// One revision in the history (Revisions).
struct RevisionEntry {
  int64_t revision = 0;
  std::string author;      // "" for revisions from before schema 2
  std::string created_at;  // UTC
  bool live = false;       // a live (published or imported) version; else a draft
  bool complete = true;    // holds every field (false before schema 2)
};

// One workflow step in the history (Steps): who sent it for review,
// approved, sent back or scheduled it, when, and with what comment.
struct StepEntry {
  // ActionName, or "publish_scheduled" / "publish_scheduled_refused" for
  // the scheduler's steps.
  std::string action;
  std::string from;          // StateName before
  std::string to;            // StateName after
  std::string actor;         // e-mail; "" when no one took it (a held-back schedule)
  std::string comment;       // as given; "" when none
  std::string scheduled_at;  // UTC, for a schedule
  int64_t revision = 0;      // the latest revision after the step
  std::string at;            // UTC
};

// A step someone else took on an item the caller works on (RecentSteps).
struct RecentStep {
  std::string id;
  std::string title;  // of the version worked on now
  StepEntry step;
};

// A readable line diff of two revisions (Diff): the fields as front-matter
// lines ("title: …", "themes: a, b"), an empty line, then the body.
struct DiffLine {
  char op = ' ';  // ' ' same, '-' only in `from`, '+' only in `to`
  std::string text;
};
struct LineDiff {
  int64_t from = 0;
  int64_t to = 0;
  std::vector<DiffLine> lines;
  int added = 0;
  int removed = 0;
};

// An internal link in the body that readers of the item would find broken.
struct LinkProblem {
  std::string target;  // the item id linked to
  std::string reason;  // Dutch: "bestaat niet", "niet leesbaar voor alle lezers van dit stuk"
};

// The plain-language (B1) indicator: the share of long sentences (more than
// `kLongSentenceWords` words) and long words (more than `kLongWordLetters`
// letters), as the government's B1 guidance asks.
struct Readability {
  static constexpr int kLongSentenceWords = 20;
  static constexpr int kLongWordLetters = 12;
  int sentences = 0;
  int long_sentences = 0;
  int words = 0;
  int long_words = 0;
  double long_sentence_share = 0;  // 0..1
  double long_word_share = 0;      // 0..1
  // Dutch advice, e.g. "3 van 10 zinnen zijn lang (meer dan 20 woorden)".
  std::vector<std::string> advice;
};

struct FieldProblem {
  std::string field;
  // Dutch, worded for the editor's form: it starts with the field's label
  // ("Partnergroepen: kies minstens één partnergroep"), see EditorFields.
  std::string message;
};

// An item's fields as the editor's form names them, in the form's order:
// a Preview's problems are worded with these labels and listed in this
// order, whichever check found them first (the API and content files keep
// the validation's own wording, by front-matter key).
const std::vector<std::pair<std::string, std::string>>& EditorFields();

// POST /api/preview: the body rendered exactly as the published page renders
// it, plus editor aids.
struct Preview {
  std::string html;
  std::vector<FieldProblem> problems;  // what Save would refuse; empty = valid
  std::vector<LinkProblem> links;
  // What the text holds that readers will not see (render::FindNotShown),
  // each said in Dutch with what to do instead.
  std::vector<std::string> not_shown;
  Readability readability;
};

// One line of an editor's or the redactie's list.
struct ListEntry {
  std::string id;
  std::string title;
  std::string type;
  std::string werkplaats;
  std::string access;  // of the version worked on: who may read it once live
  std::vector<std::string> groups;
  EditorialInfo editorial;
  int64_t revision = 0;
  bool live = false;  // a live version exists beside it
};

// The redactie's dashboard (GET /api/redactie/dashboard), composed here
// only.
struct Dashboard {
  std::vector<ListEntry> review_queue;        // in_review, oldest first
  std::vector<ListEntry> scheduled;           // scheduled, soonest first
  std::vector<ListEntry> overdue;             // review_by passed, oldest date first
  std::vector<ListEntry> recently_published;  // published in the last 30 days, newest first
  // The searches of the last 30 days that found nothing, most asked first:
  // query and count only, never who asked (EditorialOptions::search_log).
  std::vector<searchlog::ZeroResult> zero_results;
};

// Who has the redactie's powers (approve, send back, remove a live
// attachment at once): the redactie and admins.
bool IsRedactie(const Principal& who);

class EditorialService {
 public:
  // Opens the stores in `options.data_dir` and, with a scheduler, publishes
  // what is due and starts the scheduler thread. `kb` (not owned) serves the
  // vocabulary and the readability of linked items.
  // Errors: kStorageError.
  static StatusOr<std::unique_ptr<EditorialService>> Open(const EditorialOptions& options,
                                                          knowledge::KnowledgeBase* kb);
  ~EditorialService();  // stops the scheduler after its current step
  EditorialService(const EditorialService&) = delete;
  EditorialService& operator=(const EditorialService&) = delete;

  // Every write below is audited under `who` with `address` (the client
  // address; "" for tools): who, what, when and from which state.

  // Creates a new item as a draft (revision 1). Editors only for a
  // werkplaats they edit for; the redactie and admin for any.
  // Errors: kForbidden (naming the werkplaats or role missing),
  // kInvalidContent (Dutch messages per field, as for content files),
  // kDuplicateId (the id exists), kStorageError, kNoSpaceLeft.
  StatusOr<SaveResult> Create(const Principal& who, const std::string& address,
                              const DraftInput& input);
  // Saves a new revision of the working draft, conditional on
  // `base_revision` being the latest. Editing a published item makes a
  // draft beside the live version, which stays live until approved. A save
  // by an editor of an item in review or scheduled sends it back to draft
  // (it needs approval again); the redactie's saves keep the state.
  // Errors: kStaleRevision (someone saved since; nothing written),
  // kDocumentNotFound (also when the caller may not read it), kForbidden,
  // kInvalidContent, kStorageError, kNoSpaceLeft.
  StatusOr<SaveResult> Save(const Principal& who, const std::string& address, const std::string& id,
                            const DraftInput& input, int64_t base_revision);
  // Takes a workflow action (editorial/workflow.h). The state change, the
  // live version it changes and its index job commit in one SQLite
  // transaction; search follows within a second.
  // Errors: kDocumentNotFound, kForbidden (naming what is missing),
  // kInvalidTransition (naming the current state), kInvalidField (comment
  // missing for reject, `at` malformed or not in the future), kStorageError.
  StatusOr<TransitionResult> Transition(const Principal& who, const std::string& address,
                                        const std::string& id, const TransitionRequest& request);
  // The item with its editorial facts, for anyone who may read one of its
  // versions. Errors: kDocumentNotFound (none readable), kStorageError.
  StatusOr<EditorialDocument> Get(const Principal& who, const std::string& id);

  // Revision history, oldest first; for those who may read the draft
  // (editors of the werkplaats, redactie, admin).
  // Errors: kDocumentNotFound, kStorageError.
  StatusOr<std::vector<RevisionEntry>> Revisions(const Principal& who, const std::string& id);
  // Workflow steps, oldest first (kept since store schema 6), for the same
  // callers as Revisions. Errors: kDocumentNotFound, kStorageError.
  StatusOr<std::vector<StepEntry>> Steps(const Principal& who, const std::string& id);
  // One revision exactly as saved. Errors: kDocumentNotFound (also an
  // unknown revision), kStorageError.
  StatusOr<Item> GetRevision(const Principal& who, const std::string& id, int64_t revision);
  // Errors: as GetRevision, for either revision.
  StatusOr<LineDiff> Diff(const Principal& who, const std::string& id, int64_t from, int64_t to);
  // Saves revision `revision` again as a new draft revision (conditional on
  // `base_revision`, as Save). Errors: as Save and GetRevision.
  StatusOr<SaveResult> Restore(const Principal& who, const std::string& address,
                               const std::string& id, int64_t revision, int64_t base_revision);

  // Renders `input` as its published page would, with editor aids. Any
  // editor, the redactie and admin. Errors: kForbidden.
  StatusOr<Preview> MakePreview(const Principal& who, const DraftInput& input);

  // The caller's work: items of the werkplaatsen they edit for (the
  // redactie and admin: every item) that are draft, in_review or scheduled,
  // most recently changed first. Errors: kForbidden (members), kStorageError.
  StatusOr<std::vector<ListEntry>> MyDrafts(const Principal& who);
  // Errors: kForbidden (not redactie or admin), kStorageError.
  StatusOr<Dashboard> GetDashboard(const Principal& who);
  // What others did lately with the caller's work, instead of an e-mail:
  // the steps of the last kRecentStepDays days on items whose work the
  // caller may see (as MyDrafts), taken by someone else, newest first, at
  // most `limit`. Errors: kForbidden (members), kStorageError.
  static constexpr int kRecentStepDays = 14;
  StatusOr<std::vector<RecentStep>> RecentSteps(const Principal& who, size_t limit);

  // Publishes every `scheduled` item whose time has come, as the redactie
  // member who scheduled it. The scheduler calls it; tools may too. An item
  // whose text now links an item not all its readers may read (narrowed
  // since it was scheduled) is not published but goes back to in_review,
  // its comment saying why (audited as publish_scheduled_refused).
  // Success: how many were published. Errors: kStorageError.
  StatusOr<int> PublishDue();

  // `approved(id, revision)` runs after every committed approval (now or
  // scheduled) with the new live revision, on the approving thread: the
  // attachments module purges what the approval made unreachable
  // (attachments.h), without this module knowing attachments. One
  // listener; an empty function removes it, and waits for a call under way.
  void OnApproved(std::function<void(const std::string& id, int64_t revision)> approved);
  // While the lock is held no approval (now or scheduled) commits. The
  // attachments module holds it from reading an item's revision to
  // committing a file change, so the change is never numbered into a
  // revision an approval is making live unseen (attachments.h). Not held
  // while OnApproved's listener runs.
  std::unique_lock<std::mutex> HoldApprovals();

 private:
  struct Impl;
  explicit EditorialService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kpo::editorial

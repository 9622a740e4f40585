// Items in SQLite: the source of truth. Owns: the items, item_drafts,
// item_revisions, index_jobs, vocabulary, glossary and meta tables and their
// numbered migrations (applied at open, never destructive), and this file's
// audit_outbox (store/audit_outbox.h: an editorial step's audit line commits
// with the step).
// An item has a live version (`items`: what search and readers are served)
// and may have a working draft beside it (`item_drafts`); every save of
// either is a revision holding every field and the body, with author and
// time, so a restore is exact. A save names the revision it was based on and
// fails with kStaleRevision when someone saved since.
// Every change to a live item is written in one transaction together with an
// index job ("re-index item X"), so a crash between the commit and the index
// update loses nothing: pending jobs are replayed by the index writer
// (knowledge/index_applier.h).
// May not touch: Xapian, cmark, HTTP.
// Thread-safety: one ItemStore per thread (it owns one SQLite connection).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kpo/content/item.h"
#include "kpo/status.h"
#include "store/audit_outbox.h"
#include "store/sqlite.h"

namespace kpo::store {

struct IndexJob {
  int64_t seq = 0;
  std::string item_id;
};

// What a content file last produced: used for incremental indexing.
struct SourceRecord {
  std::string item_id;
  std::string content_hash;
};

// Which version of an item a save writes.
enum class Version { kLive, kDraft };

// A conditional save (Save).
struct SaveRequest {
  // The revision the change was based on: the item's latest revision (live
  // or draft) as the saver read it; 0 for a new item.
  int64_t base_revision = 0;
  std::string author;  // who saves: an e-mail address, "kpo-index"
  Version version = Version::kDraft;
  // A live save made by the redactie's approval (or the scheduled
  // publication it approved). Only such a save releases the attachments
  // uploaded since (Item::attachments_revision); a live save of the
  // academy or the file importer keeps them pending.
  bool approval = false;
};

// One stored revision (Revisions).
struct RevisionInfo {
  int64_t revision = 0;
  std::string author;      // "" for revisions from before schema 2
  std::string created_at;  // UTC, 2026-01-31T12:00:00Z
  Version version = Version::kLive;
  // False for revisions from before schema 2, which kept only the title,
  // type, summary, access, groups, status and body.
  bool complete = true;
};

// The editorial facts of an item worked on over the API (schema 3): its
// workflow state (editorial/workflow.h) and what goes with it. Items from
// files have none until an editor first acts on them.
struct EditorialRecord {
  std::string item_id;
  std::string state;         // draft | in_review | scheduled | published | archived
  std::string scheduled_at;  // UTC, 2026-11-29T12:00:00Z; "" unless scheduled
  std::string scheduled_by;  // who scheduled it: the publication is theirs
  std::string review_by;     // YYYY-MM-DD or ""
  std::string comment;       // the last transition's comment
  std::string actor;         // who made the last save or transition
  std::string created_by;    // who created the item over the API; "" for file items
  std::string updated_at;    // UTC; set by ApplyEditorial
  std::string published_at;  // UTC of the last publication; "" when never
};

// One workflow step of an item (schema 6), kept for its history: the
// record keeps only the last comment, so a send-back's reason was gone once
// the editor submitted again.
struct WorkflowStep {
  // editorial/workflow.h's action name, or "publish_scheduled" and
  // "publish_scheduled_refused" for the scheduler's steps.
  std::string action;
  std::string from;          // the state before
  std::string to;            // the state after
  std::string actor;         // e-mail; "" when no one took it (a held-back schedule)
  std::string comment;       // as given; "" when none
  std::string scheduled_at;  // UTC, for a schedule; else ""
  int64_t revision = 0;      // the latest revision after it; set by ApplyEditorial
  std::string at;            // UTC; set by ApplyEditorial
};

// One editorial step (ApplyEditorial): all of it commits, or none of it.
struct EditorialChange {
  std::string id;
  // The state the step was decided on ("" = no record yet). When another
  // writer changed it since, nothing is written (kInvalidTransition).
  std::string expected_state;
  // A conditional content save (as Save), when the step writes content.
  std::optional<Item> item;
  SaveRequest save;
  // The live version's new status ("" = unchanged), with an index job.
  std::string live_status;
  // Marks an existing live version as edited over the API, so no file
  // import overwrites it while its draft is worked on.
  bool claim_live = false;
  EditorialRecord record;  // written whole; updated_at is set here
  // A workflow transition keeps a line in the item's steps (Steps); a save
  // is a revision instead.
  std::optional<WorkflowStep> step;
  // The step's audit line, committed with it (store/audit_outbox.h).
  std::optional<OutboxLine> audit;
};

// A record with what lists show of its item (ListEditorial).
struct EditorialRow {
  EditorialRecord record;
  std::string title;
  std::string type;
  std::string werkplaats;
  std::string access;               // who may read it once live
  std::vector<std::string> groups;  // for access "restricted"
  int64_t revision = 0;             // the latest, live or draft
  bool live = false;                // a live version exists
};

// A step with what lists show of its item (StepsSince): of the draft when
// there is one, else of the live version, as ListEditorial.
struct StepRow {
  std::string item_id;
  WorkflowStep step;
  std::string title;
  std::string werkplaats;
  bool live = false;    // a live version exists
  bool exists = false;  // a live version or a draft exists (not removed)
};

// The schema version a store is brought to at open (PRAGMA user_version).
inline constexpr int kSchemaVersion = 6;

class ItemStore {
 public:
  // Opens or creates `path` and brings its schema up to date: the numbered
  // migrations not yet applied run in one transaction (concurrent openers
  // wait for it). An existing database is first copied to
  // `path.schema-<old version>.bak` (SQLite's VACUUM INTO).
  // Errors: kStorageError, kNoSpaceLeft.
  static StatusOr<std::unique_ptr<ItemStore>> Open(const std::string& path);
  // Opens an existing store for reading only (the server). Errors: kStorageError.
  static StatusOr<std::unique_ptr<ItemStore>> OpenReadOnly(const std::string& path);

  // The file importer's write: inserts or replaces the live `item`
  // unconditionally (source "file", author "kpo-index"), stores it as a new
  // revision and queues an index job, all in one transaction.
  Status Upsert(const Item& item);
  // Upsert of every item in `items` in one transaction (issue 13: kpo-index
  // writes a large import in batches, not a commit per file): all of them,
  // each with its revision and index job, or none.
  Status UpsertAll(const std::vector<const Item*>& items);
  // A conditional save: when `request.base_revision` is the item's latest
  // revision, stores `item` as the next revision, as the live version (with
  // an index job, in the same transaction) or as the working draft beside the
  // live one. Sets the item's source to `item.source`. Returns the new
  // revision. Errors: kStaleRevision (someone saved since; nothing written,
  // the message names both revisions), kStorageError, kNoSpaceLeft.
  StatusOr<int64_t> Save(const Item& item, const SaveRequest& request);
  // Removes the live item and its draft (its revisions stay) and queues an
  // index job.
  Status Remove(const std::string& id);
  // The live item, or nullopt when there is none.
  StatusOr<std::optional<Item>> Get(const std::string& id);
  // The working draft, or nullopt when there is none.
  StatusOr<std::optional<Item>> GetDraft(const std::string& id);
  // The item's latest revision, live or draft; 0 when it never existed.
  StatusOr<int64_t> LatestRevision(const std::string& id);
  // Every revision of the item, oldest first.
  StatusOr<std::vector<RevisionInfo>> Revisions(const std::string& id);
  // The item exactly as it was saved in `revision` (all fields, body), or
  // nullopt when there is no such revision. Revisions from before schema 2
  // hold only some fields (RevisionInfo::complete); the rest stay empty.
  StatusOr<std::optional<Item>> GetRevision(const std::string& id, int64_t revision);
  // --- editorial (schema 3) -------------------------------------------------
  // The item's record, or nullopt when none was written.
  StatusOr<std::optional<EditorialRecord>> GetEditorial(const std::string& id);
  // Applies `change` in one transaction: the state check, the content save,
  // the live status and its index job, the record, the step. Returns the item's latest
  // revision after it. Errors: kInvalidTransition (the state is no longer
  // `expected_state`; the message names the current one), kStaleRevision
  // (as Save), kStorageError, kNoSpaceLeft.
  StatusOr<int64_t> ApplyEditorial(const EditorialChange& change);
  // The item's workflow steps (schema 6 on; steps taken before are not
  // known), oldest first.
  StatusOr<std::vector<WorkflowStep>> Steps(const std::string& id);
  // Steps of every item taken at or after `since` (UTC), newest first, at
  // most `limit`, each with what a list shows of its item (StepRow).
  StatusOr<std::vector<StepRow>> StepsSince(const std::string& since, size_t limit);
  // Records in one of `states`, with their item's title, type and werkplaats
  // (of the draft when there is one, else of the live version); most
  // recently updated first.
  StatusOr<std::vector<EditorialRow>> ListEditorial(const std::vector<std::string>& states);

  // source_path -> record, for every item whose source is "file".
  StatusOr<std::map<std::string, SourceRecord>> Sources();
  StatusOr<int64_t> Count();
  // A number that grows with every Upsert, Remove and QueueAll (the last
  // index job's sequence number; jobs are never renumbered), so caches can
  // tell that an item changed before the index follows.
  StatusOr<int64_t> ChangeCount();

  // Queues a re-index of every item (after an index schema change).
  Status QueueAll();
  // Issue 10: queues a re-index of item `id` (its attachments changed).
  Status QueueIndex(const std::string& id);
  StatusOr<std::vector<IndexJob>> PendingJobs();
  // How many index jobs wait (readiness).
  StatusOr<int64_t> PendingJobCount();
  // Deletes jobs with seq <= `up_to` (they are in the index now).
  Status CompleteJobs(int64_t up_to);

  // Small key/value settings: "index_generation", "index_schema".
  StatusOr<std::string> GetMeta(const std::string& key);
  Status SetMeta(const std::string& key, const std::string& value);

  // The raw YAML of the vocabulary and the glossary, stored by the indexer
  // so the server needs no content directory.
  Status SetDocument(const std::string& name, const std::string& text);
  StatusOr<std::string> GetDocument(const std::string& name);

  Db* db() { return db_.get(); }

 private:
  explicit ItemStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}
  Status Migrate(const std::string& path);
  // Writes revision `revision` of `item` and the version it belongs to;
  // inside the caller's transaction.
  Status Write(const Item& item, int64_t revision, const std::string& author, Version version,
               bool approval);
  // Save's work, inside the caller's transaction.
  StatusOr<int64_t> SaveInTransaction(const Item& item, const SaveRequest& request);
  std::unique_ptr<Db> db_;
  // Get's and ChangeCount's statements, prepared once: every search reads
  // the change count and ten items. Declared after db_, so they are
  // finalised before the connection closes.
  std::optional<Stmt> get_;
  std::optional<Stmt> change_count_;
};

}  // namespace kpo::store

// Items in SQLite: the source of truth. Owns: the items, item_revisions,
// index_jobs, vocabulary, glossary and meta tables and their migrations.
// Every change to an item is written in one transaction together with an
// index job ("re-index item X"), so a crash between the commit and the index
// update loses nothing: pending jobs are replayed by the next indexer run.
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

class ItemStore {
 public:
  // Opens or creates `path` and brings its schema up to date.
  // Errors: kStorageError, kNoSpaceLeft.
  static StatusOr<std::unique_ptr<ItemStore>> Open(const std::string& path);
  // Opens an existing store for reading only (the server). Errors: kStorageError.
  static StatusOr<std::unique_ptr<ItemStore>> OpenReadOnly(const std::string& path);

  // Inserts or replaces `item`, bumps its revision, keeps the previous
  // version as a revision and queues an index job, all in one transaction.
  Status Upsert(const Item& item);
  // Removes the item (its revisions stay) and queues an index job.
  Status Remove(const std::string& id);
  // The item, or nullopt when there is none.
  StatusOr<std::optional<Item>> Get(const std::string& id);
  // source_path -> record, for every stored item.
  StatusOr<std::map<std::string, SourceRecord>> Sources();
  StatusOr<int64_t> Count();
  // A number that grows with every Upsert, Remove and QueueAll (the last
  // index job's sequence number; jobs are never renumbered), so caches can
  // tell that an item changed before the index follows.
  StatusOr<int64_t> ChangeCount();

  // Queues a re-index of every item (after an index schema change).
  Status QueueAll();
  StatusOr<std::vector<IndexJob>> PendingJobs();
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
  Status Migrate();
  std::unique_ptr<Db> db_;
  // Get's and ChangeCount's statements, prepared once: every search reads
  // the change count and ten items. Declared after db_, so they are
  // finalised before the connection closes.
  std::optional<Stmt> get_;
  std::optional<Stmt> change_count_;
};

}  // namespace kpo::store

// The single index writer. Owns: the writer lock (`<data>/index.lock`),
// applying committed index jobs from the store to the index in order (each
// item with its attachments' text, knowledge/attachment_texts.h, whichever
// process writes),
// verifying the index against SQLite when it is opened (its files, layout,
// identity and document count) and rebuilding it from SQLite when they
// disagree. Whoever holds an IndexApplier is the only writer: the running
// kpo-server (IndexApplierThread), else kpo-index. Xapian's own lock would
// refuse a second writer too, but only after it started; this lock decides
// up front who writes, so the two never fight.
// May not touch: HTTP, content files.
// Thread-safety: an IndexApplier belongs to one thread at a time;
// IndexApplierThread's methods may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kpo/status.h"

namespace kpo::search {
class IndexWriter;
class Lexicon;
enum class StemmerKind;
}  // namespace kpo::search
namespace kpo::store {
class ItemStore;
}

namespace kpo::knowledge {

class AttachmentTexts;

struct ApplierOptions {
  std::string data_dir;  // holds kpo.sqlite, index/ and index.lock
  // Dutch word list for compound splitting. Default: /usr/share/dict/dutch.
  std::string lexicon_path = "/usr/share/dict/dutch";
  // Default: nullopt, meaning search's default (StemmerKind::kKpo).
  std::optional<search::StemmerKind> stemmer;
  // Rebuild from SQLite even when every check passes. Default: false.
  bool rebuild = false;
  // Jobs applied (and committed) per Apply; 0 = all. Default: 0. The server
  // uses a batch, so it serves (not ready) while a rebuild runs.
  size_t batch = 0;
};

struct ApplyReport {
  size_t applied = 0;   // items re-indexed
  std::string rebuilt;  // why the index was rebuilt in this call; "" when it was not
  bool more = false;    // jobs are left (ApplierOptions::batch)
};

class IndexApplier {
 public:
  // Takes the writer lock without waiting and opens the store.
  // Errors: kServiceUnavailable (another writer holds the lock), kStorageError,
  // kIndexError, kInternal (word list).
  static StatusOr<std::unique_ptr<IndexApplier>> Open(const ApplierOptions& options);
  ~IndexApplier();  // releases the lock

  // The first call verifies the index: it is rebuilt from SQLite when it is
  // missing or damaged (Xapian's check of every database), belongs to
  // another store (UUID), has another layout or glossary, or counts other
  // documents than the store holds items. A rebuild is also done when
  // requested (ApplierOptions::rebuild, or RequestRebuild by another
  // process). Every call then applies the pending jobs in order, commits, and
  // only then deletes them, so a crash in between replays them.
  // Errors: kIndexError, kStorageError, kNoSpaceLeft.
  StatusOr<ApplyReport> Apply();

  // Asks the writer, whoever it is, to rebuild on its next Apply (a flag in
  // the store). Errors: kStorageError.
  static Status RequestRebuild(store::ItemStore* store);
  // Whether a requested rebuild has not been done yet. Errors: kStorageError.
  static StatusOr<bool> RebuildRequested(store::ItemStore* store);

 private:
  explicit IndexApplier(ApplierOptions options);
  Status OpenWriter(bool wipe);
  // Why the index must be rebuilt before use; "" when it need not.
  StatusOr<std::string> Verify();
  // A rebuild built aside (`index.next`) and swapped in with one atomic
  // rename (RENAME_EXCHANGE); the writer is then reopened on the new index.
  std::string AsideDir() const;
  StatusOr<std::unique_ptr<search::IndexWriter>> OpenAside(
      const std::vector<std::vector<std::string>>& phrases);
  Status SwapAside(std::unique_ptr<search::IndexWriter> aside);

  ApplierOptions options_;
  std::string index_dir_;
  int lock_fd_ = -1;
  bool verified_ = false;
  std::unique_ptr<store::ItemStore> store_;
  std::unique_ptr<AttachmentTexts> texts_;  // issue 10: indexed with their item
  std::unique_ptr<search::IndexWriter> writer_;
  std::shared_ptr<const search::Lexicon> lexicon_;
};

// kpo-server's writer: one thread that becomes the writer (waiting while
// kpo-index holds the lock) and applies committed jobs within `interval`.
class IndexApplierThread {
 public:
  IndexApplierThread(ApplierOptions options, std::chrono::milliseconds interval);
  ~IndexApplierThread();  // stops the thread after its current step

  // Blocks until the first attempt to become the writer (and the index's
  // verification, with a rebuild started if needed) has ended.
  void WaitForFirstAttempt();
  // Applies now instead of at the next interval.
  void Wake();
  // "" while all is well; else a Dutch reason (not the writer yet, or the
  // last apply failed), for readiness.
  std::string Problem();

 private:
  void Run();
  ApplierOptions options_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;        // GUARDED_BY(mu_)
  bool wake_ = false;        // GUARDED_BY(mu_)
  bool first_done_ = false;  // GUARDED_BY(mu_)
  std::string problem_;      // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace kpo::knowledge

// The knowledge base as the API sees it: search, documents, related items,
// autocomplete and health, always on behalf of a Principal. Owns: combining
// the store (source of truth), the index and the renderer, and re-checking
// access on every item it returns. May not touch: HTTP, SQL, Xapian details.
// Thread-safety: all methods may be called from any thread at once; each
// thread gets its own SQLite connection and Xapian handles.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "content/glossary.h"
#include "content/vocabulary.h"
#include "kpo/access/principal.h"
#include "kpo/content/item.h"
#include "kpo/status.h"

// Declared only: search/ is a private dependency of knowledge/, so the HTTP
// layer never sees a Xapian header (docs/architecture.md, "Layering").
namespace kpo::search {
class Lexicon;
class MatchSets;
enum class StemmerKind;
}  // namespace kpo::search

namespace kpo::knowledge {

struct Options {
  std::string data_dir;  // holds kpo.sqlite and index/
  // Dutch word list for compound splitting. Default: /usr/share/dict/dutch.
  std::string lexicon_path = "/usr/share/dict/dutch";
  // Default: nullopt, meaning search's default (StemmerKind::kKpo).
  std::optional<search::StemmerKind> stemmer;
  // Counted match sets, shared by every thread (default: a fresh one of
  // `match_set_bytes`).
  std::shared_ptr<search::MatchSets> match_sets;
  // Bytes of term and phrase sets kept by a fresh `match_sets`, and as much
  // again for weights (search/match_sets.h). Default: 64 MiB.
  size_t match_set_bytes = size_t{64} << 20;
  // Bytes of search pages kept for repeated searches (knowledge/page_cache.h);
  // 0 = none. Default: 32 MiB.
  size_t page_cache_bytes = size_t{32} << 20;
  // Recent distinct queries searched again in the background when the index
  // moves to a new revision (knowledge/warm_up.h); 0 = none.
  size_t warm_up_queries = 256;
  // Be the index's single writer (knowledge/index_applier.h): a thread that
  // verifies the index at start (rebuilding it from SQLite when needed) and
  // applies committed index jobs in order. Default: false (tests and tools
  // that index themselves); kpo-server sets it.
  bool index_writer = false;
  // How often the writer looks for new jobs. Default: 200 ms, so a change
  // committed to SQLite is searchable within a second.
  int index_interval_ms = 200;
  // Readiness fails while more index jobs than this wait. Default: 100.
  int64_t ready_backlog = 100;
  // Issue 10, search log: called after every successful first-page search
  // with a query and no filter or date (what a professional typed, not each
  // facet click or page turn), with whether it found nothing for this
  // caller. Never told who asked. Must be thread-safe and fast (it runs on
  // the request's thread). Default: empty, nothing is logged.
  std::function<void(const std::string& q, bool found_nothing)> on_search;
};

// Raw search parameters, as received; validated by Search.
struct SearchParams {
  std::string q;
  std::map<std::string, std::string> filters;  // facet -> comma-separated values
  std::string from, to, page, size, sort;
  std::string spelling;  // "" or "on": a misspelt query is corrected; "off": only suggested
};

struct SearchHit {
  Item item;  // body fields cleared
  std::string snippet;
  bool partial = false;    // matches some words of the query, not all (search/searcher.h)
  std::string attachment;  // issue 10: the attachment that holds the query, "" when none
};

struct SearchPage {
  std::string query;
  uint64_t total = 0;
  int page = 1;
  int size = 10;
  std::string sort;
  std::vector<SearchHit> hits;
  std::map<std::string, std::map<std::string, uint64_t>> facets;
  std::string suggestion;
  bool corrected = false;
  bool relaxed = false;
  std::vector<std::string> also_searched;  // close words searched too (search::SearchResult)
  // Names this exact page when pages are kept (page_cache_bytes > 0): two
  // pages with the same key are equal, so their rendering may be reused
  // (http/api.cc). Empty otherwise. Never sent to clients: it holds the
  // caller's access keys.
  std::string cache_key;
};

struct Document {
  Item item;
  std::string html;  // rendered body, safe to embed
};

struct Suggestions {
  std::vector<std::string> completions;
  std::vector<Item> titles;  // body fields cleared
};

struct Health {
  uint64_t visible_items = 0;  // items the caller may read
  std::string index_generation;
};

// GET /api/ready: may this server take traffic?
struct Readiness {
  int64_t pending_index_jobs = 0;
  std::string index_generation;
};

// Who may read an item: the answer of GET /api/documents/{id}/access.
struct AccessReport {
  std::string access;  // public | members | restricted
  std::string status;
  std::vector<std::string> roles;         // roles that read it whatever their groups
  std::vector<std::string> groups;        // partner groups whose members read it
  std::vector<std::string> werkplaatsen;  // editors of these werkplaatsen read it
};

// Issue 13, memory: what one cache holds now, as its bound counts it.
struct CacheUse {
  std::string name;  // as GET /metrics labels it: match_sets, weights, ...
  size_t bytes = 0;
  size_t bound = 0;
};

class IndexApplierThread;
class AttachmentTexts;
class PageCache;
class WarmUp;

class KnowledgeBase {
 public:
  // Checks that the data directory holds a store and an index.
  // Errors: kStorageError, kIndexError (run kpo-index first), kInternal (word list).
  static StatusOr<std::unique_ptr<KnowledgeBase>> Open(const Options& options);
  ~KnowledgeBase();

  // Errors: kInvalidSearch{Q,Page,Size,Sort,Filter,Date} with a Dutch message
  // naming the parameter; kIndexError, kStorageError.
  StatusOr<SearchPage> Search(const Principal& who, const SearchParams& params);
  // Errors: kInvalidDocumentId, kDocumentNotFound (also when not readable).
  StatusOr<Document> GetDocument(const Principal& who, const std::string& id);
  // The HTML of `markdown` as `who` reads it: a link or image addressing an
  // item `who` may not read, or one that does not exist (the two must look
  // alike), is written as its text, so no reader is shown a closed item's
  // address, whatever a text was approved or imported with and whatever
  // changed since. GetDocument renders with it. Errors: kStorageError.
  StatusOr<std::string> ReaderHtml(const Principal& who, const std::string& markdown);
  StatusOr<std::vector<Item>> Related(const Principal& who, const std::string& id);
  StatusOr<Suggestions> Suggest(const Principal& who, const std::string& q);
  StatusOr<Health> GetHealth(const Principal& who);
  // OK when the database and the index are open, the index writer (if this
  // knowledge base is one) works, and at most Options::ready_backlog index
  // jobs wait. Errors: kServiceUnavailable with a Dutch reason (index behind,
  // being rebuilt, writer waiting for the lock), kStorageError, kIndexError.
  StatusOr<Readiness> GetReadiness();
  // Blocks until no index job waits or `timeout` passed; true when none
  // waits. For tests and tools.
  bool WaitForIndex(std::chrono::milliseconds timeout);
  // Errors: kForbidden (not redactie or admin), kDocumentNotFound.
  StatusOr<AccessReport> DocumentAccess(const Principal& who, const std::string& id);
  // The controlled vocabulary currently served.
  std::shared_ptr<const content::Vocabulary> vocabulary();
  // Blocks until warming a new index revision (if any) has finished; for
  // tests and benchmarks. Warming starts when a request first sees the
  // revision.
  void WaitForWarmUp();
  // The caches shared by every thread: match sets, weights, spelling
  // suggestions and search pages (the analyzers' per-thread memos are
  // bounded by a constant each, search/analyzer.h).
  std::vector<CacheUse> Caches();

 private:
  struct Shared;
  struct ThreadState;
  explicit KnowledgeBase(Options options);
  StatusOr<ThreadState*> State();
  // Item `id` when it exists and `who` may read it; nullopt otherwise.
  StatusOr<std::optional<Item>> Readable(ThreadState* state, const Principal& who,
                                         const std::string& id);

  Options options_;
  uint64_t instance_ = 0;
  std::shared_ptr<const search::Lexicon> lexicon_;
  // One for all threads: sets counted by one thread serve the others.
  std::shared_ptr<search::MatchSets> match_sets_;
  std::shared_ptr<PageCache> pages_;
  std::unique_ptr<WarmUp> warm_up_;
  std::mutex shared_mu_;
  std::shared_ptr<const Shared> shared_;  // GUARDED_BY(shared_mu_)
  // Declared last: destroyed first, so no job is applied while the rest goes.
  std::unique_ptr<IndexApplierThread> writer_;
  // Issue 10: names the attachment that holds a hit's query (the index
  // writer indexes their text itself).
  std::unique_ptr<AttachmentTexts> attachment_texts_;
};

}  // namespace kpo::knowledge

// Implements indexer.h.
#include "indexer/indexer.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "academy/academy.h"
#include "access/password.h"
#include "common/file.h"
#include "content/glossary.h"
#include "content/item_file.h"
#include "content/vocabulary.h"
#include "knowledge/index_applier.h"
#include "render/markdown.h"
#include "search/glossary_terms.h"
#include "store/item_store.h"

namespace kpo::indexer {

namespace fs = std::filesystem;

namespace {

// The revision of item `id` when it is edited over the API (its live
// version, or a draft, which only the API writes), else 0.
StatusOr<int64_t> ApiRevision(store::ItemStore* store, const std::string& id) {
  auto stored = store->Get(id);
  if (!stored.ok()) return stored.status();
  auto draft = store->GetDraft(id);
  if (!draft.ok()) return draft.status();
  if (draft->has_value()) return store->LatestRevision(id);
  if (!stored->has_value() || (*stored)->source == "file") return int64_t{0};
  return (*stored)->revision;
}

}  // namespace

StatusOr<Summary> Run(const Options& options) {
  auto started = std::chrono::steady_clock::now();
  KPO_RETURN_IF_ERROR(access::InitCrypto());
  Summary summary;
  const fs::path content(options.content_dir);
  std::error_code ec;
  if (!fs::is_directory(content, ec)) {
    return Status::Error(ErrorCode::kInvalidContent,
                         options.content_dir + ": map met content bestaat niet");
  }
  auto vocabulary = content::Vocabulary::Load((content / "vocabulary.yaml").string());
  if (!vocabulary.ok()) return vocabulary.status();
  // Loaded above, so readable: the text is stored for the server.
  auto vocabulary_text = ReadWholeFile((content / "vocabulary.yaml").string());
  if (!vocabulary_text.ok()) return vocabulary_text.status();

  fs::create_directories(options.data_dir, ec);
  if (ec) {
    return Status::Error(ErrorCode::kStorageError,
                         options.data_dir + ": datamap kan niet worden aangemaakt", ec.message());
  }
  auto store_or = store::ItemStore::Open((fs::path(options.data_dir) / "kpo.sqlite").string());
  if (!store_or.ok()) return store_or.status();
  auto& store = *store_or;

  auto old_vocabulary = store->GetDocument("vocabulary");
  if (!old_vocabulary.ok()) return old_vocabulary.status();
  const bool vocabulary_changed = *old_vocabulary != *vocabulary_text;
  KPO_RETURN_IF_ERROR(store->SetDocument("vocabulary", *vocabulary_text));
  if (auto glossary_text = ReadWholeFile((content / "glossary.yaml").string());
      glossary_text.ok()) {
    auto glossary = search::ParseGlossary(*glossary_text);
    if (glossary.ok()) {
      KPO_RETURN_IF_ERROR(store->SetDocument("glossary", *glossary_text));
    } else {
      summary.errors.push_back("glossary.yaml:1: " + glossary.status().message());
    }
  }

  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(content, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".md") files.push_back(it->path());
  }
  if (ec) {
    return Status::Error(ErrorCode::kInvalidContent, options.content_dir + ": map niet leesbaar",
                         ec.message());
  }
  std::sort(files.begin(), files.end());
  summary.files = files.size();

  auto sources = store->Sources();
  if (!sources.ok()) return sources.status();
  std::map<std::string, std::string> id_owner;  // id -> path that produced it this run
  std::set<std::string> present_paths;
  std::vector<Item> to_store;
  size_t done = 0;
  for (const auto& file : files) {
    const std::string rel = fs::relative(file, content).generic_string();
    present_paths.insert(rel);
    auto read = ReadWholeFile(file.string());
    if (!read.ok()) {
      summary.errors.push_back(rel + ":1: bestand niet leesbaar");
    } else {
      const std::string& bytes = *read;
      const std::string hash = access::TokenHash(bytes);
      auto known = sources->find(rel);
      if (!vocabulary_changed && known != sources->end() && known->second.content_hash == hash) {
        id_owner.emplace(known->second.item_id, rel);
        ++summary.unchanged;
      } else {
        auto parsed = content::ParseItemFile(rel, bytes, *vocabulary);
        for (const auto& e : parsed.errors) {
          summary.errors.push_back(rel + ":" + std::to_string(e.line) + ": " + e.message);
        }
        if (parsed.item) {
          auto [owner, fresh] = id_owner.emplace(parsed.item->id, rel);
          if (!fresh) {
            summary.errors.push_back(rel + ":1: id '" + parsed.item->id + "' komt ook voor in " +
                                     owner->second);
          } else if (auto api = ApiRevision(store.get(), parsed.item->id); !api.ok()) {
            return api.status();
          } else if (*api > 0) {
            // Edited over the API since: that revision is newer than any
            // file, so the file neither overwrites nor (below) removes it.
            summary.skipped.push_back(rel + ": item '" + parsed.item->id +
                                      "' is via de API bewerkt (revisie " + std::to_string(*api) +
                                      ") en wordt niet door dit bestand overschreven");
          } else {
            parsed.item->content_hash = hash;
            parsed.item->body_text = render::MarkdownToText(parsed.item->body_markdown);
            (known == sources->end() ? summary.added : summary.changed)++;
            to_store.push_back(std::move(*parsed.item));
          }
        }
      }
    }
    if (options.progress) options.progress(++done, files.size(), rel);
  }
  // An unchanged file keeps its id even when a changed file claims it.
  // Stored kBatch items to a transaction (a commit per file made a 100k
  // import slow, issue 13); each item with its index job, so a kill leaves
  // whole batches, and the next run imports the rest (their hashes are not
  // stored yet). Course data goes to its own database after its batch.
  constexpr size_t kBatch = 500;
  std::vector<const Item*> batch;
  auto flush = [&]() -> Status {
    KPO_RETURN_IF_ERROR(store->UpsertAll(batch));
    for (const Item* item : batch) {
      KPO_RETURN_IF_ERROR(academy::ImportCourseFile(options.data_dir, *item));
    }
    batch.clear();
    return Status::Ok();
  };
  for (const auto& item : to_store) {
    auto owner = id_owner.find(item.id);
    if (owner->second != item.source_path) continue;
    batch.push_back(&item);
    if (batch.size() == kBatch) KPO_RETURN_IF_ERROR(flush());
  }
  if (!batch.empty()) KPO_RETURN_IF_ERROR(flush());
  // Items whose file is gone (and whose id no file produces) are removed.
  // Items of files that exist but failed to parse stay as they were. Items
  // edited over the API are not in `sources`: no file removes them.
  for (const auto& [path, record] : *sources) {
    if (present_paths.count(path) == 0 && id_owner.count(record.item_id) == 0) {
      KPO_RETURN_IF_ERROR(store->Remove(record.item_id));
      ++summary.removed;
    }
  }
  // The index: applied here only when no server runs. A running server is
  // the single writer and applies the jobs just committed within a second.
  knowledge::ApplierOptions writer;
  writer.data_dir = options.data_dir;
  writer.lexicon_path = options.lexicon_path;
  writer.stemmer = options.stemmer;
  writer.rebuild = options.rebuild;
  auto applier = knowledge::IndexApplier::Open(writer);
  if (!applier.ok() && applier.status().Is(ErrorCode::kServiceUnavailable)) {
    if (options.rebuild) KPO_RETURN_IF_ERROR(knowledge::IndexApplier::RequestRebuild(store.get()));
    auto pending = store->PendingJobCount();
    if (!pending.ok()) return pending.status();
    summary.left_to_server = *pending;
    summary.rebuild_left_to_server = options.rebuild;
  } else {
    if (!applier.ok()) return applier.status();
    auto applied = (*applier)->Apply();
    if (!applied.ok()) return applied.status();
    summary.indexed = applied->applied;
    summary.rebuilt = applied->rebuilt;
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace kpo::indexer

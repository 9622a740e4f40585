// Implements indexer.h.
#include "indexer/indexer.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "academy/academy.h"
#include "common/file.h"
#include "content/glossary.h"
#include "content/item_file.h"
#include "content/vocabulary.h"
#include "render/markdown.h"
#include "search/index_writer.h"
#include "search/schema.h"
#include "store/item_store.h"

namespace kpo::indexer {

namespace fs = std::filesystem;

namespace {

std::string Hash(const std::string& bytes) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

Status ApplyJobs(store::ItemStore* store, const Options& options, size_t* applied) {
  std::shared_ptr<const search::Lexicon> lexicon;
  if (!options.lexicon_path.empty()) {
    auto loaded = search::Lexicon::Load(options.lexicon_path);
    if (!loaded.ok()) return loaded.status();
    lexicon = *loaded;
  }
  const std::string index_dir = (fs::path(options.data_dir) / "index").string();
  auto writer = search::IndexWriter::Open(index_dir, lexicon, options.stemmer);
  if (!writer.ok()) return writer.status();
  // The glossary the server expands queries with (stored by Run): its
  // phrases are indexed as terms, so that counting them reads no positions.
  std::vector<content::Glossary::Term> phrases;
  auto glossary_text = store->GetDocument("glossary");
  if (!glossary_text.ok()) return glossary_text.status();
  if (auto glossary = content::Glossary::Parse(*glossary_text); glossary.ok()) {
    phrases = glossary->Phrases();
  }
  (*writer)->IndexPhrases(phrases);
  std::string phrase_list;
  for (const auto& p : phrases) phrase_list.append(search::schema::PhraseValue(p)).push_back('\n');
  // The layout, the analysis or the glossary's phrases changed (or the index
  // is new): rebuild from SQLite.
  auto version = store->GetMeta("index_schema");
  if (!version.ok()) return version.status();
  const std::string wanted = std::string(search::schema::kVersion) + "/" +
                             std::to_string(static_cast<int>(options.stemmer)) + "/" +
                             Hash(phrase_list).substr(0, 16);
  if (*version != wanted) {
    KPO_RETURN_IF_ERROR((*writer)->Clear());
    KPO_RETURN_IF_ERROR(store->QueueAll());
  }
  auto jobs = store->PendingJobs();
  if (!jobs.ok()) return jobs.status();
  std::set<std::string> done;
  int64_t last = 0;
  for (const auto& job : *jobs) {
    last = job.seq;
    if (!done.insert(job.item_id).second) continue;  // several jobs, one re-index
    auto item = store->Get(job.item_id);
    if (!item.ok()) return item.status();
    if (item->has_value()) {
      KPO_RETURN_IF_ERROR((*writer)->Put(**item));
    } else {
      KPO_RETURN_IF_ERROR((*writer)->Remove(job.item_id));
    }
  }
  KPO_RETURN_IF_ERROR((*writer)->Commit());
  // Only after the index commit are the jobs done: a crash before this line
  // replays them next run.
  if (last > 0) KPO_RETURN_IF_ERROR(store->CompleteJobs(last));
  KPO_RETURN_IF_ERROR(store->SetMeta("index_schema", wanted));
  *applied = done.size();
  return Status::Ok();
}

}  // namespace

StatusOr<Summary> Run(const Options& options) {
  auto started = std::chrono::steady_clock::now();
  if (sodium_init() < 0) return Status::Internal("libsodium init failed");
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
    auto glossary = content::Glossary::Parse(*glossary_text);
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
      const std::string hash = Hash(bytes);
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
  for (const auto& item : to_store) {
    auto owner = id_owner.find(item.id);
    if (owner->second != item.source_path) continue;
    KPO_RETURN_IF_ERROR(store->Upsert(item));
    KPO_RETURN_IF_ERROR(academy::ImportCourseFile(options.data_dir, item));  // course data
  }
  // Items whose file is gone (and whose id no file produces) are removed.
  // Items of files that exist but failed to parse stay as they were.
  for (const auto& [path, record] : *sources) {
    if (present_paths.count(path) == 0 && id_owner.count(record.item_id) == 0) {
      KPO_RETURN_IF_ERROR(store->Remove(record.item_id));
      ++summary.removed;
    }
  }
  KPO_RETURN_IF_ERROR(ApplyJobs(store.get(), options, &summary.indexed));
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace kpo::indexer

// Implements index_applier.h.
#include "knowledge/index_applier.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <vector>

#include "access/password.h"
#include "common/log.h"
#include "knowledge/attachment_texts.h"
#include "search/analyzer.h"
#include "search/glossary_terms.h"
#include "search/index_check.h"
#include "search/index_writer.h"
#include "search/schema.h"
#include "store/item_store.h"

namespace kpo::knowledge {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSchemaKey = "index_schema";
constexpr const char* kUuidKey = "index_uuid";
constexpr const char* kRebuildKey = "index_rebuild_requested";

}  // namespace

IndexApplier::IndexApplier(ApplierOptions options)
    : options_(std::move(options)), index_dir_((fs::path(options_.data_dir) / "index").string()) {
  if (!options_.stemmer) options_.stemmer = search::StemmerKind::kKpo;
}

IndexApplier::~IndexApplier() {
  writer_.reset();  // Xapian's lock goes before ours
  if (lock_fd_ >= 0) close(lock_fd_);
}

StatusOr<std::unique_ptr<IndexApplier>> IndexApplier::Open(const ApplierOptions& options) {
  std::unique_ptr<IndexApplier> a(new IndexApplier(options));
  const std::string lock_path = (fs::path(options.data_dir) / "index.lock").string();
  a->lock_fd_ = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (a->lock_fd_ < 0) {
    return Status::Error(
        ErrorCode::kStorageError,
        lock_path + ": schrijfslot kan niet worden geopend: " + std::strerror(errno));
  }
  // flock, not fcntl: it belongs to this open file, so two appliers in one
  // process exclude each other too (tests rely on it).
  if (flock(a->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return Status::Error(ErrorCode::kServiceUnavailable,
                         "Een andere schrijver (kpo-server of kpo-index) werkt de zoekindex bij.",
                         lock_path);
  }
  auto store = store::ItemStore::Open((fs::path(options.data_dir) / "kpo.sqlite").string());
  if (!store.ok()) return store.status();
  a->store_ = std::move(*store);
  auto texts = AttachmentTexts::Open(options.data_dir);
  if (!texts.ok()) return texts.status();
  a->texts_ = std::move(*texts);
  if (!options.lexicon_path.empty()) {
    auto lexicon = search::Lexicon::Load(options.lexicon_path);
    if (!lexicon.ok()) return lexicon.status();
    a->lexicon_ = *lexicon;
  }
  return a;
}

Status IndexApplier::RequestRebuild(store::ItemStore* store) {
  return store->SetMeta(kRebuildKey, "1");
}

StatusOr<bool> IndexApplier::RebuildRequested(store::ItemStore* store) {
  auto flag = store->GetMeta(kRebuildKey);
  if (!flag.ok()) return flag.status();
  return *flag == "1";
}

Status IndexApplier::OpenWriter(bool wipe) {
  writer_.reset();
  if (wipe) {
    std::error_code ec;
    fs::remove_all(index_dir_, ec);
    if (ec) {
      return Status::Error(ErrorCode::kIndexError,
                           index_dir_ + ": beschadigde zoekindex kan niet worden verwijderd",
                           ec.message());
    }
  }
  auto writer = search::IndexWriter::Open(index_dir_, lexicon_, *options_.stemmer);
  if (!writer.ok()) return writer.status();
  writer_ = std::move(*writer);
  return Status::Ok();
}

StatusOr<std::string> IndexApplier::Verify() {
  auto items = store_->Count();
  if (!items.ok()) return items.status();
  auto uuid = store_->GetMeta(kUuidKey);
  if (!uuid.ok()) return uuid.status();
  if (Status files = search::CheckIndexFiles(index_dir_); !files.ok()) {
    // No index was ever written for this store: it is new, not damaged.
    std::error_code ec;
    if (uuid->empty() && !fs::exists(index_dir_, ec)) return std::string();
    Log(LogLevel::kWarn, "index.damaged",
        {{"reason", files.message()}, {"detail", files.detail()}});
    return files.message();
  }
  auto identity = search::ReadIndexIdentity(index_dir_);
  if (!identity.ok()) return identity.status().message();
  if (!uuid->empty() && *uuid != identity->uuid) {
    return std::string("De zoekindex hoort bij een andere database (andere generatie).");
  }
  auto pending = store_->PendingJobCount();
  if (!pending.ok()) return pending.status();
  // With jobs pending the counts may differ for now; the next Apply's
  // commit brings them together, and a removed index then has no UUID match.
  if (*pending == 0 && static_cast<int64_t>(identity->doc_count) != *items) {
    return "De zoekindex telt " + std::to_string(identity->doc_count) +
           " documenten, de database " + std::to_string(*items) + " items.";
  }
  return std::string();
}

StatusOr<ApplyReport> IndexApplier::Apply() {
  ApplyReport report;
  bool wipe = false;
  if (!verified_) {
    auto reason = Verify();
    if (!reason.ok()) return reason.status();
    report.rebuilt = *reason;
    wipe = !reason->empty();
  }
  if (options_.rebuild && report.rebuilt.empty()) report.rebuilt = "Herbouw gevraagd.";
  auto requested = store_->GetMeta(kRebuildKey);
  if (!requested.ok()) return requested.status();
  if (*requested == "1" && report.rebuilt.empty()) report.rebuilt = "Herbouw gevraagd.";
  if (!writer_ || wipe) KPO_RETURN_IF_ERROR(OpenWriter(wipe));
  verified_ = true;
  options_.rebuild = false;

  // The glossary the server expands queries with: its phrases are indexed
  // as terms, so that counting them reads no positions.
  std::vector<content::Glossary::Term> phrases;
  auto glossary_text = store_->GetDocument("glossary");
  if (!glossary_text.ok()) return glossary_text.status();
  if (auto glossary = search::ParseGlossary(*glossary_text); glossary.ok()) {
    phrases = glossary->Phrases();
  }
  writer_->IndexPhrases(phrases);
  std::string phrase_list;
  for (const auto& p : phrases) phrase_list.append(search::schema::PhraseValue(p)).push_back('\n');
  // The layout, the analysis or the glossary's phrases changed (or the index
  // is new): rebuild from SQLite.
  auto version = store_->GetMeta(kSchemaKey);
  if (!version.ok()) return version.status();
  const std::string wanted = std::string(search::schema::kVersion) + "/" +
                             std::to_string(static_cast<int>(*options_.stemmer)) + "/" +
                             access::TokenHash(phrase_list).substr(0, 16);
  if (*version != wanted && report.rebuilt.empty() && !version->empty()) {
    report.rebuilt = "De indeling van de zoekindex of de woordenlijst is gewijzigd.";
  }
  // A requested rebuild of a sound index of the same layout is built aside
  // and swapped in whole (issue 13, kpo-admin reindex): readers keep the
  // old index, complete, until the new one is. A damaged or re-laid-out
  // index is rebuilt in place: the old one cannot serve anyway.
  const bool aside = !wipe && *version == wanted && !report.rebuilt.empty();
  std::unique_ptr<search::IndexWriter> aside_writer;
  search::IndexWriter* target = writer_.get();
  if (*version != wanted || !report.rebuilt.empty()) {
    if (!report.rebuilt.empty()) {
      Log(LogLevel::kWarn, "index.rebuild", {{"reason", report.rebuilt}, {"aside", aside}});
    }
    if (aside) {
      auto opened = OpenAside(phrases);
      if (!opened.ok()) return opened.status();
      aside_writer = std::move(*opened);
      target = aside_writer.get();
    } else {
      KPO_RETURN_IF_ERROR(writer_->Clear());
    }
    KPO_RETURN_IF_ERROR(store_->QueueAll());
  }
  auto jobs = store_->PendingJobs();
  if (!jobs.ok()) return jobs.status();
  std::set<std::string> done;
  int64_t last = 0;
  size_t taken = 0;
  for (const auto& job : *jobs) {
    if (!aside && options_.batch > 0 && taken++ == options_.batch) {
      report.more = true;
      break;
    }
    last = job.seq;
    if (!done.insert(job.item_id).second) continue;  // several jobs, one re-index
    auto item = store_->Get(job.item_id);
    if (!item.ok()) return item.status();
    if (item->has_value()) {
      // Issue 10: attachments are found with their item.
      const std::string extra = texts_->IndexText(job.item_id, (*item)->attachments_revision);
      if (!extra.empty()) (*item)->body_text += "\n" + extra;
      KPO_RETURN_IF_ERROR(target->Put(**item));
    } else {
      KPO_RETURN_IF_ERROR(target->Remove(job.item_id));
    }
  }
  if (last == 0 && *version == wanted && report.rebuilt.empty()) return report;
  KPO_RETURN_IF_ERROR(target->Commit());
  if (aside) KPO_RETURN_IF_ERROR(SwapAside(std::move(aside_writer)));
  // Only after the index commit are the jobs done: a crash before this line
  // replays them at the next start.
  if (last > 0) KPO_RETURN_IF_ERROR(store_->CompleteJobs(last));
  KPO_RETURN_IF_ERROR(store_->SetMeta(kSchemaKey, wanted));
  if (*requested == "1") KPO_RETURN_IF_ERROR(store_->SetMeta(kRebuildKey, ""));
  auto identity = search::ReadIndexIdentity(index_dir_);
  if (!identity.ok()) return identity.status();
  KPO_RETURN_IF_ERROR(store_->SetMeta(kUuidKey, identity->uuid));
  report.applied = done.size();
  return report;
}

std::string IndexApplier::AsideDir() const { return index_dir_ + ".next"; }

StatusOr<std::unique_ptr<search::IndexWriter>> IndexApplier::OpenAside(
    const std::vector<std::vector<std::string>>& phrases) {
  std::error_code ec;
  fs::remove_all(AsideDir(), ec);  // a rebuild that died half-way
  if (ec) {
    return Status::Error(ErrorCode::kIndexError,
                         AsideDir() + ": oude herbouw kan niet worden verwijderd", ec.message());
  }
  auto writer = search::IndexWriter::Open(AsideDir(), lexicon_, *options_.stemmer);
  if (!writer.ok()) return writer.status();
  (*writer)->IndexPhrases(phrases);
  return std::move(*writer);
}

Status IndexApplier::SwapAside(std::unique_ptr<search::IndexWriter> aside) {
  // Readers reopen by path when the revision moves: the new index must not
  // carry the old one's revision number, or they would keep the old files.
  auto before = search::ReadIndexIdentity(index_dir_);
  auto after = search::ReadIndexIdentity(AsideDir());
  if (!after.ok()) return after.status();
  if (before.ok() && before->revision == after->revision) KPO_RETURN_IF_ERROR(aside->Touch());
  aside.reset();
  writer_.reset();  // its lock and files belong to the old directory
  // One atomic step: at every moment `index` is a complete index, old or new.
  if (renameat2(AT_FDCWD, AsideDir().c_str(), AT_FDCWD, index_dir_.c_str(), RENAME_EXCHANGE) != 0) {
    const std::string error = std::strerror(errno);
    KPO_RETURN_IF_ERROR(OpenWriter(false));
    return Status::Error(ErrorCode::kIndexError,
                         index_dir_ + ": nieuwe zoekindex kan niet worden ingewisseld", error);
  }
  std::error_code ec;
  fs::remove_all(AsideDir(), ec);  // the old index; open readers keep their files
  if (ec) Log(LogLevel::kWarn, "index.old_not_removed", {{"detail", ec.message()}});
  return OpenWriter(false);
}

IndexApplierThread::IndexApplierThread(ApplierOptions options, std::chrono::milliseconds interval)
    : options_(std::move(options)), interval_(interval), thread_([this] { Run(); }) {}

IndexApplierThread::~IndexApplierThread() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void IndexApplierThread::WaitForFirstAttempt() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return first_done_; });
}

void IndexApplierThread::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

std::string IndexApplierThread::Problem() {
  std::lock_guard<std::mutex> lock(mu_);
  return problem_;
}

void IndexApplierThread::Run() {
  std::unique_ptr<IndexApplier> applier;
  for (;;) {
    std::string problem;
    bool more = false;
    if (!applier) {
      auto opened = IndexApplier::Open(options_);
      if (opened.ok()) {
        applier = std::move(*opened);
      } else {
        problem = opened.status().message();
      }
    }
    if (applier) {
      auto applied = applier->Apply();
      if (!applied.ok()) {
        // Start over (lock, verification) at the next step: the index may
        // have been damaged under us.
        Log(LogLevel::kError, "index.apply_failed",
            {{"message", applied.status().message()}, {"detail", applied.status().detail()}});
        problem = applied.status().message();
        applier.reset();
      } else {
        more = applied->more;
        if (!applied->rebuilt.empty() || applied->applied > 0) {
          Log(LogLevel::kInfo, "index.applied",
              {{"items", applied->applied}, {"rebuilt", applied->rebuilt}});
        }
      }
    }
    std::unique_lock<std::mutex> lock(mu_);
    problem_ = problem;
    first_done_ = true;
    cv_.notify_all();
    // Not the writer yet, or failing: try again in a second, not at once.
    const auto wait =
        problem.empty() ? interval_ : std::max(interval_, std::chrono::milliseconds(1000));
    cv_.wait_for(lock, more ? std::chrono::milliseconds(0) : wait,
                 [this] { return stop_ || wake_; });
    wake_ = false;
    if (stop_) return;
  }
}

}  // namespace kpo::knowledge

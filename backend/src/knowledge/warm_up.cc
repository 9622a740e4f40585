// Implements warm_up.h.
#include "knowledge/warm_up.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

#include "access/policy.h"
#include "kpo/access/principal.h"
#include "search/searcher.h"

namespace kpo::knowledge {

WarmUp::WarmUp(std::string index_dir, std::shared_ptr<const search::Lexicon> lexicon,
               search::StemmerKind stemmer, std::shared_ptr<search::MatchSets> sets,
               size_t capacity)
    : index_dir_(std::move(index_dir)),
      lexicon_(std::move(lexicon)),
      stemmer_(stemmer),
      sets_(std::move(sets)),
      capacity_(capacity) {}

WarmUp::~WarmUp() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WarmUp::Remember(const std::string& q, const std::vector<std::string>& access_keys) {
  if (capacity_ == 0) return;
  Asked asked{q, access_keys};
  std::sort(asked.second.begin(), asked.second.end());
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find(recent_.begin(), recent_.end(), asked);
  if (it != recent_.end()) recent_.erase(it);
  recent_.push_front(std::move(asked));
  if (recent_.size() > capacity_) recent_.pop_back();
}

void WarmUp::Start(const std::string& generation,
                   std::shared_ptr<const content::Glossary> glossary) {
  if (capacity_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_ || generation == generation_) return;
  generation_ = generation;
  glossary_ = std::move(glossary);
  pending_ = true;
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  cv_.notify_all();
}

void WarmUp::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stop_ || (!pending_ && !running_); });
}

size_t WarmUp::warmed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return warmed_;
}

void WarmUp::Run() {
  // Nice 19 for this thread (and the ranking helper it starts): live
  // searches take the CPU first.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
  std::unique_ptr<search::Searcher> searcher;
  Principal redactie;
  redactie.role = Role::kRedactie;
  const std::vector<std::string> all = access::PrincipalKeys(redactie);
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || pending_; });
    if (stop_) break;
    pending_ = false;
    running_ = true;
    const auto glossary = glossary_;
    // The empty query first, for everything: it builds the revision's own
    // sets. Then what people asked, as they asked it.
    std::deque<Asked> searches = recent_;
    searches.emplace_front(std::string(), all);
    lock.unlock();
    if (!searcher) {
      auto opened = search::Searcher::Open(index_dir_, lexicon_, stemmer_, sets_);
      if (opened.ok()) {
        searcher = std::move(*opened);
        // Requests rank from weights only when kept: they are weighed here.
        searcher->ranker()->set_weighs(true);
      }
    }
    size_t done = 0;
    for (const auto& [q, keys] : searches) {
      if (!searcher) break;
      {
        std::lock_guard<std::mutex> check(mu_);
        if (stop_ || pending_) break;  // stopping, or a newer generation to warm
      }
      search::SearchRequest request;
      request.q = q;
      // Results are not used: the sets and weights they leave behind are.
      (void)searcher->Search(request, keys, *glossary);
      ++done;
    }
    lock.lock();
    warmed_ += done;
    running_ = false;
    cv_.notify_all();
  }
  running_ = false;
  cv_.notify_all();
}

}  // namespace kpo::knowledge

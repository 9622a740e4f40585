// Implements helper_thread.h.
#include "search/helper_thread.h"

#include <exception>

namespace kpo::search {

HelperThread::HelperThread(std::string main_dir, std::shared_ptr<const Lexicon> lexicon,
                           StemmerKind stemmer)
    : main_dir_(std::move(main_dir)), lexicon_(std::move(lexicon)), stemmer_(stemmer) {}

void HelperThread::Start() {
  thread_ = std::thread([this] {
    Analyzer analyzer(lexicon_, stemmer_);
    Xapian::Database db;
    bool opened = false;
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return stop_ || job_; });
      if (stop_) return;
      auto job = std::move(job_);
      job_ = nullptr;
      lock.unlock();
      try {
        if (!opened) {
          db = Xapian::Database(main_dir_);
          opened = true;
        }
        job(db, &analyzer);
      } catch (...) {
        // The job records its own success; the caller then does its part.
      }
      lock.lock();
      busy_ = false;
      cv_.notify_all();
    }
  });
}

HelperThread::~HelperThread() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

bool HelperThread::RunBeside(const IndexVersion& version, const Job& job,
                             const std::function<void()>& own) {
  if (!thread_.joinable()) Start();
  bool done = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    busy_ = true;
    job_ = [&](Xapian::Database& db, Analyzer* analyzer) {
      db.reopen();
      if (!(IndexVersion::Of(db) == version)) return;
      job(db, analyzer);
      done = true;
    };
  }
  cv_.notify_all();
  std::exception_ptr failure;
  try {
    own();
  } catch (...) {
    failure = std::current_exception();
  }
  {
    // The job refers to this frame: wait for it whatever happened here.
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !busy_; });
  }
  if (failure) std::rethrow_exception(failure);
  return done;
}

}  // namespace kpo::search

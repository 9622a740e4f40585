// Implements search_log.h.
#include "searchlog/search_log.h"

#include <cctype>
#include <charconv>
#include <cstdio>

#include "common/log.h"
#include "search/analyzer.h"
#include "store/sqlite.h"

namespace kpo::searchlog {

namespace {

constexpr size_t kMaxQueryBytes = 100;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS search_days(
  day TEXT NOT NULL,
  query TEXT NOT NULL,
  searches INTEGER NOT NULL,
  zero INTEGER NOT NULL,
  PRIMARY KEY(day, query)
) WITHOUT ROWID;
)sql";

std::string FormatDay(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiAlnum(char c) { return IsAsciiDigit(c) || IsAsciiLower(c); }

// Whether an IBAN starts at `at` of folded `text`: two letters, two
// digits, then 10 to 30 letters and digits with at least one digit, either
// unbroken or in the printed groups of four ("nl91 abna 0417 1643 00").
// Spaces are allowed only between groups of four, so "ar15 geweren" is no
// IBAN, and at least one digit, so "ab12 test data info here" is none.
bool IsIbanAt(std::string_view text, size_t at) {
  if (at > 0 && IsAsciiAlnum(text[at - 1])) return false;
  if (text.size() - at < 4 || !IsAsciiLower(text[at]) || !IsAsciiLower(text[at + 1]) ||
      !IsAsciiDigit(text[at + 2]) || !IsAsciiDigit(text[at + 3])) {
    return false;
  }
  size_t pos = at + 4, bban = 0;
  bool digit = false, grouped = false;
  for (;;) {
    const size_t begin = pos;
    while (pos < text.size() && IsAsciiAlnum(text[pos])) {
      if (IsAsciiDigit(text[pos])) digit = true;
      ++pos;
    }
    const size_t run = pos - begin;
    bban += run;
    // Unbroken, or a full group of four: another group may follow a space.
    const bool more = (begin == at + 4 && run == 0) || (grouped && run == 4);
    if (!more || pos + 1 >= text.size() || text[pos] != ' ' || !IsAsciiAlnum(text[pos + 1])) break;
    grouped = true;
    ++pos;
  }
  return bban >= 10 && bban <= 30 && digit;
}

// "at" written out between a name and a domain ("jan at voorbeeld.nl"),
// not the English word before another ("e-mail at kantoor").
bool HasWrittenAt(std::string_view text) {
  for (size_t p = text.find(" at "); p != std::string_view::npos; p = text.find(" at ", p + 1)) {
    std::string_view domain = text.substr(p + 4);
    domain = domain.substr(0, domain.find(' '));
    const size_t dot = domain.rfind('.');
    if (dot != std::string_view::npos && dot > 0 && domain.size() - dot > 2) return true;
  }
  return false;
}

// Whether folded `text` may identify a person by itself, by the promise of
// docs/editorial.md ("Search log"): an e-mail address (an '@', its
// full-width and small look-alikes, its HTML and URL escapes, "(at)",
// "[at]", "{at}" or " at " before a domain), six or more digits in all (a
// BSN, phone or case number is typed with dots, hyphens or spaces as often
// as without: "1234.56.782", "06 12 34 56 78"), or an IBAN. Every Unicode
// digit and number sign counts as a digit (full-width, Arabic-Indic,
// mathematical, superscript, circled: Unicode's categories Nd and No).
bool MayIdentifyAPerson(std::string_view text) {
  constexpr std::string_view kAtSigns[] = {"@",    "\uff20", "\ufe6b", "(at)",    "[at]",
                                           "{at}", "&#64;",  "%40",    "&commat;"};
  for (std::string_view at : kAtSigns) {
    if (text.find(at) != std::string_view::npos) return true;
  }
  if (HasWrittenAt(text)) return true;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsIbanAt(text, i)) return true;
  }
  return search::CountNumberCharacters(text) >= 6;
}

}  // namespace

std::string SearchLog::Normalise(std::string_view query) {
  const std::string folded = search::Fold(query);
  std::string out;
  for (char c : folded) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    out.push_back(c);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  // The whole query, before it is cut: digits past the cut count too.
  if (MayIdentifyAPerson(out)) return "";
  if (out.size() > kMaxQueryBytes) {
    out.resize(kMaxQueryBytes);
    // Never cut a UTF-8 sequence in half.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80) != 0) out.pop_back();
  }
  return out;
}

namespace {

// Deletes the stored queries that Normalise would no longer log. Run at
// every open, not once: the rule only ever gets stricter, and rows written
// under an older rule (a BSN typed with dots, a full-width '@') would
// otherwise stay on the redactie's list until the retention window ends
// (up to 30 days). The table holds at most 30 days of distinct queries, so
// reading it once per start costs little. Success: rows deleted. Errors:
// kStorageError, kNoSpaceLeft.
StatusOr<int64_t> PurgeIdentifyingQueries(store::Db* db) {
  auto select = db->Prepare("SELECT DISTINCT query FROM search_days");
  if (!select.ok()) return select.status();
  std::vector<std::string> doomed;
  for (;;) {
    auto row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string query = select->Text(0);
    if (SearchLog::Normalise(query).empty()) doomed.push_back(std::move(query));
  }
  if (doomed.empty()) return int64_t{0};
  store::Transaction tx(db);
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto erase = db->Prepare("DELETE FROM search_days WHERE query = ?");
  if (!erase.ok()) return erase.status();
  int64_t deleted = 0;
  for (const std::string& query : doomed) {
    erase->Reset();
    erase->Bind(1, query);
    KPO_RETURN_IF_ERROR(erase->Run());
    deleted += db->Changes();
  }
  KPO_RETURN_IF_ERROR(tx.Commit());
  return deleted;
}

}  // namespace

StatusOr<std::unique_ptr<SearchLog>> SearchLog::Open(Options options) {
  auto db = store::Db::Open(options.path);
  if (!db.ok()) return db.status();
  KPO_RETURN_IF_ERROR((*db)->Exec(kSchema));
  auto purged = PurgeIdentifyingQueries(db->get());
  if (!purged.ok()) return purged.status();
  if (*purged > 0) Log(LogLevel::kInfo, "searchlog.purged_identifying", {{"rows", *purged}});
  return std::unique_ptr<SearchLog>(new SearchLog(std::move(options), std::move(*db)));
}

SearchLog::SearchLog(Options options, std::unique_ptr<store::Db> db)
    : options_(std::move(options)), db_(std::move(db)) {
  flusher_ = std::thread([this] { FlushLoop(); });
}

SearchLog::~SearchLog() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  flusher_.join();
  Status s = Flush();
  if (!s.ok()) Log(LogLevel::kWarn, "searchlog.flush_failed", {{"error", s.ToString()}});
}

std::string SearchLog::Today() const {
  if (options_.today) return options_.today();
  return FormatDay(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

std::string SearchLog::FirstDay() const {
  const std::string today = Today();
  // Today() is YYYY-MM-DD (FormatDay, or a test's clock); anything else is
  // kept as it is.
  unsigned parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    if (today.size() != 10) return today;
    const char* first = today.data() + starts[i];
    const char* last = first + lengths[i];
    if (std::from_chars(first, last, parts[i]).ptr != last) return today;
  }
  const std::chrono::sys_days day{std::chrono::year{static_cast<int>(parts[0])} /
                                  std::chrono::month{parts[1]} / std::chrono::day{parts[2]}};
  return FormatDay(day - std::chrono::days{options_.retention_days - 1});
}

void SearchLog::Record(std::string_view query, bool found_nothing) {
  std::string normal = Normalise(query);
  if (normal.empty()) return;
  std::pair<std::string, std::string> key{Today(), std::move(normal)};
  std::lock_guard<std::mutex> lock(pending_mu_);
  auto it = pending_.find(key);
  if (it == pending_.end()) {
    if (pending_.size() >= options_.max_pending) return;
    it = pending_.emplace(std::move(key), Counts{}).first;
  }
  it->second.searches += 1;
  if (found_nothing) it->second.zero += 1;
}

Status SearchLog::Flush() {
  std::map<std::pair<std::string, std::string>, Counts> batch;
  {
    std::lock_guard<std::mutex> lock(pending_mu_);
    batch.swap(pending_);
  }
  std::lock_guard<std::mutex> lock(db_mu_);
  Status written = [&]() -> Status {
    store::Transaction tx(db_.get());
    KPO_RETURN_IF_ERROR(tx.begin_status());
    auto upsert = db_->Prepare(
        "INSERT INTO search_days(day, query, searches, zero) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(day, query) DO UPDATE SET searches = searches + excluded.searches, "
        "zero = zero + excluded.zero");
    if (!upsert.ok()) return upsert.status();
    for (const auto& [key, counts] : batch) {
      upsert->Reset();
      upsert->Bind(1, key.first).Bind(2, key.second).Bind(3, counts.searches).Bind(4, counts.zero);
      KPO_RETURN_IF_ERROR(upsert->Run());
    }
    auto prune = db_->Prepare("DELETE FROM search_days WHERE day < ?");
    if (!prune.ok()) return prune.status();
    prune->Bind(1, FirstDay());
    KPO_RETURN_IF_ERROR(prune->Run());
    return tx.Commit();
  }();
  if (!written.ok()) {
    // Keep the counts for the next attempt (merged with what came since).
    std::lock_guard<std::mutex> pending_lock(pending_mu_);
    for (auto& [key, counts] : batch) {
      auto& into = pending_[key];
      into.searches += counts.searches;
      into.zero += counts.zero;
    }
  }
  return written;
}

StatusOr<std::vector<ZeroResult>> SearchLog::ZeroResults(size_t limit) {
  KPO_RETURN_IF_ERROR(Flush());
  std::lock_guard<std::mutex> lock(db_mu_);
  auto select = db_->Prepare(
      "SELECT query, SUM(zero) AS n, MAX(day) FROM search_days WHERE day >= ? AND zero > 0 "
      "GROUP BY query ORDER BY n DESC, query LIMIT ?");
  if (!select.ok()) return select.status();
  select->Bind(1, FirstDay()).Bind(2, static_cast<int64_t>(limit));
  std::vector<ZeroResult> out;
  while (true) {
    auto row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(ZeroResult{select->Text(0), select->Int(1), select->Text(2)});
  }
  return out;
}

StatusOr<std::vector<ZeroResult>> SearchLog::ZeroResultsFor(const Principal& who, size_t limit) {
  if (who.role != Role::kRedactie && who.role != Role::kAdmin) {
    return Status::Error(ErrorCode::kForbidden,
                         "Alleen de redactie en beheerders zien de zoekvragen zonder resultaat.");
  }
  return ZeroResults(limit);
}

void SearchLog::FlushLoop() {
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stop_) {
    stop_cv_.wait_for(lock, options_.flush_interval, [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    Status s = Flush();
    if (!s.ok()) Log(LogLevel::kWarn, "searchlog.flush_failed", {{"error", s.ToString()}});
    lock.lock();
  }
}

}  // namespace kpo::searchlog

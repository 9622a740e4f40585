// Implements usage_counts.h.
#include "store/usage_counts.h"

#include "store/sqlite.h"

namespace kpo::store {

StatusOr<UsageCounts> ReadUsageCounts(const std::string& accounts_path, int64_t active_since) {
  auto db = Db::Open(accounts_path, /*read_only=*/true);
  if (!db.ok()) return db.status();
  UsageCounts counts;
  auto sessions = (*db)->Prepare("SELECT COUNT(*) FROM sessions WHERE last_seen >= ?");
  if (!sessions.ok()) return sessions.status();
  sessions->Bind(1, active_since);
  auto row = sessions->Step();
  if (!row.ok()) return row.status();
  counts.active_sessions = sessions->Int(0);
  auto states = (*db)->Prepare("SELECT state, COUNT(*) FROM academy_enrolments GROUP BY state");
  if (!states.ok()) return states.status();
  for (;;) {
    auto next = states->Step();
    if (!next.ok()) return next.status();
    if (!*next) break;
    counts.enrolled[states->Text(0)] = states->Int(1);
  }
  return counts;
}

}  // namespace kpo::store

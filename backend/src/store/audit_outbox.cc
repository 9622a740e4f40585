// Implements audit_outbox.h.
#include "store/audit_outbox.h"

#include <vector>

#include "store/sqlite.h"

namespace kpo::store {

Status AddToOutbox(Db* db, const OutboxLine& line) {
  auto stmt = db->Prepare(
      "INSERT INTO audit_outbox(at, actor, event, subject, detail, address) "
      "VALUES(?, ?, ?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, line.at)
      .Bind(2, line.actor)
      .Bind(3, line.event)
      .Bind(4, line.subject)
      .Bind(5, line.detail)
      .Bind(6, line.address)
      .Run();
}

StatusOr<int> DrainOutbox(Db* db, const std::function<Status(const OutboxLine&)>& deliver) {
  {
    // Most calls find nothing: no write lock for them.
    auto any = db->Prepare("SELECT 1 FROM audit_outbox LIMIT 1");
    if (!any.ok()) return any.status();
    auto row = any->Step();
    if (!row.ok()) return row.status();
    if (!*row) return 0;
  }
  Transaction tx(db);
  KPO_RETURN_IF_ERROR(tx.begin_status());
  std::vector<OutboxLine> lines;
  {
    auto stmt = db->Prepare(
        "SELECT seq, at, actor, event, subject, detail, address FROM audit_outbox ORDER BY seq");
    if (!stmt.ok()) return stmt.status();
    for (;;) {
      auto row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      lines.push_back({stmt->Int(0), stmt->Int(1), stmt->Text(2), stmt->Text(3), stmt->Text(4),
                       stmt->Text(5), stmt->Text(6)});
    }
  }
  if (lines.empty()) return 0;
  auto remove = db->Prepare("DELETE FROM audit_outbox WHERE seq = ?");
  if (!remove.ok()) return remove.status();
  int delivered = 0;
  Status refused;
  for (const auto& line : lines) {
    refused = deliver(line);
    if (!refused.ok()) break;
    KPO_RETURN_IF_ERROR(remove->Bind(1, line.seq).Run());
    remove->Reset();
    ++delivered;
  }
  KPO_RETURN_IF_ERROR(tx.Commit());
  if (!refused.ok()) return refused;
  return delivered;
}

}  // namespace kpo::store

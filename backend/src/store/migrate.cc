// Implements migrate.h.
#include "store/migrate.h"

#include <filesystem>

#include "store/sqlite.h"

namespace kpo::store {

namespace {

StatusOr<int64_t> ReadVersion(Db* db, const Schema& schema) {
  if (!schema.version_table.empty()) {
    // The table may not exist yet (version 0); creating it is harmless.
    KPO_RETURN_IF_ERROR(db->Exec("CREATE TABLE IF NOT EXISTS " + schema.version_table +
                                 "(version INTEGER NOT NULL)"));
  }
  auto stmt = db->Prepare(schema.version_table.empty()
                              ? "PRAGMA user_version"
                              : "SELECT COALESCE(MAX(version), 0) FROM " + schema.version_table);
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return stmt->Int(0);
}

Status WriteVersion(Db* db, const Schema& schema, int64_t version) {
  if (schema.version_table.empty()) {
    return db->Exec("PRAGMA user_version=" + std::to_string(version));
  }
  return db->Exec("DELETE FROM " + schema.version_table + "; INSERT INTO " + schema.version_table +
                  " VALUES(" + std::to_string(version) + ")");
}

}  // namespace

Status Migrate(Db* db, const Schema& schema) {
  const auto wanted = static_cast<int64_t>(schema.steps.size());
  auto seen = ReadVersion(db, schema);
  if (!seen.ok()) return seen.status();
  if (*seen > wanted) {
    return Status::Error(ErrorCode::kStorageError, schema.newer_message,
                         schema.path + " version " + std::to_string(*seen));
  }
  if (*seen == wanted) return Status::Ok();
  if (*seen > 0) {
    // The way back if a migration ever turns out wrong. VACUUM INTO cannot
    // run inside a transaction, so it comes first.
    const std::string backup = schema.path + ".schema-" +
                               (schema.backup_label.empty() ? "" : schema.backup_label + "-") +
                               std::to_string(*seen) + ".bak";
    std::error_code ec;
    if (!std::filesystem::exists(backup, ec)) {
      auto copy = db->Prepare("VACUUM INTO ?");
      if (!copy.ok()) return copy.status();
      KPO_RETURN_IF_ERROR(copy->Bind(1, backup).Run());
    }
  }
  Transaction tx(db);
  KPO_RETURN_IF_ERROR(tx.begin_status());
  auto current = ReadVersion(db, schema);
  if (!current.ok()) return current.status();
  if (*current >= wanted) return Status::Ok();  // another opener was first
  for (int64_t v = *current; v < wanted; ++v) {
    KPO_RETURN_IF_ERROR(db->Exec(schema.steps[static_cast<size_t>(v)]));
  }
  KPO_RETURN_IF_ERROR(WriteVersion(db, schema, wanted));
  return tx.Commit();
}

}  // namespace kpo::store

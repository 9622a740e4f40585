// The one schema-migration runner of every SQLite database (issue 13):
// numbered steps applied at open in one transaction, and a copy of the
// database (SQLite's VACUUM INTO) before the first change to one that holds
// a schema already, so no migration is ever destructive without a backup.
// Owns: reading and writing the version, the backup, the transaction. The
// steps themselves belong to the store that owns the tables.
// Thread-safety: runs on the caller's connection; several processes or
// threads opening at once are safe (the version is read again under the
// write lock, so only the first migrates).
#pragma once

#include <string>
#include <vector>

#include "kpo/status.h"

namespace kpo::store {

class Db;

struct Schema {
  std::string path;                // the database file (the backup goes beside it)
  std::vector<const char*> steps;  // step N brings version N to N+1; append only
  // Where the version lives: "" = PRAGMA user_version; else a table of
  // that name with one `version` row (for a second schema in one file).
  std::string version_table;
  // Part of the backup's name: `path`.schema-[label-]<old version>.bak.
  std::string backup_label;
  // The Dutch message when the file is newer than `steps` know.
  std::string newer_message = "De database is gemaakt door een nieuwere versie van KPO.";
};

// Brings `db` to steps.size(). Before the first step on a database whose
// version is above 0 it writes the backup (kept if it exists already).
// Errors: kStorageError (a newer file, a failing step or backup), kNoSpaceLeft.
Status Migrate(Db* db, const Schema& schema);

}  // namespace kpo::store

// Implements index_check.h.
#include "search/index_check.h"

#include <xapian.h>

#include <filesystem>
#include <sstream>

#include "search/schema.h"

namespace kpo::search {

namespace fs = std::filesystem;

namespace {

Status Damaged(const std::string& what, const std::string& detail) {
  return Status::Error(ErrorCode::kIndexError, "De zoekindex is beschadigd: " + what + ".", detail);
}

Status CheckOne(const fs::path& path, const std::string& what) {
  try {
    std::ostringstream report;  // Xapian's findings, for the log only
    if (Xapian::Database::check(path.string(), 0, &report) != 0) {
      return Damaged(what, report.str());
    }
  } catch (const Xapian::Error& e) {
    return Damaged(what, e.get_description());
  }
  return Status::Ok();
}

}  // namespace

Status CheckIndexFiles(const std::string& dir) {
  const fs::path main = fs::path(dir) / schema::kMainDir;
  std::error_code ec;
  if (!fs::is_directory(main, ec)) {
    return Status::Error(ErrorCode::kIndexError, "De zoekindex ontbreekt.", main.string());
  }
  KPO_RETURN_IF_ERROR(CheckOne(main, "de hoofddatabase"));
  const fs::path spelling = fs::path(dir) / schema::kSpellingDir;
  for (auto it = fs::directory_iterator(spelling, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    KPO_RETURN_IF_ERROR(
        CheckOne(it->path(), "de spellingdatabase " + it->path().filename().string()));
  }
  return Status::Ok();
}

StatusOr<IndexIdentity> ReadIndexIdentity(const std::string& dir) {
  try {
    Xapian::Database db((fs::path(dir) / schema::kMainDir).string());
    return IndexIdentity{db.get_uuid(), db.get_revision(), db.get_doccount()};
  } catch (const Xapian::Error& e) {
    return Damaged("de hoofddatabase", e.get_description());
  }
}

}  // namespace kpo::search

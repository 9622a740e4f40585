// The one migration runner: numbered steps in one transaction, a backup
// before the first change to a database that has a schema, a refusal of a
// file from a newer version, and a version kept in a table of its own.
#include "store/migrate.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite.h"
#include "support/test_support.h"

namespace kpo::store {
namespace {

int64_t Scalar(Db* db, const std::string& sql) {
  auto stmt = db->Prepare(sql);
  EXPECT_TRUE(stmt.ok());
  auto row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return stmt->Int(0);
}

TEST(Migrate, BacksUpAnExistingDatabaseBeforeTheFirstStep) {
  testing::TempDir dir;
  const std::string path = dir.Sub("x.sqlite");
  auto db = Db::Open(path);
  ASSERT_TRUE(db.ok());
  Schema one{path, {"CREATE TABLE t(a INTEGER); INSERT INTO t VALUES(1);"}};
  ASSERT_TRUE(Migrate(db->get(), one).ok());
  // A fresh database gets no backup: there is nothing to lose.
  EXPECT_FALSE(std::filesystem::exists(path + ".schema-0.bak"));
  Schema two = one;
  two.steps.push_back("ALTER TABLE t ADD COLUMN b TEXT; UPDATE t SET b = 'x';");
  ASSERT_TRUE(Migrate(db->get(), two).ok());
  EXPECT_EQ(Scalar(db->get(), "PRAGMA user_version"), 2);
  auto backup = Db::Open(path + ".schema-1.bak", true);
  ASSERT_TRUE(backup.ok());
  EXPECT_EQ(Scalar(backup->get(), "PRAGMA user_version"), 1);
  EXPECT_EQ(Scalar(backup->get(), "SELECT COUNT(*) FROM t"), 1);
  // Applied once: a second open changes nothing.
  ASSERT_TRUE(Migrate(db->get(), two).ok());
  EXPECT_EQ(Scalar(db->get(), "SELECT COUNT(*) FROM t WHERE b = 'x'"), 1);
}

TEST(Migrate, AFailingStepLeavesTheDatabaseAsItWas) {
  testing::TempDir dir;
  const std::string path = dir.Sub("x.sqlite");
  auto db = Db::Open(path);
  ASSERT_TRUE(db.ok());
  Schema schema{path, {"CREATE TABLE t(a INTEGER);", "CREATE TABLE u(a); SELECT * FROM missing;"}};
  EXPECT_FALSE(Migrate(db->get(), schema).ok());
  EXPECT_EQ(Scalar(db->get(), "PRAGMA user_version"), 0);
  EXPECT_EQ(Scalar(db->get(), "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('t', 'u')"), 0);
}

TEST(Migrate, RefusesAFileOfANewerVersion) {
  testing::TempDir dir;
  const std::string path = dir.Sub("x.sqlite");
  auto db = Db::Open(path);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("PRAGMA user_version=5").ok());
  Schema schema{path, {"CREATE TABLE t(a INTEGER);"}};
  schema.newer_message = "Te nieuw.";
  auto status = Migrate(db->get(), schema);
  EXPECT_TRUE(status.Is(ErrorCode::kStorageError));
  EXPECT_EQ(status.message(), "Te nieuw.");
}

TEST(Migrate, KeepsASecondSchemaVersionInItsOwnTable) {
  testing::TempDir dir;
  const std::string path = dir.Sub("x.sqlite");
  auto db = Db::Open(path);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("PRAGMA user_version=7").ok());
  Schema schema{path, {"CREATE TABLE t(a INTEGER);"}, "side_schema", "side"};
  ASSERT_TRUE(Migrate(db->get(), schema).ok());
  EXPECT_EQ(Scalar(db->get(), "SELECT version FROM side_schema"), 1);
  EXPECT_EQ(Scalar(db->get(), "PRAGMA user_version"), 7);  // the other schema's
  schema.steps.push_back("CREATE TABLE u(a INTEGER);");
  ASSERT_TRUE(Migrate(db->get(), schema).ok());
  EXPECT_TRUE(std::filesystem::exists(path + ".schema-side-1.bak"));
  EXPECT_EQ(Scalar(db->get(), "SELECT version FROM side_schema"), 2);
}

}  // namespace
}  // namespace kpo::store

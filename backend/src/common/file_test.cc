// ReadWholeFile: bytes as they are, a clear error when unreadable.
#include "common/file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_support.h"

namespace kpo {
namespace {

TEST(ReadWholeFile, ReturnsExactBytes) {
  testing::TempDir dir;
  const std::string bytes("a\0b\r\n\xFF", 6);
  testing::WriteFile(dir.Sub("f.bin"), bytes);
  auto read = ReadWholeFile(dir.Sub("f.bin"));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, bytes);
}

TEST(ReadWholeFile, MissingFileOrDirectoryIsInvalidContent) {
  testing::TempDir dir;
  auto missing = ReadWholeFile(dir.Sub("nope.md"));
  EXPECT_EQ(missing.status().code(), ErrorCode::kInvalidContent);
  EXPECT_NE(missing.status().message().find("niet leesbaar"), std::string::npos);
  EXPECT_EQ(ReadWholeFile(dir.path()).status().code(), ErrorCode::kInvalidContent);
}

// Every database of the directory is checked, not only accounts.sqlite: a
// server started on a kpo.sqlite it could not write answered every save
// with a storage error. (A directory in a database's place fails for root
// too, whom permission bits do not stop.)
TEST(CheckWritableDatabases, NamesTheFirstDatabaseThatCannotBeWritten) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("accounts.sqlite"), "");
  testing::WriteFile(dir.Sub("notities.txt"), "");
  EXPECT_TRUE(CheckWritableDatabases(dir.path()).ok());
  std::filesystem::create_directories(dir.Sub("kpo.sqlite-wal"));
  Status s = CheckWritableDatabases(dir.path());
  EXPECT_EQ(s.code(), ErrorCode::kStorageError);
  EXPECT_NE(s.message().find("kpo.sqlite-wal kan niet worden beschreven"), std::string::npos)
      << s.message();
  EXPECT_TRUE(CheckWritableDatabases(dir.Sub("bestaat-niet")).ok());  // made on first use
}

}  // namespace
}  // namespace kpo

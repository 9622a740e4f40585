// ReadWholeFile: bytes as they are, a clear error when unreadable.
#include "common/file.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace kpo

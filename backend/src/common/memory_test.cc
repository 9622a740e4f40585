// ReadMemoryUse: the heap and resident figures move with what is allocated
// and touched (GET /metrics reports them; docs/operations.md "Memory").
#include "common/memory.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

namespace kpo {
namespace {

TEST(Memory, HeapAndResidentFollowAnAllocation) {
  const MemoryUse before = ReadMemoryUse();
  EXPECT_GT(before.resident, size_t{1} << 20);
  EXPECT_GT(before.heap_in_use, 0u);
  constexpr size_t kBytes = size_t{64} << 20;
  auto block = std::make_unique<char[]>(kBytes);
  std::memset(block.get(), 1, kBytes);  // touched: resident
  const MemoryUse during = ReadMemoryUse();
  EXPECT_GE(during.heap_in_use, before.heap_in_use + kBytes);
  EXPECT_GE(during.resident, before.resident + kBytes / 2);
  block.reset();
  EXPECT_LT(ReadMemoryUse().heap_in_use, during.heap_in_use - kBytes / 2);
}

}  // namespace
}  // namespace kpo

// ReadMemoryUse: the heap and resident figures move with what is allocated
// and touched (GET /metrics reports them; docs/operations.md "Memory").
#include "common/memory.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

namespace kpo {
namespace {

TEST(Memory, HeapAndResidentFollowAnAllocation) {
  const MemoryUse before = ReadMemoryUse();
  EXPECT_GT(before.resident, size_t{1} << 20);
  constexpr size_t kBytes = size_t{64} << 20;
  auto block = std::make_unique<char[]>(kBytes);
  std::memset(block.get(), 1, kBytes);  // touched: resident
  const MemoryUse during = ReadMemoryUse();
  EXPECT_GE(during.resident, before.resident + kBytes / 2);
  if (!kHeapFiguresFromGlibc) GTEST_SKIP() << "a sanitizer's malloc: no glibc heap figures";
  EXPECT_GT(before.heap_in_use, 0u);
  EXPECT_GE(during.heap_in_use, before.heap_in_use + kBytes);
  block.reset();
  EXPECT_LT(ReadMemoryUse().heap_in_use, during.heap_in_use - kBytes / 2);
}

// Without it, glibc moves its mmap threshold up to a freed 1 MiB block, the
// next ones come from the heap and their bytes stay there when freed.
TEST(Memory, FreedLargeBlocksLeaveTheHeap) {
  if (!kHeapFiguresFromGlibc) GTEST_SKIP() << "a sanitizer's malloc: no glibc heap figures";
  KeepLargeBlocksOutOfTheHeap();
  const size_t free_before = ReadMemoryUse().heap_free;
  std::vector<std::unique_ptr<char[]>> after;  // keep each freed block off the heap's top
  for (int i = 0; i < 8; ++i) {
    // Shrinking sizes, as a search's vectors differ: without the fixed
    // threshold each one fits under the threshold the block before raised.
    const size_t bytes = (size_t{1} << 20) - static_cast<size_t>(i) * 4096;
    auto block = std::make_unique<char[]>(bytes);
    std::memset(block.get(), 1, bytes);
    after.push_back(std::make_unique<char[]>(64));
    block.reset();
    EXPECT_LT(ReadMemoryUse().heap_free, free_before + (size_t{1} << 19)) << i;
  }
}

}  // namespace
}  // namespace kpo

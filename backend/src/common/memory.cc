// Implements memory.h (Linux and glibc).
#include "common/memory.h"

#include <malloc.h>
#include <unistd.h>

#include <fstream>

namespace kpo {

namespace {

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages_total = 0;
  size_t pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return pages_resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

MemoryUse ReadMemoryUse() {
  MemoryUse use;
  use.resident = ResidentBytes();
  const struct mallinfo2 info = mallinfo2();
  use.heap_in_use = info.uordblks + info.hblkhd;
  use.heap_free = info.fordblks;
  return use;
}

void KeepLargeBlocksOutOfTheHeap() {
  // Setting the threshold at all also stops glibc's dynamic adjustment.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}

}  // namespace kpo

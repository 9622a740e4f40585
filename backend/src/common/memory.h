// The process's own memory, for GET /metrics and the soak (issue 13,
// docs/operations.md "Memory"). Owns: reading the resident set and the C
// heap's totals. May not touch: what the memory holds (each cache reports
// its own bytes).
// Thread-safety: every function may be called from any thread at once.
#pragma once

#include <cstddef>

namespace kpo {

struct MemoryUse {
  size_t resident = 0;     // pages of the process in RAM (VmRSS)
  size_t heap_in_use = 0;  // bytes malloc handed out and not freed, mmapped blocks included
  size_t heap_free = 0;    // bytes freed to malloc but kept in its arenas
};

// Measured now: /proc/self/statm and glibc's mallinfo2 over every arena.
// A field it cannot read stays 0.
MemoryUse ReadMemoryUse();

// Makes every malloc block of 128 KiB or more its own mapping, returned to
// the system when freed. Why: glibc raises that threshold each time such a
// block is freed (up to 32 MiB), after which the large, short-lived vectors
// of a search at 100 000 items (weights, match sets under construction) come
// from the heaps of up to 16 per-thread arenas and stay there when freed:
// in a 100k soak malloc's free bytes grew past the heap in use and RSS kept
// rising with every cache already at its bound (docs/performance.md,
// "Operations"). Call once at start, before threads.
void KeepLargeBlocksOutOfTheHeap();

}  // namespace kpo

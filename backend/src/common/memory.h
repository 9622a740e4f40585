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

// Whether the heap figures come from glibc's malloc. A sanitizer build
// (ASan, TSan: scripts/proof.sh) replaces malloc with its own, and glibc's
// mallinfo2 then reports 0 for the heap; the resident set is read as ever.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kHeapFiguresFromGlibc = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kHeapFiguresFromGlibc = false;
#else
inline constexpr bool kHeapFiguresFromGlibc = true;
#endif
#else
inline constexpr bool kHeapFiguresFromGlibc = true;
#endif

// Measured now: /proc/self/statm and glibc's mallinfo2 over every arena.
// A field it cannot read stays 0 (the heap's under a sanitizer, above).
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

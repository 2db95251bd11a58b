#ifndef C_BENCH_SUPPORT_H
#define C_BENCH_SUPPORT_H

#include <stddef.h>

/// Bytes the allocator has handed out and not yet had back: glibc's mallinfo2() `uordblks + hblkhd`
/// (all arenas, plus mmapped chunks). 0 where glibc is not the allocator.
size_t bench_heap_bytes_in_use(void);

/// Returns free heap memory to the operating system (glibc's malloc_trim(0)), so that a following RSS
/// reading starts from memory actually in use. Returns 1 if memory was released; 0 otherwise or elsewhere.
int bench_malloc_trim(void);

#endif

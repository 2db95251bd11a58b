#include "CBenchSupport.h"

// Any libc header defines __GLIBC__ under glibc; <stddef.h> alone comes from the compiler and does not.
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>

size_t bench_heap_bytes_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

int bench_malloc_trim(void) {
    return malloc_trim(0);
}
#else
size_t bench_heap_bytes_in_use(void) {
    return 0;
}

int bench_malloc_trim(void) {
    return 0;
}
#endif

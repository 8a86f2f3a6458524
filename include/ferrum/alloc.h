/*
 * ferrum/alloc.h — ferrum's general-purpose allocator, by its fr_ names.
 *
 * The same engine is exported under the standard malloc names by
 * libferrum-malloc.so (for LD_PRELOAD or -lferrum-malloc).  Errors follow the
 * C library: NULL with errno = ENOMEM when memory cannot be had (or the size
 * is absurd), EINVAL for an alignment that is not a power of two.
 */
#ifndef FERRUM_ALLOC_H
#define FERRUM_ALLOC_H

#include <stdio.h>
#include <ferrum/common.h>

#ifdef __cplusplus
extern "C" {
#endif

FR_API void *fr_malloc(size_t size) FR_MALLOC_LIKE FR_ALLOC_SIZE(1);
FR_API void *fr_calloc(size_t n, size_t size) FR_MALLOC_LIKE FR_ALLOC_SIZE(1, 2);
FR_API void *fr_realloc(void *p, size_t size) FR_ALLOC_SIZE(2);
FR_API void fr_free(void *p);
FR_API void *fr_aligned_alloc(size_t align, size_t size) FR_MALLOC_LIKE FR_ALLOC_SIZE(2);
FR_API int fr_posix_memalign(void **out, size_t align, size_t size);
FR_API size_t fr_usable_size(const void *p);

/* Return free memory to the OS now.  force=false: only what has been free
 * longer than the purge delay; force=true: everything that is free. */
FR_API void fr_collect(bool force);

/* Statistics.  The counters of operations (mallocs .. bytes_peak and
 * class_count) are kept only when FERRUM_OPTIONS has stats=1 (counting is
 * then true); the others are always kept.  FERRUM_OPTIONS=stats=1 prints the
 * same figures to stderr at exit. */
/* class_size/class_count rows: the 48 size classes of 16 B .. 128 KiB, then
 * one row (class_size 0) for every block above 128 KiB: the 12 large classes
 * (up to 1 MiB) and huge blocks together.  fr_stats_print lists them apart. */
#define FR_STATS_CLASSES 49
struct fr_stats {
    bool counting;               /* stats=1: the operation counters below are kept */
    uint64_t mallocs;            /* allocations (every entry point) */
    uint64_t frees;
    uint64_t bytes_requested;    /* sum of the sizes asked for */
    uint64_t bytes_allocated;    /* bytes of blocks live now (block sizes) */
    uint64_t bytes_peak;         /* peak of bytes_allocated */
    uint64_t bytes_mapped;       /* mapped by the allocator now */
    uint64_t bytes_mapped_peak;
    uint64_t bytes_purged;       /* returned to the OS with madvise, in total */
    uint64_t bytes_resident;     /* resident set of the process now (/proc/self/statm) */
    uint64_t huge_allocs;        /* huge blocks, each its own mapping: above 1 MiB
                                    (above 128 KiB with secure=1) */
    uint64_t huge_frees;
    uint64_t huge_bytes;         /* bytes in live huge blocks */
    uint32_t class_size[FR_STATS_CLASSES];  /* block size of each class; 0: above 128 KiB */
    uint64_t class_count[FR_STATS_CLASSES]; /* allocations per class (counting only) */
};
FR_API void fr_stats_get(struct fr_stats *out);
FR_API void fr_stats_print(FILE *out);

#ifdef __cplusplus
}
#endif

#endif /* FERRUM_ALLOC_H */

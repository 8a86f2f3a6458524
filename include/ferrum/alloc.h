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

/* Statistics (all byte counts).  Defined in full by the allocator. */
struct fr_stats;
FR_API void fr_stats_get(struct fr_stats *out);
FR_API void fr_stats_print(FILE *out);

#ifdef __cplusplus
}
#endif

#endif /* FERRUM_ALLOC_H */

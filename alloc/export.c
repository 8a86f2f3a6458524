/*
 * alloc/export.c — the standard malloc names, built only into
 * libferrum-malloc.so (LD_PRELOAD or -lferrum-malloc).
 *
 * Every function glibc's malloc exports that can receive or return a heap
 * pointer is here; leaving one out would let a glibc pointer reach our free
 * (the crash Debian's jemalloc has with pvalloc + malloc_usable_size).
 * Semantics are glibc's: memalign rounds a non-power-of-two alignment up,
 * aligned_alloc rejects it with EINVAL (C11, glibc >= 2.38), posix_memalign
 * returns the error instead of setting errno, pvalloc rounds the size up to
 * a page, free_sized/free_aligned_sized (C23) are free after checking the size
 * they are given against the block (free.c).  malloc_trim returns
 * free memory to the OS (fr_collect(true)); mallopt is accepted and ignored.
 * mallinfo, mallinfo2, malloc_stats and malloc_info are in mallinfo.c.
 */
#include "internal.h"

#include <errno.h>
#include <unistd.h>

#define FR_EXPORT __attribute__((visibility("default")))

FR_HIDDEN void *fr__malloc_api(size_t size);
FR_HIDDEN void *fr__calloc_api(size_t n, size_t size);
FR_HIDDEN void *fr__realloc_api(void *p, size_t size, const char *fn);
FR_HIDDEN void fr__collect_api(bool force);
FR_HIDDEN void *fr__aligned_alloc_api(size_t align, size_t size);
FR_HIDDEN int fr__posix_memalign_api(void **out, size_t align, size_t size);

FR_EXPORT void *malloc(size_t size)
{
    return fr__malloc_inline(size);
}

FR_EXPORT void free(void *p)
{
    fr__free_inline(p, "free()");
}

FR_EXPORT void *calloc(size_t n, size_t size)
{
    return fr__calloc_api(n, size);
}

FR_EXPORT void *realloc(void *p, size_t size)
{
    return fr__realloc_api(p, size, "realloc()");
}

FR_EXPORT void *reallocarray(void *p, size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return fr__realloc_api(p, total, "reallocarray()");
}

FR_EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
    return fr__posix_memalign_api(out, align, size);
}

FR_EXPORT void *aligned_alloc(size_t align, size_t size)
{
    return fr__aligned_alloc_api(align, size);
}

FR_EXPORT void *memalign(size_t align, size_t size)
{
    if (align > SIZE_MAX / 2 + 1) { /* as glibc: larger cannot round to a power of two */
        errno = EINVAL;
        return NULL;
    }
    size_t a = FR_ALIGN;
    while (a < align) a <<= 1;
    return fr__malloc_aligned(a, size, false);
}

FR_EXPORT void *valloc(size_t size)
{
    return fr__malloc_aligned((size_t)sysconf(_SC_PAGESIZE), size, false);
}

FR_EXPORT void *pvalloc(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (size > SIZE_MAX - page) {
        errno = ENOMEM;
        return NULL;
    }
    size_t rounded = (size + page - 1) & ~(page - 1);
    return fr__malloc_aligned(page, rounded ? rounded : page, false);
}

FR_EXPORT size_t malloc_usable_size(void *p)
{
    return p ? fr__usable(p, "malloc_usable_size()") : 0;
}

FR_EXPORT void free_sized(void *p, size_t size)
{
    fr__free_sized(p, size, 0, "free_sized()");
}

FR_EXPORT void free_aligned_sized(void *p, size_t align, size_t size)
{
    fr__free_sized(p, size, align, "free_aligned_sized()");
}

FR_EXPORT void cfree(void *p)
{
    fr__free_inline(p, "cfree()");
}

FR_EXPORT int malloc_trim(size_t pad)
{
    (void)pad;
    fr__collect_api(true);
    return 1;
}

FR_EXPORT int mallopt(int param, int value)
{
    (void)param;
    (void)value;
    return 1;
}

/* glibc also exports its allocator under __libc_* names (a program or a
 * library calling __libc_malloc directly, as libc_malloc_debug.so does,
 * would otherwise mix glibc's heap with ours: QA11 A3).  __libc_mallinfo is
 * in mallinfo.c. */
FR_EXPORT void *__libc_malloc(size_t size) { return malloc(size); }
FR_EXPORT void __libc_free(void *p) { fr__free_inline(p, "__libc_free()"); }
FR_EXPORT void *__libc_calloc(size_t n, size_t size) { return calloc(n, size); }
FR_EXPORT void *__libc_realloc(void *p, size_t size) { return fr__realloc_api(p, size, "__libc_realloc()"); }
FR_EXPORT void *__libc_memalign(size_t align, size_t size) { return memalign(align, size); }
FR_EXPORT void *__libc_valloc(size_t size) { return valloc(size); }
FR_EXPORT void *__libc_pvalloc(size_t size) { return pvalloc(size); }
FR_EXPORT int __libc_mallopt(int param, int value) { return mallopt(param, value); }

/*
 * alloc/os.c — the OS layer: every mmap, munmap, madvise and mremap the
 * allocator makes goes through here.
 *
 * Segments and huge blocks must start at a multiple of 4 MiB (free() finds a
 * header by masking the pointer), so fr__os_map_aligned maps size + align and
 * unmaps the two ends (the kernel usually hands back an aligned range at the
 * first try, which we check first).  Purging uses MADV_DONTNEED, which drops
 * the pages at once (resident memory falls immediately and the next touch
 * gets zero pages); MADV_FREE would leave them counted until the kernel needs
 * memory.  Nothing here allocates or reports: failures return NULL and the
 * caller sets errno.
 */
#include "internal.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

static void stat_mapped(ptrdiff_t delta)
{
    size_t now = atomic_fetch_add_explicit(&fr__st_mapped, (size_t)delta, memory_order_relaxed) + (size_t)delta;
    size_t peak = atomic_load_explicit(&fr__st_peak_mapped, memory_order_relaxed);
    while (now > peak &&
           !atomic_compare_exchange_weak_explicit(&fr__st_peak_mapped, &peak, now, memory_order_relaxed,
                                                  memory_order_relaxed)) {
    }
}

void *fr__os_map(size_t size)
{
    int saved = errno;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    errno = saved;
    if (p == MAP_FAILED) return NULL;
    stat_mapped((ptrdiff_t)size);
    return p;
}

void fr__os_unmap(void *p, size_t size)
{
    if (p == NULL || size == 0) return;
    int saved = errno;
    munmap(p, size);
    errno = saved;
    stat_mapped(-(ptrdiff_t)size);
}

/* Map `size` bytes (a multiple of the OS page) at a multiple of `align`
 * (a power of two >= the OS page). */
void *fr__os_map_aligned(size_t size, size_t align)
{
    if (size > SIZE_MAX - align) return NULL;
    if (size < 4 * align) {
        /* small enough that trying the plain mapping first is worth it */
        uint8_t *p = fr__os_map(size);
        if (p == NULL || ((uintptr_t)p & (align - 1)) == 0) return p;
        fr__os_unmap(p, size);
    }
    uint8_t *raw = fr__os_map(size + align);
    if (raw == NULL) return NULL;
    uint8_t *q = (uint8_t *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
    if (q > raw) fr__os_unmap(raw, (size_t)(q - raw));
    if (raw + size + align > q + size) fr__os_unmap(q + size, (size_t)(raw + size + align - (q + size)));
    return q;
}

/* Return the pages to the OS but keep the range mapped. */
/* secure=1: make [p, p+size) inaccessible (a guard page); false if the
 * kernel refused (the memory then stays usable, just unguarded). */
bool fr__os_guard(void *p, size_t size)
{
    int saved = errno;
    bool ok = mprotect(p, size, PROT_NONE) == 0;
    errno = saved;
    return ok;
}

void fr__os_purge(void *p, size_t size)
{
    if (size == 0) return;
    int saved = errno;
    if (madvise(p, size, MADV_DONTNEED) == 0)
        atomic_fetch_add_explicit(&fr__st_purged, size, memory_order_relaxed);
    errno = saved;
}

/* Resize a mapping that starts at a multiple of `align`, keeping its
 * contents and that alignment: in place if the kernel can, else moved (no
 * copy: the pages are remapped) onto a freshly reserved aligned range.
 * Returns the new start or NULL (the old mapping is then untouched). */
void *fr__os_remap_aligned(void *p, size_t old_size, size_t new_size, size_t align)
{
    int saved = errno;
    void *q = mremap(p, old_size, new_size, 0);
    if (q != MAP_FAILED) {
        errno = saved;
        stat_mapped((ptrdiff_t)new_size - (ptrdiff_t)old_size);
        return q;
    }
    void *dst = fr__os_map_aligned(new_size, align);
    if (dst != NULL && !fr__segmap_commit((uintptr_t)dst)) {
        /* no segment-map entry could be claimed for it: stay put */
        fr__os_unmap(dst, new_size);
        dst = NULL;
    }
    if (dst == NULL) {
        errno = saved;
        return NULL;
    }
    q = mremap(p, old_size, new_size, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
    errno = saved;
    if (q == MAP_FAILED) {
        fr__segmap_set((uintptr_t)dst, 0); /* give back the claim */
        fr__os_unmap(dst, new_size);
        return NULL;
    }
    /* dst's reservation was replaced by the moved pages; p's range is gone */
    stat_mapped(-(ptrdiff_t)old_size);
    return q;
}

/*
 * arena/slab_space.c — reserve, carve and recycle the slab address range.
 *
 * At the first slab, a large range (64 GiB, else 16, 4 or 1 GiB when the
 * system or valgrind refuses) is mapped read-write with MAP_NORESERVE: it
 * costs address space only, pages are committed when touched.  The granule
 * table beside it (8 bytes per 16 KiB granule) is mapped the same way.
 * Slabs are carved with a bump pointer, aligned to their own size; a slab
 * that is given back has its pages released with MADV_DONTNEED ("returned to
 * the system") and its address range pushed on a free list for its order, so
 * the range never fragments into pieces no slab can use.  One mutex guards
 * all of it; it is taken only when a slab is created or reclaimed.
 * Under valgrind the parts of the range that hold no slab are no-access.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "slab_space.h"
#include "track.h"

struct fr__slab_space fr__slab_space;

struct free_range { struct free_range *next; };

static pthread_mutex_t space_lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t bump;
static struct free_range *free_lists[FR_SLAB_MAX_ORDER + 1];

static int reserve(void)
{
    static const unsigned shifts[] = { 36, 34, 32, 30 };
    for (size_t i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
        size_t size = (size_t)1 << shifts[i];
        size_t tsize = (size >> FR_SLAB_GRANULE_SHIFT) * sizeof(void *);
        void *t = mmap(NULL, tsize, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (t == MAP_FAILED) continue;
        /* Over-reserve by the largest slab so carving can align. */
        size_t extra = FR_SLAB_GRANULE << FR_SLAB_MAX_ORDER;
        void *r = mmap(NULL, size + extra, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (r == MAP_FAILED) {
            munmap(t, tsize);
            continue;
        }
        /* valgrind: nothing of the range is addressable until a slab is
         * carved from it (memcheck's leak checker then skips it instead of
         * scanning gigabytes).  Not for ASan: poisoning would write 1/8 of
         * the range as shadow. */
        fr__vg_noaccess(r, size + extra);
        uintptr_t base = ((uintptr_t)r + FR_SLAB_GRANULE - 1) & ~(uintptr_t)(FR_SLAB_GRANULE - 1);
        fr__slab_space.table = t;
        fr__slab_space.size = size;
        bump = base;
        __atomic_store_n(&fr__slab_space.base, base, __ATOMIC_RELEASE);
        return 0;
    }
    return -1;
}

static void set_owner(uintptr_t p, size_t granules, void *owner)
{
    size_t first = (p - fr__slab_space.base) >> FR_SLAB_GRANULE_SHIFT;
    for (size_t i = 0; i < granules; i++) fr__slab_space.table[first + i] = owner;
}

void *fr__slab_space_get(unsigned order, void *owner)
{
    if (order > FR_SLAB_MAX_ORDER) {
        errno = ENOMEM;
        return NULL;
    }
    size_t bytes = FR_SLAB_GRANULE << order;
    uintptr_t p = 0;
    pthread_mutex_lock(&space_lock);
    if (!fr__slab_space.base && reserve() != 0) goto out;
    if (free_lists[order]) {
        struct free_range *f = free_lists[order];
        free_lists[order] = f->next;
        p = (uintptr_t)f;
    } else {
        uintptr_t at = (bump + bytes - 1) & ~(uintptr_t)(bytes - 1);
        if (at + bytes - fr__slab_space.base > fr__slab_space.size) goto out;
        /* Alignment gap: give whole smaller orders to their free lists. */
        while (bump < at) {
            unsigned o = 0;
            while (o < order && (bump & ((FR_SLAB_GRANULE << (o + 1)) - 1)) == 0 &&
                   bump + (FR_SLAB_GRANULE << (o + 1)) <= at)
                o++;
            struct free_range *f = (struct free_range *)bump;
            fr_track_defined(f, sizeof *f);
            f->next = free_lists[o];
            free_lists[o] = f;
            bump += FR_SLAB_GRANULE << o;
        }
        p = at;
        bump = at + bytes;
    }
    set_owner(p, (size_t)1 << order, owner);
out:
    pthread_mutex_unlock(&space_lock);
    if (!p) errno = ENOMEM;
    return (void *)p;
}

void fr__slab_space_put(void *p, unsigned order)
{
    size_t bytes = FR_SLAB_GRANULE << order;
    fr_track_defined(p, bytes);
    madvise(p, bytes, MADV_DONTNEED);
    pthread_mutex_lock(&space_lock);
    set_owner((uintptr_t)p, (size_t)1 << order, NULL);
    struct free_range *f = p;
    f->next = free_lists[order];
    free_lists[order] = f;
    fr__vg_noaccess((unsigned char *)p + sizeof *f, bytes - sizeof *f);
    pthread_mutex_unlock(&space_lock);
}

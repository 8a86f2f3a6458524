/*
 * arena/slab_space.c — reserve, carve and recycle the slab address ranges.
 *
 * When the first slab is needed, and again whenever the ranges are full, a
 * range is mapped read-write with MAP_NORESERVE: it costs address space
 * only, pages are committed when touched.  Its size: 64 GiB when nothing
 * limits the address space; under a finite RLIMIT_AS at most an eighth of
 * the limit (so that a process limited to 512 MiB keeps most of it for
 * everything else); and when the system or valgrind refuses, half of that,
 * and half again, down to the slab's own size or FR_SPACE_MIN.  So slabs
 * work under a low RLIMIT_AS, and the space grows, range by range (at most
 * FR_SPACE_RANGES), when the limit is raised later.  The granule table of a
 * range (8 bytes per 16 KiB granule) is mapped the same way.  Ranges are
 * never unmapped: a stale pointer is still looked up safely.
 *
 * Slabs are carved with a bump pointer in the newest range, aligned to their
 * own size; a slab that is given back has its pages released with
 * MADV_DONTNEED ("returned to the system") and its address range pushed on a
 * free list for its order, so the space never fragments into pieces no slab
 * can use.  One mutex guards all of it; it is taken only when a slab is
 * created or reclaimed.  Lookups (fr__slab_space_header_of) take no lock: a
 * range is published (nranges, release) only once set up.
 * Under valgrind the parts of a range that hold no slab are no-access.
 *
 * Each slotted cache (slot index 1..31, slab.h) has a sub-range of its
 * own: the first range is cut into FR_SPACE_SUBS equal parts, each aligned
 * to its size; part i > 0 carves only slabs of the cache holding slot index
 * i, part 0 and every later range serve all caches.  So "obj lies in
 * cache s's part, at an object-aligned address" is one mask and one
 * compare (slab.h's inline free), with no memory read: no other cache's
 * object, and no heap, stack or static pointer, is ever in that part.  A
 * part that is full, or too small for the cache's slabs, sends its cache to
 * the shared space (those objects are then freed out of line, checked by
 * the granule table).
 *
 * Slab headers (owner, counts, links, free bitmap) are not in the ranges:
 * each is a block of a header pool (64 KiB mappings cut in power-of-two
 * size classes of 64 B to 4 KiB), and the granule table maps a slab's
 * granules to its header.  So a slab holds objects only, and every address
 * of a cache's part is an object place or no slab's at all: a pointer into
 * a header fails slab.h's inline test (it is outside the part) and is
 * refused at the free, and an object overflowing backwards cannot reach a
 * header.  Header memory is never unmapped: a freed header waits on its
 * class's free list for the next slab, so a lookup that read a header
 * pointer from the table without a lock (fr_slab_free's check) can always
 * read the header it names, even while its slab is being reclaimed (its
 * owner word then reads NULL or another cache: an abort, as for any stale
 * pointer).  The free list links through the header's second word.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "slab_space.h"
#include "track.h"

#define FR_SPACE_MAX ((size_t)1 << 36) /* 64 GiB */
#define FR_SPACE_MIN ((size_t)1 << 20) /* 1 MiB */
#define FR_SPACE_RANGES 32
#define FR_SPACE_ALIGN_MAX (FR_SLAB_GRANULE << FR_SLAB_MAX_ORDER) /* the largest slab */
#define FR_SPACE_SUBS 32 /* parts of the first range: 0 shared, i > 0 for slot index i */

struct range {
    uintptr_t base;             /* granule-aligned */
    size_t size;
    void **table;               /* granule index -> its slab's header (or NULL) */
};

struct free_range { struct free_range *next; };

/* Where slabs are carved: a bump pointer and free lists by order. */
struct carver {
    uintptr_t bump, end;
    struct free_range *free_lists[FR_SLAB_MAX_ORDER + 1];
};

static pthread_mutex_t space_lock = PTHREAD_MUTEX_INITIALIZER;
static struct range ranges[FR_SPACE_RANGES];
static unsigned nranges;        /* published ranges (release/acquire) */
static struct carver shared;    /* part 0 of the first range, then each newer range */
static struct carver parts[FR_SPACE_SUBS]; /* parts[i]: slot index i's part (i > 0) */
static uintptr_t part_size;     /* size of a part of the first range; 0: no range yet */

/* The header pool: bump allocation in the newest mapping per class, and a
 * free list per class (linked through word 1; word 0 is never written by
 * the pool). */
#define FR_HEADER_MIN_SHIFT 6                /* 64 B */
#define FR_HEADER_CLASSES 7                  /* 64 B .. 4 KiB */
#define FR_HEADER_MAP ((size_t)64 << 10)     /* one mapping */
static struct {
    unsigned char *bump, *end;
    void **free;
} headers[FR_HEADER_CLASSES];

/* The first size to try: FR_SPACE_MAX, or under a finite RLIMIT_AS the
 * largest power of two at most an eighth of the limit. */
static size_t first_size(void)
{
    struct rlimit rl;
    size_t size = FR_SPACE_MAX;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        while (size > FR_SPACE_MIN && size > rl.rlim_cur / 8) size >>= 1;
    return size;
}

/* A new range that can hold a slab of `need` bytes; 0 or -1.  Lock held. */
static int reserve(size_t need)
{
    if (nranges == FR_SPACE_RANGES) return -1;
    size_t least = need > FR_SPACE_MIN ? need : FR_SPACE_MIN;
    size_t size = first_size();
    if (size < least) size = least;
    for (; size >= least; size >>= 1) {
        size_t tsize = (size >> FR_SLAB_GRANULE_SHIFT) * sizeof(void *);
        void *t = mmap(NULL, tsize, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (t == MAP_FAILED) continue;
        /* The start aligned to the range's size (at most the largest
         * slab): a slab address masked with any cache's slab mask then stays
         * inside the range, so slab.h's inline free may read there.  Mapped
         * with room to align, then the excess is unmapped. */
        size_t align = size < FR_SPACE_ALIGN_MAX ? size : FR_SPACE_ALIGN_MAX;
        if (align < need) align = need;
        if (nranges == 0 && align < size / FR_SPACE_SUBS) align = size / FR_SPACE_SUBS; /* parts aligned */
        size_t span = size + align;
        void *r = mmap(NULL, span, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (r == MAP_FAILED) {
            munmap(t, tsize);
            continue;
        }
        uintptr_t base = ((uintptr_t)r + align - 1) & ~(uintptr_t)(align - 1);
        if (base > (uintptr_t)r) munmap(r, base - (uintptr_t)r);
        if ((uintptr_t)r + span > base + size) munmap((void *)(base + size), (uintptr_t)r + span - (base + size));
        /* valgrind: nothing of the range is addressable until a slab is
         * carved from it (memcheck's leak checker then skips it instead of
         * scanning gigabytes).  Not for ASan: poisoning would write 1/8 of
         * the range as shadow. */
        fr__vg_noaccess((void *)base, size);
        struct range *g = &ranges[nranges];
        g->base = base;
        g->size = size;
        g->table = t;
        if (nranges == 0) { /* cut into parts: 0 shared, the others one per slot index */
            part_size = size / FR_SPACE_SUBS;
            for (unsigned i = 1; i < FR_SPACE_SUBS; i++) {
                parts[i].bump = base + i * part_size;
                parts[i].end = parts[i].bump + part_size;
            }
            shared.bump = base;
            shared.end = base + part_size;
        } else {
            shared.bump = base;
            shared.end = base + size;
        }
        __atomic_store_n(&nranges, nranges + 1, __ATOMIC_RELEASE);
        return 0;
    }
    return -1;
}

static const struct range *range_of(uintptr_t p)
{
    unsigned n = __atomic_load_n(&nranges, __ATOMIC_ACQUIRE);
    for (unsigned i = 0; i < n; i++)
        if (p - ranges[i].base < ranges[i].size) return &ranges[i];
    return NULL;
}

static void set_owner(uintptr_t p, size_t granules, void *header)
{
    const struct range *g = range_of(p);
    size_t first = (p - g->base) >> FR_SLAB_GRANULE_SHIFT;
    for (size_t i = 0; i < granules; i++)
        __atomic_store_n(&g->table[first + i], header, __ATOMIC_RELEASE);
}

void fr__slab_space_part(unsigned index, uintptr_t *lo, uintptr_t *size)
{
    pthread_mutex_lock(&space_lock);
    if (!nranges) reserve(FR_SLAB_GRANULE);
    *lo = (nranges && index > 0 && index < FR_SPACE_SUBS) ? ranges[0].base + index * part_size : 0;
    *size = *lo ? part_size : 0;
    pthread_mutex_unlock(&space_lock);
}

void *fr__slab_space_header_of(const void *p)
{
    const struct range *g = range_of((uintptr_t)p);
    if (!g) return NULL;
    return __atomic_load_n(&g->table[((uintptr_t)p - g->base) >> FR_SLAB_GRANULE_SHIFT], __ATOMIC_ACQUIRE);
}

/* Carve `bytes` (a power of two) from c; 0 when it is full.  The alignment
 * gap goes to c's free lists in whole smaller orders. */
static uintptr_t carve(struct carver *c, size_t bytes, unsigned order)
{
    if (!c->end) return 0;
    uintptr_t at = (c->bump + bytes - 1) & ~(uintptr_t)(bytes - 1);
    if (at < c->bump || at > c->end || bytes > c->end - at) return 0;
    while (c->bump < at) {
        unsigned o = 0;
        while (o < order && (c->bump & ((FR_SLAB_GRANULE << (o + 1)) - 1)) == 0 &&
               c->bump + (FR_SLAB_GRANULE << (o + 1)) <= at)
            o++;
        struct free_range *f = (struct free_range *)c->bump;
        fr_track_defined(f, sizeof *f);
        f->next = c->free_lists[o];
        c->free_lists[o] = f;
        c->bump += FR_SLAB_GRANULE << o;
    }
    c->bump = at + bytes;
    return at;
}

static uintptr_t take(struct carver *c, size_t bytes, unsigned order)
{
    struct free_range *f = c->free_lists[order];
    if (f) {
        c->free_lists[order] = f->next;
        return (uintptr_t)f;
    }
    return carve(c, bytes, order);
}

/* The carver a slab at p came from.  Lock held. */
static struct carver *carver_of(uintptr_t p)
{
    if (nranges && p - ranges[0].base < ranges[0].size) {
        size_t i = (p - ranges[0].base) / part_size;
        if (i > 0) return &parts[i];
    }
    return &shared;
}

void *fr__slab_space_get(unsigned order, unsigned index)
{
    if (order > FR_SLAB_MAX_ORDER) {
        errno = ENOMEM;
        return NULL;
    }
    size_t bytes = FR_SLAB_GRANULE << order;
    uintptr_t p = 0;
    pthread_mutex_lock(&space_lock);
    if (!nranges) reserve(bytes);
    if (index > 0 && index < FR_SPACE_SUBS && bytes <= part_size) p = take(&parts[index], bytes, order);
    if (!p) p = take(&shared, bytes, order);
    if (!p && reserve(bytes) == 0) p = carve(&shared, bytes, order);
    if (p) set_owner(p, (size_t)1 << order, NULL);
    pthread_mutex_unlock(&space_lock);
    if (!p) errno = ENOMEM;
    return (void *)p;
}

void fr__slab_space_publish(void *p, unsigned order, void *header)
{
    set_owner((uintptr_t)p, (size_t)1 << order, header);
}

static unsigned header_class(size_t bytes)
{
    unsigned c = 0;
    while (((size_t)1 << (FR_HEADER_MIN_SHIFT + c)) < bytes) c++;
    return c;
}

void *fr__slab_space_header(size_t bytes)
{
    if (bytes > FR_SLAB_HEADER_MAX) {
        errno = ENOMEM;
        return NULL;
    }
    unsigned c = header_class(bytes);
    size_t size = (size_t)1 << (FR_HEADER_MIN_SHIFT + c);
    void *h = NULL;
    pthread_mutex_lock(&space_lock);
    if (headers[c].free) {
        void **f = headers[c].free;
        headers[c].free = f[1];
        h = f;
    } else {
        if (headers[c].bump == headers[c].end) {
            void *m = mmap(NULL, FR_HEADER_MAP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (m != MAP_FAILED) {
                headers[c].bump = m;
                headers[c].end = (unsigned char *)m + FR_HEADER_MAP;
            }
        }
        if (headers[c].bump != headers[c].end) {
            h = headers[c].bump;
            headers[c].bump += size;
        }
    }
    pthread_mutex_unlock(&space_lock);
    if (!h) errno = ENOMEM;
    return h;
}

void fr__slab_space_header_put(void *h, size_t bytes)
{
    unsigned c = header_class(bytes);
    void **f = h;
    pthread_mutex_lock(&space_lock);
    f[1] = headers[c].free;
    headers[c].free = f;
    pthread_mutex_unlock(&space_lock);
}

void fr__slab_space_put(void *p, unsigned order)
{
    size_t bytes = FR_SLAB_GRANULE << order;
    fr_track_defined(p, bytes);
    madvise(p, bytes, MADV_DONTNEED);
    pthread_mutex_lock(&space_lock);
    set_owner((uintptr_t)p, (size_t)1 << order, NULL);
    struct carver *c = carver_of((uintptr_t)p);
    struct free_range *f = p;
    f->next = c->free_lists[order];
    c->free_lists[order] = f;
    fr__vg_noaccess((unsigned char *)p + sizeof *f, bytes - sizeof *f);
    pthread_mutex_unlock(&space_lock);
}

void fr__slab_space_lock(void)
{
    pthread_mutex_lock(&space_lock);
}

void fr__slab_space_unlock(void)
{
    pthread_mutex_unlock(&space_lock);
}

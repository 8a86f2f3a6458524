/*
 * owner/unchecked.c — creating and dropping handles in the unchecked build.
 *
 * Compiled with FR_UNCHECKED (owner.h), a handle is the object pointer and
 * borrows, releases and moves are inline casts; only fr_own_new and
 * fr_drop come here, out of line, because they need what a cast cannot
 * know: which allocator the object came from, its size and its drop
 * function.  These functions are in the library whichever way it was
 * built, so one libferrum serves programs of both builds.
 *
 * How: a small header (fr__unchecked_hdr) normally sits just in front of
 * the object, in the same block; the object is at the first multiple of
 * its alignment past it.  Two cases need more:
 *   - an allocator of fixed-size objects (a slab cache made for
 *     sizeof(T)) cannot hold the header too: the object is allocated alone
 *     and its header is kept on the side, in a hash table from object
 *     address to header (under a lock; looked up by fr_drop only while the
 *     table is non-empty, so programs that never need it pay one load);
 *   - a handle made over a region is dropped when the region is destroyed,
 *     as in the checked build: its drop function is deferred on the region
 *     (fr_region_defer), and a flag in the header makes the deferred call
 *     do nothing if fr_drop already ran it.  Region memory is never given
 *     back early (the region frees it all at once), so the header stays
 *     readable until the deferred call.
 * Handles over an arena or a slab cache are not dropped when their
 * allocator is reset or destroyed in this build (the checked build does
 * drop them): docs/reference.md says so.
 */
#include <ferrum/owner.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../arena/region_owner.h"

enum { UH_SIDE = 1, UH_REGION = 2, UH_DROPPED = 4 };

/* owner.h's inline fr_own_new writes the same header (alignments up to 16,
 * not over a region with a drop function) */
typedef fr__uhdr uhdr;
_Static_assert(sizeof(uhdr) == 48, "the header keeps 16-byte alignment");

/* ---- Side headers: object address -> header ---- */

typedef struct side {
    uhdr h;
    void *obj;
    struct side *next;
} side;

#define SIDE_BUCKETS 4096
static side *buckets[SIDE_BUCKETS];
static size_t side_count;
static pthread_mutex_t side_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t bucket_of(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 29;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 32;
    return (size_t)(x % SIDE_BUCKETS);
}

/* Takes the side header of obj out of the table; NULL when it has none. */
static side *side_take(void *obj)
{
    if (__atomic_load_n(&side_count, __ATOMIC_ACQUIRE) == 0)
        return NULL;
    pthread_mutex_lock(&side_lock);
    side **pp = &buckets[bucket_of(obj)];
    while (*pp && (*pp)->obj != obj)
        pp = &(*pp)->next;
    side *s = *pp;
    if (s) {
        *pp = s->next;
        __atomic_store_n(&side_count, side_count - 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&side_lock);
    return s;
}

static void side_put(side *s)
{
    pthread_mutex_lock(&side_lock);
    size_t b = bucket_of(s->obj);
    s->next = buckets[b];
    buckets[b] = s;
    __atomic_store_n(&side_count, side_count + 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&side_lock);
}

/* ---- Regions: the drop deferred to fr_region_destroy ---- */

static void *object_of(uhdr *h)
{
    return (unsigned char *)(h + 1);
}

static void region_drop(void *arg)
{
    uhdr *h = arg;
    if (h->flags & UH_DROPPED)
        return;
    h->flags |= UH_DROPPED;
    if (h->drop)
        h->drop(object_of(h));
}

/* Around fork(): the side table's lock is held by no thread that would not
 * exist in the child (registered at load time, as owner/depot.c's). */
static void side_fork_prepare(void)
{
    pthread_mutex_lock(&side_lock);
}

static void side_fork_after(void)
{
    pthread_mutex_unlock(&side_lock);
}

__attribute__((constructor)) static void side_fork_arm(void)
{
    pthread_atfork(side_fork_prepare, side_fork_after, side_fork_after);
}

/* ---- The API ---- */

FR_API void *fr__unchecked_new(fr_allocator al, size_t size, size_t align, fr_drop_fn drop)
{
    if (!al.alloc || !align || (align & (align - 1))) {
        errno = EINVAL;
        return NULL;
    }
    size_t a = align < 16 ? 16 : align;
    size_t off = (sizeof(uhdr) + a - 1) & ~(a - 1);
    size_t total = off + size;
    if (off < sizeof(uhdr) || off > UINT32_MAX || total < size) { /* align or size near SIZE_MAX */
        errno = ENOMEM;
        return NULL;
    }
    unsigned char *base = al.alloc(al.ctx, total, a);
    if (base) {
        uhdr *h = (uhdr *)(base + off) - 1;
        h->al = al;
        h->size = total;
        h->drop = drop;
        h->off = (uint32_t)off;
        h->flags = 0;
        fr_region *r = drop && al.alloc == fr__region_alloc_fn ? al.ctx : NULL;
        if (r) {
            if (fr_region_defer(r, region_drop, h) != 0) {
                if (al.free)
                    al.free(al.ctx, base, total);
                return NULL;
            }
            h->flags |= UH_REGION;
        }
        memset(base + off, 0, size);
        return base + off;
    }
    if (errno != EINVAL)
        return NULL; /* out of memory: what the allocator said (EINVAL:
                      * refused the size, or left over: either way the
                      * side path below asks again) */
    /* The allocator refused the size (a slab cache of sizeof(T) objects):
     * the object alone, its header on the side.  As in the checked build
     * (owner/own.c), an alignment guessed from the size by fr_own_new that
     * is stricter than the cache serves falls back to a pointer's; a
     * typed handle's _Alignof(T) never does (EINVAL, no misaligned T). */
    side *s = malloc(sizeof *s);
    if (!s) {
        errno = ENOMEM;
        return NULL;
    }
    size_t asize = size ? size : 1;
    int saved = errno;
    errno = 0;
    void *obj = al.alloc(al.ctx, asize, align);
    if (!obj && fr__align_fallback(size, align))
        obj = al.alloc(al.ctx, asize, sizeof(void *));
    if (!obj) {
        free(s);
        if (!errno)
            errno = ENOMEM;
        return NULL;
    }
    errno = saved;
    s->h.al = al;
    s->h.size = asize;
    s->h.drop = drop;
    s->h.off = 0;
    s->h.flags = UH_SIDE;
    s->obj = obj; /* (a region takes any size: never here) */
    memset(obj, 0, asize);
    side_put(s);
    return obj;
}

FR_API void fr__unchecked_drop(void *obj)
{
    if (!obj)
        return;
    side *s = side_take(obj);
    if (s) {
        if (s->h.drop)
            s->h.drop(obj);
        if (s->h.al.free)
            s->h.al.free(s->h.al.ctx, obj, s->h.size);
        free(s);
        return;
    }
    uhdr *h = (uhdr *)obj - 1;
    if (h->flags & UH_REGION) {
        /* the region frees the memory, and reads the flag, at its destroy */
        region_drop(h);
        return;
    }
    if (h->drop)
        h->drop(obj);
    if (h->al.free)
        h->al.free(h->al.ctx, (unsigned char *)obj - h->off, h->size);
}

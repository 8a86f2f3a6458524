/*
 * ferrum/slab.h — object caches after Bonwick's slab allocator.
 *
 * A cache hands out objects of one size and alignment.  The constructor runs
 * once per object when its slab is created, the destructor once when the slab
 * is reclaimed or the cache destroyed; in between, an object keeps its
 * constructed state: the allocator never writes into a free object, so
 * fr_slab_free must receive it back in its constructed state, and
 * fr_slab_alloc returns it that way.  alloc and free go through a per-thread
 * magazine and take no lock in the common case; objects may be freed by any
 * thread.  The constructor and destructor run with the cache locked (a
 * destructor sometimes also under the lock of all caches: at thread exit):
 * they must not allocate from or free to the same cache, nor create or
 * destroy caches.
 *
 * Results (errno is set only on failure):
 *   fr_slab_create(name, size, align, ctor, dtor)
 *       a cache (name: for messages, copied, NULL allowed; ctor, dtor:
 *       optional).  align 0: 16 (8 for objects of 8 bytes or less); otherwise
 *       any power of two up to 16 KiB.  size 0, align not a power of two or
 *       over 16 KiB: NULL + EINVAL.  size over 64 MiB or no memory: NULL +
 *       ENOMEM.
 *   fr_slab_alloc(s)   an object, in its constructed state (uninitialized if
 *       there is no constructor).  NULL + ENOMEM without memory; s NULL:
 *       NULL + EINVAL.
 *   fr_slab_free(s, obj)   obj back to s.  obj NULL: nothing.  A bad obj
 *       (from another cache, from no cache, inside an object but not its
 *       start, or freed twice) aborts with a message naming the cache(s) and
 *       a backtrace -- at once when the free takes the out-of-line path, else
 *       later: see "What is detected when" below.
 *   fr_slab_destroy(s)   runs the destructor on every object (free or still
 *       allocated: all are in constructed state by contract) and frees the
 *       cache; objects in other threads' magazines are taken back.  NULL:
 *       nothing; destroying a cache twice aborts (unless a cache created in
 *       between took its descriptor: descriptors are reused, so the stale
 *       pointer then names the new cache).  No thread may use s during or
 *       after its destruction.
 *   fr_slab_allocator(s)   s as an fr_allocator: alloc(size, align) with
 *       0 < size <= the object size and a power-of-two align <= the cache's
 *       alignment returns an object, else NULL + EINVAL; free is
 *       fr_slab_free.
 *
 * Memory: empty slabs past a reserve (4 slabs, or fewer up to about 256 KiB;
 * at least one) are returned to the system after
 * 500 ms, or at once past 16 MiB of empty slabs.  Free objects also wait in
 * magazines: each thread's two (up to 256 objects or about 64 KiB each, at
 * least 2 objects) and the cache's depot (about 1 MiB of objects, and up
 * to 16 MiB for 500 ms after a burst of frees, so that freeing and then
 * allocating a large batch moves whole magazines only).
 * Slabs live in address ranges reserved with MAP_NORESERVE (64 GiB, or an
 * eighth of a finite RLIMIT_AS, halved until the system agrees; another
 * range when one is full), so caches work under a low RLIMIT_AS.
 * valgrind/ASan: free objects are no-access; each allocated object is a
 * memory-pool block (defined when the cache has a constructor), so a use
 * after fr_slab_free is reported; caches are checked (see below).
 */
#ifndef FERRUM_SLAB_H
#define FERRUM_SLAB_H

#include <stdint.h>

#include <ferrum/allocator.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_slab fr_slab;

FR_API fr_slab *fr_slab_create(const char *name, size_t size, size_t align,
                               void (*ctor)(void *), void (*dtor)(void *));
FR_API void *fr_slab_alloc(fr_slab *s);
FR_API void fr_slab_free(fr_slab *s, void *obj);
FR_API void fr_slab_destroy(fr_slab *s);
FR_API fr_allocator fr_slab_allocator(fr_slab *s);

/* ---- Inline fast paths (private layout; may change between versions) ----
 *
 * fr_slab_alloc and fr_slab_free are macros over the static inline functions
 * below; the FR_API functions of the same names remain (for function
 * pointers, dlsym, and as the slow paths).  Each of the first
 * FR__SLAB_TLS_SLOTS - 1 live caches owns one slot of a per-thread table;
 * the slot holds the calling thread's loaded magazine as two pointers.  The
 * slot index is read from the cache pointer's own bits (cache descriptors
 * sit 2^FR__SLAB_DESC_SHIFT bytes apart in aligned blocks, and each is
 * placed where those bits name its slot), so finding the slot touches no memory and
 * a NULL cache lands on slot 0, which stays empty; in a loop the compiler
 * computes the slot's address once.  The common case:
 *   alloc: obj = top[-1]; if obj != NULL: top--, return obj.  The word below
 *          a magazine's first object is NULL, so an empty magazine (and a
 *          slot with no magazine, whose top points past a NULL word) fails
 *          the same test.
 *   free:  if top != end: *top++ = obj.  A NULL obj is pushed like any
 *          other; alloc's NULL test skips it (the out-of-line path drops it).
 * About 6 instructions each.  Anything else goes to the FR_API function:
 * an empty or full magazine, NULL s, first use in a thread, a cache without
 * a slot of its own (more than FR__SLAB_TLS_SLOTS - 1 live caches: the
 * out-of-line paths then use a private per-thread table), and every call of
 * a *checked* cache.
 *
 * What is detected when (the price of the 6-instruction free):
 *   - checked caches (FERRUM_SLAB_CHECK=1 in the environment when the cache
 *     is created, or the program runs under valgrind or ASan): every call
 *     is out of line and takes no magazine, so an object of another cache,
 *     a pointer in no slab, an interior pointer and a double free all abort
 *     inside the bad fr_slab_free call;
 *   - otherwise a free that goes out of line (the loaded magazine is full,
 *     or the cache has no magazine in this thread yet) checks its object at
 *     once (owner cache and object boundary); an inline free checks nothing:
 *     the object is checked (owner cache, boundary, and double free once it
 *     is back in its slab) when its magazine leaves the thread: taken from
 *     the depot by another thread, returned to the slabs (depot overflow),
 *     at the thread's exit, or at fr_slab_destroy of the cache it was freed
 *     to -- at the latest.  Until then the same thread's fr_slab_alloc of
 *     that cache may hand the bad pointer out again.  The abort message
 *     says where the check ran; the backtrace is that of the check, not of
 *     the bad free (rerun with FERRUM_SLAB_CHECK=1 to stop at the free). */
struct fr__slab_slot {
    void **top;                  /* next free place of the loaded magazine */
    void **end;                  /* its end: full when top == end */
};
#define FR__SLAB_TLS_SLOTS 32    /* slot 0: never loaded (caches without a slot) */
#define FR__SLAB_DESC_SHIFT 9    /* cache descriptors are 512 bytes apart */
FR_API extern __thread struct fr__slab_slot fr__slab_slots[FR__SLAB_TLS_SLOTS]
    __attribute__((tls_model("initial-exec")));

/* The calling thread's slot of cache s: bits 9..13 of the descriptor's
 * address are its slot index (0 for NULL and for caches without a slot). */
#define FR__SLAB_SLOT(s) \
    (&fr__slab_slots[((uintptr_t)(s) >> FR__SLAB_DESC_SHIFT) & (FR__SLAB_TLS_SLOTS - 1)])

#if defined(__GNUC__)
#define FR__SLAB_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define FR__SLAB_LIKELY(x) (x)
#endif

static inline void *fr__slab_alloc_inline(fr_slab *s)
{
    struct fr__slab_slot *t = FR__SLAB_SLOT(s);
    void **top = t->top;
    void *obj = top[-1];
    if (FR__SLAB_LIKELY(obj != NULL)) {
        t->top = top - 1;
        return obj;
    }
    return (fr_slab_alloc)(s);
}

static inline void fr__slab_free_inline(fr_slab *s, void *obj)
{
    struct fr__slab_slot *t = FR__SLAB_SLOT(s);
    void **top = t->top;
    if (FR__SLAB_LIKELY(top != t->end)) {
        *top = obj;
        t->top = top + 1;
        return;
    }
    (fr_slab_free)(s, obj);
}

#ifndef FR__SLAB_NO_INLINE
#define fr_slab_alloc(s) fr__slab_alloc_inline(s)
#define fr_slab_free(s, obj) fr__slab_free_inline((s), (obj))
#endif

#ifdef __cplusplus
}
#endif

#endif /* FERRUM_SLAB_H */

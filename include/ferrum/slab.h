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
 *   fr_slab_free(s, obj)   obj back to s.  obj NULL: nothing; s NULL
 *       (obj not NULL): abort.  An obj from another cache or from no cache
 *       aborts at the call with a message naming the cache(s) and the
 *       backtrace of the call; so does an obj inside an object (for an
 *       object stride that is not a power of two: a misaligned one; an
 *       aligned one later).  An object freed twice aborts too -- at the call
 *       for checked caches and for out-of-line frees, else later: see "What
 *       is detected when" below.
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
 *   free:  if top != end and obj is an object start in a slab of s (see
 *          below): *top++ = obj.  A NULL obj fails the slab test (out of line: nothing).
 * About 6 instructions for alloc, 15 for free.  Anything else goes to the FR_API function:
 * an empty or full magazine, NULL s, first use in a thread, a cache without
 * a slot of its own (more than FR__SLAB_TLS_SLOTS - 1 live caches: the
 * out-of-line paths then use a private per-thread table), and every call of
 * a *checked* cache.
 *
 * What is detected when:
 *   - checked caches (FERRUM_SLAB_CHECK=1 in the environment when the cache
 *     is created, or the program runs under valgrind or ASan): every call
 *     is out of line and takes no magazine, so an object of another cache,
 *     a pointer in no slab, an interior pointer and a double free all abort
 *     inside the bad fr_slab_free call;
 *   - otherwise every free checks owner and boundary at the call, inline:
 *     the slab holding obj starts at obj & ~(slab size - 1) (slabs are
 *     aligned to their size in the slab space), and the first word of each
 *     slab of s is s's random key (head.key).  head.mask also keeps the low
 *     bits that every object start of s has clear: those of the stride when
 *     it is a power of two (objects then start at multiples of it), else
 *     those of the alignment.  So an object start reads its slab's key, and
 *     a pointer inside an object (low bits set) reads some other word of
 *     the slab header.  If the address read lies outside the slab space
 *     range the cache checks inline (head.lo, head.span: the first range,
 *     64 GiB or an eighth of RLIMIT_AS; objects of slabs in later ranges
 *     always take the out-of-line path: checked, slower), or the word there
 *     is not s's key,
 *     the free goes out of line, which looks obj up in the slab space table
 *     (exact) and aborts with a message naming the cache(s) and the
 *     backtrace of the bad fr_slab_free call.  So an object of another
 *     cache, a pointer in no slab (heap, stack, static), and a pointer
 *     inside an object (any, for a power-of-two object stride; a misaligned
 *     one for other strides) abort at the call; the inline test reads one
 *     word of memory that is always mapped.  The one inexact case: obj is
 *     inside a larger slab of another cache, at an address where that
 *     cache's object happens to hold s's 64-bit random key;
 *   - not caught inline: a double free of an object still in the thread's
 *     magazine (objects keep their constructed state, so no mark can be
 *     written in a free one, and searching the magazine costs a loop), an
 *     aligned interior pointer of a cache whose stride is not a power of
 *     two, and the inexact case above.  They are caught (boundary; owner;
 *     the double free once the object is back in its slab) when the
 *     magazine leaves the thread: taken from the depot by another thread,
 *     returned to the slabs (depot overflow), at the thread's exit, or at
 *     fr_slab_destroy at the latest; a free that goes out of line (the
 *     loaded magazine is full, or s has no magazine in this thread yet)
 *     checks the boundary at once.  Until then the same thread's
 *     fr_slab_alloc of s may hand a doubly freed object out twice; the
 *     abort says where the check ran, and its backtrace is that of the
 *     check (rerun with FERRUM_SLAB_CHECK=1 to stop at the bad free). */
/* The word the inline free reads: unaligned for a misaligned pointer. */
typedef uintptr_t fr__slab_word __attribute__((aligned(1), may_alias));
struct fr__slab_head {           /* the first words of every cache descriptor */
    uintptr_t mask;              /* ~(slab bytes - 1) | the low bits every object start has clear */
    uintptr_t lo;                /* the slab space range checked inline... */
    uintptr_t span;              /* ...and its size (0: every free out of line) */
    uintptr_t key;               /* the first word of each of this cache's slabs */
};
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
    /* A NULL s has slot 0, whose top == end: *s is read only for a real cache. */
    if (FR__SLAB_LIKELY(top != t->end)) {
        const struct fr__slab_head *k = (const struct fr__slab_head *)(const void *)s;
        uintptr_t slab = (uintptr_t)obj & k->mask;
        if (FR__SLAB_LIKELY(slab - k->lo < k->span && *(const fr__slab_word *)slab == k->key)) {
            *top = obj;
            t->top = top + 1;
            return;
        }
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

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
 * destroy caches.  A call that would wait for a lock its own thread holds
 * there (an alloc that needs the cache's lock; a create or destroy under
 * the lock of all caches) aborts with a message instead of hanging.
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
 *       object stride odd x 2^k that is not a power of two: one whose
 *       offset in the object is not a multiple of 2^k, e.g. p + 16 for a
 *       96-byte stride; the others later), and a pointer into a slab header.
 *       An object freed twice aborts too -- at the call
 *       when it is the object this thread freed last to s (free(p);
 *       free(p)), in checked caches always, and in out-of-line frees when
 *       it is among the last 8; else later: see "What is detected when"
 *       below.
 *   fr_slab_destroy(s)   runs the destructor on every object (free or still
 *       allocated: all are in constructed state by contract) and frees the
 *       cache; objects in other threads' magazines are taken back.  NULL:
 *       nothing; destroying a cache twice aborts, also after other caches
 *       were made and destroyed in between (an fr_slab * is a
 *       generation-checked handle; the one miss: its descriptor served
 *       exactly a multiple of 511 caches since).  Any later call with a
 *       destroyed cache aborts the same way: the out-of-line ones always,
 *       the inline ones (which read only the thread's slot, emptied in
 *       every thread by the destroy) until the slot index serves another
 *       cache: indices go round in turn, so that takes 31 cache creations
 *       unless every other index is held by a live cache.  No thread may
 *       use s during its destruction.
 *   fr_slab_allocator(s)   s as an fr_allocator: alloc(size, align) with
 *       0 < size <= the object size and a power-of-two align <= the cache's
 *       alignment returns an object, else NULL + EINVAL; free is
 *       fr_slab_free.
 *
 * Memory: empty slabs past a reserve (4 slabs, or fewer up to about 256 KiB;
 * at least one) are returned to the system after
 * 500 ms, or at once past 16 MiB of empty slabs.  Free objects also wait in
 * magazines: each thread's one or two (the second made when the first is
 * full; up to 511 objects or about 64 KiB each, at
 * least 2 objects) and the cache's depot (about 1 MiB of objects, and up
 * to 16 MiB for 500 ms after a burst of frees, so that freeing and then
 * allocating a large batch moves whole magazines only; empty magazines are
 * kept the same way).  A magazine takes 4 KiB, or 8 KiB for objects of
 * 128 bytes or less.
 * Slabs live in address ranges reserved with MAP_NORESERVE (64 GiB, or an
 * eighth of a finite RLIMIT_AS, halved until the system agrees; another
 * range when one is full), so caches work under a low RLIMIT_AS.  The first
 * range is cut in 32 parts: each of the first 31 live caches carves its
 * slabs from a part of its own (2 GiB, or 1/32 of the range) while it has
 * room, then from the shared space, whose objects are freed out of line.
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
 * the slot holds the calling thread's loaded magazine (its top) and the
 * cache's part mask.  The slot index is read from the handle's own bits
 * (bits FR__SLAB_DESC_SHIFT and up), so finding the slot touches no memory
 * and a NULL cache lands on slot 0, which stays empty; in a loop the
 * compiler computes the slot's address once.
 *
 * Each slotted cache also owns a part of the slab address space (a power of
 * two in size, aligned to it; arena/slab_space.c) where only its slabs are
 * carved, and its handle is an address in the first granule of that part
 * (the part's base, plus the slot index and a generation in the low 14
 * bits; the descriptor itself lives elsewhere), so `s & -FR__SLAB_KEY_ALIGN`
 * is the part's base: a key the inline free gets from s with no load.  A
 * magazine's places end at a multiple of FR__SLAB_MAG_ALIGN bytes, so top
 * is at such a multiple exactly when the magazine is full.  The common case:
 *   alloc: obj = top[-1]; if obj != top[-3]: top--, return obj.  With a
 *          non-NULL obj (no NULL ever enters a magazine), obj == top[-3] is
 *          an object in the magazine twice, two places apart (free(p);
 *          free(q); free(p)): out of line, that aborts before p is handed
 *          out twice.  Below a magazine's first place are a NULL (objs[0]),
 *          a heap pointer (never an object) and another NULL, so an empty
 *          magazine (NULL == NULL) fails the same test, and so does a slot
 *          with no magazine (its top is the end of a page of NULLs).
 *   free:  if ((obj ^ key) & mask) == 0, top has room, and obj is not
 *          top[-1]: *top++ = obj.  The first test says at once:
 *          obj lies in this cache's part (so it is no object of another
 *          cache, and no heap, stack or static pointer), and obj has the low
 *          bits of an object start clear (objects start at multiples of the
 *          stride's largest power-of-two factor: the whole stride when it is
 *          a power of two, so any interior pointer fails; slab headers are
 *          not in the part, so a pointer into one fails too).  The room test
 *          also fails for a slot with no magazine (NULL s: slot 0, never
 *          loaded).  The last: freeing the object freed last again
 *          (free(p); free(p)) goes out of line, which aborts (a double
 *          free).  No memory is read but the slot and top[-1]; NULL fails
 *          (its key bits differ), out of line: nothing.
 * About 6 instructions for alloc, 12 for free (x86-64, gcc 12 -O2; the key
 * is computed once per loop).  Anything else goes to the
 * FR_API function, which decides exactly (the slab space's granule table)
 * and aborts on a bad pointer with a message naming the cache(s) and the
 * backtrace of the call: an empty or full magazine, NULL s, first use in a
 * thread, a cache without a slot of its own (more than FR__SLAB_TLS_SLOTS
 * - 1 live caches, or none with a part: objects too big for one, or no
 * address space; the out-of-line paths then use a private per-thread
 * table), objects of slabs outside the cache's part (the part is full),
 * and every call of a *checked* cache.
 *
 * What is detected when:
 *   - checked caches (FERRUM_SLAB_CHECK=1 in the environment when the cache
 *     is created, or the program runs under valgrind or ASan): every call
 *     is out of line and takes no magazine, so an object of another cache,
 *     a pointer in no slab, an interior pointer and a double free all abort
 *     inside the bad fr_slab_free call;
 *   - otherwise, at the call: an object of another cache, a pointer in no
 *     slab (heap, stack, static), a pointer inside an object (any, for a
 *     power-of-two object stride; for stride odd x 2^k, one not a multiple
 *     of 2^k into the object), a pointer into a slab header (headers live
 *     outside the slab space), and a free of the object the thread freed
 *     last to s (free(p); free(p)), the common double free;
 *   - at the next fr_slab_alloc of s in the thread that would hand the
 *     object out: free(p); free(q); free(p) (p in the magazine twice, two
 *     places apart), before p is handed out twice;
 *   - when the thread's frees fill the magazine (before it can hand
 *     anything out again), for a cache whose stride odd x 2^k is not a
 *     power of two: an interior pointer a multiple of 2^k into an object
 *     (p + 16 for a 48-byte stride), or one into the bytes past a slab's
 *     last object -- unless an alloc hands it out first
 *     (free(p + 16); fr_slab_alloc(s) returns p + 16);
 *   - later (when the magazine leaves the thread: taken from the depot by
 *     another thread, returned to the slabs, at the thread's exit, or at
 *     fr_slab_destroy at the latest; or at once when the free goes out of
 *     line): an older double free of an object still in the thread's
 *     magazine (free(p), then two or more other frees, then free(p):
 *     objects keep their constructed state, so no mark can be written in a
 *     free one), an interior pointer as above that was handed out before its
 *     magazine filled, and a pointer into the cache's part where no object
 *     lives (a slab already returned to the system, or space not yet carved
 *     into slabs).
 *     Until then the same thread's fr_slab_alloc of s may hand such a
 *     pointer out, and once handed out it is in no magazine to be checked:
 *     such an older double free then gives one object to two callers, seen
 *     only if both free it again.  The abort says where the check ran; with
 *     FERRUM_SLAB_CHECK=1 every such free aborts at the call. */
struct fr__slab_slot {
    void **top;                  /* next free place of the loaded magazine */
    uintptr_t mask;              /* ~(part size - 1) | (object start step - 1); 0: no magazine */
};
#define FR__SLAB_TLS_SLOTS 32    /* slot 0: never loaded (caches without a slot) */
#define FR__SLAB_DESC_SHIFT 9    /* handle bits 9..13: the slot index; 0..8: a generation */
#define FR__SLAB_KEY_ALIGN 16384 /* a slotted handle minus its low 14 bits: its part's base */
#define FR__SLAB_MAG_ALIGN 4096  /* a magazine's places end at a multiple of this */
FR_API extern __thread struct fr__slab_slot fr__slab_slots[FR__SLAB_TLS_SLOTS]
    __attribute__((tls_model("initial-exec")));

/* The calling thread's slot of cache s: bits 9..13 of the handle are its
 * slot index (0 for NULL and for caches without a slot). */
#define FR__SLAB_SLOT(s) \
    (&fr__slab_slots[((uintptr_t)(s) >> FR__SLAB_DESC_SHIFT) & (FR__SLAB_TLS_SLOTS - 1)])

#if defined(__GNUC__)
#define FR__SLAB_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define FR__SLAB_LIKELY(x) (x)
#endif

/* The new top is written with a plain store (t->top = top +- 1), not an add
 * to memory: the slot goes through memory between calls anyway (the
 * caller's stores may alias it), and on the x86-64 measured a chain of
 * read-modify-writes is slower than loads and plain stores: one
 * instruction more per call, 0.3 ns less per alloc+free pair
 * (bench/arena/README.md, session 4). */
static inline void *fr__slab_alloc_inline(fr_slab *s)
{
    struct fr__slab_slot *t = FR__SLAB_SLOT(s);
    void **top = t->top;
    void *obj = top[-1];
    if (FR__SLAB_LIKELY(obj != top[-3])) {
        t->top = top - 1;
        return obj;
    }
    return (fr_slab_alloc)(s);
}

static inline void fr__slab_free_inline(fr_slab *s, void *obj)
{
    struct fr__slab_slot *t = FR__SLAB_SLOT(s);
    void **top = t->top;
    uintptr_t key = (uintptr_t)s & -(uintptr_t)FR__SLAB_KEY_ALIGN;
    if (FR__SLAB_LIKELY((((uintptr_t)obj ^ key) & t->mask) == 0 &&
                        ((uintptr_t)top & (FR__SLAB_MAG_ALIGN - 1)) != 0 && obj != top[-1])) {
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

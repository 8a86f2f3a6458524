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
 * thread.  The constructor and destructor run with the cache locked: they
 * must not allocate from or free to the same cache.
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
 *   fr_slab_free(s, obj)   obj back to s.  obj NULL: nothing.  obj from
 *       another cache or not from any cache: abort at once with a message
 *       naming the caches and a backtrace.  obj inside an object of s but
 *       not its start: the same abort when the thread's magazine holding it
 *       goes to the cache's depot or to the slabs (at the latest at thread
 *       exit or fr_slab_destroy).  A double free is detected (same abort)
 *       when the magazine goes back to the slabs, at the latest at
 *       fr_slab_destroy.  See "What is detected when" below.
 *   fr_slab_destroy(s)   runs the destructor on every object (free or still
 *       allocated: all are in constructed state by contract) and frees the
 *       cache; objects in other threads' magazines are taken back.  NULL:
 *       nothing; destroying a cache twice aborts.  No thread may use s
 *       during or after its destruction.
 *   fr_slab_allocator(s)   s as an fr_allocator: alloc(size, align) with
 *       0 < size <= the object size and a power-of-two align <= the cache's
 *       alignment returns an object, else NULL + EINVAL; free is
 *       fr_slab_free.
 *
 * Memory: empty slabs past a reserve (4 slabs, or fewer up to about 256 KiB;
 * at least one) are returned to the system after
 * 500 ms, or at once past 16 MiB of empty slabs.  Free objects also wait in
 * magazines: each thread's two (up to 64 objects or about 64 KiB each, at
 * least 2 objects) and the cache's depot (about 1 MiB of objects at most).
 * valgrind/ASan: free objects are no-access; each allocated object is a
 * memory-pool block (defined when the cache has a constructor), so a use
 * after fr_slab_free is reported.
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
 * pointers, dlsym, and as the slow paths).  The common case is a pop from or
 * a push to the calling thread's loaded magazine for the cache, found in a
 * small per-thread table indexed by the cache's key:
 *   alloc: the slot matches and the magazine is not empty -> pop.
 *   free:  the object's slab (granule table of the slab space, no memory of
 *          the object touched) belongs to this cache, the slot matches and
 *          the magazine has room -> push.
 * Anything else (first use in a thread, empty/full magazine, NULL, a cache
 * tracked under valgrind/ASan, whose key never matches a slot, a wrong
 * cache) goes to the FR_API function.
 *
 * What is detected when (the trade-off of the inline free):
 *   - an object of another cache, or a pointer that is in no slab: at once,
 *     on every free (inline owner check, abort with both caches' names);
 *   - a pointer inside a slab of this cache that is not the start of an
 *     object: before its magazine reaches another thread (taken from the
 *     depot by a thread other than the one that filled it) or goes back to
 *     the slabs (at thread exit or fr_slab_destroy at the latest); until
 *     then the same thread's fr_slab_alloc may return it;
 *   - a double free: when the object goes back to its slab (as before);
 *   - under valgrind/ASan (tracked caches take the out-of-line path): every
 *     free is fully checked at once, and memcheck reports a double free. */
struct fr__slab_mag {
    struct fr__slab_mag *next;   /* in the depot */
    uint64_t origin;             /* in the depot: serial of the thread that filled it */
    uint32_t n, cap;
    void *objs[];
};
struct fr__slab_cpu;
struct fr__slab_slot {
    uint64_t id;                 /* cache key; 0: free slot */
    struct fr__slab_mag *loaded;
    struct fr__slab_cpu *cpu;
    uint32_t misses;
};
#define FR__SLAB_TLS_SLOTS 16
struct fr__slab_space {          /* the address range every slab lives in */
    uintptr_t base;              /* 0 until the range is reserved */
    size_t size;
    void **table;                /* granule index -> owning fr_slab (or NULL) */
};
#define FR__SLAB_GRANULE_SHIFT 14
FR_API extern struct fr__slab_space fr__slab_space;
FR_API extern __thread struct fr__slab_slot fr__slab_slots[FR__SLAB_TLS_SLOTS]
    __attribute__((tls_model("initial-exec")));

/* The first members of every fr_slab: its id, with bit 63 set when the cache
 * is tracked (valgrind/ASan), so that it never matches a slot; and where its
 * slot lies relative to the thread pointer (initial-exec TLS: the same offset
 * in every thread), so that x86-64 reaches the slot with one %fs-relative
 * access instead of computing the index. */
struct fr__slab_head { uint64_t key; intptr_t slot_tp; };

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FR__SLAB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FR__SLAB_ASAN 1
#endif
/* Not under ASan: it would instrument the %fs-relative access as an ordinary
 * address (and its caches are tracked: they take the out-of-line path). */
#if defined(__x86_64__) && defined(__SEG_FS) && !defined(__cplusplus) && \
    !defined(__STRICT_ANSI__) && !defined(FR__SLAB_ASAN)
#define FR__SLAB_SEG_FS 1
typedef __seg_fs struct fr__slab_slot fr__slab_tslot;
#define FR__SLAB_SLOT(h) ((fr__slab_tslot *)(h)->slot_tp)
#else
typedef struct fr__slab_slot fr__slab_tslot;
#define FR__SLAB_SLOT(h) (&fr__slab_slots[(h)->key % FR__SLAB_TLS_SLOTS])
#endif

#if defined(__GNUC__)
#define FR__SLAB_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define FR__SLAB_LIKELY(x) (x)
#endif

static inline void *fr__slab_alloc_inline(fr_slab *s)
{
    if (FR__SLAB_LIKELY(s != NULL)) {
        const struct fr__slab_head *h = (const struct fr__slab_head *)(const void *)s;
        fr__slab_tslot *t = FR__SLAB_SLOT(h);
        if (FR__SLAB_LIKELY(t->id == h->key)) {
            struct fr__slab_mag *m = t->loaded;
            if (FR__SLAB_LIKELY(m->n > 0)) return m->objs[--m->n];
        }
    }
    return (fr_slab_alloc)(s);
}

static inline void fr__slab_free_inline(fr_slab *s, void *obj)
{
    uintptr_t off = (uintptr_t)obj - fr__slab_space.base;
    if (FR__SLAB_LIKELY(off < fr__slab_space.size && s != NULL &&
                        fr__slab_space.table[off >> FR__SLAB_GRANULE_SHIFT] == (void *)s)) {
        const struct fr__slab_head *h = (const struct fr__slab_head *)(const void *)s;
        fr__slab_tslot *t = FR__SLAB_SLOT(h);
        if (FR__SLAB_LIKELY(t->id == h->key)) {
            struct fr__slab_mag *m = t->loaded;
            if (FR__SLAB_LIKELY(m->n < m->cap)) {
                m->objs[m->n++] = obj;
                return;
            }
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

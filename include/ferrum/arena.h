/*
 * ferrum/arena.h — arena (bump) allocation.
 *
 * An arena hands out memory by bumping a pointer through chunks that grow
 * geometrically; objects are not freed one by one: rewind to a saved mark,
 * reset, or destroy the arena.
 *
 * Results (errno is set only on failure):
 *   fr_arena_create(chunk_size)   the first chunk's size (0: 4 KiB; at most
 *                                 1 GiB; later chunks double up to 64 MiB).
 *                                 NULL + ENOMEM when memory cannot be had,
 *                                 NULL + EINVAL when chunk_size > 1 GiB.
 *   fr_arena_alloc(a, size)       `size` bytes aligned to 16, uninitialized.
 *                                 size 0: NULL + EINVAL; size >= 2^40 or no
 *                                 memory: NULL + ENOMEM.  An object larger
 *                                 than a chunk gets a chunk of its own.
 *   fr_arena_alloc_aligned(a, size, align)
 *                                 as above, aligned to `align`, any power of
 *                                 two (page and beyond too); align 0 or not a
 *                                 power of two: NULL + EINVAL.
 *   fr_arena_save(a)              a mark of the current position.
 *   fr_arena_rewind(a, mark)      frees everything allocated after `mark`
 *                                 (one spare chunk is kept for reuse).  A mark
 *                                 that is no longer valid (taken after an
 *                                 earlier rewind point, or before a reset, or
 *                                 from another arena) aborts with a message
 *                                 and a backtrace.  The zero mark {0} rewinds
 *                                 to empty.
 *   fr_arena_reset(a)             frees every object, keeps one chunk (as
 *                                 large as the last fill needed, so that a
 *                                 fill/reset cycle settles into one chunk).
 *   fr_arena_destroy(a)           frees everything; NULL does nothing.
 *   a NULL: fr_arena_alloc/_aligned give NULL + EINVAL, fr_arena_save the
 *   zero mark; rewind, reset and destroy do nothing.
 *   A destroyed arena: a second fr_arena_destroy, or any other call on it,
 *   aborts with "the arena was destroyed" and a backtrace (the struct is
 *   kept, marked dead, until 64 more arenas have been destroyed; after
 *   that its memory may serve anything, and a stale pointer is no longer
 *   recognised).
 *   fr_arena_allocator(a)         a as an fr_allocator: alloc is
 *                                 fr_arena_alloc_aligned, free does nothing
 *                                 (except tell valgrind/ASan the object is gone).
 * An arena is not thread-safe: use one per thread, or lock around it.
 *
 * valgrind and ASan: every object is reported as a block of a memory pool;
 * the bytes after it, rewound or reset space, and unused chunk tails are
 * no-access, so memcheck (or an ASan build of libferrum) reports a read past
 * an object or a use after rewind/reset.
 *
 * Speed: fr_arena_alloc is a macro over an inline fast path (a NULL test, a
 * subtraction, a compare and a pointer bump) that falls back to fr__arena_alloc_slow() when
 * the chunk is full.  `(fr_arena_alloc)(a, n)` calls the exported function.
 * fr_arena_rewind is likewise inline when the mark lies in the current chunk
 * and no chunk was opened since it was saved (then only the pointer moves);
 * the exported function does the rest and checks every mark fully.
 */
#ifndef FERRUM_ARENA_H
#define FERRUM_ARENA_H

#include <ferrum/allocator.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_arena fr_arena;
/* Opaque: `chunk` names a chunk, `used` encodes the offset in it and a check. */
typedef struct fr_arena_mark { void *chunk; size_t used; } fr_arena_mark;

FR_API fr_arena *fr_arena_create(size_t chunk_size /* 0: default */);
FR_API void *fr_arena_alloc(fr_arena *a, size_t size);
FR_API void *fr_arena_alloc_aligned(fr_arena *a, size_t size, size_t align);
FR_API fr_arena_mark fr_arena_save(fr_arena *a);
FR_API void fr_arena_rewind(fr_arena *a, fr_arena_mark mark);
FR_API void fr_arena_reset(fr_arena *a);
FR_API void fr_arena_destroy(fr_arena *a);
FR_API fr_allocator fr_arena_allocator(fr_arena *a);

/* ---- Inline fast paths (private: the layout below may change) ----
 * Every fr_arena starts with this head.  `ptr` is 16-aligned; `end` is the
 * 16-aligned end of the current chunk, or equal to `ptr` when every
 * allocation must take the slow path (no chunk yet, or valgrind/ASan
 * tracking, which wants to see each object).  `cur` is the current chunk,
 * whose objects start FR__ARENA_CHUNK_DATA bytes in; `serial` counts the
 * chunks ever opened (a mark records its low 24 bits). */
struct fr__arena_chunk;
struct fr__arena_head {
    unsigned char *ptr;
    unsigned char *end;
    struct fr__arena_chunk *cur;
    uint64_t serial;
    bool tracked;                 /* valgrind/ASan: every call out of line */
};
#define FR__ARENA_CHUNK_DATA 48
#define FR__ARENA_MARK_SHIFT 40

FR_API void *fr__arena_alloc_slow(fr_arena *a, size_t size, size_t align);

#if defined(__GNUC__)
#define FR__ARENA_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define FR__ARENA_LIKELY(x) (x)
#endif

static inline void *fr__arena_alloc_inline(fr_arena *a, size_t size)
{
    struct fr__arena_head *h = (struct fr__arena_head *)(void *)a;
    if (!FR__ARENA_LIKELY(a != NULL)) return fr__arena_alloc_slow(a, size, 16); /* NULL + EINVAL */
    size_t avail = (size_t)(h->end - h->ptr);
    /* size - 1 < avail: 0 < size <= avail; avail is a multiple of 16, so the
     * rounded size fits too. */
    if (FR__ARENA_LIKELY(size - 1 < avail)) {
        void *p = h->ptr;
        h->ptr += (size + 15) & ~(size_t)15;
        return p;
    }
    return fr__arena_alloc_slow(a, size, 16);
}

/* Rewind within the current chunk to a mark taken since the last chunk was
 * opened (the common save/alloc/rewind cycle): only the pointer moves.
 * Anything else (other chunks to free, a mark to refuse, tracking, NULL)
 * goes to the exported function, which checks the mark fully. */
static inline void fr__arena_rewind_inline(fr_arena *a, fr_arena_mark m)
{
    struct fr__arena_head *h = (struct fr__arena_head *)(void *)a;
    if (FR__ARENA_LIKELY(a != NULL && m.chunk != NULL && m.chunk == (void *)h->cur && !h->tracked &&
                         (m.used >> FR__ARENA_MARK_SHIFT) == (h->serial & 0xFFFFFF) &&
                         (m.used & 15) == 0)) {
        unsigned char *to = (unsigned char *)m.chunk + FR__ARENA_CHUNK_DATA +
                            (m.used & (((size_t)1 << FR__ARENA_MARK_SHIFT) - 1));
        if (FR__ARENA_LIKELY(to <= h->ptr)) {
            h->ptr = to;
            return;
        }
    }
    (fr_arena_rewind)(a, m);
}

#define fr_arena_alloc(a, size) fr__arena_alloc_inline((a), (size))
#define fr_arena_rewind(a, m) fr__arena_rewind_inline((a), (m))

#ifdef __cplusplus
}
#endif

#endif /* FERRUM_ARENA_H */

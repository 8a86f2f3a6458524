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
 * Speed: fr_arena_alloc is a macro over an inline fast path (a subtraction, a
 * compare and a pointer bump) that falls back to fr__arena_alloc_slow() when
 * the chunk is full.  `(fr_arena_alloc)(a, n)` calls the exported function.
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

/* ---- Inline fast path (private: the layout below may change) ----
 * Every fr_arena starts with this head.  `ptr` is 16-aligned; `end` is the
 * 16-aligned end of the current chunk, or equal to `ptr` when every
 * allocation must take the slow path (no chunk yet, or valgrind/ASan
 * tracking, which wants to see each object). */
struct fr__arena_head {
    unsigned char *ptr;
    unsigned char *end;
};

FR_API void *fr__arena_alloc_slow(fr_arena *a, size_t size, size_t align);

#if defined(__GNUC__)
#define FR__ARENA_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define FR__ARENA_LIKELY(x) (x)
#endif

static inline void *fr__arena_alloc_inline(fr_arena *a, size_t size)
{
    struct fr__arena_head *h = (struct fr__arena_head *)(void *)a;
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

#define fr_arena_alloc(a, size) fr__arena_alloc_inline((a), (size))

#ifdef __cplusplus
}
#endif

#endif /* FERRUM_ARENA_H */

/*
 * alloc/track.h — private to alloc/: one set of macros that tell memory
 * checkers (valgrind memcheck) what the allocator hands out and takes back.
 *
 * The allocator calls fr_track_malloc / fr_track_free once per block; with
 * FR_HAVE_VALGRIND they become client requests (a few instructions when the
 * program does not run under valgrind), otherwise nothing.  They are only
 * reached on the slow paths: under valgrind the engine runs in "slow mode"
 * (see init.c), so the fast paths need no annotations at all.
 *
 * What memcheck is told, so that a correct program is clean and misuse is
 * still reported:
 *   - a block is registered with the size the program asked for; the rest
 *     of its size class (the tail) is no-access, so an overflow into it is
 *     reported;
 *   - malloc_usable_size gives the whole block to the program, as the C
 *     library allows: it grows memcheck's block to the usable size first
 *     (fr_track_grow), so the program may use every byte it was told of;
 *   - a free block is no-access (a read or write after free is reported);
 *     the allocator opens the two link words it needs and closes them again;
 *   - the allocator peeks at a live block's word 1 (the free mark) without
 *     changing what memcheck knows of it (fr_track_peek_word).
 * The length of a block as memcheck knows it is found by bisection on the
 * addressability of its bytes (VALGRIND_GET_VBITS answers without reporting
 * an error): registered bytes are addressable, the tail is not.
 */
#ifndef FR_ALLOC_TRACK_H
#define FR_ALLOC_TRACK_H

#if defined(FR_HAVE_VALGRIND) && !defined(NVALGRIND)
#include <valgrind/valgrind.h>
#include <valgrind/memcheck.h>
#define fr_track_running() (RUNNING_ON_VALGRIND != 0)
/* (helgrind, drd: the block is new memory, race.c; its first 16 bytes are
 * ferrum's links while it is free) */
#define fr_track_malloc(p, size, zero)                                                        \
    do {                                                                                      \
        VALGRIND_MALLOCLIKE_BLOCK((p), (size), 0, (zero));                                    \
        if (fr__opt.valgrind) fr__race_new((void *)(p), (size) < 16 ? 16 : (size));           \
    } while (0)
#define fr_track_free(p) VALGRIND_FREELIKE_BLOCK((p), 0)
#define fr_track_resize(p, oldsz, newsz) VALGRIND_RESIZEINPLACE_BLOCK((p), (oldsz), (newsz), 0)
#define fr_track_defined(p, size) VALGRIND_MAKE_MEM_DEFINED((p), (size))
#define fr_track_undefined(p, size) VALGRIND_MAKE_MEM_UNDEFINED((p), (size))
#define fr_track_noaccess(p, size) VALGRIND_MAKE_MEM_NOACCESS((p), (size))
/* bytes of [p, p+max) that memcheck lets the program use (a prefix) */
static inline size_t fr_track_live_len(const void *p, size_t max)
{
    size_t lo = 0, hi = max; /* [0, lo) addressable, [hi, max) not */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        unsigned char vb;
        if (VALGRIND_GET_VBITS((const char *)p + mid, &vb, 1) == 3) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}
/* make all `usable` bytes of block p (registered with fewer) the program's */
static inline void fr_track_grow(const void *p, size_t usable)
{
    size_t live = fr_track_live_len(p, usable);
    if (live < usable) VALGRIND_RESIZEINPLACE_BLOCK(p, live, usable, 0);
}
/* read the word at p, whatever memcheck thinks of it, and tell nobody */
static inline uintptr_t fr_track_peek_word(const void *p)
{
    uintptr_t v;
    VALGRIND_DISABLE_ERROR_REPORTING;
    v = *(const volatile uintptr_t *)p;
    VALGRIND_ENABLE_ERROR_REPORTING;
    VALGRIND_MAKE_MEM_DEFINED(&v, sizeof v);
    return v;
}
#else
#define fr_track_running() 0
#define fr_track_malloc(p, size, zero) ((void)(p), (void)(size), (void)(zero))
#define fr_track_free(p) ((void)(p))
#define fr_track_resize(p, oldsz, newsz) ((void)(p), (void)(oldsz), (void)(newsz))
#define fr_track_defined(p, size) ((void)(p), (void)(size))
#define fr_track_undefined(p, size) ((void)(p), (void)(size))
#define fr_track_noaccess(p, size) ((void)(p), (void)(size))
#define fr_track_live_len(p, max) ((void)(p), (size_t)(max))
#define fr_track_grow(p, usable) ((void)(p), (void)(usable))
#define fr_track_peek_word(p) (*(const uintptr_t *)(p))
#endif

#endif /* FR_ALLOC_TRACK_H */

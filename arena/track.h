/*
 * arena/track.h — one set of memory-tracking macros for valgrind and ASan.
 *
 * This file is private to the arena component.
 *
 * The arena, slab and region allocators carve their objects out of larger
 * blocks, so neither memcheck nor AddressSanitizer can see the objects on
 * their own.  These macros tell both tools, from the same call sites:
 *
 *   fr_track_pool_create(pool)        a memory pool anchored at `pool`
 *   fr_track_pool_destroy(pool)       ... and its end (its blocks are gone)
 *   fr_track_pool_alloc(pool, p, n)   [p, p+n) is now an object (undefined)
 *   fr_track_pool_free(pool, p, n)    [p, p+n) is no longer an object
 *   fr_track_pool_trim(pool, p, n)    only objects inside [p, p+n) remain
 *   fr_track_noaccess(p, n)           [p, p+n) may not be touched at all
 *   fr_track_undefined(p, n)          [p, p+n) addressable, contents undefined
 *   fr_track_defined(p, n)            [p, p+n) addressable and defined
 *
 * valgrind: the pool requests map onto VALGRIND_CREATE_MEMPOOL / MEMPOOL_*
 * and the others onto VALGRIND_MAKE_MEM_*.  They cost a few instructions
 * when the program is not under valgrind and vanish with -DNVALGRIND (or when
 * the valgrind headers are missing: FR_HAVE_VALGRIND undefined).
 * ASan (__SANITIZE_ADDRESS__ or clang's __has_feature(address_sanitizer)):
 * "free" and "noaccess" poison the bytes, "alloc", "undefined" and "defined"
 * unpoison them.  ASan poisons in 8-byte granules, so objects start 8-aligned
 * (ferrum's allocators align to 16 at least).
 *
 * FR_TRACK_ASAN is 1 in an ASan build.  fr__track_running() is true when
 * objects must be reported one by one (under valgrind, or in an ASan build):
 * the allocators then take their slow, annotated paths and put a red zone of
 * FR_TRACK_REDZONE bytes after each object so that reading past it is seen.
 * FERRUM_NOTRACK=1 turns the valgrind side off (callgrind measurements).
 */
#ifndef FERRUM_ARENA_TRACK_H
#define FERRUM_ARENA_TRACK_H

#include <stddef.h>

/* ---- ASan ---- */
#if defined(__SANITIZE_ADDRESS__)
#define FR_TRACK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FR_TRACK_ASAN 1
#endif
#endif
#ifndef FR_TRACK_ASAN
#define FR_TRACK_ASAN 0
#endif

#if FR_TRACK_ASAN
#include <sanitizer/asan_interface.h>
#define fr__asan_poison(p, n) __asan_poison_memory_region((const volatile void *)(p), (n))
#define fr__asan_unpoison(p, n) __asan_unpoison_memory_region((const volatile void *)(p), (n))
#else
#define fr__asan_poison(p, n) ((void)(p), (void)(n))
#define fr__asan_unpoison(p, n) ((void)(p), (void)(n))
#endif

/* ---- valgrind ---- */
#if defined(FR_HAVE_VALGRIND) && !defined(NVALGRIND)
#include <valgrind/valgrind.h>
#include <valgrind/memcheck.h>
#define fr__vg_running() (RUNNING_ON_VALGRIND != 0)
#define fr__vg_pool_create(pool) VALGRIND_CREATE_MEMPOOL((pool), 0, 0)
#define fr__vg_pool_destroy(pool) VALGRIND_DESTROY_MEMPOOL(pool)
#define fr__vg_pool_alloc(pool, p, n) VALGRIND_MEMPOOL_ALLOC((pool), (p), (n))
#define fr__vg_pool_free(pool, p) VALGRIND_MEMPOOL_FREE((pool), (p))
#define fr__vg_pool_trim(pool, p, n) VALGRIND_MEMPOOL_TRIM((pool), (p), (n))
#define fr__vg_noaccess(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define fr__vg_undefined(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define fr__vg_defined(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#else
#define fr__vg_running() 0
#define fr__vg_pool_create(pool) ((void)(pool))
#define fr__vg_pool_destroy(pool) ((void)(pool))
#define fr__vg_pool_alloc(pool, p, n) ((void)(pool), (void)(p), (void)(n))
#define fr__vg_pool_free(pool, p) ((void)(pool), (void)(p))
#define fr__vg_pool_trim(pool, p, n) ((void)(pool), (void)(p), (void)(n))
#define fr__vg_noaccess(p, n) ((void)(p), (void)(n))
#define fr__vg_undefined(p, n) ((void)(p), (void)(n))
#define fr__vg_defined(p, n) ((void)(p), (void)(n))
#endif

/* ---- The one set used by the allocators ---- */
#define fr_track_pool_create(pool) do { fr__vg_pool_create(pool); } while (0)
#define fr_track_pool_destroy(pool) do { fr__vg_pool_destroy(pool); } while (0)
#define fr_track_pool_alloc(pool, p, n) \
    do { fr__vg_pool_alloc(pool, p, n); fr__asan_unpoison(p, n); } while (0)
#define fr_track_pool_free(pool, p, n) \
    do { fr__vg_pool_free(pool, p); fr__asan_poison(p, n); } while (0)
#define fr_track_pool_trim(pool, p, n) do { fr__vg_pool_trim(pool, p, n); } while (0)
#define fr_track_noaccess(p, n) do { fr__vg_noaccess(p, n); fr__asan_poison(p, n); } while (0)
#define fr_track_undefined(p, n) do { fr__vg_undefined(p, n); fr__asan_unpoison(p, n); } while (0)
#define fr_track_defined(p, n) do { fr__vg_defined(p, n); fr__asan_unpoison(p, n); } while (0)

/* Red zone after each object while tracking (multiple of 16). */
#define FR_TRACK_REDZONE 16

/* FERRUM_NOTRACK=1 in the environment: do not report objects to valgrind
 * (to count the fast paths' instructions with callgrind).  Read once. */
__attribute__((visibility("hidden"))) int fr__track_disabled(void);

static inline int fr__track_running(void)
{
    return FR_TRACK_ASAN || (fr__vg_running() && !fr__track_disabled());
}

#endif /* FERRUM_ARENA_TRACK_H */

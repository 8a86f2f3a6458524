/*
 * ferrum/region.h — hierarchical, lifetime-scoped regions (like talloc or
 * APR pools).
 *
 * A region is an arena with a place in a tree: destroying a region destroys
 * its children first (most recently created first, each child's own children
 * before it), then runs
 * its deferred functions (last registered first), then frees all its memory
 * at once.
 *
 * Results (errno is set only on failure):
 *   fr_region_create(parent)   a new region, a child of `parent` (NULL: a
 *                              root).  NULL + ENOMEM without memory; NULL +
 *                              EINVAL when `parent` is being destroyed.
 *   fr_region_alloc(r, size)   `size` bytes aligned to 16, uninitialized,
 *                              valid until r is destroyed.  size 0: NULL +
 *                              EINVAL; size >= 2^40 or no memory: NULL +
 *                              ENOMEM.  r NULL: NULL + EINVAL.  Allowed from
 *                              r's own deferred functions (the memory goes
 *                              when they have all run).
 *   fr_region_defer(r, fn, arg) 0, or -1 + EINVAL (fn or r NULL, r being
 *                              destroyed) / ENOMEM.
 *   fr_region_destroy(r)       children first, then the deferred functions,
 *                              then the memory.  NULL does nothing.  A region
 *                              destroyed twice (or destroyed from one of its
 *                              own deferred functions) aborts with a message
 *                              and a backtrace, always: an fr_region pointer
 *                              is a handle with a generation (not an address:
 *                              never dereference it), so a destroyed region's
 *                              handle stays recognizably stale however many
 *                              regions come and go.
 *                              Using a destroyed region for alloc/defer/create
 *                              aborts the same way.  If the owner layer refuses
 *                              (a handle owned by r or a descendant is still
 *                              borrowed: FR_V_REGION_OUTLIVED), nothing is
 *                              destroyed.
 *   fr_region_allocator(r)     r as an fr_allocator (alloc honours any power-
 *                              of-two alignment; free does nothing except tell
 *                              valgrind/ASan the object is gone).  Handles
 *                              created through it belong to r (owner.h).
 * Thread safety: creating and destroying unrelated trees from several threads
 * is safe; one tree is used by one thread at a time.
 * valgrind/ASan: as for arenas (arena.h), each object is a pool block.
 */
#ifndef FERRUM_REGION_H
#define FERRUM_REGION_H

#include <ferrum/allocator.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_region fr_region;

FR_API fr_region *fr_region_create(fr_region *parent /* NULL: a root */);
FR_API void *fr_region_alloc(fr_region *r, size_t size);
/* fn(arg) runs when r is destroyed, last registered first.  0, or -1 with errno. */
FR_API int fr_region_defer(fr_region *r, void (*fn)(void *), void *arg);
FR_API void fr_region_destroy(fr_region *r); /* children first */
FR_API fr_allocator fr_region_allocator(fr_region *r);

#ifdef __cplusplus
}
#endif

#endif /* FERRUM_REGION_H */

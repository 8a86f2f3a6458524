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
 *       another cache, not from any cache, or not the start of an object:
 *       abort with a message naming the caches and a backtrace.  A double
 *       free is detected (same abort) when the thread's magazine goes back
 *       to the slabs, at the latest at fr_slab_destroy.
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

#ifdef __cplusplus
}
#endif

#endif /* FERRUM_SLAB_H */

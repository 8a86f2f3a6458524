/*
 * ferrum/allocator.h — the one allocator interface.
 *
 * Every ferrum allocator (the general-purpose heap, arenas, slabs, regions)
 * can be used through an fr_allocator value, so that code (and the owner
 * layer) is written once over the interface.  An fr_allocator is a small
 * value: copy it freely.  `free` may do nothing (arena, region: memory goes
 * back when the arena or region does); `size` is the size that was passed to
 * `alloc` (allocators that keep no per-object size use it).
 *
 * Bad input is treated alike by every ferrum allocator behind this
 * interface: size 0 gives NULL with errno = EINVAL, an alignment that is not
 * a power of two gives NULL with errno = EINVAL (align 0 means the
 * allocator's default), and a size that cannot be had gives NULL with
 * errno = ENOMEM.
 */
#ifndef FERRUM_ALLOCATOR_H
#define FERRUM_ALLOCATOR_H

#include <ferrum/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_allocator {
    void *(*alloc)(void *ctx, size_t size, size_t align);
    void (*free)(void *ctx, void *ptr, size_t size); /* may do nothing (arena, region) */
    void *ctx;
} fr_allocator;

/* ferrum's general-purpose heap (fr_aligned_alloc / fr_free) as an fr_allocator. */
FR_API fr_allocator fr_heap_allocator(void);

/* Convenience wrappers: allocate / free through any fr_allocator. */
static inline void *fr_allocator_alloc(fr_allocator a, size_t size, size_t align)
{
    return a.alloc(a.ctx, size, align);
}
static inline void fr_allocator_free(fr_allocator a, void *ptr, size_t size)
{
    if (a.free) a.free(a.ctx, ptr, size);
}

#ifdef __cplusplus
}
#endif

#endif /* FERRUM_ALLOCATOR_H */

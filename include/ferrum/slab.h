/*
 * ferrum/slab.h — object caches after Bonwick's slab allocator.
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

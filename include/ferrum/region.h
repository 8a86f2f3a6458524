/*
 * ferrum/region.h — hierarchical, lifetime-scoped regions (like talloc or
 * APR pools).
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

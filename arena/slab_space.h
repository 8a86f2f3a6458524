/*
 * arena/slab_space.h — the address range every slab lives in.
 *
 * This file is private to the arena component.  All slabs of all caches are
 * carved from one reserved range of address space, in granules of
 * FR_SLAB_GRANULE bytes, and a side table maps each granule to the slab that
 * covers it.  So any pointer at all can be checked without touching memory
 * that might not be mapped: outside the range it is not a slab object; inside,
 * the table names the cache that owns its slab (or none).  That is
 * how fr_slab_free() tells "freed to the wrong slab" and "not from a slab"
 * apart from a correct free at the cost of a compare and two loads.  The
 * descriptor is exported (struct fr__slab_space in ferrum/slab.h) because
 * the inline free of slab.h does that check.
 */
#ifndef FERRUM_ARENA_SLAB_SPACE_H
#define FERRUM_ARENA_SLAB_SPACE_H

#include <stddef.h>
#include <stdint.h>

#include <ferrum/slab.h> /* struct fr__slab_space, fr__slab_space (exported for the inline free) */

#define FR_SLAB_GRANULE_SHIFT FR__SLAB_GRANULE_SHIFT
#define FR_SLAB_GRANULE ((size_t)1 << FR_SLAB_GRANULE_SHIFT) /* 16 KiB */
#define FR_SLAB_MAX_ORDER 16   /* slabs of up to 2^16 granules (1 GiB) */

/* Slab memory of 2^order granules (granule-aligned, zero or stale contents),
 * registered in the table as `owner` (callers may set the entries later); NULL + ENOMEM when the range is full. */
__attribute__((visibility("hidden"))) void *fr__slab_space_get(unsigned order, void *owner);
/* Give the memory back: table entries cleared, pages returned to the system,
 * address range kept for the next slab of that order. */
__attribute__((visibility("hidden"))) void fr__slab_space_put(void *p, unsigned order);

/* The owner (the fr_slab) of the slab covering p, or NULL when p is in no slab. */
static inline void *fr__slab_space_owner(const void *p)
{
    uintptr_t off = (uintptr_t)p - fr__slab_space.base;
    if (off >= fr__slab_space.size) return NULL;
    return fr__slab_space.table[off >> FR_SLAB_GRANULE_SHIFT];
}

#endif /* FERRUM_ARENA_SLAB_SPACE_H */

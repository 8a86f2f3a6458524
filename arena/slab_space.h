/*
 * arena/slab_space.h — the address ranges every slab lives in.
 *
 * This file is private to the arena component.  All slabs of all caches are
 * carved from a few reserved ranges of address space, in granules of
 * FR_SLAB_GRANULE bytes, and a side table per range maps each granule to the
 * cache whose slab covers it.  So any pointer at all can be checked without
 * touching memory that might not be mapped: outside every range it is not a
 * slab object; inside, the table names the header of its slab (or none),
 * and the header names the cache.  That is how fr_slab_free() tells "freed
 * to the wrong cache" and "not from a slab" apart from a correct free.
 * Slab headers are kept out of the ranges, in a pool of their own that is
 * never unmapped (so a lookup without a lock may always read one), which
 * leaves nothing but objects in a slab.  Each slotted cache also has a part
 * of the first range to itself (see slab_space.c), which lets slab.h's
 * inline free check its owner with a mask and a compare.
 */
#ifndef FERRUM_ARENA_SLAB_SPACE_H
#define FERRUM_ARENA_SLAB_SPACE_H

#include <stddef.h>
#include <stdint.h>

#define FR_SLAB_GRANULE_SHIFT 14
#define FR_SLAB_GRANULE ((size_t)1 << FR_SLAB_GRANULE_SHIFT) /* 16 KiB */
#define FR_SLAB_MAX_ORDER 16   /* slabs of up to 2^16 granules (1 GiB) */

/* Slab memory of 2^order granules, aligned to its size (zero or stale
 * contents), for the cache holding slot index `index` (0: none): from that
 * index's part of the first range while it has room, else from the shared
 * space.  Its table entries are NULL until fr__slab_space_publish.  NULL
 * + ENOMEM when no range has room and no new range can be reserved. */
__attribute__((visibility("hidden"))) void *fr__slab_space_get(unsigned order, unsigned index);
/* Name `header` as the header of the slab at p (release store: a free that
 * finds it also sees the header's contents). */
__attribute__((visibility("hidden"))) void fr__slab_space_publish(void *p, unsigned order, void *header);
/* Give the memory back: table entries cleared, pages returned to the system,
 * address range kept for the next slab of that order. */
__attribute__((visibility("hidden"))) void fr__slab_space_put(void *p, unsigned order);
/* Around fork() (slab.c's handlers): the space's lock, taken last. */
__attribute__((visibility("hidden"))) void fr__slab_space_lock(void);
__attribute__((visibility("hidden"))) void fr__slab_space_unlock(void);
/* Slot index `index`'s part of the first range (reserved now if there is
 * none yet): [*lo, *lo + *size), *size a power of two and *lo a multiple of
 * it; only slabs of the cache holding that index are carved there.  Both 0
 * for index 0 or when no range can be reserved. */
__attribute__((visibility("hidden"))) void fr__slab_space_part(unsigned index, uintptr_t *lo, uintptr_t *size);
/* The header of the slab covering p, or NULL when p is in no slab. */
__attribute__((visibility("hidden"))) void *fr__slab_space_header_of(const void *p);
/* A slab header of `bytes` (at most FR_SLAB_HEADER_MAX) outside every
 * range, 16-byte aligned, contents stale; NULL + ENOMEM.  Headers are never
 * unmapped: a put one is kept for the next header of its size class, and
 * its first word is left as the caller wrote it (the slab's owner, which a
 * lookup without a lock may still read: slab.c clears it first). */
#define FR_SLAB_HEADER_MAX ((size_t)4096)
__attribute__((visibility("hidden"))) void *fr__slab_space_header(size_t bytes);
__attribute__((visibility("hidden"))) void fr__slab_space_header_put(void *h, size_t bytes);

#endif /* FERRUM_ARENA_SLAB_SPACE_H */

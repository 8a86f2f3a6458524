/*
 * arena/slab_reap.h — private hooks for the slab tests: reclaim a cache's
 * empty slabs now, count the frees that left the inline fast path, find a
 * slab's header.
 *
 * Empty slabs past the reserve are normally reclaimed after a delay (see
 * slab.c).  fr__slab_reap() reclaims all of them at once; tests use it to
 * observe the reclaim without waiting.  fr__slab_slow_frees() is how many
 * fr_slab_free calls (object not NULL) the calling thread made out of line:
 * a test can tell that the inline free does its job (slab.h) without timing
 * anything.  fr__slab_header_of(p) is the header of the slab holding p
 * (NULL: none): tests free pointers into a header with it.
 */
#ifndef FERRUM_ARENA_SLAB_REAP_H
#define FERRUM_ARENA_SLAB_REAP_H

#include <ferrum/slab.h>

__attribute__((visibility("hidden"))) void fr__slab_reap(fr_slab *s);
__attribute__((visibility("hidden"))) unsigned long fr__slab_slow_frees(void);
__attribute__((visibility("hidden"))) void *fr__slab_header_of(const void *p);

#endif /* FERRUM_ARENA_SLAB_REAP_H */

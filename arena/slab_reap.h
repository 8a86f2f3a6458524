/*
 * arena/slab_reap.h — private: reclaim a slab cache's empty slabs now.
 *
 * Empty slabs past the reserve are normally reclaimed after a delay (see
 * slab.c).  fr__slab_reap() reclaims all of them at once; tests use it to
 * observe the reclaim without waiting.
 */
#ifndef FERRUM_ARENA_SLAB_REAP_H
#define FERRUM_ARENA_SLAB_REAP_H

#include <ferrum/slab.h>

__attribute__((visibility("hidden"))) void fr__slab_reap(fr_slab *s);

#endif /* FERRUM_ARENA_SLAB_REAP_H */

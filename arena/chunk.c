/*
 * arena/chunk.c — where arena and region chunks come from.
 *
 * Arenas and regions ask for few, large blocks (their chunks grow
 * geometrically), so the source matters little for speed; what matters is
 * that it does not depend on ferrum's own allocator being finished, and that
 * valgrind sees clean pools.  Normal runs use aligned_alloc from the C
 * library; under valgrind (RUNNING_ON_VALGRIND, checked per call, it is a few
 * instructions) chunks are mmap'd: a memcheck "malloc block" that also holds
 * mempool blocks would be reported twice by the leak checker.
 * (This file also answers fr__track_disabled(), track.h's FERRUM_NOTRACK switch.)
 * Before memory goes back it is unpoisoned (ASan keeps shadow state for the
 * address range, and the next user of the range must not inherit it).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "chunk.h"
#include "track.h"

#define PAGE 4096u

void *fr__chunk_alloc(size_t size)
{
    if (size == 0 || size > (SIZE_MAX >> 2)) {
        errno = ENOMEM;
        return NULL;
    }
    if (fr__vg_running()) {
        size_t len = (size + PAGE - 1) & ~(size_t)(PAGE - 1);
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            errno = ENOMEM;
            return NULL;
        }
        return p;
    }
    size_t len = (size + FR_CHUNK_ALIGN - 1) & ~(size_t)(FR_CHUNK_ALIGN - 1);
    void *p = aligned_alloc(FR_CHUNK_ALIGN, len);
    if (!p) errno = ENOMEM;
    return p;
}

int fr__track_disabled(void)
{
    static int state = -1; /* benign race: every thread computes the same value */
    int v = __atomic_load_n(&state, __ATOMIC_RELAXED);
    if (v < 0) {
        const char *e = getenv("FERRUM_NOTRACK");
        v = e && *e && strcmp(e, "0") != 0;
        __atomic_store_n(&state, v, __ATOMIC_RELAXED);
    }
    return v;
}

void fr__chunk_free(void *p, size_t size)
{
    if (!p) return;
    fr_track_defined(p, size);
    if (fr__vg_running()) {
        size_t len = (size + PAGE - 1) & ~(size_t)(PAGE - 1);
        munmap(p, len);
        return;
    }
    free(p);
}

/*
 * owner/table.c — the handle table: the slot array, the metadata pages,
 * slot allocation and the free list.
 *
 * The hot slots are one zero-filled array (bss; its pages are mapped by
 * the kernel when first touched, so the table grows with use), never
 * moved, so a borrow in one thread can go on while another thread makes
 * handles; a zero slot reads as "no object", so the borrow fast path
 * indexes the array without a bounds check.  Each slot's cold metadata
 * lives in pages of 4096 entries mmap'd one at a time as the table grows
 * and never unmapped (see internal.h for the encoding).
 *
 * Dropped slots are reused first in, first out, and only once more than
 * FR__QUARANTINE of them wait: a stale handle to a recently dropped object
 * then still finds the backtrace of the drop in its slot, and reports name
 * where the object was dropped.  A slot is retired when its generation
 * would overflow, so a stale handle can never match a later object.
 *
 * Memory for the table comes from mmap, never from an allocator that the
 * table might be tracking.
 */
#include "internal.h"

#if FR_CHECKED

#include <sys/mman.h>

#define FR__QUARANTINE 256u

static fr__slot slot_array[FR__MAX_SLOTS]; /* zero: no object anywhere */
/* Exported as a pointer, not as the array: a program referring to the
 * array itself would get a copy relocation (64 MiB copied at start). */
FR_API fr__slot *const fr__slots = slot_array;
fr__meta *fr__metas[FR__MAX_PAGES];
uint32_t fr__nslots = 1; /* index 0 is the null handle */
pthread_mutex_t fr__table_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t free_head, free_tail, free_count; /* FIFO of dropped slots */

/* Make sure the page holding idx exists.  Lock held. */
static bool page_ensure(uint32_t idx)
{
    uint32_t p = idx >> FR__PAGE_SHIFT;
    if (fr__metas[p]) return true;
    void *m = mmap(NULL, sizeof(fr__meta) * FR__PAGE_SLOTS, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return false;
    /* Readers index fr__metas only with handles they got through some
     * synchronization after this store, but publish with release anyway. */
    __atomic_store_n(&fr__metas[p], (fr__meta *)m, __ATOMIC_RELEASE);
    return true;
}

uint32_t fr__slot_take(void)
{
    if (free_count > FR__QUARANTINE) {
        uint32_t idx = free_head;
        free_head = fr__slot_of(idx)->next_free;
        if (--free_count == 0) free_tail = 0;
        return idx;
    }
    uint32_t idx = __atomic_load_n(&fr__nslots, __ATOMIC_RELAXED);
    if (idx >= FR__MAX_SLOTS || !page_ensure(idx)) {
        /* Table full (or no memory for a page): use the quarantine. */
        if (free_count == 0) return 0;
        uint32_t r = free_head;
        free_head = fr__slot_of(r)->next_free;
        if (--free_count == 0) free_tail = 0;
        return r;
    }
    /* A fresh slot starts at generation 1. */
    __atomic_store_n(&fr__slot_of(idx)->state, fr__bits(0, 1), __ATOMIC_RELAXED);
    __atomic_store_n(&fr__nslots, idx + 1, __ATOMIC_RELEASE);
    return idx;
}

void fr__slot_put(uint32_t idx)
{
    fr__slot *s = fr__slot_of(idx);
    uint32_t gen = (uint32_t)(__atomic_load_n(&s->state, __ATOMIC_RELAXED) >> 32);
    if (gen > FR__GEN_MAX) return; /* retired: this slot is never used again */
    s->next_free = 0;
    if (free_tail)
        fr__slot_of(free_tail)->next_free = idx;
    else
        free_head = idx;
    free_tail = idx;
    free_count++;
}

#endif /* FR_CHECKED */

/*
 * alloc/segment.c — segments: 4 MiB aligned mappings owned by one heap, cut
 * into 64 slices of 64 KiB from which pages are made.
 *
 * A heap keeps its segments on a list; a page of k slices is the lowest run
 * of k free slices (a 64-bit mask per segment, so finding one is a few bit
 * operations), taken first among the free slices still resident (freed and
 * not yet purged: no page faults, no growth of resident memory) and only
 * then among purged or never used ones.  Freed slices stay mapped and are
 * purged (MADV_DONTNEED) once they have been free for the purge delay, or
 * at once on fr_collect(true).  The heap keeps a purge tick every delay
 * while it has free resident slices; at each tick it purges the slices that
 * were already free at the previous tick (purge_old), so a slice is purged
 * between one and two delays after its free, never just after it (a page
 * freed a moment before a purge and reused a moment after cost a purge and
 * a page fault per 4 KiB: glibc-thread took 19,500 faults, mimalloc 5,600);
 * when no slice was freed for a whole delay, all of them go.  A segment whose
 * slices are all free is unmapped, except one per heap kept for reuse (a
 * program that frees everything and starts again would otherwise pay an
 * mmap and page faults each time).
 *
 * When a thread exits, its segments that still hold live blocks are
 * abandoned: their owner is cleared (every free into them becomes a remote
 * free, pushed with one CAS) and they go on a global list.  A heap that needs
 * a new page adopts one abandoned segment first, and fr_collect(true) adopts
 * them all, so memory of dead threads is reused.  A free into an abandoned
 * segment also collects its page under the abandoned lock
 * (fr__segment_abandoned_free): the free of a page's last block purges the
 * page, and of a segment's last page unmaps it, so memory of dead threads
 * that the survivors free goes back even if no heap ever adopts it.
 *
 * secure=1: the last 4 KiB of every segment is PROT_NONE (pages that end
 * there hold fewer blocks), so an overflow off a segment's end faults.
 */
#include "internal.h"

#include <sys/mman.h>

static fr_segment *fr_abandoned;
static _Atomic size_t fr_abandoned_count;

/* ---- The segment map ----
 *
 * 32 MiB (one byte per 4 MiB of a 47-bit address space) reserved with
 * PROT_READ when the allocator starts: reads of untouched entries see the
 * zero page, and a read-only private mapping is charged neither to
 * RLIMIT_DATA nor to resident memory.  (In .bss it was charged whole to
 * RLIMIT_DATA: under `ulimit -d` below ~35 MB a preloaded program could
 * not even be loaded, QA5 S13.)  Registering a segment first makes the 4 KiB
 * page of entries around it writable (1 KiB bitmap of pages done; mprotect
 * is idempotent, so two threads racing on one page is harmless).  Until the
 * map exists fr__segmap points at one zero byte and the mask is 0. */
static const uint8_t segmap_boot[1];
uint8_t *fr__segmap = (uint8_t *)segmap_boot;
uintptr_t fr__segmap_mask;
#define SEGMAP_PAGES (FR_SEGMAP_SIZE / FR_OS_PAGE)
static _Atomic uint64_t segmap_done[SEGMAP_PAGES / 64];

void fr__segmap_init(void)
{
    void *m = mmap(NULL, FR_SEGMAP_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
        fr__print(2, "ferrum: cannot reserve the segment map (32 MiB of address space: RLIMIT_AS?); "
                     "every allocation will fail with ENOMEM\n");
        return;
    }
    __atomic_store_n(&fr__segmap, (uint8_t *)m, __ATOMIC_RELEASE);
    __atomic_store_n(&fr__segmap_mask, FR_SEGMAP_SIZE - 1, __ATOMIC_RELEASE);
}

bool fr__segmap_commit(uintptr_t addr)
{
    if (fr__segmap_mask == 0) return false;
    size_t pg = (size_t)((addr >> FR_SEG_SHIFT) & (FR_SEGMAP_SIZE - 1)) / FR_OS_PAGE;
    uint64_t bit = (uint64_t)1 << (pg % 64);
    if (atomic_load_explicit(&segmap_done[pg / 64], memory_order_acquire) & bit) return true;
    if (mprotect(fr__segmap + pg * FR_OS_PAGE, FR_OS_PAGE, PROT_READ | PROT_WRITE) != 0) return false;
    atomic_fetch_or_explicit(&segmap_done[pg / 64], bit, memory_order_release);
    return true;
}

void fr__segmap_set(uintptr_t addr, uint8_t v)
{
    /* a non-zero entry was committed by the caller; a zero one was set before */
    uint8_t *e = &fr__segmap[(addr >> FR_SEG_SHIFT) & fr__segmap_mask];
    if (FR_UNLIKELY(fr__opt.valgrind) && v != 0) {
        /* helgrind, drd: the entry and a segment's or huge block's header
         * are read relaxed by every free (race.c) */
        fr__race_ignore(e, 1);
        if (v == 1) fr__race_ignore((void *)addr, FR_HDR_SIZE);
    }
    __atomic_store_n(e, v, __ATOMIC_RELEASE);
}

static void seg_link(fr_heap *h, fr_segment *s)
{
    s->prev = NULL;
    s->next = h->segments;
    if (h->segments) h->segments->prev = s;
    h->segments = s;
    s->heap = h;
    __atomic_store_n(&s->tid, h->tid, __ATOMIC_RELEASE);
}

static void seg_unlink(fr_heap *h, fr_segment *s)
{
    if (s->prev) s->prev->next = s->next;
    else h->segments = s->next;
    if (s->next) s->next->prev = s->prev;
    s->next = s->prev = NULL;
}

static fr_segment *segment_new(fr_heap *h)
{
    fr_segment *s = fr__os_map_aligned(FR_SEG_SIZE, FR_SEG_SIZE);
    if (s == NULL) {
        /* the OS refused: free huge blocks kept for reuse may be the reason
         * (only the huge cache: this heap's page logic is in progress) */
        size_t before = atomic_load_explicit(&fr__st_mapped, memory_order_relaxed);
        fr__huge_collect(true);
        if (atomic_load_explicit(&fr__st_mapped, memory_order_relaxed) < before)
            s = fr__os_map_aligned(FR_SEG_SIZE, FR_SEG_SIZE);
        if (s == NULL) return NULL;
    }
    if (!fr__segmap_commit((uintptr_t)s)) {
        fr__os_unmap(s, FR_SEG_SIZE);
        return NULL;
    }
    s->cookie = (uintptr_t)s ^ fr__secret;
    s->kind = FR_SEG_SMALL;
    /* secure=1: the segment's last 4 KiB is a guard page (page.c keeps
     * blocks out of it), so an overflow off the end of a segment faults
     * instead of reaching the next one */
    if (fr__opt.secure) fr__os_guard((uint8_t *)s + FR_SEG_SIZE - FR_OS_PAGE, FR_OS_PAGE);
    seg_link(h, s);
    fr__segmap_set((uintptr_t)s, 1);
    return s;
}

static void segment_free(fr_heap *h, fr_segment *s)
{
    if (h) seg_unlink(h, s);
    fr__segmap_set((uintptr_t)s, 0);
    s->cookie = 0;
    fr__os_unmap(s, FR_SEG_SIZE);
}

static int find_run(uint64_t used, unsigned k)
{
    if (k == 1) return used == ~(uint64_t)0 ? -1 : __builtin_ctzll(~used);
    uint64_t want = ((uint64_t)1 << k) - 1;
    for (unsigned i = 0; i + k <= FR_SLICES; i++)
        if (((used >> i) & want) == 0) return (int)i;
    return -1;
}

static fr_page *carve(fr_segment *s, int at, unsigned k)
{
    uint64_t bits = (k == 64 ? ~(uint64_t)0 : (((uint64_t)1 << k) - 1)) << at;
    s->used_mask |= bits;
    s->purge_mask &= ~bits;
    s->purge_old &= ~bits;
    s->pages_used++;
    fr_page *pg = &s->pages[at];
    for (unsigned i = 1; i < k; i++) {
        memset(&pg[i], 0, sizeof pg[i]);
        pg[i].slice_offset = (uint8_t)i;
    }
    memset(pg, 0, sizeof *pg);
    pg->slices = (uint8_t)k;
    __atomic_store_n(&pg->flags, (uint8_t)FR_PAGE_IN_USE, __ATOMIC_RELAXED);
    return pg;
}

fr_page *fr__segment_page_alloc(fr_heap *h, unsigned k)
{
    /* free slices still resident first (purge_mask holds only free ones) */
    for (fr_segment *s = h->segments; s; s = s->next) {
        if (s->purge_mask == 0) continue;
        int at = find_run(~s->purge_mask, k);
        if (at >= 0) return carve(s, at, k);
    }
    for (fr_segment *s = h->segments; s; s = s->next) {
        int at = find_run(s->used_mask, k);
        if (at >= 0) return carve(s, at, k);
    }
    /* then the abandoned segments, one at a time, until one has room: with
     * thread churn the segments whose slices are all used pile up on top of
     * the abandoned list (each exiting heap pushes its adopted ones last),
     * and stopping at the first adopted one mapped a new segment per thread,
     * each pinned by the one block its thread left (QA7 U9: +3.9 MB of
     * address space per exited thread that left a block of 24 KiB or more) */
    while (fr__segment_adopt(h, false)) {
        fr_segment *s = h->segments; /* the one just adopted (or unmapped: any) */
        int at = s ? find_run(s->used_mask, k) : -1;
        if (at >= 0) return carve(s, at, k);
    }
    fr_segment *s = segment_new(h);
    if (s == NULL) return NULL;
    return carve(s, 0, k);
}

static bool other_empty_segment(fr_heap *h, fr_segment *self)
{
    for (fr_segment *s = h->segments; s; s = s->next)
        if (s != self && s->pages_used == 0) return true;
    return false;
}

/* Purge the free slices of s that are marked in mask. */
static void purge_slices(fr_segment *s, uint64_t mask)
{
    while (mask) {
        unsigned a = (unsigned)__builtin_ctzll(mask);
        unsigned b = a;
        while (b < FR_SLICES && (mask >> b) & 1) b++;
        uint8_t *start = (uint8_t *)s + (size_t)a * FR_SLICE_SIZE;
        if (a == 0) start = (uint8_t *)s + ((FR_HDR_SIZE + FR_OS_PAGE - 1) & ~(size_t)(FR_OS_PAGE - 1));
        uint8_t *end = (uint8_t *)s + (size_t)b * FR_SLICE_SIZE;
        fr__os_purge(start, (size_t)(end - start));
        mask &= b >= 64 ? 0 : ~(uint64_t)0 << b;
    }
}

bool fr__segment_page_free(fr_heap *h, fr_segment *s, fr_page *pg)
{
    unsigned at = (unsigned)(pg - s->pages), k = pg->slices;
    uint64_t bits = (k == 64 ? ~(uint64_t)0 : (((uint64_t)1 << k) - 1)) << at;
    for (unsigned i = 0; i < k; i++) memset(&pg[i], 0, sizeof pg[i]);
    s->used_mask &= ~bits;
    s->pages_used--;
    if (h == NULL) { /* abandoned segment being cleaned: purge now */
        purge_slices(s, bits);
        return false;
    }
    if (s->pages_used == 0 && other_empty_segment(h, s)) {
        segment_free(h, s);
        return true;
    }
    s->purge_mask |= bits;
    if (fr__opt.purge_delay_ns == 0) {
        purge_slices(s, s->purge_mask & ~s->used_mask);
        s->purge_mask = 0;
        s->purge_old = 0;
        return false;
    }
    uint64_t now = fr__now_ns();
    h->dirty_last = now;
    if (h->purge_due == 0) h->purge_due = now + fr__opt.purge_delay_ns;
    else if (now >= h->purge_due) fr__segment_purge(h, false);
    return false;
}

/* The purge tick (see the top): purge what was free at the last tick, or
 * everything when nothing was freed for a whole delay (or force). */
void fr__segment_purge(fr_heap *h, bool force)
{
    uint64_t now = force ? 0 : fr__now_ns();
    bool all = force || now - h->dirty_last >= fr__opt.purge_delay_ns;
    bool tick = all || (h->purge_due != 0 && now >= h->purge_due);
    bool dirty = false;
    fr_segment *s = h->segments;
    while (s) {
        fr_segment *nx = s->next;
        if (tick && s->purge_mask) {
            uint64_t m = (all ? s->purge_mask : s->purge_mask & s->purge_old) & ~s->used_mask;
            if (m) purge_slices(s, m);
            s->purge_mask &= ~m;
            s->purge_old = s->purge_mask;
        }
        if (s->purge_mask) dirty = true;
        if (force && s->pages_used == 0) segment_free(h, s);
        s = nx;
    }
    if (!dirty) h->purge_due = 0;
    else if (tick) h->purge_due = now + fr__opt.purge_delay_ns;
    fr__huge_collect(force);
}

/* ---- Abandoning and adopting ---- */

void fr__segment_abandon_all(fr_heap *h)
{
    for (unsigned c = 0; c < FR_CLASSES; c++) {
        if (h->biased[c]) h->biased[c]->used--;
        h->biased[c] = NULL;
        h->queues[c].first = h->queues[c].last = NULL;
        h->full[c].first = h->full[c].last = NULL;
    }
    fr_segment *s = h->segments;
    while (s) {
        fr_segment *nx = s->next;
        seg_unlink(h, s);
        __atomic_store_n(&s->tid, 0, __ATOMIC_RELEASE);
        s->heap = NULL;
        for (unsigned i = 0; i < FR_SLICES; i++) {
            fr_page *pg = &s->pages[i];
            if (!(fr__pg_flags(pg) & FR_PAGE_IN_USE)) continue;
            fr__pg_set_owner(pg, 0);
            fr__pg_flags_clear(pg, FR_PAGE_FULL);
            pg->next = pg->prev = NULL;
            fr__page_collect(pg);
            if (pg->used == 0) fr__segment_page_free(NULL, s, pg);
        }
        /* slices freed while the heap lived and not yet purged */
        purge_slices(s, s->purge_mask & ~s->used_mask);
        s->purge_mask = 0;
        s->purge_old = 0;
        if (s->pages_used == 0) {
            segment_free(NULL, s);
        } else {
            fr__lock(&fr__abandoned_lock);
            s->prev = NULL;
            s->next = fr_abandoned;
            if (fr_abandoned) fr_abandoned->prev = s;
            fr_abandoned = s;
            s->abandoned = true;
            fr__unlock(&fr__abandoned_lock);
            atomic_fetch_add_explicit(&fr_abandoned_count, 1, memory_order_relaxed);
        }
        s = nx;
    }
    h->purge_due = 0;
}

/* Take one abandoned segment (all of them if `all`) into heap h. */
bool fr__segment_adopt(fr_heap *h, bool all)
{
    if (atomic_load_explicit(&fr_abandoned_count, memory_order_relaxed) == 0) return false;
    bool any = false;
    for (;;) {
        fr__lock(&fr__abandoned_lock);
        fr_segment *s = fr_abandoned;
        if (s) {
            fr_abandoned = s->next;
            if (fr_abandoned) fr_abandoned->prev = NULL;
            s->next = s->prev = NULL;
            s->abandoned = false;
        }
        fr__unlock(&fr__abandoned_lock);
        if (s == NULL) break;
        atomic_fetch_sub_explicit(&fr_abandoned_count, 1, memory_order_relaxed);
        any = true;
        seg_link(h, s);
        for (unsigned i = 0; i < FR_SLICES; i++) {
            fr_page *pg = &s->pages[i];
            if (!(fr__pg_flags(pg) & FR_PAGE_IN_USE)) continue;
            fr__page_collect(pg);
            if (pg->used != 0) fr__page_queue_push(h, pg, false);
            else if (fr__segment_page_free(h, s, pg)) break; /* s was unmapped */
        }
        if (!all) break;
    }
    return any;
}


/* Free block b (its free mark already written) of pg, in a segment whose
 * thread exited (tid 0).  No heap collects such a page until some heap
 * adopts the segment, and a program whose threads are gone may never
 * allocate again in a way that adopts it: the blocks of dead threads, freed
 * later by the survivors, would keep their pages resident and their
 * segments mapped until fr_collect(true) / malloc_trim.  So the freeing
 * thread collects the page itself: once its last block is back, the page's
 * slices are purged at once, and a segment left without pages is unmapped.
 * All under the abandoned lock, so that no heap adopts the segment
 * meanwhile, and b is pushed only once the segment is known to be still
 * abandoned: until then b pins it, so s is never read after an adopter
 * could have unmapped it.  The lock is only tried: if another thread holds
 * it (adopting or reclaiming), false tells the caller to push b as usual,
 * and the page is collected later.  Not under valgrind=1 (the caller's
 * path tracks the link words itself). */
bool fr__segment_abandoned_free(fr_segment *s, fr_page *pg, fr_block *b)
{
    if (atomic_flag_test_and_set_explicit(&fr__abandoned_lock.f, memory_order_acquire)) return false;
    if (!s->abandoned) {
        fr__unlock(&fr__abandoned_lock);
        return false;
    }
    /* other threads may still push on thread_free (they hold no lock) */
    uintptr_t old = atomic_load_explicit(&pg->thread_free, memory_order_relaxed), nw;
    do {
        b->next = fr__link_enc(pg, FR_TF_PTR(old));
        nw = (uintptr_t)b | ((FR_TF_COUNT(old) + 1) << FR_TF_SHIFT);
    } while (!atomic_compare_exchange_weak_explicit(&pg->thread_free, &old, nw, memory_order_acq_rel,
                                                    memory_order_relaxed));
    if (FR_TF_COUNT(nw) < pg->used) { /* blocks still live: nothing to give back yet */
        fr__unlock(&fr__abandoned_lock);
        return true;
    }
    fr__page_collect(pg);
    if (pg->used == 0) fr__segment_page_free(NULL, s, pg);
    if (s->pages_used != 0) {
        fr__unlock(&fr__abandoned_lock);
        return true;
    }
    if (s->prev) s->prev->next = s->next;
    else fr_abandoned = s->next;
    if (s->next) s->next->prev = s->prev;
    s->next = s->prev = NULL;
    s->abandoned = false;
    atomic_fetch_sub_explicit(&fr_abandoned_count, 1, memory_order_relaxed);
    fr__unlock(&fr__abandoned_lock);
    segment_free(NULL, s);
    return true;
}

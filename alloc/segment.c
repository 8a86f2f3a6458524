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
 * Primary: FR_SEGMAP_ENTRIES (2^16) words, indexed by the region number
 * (address >> 22) mod 2^16; an entry holds the number of the region it
 * describes (internal.h), so one compare in free() both finds the entry
 * and checks that it is this region's, in as many instructions as the
 * byte map took (the index is the number's low 16 bits: one movzwl).
 * 512 KiB of address space, of which only the 4 KiB pages around live
 * segments are ever touched, and nothing to set up.  The table is
 * initialized data, not .bss, for its entry 0 alone: region 0 (NULL and
 * every pointer below 4 MiB) must not match an empty entry, whose value 0
 * is its number, so that entry holds a claim from the start (regions whose
 * number is a multiple of 2^16 go to the overflow map).  That costs 512 KiB
 * of file size, no memory: the pages are read from the file only when a
 * free looks at them, as those of .bss are zero-filled.  Until session 8
 * the map was one byte per region of the 47-bit address space, 32 MiB
 * reserved read-only at start: VmSize ~40 MB in a process that allocated
 * one block (glibc 2.5 MB; QA3 Q26), the first thing to hit an RLIMIT_AS
 * limit.
 *
 * Two regions 2^16 * 4 MiB = 256 GiB apart share a primary entry.  The one
 * that claims it first keeps it; the other is registered in the overflow
 * map, which is that old byte map (1, 2 or 0 per region), reserved the
 * first time a region finds its entry taken (PROT_READ, MAP_NORESERVE: not
 * charged to RLIMIT_DATA; the 4 KiB page of entries around a region is
 * made writable when it is registered).  Only the slow paths read it
 * (fr__segmap_get): a free into such a region takes the quick path of
 * free.c instead of the inline one.  The mappings of most processes lie
 * within a few GiB of each other, so they never reserve it.
 *
 * An entry is claimed (fr__segmap_commit: compare-and-swap from 0 to the
 * region's number | FR_SEGMAP_HELD, which reads as "not ours") when the
 * mapping is made, before anything else can fail, and set to 1 or 2 once
 * the header is written; fr__segmap_set(addr, 0) gives it back.  A huge
 * block being resized by mremap is set aside meanwhile (FR_SEGMAP_KEEP,
 * then FR_SEGMAP_RESUME if it stayed, 0 if it moved). */
uintptr_t fr__segmap[FR_SEGMAP_ENTRIES] = {[0] = FR_SEGMAP_HELD};
static uint8_t *_Atomic segmap_over; /* the overflow map, NULL until needed */
#define SEGMAP_PAGES (FR_SEGMAP_SIZE / FR_OS_PAGE)
static _Atomic uint64_t segmap_done[SEGMAP_PAGES / 64];
#define FR_SEGMAP_KEPT ((uintptr_t)1 << 61) /* set aside by FR_SEGMAP_KEEP: reads "not ours" */
#define SEGMAP_NUM(e) ((e) & ~(FR_SEGMAP_TWO | FR_SEGMAP_HELD | FR_SEGMAP_KEPT))

static uint8_t *over_map(void)
{
    uint8_t *m = atomic_load_explicit(&segmap_over, memory_order_acquire);
    if (m != NULL) return m;
    void *r = mmap(NULL, FR_SEGMAP_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) return NULL;
    if (!atomic_compare_exchange_strong_explicit(&segmap_over, &m, (uint8_t *)r, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        munmap(r, FR_SEGMAP_SIZE); /* another thread made it first: m is its map */
        return m;
    }
    return (uint8_t *)r;
}

/* Make the overflow entry of region n writable. */
static bool over_commit(uintptr_t n)
{
    uint8_t *m = over_map();
    if (m == NULL || n >= FR_SEGMAP_SIZE) return false;
    size_t pg = (size_t)n / FR_OS_PAGE;
    uint64_t bit = (uint64_t)1 << (pg % 64);
    if (atomic_load_explicit(&segmap_done[pg / 64], memory_order_acquire) & bit) return true;
    if (mprotect(m + pg * FR_OS_PAGE, FR_OS_PAGE, PROT_READ | PROT_WRITE) != 0) return false;
    atomic_fetch_or_explicit(&segmap_done[pg / 64], bit, memory_order_release);
    return true;
}

bool fr__segmap_commit(uintptr_t addr)
{
    uintptr_t n = addr >> FR_SEG_SHIFT;
    uintptr_t *e = &fr__segmap[n & (FR_SEGMAP_ENTRIES - 1)];
    uintptr_t old = 0;
    if (__atomic_compare_exchange_n(e, &old, n | FR_SEGMAP_HELD, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return true;
    return over_commit(n);
}

void fr__segmap_set(uintptr_t addr, uint8_t v)
{
    uintptr_t n = addr >> FR_SEG_SHIFT;
    uintptr_t *e = &fr__segmap[n & (FR_SEGMAP_ENTRIES - 1)];
    if (FR_UNLIKELY(fr__opt.valgrind) && (v == 1 || v == 2)) {
        /* helgrind, drd: the entry and a segment's or huge block's header
         * are read relaxed by every free (race.c) */
        fr__race_ignore(e, sizeof *e);
        if (v == 1) fr__race_ignore((void *)addr, FR_HDR_SIZE);
    }
    /* Is the primary entry this mapping's?  Only the mapping that claimed
     * it writes it until it is given back.  A region set aside by
     * FR_SEGMAP_KEEP is the remapping thread's alone: once mremap has moved
     * the block, the same range may be mapped again by another thread,
     * whose claim then went to the overflow map, and whose 1 must go there
     * too. */
    uintptr_t cur = __atomic_load_n(e, __ATOMIC_ACQUIRE);
    bool mine = SEGMAP_NUM(cur) == n && (cur & FR_SEGMAP_KEPT) == 0;
    if (v == 0 || v == FR_SEGMAP_RESUME) mine = SEGMAP_NUM(cur) == n;
    if (mine) {
        uintptr_t w = v == 0 ? 0 : v == 2 ? (n | FR_SEGMAP_TWO) : v == FR_SEGMAP_KEEP ? (n | FR_SEGMAP_KEPT) : n;
        __atomic_store_n(e, w, __ATOMIC_RELEASE);
        return;
    }
    /* in the overflow map (committed by fr__segmap_commit) */
    uint8_t *m = atomic_load_explicit(&segmap_over, memory_order_acquire);
    if (m == NULL || n >= FR_SEGMAP_SIZE) return;
    size_t pg = (size_t)n / FR_OS_PAGE;
    if (!(atomic_load_explicit(&segmap_done[pg / 64], memory_order_acquire) & ((uint64_t)1 << (pg % 64)))) return;
    if (FR_UNLIKELY(fr__opt.valgrind) && (v == 1 || v == 2)) fr__race_ignore(&m[n], 1);
    __atomic_store_n(&m[n], v == FR_SEGMAP_KEEP ? 0 : v == FR_SEGMAP_RESUME ? 1 : v, __ATOMIC_RELEASE);
}

/* the overflow map's 1, 2 or 0 for region n (fr__segmap_get, internal.h,
 * found the primary entry holding another region's number) */
unsigned fr__segmap_over_get(uintptr_t n)
{
    uint8_t *m = atomic_load_explicit(&segmap_over, memory_order_acquire);
    if (m == NULL || n >= FR_SEGMAP_SIZE) return 0;
    return __atomic_load_n(&m[n], __ATOMIC_ACQUIRE);
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
 * could have unmapped it.  The lock is taken, not only tried: when a try
 * failed (another survivor freeing, or a heap adopting) b went on the page's
 * list without the page being looked at, and if b was the page's last block
 * nobody collected it.  Such pages stayed in use and their segments
 * abandoned until some heap adopted them, which after fork() was each child's
 * first malloc: every child unmapped the parent's dead segments again (QA17
 * W1: 16 threads exit, 16 survivors free their blocks, 2 threads fork 100
 * children: 58,739 munmap calls, 4.3 s CPU; with the lock taken 3,632 and
 * 1.6 s; glibc 1.2 s).  The section is short (a push, a compare; a purge or
 * an unmap once per page or segment).  The abandoned segment is re-checked
 * under the lock (a heap may have adopted it meanwhile: false, the caller
 * pushes as for any page of a live thread).  Not under valgrind=1 (the
 * caller's path tracks the link words itself). */
bool fr__segment_abandoned_free(fr_segment *s, fr_page *pg, fr_block *b)
{
    fr__lock(&fr__abandoned_lock);
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

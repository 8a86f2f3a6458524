/*
 * alloc/page.c — pages and the allocation slow path.
 *
 * Each heap keeps, per size class, a queue of pages that may have free
 * blocks; the first page of the queue is the one the fast path pops from
 * (heap->tiny[] and heap->direct[] point at it for sizes up to 8 KiB).  When its `free` list
 * runs dry, fr__malloc_generic:
 *   1. collects the page's `local_free` and `thread_free` lists (the
 *      latter with one atomic exchange) without joining them: local_free
 *      becomes `free` and the remote blocks the next local_free;
 *   2. else carves more never-used blocks from the page (a page is carved a
 *      few KiB at a time, so untouched memory stays untouched);
 *   3. else moves the page to the heap's full queue and tries the next one;
 *   4. else looks at the oldest full pages for blocks freed by other threads,
 *      then adopts one segment of an exited thread (its pages join the
 *      queues), and finally takes a fresh page from a segment.
 * A full page has owner 0, so the first free into it takes the slow path,
 * which puts it back in its class queue (fr__page_unfull).  A page whose
 * last block is freed is returned to its segment, unless it is the current
 * page of its class (a malloc/free loop must not map and purge each time).
 * Freshly carved blocks carry the page's free mark (see internal.h), so
 * freeing one that was never handed out is caught like a double free; with
 * secure=1 they are linked in a random order.  Every link is stored encoded
 * with the page's key and checked when malloc decodes it.  Blocks reach the
 * free lists only after free() validated them, so collecting never walks a
 * list except to join two.
 */
#include "internal.h"

#include <errno.h>

/* ---- Queues ---- */

/* The first page of queue cls changed (maybe): move the phantom count and
 * point the direct table at it. */
void fr__heap_update_direct(fr_heap *h, unsigned cls)
{
    fr_page *first = h->queues[cls].first;
    /* a large class's page holds one block: no phantom count, so that it
     * goes back to its segment when that block is freed (size_class.c) */
    if (cls >= FR_LARGE_CLASS) first = NULL;
    if (h->biased[cls] != first) {
        /* the old first page may drop to 0 here: it stays in its queue,
         * empty, until fr__heap_collect returns it */
        if (h->biased[cls]) h->biased[cls]->used--;
        if (first) first->used++;
        h->biased[cls] = first;
    }
    unsigned size = fr__class_size[cls], below = cls == 0 ? 0 : fr__class_size[cls - 1];
    if (size > FR_SMALL_MAX || fr__opt.slow_mode) return;
    fr_page *pg = first ? first : &fr__page_empty;
    /* A class's entries always change together: if its last one is pg
     * already, so are the others.  Classes end on 1024 (size_class.c), so
     * each class is in one table, and every class's run of entries is a
     * multiple of 16 long (tiny[0], size 0, apart): filled 4 at a time. */
    fr_page **t, **end;
    if (size <= FR_TINY_MAX) {
        if (h->tiny[size] == pg) return;
        if (cls == 0) h->tiny[0] = pg;
        t = &h->tiny[below + 1];
        end = &h->tiny[size];
    } else {
        end = &h->direct[size / FR_ALIGN - FR_DIRECT_FIRST];
        if (*end == pg) return;
        t = &h->direct[below / FR_ALIGN + 1 - FR_DIRECT_FIRST];
    }
    for (; t < end; t += 4) t[0] = t[1] = t[2] = t[3] = pg;
}
_Static_assert(FR_TINY_MAX % 16 == 0 && FR_SMALL_MAX % (16 * FR_ALIGN) == 0, "runs of 16 entries");

static void q_remove(fr_pageq *q, fr_page *pg)
{
    if (pg->prev) pg->prev->next = pg->next;
    else q->first = pg->next;
    if (pg->next) pg->next->prev = pg->prev;
    else q->last = pg->prev;
    pg->next = pg->prev = NULL;
}

static void q_push(fr_pageq *q, fr_page *pg, bool front)
{
    if (front) {
        pg->prev = NULL;
        pg->next = q->first;
        if (q->first) q->first->prev = pg;
        else q->last = pg;
        q->first = pg;
    } else {
        pg->next = NULL;
        pg->prev = q->last;
        if (q->last) q->last->next = pg;
        else q->first = pg;
        q->last = pg;
    }
}

static inline uintptr_t fast_owner(fr_heap *h, fr_page *pg)
{
    return (fr__opt.slow_mode || (fr__pg_flags(pg) & (FR_PAGE_ALIGNED | FR_PAGE_FULL))) ? 0 : h->tid;
}

void fr__page_queue_remove(fr_heap *h, fr_page *pg)
{
    if (fr__pg_flags(pg) & FR_PAGE_FULL) {
        q_remove(&h->full[pg->cls], pg);
        fr__pg_flags_clear(pg, FR_PAGE_FULL);
    } else {
        bool was_first = h->queues[pg->cls].first == pg;
        q_remove(&h->queues[pg->cls], pg);
        if (was_first) fr__heap_update_direct(h, pg->cls);
    }
    fr__pg_set_owner(pg, 0);
}

/* Put pg (not in any queue) in its class queue, or the full queue if it has
 * nothing to allocate. */
void fr__page_queue_push(fr_heap *h, fr_page *pg, bool front)
{
    if (pg->free == NULL && pg->local_free == NULL && pg->capacity == pg->reserved &&
        atomic_load_explicit(&pg->thread_free, memory_order_relaxed) == 0) {
        fr__pg_flags_add(pg, FR_PAGE_FULL);
        q_push(&h->full[pg->cls], pg, false);
        fr__pg_set_owner(pg, 0);
        return;
    }
    fr__pg_flags_clear(pg, FR_PAGE_FULL);
    q_push(&h->queues[pg->cls], pg, front);
    fr__pg_set_owner(pg, fast_owner(h, pg));
    if (h->queues[pg->cls].first == pg) fr__heap_update_direct(h, pg->cls);
}

static void page_to_full(fr_heap *h, fr_page *pg)
{
    fr__page_queue_remove(h, pg);
    fr__pg_flags_add(pg, FR_PAGE_FULL);
    q_push(&h->full[pg->cls], pg, false);
    fr__pg_set_owner(pg, 0);
}

void fr__page_unfull(fr_heap *h, fr_page *pg)
{
    q_remove(&h->full[pg->cls], pg);
    fr__pg_flags_clear(pg, FR_PAGE_FULL);
    q_push(&h->queues[pg->cls], pg, false);
    fr__pg_set_owner(pg, fast_owner(h, pg));
    if (h->queues[pg->cls].first == pg) fr__heap_update_direct(h, pg->cls);
}

/* ---- Free lists ---- */

static inline void set_next(const fr_page *pg, fr_block *b, fr_block *next)
{
    if (FR_UNLIKELY(fr__opt.valgrind)) {
        fr_track_undefined(b, sizeof *b);
        b->next = fr__link_enc(pg, next);
        fr_track_noaccess(b, sizeof *b);
        return;
    }
    b->next = fr__link_enc(pg, next);
}

static fr_block *list_tail(const fr_page *pg, fr_block *l)
{
    for (fr_block *nx; (nx = fr__blk_next(pg, l)) != NULL; l = nx) {
    }
    return l;
}

/* Move local_free and thread_free into free; returns the blocks gained from
 * thread_free.  Neither list is walked in the common case (thread_free
 * brings its length along); every block on them was validated when it was
 * freed. */
size_t fr__page_collect(fr_page *pg)
{
    uintptr_t tfv = atomic_exchange_explicit(&pg->thread_free, 0, memory_order_acquire);
    if (FR_UNLIKELY(fr__opt.valgrind)) fr__race_recv(&pg->thread_free); /* helgrind, drd (race.c) */
    fr_block *tf = FR_TF_PTR(tfv);
    size_t n = FR_TF_COUNT(tfv);
    fr_block *lf = pg->local_free;
    pg->local_free = NULL;
    if (lf) {
        if (tf) set_next(pg, list_tail(pg, lf), tf);
    } else {
        lf = tf;
    }
    if (tf) pg->used -= (uint32_t)n;
    if (lf == NULL) return n;
    if (pg->free == NULL) {
        pg->free = lf;
    } else {
        /* rare (collections outside the allocation path): append free */
        set_next(pg, list_tail(pg, lf), pg->free);
        pg->free = lf;
    }
    return n;
}

/* secure=1's shuffles: a per-thread xorshift generator seeded from the
 * process secret and the thread */
static uint64_t next_random(void)
{
    static __thread uint64_t state __attribute__((tls_model("initial-exec")));
    if (state == 0) state = fr__mix(fr__secret ^ fr__thread_id() ^ fr__now_ns()) | 1;
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* The allocation path's collection (pg->free is empty): both lists are
 * taken, but not joined.  Joining needs the tail of one of them, and
 * walking local_free to find it cost sh8bench (half of each batch freed by
 * another thread) a cache miss per block.  Instead local_free becomes the
 * allocation list and the blocks from thread_free become the new
 * local_free, served at the next collection. */
static void collect_one(fr_page *pg)
{
    if (pg->free != NULL) return;
    fr_block *tf = NULL;
    if (atomic_load_explicit(&pg->thread_free, memory_order_relaxed) != 0) {
        uintptr_t tfv = atomic_exchange_explicit(&pg->thread_free, 0, memory_order_acquire);
        if (FR_UNLIKELY(fr__opt.valgrind)) fr__race_recv(&pg->thread_free);
        tf = FR_TF_PTR(tfv);
        pg->used -= (uint32_t)FR_TF_COUNT(tfv);
    }
    fr_block *lf = pg->local_free;
    if (lf != NULL) {
        pg->free = lf;
        pg->local_free = tf;
    } else {
        pg->free = tf;
    }
}

/* Blocks of a page of smaller blocks that start where a large block once
 * started (fr_segment.large_steps) are carved with the free mark but never
 * linked, so never handed out: a second free of that large block finds the
 * mark on a block that is on no list and is reported (free.c), instead of
 * freeing the block of a new owner (QA6 T7).  At most one block per 4 KiB
 * step used in a slice. */
static bool covers_large_steps(fr_segment *s, const fr_page *pg)
{
    size_t at = (size_t)(pg - s->pages);
    for (size_t i = at; i < at + pg->slices; i++)
        if (__atomic_load_n(&s->large_steps[i], __ATOMIC_RELAXED) != 0) return true;
    return false;
}

/* A new page of smaller blocks over slices where large blocks started:
 * if those blocks would be more than a quarter of the page's, forget the
 * steps of its slices instead (the oldest large pointers there lose the
 * protection; a page of 32 KiB blocks over 4 slices that each held a large
 * block would otherwise keep half of its blocks unused). */
static void page_check_large_steps(fr_segment *s, fr_page *pg)
{
    size_t at = (size_t)(pg - s->pages), n = 0;
    uintptr_t start = (uintptr_t)fr__page_origin(pg);
    for (size_t i = at; i < at + pg->slices; i++) {
        unsigned used = __atomic_load_n(&s->large_steps[i], __ATOMIC_RELAXED);
        for (unsigned k = 0; k < FR_LARGE_MARKS; k++) {
            uintptr_t a = (uintptr_t)fr__large_base(s, i) + k * FR_LARGE_STEP;
            if (((used >> k) & 1) && a >= start && (a - start) % pg->block_size == 0 &&
                (a - start) / pg->block_size < pg->reserved)
                n++;
        }
    }
    if (n * 4 > pg->reserved)
        for (size_t i = at; i < at + pg->slices; i++) __atomic_store_n(&s->large_steps[i], 0, __ATOMIC_RELAXED);
}

static void page_extend_once(fr_segment *s, fr_page *pg);

/* Carve more blocks (pg->free is empty): at least one that may be handed
 * out, unless the page has no more room. */
static void page_extend(fr_segment *s, fr_page *pg)
{
    do page_extend_once(s, pg);
    while (pg->free == NULL && pg->capacity < pg->reserved);
}

static void page_extend_once(fr_segment *s, fr_page *pg)
{
    size_t bs = pg->block_size;
    uint8_t *start = fr__page_origin(pg) + (size_t)pg->capacity * bs;
    /* 16 KiB at a time, but a fresh page first only up to the end of the
     * OS page it starts in: a thread with a few blocks in a class then
     * touches one 4 KiB page there, not four (QA3 Q11: 146 KB resident per
     * thread holding 16 blocks in 8 classes, jemalloc 73 KB) */
    size_t n = pg->capacity == 0 ? (FR_OS_PAGE - ((uintptr_t)start & (FR_OS_PAGE - 1))) / bs : (16 * 1024) / bs;
    if (n < 1) n = 1;
    if (n > (size_t)(pg->reserved - pg->capacity)) n = (size_t)(pg->reserved - pg->capacity);
    fr_block *head = pg->free;
    /* under valgrind the slices may hold blocks of an earlier page, freed
     * and so no-access: open them for the links, close them after */
    if (FR_UNLIKELY(fr__opt.valgrind)) fr_track_undefined(start, n * bs);
    if (FR_UNLIKELY(fr__opt.secure) && n > 1) {
        /* secure=1: link the new blocks in a random order (Fisher-Yates),
         * so the address of the next block is not predictable */
        uint16_t order[16 * 1024 / FR_ALIGN];
        for (size_t i = 0; i < n; i++) order[i] = (uint16_t)i;
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = (size_t)(next_random() % (i + 1));
            uint16_t t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (size_t i = 0; i < n; i++) {
            fr_block *b = (fr_block *)(start + (size_t)order[i] * bs);
            b->next = fr__link_enc(pg, head);
            b->key = fr__free_mark(pg);
            head = b;
        }
    } else if (FR_UNLIKELY(pg->cls < FR_LARGE_CLASS && covers_large_steps(s, pg))) {
        for (size_t i = n; i-- > 0;) {
            fr_block *b = (fr_block *)(start + i * bs);
            b->key = fr__free_mark(pg);
            if (fr__large_stale(s, (uintptr_t)b)) continue; /* never handed out */
            b->next = fr__link_enc(pg, head);
            head = b;
        }
    } else {
        for (size_t i = n; i-- > 0;) {
            fr_block *b = (fr_block *)(start + i * bs);
            b->next = fr__link_enc(pg, head);
            b->key = fr__free_mark(pg);
            head = b;
        }
    }
    if (FR_UNLIKELY(fr__opt.valgrind)) fr_track_noaccess(start, n * bs);
    pg->free = head;
    uint16_t cap = (uint16_t)(pg->capacity + n);
    __atomic_store_n(&pg->capacity, cap, __ATOMIC_RELAXED);
    __atomic_store_n(&pg->count, (uint64_t)cap, __ATOMIC_RELAXED);
}

static fr_page *page_fresh(fr_heap *h, unsigned cls)
{
    fr_page *pg = fr__segment_page_alloc(h, fr__class_slices[cls]);
    if (pg == NULL) return NULL;
    fr_segment *s = fr__segment_of(pg);
    size_t area = (size_t)pg->slices * FR_SLICE_SIZE - (pg == &s->pages[0] ? FR_HDR_SIZE : 0);
    if (fr__opt.secure && (size_t)(pg - s->pages) + pg->slices == FR_SLICES)
        area -= FR_OS_PAGE; /* the segment's guard page (segment.c) */
    pg->cls = (uint8_t)cls;
    pg->block_size = fr__class_size[cls];
    uintptr_t start = (uintptr_t)fr__page_start(s, pg);
    uintptr_t origin = start;
    if (cls >= FR_LARGE_CLASS) {
        /* a large page's block starts at a 4 KiB step of its first slice
         * that no large block used there before (see large_steps), as far
         * as the page's room past the block allows (4 steps, 16 KiB) */
        size_t at = (size_t)(pg - s->pages);
        uintptr_t base = (uintptr_t)fr__large_base(s, at);
        size_t span = (size_t)(start + area - base); /* size_class.c: >= the block */
        unsigned steps = (unsigned)((span - pg->block_size) / FR_LARGE_STEP) + 1;
        if (steps > FR_LARGE_STEPS) steps = FR_LARGE_STEPS;
        unsigned used = __atomic_load_n(&s->large_steps[at], __ATOMIC_RELAXED);
        unsigned avail = ~used & ((1u << steps) - 1);
        if (avail == 0) { /* every step used: start again (the oldest pointers lose the protection) */
            used = 0;
            avail = (1u << steps) - 1;
        }
        unsigned k = (unsigned)__builtin_ctz(avail);
        __atomic_store_n(&s->large_steps[at], (uint16_t)(used | (1u << k)), __ATOMIC_RELAXED);
        origin = base + k * FR_LARGE_STEP;
        area -= (size_t)(origin - start);
    }
    pg->reserved = (uint16_t)(area / pg->block_size);
    pg->neg_start = 0 - origin;
    if (cls < FR_LARGE_CLASS && covers_large_steps(s, pg)) page_check_large_steps(s, pg);
    unsigned k = (unsigned)__builtin_ctz(pg->block_size);
    uint64_t odd = pg->block_size >> k, inv = odd; /* Newton: inverse of odd mod 2^64 */
    for (int i = 0; i < 5; i++) inv *= 2 - odd * inv;
    pg->shift = (uint8_t)k;
    pg->inv = inv;
    /* bit 63 set: a plain pointer or plain data written over a link decodes
     * to a value far outside the segment (internal.h, fr__malloc_inline) */
    pg->key = fr__mix(fr__secret + ~start) | ((uintptr_t)1 << 63);
    /* under valgrind the page's room past its last block (a large page's
     * tail) is no-access, so a write past a block that fills its class is
     * still seen */
    if (FR_UNLIKELY(fr__opt.valgrind) && area > (size_t)pg->reserved * pg->block_size)
        fr_track_noaccess((uint8_t *)origin + (size_t)pg->reserved * pg->block_size,
                          area - (size_t)pg->reserved * pg->block_size);
    if (FR_UNLIKELY(fr__opt.valgrind) && origin > start) fr_track_noaccess((uint8_t *)start, origin - start);
    page_extend(s, pg);
    h->fresh_pages++;
    fr__page_queue_push(h, pg, true);
    return pg;
}

/* Look at up to 32 of the oldest full pages of class cls: other threads may
 * have freed blocks into them.  Pages checked in vain go to the back, so
 * successive calls walk the whole queue.  Returns a page with blocks. */
static fr_page *sweep_full(fr_heap *h, unsigned cls)
{
    fr_pageq *fq = &h->full[cls];
    for (int i = 0; i < 32 && fq->first; i++) {
        fr_page *pg = fq->first;
        if (atomic_load_explicit(&pg->thread_free, memory_order_relaxed) != 0 || pg->local_free) {
            collect_one(pg);
            fr__page_unfull(h, pg);
            return pg;
        }
        if (pg == fq->last) break;
        q_remove(fq, pg);
        q_push(fq, pg, false);
    }
    return NULL;
}

/* Return to their segments the pages of h whose every live block has come
 * back through other threads' frees (thread_free holds as many blocks as
 * the page has in use).  Such a page is looked at again only when its
 * class is allocated, and a heap may never allocate that class again: a
 * long-lived thread that took over the segments of exited threads kept
 * each one mapped by a page of small blocks that the next short-lived
 * threads had all freed (QA14 Y1: 45-50 GB of address space, 531 MB
 * resident, for 100 MB live; malloc returned NULL under ulimit -v).  Before
 * every 16th fresh page; one load per page.  The current page of each
 * class stays (as in fr__page_retire); no more frees can come to a page
 * whose blocks are all free, so the count read is final. */
static void reclaim_remote(fr_heap *h)
{
    for (unsigned c = 0; c < FR_CLASSES; c++) {
        for (int full = 0; full < 2; full++) {
            fr_pageq *q = full ? &h->full[c] : &h->queues[c];
            for (fr_page *pg = q->first, *nx; pg; pg = nx) {
                nx = pg->next;
                if (!full && pg == q->first) continue;
                uintptr_t tf = atomic_load_explicit(&pg->thread_free, memory_order_acquire);
                if (tf == 0 || FR_TF_COUNT(tf) != pg->used) continue;
                fr__page_collect(pg);
                fr__page_queue_remove(h, pg);
                fr__segment_page_free(h, fr__segment_of(pg), pg);
            }
        }
    }
}

static fr_page *find_page(fr_heap *h, unsigned cls)
{
    fr_pageq *q = &h->queues[cls];
    fr_page *pg;
    unsigned adopted = 0;
again:
    pg = q->first;
    while (pg) {
        fr_page *nx = pg->next;
        if (pg->free) break;
        collect_one(pg);
        if (pg->free) break;
        if (pg->capacity < pg->reserved) {
            page_extend(fr__segment_of(pg), pg);
            /* (the last blocks carved may all be kept from use: see
             * covers_large_steps) */
            if (pg->free) break;
        }
        page_to_full(h, pg);
        pg = nx;
    }
    if (pg == NULL && h->full[cls].first) pg = sweep_full(h, cls);
    /* before touching fresh memory, take over a segment of an exited thread:
     * its partly used pages join our queues (thread churn would otherwise
     * leave them pinned by a few live blocks each), and its free slices
     * take the fresh page.  One per miss, not all of them: with threads
     * starting together, the first would take every abandoned segment and
     * the others map new ones, which hold their few surviving blocks in yet
     * more segments at exit (F16: hundreds of segments mapped with 5 threads).
     * Up to 64 while none of them has a page of this class with room: with
     * thread churn, each new thread carved a fresh page for its one block
     * of a medium or large class while the pages of that class the exited
     * threads had left with room sat in segments further down the list
     * (QA7 U9: 4,000 threads each leaving one 70,000-byte block ran out of
     * a 600 MB address-space limit with 95 MB live; with a limit of 8,
     * 2,000 threads one after another still mapped 1,124 MB for 140 MB
     * live, with 64: 180 MB).  Not for a large class: its pages hold one
     * block each, and an abandoned segment keeps only pages with a live
     * block, so none has room; fr__segment_page_alloc adopts segments for
     * their free slices when this heap's own have none.  A long-lived
     * thread allocating large blocks next to thread churn took every
     * abandoned segment here, up to 64 per malloc, each pinned by a small
     * block its dead thread had left, so the short threads found none and
     * mapped new ones (QA14 churn_min 200000 500 100 1 4: 6,500 segments
     * mapped, up to 292 at once, VmSize 923-1,075 MB; now 274-297 and 35,
     * 159 MB; glibc 210 MB) */
    if (pg == NULL && cls < FR_LARGE_CLASS && adopted < 64 && fr__segment_adopt(h, false)) {
        adopted++;
        goto again;
    }
    if (pg == NULL) {
        if ((h->fresh_pages & 15) == 15) reclaim_remote(h);
        return page_fresh(h, cls);
    }
    if (q->first != pg) {
        q_remove(q, pg);
        q_push(q, pg, true);
        fr__heap_update_direct(h, cls);
    }
    return pg;
}

/* ---- Statistics (stats=1 only: slow mode) ---- */

static void stat_malloc(size_t req, size_t bs, unsigned cls)
{
    atomic_fetch_add_explicit(&fr__st_retired[0], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&fr__st_retired[2], req, memory_order_relaxed);
    uint64_t now = atomic_fetch_add_explicit(&fr__st_retired[3], bs, memory_order_relaxed) + bs;
    uint64_t peak = atomic_load_explicit(&fr__st_retired[4], memory_order_relaxed);
    while (now > peak && !atomic_compare_exchange_weak_explicit(&fr__st_retired[4], &peak, now,
                                                                memory_order_relaxed, memory_order_relaxed)) {
    }
    if (cls <= FR_CLASSES) atomic_fetch_add_explicit(&fr__st_retired_class[cls], 1, memory_order_relaxed);
}

FR_HIDDEN void fr__stat_malloc(size_t req, size_t bs, unsigned cls) { stat_malloc(req, bs, cls); }

/* A block resized in place (huge realloc by mremap): the live bytes follow
 * its new size; no malloc or free is counted (QA3 Q7: the live figure
 * wrapped below zero at the free, and the peak missed the larger size). */
FR_HIDDEN void fr__stat_resize(size_t old_bs, size_t new_bs)
{
    if (new_bs < old_bs) {
        atomic_fetch_sub_explicit(&fr__st_retired[3], old_bs - new_bs, memory_order_relaxed);
        return;
    }
    uint64_t d = new_bs - old_bs;
    uint64_t now = atomic_fetch_add_explicit(&fr__st_retired[3], d, memory_order_relaxed) + d;
    uint64_t peak = atomic_load_explicit(&fr__st_retired[4], memory_order_relaxed);
    while (now > peak && !atomic_compare_exchange_weak_explicit(&fr__st_retired[4], &peak, now,
                                                                memory_order_relaxed, memory_order_relaxed)) {
    }
}

/* ---- The slow path of malloc ---- */

/* b->next must be a block start of the same page (below the carved bytes):
 * anything else means the program wrote over a free block (an overflow of
 * the block before it, or a write after free).  Report, never follow. */
static void check_link(fr_page *pg, fr_block *b)
{
    uintptr_t start = (uintptr_t)fr__page_origin(pg);
    size_t off = (uintptr_t)fr__link_dec(pg, b) - start;
    if (off >= (size_t)pg->capacity * pg->block_size || off != fr__block_index(off, pg->cls) * pg->block_size)
        fr__fatal("malloc()", b,
                  "heap corruption: the free block's link was overwritten (buffer overflow of the block "
                  "before it, or a write after free)");
}

static FR_NOINLINE void *malloc_full(size_t size, fr_heap *h)
{
    if (FR_UNLIKELY(h == &fr__heap_empty)) {
        h = fr__heap_get();
        if (h == NULL) {
            errno = ENOMEM;
            return NULL;
        }
    }
    if (size > fr__medium_max()) return fr__huge_alloc(size, 0, false);
    unsigned cls = fr__size_class(size);
    fr_page *pg = find_page(h, cls);
    if (pg == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    fr_block *b = pg->free;
    /* the fast path stores a popped block's link as the new head without
     * checking it (internal.h): a link the program overwrote ends here */
    if (FR_UNLIKELY(!fr__block_ok_owner(pg, (uintptr_t)b)))
        /* the damaged block itself is not known here (the fast path
         * returned it and recorded nothing): name what is, the class, the
         * page and the word as the program wrote it (ASCII bytes, a
         * pointer of its own, zeros: QA17 W3) */
        fr__fatal_fmt("malloc()", (void *)((uintptr_t)b ^ pg->key),
                      "heap corruption: a free %zu-byte block was overwritten (buffer overflow of the block "
                      "before it, or a write after free): its link word held the value shown as the pointer, "
                      "as the program wrote it; the damaged block is the one the previous malloc of this size "
                      "returned, in the page of %u blocks at %p",
                      (size_t)pg->block_size, (unsigned)pg->capacity, (void *)fr__page_origin(pg));
    if (fr__opt.valgrind) fr_track_defined(b, sizeof *b);
    fr_block *next = fr__link_dec(pg, b);
    if (next != NULL) check_link(pg, b);
    pg->free = next;
    pg->used++;
    b->key = 0;
    /* the last block of the list (its link is NULL, so the fast path came
     * here): take the page's local and remote frees now, or the next malloc
     * comes here again just to do it (two slow calls per round of a small
     * working set instead of one) */
    if (next == NULL) collect_one(pg);
    if (fr__opt.slow_mode) {
        if (fr__opt.stats) stat_malloc(size, pg->block_size, cls);
        fr_track_malloc(b, size, false);
        if (fr__opt.valgrind && pg->block_size > size)
            fr_track_noaccess((uint8_t *)b + size, pg->block_size - size);
    }
    return b;
}

/* Every malloc the inline fast path does not serve comes here.  First the
 * class's current page, as the inline path takes it: sizes above the direct
 * tables (8 KiB .. 1 MiB: glibc-thread asks 18% of its blocks there) pop
 * from it here, and when its free list ran dry (every size: the inline
 * path popped its last block) its local and remote frees become the list
 * (collect_one) and the pop follows, with the same check of the list's
 * head (internal.h).  About 25-35 instructions instead of a pass through
 * malloc_full, whose prologue alone saves six registers and whose page
 * search and checks cost ~100 (a malloc/free loop of 32 bytes spent 0.85
 * instructions per pair there, one pass per round of its free list).  The
 * heap at start (fr__heap_empty: its tables lead to fr__page_empty, whose
 * head is never NULL and fails the check), slow mode and secure=1's large
 * sizes find no page here (their queues stay empty) and go on to
 * malloc_full, and so does a page with nothing to collect. */
void *fr__malloc_generic(size_t size, fr_heap *h)
{
    if (size <= FR_MEDIUM_MAX && !fr__opt.slow_mode) {
        fr_page *pg;
        if (size <= FR_TINY_MAX) pg = h->tiny[size];
        else if (size <= FR_SMALL_MAX) pg = h->direct[(size + FR_ALIGN - 1) / FR_ALIGN - FR_DIRECT_FIRST];
        else pg = h->queues[fr__size_class(size)].first;
        if (pg != NULL) {
            fr_block *b = pg->free;
            if (b == NULL) {
                collect_one(pg);
                b = pg->free;
            }
            if (FR_LIKELY((((uintptr_t)b ^ (uintptr_t)pg) >> FR_SEG_SHIFT) == 0)) return fr__page_pop(pg, b);
        }
    }
    return malloc_full(size, h);
}

/* ---- Retiring empty pages ---- */

void fr__page_retire(fr_heap *h, fr_segment *s, fr_page *pg)
{
    if (!(fr__pg_flags(pg) & FR_PAGE_FULL) && h->queues[pg->cls].first == pg && pg->cls < FR_LARGE_CLASS)
        return; /* keep the current page (not a large one: size_class.c) */
    fr__page_queue_remove(h, pg);
    fr__segment_page_free(h, s, pg);
}

/* The fast path of free brought pg->used to 0 (pg belongs to this thread). */
void fr__page_now_empty(fr_page *pg)
{
    fr_heap *h = fr__tls_heap;
    fr__page_retire(h, fr__segment_of(pg), pg);
}

/* Collect every page of h; return empty ones to their segments. */
void fr__heap_collect(fr_heap *h, bool force)
{
    if (force) fr__segment_adopt(h, true);
    for (unsigned c = 0; c < FR_CLASSES; c++) {
        fr_page *pg = h->queues[c].first;
        while (pg) {
            fr_page *nx = pg->next;
            fr__page_collect(pg);
            uint32_t used = pg->used - (h->biased[c] == pg ? 1u : 0u);
            if (used == 0 && (force || pg != h->queues[c].first)) {
                fr__page_queue_remove(h, pg);
                fr__segment_page_free(h, fr__segment_of(pg), pg);
            }
            pg = nx;
        }
    }
    for (unsigned c = 0; c < FR_CLASSES; c++) {
        fr_page *pg = h->full[c].first;
        while (pg) {
            fr_page *nx = pg->next;
            fr__page_collect(pg);
            if (pg->used == 0) {
                fr__page_queue_remove(h, pg);
                fr__segment_page_free(h, fr__segment_of(pg), pg);
            } else if (pg->free) {
                fr__page_unfull(h, pg);
            }
            pg = nx;
        }
    }
    fr__segment_purge(h, force);
}

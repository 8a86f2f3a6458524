/*
 * alloc/free.c — the slow path of free: validation, misuse reports, frees
 * from other threads, and pages that become empty or leave the full queue.
 *
 * The fast path (internal.h) handles the common case: an aligned pointer in
 * a segment, on a page whose owner is the calling thread, at a carved block
 * start, whose word 1 is not the page's free mark.  Everything else comes here, where the pointer is
 * checked in full before anything is written:
 *   - the segment map says the 4 MiB region is ours, and the header's cookie
 *     is right (a pointer we never returned is reported, never followed);
 *   - it falls on a block start of a live page (or, on pages that served
 *     aligned_alloc, inside a block);
 *   - its page's free mark is not already in word 1, or, if it is, the block is not on one of
 *     the page's free lists (a double free is reported; a user word that
 *     merely equals the key is not);
 * then the block is pushed on the page's local list (owner thread) or on its
 * thread_free list with one compare-and-swap (any other thread).  Reports
 * name the pointer and the caller's backtrace (report.c) and abort.
 */
#include "internal.h"

FR_HIDDEN void fr__stat_free(size_t bs);

void fr__stat_free(size_t bs)
{
    atomic_fetch_add_explicit(&fr__st_retired[1], 1, memory_order_relaxed);
    atomic_fetch_sub_explicit(&fr__st_retired[3], bs, memory_order_relaxed);
}

/* The header of the region at u, whose segment-map value is v (1 or 2: a
 * huge block aligned to 4 MiB or more has its header one segment below),
 * and whether it is one of ferrum's. */
static fr_segment *header_of(uintptr_t u, unsigned v)
{
    uintptr_t r = (uintptr_t)fr__segment_of((const void *)u);
    return (fr_segment *)(v == 2 ? r - FR_SEG_SIZE : r);
}
static bool is_header(const fr_segment *s)
{
    return s->cookie == ((uintptr_t)s ^ fr__secret);
}

/* A pointer whose 4 MiB region is in no map may lie inside a huge block
 * further on than its first region (only the header's region, and the
 * block's when the header sits one segment below, are registered): look
 * down for the nearest registered region, up to 16 GiB, and ask its header.
 * Reports only (QA17 W2: free(p + 4 MiB) of a 5 MiB block was "not
 * allocated by ferrum"). */
static bool inside_huge(uintptr_t u)
{
    uintptr_t r = (uintptr_t)fr__segment_of((const void *)u);
    for (unsigned i = 0; i < 4096 && r >= 2 * (uintptr_t)FR_SEG_SIZE; i++) {
        r -= FR_SEG_SIZE;
        unsigned v = fr__segmap_get(r);
        if (v == 0) continue;
        fr_segment *s = header_of(r, v);
        return is_header(s) && s->kind == FR_SEG_HUGE && u > (uintptr_t)fr__huge_block(s) &&
               u < (uintptr_t)s + s->map_size;
    }
    return false;
}

/* Validate p and return its page (huge: pages[0] of its header). */
fr_page *fr__page_of_checked(const void *p, fr_segment **segp, const char *fn)
{
    uintptr_t u = (uintptr_t)p;
    if (u & FR_BAD_PTR_BITS) fr__fatal(fn, p, "invalid pointer (misaligned or not a heap address)");
    unsigned v = fr__segmap_get(u);
    if (v == 0)
        fr__fatal(fn, p, inside_huge(u) ? "invalid pointer (inside a huge block, not its start)"
                                        : "invalid pointer (not allocated by ferrum, or already freed)");
    fr_segment *s = header_of(u, v);
    if (!is_header(s))
        fr__fatal(fn, p, "invalid pointer (segment header is not ferrum's: heap corrupted?)");
    *segp = s;
    if (s->kind == FR_SEG_HUGE) {
        if (p != fr__huge_block(s)) fr__fatal(fn, p, "invalid pointer (inside a huge block, not its start)");
        return &s->pages[0];
    }
    fr_page *pg = &s->pages[(u - (uintptr_t)s) >> FR_SLICE_SHIFT];
    pg -= pg->slice_offset;
    if (!(fr__pg_flags(pg) & FR_PAGE_IN_USE))
        fr__fatal(fn, p, "invalid pointer (in no live page: freed twice, or never allocated)");
    if ((const uint8_t *)p < fr__page_start(s, pg))
        fr__fatal(fn, p, "invalid pointer (inside the allocator's own metadata)");
    return pg;
}

/* p is no block start, but a large block started there (large_steps in
 * internal.h): say so.  Inlined, so that the report skips it as an
 * allocator frame (report.c skips fr_ names). */
static inline __attribute__((always_inline)) void stale_large(fr_segment *s, const void *p, const char *fn)
{
    if (fr__large_stale(s, (uintptr_t)p))
        fr__fatal(fn, p, "double free or use after free (a block of 128 KiB..1 MiB freed before)");
}

/* b (= p) starts a block of a page that served aligned allocations: if an
 * aligned allocation was served inside this block (its first word holds the
 * mark of the pointer q returned, which free, realloc and a remote free
 * overwrite with a link), p was never returned: freeing it would free q's
 * block while q is in use (QA7 U8).  A free block (its key in word 1) is
 * left to the caller, which reports the double free.  Slow paths only:
 * such pages never take the inline free.  Inlined, so that the report
 * starts at the caller (report.c skips fr_ frames). */
static inline __attribute__((always_inline)) void aligned_base(const fr_page *pg, const uint8_t *b, const char *fn)
{
    const fr_block *blk = (const fr_block *)b;
    uintptr_t key = fr__opt.valgrind ? fr_track_peek_word(&blk->key) : blk->key;
    if (key == fr__free_mark(pg)) return;
    uintptr_t w0 = fr__opt.valgrind ? fr_track_peek_word(b) : *(const uintptr_t *)b;
    uintptr_t q = fr__aligned_mark((const void *)w0); /* the mark's inverse: an xor */
    if (q > (uintptr_t)b && q < (uintptr_t)b + pg->block_size && (q & (FR_ALIGN - 1)) == 0)
        fr__fatal_fmt(fn, b,
                      "invalid pointer (the start of the block an aligned allocation was served in, "
                      "not the pointer %p it returned)",
                      (void *)q);
}

/* The block containing p; reports p (as a bad argument of fn) if it lies
 * beyond the carved blocks or is not a block start — unless it is the
 * pointer an aligned allocation returned inside that block (the block's
 * first word holds its mark), or the block is free (the caller reports the
 * double free or use after free with the right words).  In a page that
 * served aligned allocations, a block start p is reported when an aligned
 * allocation was served inside that block (aligned_base). */
void *fr__block_start(fr_segment *s, fr_page *pg, const void *p, const char *fn)
{
    uint8_t *start = fr__page_origin(pg);
    size_t off = (size_t)((const uint8_t *)p - start);
    size_t cap = fr__pg_capacity(pg);
    size_t idx = off >= cap * pg->block_size ? cap : fr__block_index(off, pg->cls);
    if (idx >= cap) {
        stale_large(s, p, fn);
        fr__fatal(fn, p, "invalid pointer (never allocated)");
    }
    uint8_t *b = start + idx * pg->block_size;
    if (b != p) {
        bool ok = false;
        if (fr__pg_flags(pg) & FR_PAGE_ALIGNED) {
            fr_block *blk = (fr_block *)b;
            uintptr_t w0 = fr__opt.valgrind ? fr_track_peek_word(b) : *(const uintptr_t *)b;
            uintptr_t key = fr__opt.valgrind ? fr_track_peek_word(&blk->key) : blk->key;
            ok = w0 == fr__aligned_mark(p) || key == fr__free_mark(pg);
        }
        if (!ok) {
            stale_large(s, p, fn);
            fr__fatal(fn, p, "invalid pointer (inside a block, not its start)");
        }
    } else if (fr__pg_flags(pg) & FR_PAGE_ALIGNED) {
        aligned_base(pg, b, fn);
    }
    return b;
}

static bool list_has(const fr_page *pg, fr_block *l, fr_block *b)
{
    for (size_t n = 0; l; l = fr__blk_next(pg, l), n++) {
        if (l == b) return true;
        if ((((uintptr_t)l ^ (uintptr_t)b) >> FR_SEG_SHIFT) != 0) break; /* an overwritten link: stop */
        if (n > 1u << 20) break; /* a corrupted (cyclic) list: stop */
    }
    return false;
}

/* Is b (whose word 1 holds its key) really free? */
static bool is_free(fr_page *pg, fr_block *b, bool local)
{
    if (list_has(pg, FR_TF_PTR(atomic_load_explicit(&pg->thread_free, memory_order_acquire)), b)) return true;
    if (!local) return true; /* cannot walk the owner's lists; the key is a 64-bit secret */
    return list_has(pg, pg->free, b) || list_has(pg, pg->local_free, b);
}

/* The common frees that miss the inline fast path: another thread owns the
 * page (sh8bench, xmalloc, larson free most blocks that way), or this
 * thread does but the inline path does not take the page (a full page, a
 * page of more than one slice: glibc-thread sent a quarter of its frees
 * through the full path for that, 17% of its instructions).  The same
 * checks as the fast path (segment map, carved block start, no free mark),
 * then one compare-and-swap onto thread_free, or, for the owner, the full
 * path's local push.  False sends p through the full path. */
static bool free_quick_pg(void *p, fr_segment *s, fr_page *pg);

static bool free_quick(void *p)
{
    uintptr_t u = (uintptr_t)p;
    if (fr__opt.slow_mode || fr__segmap_get(u) != 1) return false;
    fr_segment *s = fr__segment_of(p);
    fr_page *pg = &s->pages[(u >> FR_SLICE_SHIFT) & (FR_SLICES - 1)];
    return free_quick_pg(p, s, pg - pg->slice_offset);
}

/* the rest of free_quick, once the segment map said 1 for p and pg is the
 * page holding p's slice */
static bool free_quick_pg(void *p, fr_segment *s, fr_page *pg)
{
    uintptr_t u = (uintptr_t)p;
    if ((fr__pg_flags(pg) & (FR_PAGE_IN_USE | FR_PAGE_ALIGNED)) != FR_PAGE_IN_USE || !fr__block_ok(pg, u)) return false;
    uintptr_t tid = __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE);
    fr_block *b = (fr_block *)p;
    if (b->key == fr__free_mark(pg)) return false;
    b->key = fr__free_mark(pg);
    if (tid == fr__thread_id()) {
        fr_heap *h = s->heap;
        b->next = fr__link_enc(pg, pg->free);
        pg->free = b;
        if (fr__pg_flags(pg) & FR_PAGE_FULL) fr__page_unfull(h, pg);
        if (--pg->used == 0) fr__page_retire(h, s, pg);
        return true;
    }
    /* the page's thread is gone: push and give the page back if empty */
    if (FR_UNLIKELY(tid == 0) && fr__segment_abandoned_free(s, pg, b)) return true;
    uintptr_t old = atomic_load_explicit(&pg->thread_free, memory_order_relaxed), nw;
    do {
        b->next = fr__link_enc(pg, FR_TF_PTR(old));
        nw = (uintptr_t)b | ((FR_TF_COUNT(old) + 1) << FR_TF_SHIFT);
    } while (!atomic_compare_exchange_weak_explicit(&pg->thread_free, &old, nw, memory_order_release,
                                                    memory_order_relaxed));
    return true;
}

static void fr__free_full(void *p, const char *fn);

void fr__free_slow(void *p, const char *fn)
{
    if (p == NULL) return;
    if (FR_LIKELY(free_quick(p))) return;
    fr__free_full(p, fn);
}

/* The inline path found the segment map at 1 for p, and pg (the descriptor
 * of p's slice) not owned by this thread: start the quick path from there
 * instead of from the segment map again. */
void fr__free_other(void *p, fr_page *pg, const char *fn)
{
    if (!fr__opt.slow_mode && free_quick_pg(p, fr__segment_of(p), pg - pg->slice_offset)) return;
    fr__free_full(p, fn);
}

/* Every check, every report. */
static void fr__free_full(void *p, const char *fn)
{
    fr_segment *s;
    fr_page *pg = fr__page_of_checked(p, &s, fn);
    if (s->kind == FR_SEG_HUGE) {
        fr__huge_free(s, p, fn);
        return;
    }
    fr_block *b = fr__block_start(s, pg, p, fn);
    uintptr_t me = fr__thread_id();
    bool local = __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE) == me;
    uintptr_t key = fr__free_mark(pg);
    if (fr__opt.valgrind) fr_track_defined(b, sizeof *b);
    if (b->key == key) {
        if (is_free(pg, b, local)) fr__fatal(fn, p, "double free (block is already free)");
        /* a block never handed out because a large block started here
         * before (page.c): p is a pointer to that large block, freed */
        if (pg->cls < FR_LARGE_CLASS && fr__large_stale(s, (uintptr_t)b))
            fr__fatal(fn, p, "double free (a block of 128 KiB..1 MiB freed before; its memory now holds "
                             "smaller blocks)");
    }
    if (fr__opt.slow_mode) {
        fr_track_free(p);
        if (fr__opt.stats) fr__stat_free(pg->block_size);
        fr_track_undefined(b, sizeof *b);
    }
    b->key = key;
    if (local) {
        fr_heap *h = s->heap;
        b->next = fr__link_enc(pg, pg->local_free);
        pg->local_free = b;
        if (fr__opt.valgrind) fr_track_noaccess(b, sizeof *b);
        if (fr__pg_flags(pg) & FR_PAGE_FULL) fr__page_unfull(h, pg);
        if (--pg->used == 0) fr__page_retire(h, s, pg);
        return;
    }
    /* the page's thread is gone: push and give the page back if empty */
    if (!fr__opt.valgrind && __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE) == 0 && fr__segment_abandoned_free(s, pg, b))
        return;
    /* Once the CAS succeeds the owner may take b and hand it out again at
     * once: b is not touched after it (under valgrind its link words are
     * closed before each attempt, reopened only if the attempt fails). */
    uintptr_t old = atomic_load_explicit(&pg->thread_free, memory_order_relaxed), nw;
    for (;;) {
        b->next = fr__link_enc(pg, FR_TF_PTR(old));
        nw = (uintptr_t)b | ((FR_TF_COUNT(old) + 1) << FR_TF_SHIFT);
        if (fr__opt.valgrind) {
            fr_track_noaccess(b, sizeof *b);
            fr__race_send(&pg->thread_free); /* helgrind, drd: the writes above before the owner's take */
        }
        if (atomic_compare_exchange_weak_explicit(&pg->thread_free, &old, nw, memory_order_release,
                                                  memory_order_relaxed))
            return;
        if (fr__opt.valgrind) fr_track_undefined(b, sizeof *b);
    }
}

/* free_sized / free_aligned_sized (C23): the size (and alignment) the
 * program gives must be one it could have asked for this block with, or
 * the program is freeing something else than it thinks (a sized free with
 * a wrong size is how other allocators corrupt their size-class lists).
 * Accepted: size <= the usable size, and size at least the smallest request
 * that lands in this block's size class (the class below's size + 1).
 * realloc keeps blocks in place down to half their usable size: in a page
 * where it did so for a smaller class (pg->shrunk), and for pointers inside
 * a block (an aligned block realloc kept), half is the bound for
 * free_sized; for huge blocks too (less their header and a page, as their
 * mappings are reused up to twice too large).
 * free_aligned_sized (align > 16): aligned_alloc(align, n) over-allocates
 * n + align - 16 bytes, or asks for max(n, align) when that class's blocks
 * are multiples of align (alloc.c), so n lands in the block's class exactly
 * when n + align - 16 exceeds the class below (or n <= align, if align
 * itself lands there: any n): that is the lower bound, wherever in the
 * block p is (QA7 U7); the upper is the usable size, or n + align - 16 up
 * to the class size where the block can only have been over-allocated (p
 * inside it, or a class size not a multiple of align); and p must be
 * aligned as said.  align <= 16: free_sized.  Anything else is reported with the
 * pointer, the size given, the block's real size class and the range of
 * sizes accepted. */
void fr__free_sized(void *p, size_t size, size_t align, const char *fn)
{
    if (p == NULL) return;
    fr_segment *s;
    fr_page *pg = fr__page_of_checked(p, &s, fn);
    if (align != 0 && ((align & (align - 1)) != 0 || ((uintptr_t)p & (align - 1)) != 0))
        fr__fatal_fmt(fn, p, "wrong alignment: %zu given, but the block is not aligned to it", align);
    size_t usable, lower, class_size;
    if (s->kind == FR_SEG_HUGE) {
        usable = s->huge_size;
        class_size = usable;
        lower = usable / 2 > FR_HUGE_HDR + FR_OS_PAGE ? usable / 2 - FR_HUGE_HDR - FR_OS_PAGE : 0;
    } else {
        fr_block *b = fr__block_start(s, pg, p, fn);
        uintptr_t key = fr__opt.valgrind ? fr_track_peek_word(&b->key) : b->key;
        if (key == fr__free_mark(pg)) { /* freed already (or by an absurd chance): free decides and reports */
            fr__free_inline(p, fn);
            return;
        }
        usable = pg->block_size - (size_t)((uint8_t *)p - (uint8_t *)b);
        class_size = pg->block_size;
        size_t below = pg->cls == 0 ? 0 : fr__class_size[pg->cls - 1];
        if (align > FR_ALIGN) {
            lower = below < align ? 0 : below + FR_ALIGN + 1 - align;
            size_t upper = usable; /* (asked for as max(n, align): p is the block) */
            if ((void *)b != p || class_size % align != 0) { /* over-allocated */
                size_t over = class_size + FR_ALIGN > align ? class_size + FR_ALIGN - align : 0;
                if (upper > over) upper = over;
            }
            if (upper < lower || upper == 0) /* no aligned_alloc(align, n) lands in this class (QA14 Y5) */
                fr__fatal_fmt(fn, p,
                              "wrong alignment: %zu given, but no request aligned to it is served from a block "
                              "of size class %zu",
                              align, class_size);
            if (size > upper || size < lower)
                fr__fatal_fmt(fn, p,
                              "wrong size: %zu given, but the block is of size class %zu (requests of %zu..%zu "
                              "bytes aligned to %zu)",
                              size, class_size, lower, upper, align);
            fr__free_inline(p, fn);
            return;
        }
        lower = pg->cls == 0 ? 0 : below + 1u;
        /* pointers inside a block (aligned, kept by realloc) and pages
         * where realloc shrank a block in place: half the usable size */
        if (((void *)b != p || __atomic_load_n(&pg->shrunk, __ATOMIC_RELAXED)) && lower > usable / 2)
            lower = usable / 2;
    }
    size_t eff = align > FR_ALIGN ? size + align : size;
    if (size > usable || eff < lower) {
        if (s->kind == FR_SEG_HUGE)
            fr__fatal_fmt(fn, p, "wrong size: %zu given, but the block is a huge block of %zu usable bytes", size,
                          usable);
        fr__fatal_fmt(fn, p, "wrong size: %zu given, but the block is of size class %zu (requests of %zu..%zu bytes)",
                      size, class_size, lower, usable);
    }
    fr__free_inline(p, fn);
}

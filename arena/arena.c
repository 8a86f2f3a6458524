/*
 * arena/arena.c — bump allocation in geometrically growing chunks.
 *
 * An arena owns a list of chunks, newest first, and a bump pointer into the
 * newest.  Allocation rounds the pointer up to the alignment and bumps it past
 * the object (the common case is inlined in <ferrum/arena.h>: one compare and
 * one add).  When the chunk is full a new one is taken, twice the size of the
 * last (from the first chunk size up to FR_ARENA_MAX_CHUNK), so an arena of N
 * bytes makes O(log N) calls to the system and wastes at most about half of
 * its last chunk.  An object that would take more than half of the next chunk
 * gets a chunk of its own ("dedicated"), inserted behind the current chunk so
 * that the current chunk keeps serving small objects.
 *
 * Marks and rewind.  Every chunk gets a serial number from a counter.  A mark
 * records the current chunk, the offset in it, and the counter's value at
 * save time (low 24 bits, in the high bits of `used`).  Rewind frees every
 * chunk newer than the mark (whether in front of or, for dedicated chunks,
 * behind the mark's chunk) and resets the pointer into the mark's chunk.  A
 * mark whose chunk is no longer in the arena with an old enough serial (it
 * was freed by an earlier rewind or reset, and perhaps its address reused) is
 * refused with an abort instead of corrupting the arena.
 *
 * One empty chunk, the largest retired, is kept as a spare, so that
 * save/alloc/rewind cycles across a chunk boundary and reset/refill cycles do
 * not go to the system each time; at reset the spare is replaced by one chunk
 * as large as everything the arena held, so the next fill needs no other.
 *
 * Tracking (valgrind, ASan; see track.h): each chunk is a valgrind memory
 * pool anchored at its header; its bytes start no-access, each object is a
 * pool block, a 16-byte red zone follows each object, and rewound space is
 * trimmed from the pool and made no-access again.  In this mode the inline
 * fast path is disabled (head.end == head.ptr) so that each object is seen.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena_impl.h"
#include "chunk.h"
#include "region_owner.h"
#include "report.h"
#include "track.h"

#define HDR offsetof(struct fr__arena_chunk, data)
#define MARK_SHIFT FR__ARENA_MARK_SHIFT
#define MARK_SERIAL_MASK ((uint64_t)0xFFFFFF)
#define MARK_OFFSET_MASK (((size_t)1 << MARK_SHIFT) - 1)
#define MIN_CHUNK ((size_t)256)

static inline size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

/* ---- Chunks ---- */

static size_t capacity(const struct fr__arena_chunk *c)
{
    return (size_t)(c->limit - c->data);
}

static uint64_t chunk_sig(const struct fr__arena_chunk *c) { return (uint64_t)(uintptr_t)c ^ FR_CHUNK_CHECK; }

/* c itself (NULL stays NULL), or an abort when its header was overwritten. */
static struct fr__arena_chunk *chunk_ok(const struct fr_arena *a, struct fr__arena_chunk *c)
{
    if (c && __builtin_expect(c->check != chunk_sig(c), 0))
        fr__arena_fatal("arena %p: the header of its memory chunk %p was overwritten (it sits "
                        "just before the chunk's first object: a write before an object, or "
                        "through a dangling pointer?)", (const void *)a, (void *)c);
    return c;
}

/* The chunk before c, c checked. */
static struct fr__arena_chunk *prev_of(const struct fr_arena *a, struct fr__arena_chunk *c)
{
    return chunk_ok(a, c)->prev;
}

/* Where a chunk's objects start: under valgrind/ASan after a red zone that
 * stays no-access (a write just before the first object is reported). */
static unsigned char *chunk_start(const struct fr_arena *a, struct fr__arena_chunk *c)
{
    return c->data + (a->head.tracked ? FR_TRACK_REDZONE : 0);
}

/* Give c the next serial and a fresh (empty, no-access) pool. */
static void chunk_open(struct fr_arena *a, struct fr__arena_chunk *c, bool dedicated)
{
    c->prev = NULL;
    c->serial = ++a->head.serial;
    c->dedicated = dedicated;
    if (a->head.tracked) {
        fr_track_noaccess(c->data, capacity(c));
        fr_track_pool_create(c);
    }
}

static struct fr__arena_chunk *chunk_new(struct fr_arena *a, size_t usable, bool dedicated)
{
    if (usable > FR_ARENA_MAX_OBJECT + 4096) {
        errno = ENOMEM;
        return NULL;
    }
    size_t total = HDR + round16(usable);
    struct fr__arena_chunk *c = fr__chunk_alloc(total);
    if (!c) return NULL;
    c->size = total;
    c->limit = c->data + ((total - HDR) & ~(size_t)15);
    c->check = chunk_sig(c);
    chunk_open(a, c, dedicated);
    return c;
}

/* Free a chunk whose pool is open. */
static void chunk_release(struct fr_arena *a, struct fr__arena_chunk *c)
{
    if (a->head.tracked) fr_track_pool_destroy(c);
    fr__chunk_free(c, c->size);
}

/* A chunk leaves the arena: keep it as the spare if it is the largest normal
 * chunk seen, else free it. */
static void chunk_retire(struct fr_arena *a, struct fr__arena_chunk *c)
{
    if (!c->dedicated && (!a->spare || a->spare->size < c->size)) {
        if (a->head.tracked) {
            fr_track_pool_destroy(c);
            fr_track_noaccess(c->data, capacity(c));
        }
        if (a->spare) fr__chunk_free(a->spare, a->spare->size); /* its pool is closed */
        a->spare = c;
        return;
    }
    chunk_release(a, c);
}

static void set_cur(struct fr_arena *a, struct fr__arena_chunk *c, unsigned char *pos)
{
    a->head.cur = c;
    a->limit = c ? c->limit : NULL;
    a->head.ptr = pos;
    a->head.end = (c && !a->head.tracked) ? c->limit : pos;
}

/* ---- Init / fini (shared with regions) ---- */

void fr__arena_init(struct fr_arena *a, size_t chunk_size)
{
    memset(a, 0, sizeof *a);
    size_t first = chunk_size ? chunk_size : FR_ARENA_DEFAULT_CHUNK;
    if (first < MIN_CHUNK + HDR) first = MIN_CHUNK + HDR;
    a->first_size = round16(first - HDR);
    a->next_size = a->first_size;
    a->head.tracked = fr__track_running() != 0;
    a->magic = FR_ARENA_LIVE;
}

/* Everything goes; the largest chunk stays as the spare.  If the normal
 * chunks held more than the spare can, the spare is replaced by one chunk of
 * that total, so that a fill/reset cycle settles into a single chunk instead
 * of allocating (and page-faulting) its smaller chunks again every cycle. */
static void release_all(struct fr_arena *a)
{
    size_t total = 0;
    struct fr__arena_chunk *c = a->head.cur;
    while (c) {
        struct fr__arena_chunk *prev = prev_of(a, c);
        if (!c->dedicated) total += (c == a->head.cur) ? (size_t)(a->head.ptr - c->data) : capacity(c);
        chunk_retire(a, c);
        c = prev;
    }
    set_cur(a, NULL, NULL);
    if (chunk_ok(a, a->spare) && total > capacity(a->spare) && total <= FR_ARENA_MAX_CHUNK) {
        struct fr__arena_chunk *big = chunk_new(a, total, false);
        if (big) { /* else keep the old spare */
            if (a->head.tracked) fr_track_pool_destroy(big); /* spares have no open pool */
            fr__chunk_free(a->spare, a->spare->size);
            a->spare = big;
        }
    }
}

void fr__arena_fini(struct fr_arena *a)
{
    struct fr__arena_chunk *c = a->head.cur;
    while (c) {
        struct fr__arena_chunk *prev = prev_of(a, c);
        chunk_release(a, c);
        c = prev;
    }
    if (chunk_ok(a, a->spare)) fr__chunk_free(a->spare, a->spare->size);
    a->spare = NULL;
    set_cur(a, NULL, NULL);
    a->magic = FR_ARENA_DEAD;
}

/* Abort unless a is a live arena (fn: the public function, for the message). */
static void check_live(const struct fr_arena *a, const char *fn)
{
    if (__builtin_expect(a->magic == FR_ARENA_LIVE, 1)) return;
    if (a->magic == FR_ARENA_DEAD)
        fr__arena_fatal("%s(%p): the arena was destroyed (a second fr_arena_destroy, or a use "
                        "after destroy)", fn, (const void *)a);
    fr__arena_fatal("%s(%p): not an arena (never made by fr_arena_create, or overwritten)", fn,
                    (const void *)a);
}

/* ---- Allocation ---- */

static void *commit(struct fr_arena *a, struct fr__arena_chunk *c, unsigned char *p,
                    size_t size, size_t need)
{
    if (c == a->head.cur) {
        a->head.ptr = p + need;
        a->head.end = a->head.tracked ? a->head.ptr : a->limit;
    }
    if (a->head.tracked) fr_track_pool_alloc(c, p, size);
    return p;
}

static unsigned char *align_in(struct fr__arena_chunk *c, unsigned char *from, size_t align, size_t need)
{
    uintptr_t p = ((uintptr_t)from + align - 1) & ~(uintptr_t)(align - 1);
    if (p < (uintptr_t)from || p > (uintptr_t)c->limit) return NULL;
    if (need > (uintptr_t)c->limit - p) return NULL;
    return (unsigned char *)p;
}

FR_API void *fr__arena_alloc_slow(fr_arena *a, size_t size, size_t align)
{
    if (!a || size == 0 || align == 0 || (align & (align - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    check_live(a, "fr_arena_alloc");
    if (size >= FR_ARENA_MAX_OBJECT || align >= FR_ARENA_MAX_OBJECT) {
        errno = ENOMEM;
        return NULL;
    }
    if (align < 16) align = 16;
    size_t need = round16(size) + (a->head.tracked ? FR_TRACK_REDZONE : 0);

    if (chunk_ok(a, a->head.cur)) {
        unsigned char *from = a->head.ptr, *start = chunk_start(a, a->head.cur);
        unsigned char *p = align_in(a->head.cur, from < start ? start : from, align, need);
        if (p) return commit(a, a->head.cur, p, size, need);
    }

    size_t want = need + (align > 16 ? align - 16 : 0) /* chunk data is 16-aligned */
                  + (a->head.tracked ? FR_TRACK_REDZONE : 0);
    struct fr__arena_chunk *c;
    if (chunk_ok(a, a->spare) && capacity(a->spare) >= want) {
        c = a->spare;
        a->spare = NULL;
        chunk_open(a, c, false);
    } else if (a->head.cur && want > a->next_size / 2) {
        /* Dedicated chunk behind the current one. */
        c = chunk_new(a, want, true);
        if (!c) return NULL;
        c->prev = a->head.cur->prev;
        a->head.cur->prev = c;
        return commit(a, c, align_in(c, chunk_start(a, c), align, need), size, need);
    } else {
        size_t usable = a->next_size > want ? a->next_size : want;
        c = chunk_new(a, usable, false);
        if (!c) return NULL;
        if (a->next_size < FR_ARENA_MAX_CHUNK) {
            a->next_size *= 2;
            if (a->next_size > FR_ARENA_MAX_CHUNK) a->next_size = FR_ARENA_MAX_CHUNK;
        }
    }
    c->prev = a->head.cur;
    set_cur(a, c, c->data);
    return commit(a, c, align_in(c, chunk_start(a, c), align, need), size, need);
}

void *(fr_arena_alloc)(fr_arena *a, size_t size)
{
    return fr__arena_alloc_inline(a, size);
}

void *fr_arena_alloc_aligned(fr_arena *a, size_t size, size_t align)
{
    if (align <= 16 && align != 0 && (align & (align - 1)) == 0) return fr__arena_alloc_inline(a, size);
    return fr__arena_alloc_slow(a, size, align);
}

/* ---- Create / destroy ---- */

/* Destroyed arena structs wait here before free(), so that a second
 * fr_arena_destroy (or a use after destroy) still finds FR_ARENA_DEAD in
 * them instead of memory malloc gave to someone else.  The oldest of
 * QUARANTINE goes to free() when a new one comes. */
#define QUARANTINE 64
static pthread_mutex_t quarantine_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fr_arena *quarantine[QUARANTINE];
static unsigned quarantine_next;

/* fork() while another thread holds the quarantine lock (destroying an
 * arena) would leave it locked in the child forever: the child's first
 * fr_arena_destroy hung (QA6 T8).  Held across the fork; no other lock is
 * taken while it is held. */
static void quarantine_fork_prepare(void)
{
    pthread_mutex_lock(&quarantine_lock);
}

static void quarantine_fork_after(void)
{
    pthread_mutex_unlock(&quarantine_lock);
}

__attribute__((constructor)) static void quarantine_fork_arm(void)
{
    pthread_atfork(quarantine_fork_prepare, quarantine_fork_after, quarantine_fork_after);
}

static void quarantine_put(struct fr_arena *a)
{
    pthread_mutex_lock(&quarantine_lock);
    struct fr_arena *old = quarantine[quarantine_next];
    quarantine[quarantine_next] = a;
    quarantine_next = (quarantine_next + 1) % QUARANTINE;
    pthread_mutex_unlock(&quarantine_lock);
    free(old);
}

fr_arena *fr_arena_create(size_t chunk_size)
{
    if (chunk_size > FR_ARENA_MAX_FIRST) {
        errno = EINVAL;
        return NULL;
    }
    struct fr_arena *a = malloc(sizeof *a);
    if (!a) {
        errno = ENOMEM;
        return NULL;
    }
    fr__arena_init(a, chunk_size);
    return a;
}

void fr_arena_destroy(fr_arena *a)
{
    if (!a) return;
    check_live(a, "fr_arena_destroy"); /* reads a only: nothing is released before the hook */
    if (!fr__scope_ending(a, "fr_arena_destroy")) return; /* handles over a (owner/scope.c) */
    fr__arena_fini(a);
    quarantine_put(a);
}

void fr_arena_reset(fr_arena *a)
{
    if (!a) return;
    check_live(a, "fr_arena_reset");
    if (!fr__scope_ending(a, "fr_arena_reset")) return;
    release_all(a);
}

/* ---- Marks ---- */

fr_arena_mark fr_arena_save(fr_arena *a)
{
    fr_arena_mark m = { NULL, 0 };
    if (!a) return m;
    check_live(a, "fr_arena_save");
    m.chunk = a->head.cur;
    size_t off = a->head.cur ? (size_t)(a->head.ptr - a->head.cur->data) : 0;
    m.used = off | (size_t)((a->head.serial & MARK_SERIAL_MASK) << MARK_SHIFT);
    return m;
}

void (fr_arena_rewind)(fr_arena *a, fr_arena_mark mark)
{
    if (!a) return;
    check_live(a, "fr_arena_rewind");
    if (!mark.chunk) { /* the empty mark */
        if (!fr__scope_ending(a, "fr_arena_rewind")) return;
        release_all(a);
        return;
    }
    /* The full serial of the mark: the largest value <= a->head.serial with the
     * mark's low 24 bits. */
    uint64_t low = ((uint64_t)mark.used >> MARK_SHIFT) & MARK_SERIAL_MASK;
    uint64_t full = (a->head.serial & ~MARK_SERIAL_MASK) | low;
    if (full > a->head.serial) full -= MARK_SERIAL_MASK + 1;
    size_t off = mark.used & MARK_OFFSET_MASK;

    /* Check before changing anything. */
    struct fr__arena_chunk *m = a->head.cur;
    while (m && m != (struct fr__arena_chunk *)mark.chunk) m = prev_of(a, m);
    chunk_ok(a, m);
    if (!m || m->serial > full || off > capacity(m) || (off & 15) != 0 ||
        (m == a->head.cur && m->data + off > a->head.ptr))
        fr__arena_fatal("fr_arena_rewind(%p, {%p, %#zx}): the mark is not valid for this arena "
                        "(taken from another arena, or before a reset or an earlier rewind that "
                        "already freed its position)", (void *)a, mark.chunk, mark.used);

    /* Free every chunk newer than the mark: all those in front of m (added
     * after m stopped being current), and the dedicated chunks made after
     * the save, which sit right behind m. */
    while (a->head.cur != m) {
        struct fr__arena_chunk *c = a->head.cur;
        a->head.cur = c->prev;
        chunk_retire(a, c);
    }
    while (chunk_ok(a, m->prev) && m->prev->serial > full) {
        struct fr__arena_chunk *c = m->prev;
        m->prev = c->prev;
        chunk_retire(a, c);
    }
    if (a->head.tracked) {
        if (off == 0) {
            fr_track_pool_destroy(m);
            fr_track_pool_create(m);
        } else {
            fr_track_pool_trim(m, m->data, off);
        }
        fr_track_noaccess(m->data + off, capacity(m) - off);
    }
    set_cur(a, m, m->data + off);
}

/* ---- As an fr_allocator ---- */

void fr__arena_forget(struct fr_arena *a, void *p, size_t size)
{
    if (!a || !a->head.tracked || !p) return;
    for (struct fr__arena_chunk *c = a->head.cur; c; c = prev_of(a, c)) {
        if ((unsigned char *)p >= c->data && (unsigned char *)p < c->limit) {
            fr_track_pool_free(c, p, size ? size : 1);
            return;
        }
    }
}

static void *arena_alloc_cb(void *ctx, size_t size, size_t align)
{
    return fr_arena_alloc_aligned(ctx, size, align);
}

static void arena_free_cb(void *ctx, void *ptr, size_t size)
{
    fr__arena_forget(ctx, ptr, size);
}

fr_allocator fr_arena_allocator(fr_arena *a)
{
    fr_allocator al = { arena_alloc_cb, arena_free_cb, a };
    return al;
}

/*
 * arena/slab.c — object caches after Bonwick's slab allocator (1994), with
 * per-thread magazines (Bonwick & Adams, 2001).
 *
 * A cache (fr_slab) hands out objects of one size and alignment.  Objects
 * live in slabs: runs of 2^k granules of the slab space (slab_space.h), each
 * starting with a header (owner cache, counts, list links) and a bitmap of
 * its free objects, followed by the objects.  The bitmap is kept outside the
 * objects, so a free object is never written by the allocator: Bonwick's
 * contract holds — the constructor runs once per object when its slab is
 * created, the destructor once when the slab is reclaimed (or the cache
 * destroyed), and an object keeps its constructed state between free and
 * alloc.
 *
 * Slabs sit on one of three lists of their cache: partial (some objects
 * free), full (none free), empty (all free).  A reserve of empty slabs
 * (FR_SLAB_RESERVE, fewer for big slabs) is always kept; past that, an empty
 * slab is reclaimed (destructors run, pages go back to the system) once it
 * has stayed empty FR_SLAB_REAP_MS, or at once when more than
 * FR_SLAB_EMPTY_BYTES of empty slabs pile up.  The delay is
 * checked whenever the cache's lock is taken; it keeps a program that frees
 * and reallocates a batch from returning and refaulting its pages each time
 * (purge on a delay, not on every free).
 *
 * Magazines.  Each thread has a small direct-mapped table of
 * FR_SLAB_TLS_SLOTS (cache id, magazine) slots.  fr_slab_alloc pops from its
 * magazine and fr_slab_free pushes to it, with no lock and no atomic
 * operation: only when a magazine is empty (alloc) or full (free) is the
 * cache locked, to exchange whole magazines with the cache's depot (see
 * "Magazines" below).  Cache ids are never reused, so a slot left behind by
 * a destroyed cache never matches again and its magazine pointer is never
 * followed.  Two live caches that share a slot take turns: the newcomer goes
 * straight to its slabs (locked) until it has missed FR_SLOT_PATIENCE times,
 * then evicts the other (whose magazines go back to its slabs).
 *
 * Fast paths (slab.h).  fr_slab_alloc and fr_slab_free are static inline
 * in slab.h: alloc pops from the thread's loaded magazine for the cache,
 * free checks the owner and pushes; the slot is found %fs-relative on
 * x86-64 (its offset from the thread pointer, the same in every thread for
 * initial-exec TLS, is stored in the cache), by the cache key elsewhere.
 * Everything else calls the FR_API functions below.  Caches tracked under
 * valgrind/ASan carry a key that never matches a slot, so every call of
 * theirs takes the out-of-line path, which does the tracking.
 *
 * Validation, and when (the trade-off for a 29-instruction alloc+free):
 *   - owner: on every free, inline.  The slab space table gives the owner
 *     cache of any pointer's granule without touching unmapped memory; a
 *     pointer in no slab or in another cache's slab goes to the
 *     out-of-line free, which aborts naming both caches (bad_owner).
 *   - boundary (the offset is a multiple of the object stride, checked by a
 *     multiplication by the stride's modular inverse, no division): on the
 *     out-of-line free at once; for objects pushed inline, when a magazine
 *     filled by one thread is taken from the depot by another (mag_check,
 *     branch-free; magazines carry their filler's serial) or when objects
 *     go back to the slabs (give_objects).  Until then, the thread that
 *     freed an interior pointer may get it back from fr_slab_alloc.
 *   - double free: when the objects go back to their slab (the bitmap bit
 *     is already set); under valgrind at once (memcheck sees the pool
 *     block freed twice).
 *
 * Cost (callgrind, bench/arena, 1000 x 32 B, net of the benchmark loop):
 * alloc+free of one object 29.0 instructions (pair: the inline paths alone)
 * and 43.7 (batch, where most objects travel through the depot), against
 * 135 and 182 for glibc's malloc+free; before the inline paths, 74 and 83.5.
 *
 * Lock order: registry_lock (the list of live caches) -> cache->lock ->
 * the slab space lock.  Thread exit: a pthread key destructor hands each of
 * the thread's magazines back to its cache if the cache is still live
 * (looked up by id under registry_lock); fr_slab_destroy first removes the
 * cache from the registry, then empties every magazine of the cache.  The
 * user's side of the contract: no thread uses a cache while it is destroyed.
 *
 * Tracking (track.h): each slab is a valgrind memory pool; free objects are
 * no-access; an allocated object is a pool block (marked defined when the
 * cache has a constructor, undefined otherwise).  Under ASan free objects are
 * poisoned.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FR__SLAB_NO_INLINE 1 /* this file defines the out-of-line functions */
#include <ferrum/slab.h>

#include "slab_reap.h"

#include "report.h"
#include "slab_space.h"
#include "track.h"

#define FR_SLAB_RESERVE 4                       /* empty slabs always kept, at most... */
#define FR_SLAB_RESERVE_BYTES ((size_t)256 << 10) /* ...and about this much (at least one) */
#define FR_SLAB_REAP_MS 500
#define FR_SLAB_EMPTY_BYTES ((size_t)16 << 20)
#define FR_SLAB_TLS_SLOTS 16
#define FR_SLOT_PATIENCE 256
#define FR_MAG_CAP 64                    /* objects per magazine, at most... */
#define FR_MAG_BYTES ((size_t)64 << 10)  /* ...and about this many bytes of them */
#define FR_DEPOT_BYTES ((size_t)1 << 20) /* objects kept in full magazines, about */
#define FR_DEPOT_EMPTY_MIN 4
#define FR_DEPOT_MAX 64
#define FR_SLAB_MIN_OBJECTS 8
#define FR_SLAB_MAX_OBJECT ((size_t)64 << 20)

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

enum { L_PARTIAL, L_FULL, L_EMPTY };

struct slab {
    fr_slab *cache;
    struct slab *next, *prev;
    unsigned char *first;       /* first object */
    uint32_t nfree, nobj;
    uint32_t list;
    uint32_t hint;              /* a bitmap word that may have bits set */
    uint64_t empty_since;       /* ms (coarse clock) when it went on the empty list */
    uint64_t bitmap[];          /* bit set: object free */
};

/* A magazine (struct fr__slab_mag, slab.h): a stack of free, constructed
 * objects, FR_MAG_CAP slots allocated, cap used. */
#define mag fr__slab_mag

struct fr__slab_cpu {                    /* one thread's magazines for one cache */
    struct fr__slab_cpu *next, *prev;    /* in cache->cpus */
    struct mag *loaded, *previous;
    uint64_t serial;            /* unique per cache: marks the magazines it fills */
};

struct fr_slab {
    uint64_t key;               /* struct fr__slab_head: id, | bit 63 when tracked */
    intptr_t slot_tp;           /* struct fr__slab_head: slot - thread pointer */
    uint64_t id;
    size_t size, stride, align;
    void (*ctor)(void *);
    void (*dtor)(void *);
    unsigned order;             /* slab = 2^order granules */
    uint32_t nobj;
    size_t first_off;
    unsigned shift;             /* stride = odd << shift */
    uint64_t low_mask;          /* (1 << shift) - 1 */
    uintptr_t base_mask;        /* ~(slab bytes - 1): object -> slab header */
    uint64_t inv, lim;          /* odd * inv == 1 (mod 2^64); lim = UINT64_MAX / odd */
    bool tracked;
    pthread_mutex_t lock;
    struct slab *lists[3];
    struct slab *tails[3];      /* oldest of each list */
    size_t nempty, nslabs;
    size_t empty_cap;           /* empty slabs kept at most, however recent */
    size_t reserve;             /* empty slabs kept however old */
    struct fr__slab_cpu *cpus;           /* every thread's magazines (for destroy) */
    struct mag *depot_full, *depot_empty;
    uint64_t cpu_serial;        /* last fr__slab_cpu serial handed out */
    size_t nfull, nempty_mags, depot_max, empty_mags_max;
    uint32_t mag_cap;
    fr_slab *reg_next;          /* registry of live caches */
    char name[40];
};

/* ---- Registry of live caches, thread slots ---- */

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static fr_slab *registry;
static uint64_t next_id = 1;

#define tls_slot fr__slab_slot
_Static_assert(FR_SLAB_TLS_SLOTS == FR__SLAB_TLS_SLOTS, "slab.h and slab.c disagree");
__thread struct fr__slab_slot fr__slab_slots[FR_SLAB_TLS_SLOTS] __attribute__((tls_model("initial-exec")));
#define tls_slots fr__slab_slots
static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

static fr_slab *registry_find(uint64_t id) /* registry_lock held */
{
    for (fr_slab *s = registry; s; s = s->reg_next)
        if (s->id == id) return s;
    return NULL;
}

/* ---- Slab lists ---- */

static void list_remove(fr_slab *s, struct slab *sl)
{
    if (sl->prev) sl->prev->next = sl->next;
    else s->lists[sl->list] = sl->next;
    if (sl->next) sl->next->prev = sl->prev;
    else s->tails[sl->list] = sl->prev;
    sl->next = sl->prev = NULL;
}

static void list_push(fr_slab *s, struct slab *sl, uint32_t list)
{
    sl->list = list;
    sl->prev = NULL;
    sl->next = s->lists[list];
    if (sl->next) sl->next->prev = sl;
    else s->tails[list] = sl;
    s->lists[list] = sl;
}

static size_t bitmap_words(uint32_t nobj) { return (nobj + 63) / 64; }

/* ---- Slab creation and reclaim ---- */

static struct slab *slab_new(fr_slab *s) /* cache lock held */
{
    struct slab *sl = fr__slab_space_get(s->order, NULL);
    if (!sl) return NULL;
    size_t bytes = FR_SLAB_GRANULE << s->order;
    fr_track_defined(sl, bytes);
    sl->cache = s;
    sl->next = sl->prev = NULL;
    sl->first = (unsigned char *)sl + s->first_off;
    sl->nobj = sl->nfree = s->nobj;
    sl->hint = 0;
    size_t words = bitmap_words(s->nobj);
    for (size_t w = 0; w < words; w++) sl->bitmap[w] = ~(uint64_t)0;
    if (s->nobj % 64) sl->bitmap[words - 1] = ((uint64_t)1 << (s->nobj % 64)) - 1;
    if (s->ctor)
        for (uint32_t i = 0; i < s->nobj; i++) s->ctor(sl->first + (size_t)i * s->stride);
    if (s->tracked) {
        fr_track_pool_create(sl);
        fr_track_noaccess(sl->first, (size_t)s->nobj * s->stride);
    }
    /* Publish in the granule table last: only now may frees find it. */
    size_t first = ((uintptr_t)sl - fr__slab_space.base) >> FR_SLAB_GRANULE_SHIFT;
    for (size_t i = 0; i < ((size_t)1 << s->order); i++)
        __atomic_store_n(&fr__slab_space.table[first + i], (void *)s, __ATOMIC_RELEASE);
    s->nslabs++;
    return sl;
}

static void slab_reclaim(fr_slab *s, struct slab *sl)
{
    if (s->tracked) {
        fr_track_pool_destroy(sl);
        fr_track_defined(sl->first, (size_t)s->nobj * s->stride);
    }
    if (s->dtor)
        for (uint32_t i = 0; i < s->nobj; i++) s->dtor(sl->first + (size_t)i * s->stride);
    s->nslabs--;
    fr__slab_space_put(sl, s->order);
}

/* ---- Object <-> slab ---- */

__attribute__((noinline, cold, noreturn)) static void bad_owner(fr_slab *s, void *obj, fr_slab *owner)
{
    if (!owner)
        fr__arena_fatal("fr_slab_free(\"%s\", %p): the object does not come from any slab", s->name, obj);
    fr__arena_fatal("fr_slab_free(\"%s\", %p): the object belongs to slab cache \"%s\", freed to the "
                    "wrong cache", s->name, obj, owner->name);
}

__attribute__((noinline, cold, noreturn)) static void bad_offset(fr_slab *s, void *obj)
{
    fr__arena_fatal("fr_slab_free(\"%s\", %p): not the start of an object of this cache (object "
                    "size %zu)", s->name, obj, s->size);
}

/* The slab of obj and obj's index in it, or abort.  The granule table names
 * the owning cache; the slab header sits at the slab-size-aligned base. */
static inline struct slab *slab_of(fr_slab *s, void *obj, uint32_t *index)
{
    fr_slab *owner = fr__slab_space_owner(obj);
    if (UNLIKELY(owner != s)) bad_owner(s, obj, owner);
    uintptr_t base = (uintptr_t)obj & s->base_mask;
    uint64_t x = (uint64_t)((uintptr_t)obj - base - s->first_off); /* huge if obj is in the header */
    uint64_t q = (x >> s->shift) * s->inv;
    if (UNLIKELY(((x & s->low_mask) != 0) | (q > s->lim) | (q >= s->nobj))) bad_offset(s, obj);
    *index = (uint32_t)q;
    return (struct slab *)base;
}

/* Take up to n objects from the slabs into out[]; returns how many. Lock held. */
static uint32_t take_objects(fr_slab *s, void **out, uint32_t n)
{
    uint32_t got = 0;
    while (got < n) {
        struct slab *sl = s->lists[L_PARTIAL];
        if (!sl) {
            sl = s->lists[L_EMPTY];
            if (sl) {
                list_remove(s, sl);
                s->nempty--;
            } else {
                sl = slab_new(s);
                if (!sl) break;
            }
            list_push(s, sl, L_PARTIAL);
        }
        size_t words = bitmap_words(sl->nobj);
        for (size_t w = sl->hint; w < words && got < n && sl->nfree > 0; w++) {
            uint64_t bits = sl->bitmap[w];
            while (bits && got < n) {
                unsigned b = (unsigned)__builtin_ctzll(bits);
                bits &= bits - 1;
                out[got++] = sl->first + (w * 64 + b) * s->stride;
                sl->nfree--;
            }
            sl->bitmap[w] = bits;
            sl->hint = (uint32_t)w;
        }
        if (got < n && sl->nfree > 0 && sl->hint != 0 && sl->hint + 1 >= words)
            sl->hint = 0; /* defensive: never spin on a slab whose free bits lie below the hint */
        if (sl->nfree == 0) {
            list_remove(s, sl);
            list_push(s, sl, L_FULL);
        }
    }
    return got;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Reclaim empty slabs past the reserve: those empty for FR_SLAB_REAP_MS, and
 * any past empty_cap; all of them when forced.  Oldest first.  Lock held. */
static void reap(fr_slab *s, bool force)
{
    uint64_t now = force ? 0 : now_ms();
    while (s->nempty > s->reserve) {
        struct slab *old = s->tails[L_EMPTY];
        if (!force && s->nempty <= s->empty_cap && now - old->empty_since < FR_SLAB_REAP_MS) break;
        list_remove(s, old);
        s->nempty--;
        slab_reclaim(s, old);
    }
}

void fr__slab_reap(fr_slab *s)
{
    pthread_mutex_lock(&s->lock);
    reap(s, true);
    pthread_mutex_unlock(&s->lock);
}

/* Return n objects to their slabs.  Lock held. */
static void give_objects(fr_slab *s, void **objs, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t idx;
        struct slab *sl = slab_of(s, objs[i], &idx);
        uint64_t bit = (uint64_t)1 << (idx % 64);
        if (UNLIKELY(sl->bitmap[idx / 64] & bit))
            fr__arena_fatal("fr_slab_free(\"%s\", %p): object freed twice", s->name, objs[i]);
        sl->bitmap[idx / 64] |= bit;
        if (idx / 64 < sl->hint) sl->hint = idx / 64;
        if (sl->nfree++ == 0) {
            list_remove(s, sl);
            list_push(s, sl, L_PARTIAL);
        }
        if (sl->nfree == sl->nobj) {
            list_remove(s, sl);
            sl->empty_since = now_ms();
            list_push(s, sl, L_EMPTY);
            s->nempty++;
        }
    }
    if (s->nempty > s->reserve) reap(s, false);
}

/* ---- Magazines, the depot and thread slots ----
 * Bonwick & Adams: each thread has a loaded and a previous magazine per cache.
 * alloc pops from loaded; when it is empty and previous is full they swap;
 * when both are empty, previous goes to the depot's empty list and a full
 * magazine comes from the depot (or, if there is none, loaded is filled from
 * the slabs).  free is the mirror image.  So the lock is taken at most once
 * per magazine's worth of operations and, in a steady state, objects move between
 * threads and the depot in whole magazines without touching the slabs.  The
 * depot keeps at most depot_max full magazines (about FR_DEPOT_BYTES of
 * objects); beyond that a magazine's objects go back to their slabs, whose
 * empty ones are reclaimed past the reserve. */

static struct mag *mag_new(fr_slab *s)
{
    struct mag *m = malloc(sizeof *m + s->mag_cap * sizeof(void *));
    if (m) {
        m->next = NULL;
        m->origin = 0;
        m->n = 0;
        m->cap = s->mag_cap;
    }
    return m;
}

/* Cache lock held.  Empty m into the slabs and keep or free it. */
static void mag_drain(fr_slab *s, struct mag *m, bool keep)
{
    give_objects(s, m->objs, m->n);
    m->n = 0;
    if (keep && s->nempty_mags < s->empty_mags_max) {
        m->next = s->depot_empty;
        s->depot_empty = m;
        s->nempty_mags++;
    } else {
        free(m);
    }
}

/* Abort unless every object of m starts an object of s's slabs.  The owner
 * was checked on free; the boundary costs a mask, a subtraction, a shift and
 * a multiplication per object, accumulated without branches (the exact
 * message comes from slab_of on the rare failure). */
static void mag_check(fr_slab *s, const struct mag *m)
{
    uintptr_t in_slab = ~s->base_mask;
    uint64_t bad = 0;
    for (uint32_t i = 0; i < m->n; i++) {
        uint64_t x = (uint64_t)(((uintptr_t)m->objs[i] & in_slab) - s->first_off);
        uint64_t q = (x >> s->shift) * s->inv;
        bad |= (x & s->low_mask) | (uint64_t)(q >= s->nobj);
    }
    if (UNLIKELY(bad))
        for (uint32_t i = 0; i < m->n; i++) {
            uint32_t idx;
            (void)slab_of(s, m->objs[i], &idx);
        }
}

/* Cache lock held.  A full magazine, filled by the thread whose serial is
 * origin (0: none known), goes to the depot (or to the slabs).  The inline
 * free (slab.h) checks only the owner cache of an object; the boundaries are
 * checked when another thread takes the magazine from the depot (refill) or
 * on the way to the slabs (give_objects). */
static void depot_put_full(fr_slab *s, struct mag *m, uint64_t origin)
{
    if (s->nfull < s->depot_max) {
        m->origin = origin;
        m->next = s->depot_full;
        s->depot_full = m;
        s->nfull++;
    } else {
        mag_drain(s, m, true);
    }
}

static void depot_put_empty(fr_slab *s, struct mag *m)
{
    if (s->nempty_mags < s->empty_mags_max) {
        m->next = s->depot_empty;
        s->depot_empty = m;
        s->nempty_mags++;
    } else {
        free(m);
    }
}

/* Cache lock held: a thread's magazines go back; c is unlinked and freed. */
static void cpu_detach(fr_slab *s, struct fr__slab_cpu *c)
{
    if (c->loaded) mag_drain(s, c->loaded, false);
    if (c->previous) mag_drain(s, c->previous, false);
    if (c->prev) c->prev->next = c->next;
    else s->cpus = c->next;
    if (c->next) c->next->prev = c->prev;
    free(c);
}

/* Hand a slot's magazines back to their cache, if the cache still lives. */
static void slot_release(struct tls_slot *t)
{
    if (!t->id) return;
    pthread_mutex_lock(&registry_lock);
    fr_slab *old = registry_find(t->id);
    if (old) {
        pthread_mutex_lock(&old->lock);
        cpu_detach(old, t->cpu);
        pthread_mutex_unlock(&old->lock);
    }
    pthread_mutex_unlock(&registry_lock);
    t->id = 0;
    t->loaded = NULL;
    t->cpu = NULL;
}

static void thread_exit(void *arg)
{
    (void)arg;
    for (int i = 0; i < FR_SLAB_TLS_SLOTS; i++) slot_release(&tls_slots[i]);
}

static void make_exit_key(void) { pthread_key_create(&exit_key, thread_exit); }

/* The calling thread's slot for s, installed if needed.  NULL when the slot
 * belongs to another cache that has not yet lost FR_SLOT_PATIENCE calls to
 * this one (the caller then goes to the slabs directly: two caches that share
 * a slot do not evict each other on every call), or without memory. */
static struct tls_slot *slot_for(fr_slab *s)
{
    struct tls_slot *t = &tls_slots[s->id % FR_SLAB_TLS_SLOTS];
    if (t->id == s->id) return t;
    if (t->id && ++t->misses < FR_SLOT_PATIENCE) return NULL;
    t->misses = 0;
    slot_release(t);
    struct fr__slab_cpu *c = malloc(sizeof *c);
    struct mag *a = mag_new(s), *b = mag_new(s);
    if (!c || !a || !b) {
        free(c);
        free(a);
        free(b);
        errno = ENOMEM;
        return NULL;
    }
    pthread_once(&exit_once, make_exit_key);
    pthread_setspecific(exit_key, (void *)1);
    c->loaded = a;
    c->previous = b;
    c->prev = NULL;
    pthread_mutex_lock(&s->lock);
    c->serial = ++s->cpu_serial;
    c->next = s->cpus;
    if (c->next) c->next->prev = c;
    s->cpus = c;
    pthread_mutex_unlock(&s->lock);
    t->id = s->id;
    t->cpu = c;
    t->loaded = a;
    return t;
}

static void swap_mags(struct tls_slot *t)
{
    struct fr__slab_cpu *c = t->cpu;
    struct mag *m = c->loaded;
    c->loaded = c->previous;
    c->previous = m;
    t->loaded = c->loaded;
}

/* Make t->loaded non-empty; false (errno ENOMEM) if no object can be had. */
static bool refill(fr_slab *s, struct tls_slot *t)
{
    struct fr__slab_cpu *c = t->cpu;
    if (c->previous->n > 0) {
        swap_mags(t);
        return true;
    }
    pthread_mutex_lock(&s->lock);
    if (s->depot_full) {
        struct mag *full = s->depot_full;
        if (full->origin != c->serial) mag_check(s, full); /* crosses threads */
        s->depot_full = full->next;
        s->nfull--;
        depot_put_empty(s, c->previous);
        c->previous = c->loaded;
        c->loaded = full;
        t->loaded = full;
    } else {
        c->loaded->n = take_objects(s, c->loaded->objs, c->loaded->cap);
    }
    pthread_mutex_unlock(&s->lock);
    if (t->loaded->n == 0) {
        errno = ENOMEM;
        return false;
    }
    return true;
}

/* Make room in t->loaded. */
static void unload(fr_slab *s, struct tls_slot *t)
{
    struct fr__slab_cpu *c = t->cpu;
    if (c->previous->n == 0) {
        swap_mags(t);
        return;
    }
    pthread_mutex_lock(&s->lock);
    struct mag *empty = s->depot_empty;
    if (empty) {
        s->depot_empty = empty->next;
        s->nempty_mags--;
    }
    pthread_mutex_unlock(&s->lock);
    if (!empty) empty = mag_new(s);
    pthread_mutex_lock(&s->lock);
    if (empty) {
        depot_put_full(s, c->previous, c->serial);
        c->previous = c->loaded;
        c->loaded = empty;
        t->loaded = empty;
    } else { /* no memory for a magazine: half of loaded goes to the slabs */
        uint32_t half = c->loaded->n / 2;
        give_objects(s, c->loaded->objs + c->loaded->n - half, half);
        c->loaded->n -= half;
    }
    pthread_mutex_unlock(&s->lock);
}

/* ---- Tracking hooks (valgrind/ASan) ---- */

static void track_alloc(fr_slab *s, void *obj)
{
    uintptr_t base = (uintptr_t)obj & ~(uintptr_t)((FR_SLAB_GRANULE << s->order) - 1);
    fr_track_pool_alloc((struct slab *)base, obj, s->size);
    if (s->ctor) fr_track_defined(obj, s->size);
}

static void track_free(fr_slab *s, struct slab *sl, void *obj)
{
    fr_track_pool_free(sl, obj, s->size);
}

/* ---- Public API ---- */

static bool is_pow2(size_t x) { return x && (x & (x - 1)) == 0; }

fr_slab *fr_slab_create(const char *name, size_t size, size_t align, void (*ctor)(void *),
                        void (*dtor)(void *))
{
    if (size == 0 || (align != 0 && !is_pow2(align)) || align > FR_SLAB_GRANULE) {
        errno = EINVAL;
        return NULL;
    }
    if (size > FR_SLAB_MAX_OBJECT) {
        errno = ENOMEM;
        return NULL;
    }
    if (align == 0) {
        align = 16;
        while (align > 8 && align / 2 >= size) align /= 2;
    }
    if (align < 8) align = 8; /* ASan poisons in 8-byte granules */
    fr_slab *s = calloc(1, sizeof *s);
    if (!s) {
        errno = ENOMEM;
        return NULL;
    }
    s->size = size;
    s->align = align;
    s->stride = (size + align - 1) & ~(align - 1);
    s->ctor = ctor;
    s->dtor = dtor;
    s->tracked = fr__track_running() != 0;
    snprintf(s->name, sizeof s->name, "%s", name ? name : "(unnamed)");

    /* Geometry: the smallest slab that holds FR_SLAB_MIN_OBJECTS objects. */
    for (s->order = 0; s->order <= FR_SLAB_MAX_ORDER; s->order++) {
        size_t bytes = FR_SLAB_GRANULE << s->order;
        size_t n = bytes / s->stride; /* upper bound, then shrink until header fits */
        while (n > 0) {
            size_t hdr = sizeof(struct slab) + bitmap_words((uint32_t)n) * 8;
            size_t off = (hdr + align - 1) & ~(align - 1);
            if (off + n * s->stride <= bytes) {
                s->first_off = off;
                break;
            }
            n--;
        }
        if (n >= FR_SLAB_MIN_OBJECTS || (n >= 1 && s->order == FR_SLAB_MAX_ORDER)) {
            if (n > UINT32_MAX) n = UINT32_MAX;
            s->nobj = (uint32_t)n;
            break;
        }
    }
    if (s->nobj == 0) {
        free(s);
        errno = ENOMEM;
        return NULL;
    }
    s->shift = (unsigned)__builtin_ctzll(s->stride);
    s->low_mask = ((uint64_t)1 << s->shift) - 1;
    s->base_mask = ~(uintptr_t)((FR_SLAB_GRANULE << s->order) - 1);
    s->empty_cap = FR_SLAB_EMPTY_BYTES / (FR_SLAB_GRANULE << s->order);
    s->reserve = FR_SLAB_RESERVE_BYTES / (FR_SLAB_GRANULE << s->order);
    if (s->reserve < 1) s->reserve = 1;
    if (s->reserve > FR_SLAB_RESERVE) s->reserve = FR_SLAB_RESERVE;
    if (s->empty_cap < s->reserve) s->empty_cap = s->reserve;
    size_t cap = FR_MAG_BYTES / s->stride;
    s->mag_cap = (uint32_t)(cap < 2 ? 2 : cap > FR_MAG_CAP ? FR_MAG_CAP : cap);
    s->depot_max = FR_DEPOT_BYTES / (s->mag_cap * s->stride); /* 0 for huge objects */
    if (s->depot_max > FR_DEPOT_MAX) s->depot_max = FR_DEPOT_MAX;
    s->empty_mags_max = s->depot_max < FR_DEPOT_EMPTY_MIN ? FR_DEPOT_EMPTY_MIN : s->depot_max;
    uint64_t odd = s->stride >> s->shift, inv = odd; /* Newton: inv = odd^-1 mod 2^64 */
    for (int i = 0; i < 6; i++) inv *= 2 - odd * inv;
    s->inv = inv;
    s->lim = UINT64_MAX / odd;
    pthread_mutex_init(&s->lock, NULL);

    pthread_mutex_lock(&registry_lock);
    s->id = next_id++;
    s->key = s->tracked ? s->id | (uint64_t)1 << 63 : s->id;
#if defined(__x86_64__) /* always: callers may use the %fs path even if this file does not */
    uintptr_t tp;
    __asm__("mov %%fs:0, %0" : "=r"(tp)); /* x86-64 glibc: the thread pointer */
    s->slot_tp = (intptr_t)((uintptr_t)&fr__slab_slots[s->id % FR_SLAB_TLS_SLOTS] - tp);
#endif
    s->reg_next = registry;
    registry = s;
    pthread_mutex_unlock(&registry_lock);
    return s;
}

__attribute__((noinline)) static void *alloc_slow(fr_slab *s)
{
    if (!s) {
        errno = EINVAL;
        return NULL;
    }
    struct tls_slot *t = slot_for(s);
    if (!t) { /* no magazine (slot taken, or no memory): straight from a slab */
        void *obj;
        pthread_mutex_lock(&s->lock);
        uint32_t got = take_objects(s, &obj, 1);
        pthread_mutex_unlock(&s->lock);
        if (!got) {
            errno = ENOMEM;
            return NULL;
        }
        if (s->tracked) track_alloc(s, obj);
        return obj;
    }
    if (t->loaded->n == 0 && !refill(s, t)) return NULL;
    void *obj = t->loaded->objs[--t->loaded->n];
    if (s->tracked) track_alloc(s, obj);
    return obj;
}

/* Fast path: a thread slot hit and a pop, no lock (valgrind/ASan: slow path). */
void *fr_slab_alloc(fr_slab *s)
{
    if (LIKELY(s != NULL)) {
        struct tls_slot *t = &tls_slots[s->id % FR_SLAB_TLS_SLOTS];
        if (LIKELY(t->id == s->id && !s->tracked)) {
            struct mag *m = t->loaded;
            if (LIKELY(m->n > 0)) return m->objs[--m->n];
        }
    }
    return alloc_slow(s);
}

__attribute__((noinline)) static void free_slow(fr_slab *s, void *obj)
{
    if (!obj) return;
    if (!s) fr__arena_fatal("fr_slab_free(NULL, %p): no cache given", obj);
    uint32_t idx;
    struct slab *sl = slab_of(s, obj, &idx);
    if (s->tracked) track_free(s, sl, obj);
    struct tls_slot *t = slot_for(s);
    if (!t) { /* no magazine (slot taken, or no memory): straight to the slab */
        pthread_mutex_lock(&s->lock);
        give_objects(s, &obj, 1);
        pthread_mutex_unlock(&s->lock);
        return;
    }
    if (t->loaded->n == t->loaded->cap) unload(s, t);
    t->loaded->objs[t->loaded->n++] = obj;
}

/* Fast path: validate (owner cache from the granule table, object boundary),
 * then a thread slot hit and a push, no lock. */
void fr_slab_free(fr_slab *s, void *obj)
{
    if (LIKELY(s != NULL && obj != NULL && !s->tracked)) {
        uint32_t idx;
        (void)slab_of(s, obj, &idx);
        struct tls_slot *t = &tls_slots[s->id % FR_SLAB_TLS_SLOTS];
        if (LIKELY(t->id == s->id)) {
            struct mag *m = t->loaded;
            if (LIKELY(m->n < m->cap)) {
                m->objs[m->n++] = obj;
                return;
            }
        }
    }
    free_slow(s, obj);
}

void fr_slab_destroy(fr_slab *s)
{
    if (!s) return;
    pthread_mutex_lock(&registry_lock);
    fr_slab **link = &registry;
    while (*link && *link != s) link = &(*link)->reg_next;
    if (!*link) {
        pthread_mutex_unlock(&registry_lock);
        fr__arena_fatal("fr_slab_destroy(%p): not a live slab cache (destroyed twice?)", (void *)s);
    }
    *link = s->reg_next;
    pthread_mutex_unlock(&registry_lock);

    /* No thread can reach s's magazines any more (ids never match again). */
    pthread_mutex_lock(&s->lock);
    while (s->cpus) cpu_detach(s, s->cpus);
    while (s->depot_full) {
        struct mag *m = s->depot_full;
        s->depot_full = m->next;
        mag_drain(s, m, false);
    }
    while (s->depot_empty) {
        struct mag *m = s->depot_empty;
        s->depot_empty = m->next;
        free(m);
    }
    for (int l = 0; l < 3; l++) {
        while (s->lists[l]) {
            struct slab *sl = s->lists[l];
            list_remove(s, sl);
            slab_reclaim(s, sl);
        }
    }
    pthread_mutex_unlock(&s->lock);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* ---- As an fr_allocator ---- */

static void *slab_alloc_cb(void *ctx, size_t size, size_t align)
{
    fr_slab *s = ctx;
    if (!s || size == 0 || size > s->size || !is_pow2(align) || align > s->align) {
        errno = EINVAL;
        return NULL;
    }
    return fr_slab_alloc(s);
}

static void slab_free_cb(void *ctx, void *ptr, size_t size)
{
    (void)size;
    fr_slab_free(ctx, ptr);
}

fr_allocator fr_slab_allocator(fr_slab *s)
{
    fr_allocator a = { slab_alloc_cb, slab_free_cb, s };
    return a;
}

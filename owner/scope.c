/*
 * owner/scope.c — handles over an arena or a slab cache.
 *
 * An arena frees all its objects at once (fr_arena_reset, fr_arena_destroy)
 * and a destroyed slab cache gives its memory back: a handle made over
 * fr_arena_allocator(a) or fr_slab_allocator(s) that outlives that moment
 * would borrow freed memory.  So, like a region's (owner/region.c), such
 * handles belong to their allocator: when it ends, they are dropped (drop
 * functions run while the memory is still there) and go stale, so a later
 * borrow is reported as use-after-free instead of writing into memory that
 * now serves someone else.  Ending an allocator while one of its handles is
 * borrowed is FR_V_REGION_OUTLIVED, and the reset or destroy is refused.
 *
 * How: arenas and slabs have no word to spare for the owner layer, so it
 * keeps its own map from the allocator's context pointer to the head of a
 * list of its handles (linked through the same metadata links a region's
 * handles use; a handle is in a region or a scope, never both).  The map
 * is open addressing with linear probing, grown by doubling, under the
 * table lock.  The arena component calls fr__scope_ending at the start of
 * fr_arena_destroy, fr_arena_reset (and a rewind to the empty mark) and
 * fr_slab_destroy; the hook is installed the first time a handle is made
 * over an arena or a slab, so programs that never do pay one load.
 * A rewind to a non-empty mark is not seen (it is inline): handles whose
 * objects lie past the mark are not followed.
 */
#include "internal.h"

#if FR_CHECKED

#include "../arena/region_owner.h"

#include <ferrum/arena.h>
#include <ferrum/slab.h>

#include <stdlib.h>
#include <string.h>

typedef struct scope_ent {
    void *key;     /* allocator context; NULL: empty; TOMB: deleted */
    uint32_t head; /* first handle (slot index), 0: none */
} scope_ent;

#define TOMB ((void *)1)

static scope_ent *map;
static size_t map_cap, map_used; /* used counts live entries and tombstones */

static size_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 29;
    return (size_t)x;
}

/* The entry of key, or NULL.  Table lock held. */
static scope_ent *find(const void *key)
{
    if (!map) return NULL;
    for (size_t i = hash_ptr(key) & (map_cap - 1);; i = (i + 1) & (map_cap - 1)) {
        if (map[i].key == key) return &map[i];
        if (!map[i].key) return NULL;
    }
}

static bool grow(void)
{
    size_t ncap = map_cap ? map_cap * 2 : 64;
    scope_ent *n = calloc(ncap, sizeof *n);
    if (!n) return false;
    size_t used = 0;
    for (size_t i = 0; i < map_cap; i++) {
        if (!map[i].key || map[i].key == TOMB || !map[i].head) continue;
        size_t j = hash_ptr(map[i].key) & (ncap - 1);
        while (n[j].key) j = (j + 1) & (ncap - 1);
        n[j] = map[i];
        used++;
    }
    free(map);
    map = n;
    map_cap = ncap;
    map_used = used;
    return true;
}

/* The entry of key, made if needed; NULL when out of memory. Lock held. */
static scope_ent *find_or_add(void *key)
{
    scope_ent *e = find(key);
    if (e) return e;
    if ((map_used + 1) * 2 > map_cap && !grow()) return NULL;
    size_t i = hash_ptr(key) & (map_cap - 1);
    while (map[i].key && map[i].key != TOMB) i = (i + 1) & (map_cap - 1);
    if (!map[i].key) map_used++;
    map[i].key = key;
    map[i].head = 0;
    return &map[i];
}

static void remove_ent(scope_ent *e)
{
    e->key = TOMB;
    e->head = 0;
}

/* Called by the arena component when the allocator behind ctx ends (fn is
 * the public function doing it).  Returns false to refuse. */
static bool scope_ending(void *ctx, const char *fn)
{
    /* Refuse if one of ctx's handles is borrowed. */
    pthread_mutex_lock(&fr__table_lock);
    scope_ent *e = find(ctx);
    uint64_t bad = e ? fr__list_borrowed(e->head) : 0;
    pthread_mutex_unlock(&fr__table_lock);
    if (bad) {
        /* The message outlives this call (handlers may keep it): static. */
        const char *msg = !strcmp(fn, "fr_slab_destroy")
                              ? "slab cache destroyed while a value it owns is borrowed"
                          : !strcmp(fn, "fr_arena_destroy")
                              ? "arena destroyed while a value it owns is borrowed"
                              : "arena reset while a value it owns is borrowed";
        fr__report_outlived(bad, fn, "allocator ended here (refused)", msg);
        return false;
    }

    /* Drop every handle, one at a time (drop functions may make or drop
     * other handles, so the lock is not held while they run). */
    for (;;) {
        pthread_mutex_lock(&fr__table_lock);
        e = find(ctx);
        uint32_t idx = e ? e->head : 0;
        if (idx) fr__region_unlink(idx);
        pthread_mutex_unlock(&fr__table_lock);
        if (!idx) return true;
        fr__drop_unlinked(idx, fn);
    }
}

static pthread_once_t hook_once = PTHREAD_ONCE_INIT;

static void install_hook(void)
{
    __atomic_store_n(&fr__scope_hook, scope_ending, __ATOMIC_RELEASE);
}

/* fr_arena_allocator and fr_slab_allocator do not look at their argument. */
static bool is_scope(fr_allocator al)
{
    return al.ctx && (al.alloc == fr_arena_allocator(NULL).alloc ||
                      al.alloc == fr_slab_allocator(NULL).alloc);
}

/* Table lock held. */
bool fr__scope_link(uint32_t idx, fr_allocator al)
{
    if (!is_scope(al)) return false;
    scope_ent *e = find_or_add(al.ctx);
    if (!e) return false; /* out of memory: the handle is not followed */
    fr__meta *m = fr__meta_of(idx);
    m->scope = al.ctx;
    m->region_prev = 0;
    m->region_next = e->head;
    if (e->head) fr__meta_of(e->head)->region_prev = idx;
    e->head = idx;
    pthread_once(&hook_once, install_hook);
    return true;
}

/* Table lock held. */
void fr__scope_unlink(uint32_t idx)
{
    fr__meta *m = fr__meta_of(idx);
    if (!m->scope) return;
    scope_ent *e = find(m->scope);
    if (m->region_prev)
        fr__meta_of(m->region_prev)->region_next = m->region_next;
    else if (e)
        e->head = m->region_next;
    if (m->region_next) fr__meta_of(m->region_next)->region_prev = m->region_prev;
    if (e && !e->head) remove_ent(e);
    m->scope = NULL;
    m->region_prev = m->region_next = 0;
}

#endif /* FR_CHECKED */

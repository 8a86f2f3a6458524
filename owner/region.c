/*
 * owner/region.c — handles owned by a region.
 *
 * A handle made over fr_region_allocator(r) belongs to r: when r is
 * destroyed, its handles are dropped (drop functions run) before r's
 * deferred functions run and its memory goes.  Destroying r while one of
 * its handles is borrowed would leave the borrower with a dangling
 * pointer: that is FR_V_REGION_OUTLIVED, and the destroy is refused.
 *
 * How: the arena component calls two hooks (arena/region_owner.h),
 * installed the first time a handle is made in a region.  Each region's
 * handles form a doubly linked list through their slots' metadata (under
 * the table lock); the list head, a slot index, is kept in the region's
 * owner-data word, so nothing is allocated per region.  may_destroy(r)
 * walks the list looking for a borrowed handle; destroying(r) unlinks
 * each handle and drops it exactly as fr_drop would (one compare-and-swap
 * claims it), with the region destroy's backtrace as the drop site.
 */
#include "internal.h"

#include <string.h>

#if FR_CHECKED

#include "../arena/region_owner.h"

static uint32_t head_of(fr_region *r)
{
    return (uint32_t)(uintptr_t)fr__region_owner_data(r);
}

/* ---- Shared with owner/scope.c: a list of owned handles ending ---- */

uint64_t fr__list_borrowed(uint32_t head)
{
    for (uint32_t i = head; i; i = fr__meta_of(i)->region_next) {
        uint64_t st = __atomic_load_n(&fr__slot_of(i)->state, __ATOMIC_ACQUIRE);
        uint32_t b = fr__b(st);
        if (b != FR__B_FREE && b != FR__B_DEAD) return fr__bits(i, (uint32_t)(st >> 32));
    }
    return 0;
}

void fr__report_outlived(uint64_t bad, const char *fn, const char *here_label, const char *msg)
{
    fr__trace here, site, born;
    fr__trace_capture_after(&here, fn);
    fr__slot *s = fr__slot_of(bad);
    fr__meta *m = fr__meta_of(fr__idx(bad));
    fr__report rep = {0};
    rep.op = FR__OP_REGION_DESTROY;
    rep.here = &here;
    rep.here_label = here_label;
    void *bsite = (void *)(uintptr_t)__atomic_load_n(&s->site, __ATOMIC_RELAXED);
    if (bsite) {
        fr__trace_one(&site, bsite);
        site.tid = FR__TID_BORROWER;
        rep.earlier = &site;
        rep.earlier_label = "borrow of value occurs here (and is not released)";
    }
    fr__trace_get(m->born, &born);
    rep.born = &born;
    rep.obj = s->obj;
    rep.size = m->size;
    fr_handle h = {{bad}};
    fr__violate(FR_V_REGION_OUTLIVED, h, msg, &rep);
}

static const char *const drop_by[] = {NULL, "fr_arena_reset", "fr_arena_destroy", "fr_slab_destroy",
                                       "fr_region_destroy"};

uint16_t fr__drop_by_index(const char *fn)
{
    for (uint16_t i = 1; i < sizeof drop_by / sizeof *drop_by; i++)
        if (!strcmp(fn, drop_by[i])) return i;
    return 0;
}

const char *fr__drop_by_name(uint16_t by)
{
    return by < sizeof drop_by / sizeof *drop_by ? drop_by[by] : NULL;
}

void fr__drop_unlinked(uint32_t idx, const char *fn)
{
    fr__slot *s = fr__slot_of(idx);
    uint64_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
    uint32_t gen = (uint32_t)(st >> 32);
    /* Not borrowed (the owner checked); a concurrent fr_drop may have
     * claimed it first, then it finishes the drop itself. */
    uint64_t want = fr__bits(FR__B_FREE, gen);
    if (!__atomic_compare_exchange_n(&s->state, &want, fr__bits(FR__B_DEAD, gen + 1), 0,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return;
    fr__trace t;
    fr__trace_capture_after(&t, fn);
    fr__meta_of(idx)->dropped = fr__trace_keep(&t);
    fr__meta_of(idx)->dropped.by = fr__drop_by_index(fn);
    fr__finish_drop(idx, gen, false);
}

/* ---- Region hooks ---- */

static bool may_destroy(fr_region *r)
{
    pthread_mutex_lock(&fr__table_lock);
    uint64_t bad = fr__list_borrowed(head_of(r));
    pthread_mutex_unlock(&fr__table_lock);
    if (!bad) return true;
    fr__report_outlived(bad, "fr_region_destroy", "region destroyed here (the destroy is refused)",
                        "region destroyed while a value it owns is borrowed");
    return false;
}

static void destroying(fr_region *r)
{
    for (;;) {
        pthread_mutex_lock(&fr__table_lock);
        uint32_t idx = head_of(r);
        if (idx) fr__region_unlink(idx);
        pthread_mutex_unlock(&fr__table_lock);
        if (!idx) return;
        fr__drop_unlinked(idx, "fr_region_destroy");
    }
}

static const fr__region_owner_hooks hooks = {may_destroy, destroying};
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

static void install_hooks(void)
{
    fr__region_set_owner_hooks(&hooks);
}

void fr__region_link(uint32_t idx, fr_allocator al)
{
    fr__meta *m = fr__meta_of(idx);
    fr_region *r = fr__allocator_region(al);
    m->region = r;
    m->scope = NULL;
    m->region_prev = m->region_next = 0;
    if (!r) {
        fr__scope_link(idx, al);
        return;
    }
    pthread_once(&hooks_once, install_hooks);
    uint32_t head = head_of(r);
    m->region_next = head;
    if (head) fr__meta_of(head)->region_prev = idx;
    fr__region_set_owner_data(r, (void *)(uintptr_t)idx);
}

void fr__region_unlink(uint32_t idx)
{
    fr__meta *m = fr__meta_of(idx);
    fr_region *r = m->region;
    if (!r) {
        fr__scope_unlink(idx);
        return;
    }
    if (m->region_prev)
        fr__meta_of(m->region_prev)->region_next = m->region_next;
    else
        fr__region_set_owner_data(r, (void *)(uintptr_t)m->region_next);
    if (m->region_next) fr__meta_of(m->region_next)->region_prev = m->region_prev;
    m->region = NULL;
    m->region_prev = m->region_next = 0;
}

#endif /* FR_CHECKED */

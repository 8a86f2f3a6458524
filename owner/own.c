/*
 * owner/own.c — ownership: making an owned object, moving and dropping it.
 *
 * fr_own_new allocates the object through the given fr_allocator, zeroes
 * it, takes a slot in the handle table and records the allocator, size,
 * drop function and the backtrace of the allocation (for leak reports).
 * fr_move checks the source, records where the move happened (the call
 * site; the whole backtrace with FERRUM_OWNER=trace) and marks
 * the source "moved from" (FR__MOVED, keeping index and generation so a
 * later use can be reported with the place of the move).  fr_drop claims
 * the object with one compare-and-swap from "live, not borrowed" to "next
 * generation, no object", so that a concurrent borrow, drop or move
 * through another copy either happens before (and the drop is refused) or
 * sees a stale handle; then it runs the drop function, frees the memory
 * through the allocator, marks it no-access for valgrind and puts the slot
 * on the free list.  Whatever fails goes to fr__diagnose, which reports it.
 */
#include "internal.h"

#if FR_CHECKED

#include <errno.h>
#include <string.h>

static fr_handle own_new(fr_allocator al, size_t size, size_t align, fr_drop_fn drop,
                         void *caller)
{
    fr_handle h = {{0}};
    if (!al.alloc || !align || (align & (align - 1))) {
        errno = EINVAL;
        return h;
    }
    size_t asize = size ? size : 1;
    int saved_errno = errno;
    errno = 0;
    void *obj = al.alloc(al.ctx, asize, align);
    if (!obj && fr__align_fallback(size, align))
        /* The guessed alignment may be stricter than the allocator serves
         * (a slab of 8-aligned objects of 16 bytes): pointer alignment. */
        obj = al.alloc(al.ctx, asize, sizeof(void *));
    if (!obj) {
        if (!errno) errno = ENOMEM; /* else: what the allocator said */
        return h;
    }
    errno = saved_errno;
    FR__VG_UNDEFINED(obj, asize); /* it may be memory we marked no-access */
    memset(obj, 0, asize);

    fr__trace born;
    fr__trace_capture(&born, caller);
    /* the depot takes its own lock: never under the table lock (fork
     * handlers take both) */
    fr__event born_ev = fr__trace_keep(&born);
    fr__leaks_arm();

    pthread_mutex_lock(&fr__table_lock);
    uint32_t idx = fr__slot_take();
    if (!idx) {
        pthread_mutex_unlock(&fr__table_lock);
        if (al.free) al.free(al.ctx, obj, asize);
        errno = ENOMEM;
        return h;
    }
    fr__slot *s = fr__slot_of(idx);
    fr__meta *m = fr__meta_of(idx);
    uint32_t gen = (uint32_t)(__atomic_load_n(&s->state, __ATOMIC_RELAXED) >> 32);
    m->al = al;
    m->size = asize;
    m->drop = drop;
    m->born = born_ev;
    m->moved = (fr__event){0};
    m->moved_gen = 0;
    m->region = NULL;
    fr__region_link(idx, al);
    s->obj = obj;
    __atomic_store_n(&s->site, NULL, __ATOMIC_RELAXED);
    __atomic_store_n(&s->state, fr__bits(FR__B_FREE, gen), __ATOMIC_RELEASE);
    pthread_mutex_unlock(&fr__table_lock);
    h.bits = fr__bits(idx, gen);
    return h;
}

fr_handle fr_own_new(fr_allocator al, size_t size, fr_drop_fn drop)
{
    size_t asize = size ? size : 1;
    return own_new(al, size, fr__align_for(asize), drop, __builtin_return_address(0));
}

fr_handle fr__own_new_aligned(fr_allocator al, size_t size, size_t align, fr_drop_fn drop)
{
    return own_new(al, size, align, drop, __builtin_return_address(0));
}

fr_handle fr_move(fr_handle *src)
{
    fr_handle none = {{0}};
    void *caller = __builtin_return_address(0);
    if (!src) {
        errno = EINVAL;
        return none;
    }
    fr_handle h = *src;
    if (!h.bits) return none; /* moving the null handle: nothing to move */
    for (;;) {
        fr__slot *s = fr__slot_of(h.bits);
        uint64_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
        if (((st ^ h.bits) >> 32) == 0 && fr__b(st) == FR__B_FREE) {
            uint32_t idx = fr__idx(h.bits);
            fr__meta *m = fr__meta_of(idx);
            /* One frame by default (a move must stay cheap); the whole
             * call stack with FERRUM_OWNER=trace. */
            if (fr__options() & FR__OPT_TRACE) {
                fr__trace t;
                fr__trace_capture(&t, caller);
                m->moved = fr__trace_keep(&t);
            } else {
                m->moved = fr__event_one(caller);
            }
            __atomic_store_n(&m->moved_gen, fr__gen(h.bits), __ATOMIC_RELEASE); /* after the trace */
            src->bits = h.bits | FR__MOVED;
            return h;
        }
        if (fr__diagnose(FR__OP_MOVE, h, caller) >= 0) return none;
    }
}

void fr__finish_drop(uint32_t idx, uint32_t gen, bool unlink_region)
{
    fr__slot *s = fr__slot_of(idx);
    fr__meta *m = fr__meta_of(idx);
    void *obj = s->obj;
    if (m->drop) m->drop(obj);
    if (m->al.free) m->al.free(m->al.ctx, obj, m->size);
    /* For memcheck: allocators that free nothing (arena, region) leave the
     * memory addressable, so a raw pointer kept past the drop would go
     * unnoticed.  (Annotated allocators and malloc mark it themselves; an
     * unannotated allocator that hands the block to another thread between
     * the free and this mark would see a false report.) */
    FR__VG_NOACCESS(obj, m->size);
    /* Published with release: a thread diagnosing a racing drop of another
     * copy reads the `dropped` trace only after seeing this generation. */
    __atomic_store_n(&m->dropped_gen, gen, __ATOMIC_RELEASE);
    pthread_mutex_lock(&fr__table_lock);
    if (unlink_region) fr__region_unlink(idx);
    fr__slot_put(idx);
    pthread_mutex_unlock(&fr__table_lock);
}

void fr_drop(fr_handle *h)
{
    void *caller = __builtin_return_address(0);
    if (!h) return;
    fr_handle v = *h;
    /* The null handle: like free(NULL).  A moved-from handle: its value
     * belongs to the handle it was moved to (Rust's drop flag), so
     * dropping every field in a drop function is always right. */
    if (!v.bits || (v.bits & FR__MOVED)) return;
    for (;;) {
        fr__slot *s = fr__slot_of(v.bits);
        uint64_t st = fr__bits(FR__B_FREE, fr__gen(v.bits));
        if (fr__idx_valid(fr__idx(v.bits)) &&
            __atomic_compare_exchange_n(&s->state, &st, fr__bits(FR__B_DEAD, fr__gen(v.bits) + 1), 0,
                                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            uint32_t idx = fr__idx(v.bits);
            fr__trace t;
            fr__trace_capture(&t, caller);
            fr__meta_of(idx)->dropped = fr__trace_keep(&t);
            fr__finish_drop(idx, fr__gen(v.bits), true);
            return;
        }
        if (fr__diagnose(FR__OP_DROP, v, caller) >= 0) return;
    }
}

bool fr_is_live(fr_handle h)
{
    return fr__is_live_at(h);
}

#endif /* FR_CHECKED */

/*
 * owner/borrow.c — runtime borrow checking: fr_borrow, fr_borrow_mut,
 * fr_release (the rules of Rust's RefCell, made thread-safe).
 *
 * Each slot's state word holds the generation and the borrow word b
 * (internal.h): 1 = not borrowed, 1 + n = n shared borrows, 0xffffffff =
 * borrowed exclusively.  Every operation is one load and one
 * compare-and-swap of that word, which checks the handle's generation and
 * the borrow rules and updates the count at once, so two threads borrowing
 * the same object (a handle may be copied or moved to another thread)
 * never lose an update, and a drop racing with a borrow is either seen by
 * the borrow (stale handle) or refused (value borrowed).
 *
 * fr_release ends the most recent borrow: under RefCell's rules the live
 * borrows of a value are either all shared (release one of them) or one
 * exclusive borrow (release it), so the state alone says which.
 *
 * The fast paths record only the return address of the borrowing call
 * (a single frame: a full backtrace would cost a hundred times the
 * check); every failure goes to fr__diagnose, which captures the full
 * backtrace of the violating call and reports.
 */
#include "internal.h"

#if FR_CHECKED

const void *fr_borrow(fr_handle h)
{
    fr__slot *s = fr__slot_of(h.bits);
retry:;
    uint64_t st = atomic_load_explicit(&s->state, memory_order_relaxed);
    for (;;) {
        /* Same generation (and not moved), and b in 1 .. SHARED_MAX - 1. */
        if (((st ^ h.bits) >> 32) != 0 || fr__b(st) - 1u >= FR__B_SHARED_MAX - 1u) break;
        if (atomic_compare_exchange_weak_explicit(&s->state, &st, st + 1,
                                                  memory_order_acquire, memory_order_relaxed)) {
            atomic_store_explicit(&s->borrow_site, __builtin_return_address(0),
                                  memory_order_relaxed);
            return s->obj;
        }
    }
    if (fr__diagnose(FR__OP_BORROW, h, __builtin_return_address(0)) >= 0) return NULL;
    goto retry; /* the state changed under us (another thread) */
}

void *fr_borrow_mut(fr_handle h)
{
    fr__slot *s = fr__slot_of(h.bits);
retry:;
    uint64_t want = (h.bits & ~UINT64_C(0xffffffff)) | FR__B_FREE;
    if (atomic_compare_exchange_strong_explicit(&s->state, &want, want | FR__B_EXCL,
                                                memory_order_acquire, memory_order_relaxed)) {
        atomic_store_explicit(&s->borrow_site, __builtin_return_address(0),
                              memory_order_relaxed);
        return s->obj;
    }
    if (fr__diagnose(FR__OP_BORROW_MUT, h, __builtin_return_address(0)) >= 0) return NULL;
    goto retry;
}

void fr_release(fr_handle h)
{
    fr__slot *s = fr__slot_of(h.bits);
retry:;
    uint64_t st = atomic_load_explicit(&s->state, memory_order_relaxed);
    for (;;) {
        if (((st ^ h.bits) >> 32) != 0) break;
        uint32_t b = fr__b(st);
        uint64_t next;
        if (b - 2u < FR__B_SHARED_MAX - 1u)
            next = st - 1; /* one shared borrow fewer */
        else if (b == FR__B_EXCL)
            next = st - (FR__B_EXCL - FR__B_FREE); /* the exclusive borrow ends */
        else
            break; /* not borrowed, or no object */
        if (atomic_compare_exchange_weak_explicit(&s->state, &st, next,
                                                  memory_order_release, memory_order_relaxed))
            return;
    }
    if (fr__diagnose(FR__OP_RELEASE, h, __builtin_return_address(0)) >= 0) return;
    goto retry;
}

#endif /* FR_CHECKED */

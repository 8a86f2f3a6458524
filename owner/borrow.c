/*
 * owner/borrow.c — runtime borrow checking: the out-of-line half of
 * fr_borrow, fr_borrow_mut and fr_release (the rules of Rust's RefCell,
 * made thread-safe).
 *
 * Each slot's state word holds the generation and the borrow word b
 * (internal.h): 1 = not borrowed, 1 + n = n shared borrows, 0xffffffff =
 * borrowed exclusively.  The fast paths are inline in owner.h: one load
 * and one compare-and-swap of that word, which checks the handle's
 * generation and the borrow rules and updates the count at once, so two
 * threads borrowing the same object (a handle may be copied or moved to
 * another thread) never lose an update, and a drop racing with a borrow is
 * either seen by the borrow (stale handle) or refused (value borrowed).
 * They record where each borrow happened (one store of the return
 * address of the borrowing function; a report decodes the call before it
 * to name the borrowing function itself).
 *
 * Here: the slow paths, reached when the fast check fails or the
 * compare-and-swap loses a race.  They retry while the state only changed
 * under them, and otherwise hand the case to fr__diagnose, which works out
 * and reports the violation; then the operation fails safely (a borrow
 * returns NULL, a release does nothing).  The exported fr_borrow,
 * fr_borrow_mut and fr_release are the inline versions as functions.
 *
 * fr_release ends the most recent borrow: under RefCell's rules the live
 * borrows of a value are either all shared (release one of them) or one
 * exclusive borrow (release it), so the state alone says which.
 */
#include "internal.h"

#if FR_CHECKED

/* One attempt without reporting: the object, or NULL if the rules (or a
 * stale handle) refuse.  Loops only while a compare-and-swap loses. */
static const void *try_borrow(fr_handle h, const void *site)
{
    fr__slot *s = fr__slot_of(h.bits);
    uint64_t st = __atomic_load_n(&s->state, __ATOMIC_RELAXED);
    uint64_t base = (h.bits & ~UINT64_C(0xffffffff)) | FR__B_FREE;
    while (st - base < FR__B_SHARED_MAX - 1u) {
        if (__atomic_compare_exchange_n(&s->state, &st, st + 1, 1, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            __atomic_store_n(&s->site, site, __ATOMIC_RELAXED);
            return s->obj;
        }
    }
    return NULL;
}

static void *try_borrow_mut(fr_handle h, const void *site)
{
    fr__slot *s = fr__slot_of(h.bits);
    uint64_t want = (h.bits & ~UINT64_C(0xffffffff)) | FR__B_FREE;
    if (__atomic_compare_exchange_n(&s->state, &want, want | FR__B_EXCL, 0, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED)) {
        __atomic_store_n(&s->site, site, __ATOMIC_RELAXED);
        return s->obj;
    }
    return NULL;
}

static bool try_release(fr_handle h)
{
    fr__slot *s = fr__slot_of(h.bits);
    uint64_t st = __atomic_load_n(&s->state, __ATOMIC_RELAXED);
    uint64_t hgen = h.bits & ~UINT64_C(0xffffffff);
    for (;;) {
        uint64_t next;
        if (st - (hgen | 2u) < FR__B_SHARED_MAX - 1u)
            next = st - 1; /* one shared borrow fewer */
        else if (st == (hgen | FR__B_EXCL))
            next = hgen | FR__B_FREE; /* the exclusive borrow ends */
        else
            return false; /* not borrowed, stale, moved, or no object */
        if (__atomic_compare_exchange_n(&s->state, &st, next, 1, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED))
            return true;
    }
}

const void *fr__borrow_slow(fr_handle h)
{
    void *ra = __builtin_return_address(0);
    for (;;) {
        const void *p = try_borrow(h, NULL); /* (site unknown after a race) */
        if (p) return p;
        if (fr__diagnose(FR__OP_BORROW, h, ra) >= 0) return NULL;
    }
}

void *fr__borrow_mut_slow(fr_handle h)
{
    void *ra = __builtin_return_address(0);
    for (;;) {
        void *p = try_borrow_mut(h, NULL);
        if (p) return p;
        if (fr__diagnose(FR__OP_BORROW_MUT, h, ra) >= 0) return NULL;
    }
}

void fr__release_slow(fr_handle h)
{
    void *ra = __builtin_return_address(0);
    for (;;) {
        if (try_release(h)) return;
        if (fr__diagnose(FR__OP_RELEASE, h, ra) >= 0) return;
    }
}

/* The exported functions: the inline fast paths, with the caller's return
 * address as the borrow site. */
const void *fr_borrow(fr_handle h)
{
    return fr__borrow_at(h, __builtin_return_address(0));
}

void *fr_borrow_mut(fr_handle h)
{
    return fr__borrow_mut_at(h, __builtin_return_address(0));
}

void fr_release(fr_handle h)
{
    fr__release_at(h);
}

#endif /* FR_CHECKED */

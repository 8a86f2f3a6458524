/*
 * owner/violation.c — what went wrong, and who is told.
 *
 * The fast paths of the owner layer only know that a handle did not pass
 * their one compare; fr__diagnose looks at the handle and its slot and
 * works out the violation: a moved-from handle (use-after-move), a stale
 * generation (use-after-free, or double drop when the operation is a drop),
 * a borrow that conflicts with the live ones (RefCell's rules), a release
 * with no borrow, a move or drop of a borrowed value.  It captures the
 * backtrace of the violating call, finds the earlier event it conflicts
 * with (recorded in the slot when the value was moved, dropped or
 * borrowed) and hands both to the handler.
 *
 * The handler is the program's (fr_set_violation_handler) or the default
 * one, which prints the report (owner/report.c) and aborts, or, with
 * FERRUM_OWNER=warn, returns; leaks never abort.  When the handler
 * returns, the caller makes the operation fail safely (DESIGN.md).
 *
 * This file is built in both builds: in an FR_UNCHECKED library the
 * handler functions still exist (nothing calls the handler).
 */
#include "internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

static _Atomic(fr_violation_fn) handler_fn;
static _Atomic(void *) handler_ctx;

void fr_set_violation_handler(fr_violation_fn fn, void *ctx)
{
    atomic_store(&handler_ctx, ctx);
    atomic_store(&handler_fn, fn);
}

const char *fr_violation_name(fr_violation_kind kind)
{
    switch (kind) {
    case FR_V_USE_AFTER_FREE: return "use-after-free";
    case FR_V_USE_AFTER_MOVE: return "use-after-move";
    case FR_V_DOUBLE_DROP: return "double-drop";
    case FR_V_BORROW_CONFLICT: return "borrow-conflict";
    case FR_V_DROP_WHILE_BORROWED: return "drop-while-borrowed";
    case FR_V_RELEASE_UNBORROWED: return "release-unborrowed";
    case FR_V_REGION_OUTLIVED: return "region-outlived";
    case FR_V_LEAK: return "leak";
    }
    return "unknown-violation";
}

/* ---- Options ---- */

static _Atomic unsigned options_word; /* bit 31: read */

unsigned fr__options(void)
{
    unsigned o = atomic_load_explicit(&options_word, memory_order_acquire);
    if (o & 0x80000000u) return o & 0x7fffffffu;
    o = 0;
    const char *e = getenv("FERRUM_OWNER");
    while (e && *e) {
        size_t n = strcspn(e, ",");
        if (n == 4 && !strncmp(e, "warn", 4)) o |= FR__OPT_WARN;
        else if (n == 5 && !strncmp(e, "abort", 5)) o &= ~(unsigned)FR__OPT_WARN;
        else if (n == 7 && !strncmp(e, "noleaks", 7)) o |= FR__OPT_NOLEAKS;
        else if (n == 5 && !strncmp(e, "quiet", 5)) o |= FR__OPT_QUIET;
        else if (n == 5 && !strncmp(e, "trace", 5)) o |= FR__OPT_TRACE;
        else if (n) {
            /* A typo must not silently change what happens on a violation. */
            char msg[200];
            int len = snprintf(msg, sizeof msg,
                               "ferrum: FERRUM_OWNER: unknown option '%.*s' (ignored; known: "
                               "warn, abort, noleaks, quiet, trace)\n",
                               (int)(n > 64 ? 64 : n), e);
            if (len > 0) {
                ssize_t w = write(2, msg, (size_t)len < sizeof msg ? (size_t)len : sizeof msg - 1);
                (void)w;
            }
        }
        e += n;
        if (*e == ',') e++;
    }
    atomic_store_explicit(&options_word, o | 0x80000000u, memory_order_release);
    return o;
}

bool fr__handler_is_default(void)
{
    return atomic_load(&handler_fn) == NULL;
}

void fr__violate(fr_violation_kind kind, fr_handle h, const char *message,
                 const fr__report *rep)
{
    fr_violation v = {kind, h, message};
    fr_violation_fn fn = atomic_load(&handler_fn);
    if (fn) {
        fn(&v, atomic_load(&handler_ctx));
        return;
    }
    unsigned o = fr__options();
    bool stop = kind != FR_V_LEAK && !(o & FR__OPT_WARN);
    if (!(o & FR__OPT_QUIET)) {
        fr__report_print(&v, rep);
    } else if (stop) {
        /* quiet drops the report, never the reason for an abort (QA5 S20) */
        char line[160];
        int len = snprintf(line, sizeof line, "ferrum: error[%s]: %s (report suppressed by FERRUM_OWNER=quiet; aborting)\n",
                           fr_violation_name(kind), message ? message : "");
        if (len > 0) {
            ssize_t w = write(2, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
            (void)w;
        }
    }
    if (!stop) return;
    abort();
}

#if FR_CHECKED

/* ---- Diagnosis ---- */

static const char *uam_message(fr__op op)
{
    switch (op) {
    case FR__OP_BORROW: return "borrow of moved value";
    case FR__OP_BORROW_MUT: return "mutable borrow of moved value";
    case FR__OP_RELEASE: return "release of moved value";
    case FR__OP_MOVE: return "use of moved value";
    case FR__OP_DROP: return "drop of moved value";
    default: return "use of moved value";
    }
}

static const char *uam_label(fr__op op)
{
    switch (op) {
    case FR__OP_BORROW: return "value borrowed here after move";
    case FR__OP_BORROW_MUT: return "value mutably borrowed here after move";
    case FR__OP_RELEASE: return "value released here after move";
    case FR__OP_MOVE: return "value moved again here";
    case FR__OP_DROP: return "value dropped here after move";
    default: return "value used here after move";
    }
}

int fr__diagnose(fr__op op, fr_handle h, void *caller)
{
    fr__trace here, site, born, earlier;
    fr__trace_capture(&here, caller);
    fr__report rep;
    memset(&rep, 0, sizeof rep);
    rep.op = op;
    rep.here = &here;
    rep.here_label = "invalid use here";

    uint32_t idx = fr__idx(h.bits);
    if (!h.bits || ((uint32_t)h.bits & ~(FR__MAX_SLOTS - 1)) || !fr__idx_valid(idx)) {
        rep.here_label = "used here";
        fr__violate(FR_V_USE_AFTER_FREE, h,
                    h.bits ? "not a handle made by fr_own_new" : "use of the null handle", &rep);
        return FR_V_USE_AFTER_FREE;
    }

    fr__slot *s = fr__slot_of(h.bits);
    fr__meta *m = fr__meta_of(idx);
    uint64_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
    uint32_t hgen = fr__gen(h.bits), sgen = (uint32_t)(st >> 32), b = fr__b(st);
    bool live_same = sgen == hgen && b != FR__B_DEAD;     /* the object is still there */
    bool dropped_kept = sgen == hgen + 1 && b == FR__B_DEAD; /* dropped, slot not reused */
    if (live_same || dropped_kept) {
        fr__trace_get(m->born, &born);
        rep.born = &born;
        rep.obj = s->obj;
        rep.size = m->size;
    }

    if (h.bits & FR__MOVED) {
        rep.here_label = uam_label(op);
        if (__atomic_load_n(&m->moved_gen, __ATOMIC_ACQUIRE) == hgen && (live_same || dropped_kept)) {
            fr__trace_get(m->moved, &earlier);
            rep.earlier = &earlier;
            rep.earlier_label = "value moved here";
        } else {
            rep.note = "where it was moved is no longer known (its slot has been reused)";
        }
        if (dropped_kept)
            rep.note = "the value has since been dropped by its new owner: the moved-from handle "
                       "pointed at freed memory";
        fr__violate(FR_V_USE_AFTER_MOVE, h, uam_message(op), &rep);
        return FR_V_USE_AFTER_MOVE;
    }

    if (!live_same) {
        if (hgen > sgen || (hgen == sgen && b == FR__B_DEAD)) {
            rep.here_label = "used here";
            fr__violate(FR_V_USE_AFTER_FREE, h, "not a handle made by fr_own_new", &rep);
            return FR_V_USE_AFTER_FREE;
        }
        if (dropped_kept && __atomic_load_n(&m->dropped_gen, __ATOMIC_ACQUIRE) == hgen) {
            fr__trace_get(m->dropped, &earlier);
            rep.earlier = &earlier;
            const char *by = fr__drop_by_name(m->dropped.by);
            static __thread char label[96];
            if (by) { /* the user called fr_drop once: say what dropped it first (QA14 Y6) */
                snprintf(label, sizeof label, "%s here, by %s() of the allocator it was made over",
                         op == FR__OP_DROP ? "value first dropped" : "value dropped", by);
                rep.earlier_label = label;
            } else {
                rep.earlier_label = op == FR__OP_DROP ? "value first dropped here" : "value dropped here";
            }
        } else {
            rep.note = "where it was dropped is no longer known (its slot has been reused)";
        }
        if (op == FR__OP_DROP) {
            rep.here_label = "value dropped again here";
            fr__violate(FR_V_DOUBLE_DROP, h, "value dropped twice", &rep);
            return FR_V_DOUBLE_DROP;
        }
        rep.here_label = "value used here after being dropped";
        fr__violate(FR_V_USE_AFTER_FREE, h, "value used after being dropped", &rep);
        return FR_V_USE_AFTER_FREE;
    }

    /* Live, same generation: a conflict with the live borrows, or a race. */
    void *bsite = (void *)(uintptr_t)__atomic_load_n(&s->site, __ATOMIC_RELAXED);
    if (bsite) {
        fr__trace_one(&site, bsite);
        site.tid = FR__TID_BORROWER;
        rep.earlier = &site;
    }
    switch (op) {
    case FR__OP_BORROW:
        if (b == FR__B_EXCL) {
            rep.here_label = "immutable borrow occurs here";
            rep.earlier_label = "mutable borrow occurs here (and is not released)";
            fr__violate(FR_V_BORROW_CONFLICT, h,
                        "cannot borrow as immutable because it is also borrowed as mutable", &rep);
            return FR_V_BORROW_CONFLICT;
        }
        if (b == FR__B_SHARED_MAX) {
            rep.here_label = "borrow occurs here";
            rep.earlier_label = "last borrow occurs here";
            fr__violate(FR_V_BORROW_CONFLICT, h, "too many shared borrows (2147483646)", &rep);
            return FR_V_BORROW_CONFLICT;
        }
        return -1;
    case FR__OP_BORROW_MUT:
        if (b == FR__B_EXCL) {
            rep.here_label = "second mutable borrow occurs here";
            rep.earlier_label = "first mutable borrow occurs here (and is not released)";
            fr__violate(FR_V_BORROW_CONFLICT, h,
                        "cannot borrow as mutable more than once at a time", &rep);
            return FR_V_BORROW_CONFLICT;
        }
        if (b != FR__B_FREE) {
            rep.here_label = "mutable borrow occurs here";
            rep.earlier_label = "immutable borrow occurs here (and is not released)";
            fr__violate(FR_V_BORROW_CONFLICT, h,
                        "cannot borrow as mutable because it is also borrowed as immutable", &rep);
            return FR_V_BORROW_CONFLICT;
        }
        return -1;
    case FR__OP_RELEASE:
        if (b == FR__B_FREE) {
            rep.here_label = "released here";
            rep.earlier_label = "last borrowed here";
            fr__violate(FR_V_RELEASE_UNBORROWED, h, "release of a value that is not borrowed", &rep);
            return FR_V_RELEASE_UNBORROWED;
        }
        return -1;
    case FR__OP_MOVE:
        if (b != FR__B_FREE) {
            rep.here_label = "move out of value occurs here";
            rep.earlier_label = "borrow of value occurs here (and is not released)";
            fr__violate(FR_V_BORROW_CONFLICT, h, "cannot move out of value because it is borrowed",
                        &rep);
            return FR_V_BORROW_CONFLICT;
        }
        return -1;
    case FR__OP_DROP:
        if (b != FR__B_FREE) {
            rep.here_label = "drop of value occurs here";
            rep.earlier_label = "borrow of value occurs here (and is not released)";
            fr__violate(FR_V_DROP_WHILE_BORROWED, h, "cannot drop value because it is borrowed",
                        &rep);
            return FR_V_DROP_WHILE_BORROWED;
        }
        return -1;
    default:
        return -1;
    }
}

#endif /* FR_CHECKED */

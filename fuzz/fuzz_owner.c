/*
 * fuzz/fuzz_owner.c — libFuzzer target: the handle API against a model of
 * Rust's Box and RefCell rules.
 *
 * The input is a program over 16 handle variables: each 4-byte record is
 * (opcode, variable a, variable b, argument).  Operations: fr_own_new (over
 * the heap or an arena), plain copies of a handle (aliases of one object),
 * fr_move, fr_borrow, fr_borrow_mut (which then rewrites the object),
 * fr_release, fr_drop, fr_is_live, forgetting a variable.  The model knows,
 * per object, whether it is live, its shared-borrow count and exclusive
 * flag, its address and the pattern last written into it; per variable,
 * whether it is null, refers to an object, or was the source of a move.
 * For every operation it predicts the result (pointer or NULL, live or not)
 * and which violations the handler may see (installed with
 * fr_set_violation_handler; it returns, so every refused operation must
 * fail safely), e.g.: a borrow_mut while any borrow is live is a
 * borrow-conflict and returns NULL; a drop while borrowed is refused; a
 * second drop through a stale copy is a double drop; anything through a
 * moved-from variable is a use after move.  The drop function must run
 * exactly once per object, on intact contents; objects come zeroed.  At
 * the end every borrow is released and every object dropped.  A mismatch
 * aborts with the operation named; libFuzzer keeps the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ferrum/arena.h>
#include <ferrum/owner.h>

#include "../tests/reliability/pattern.h"

#define NVARS 16
#define NOBJS 64

#define FAIL(...) do { fprintf(stderr, "fuzz_owner: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

typedef struct obj {
    int live, excl, drops;
    unsigned shared;
    unsigned char *p;
    size_t n;
    uint64_t seed;
    fr_handle canon;          /* the handle fr_own_new returned */
} obj;

enum { V_NULL, V_REF, V_MOVED };
typedef struct var { int kind, o; fr_handle h; } var;

static obj g_obj[NOBJS];
static int g_nobj;
static var g_var[NVARS];
static unsigned g_viol;                 /* violations seen by the handler */
static fr_violation_kind g_last;
static fr_arena *g_arena;

static void on_violation(const fr_violation *v, void *ctx)
{
    (void)ctx;
    g_viol++;
    g_last = v->kind;
}

static void on_drop(void *p)
{
    for (int i = 0; i < g_nobj; i++)      /* a dead object's address may be reused */
        if (g_obj[i].live && g_obj[i].p == p) {
            obj *o = &g_obj[i];
            o->drops++;
            if (pat_check(p, o->n, o->seed) != (size_t)-1) FAIL("drop: object %d corrupt", i);
            return;
        }
    FAIL("drop function called on %p, which no live object has", p);
}

/* Expected violations: a bit per kind; EXPECT_NONE, or any in the mask. */
#define K(x) (1u << (x))
#define ANY_KIND 0xffu
#define EXPECT_NONE 0u
#define MAY_NONE 0x100u      /* no violation is also acceptable */

static void expect(unsigned mask, const char *op, int a)
{
    if (g_viol > 1) FAIL("%s(var %d): %u violations reported for one operation", op, a, g_viol);
    if (g_viol == 0) {
        if (mask && !(mask & MAY_NONE)) FAIL("%s(var %d): no violation reported where the rules say one", op, a);
        return;
    }
    if (!(mask & K(g_last)))
        FAIL("%s(var %d): violation '%s' where the rules say %s", op, a, fr_violation_name(g_last),
             (mask & 0xff) ? "another kind" : "none");
}

static void reset_all(void)
{
    for (int i = 0; i < g_nobj; i++) {
        obj *o = &g_obj[i];
        if (!o->live) {
            if (o->drops != 1) FAIL("object %d dropped %d times", i, o->drops);
            continue;
        }
        g_viol = 0;
        if (o->excl) fr_release(o->canon);
        for (; o->shared; o->shared--) fr_release(o->canon);
        fr_drop(&o->canon);
        if (g_viol) FAIL("cleanup of object %d: violation '%s'", i, fr_violation_name(g_last));
        if (o->drops != 1) FAIL("object %d: drop function ran %d times", i, o->drops);
    }
    g_nobj = 0;
    memset(g_var, 0, sizeof g_var);
}

static int obj_borrowed(const obj *o) { return o->excl || o->shared; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        fr_set_violation_handler(on_violation, NULL);
        g_arena = fr_arena_create(0);
        init = 1;
    }
    for (size_t at = 0; at + 4 <= size; at += 4) {
        int op = data[at] % 9, a = data[at + 1] % NVARS, b = data[at + 2] % NVARS;
        uint8_t arg = data[at + 3];
        var *va = &g_var[a], *vb = &g_var[b];
        obj *o = va->kind != V_NULL ? &g_obj[va->o] : NULL;
        g_viol = 0;
        switch (op) {
        case 0: {                                          /* fr_own_new */
            if (g_nobj == NOBJS) break;
            size_t n = 8 + (size_t)arg * 3;
            fr_allocator al = (arg & 1) && g_arena ? fr_arena_allocator(g_arena) : fr_heap_allocator();
            fr_handle h = fr_own_new(al, n, on_drop);
            if (!h.bits) FAIL("fr_own_new(%zu) failed", n);
            expect(EXPECT_NONE, "fr_own_new", a);
            obj *no = &g_obj[g_nobj];
            memset(no, 0, sizeof *no);
            no->live = 1;
            no->n = n;
            no->canon = h;
            unsigned char *p = fr_borrow_mut(h);
            if (!p) FAIL("borrow_mut of a new object refused");
            for (size_t i = 0; i < n; i++) if (p[i]) FAIL("fr_own_new: byte %zu not zero", i);
            no->p = p;
            no->seed = pat_mix((uint64_t)at ^ n);
            pat_fill(p, n, no->seed);
            fr_release(h);
            expect(EXPECT_NONE, "fill new", a);
            *va = (var){ V_REF, g_nobj++, h };
            break;
        }
        case 1:                                            /* plain copy: an alias */
            *va = *vb;
            break;
        case 2: {                                          /* fr_move */
            obj *ob = vb->kind != V_NULL ? &g_obj[vb->o] : NULL;
            var before = *vb;
            fr_handle r = fr_move(&vb->h);
            if (vb->kind == V_NULL) {
                expect(MAY_NONE | ANY_KIND, "fr_move(null)", b);
                if (r.bits) FAIL("fr_move of the null handle returned a handle");
                *va = (var){ V_NULL, 0, r };
            } else if (vb->kind == V_REF && ob->live && !obj_borrowed(ob)) {
                expect(EXPECT_NONE, "fr_move", b);
                if (!r.bits) FAIL("fr_move of a live, unborrowed handle returned null");
                vb->kind = V_MOVED;
                if (fr_is_live(vb->h)) FAIL("moved-from handle still live");
                *va = (var){ V_REF, before.o, r };   /* a == b: the variable gets it back */
            } else {
                unsigned m = vb->kind == V_MOVED ? K(FR_V_USE_AFTER_MOVE) | K(FR_V_USE_AFTER_FREE)
                           : !ob->live ? K(FR_V_USE_AFTER_FREE)
                           : K(FR_V_BORROW_CONFLICT) | K(FR_V_DROP_WHILE_BORROWED);
                expect(m, "fr_move (refused)", b);
                if (r.bits) FAIL("refused fr_move returned a handle");
                *va = (var){ V_NULL, 0, r };
            }
            break;
        }
        case 3: {                                          /* fr_borrow */
            const unsigned char *p = fr_borrow(va->h);
            if (va->kind == V_REF && o->live && !o->excl) {
                expect(EXPECT_NONE, "fr_borrow", a);
                if (p != o->p) FAIL("fr_borrow returned %p, object is at %p", (void *)p, (void *)o->p);
                if (pat_check(p, o->n, o->seed) != (size_t)-1) FAIL("fr_borrow: contents changed");
                o->shared++;
            } else {
                unsigned m = va->kind == V_NULL ? ANY_KIND
                           : va->kind == V_MOVED ? K(FR_V_USE_AFTER_MOVE) | K(FR_V_USE_AFTER_FREE)
                           : !o->live ? K(FR_V_USE_AFTER_FREE) : K(FR_V_BORROW_CONFLICT);
                expect(m, "fr_borrow (refused)", a);
                if (p) FAIL("refused fr_borrow returned %p", (const void *)p);
            }
            break;
        }
        case 4: {                                          /* fr_borrow_mut, then write */
            unsigned char *p = fr_borrow_mut(va->h);
            if (va->kind == V_REF && o->live && !obj_borrowed(o)) {
                expect(EXPECT_NONE, "fr_borrow_mut", a);
                if (p != o->p) FAIL("fr_borrow_mut returned %p, object is at %p", (void *)p, (void *)o->p);
                if (pat_check(p, o->n, o->seed) != (size_t)-1) FAIL("fr_borrow_mut: contents changed");
                o->excl = 1;
                o->seed = pat_mix(o->seed + arg);
                pat_fill(p, o->n, o->seed);
            } else {
                unsigned m = va->kind == V_NULL ? ANY_KIND
                           : va->kind == V_MOVED ? K(FR_V_USE_AFTER_MOVE) | K(FR_V_USE_AFTER_FREE)
                           : !o->live ? K(FR_V_USE_AFTER_FREE) : K(FR_V_BORROW_CONFLICT);
                expect(m, "fr_borrow_mut (refused)", a);
                if (p) FAIL("refused fr_borrow_mut returned %p", (void *)p);
            }
            break;
        }
        case 5:                                            /* fr_release */
            fr_release(va->h);
            if (va->kind == V_REF && o->live && obj_borrowed(o)) {
                expect(EXPECT_NONE, "fr_release", a);
                if (o->excl) o->excl = 0;
                else o->shared--;
            } else {
                unsigned m = va->kind == V_NULL ? ANY_KIND | MAY_NONE
                           : va->kind == V_MOVED ? K(FR_V_USE_AFTER_MOVE) | K(FR_V_USE_AFTER_FREE) |
                                                   K(FR_V_RELEASE_UNBORROWED)
                           : !o->live ? K(FR_V_USE_AFTER_FREE) | K(FR_V_RELEASE_UNBORROWED)
                           : K(FR_V_RELEASE_UNBORROWED);
                expect(m, "fr_release (refused)", a);
            }
            break;
        case 6: {                                          /* fr_drop */
            int drops = o ? o->drops : 0;
            fr_drop(&va->h);
            if (va->kind == V_NULL) {
                expect(MAY_NONE, "fr_drop(null)", a);
            } else if (va->kind == V_REF && o->live && !obj_borrowed(o)) {
                expect(EXPECT_NONE, "fr_drop", a);
                if (o->drops != drops + 1) FAIL("fr_drop: drop function ran %d times", o->drops - drops);
                o->live = 0;
            } else {
                unsigned m = va->kind == V_MOVED ? K(FR_V_USE_AFTER_MOVE) | K(FR_V_USE_AFTER_FREE) |
                                                   K(FR_V_DOUBLE_DROP) | MAY_NONE
                           : !o->live ? K(FR_V_DOUBLE_DROP) | K(FR_V_USE_AFTER_FREE)
                           : K(FR_V_DROP_WHILE_BORROWED);
                expect(m, "fr_drop (refused)", a);
                if (o->drops != drops) FAIL("refused fr_drop ran the drop function");
            }
            break;
        }
        case 7: {                                          /* fr_is_live */
            int want = va->kind == V_REF && o->live;
            if (fr_is_live(va->h) != want) FAIL("fr_is_live(var %d) = %d, model says %d", a, !want, want);
            expect(EXPECT_NONE, "fr_is_live", a);
            break;
        }
        default:                                           /* forget the variable */
            memset(va, 0, sizeof *va);
        }
    }
    reset_all();
    if (g_arena) fr_arena_reset(g_arena);    /* every object in it is dropped */
    return 0;
}

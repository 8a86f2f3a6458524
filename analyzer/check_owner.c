/*
 * analyzer/check_owner.c — Rust's ownership and borrowing rules for the
 * ferrum handle API, checked statically on the analyzer's CFG.
 *
 * What: in each function, for every local variable holding an fr_handle (or
 * a typed handle of FR_OWN_TYPE), the pass follows the owned object and the
 * pointers borrowed from it and reports, with the words of the runtime's
 * report and notes at every related place:
 *   use-after-move   a handle used after fr_move(&h) (or after being passed
 *                    to an FR_TAKES parameter): "value moved here";
 *   borrow-conflict  fr_borrow_mut while another borrow of the object is
 *                    live, or fr_borrow while the exclusive one is: "first
 *                    borrow taken here";
 *   dangling-borrow  a pointer from fr_borrow/fr_borrow_mut used after
 *                    fr_release ended that borrow, after the object's drop,
 *                    or after its region's destroy: "borrow released here";
 *   double-free      a second fr_drop of the same object (through any copy);
 *   use-after-free   a borrow, move or drop through a copy of a dropped
 *                    handle (every copy goes stale at once);
 *   leak             a heap handle neither dropped, moved, returned nor
 *                    stored anywhere on some path to a return.
 * Typed handles (point_own_new / _move / _borrow / _borrow_mut / _release /
 * _drop / _is_live) are recognised by their handle struct (it has the
 * member fr__type that FR_OWN_TYPE defines), FR_WITH_BORROW scopes by their
 * begin call (a scoped borrow is checked against live borrows; it releases
 * itself at the closing brace, so it is not counted afterwards).
 *
 * How: a forward dataflow (dataflow.h) with a small record per variable:
 * for a handle variable, whether it names an object or was moved from, and
 * which object (objects are numbered by the variable that created them, so
 * `b = a` makes b another name of a's object, as at run time); for the
 * object, live / dropped / escaped, how it was allocated (heap, region r,
 * other), its live shared and exclusive borrows; for a borrow pointer, the
 * object it borrows and whether that borrow has ended.  Where two paths
 * disagree the record becomes "unknown" and nothing is reported about it:
 * only what holds on every path is reported, so correct code stays quiet.
 * Calls to functions of the same file that take a handle are scanned for
 * what they do with it (drop, move, store); a handle given to an unknown
 * function by value or by address escapes.  Annotations (FR_TAKES,
 * FR_BORROWS, FR_BORROWS_MUT, FR_RETURNS_OWNED) are read from the AST as
 * `annotate` attributes; they also feed the memory checks' summaries
 * (summary pass below) so that any C API becomes checkable.
 *
 * Why: these are the rules the runtime enforces when the program runs; the
 * optimizer also relies on them (an exclusive borrow is `restrict`), so a
 * violation is best caught before the code is compiled.
 */
#include "check_owner.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "check_ast.h"
#include "checks.h"
#include "dataflow.h"
#include "options.h"
#include "summary.h"

/* ---- Annotations ---- */

struct annot_scan {
    unsigned bits;
};

static enum CXChildVisitResult annot_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct annot_scan *s = d;
    if (clang_getCursorKind(c) != CXCursor_AnnotateAttr)
        return CXChildVisit_Continue;
    CXString sp = clang_getCursorSpelling(c);
    const char *t = clang_getCString(sp);
    if (t) {
        if (strcmp(t, "ferrum::returns_owned") == 0)
            s->bits |= FC_ANNOT_RETURNS_OWNED;
        else if (strcmp(t, "ferrum::takes") == 0)
            s->bits |= FC_ANNOT_TAKES;
        else if (strcmp(t, "ferrum::borrows") == 0)
            s->bits |= FC_ANNOT_BORROWS;
        else if (strcmp(t, "ferrum::borrows_mut") == 0)
            s->bits |= FC_ANNOT_BORROWS_MUT;
    }
    clang_disposeString(sp);
    return CXChildVisit_Continue;
}

static unsigned annots_of(CXCursor c)
{
    struct annot_scan s = {0};
    clang_visitChildren(c, annot_visit, &s);
    return s.bits;
}

unsigned fc_annot_function(CXCursor fndecl)
{
    unsigned bits = annots_of(fndecl);
    CXCursor canon = clang_getCanonicalCursor(fndecl);
    if (!clang_equalCursors(canon, fndecl))
        bits |= annots_of(canon);
    return bits & FC_ANNOT_RETURNS_OWNED;
}

unsigned fc_annot_param(CXCursor fndecl, unsigned i)
{
    unsigned bits = 0;
    CXCursor decls[2] = {fndecl, clang_getCanonicalCursor(fndecl)};
    for (int k = 0; k < 2; k++) {
        if (k == 1 && clang_equalCursors(decls[0], decls[1]))
            break;
        if ((int)i < clang_Cursor_getNumArguments(decls[k]))
            bits |= annots_of(clang_Cursor_getArgument(decls[k], i));
    }
    return bits & (FC_ANNOT_TAKES | FC_ANNOT_BORROWS | FC_ANNOT_BORROWS_MUT);
}

/* ---- The API as the checks see it ---- */

enum op {
    OP_NONE, OP_NEW, OP_MOVE, OP_BORROW, OP_BORROW_MUT, OP_RELEASE, OP_DROP, OP_IS_LIVE,
    OP_SCOPE, OP_REGION_DESTROY, OP_HANDLE_OF
};

static bool is_typed_handle_type(CXType t)
{
    t = clang_getCanonicalType(t);
    if (t.kind == CXType_Pointer)
        t = clang_getCanonicalType(clang_getPointeeType(t));
    if (t.kind != CXType_Record)
        return false;
    return clang_Type_getOffsetOf(t, "fr__type") >= 0;
}

static bool is_handle_type(CXType t)
{
    return is_typed_handle_type(t); /* fr_handle has fr__type too (owner.h) */
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

static enum op api_op(const fc_call_event *ev)
{
    const char *n = ev->callee;
    if (!n)
        return OP_NONE;
    if (strncmp(n, "fr_", 3) == 0) {
        if (strcmp(n, "fr_own_new") == 0) return OP_NEW;
        if (strcmp(n, "fr_move") == 0) return OP_MOVE;
        if (strcmp(n, "fr_borrow") == 0) return OP_BORROW;
        if (strcmp(n, "fr_borrow_mut") == 0) return OP_BORROW_MUT;
        if (strcmp(n, "fr_release") == 0) return OP_RELEASE;
        if (strcmp(n, "fr_drop") == 0) return OP_DROP;
        if (strcmp(n, "fr_is_live") == 0) return OP_IS_LIVE;
        if (strcmp(n, "fr__scope_begin") == 0) return OP_SCOPE;
        if (strcmp(n, "fr_region_destroy") == 0) return OP_REGION_DESTROY;
    }
    /* Typed accessors of FR_OWN_TYPE(name, T): name_new, name_move, ... */
    CXCursor d = ev->callee_decl;
    if (clang_Cursor_isNull(d))
        return OP_NONE;
    CXType ft = clang_getCursorType(d);
    CXType ht = clang_getResultType(ft);
    if (!is_typed_handle_type(ht)) {
        if (clang_getNumArgTypes(ft) < 1)
            return OP_NONE;
        ht = clang_getArgType(ft, 0);
        if (!is_typed_handle_type(ht))
            return OP_NONE;
    }
    /* The accessor's name is the handle type's name plus the operation. */
    ht = clang_getCanonicalType(ht);
    if (ht.kind == CXType_Pointer)
        ht = clang_getCanonicalType(clang_getPointeeType(ht));
    CXString ts = clang_getCursorSpelling(clang_getTypeDeclaration(ht));
    const char *tn = clang_getCString(ts);
    size_t tl = tn ? strlen(tn) : 0;
    enum op op = OP_NONE;
    if (tl && strncmp(n, tn, tl) == 0 && n[tl] == '_' && strcmp(tn, "fr_handle") != 0) {
        static const struct { const char *suffix; enum op op; } ops[] = {
            {"new", OP_NEW}, {"move", OP_MOVE}, {"borrow", OP_BORROW},
            {"borrow_mut", OP_BORROW_MUT}, {"release", OP_RELEASE}, {"drop", OP_DROP},
            {"is_live", OP_IS_LIVE}, {"handle", OP_HANDLE_OF},
        };
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
            if (strcmp(n + tl + 1, ops[i].suffix) == 0)
                op = ops[i].op;
    }
    clang_disposeString(ts);
    return op;
}

/* ---- State ---- */

enum vst {
    V_NONE = 0,     /* not followed */
    V_HANDLE,       /* names object `obj` */
    V_MOVED,        /* moved from (ev_a: where) */
    V_BORROW,       /* a live borrow of object `obj` (ev_a: where taken) */
    V_BORROW_DEAD,  /* that borrow ended (ev_b: where; why) */
    V_TOP           /* paths disagree: say nothing */
};

enum ost {
    O_NONE = 0,
    O_LIVE,         /* ev_c: where created */
    O_DROPPED,      /* ev_d: where dropped */
    O_ESCAPED,      /* returned or stored: someone else's now */
    O_TOP
};

enum alloc { AL_OTHER = 0, AL_HEAP, AL_REGION };
enum why { W_NONE = 0, W_RELEASED, W_DROPPED, W_REGION };

typedef struct ov {
    uint8_t st;       /* enum vst, as a variable */
    uint8_t ost;      /* enum ost, of the object this variable created (slot) */
    uint8_t shared;   /* object: live shared borrows */
    uint8_t mut;      /* object: live exclusive borrow */
    uint8_t alloc;    /* object: enum alloc */
    uint8_t why;      /* borrow: why it ended; object: why dropped */
    uint8_t bmut;     /* borrow: exclusive */
    uint8_t sc;       /* object: a scoped borrow (FR_WITH_BORROW) is live: 1 shared, 2 exclusive */
    int32_t obj;      /* handle / borrow: the object's slot */
    int32_t region;   /* object: region variable, -1 */
    uint32_t ev_a;    /* handle: where assigned; moved: where moved; borrow: where taken */
    uint32_t ev_b;    /* borrow: where it ended */
    uint32_t ev_c;    /* object: where created */
    uint32_t ev_d;    /* object: where dropped / region destroyed */
    uint32_t ev_sh;   /* object: first live shared borrow */
    uint32_t ev_mu;   /* object: the live exclusive borrow */
    uint32_t seq;     /* borrow: order (event id) for "the most recent borrow" */
    uint32_t sc_beg, sc_end; /* object: the scope's extent (file offsets) */
    uint32_t sc_ev;   /* object: where the scoped borrow was taken */
} ov;

/* Event ids: a cursor table so that states stay plain bytes. */
typedef struct evtab {
    CXCursor *c;
    const void **key;
    unsigned n, cap;
    unsigned *hash;   /* open addressing: index + 1, 0 empty */
    unsigned hcap;
} evtab;

typedef struct pending {
    enum op op;
    CXCursor call;    /* the call whose value is being stored */
    int src;          /* the handle variable (borrow, move), -1 */
    uint8_t alloc;
    int32_t region;
} pending;

/* An FR_WITH_BORROW scope: its begin call and the extent of its for statement. */
struct scope {
    const void *call;     /* the fr__scope_begin CallExpr (cursor data) */
    uint32_t beg, end;
};

typedef struct octx {
    fc_func *fn;
    fc_diag_sink *sink;
    const struct fc_options *opts;
    ov *st;           /* current state (nvars) */
    bool report;
    evtab ev;
    pending pend;
    unsigned nvars;
    uint32_t *reported; /* [nvars] checks already reported for the variable */
    struct scope *scopes; /* FR_WITH_BORROW scopes of the function */
    unsigned nscopes;
    CXFile file;          /* the function's file (scope offsets are in it) */
} octx;

static uint32_t ev_id(octx *cx, CXCursor c)
{
    evtab *t = &cx->ev;
    const void *k = c.data[1];
    if (t->hcap == 0 || t->n * 2 >= t->hcap) {
        unsigned hcap = t->hcap ? t->hcap * 2 : 256;
        unsigned *h = calloc(hcap, sizeof *h);
        if (!h)
            return 0;
        for (unsigned i = 0; i < t->n; i++) {
            unsigned j = (unsigned)(((uintptr_t)t->key[i] >> 4) * 2654435761u) & (hcap - 1);
            while (h[j])
                j = (j + 1) & (hcap - 1);
            h[j] = i + 1;
        }
        free(t->hash);
        t->hash = h;
        t->hcap = hcap;
    }
    unsigned j = (unsigned)(((uintptr_t)k >> 4) * 2654435761u) & (t->hcap - 1);
    while (t->hash[j]) {
        unsigned i = t->hash[j] - 1;
        if (t->key[i] == k && clang_getCursorKind(t->c[i]) == clang_getCursorKind(c))
            return i + 1;
        j = (j + 1) & (t->hcap - 1);
    }
    if (t->n == t->cap) {
        unsigned cap = t->cap ? t->cap * 2 : 64;
        CXCursor *nc = realloc(t->c, cap * sizeof *nc);
        if (!nc)
            return 0;
        t->c = nc;
        const void **nk = realloc(t->key, cap * sizeof *nk);
        if (!nk)
            return 0;
        t->key = nk;
        t->cap = cap;
    }
    t->c[t->n] = c;
    t->key[t->n] = k;
    t->hash[j] = ++t->n;
    return t->n;
}

static CXCursor ev_cursor(octx *cx, uint32_t id)
{
    if (id == 0 || id > cx->ev.n)
        return clang_getNullCursor();
    return cx->ev.c[id - 1];
}

/* ---- Reporting ---- */

static const char *var_name(octx *cx, int v)
{
    static __thread char buf[128];
    if (v < 0 || (unsigned)v >= cx->fn->nvars)
        return "?";
    CXString s = clang_getCursorSpelling(cx->fn->vars[v]);
    snprintf(buf, sizeof buf, "%s", clang_getCString(s));
    clang_disposeString(s);
    return buf;
}

/* A finding, in the report pass only, once per check and variable (the
 * first place in the function's order; later uses of the same moved or
 * dangling variable repeat the same mistake). */
static fc_finding *finding_at(octx *cx, const char *check, int var, fc_loc at, const char *label,
                              const char *msg)
{
    if (!cx->report || (cx->opts && !fc_check_enabled(cx->opts, check)))
        return NULL;
    if (var >= 0 && (unsigned)var < cx->nvars) {
        unsigned bit = 0;
        for (const char *c = check; *c; c++)
            bit = bit * 31 + (unsigned char)*c;
        bit = 1u << (bit % 32);
        if (cx->reported[var] & bit)
            return NULL;
        cx->reported[var] |= bit;
    }
    return fc_finding_new(check, at, label, "%s", msg);
}

static fc_finding *finding(octx *cx, const char *check, int var, CXCursor at, const char *label,
                           const char *msg)
{
    return finding_at(cx, check, var, fc_ast_loc(at), label, msg);
}

static void note(octx *cx, fc_finding *f, uint32_t ev, const char *label, const char *msg)
{
    CXCursor c = ev_cursor(cx, ev);
    if (f && !clang_Cursor_isNull(c))
        fc_finding_note(f, fc_ast_loc(c), label, "%s", msg);
}

static void emit(octx *cx, fc_finding *f)
{
    if (f)
        fc_diag_emit(cx->sink, f);
}

/* ---- Transfer helpers ---- */

static ov *V(octx *cx, int v)
{
    return (v >= 0 && (unsigned)v < cx->nvars) ? &cx->st[v] : NULL;
}

/* The object slot a handle variable names, or -1. */
static int obj_of(octx *cx, int v)
{
    ov *x = V(cx, v);
    if (!x || x->st != V_HANDLE)
        return -1;
    ov *o = V(cx, x->obj);
    if (!o || o->ost == O_NONE || o->ost == O_TOP)
        return -1;
    return x->obj;
}

/* End the borrows of object o chosen by pred; record where and why. */
static void end_borrows(octx *cx, int o, bool only_mut, bool most_recent, uint32_t at, enum why why)
{
    int pick = -1;
    for (unsigned i = 0; i < cx->nvars; i++) {
        ov *p = &cx->st[i];
        if (p->st != V_BORROW || p->obj != o)
            continue;
        if (only_mut && !p->bmut)
            continue;
        if (most_recent) {
            if (pick < 0 || p->seq > cx->st[pick].seq)
                pick = (int)i;
            continue;
        }
        p->st = V_BORROW_DEAD;
        p->ev_b = at;
        p->why = (uint8_t)why;
    }
    if (pick >= 0) {
        ov *p = &cx->st[pick];
        p->st = V_BORROW_DEAD;
        p->ev_b = at;
        p->why = (uint8_t)why;
    }
}

/* A handle variable v is used (borrowed, moved, dropped, copied) at `at`:
 * report a use after move or a use of a dropped object.  Returns false when
 * the use must not go on (already reported). */
static bool check_use(octx *cx, int v, CXCursor at, const char *how, bool is_drop)
{
    ov *x = V(cx, v);
    if (!x)
        return true;
    char msg[256], label[96];
    const char *name = var_name(cx, v);
    if (x->st == V_MOVED) {
        /* The runtime's words (owner/violation.c): "borrow of moved value",
         * "value borrowed here after move", "value moved here". */
        static const struct { const char *how, *msg, *label; } w[] = {
            {"borrow", "borrow of moved value", "value borrowed here after move"},
            {"mutable borrow", "mutable borrow of moved value", "value mutably borrowed here after move"},
            {"release", "release of moved value", "value released here after move"},
            {"move", "use of moved value", "value moved again here"},
            {"drop", "drop of moved value", "value dropped here after move"},
        };
        const char *m = "use of moved value", *l = "value used here after move";
        for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
            if (strcmp(how, w[i].how) == 0) {
                m = w[i].msg;
                l = w[i].label;
            }
        snprintf(msg, sizeof msg, "%s: '%s'", m, name);
        fc_finding *f = finding(cx, "use-after-move", v, at, l, msg);
        if (f) {
            char nm[256];
            snprintf(nm, sizeof nm, "value moved here (%s is moved from after this call)", name);
            note(cx, f, x->ev_a, "value moved here", nm);
        }
        emit(cx, f);
        return false;
    }
    int o = x->st == V_HANDLE ? x->obj : -1;
    ov *ob = V(cx, o);
    if (ob && ob->ost == O_DROPPED) {
        const char *check = is_drop ? "double-free" : "use-after-free";
        if (is_drop)
            snprintf(msg, sizeof msg, "value dropped twice: '%s'", name);
        else
            snprintf(msg, sizeof msg, "value used after being dropped: %s of '%s' (every copy of a "
                                      "handle goes stale at the drop)",
                     how, name);
        snprintf(label, sizeof label, is_drop ? "value dropped again here"
                                              : "value used here after being dropped");
        fc_finding *f = finding(cx, check, v, at, label, msg);
        if (f) {
            const char *wl = ob->why == W_REGION ? "region destroyed here"
                             : is_drop           ? "value first dropped here"
                                                 : "value dropped here";
            char nm[192];
            if (ob->why == W_REGION)
                snprintf(nm, sizeof nm, "region destroyed here: it dropped the value");
            else if (o != v)
                snprintf(nm, sizeof nm, "%s, through '%s' (a copy of the same handle)", wl,
                         var_name(cx, o));
            else
                snprintf(nm, sizeof nm, "%s", wl);
            note(cx, f, ob->ev_d, wl, nm);
        }
        emit(cx, f);
        return false;
    }
    return true;
}

static void do_borrow(octx *cx, int v, CXCursor call, bool mut, bool scoped)
{
    if (!check_use(cx, v, call, mut ? "mutable borrow" : "borrow", false))
        return;
    int o = obj_of(cx, v);
    ov *ob = V(cx, o);
    uint32_t at = ev_id(cx, call);
    if (!ob || ob->ost != O_LIVE) {
        cx->pend.op = OP_NONE;
        return;
    }
    const char *name = var_name(cx, v);
    char msg[256];
    bool has_mut = ob->mut || ob->sc == 2, has_shared = ob->shared || ob->sc == 1;
    if (has_mut || (mut && has_shared)) {
        /* The runtime's words (owner/violation.c), with the variable's name. */
        const char *here, *first;
        if (mut && has_mut) {
            snprintf(msg, sizeof msg, "cannot borrow '%s' as mutable more than once at a time", name);
            here = "second mutable borrow occurs here";
            first = "first mutable borrow occurs here (and is not released)";
        } else if (mut) {
            snprintf(msg, sizeof msg,
                     "cannot borrow '%s' as mutable because it is also borrowed as immutable", name);
            here = "mutable borrow occurs here";
            first = "immutable borrow occurs here (and is not released)";
        } else {
            snprintf(msg, sizeof msg,
                     "cannot borrow '%s' as immutable because it is also borrowed as mutable", name);
            here = "immutable borrow occurs here";
            first = "mutable borrow occurs here (and is not released)";
        }
        fc_finding *f = finding(cx, "borrow-conflict", -1, call, here, msg);
        if (f) {
            char nm[160];
            snprintf(nm, sizeof nm, "first borrow taken here: %s", first);
            uint32_t fev = ob->mut ? ob->ev_mu : has_mut ? ob->sc_ev : ob->shared ? ob->ev_sh : ob->sc_ev;
            note(cx, f, fev, "first borrow taken here", nm);
        }
        emit(cx, f);
        /* At run time the conflicting borrow is refused: nothing is counted. */
        cx->pend.op = OP_NONE;
        return;
    }
    if (scoped) {
        /* Live until the scope's closing brace (its cleanup releases it). */
        if (!ob->sc) {
            for (unsigned i = 0; i < cx->nscopes; i++)
                if (cx->scopes[i].call == call.data[1]) {
                    ob->sc = mut ? 2 : 1;
                    ob->sc_beg = cx->scopes[i].beg;
                    ob->sc_end = cx->scopes[i].end;
                    ob->sc_ev = at;
                }
        }
        return;
    }
    if (mut) {
        ob->mut = 1;
        ob->ev_mu = at;
    } else {
        if (ob->shared == 0)
            ob->ev_sh = at;
        if (ob->shared < 250)
            ob->shared++;
    }
    cx->pend.op = mut ? OP_BORROW_MUT : OP_BORROW;
    cx->pend.call = call;
    cx->pend.src = o;
}

static void do_release(octx *cx, int v, CXCursor call)
{
    if (!check_use(cx, v, call, "release", false))
        return;
    int o = obj_of(cx, v);
    ov *ob = V(cx, o);
    if (!ob || ob->ost != O_LIVE)
        return;
    uint32_t at = ev_id(cx, call);
    /* "ends the most recent borrow of h" */
    int recent = -1;
    for (unsigned i = 0; i < cx->nvars; i++)
        if (cx->st[i].st == V_BORROW && cx->st[i].obj == o &&
            (recent < 0 || cx->st[i].seq > cx->st[recent].seq))
            recent = (int)i;
    if (ob->mut) {
        ob->mut = 0;
        end_borrows(cx, o, true, false, at, W_RELEASED);
    } else if (ob->shared) {
        ob->shared--;
        if (recent >= 0 && !cx->st[recent].bmut)
            end_borrows(cx, o, false, true, at, W_RELEASED);
    }
}

static void do_drop(octx *cx, int v, CXCursor call, enum why why)
{
    if (!check_use(cx, v, call, "drop", true))
        return;
    int o = obj_of(cx, v);
    ov *ob = V(cx, o);
    if (!ob || ob->ost != O_LIVE)
        return;
    uint32_t at = ev_id(cx, call);
    ob->ost = O_DROPPED;
    ob->ev_d = at;
    ob->why = (uint8_t)why;
    ob->shared = ob->mut = ob->sc = 0;
    end_borrows(cx, o, false, false, at, why);
}

/* The variable's record is overwritten: a heap object only it names leaks. */
static void forget(octx *cx, int v, CXCursor at)
{
    ov *x = V(cx, v);
    if (!x)
        return;
    if (x->st == V_HANDLE && x->obj == v && x->ost == O_LIVE && x->alloc == AL_HEAP) {
        bool other = false;
        for (unsigned i = 0; i < cx->nvars; i++)
            if ((int)i != v && cx->st[i].st == V_HANDLE && cx->st[i].obj == v)
                other = true;
        if (!other && x->shared == 0 && x->mut == 0) {
            char msg[192];
            snprintf(msg, sizeof msg, "value never dropped (leaked): '%s' is overwritten while it "
                                      "owns it", var_name(cx, v));
            fc_finding *f = finding(cx, "leak", -1, at, "the owned value is lost here", msg);
            note(cx, f, x->ev_c, "value allocated here", "value allocated here");
            emit(cx, f);
        }
    }
    /* Other names of this slot lose their object (the slot is reused). */
    for (unsigned i = 0; i < cx->nvars; i++) {
        ov *y = &cx->st[i];
        if ((int)i != v && (y->st == V_HANDLE || y->st == V_BORROW || y->st == V_BORROW_DEAD) &&
            y->obj == v)
            y->st = V_NONE;
    }
    memset(x, 0, sizeof *x);
    x->region = -1;
    x->obj = -1;
}

/* An object escapes (returned, stored, given away to unknown code). */
static void escape(octx *cx, int v)
{
    int o = obj_of(cx, v);
    ov *ob = V(cx, o);
    if (ob && ob->ost == O_LIVE)
        ob->ost = O_ESCAPED;
}

/* ---- What a callee of this file does with a handle parameter ---- */

struct scan {
    CXCursor param;
    bool drops, moves, stores, refills;
};

static bool refers_to(CXCursor e, CXCursor param)
{
    e = fc_strip(e);
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator) {
        CXCursor k[1];
        if (fc_children(e, k, 1) == 1)
            e = fc_strip(k[0]);
    }
    CXCursor d = fc_decl_ref(e);
    return !clang_Cursor_isNull(d) && clang_equalCursors(d, param);
}

static enum CXChildVisitResult scan_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct scan *s = d;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_CallExpr) {
        const char *n = fc_callee_name(c);
        int na = fc_call_nargs(c);
        if (n && na >= 1 && refers_to(fc_call_arg(c, 0), s->param)) {
            if (strcmp(n, "fr_drop") == 0 || ends_with(n, "_drop"))
                s->drops = true;
            else if (strcmp(n, "fr_move") == 0 || ends_with(n, "_move"))
                s->moves = true;
        }
    } else if (k == CXCursor_BinaryOperator) {
        CXCursor kk[2];
        if (fc_children(c, kk, 2) == 2 && fc_binop(NULL, c) == FC_OP_ASSIGN) {
            CXCursor lhs = fc_strip(kk[0]);
            if (refers_to(kk[1], s->param) && clang_Cursor_isNull(fc_decl_ref(lhs)))
                s->stores = true;
            /* `*param = ...`: the callee puts a value back (move out and in). */
            if (clang_getCursorKind(lhs) == CXCursor_UnaryOperator && refers_to(lhs, s->param))
                s->refills = true;
        }
    }
    return CXChildVisit_Recurse;
}

/* Effect of passing a handle as argument i of callee d (a definition of this TU). */
enum effect { EF_UNKNOWN, EF_NONE, EF_DROPS, EF_CONSUMES };

static enum effect callee_effect(CXCursor d, unsigned i)
{
    if (clang_Cursor_isNull(d))
        return EF_UNKNOWN;
    unsigned an = fc_annot_param(d, i);
    if (an & FC_ANNOT_TAKES)
        return EF_CONSUMES;
    if (an & (FC_ANNOT_BORROWS | FC_ANNOT_BORROWS_MUT))
        return EF_NONE;
    CXCursor def = clang_getCursorDefinition(d);
    if (clang_Cursor_isNull(def) || (int)i >= clang_Cursor_getNumArguments(def))
        return EF_UNKNOWN;
    struct scan s = {clang_Cursor_getArgument(def, i), false, false, false, false};
    clang_visitChildren(def, scan_visit, &s);
    if (s.refills)
        return EF_NONE;
    if (s.moves || s.stores)
        return EF_CONSUMES;
    if (s.drops)
        return EF_DROPS;
    return EF_NONE;
}

/* ---- Events ---- */

static int arg_var(const fc_call_event *ev, unsigned i)
{
    return i < ev->nargs ? ev->arg_var[i] : -1;
}

/* For fr__scope_begin((h).bits, mut): the variable h. */
static int scope_var(octx *cx, const fc_call_event *ev)
{
    if (ev->nargs < 1)
        return -1;
    CXCursor a = fc_strip(ev->args[0]);
    if (clang_getCursorKind(a) != CXCursor_MemberRefExpr)
        return -1;
    CXCursor k[1];
    if (fc_children(a, k, 1) != 1)
        return -1;
    return fc_var_index(cx->fn, fc_decl_ref(k[0]));
}

static void on_call(void *ctx, const fc_call_event *ev)
{
    octx *cx = ctx;
    enum op op = api_op(ev);
    cx->pend.op = OP_NONE;
    int v = arg_var(ev, 0);
    switch (op) {
    case OP_NEW: {
        cx->pend.op = OP_NEW;
        cx->pend.call = ev->call;
        cx->pend.src = -1;
        cx->pend.alloc = AL_OTHER;
        cx->pend.region = -1;
        if (ev->nargs >= 1) {
            CXCursor a = fc_strip(ev->args[0]);
            if (clang_getCursorKind(a) == CXCursor_CallExpr) {
                const char *an = fc_callee_name(a);
                if (an && strcmp(an, "fr_heap_allocator") == 0)
                    cx->pend.alloc = AL_HEAP;
                else if (an && strcmp(an, "fr_region_allocator") == 0 && fc_call_nargs(a) >= 1) {
                    cx->pend.alloc = AL_REGION;
                    cx->pend.region = fc_var_index(cx->fn, fc_decl_ref(fc_call_arg(a, 0)));
                }
            }
        }
        return;
    }
    case OP_MOVE: {
        if (v < 0 || !ev->arg_addr[0])
            return;
        if (!check_use(cx, v, ev->call, "move", false))
            return;
        int o = obj_of(cx, v);
        ov *ob = V(cx, o);
        if (!ob || ob->ost != O_LIVE)
            return;
        if (ob->shared || ob->mut || ob->sc) {
            char msg[192];
            snprintf(msg, sizeof msg, "cannot move out of '%s' because it is borrowed", var_name(cx, v));
            fc_finding *f = finding(cx, "borrow-conflict", -1, ev->call, "move out of value occurs here", msg);
            note(cx, f, ob->mut ? ob->ev_mu : ob->shared ? ob->ev_sh : ob->sc_ev, "first borrow taken here",
                 "first borrow taken here: borrow of value occurs here (and is not released)");
            emit(cx, f);
            return; /* refused at run time */
        }
        ov *x = V(cx, v);
        x->st = V_MOVED;
        x->ev_a = ev_id(cx, ev->call);
        cx->pend.op = OP_MOVE;
        cx->pend.call = ev->call;
        cx->pend.src = o;
        return;
    }
    case OP_BORROW:
    case OP_BORROW_MUT:
        if (v >= 0 && !ev->arg_addr[0])
            do_borrow(cx, v, ev->call, op == OP_BORROW_MUT, false);
        return;
    case OP_SCOPE: {
        int sv = scope_var(cx, ev);
        long long m = 0;
        bool mut = ev->nargs >= 2 && fc_ast_const_int(ev->args[1], &m) && m != 0;
        if (sv >= 0)
            do_borrow(cx, sv, ev->call, mut, true);
        return;
    }
    case OP_RELEASE:
        if (v >= 0 && !ev->arg_addr[0])
            do_release(cx, v, ev->call);
        return;
    case OP_DROP:
        if (v >= 0 && ev->arg_addr[0])
            do_drop(cx, v, ev->call, W_DROPPED);
        return;
    case OP_IS_LIVE:
    case OP_HANDLE_OF:
        return;
    case OP_REGION_DESTROY: {
        if (v < 0 || ev->arg_addr[0])
            return;
        uint32_t at = ev_id(cx, ev->call);
        for (unsigned i = 0; i < cx->nvars; i++) {
            ov *ob = &cx->st[i];
            if (ob->ost == O_LIVE && ob->alloc == AL_REGION && ob->region == v) {
                ob->ost = O_DROPPED;
                ob->ev_d = at;
                ob->why = W_REGION;
                ob->shared = ob->mut = ob->sc = 0;
                end_borrows(cx, (int)i, false, false, at, W_REGION);
            }
        }
        return;
    }
    case OP_NONE:
        break;
    }
    /* Any other call: pointers given to FR_TAKES parameters move into it. */
    if (!clang_Cursor_isNull(ev->callee_decl)) {
        for (unsigned i = 0; i < ev->nargs; i++) {
            int a = ev->arg_var[i];
            ov *x = V(cx, a);
            if (!x || ev->arg_addr[i] || is_handle_type(clang_getCursorType(ev->args[i])) ||
                clang_getCanonicalType(clang_getCursorType(ev->args[i])).kind != CXType_Pointer ||
                !(fc_annot_param(ev->callee_decl, i) & FC_ANNOT_TAKES))
                continue;
            if (x->st == V_MOVED) {
                /* on_use reported the argument already */
                continue;
            }
            forget(cx, a, ev->args[i]);
            x->st = V_MOVED;
            x->ev_a = ev_id(cx, ev->call);
        }
    }
    /* Handles given to it. */
    for (unsigned i = 0; i < ev->nargs; i++) {
        int a = ev->arg_var[i];
        ov *x = V(cx, a);
        if (!x || (x->st != V_HANDLE && x->st != V_MOVED))
            continue;
        if (!ev->arg_addr[i] && !is_handle_type(clang_getCursorType(ev->args[i])))
            continue;
        if (!check_use(cx, a, ev->args[i], "use", false))
            continue;
        enum effect ef = callee_effect(ev->callee_decl, i);
        int o = obj_of(cx, a);
        ov *ob = V(cx, o);
        if (!ob || ob->ost != O_LIVE)
            continue;
        if (!clang_Cursor_isNull(ev->callee_decl)) {
            unsigned an = fc_annot_param(ev->callee_decl, i);
            if ((an & FC_ANNOT_BORROWS_MUT) && (ob->shared || ob->mut)) {
                char msg[192];
                snprintf(msg, sizeof msg, "cannot borrow '%s' as mutable (parameter %u of '%s' is FR_BORROWS_MUT) "
                         "because it is also borrowed", var_name(cx, a), i + 1, ev->callee);
                fc_finding *f = finding(cx, "borrow-conflict", -1, ev->args[i], "mutable borrow occurs here", msg);
                note(cx, f, ob->mut ? ob->ev_mu : ob->ev_sh, "first borrow taken here", "first borrow taken here, still live");
                emit(cx, f);
                continue;
            }
            if ((an & FC_ANNOT_BORROWS) && ob->mut) {
                char msg[192];
                snprintf(msg, sizeof msg, "cannot borrow '%s' as immutable (parameter %u of '%s' is FR_BORROWS) "
                         "because it is also borrowed as mutable", var_name(cx, a), i + 1, ev->callee);
                fc_finding *f = finding(cx, "borrow-conflict", -1, ev->args[i], "immutable borrow occurs here", msg);
                note(cx, f, ob->ev_mu, "first borrow taken here", "first borrow taken here (mutable), still live");
                emit(cx, f);
                continue;
            }
        }
        switch (ef) {
        case EF_CONSUMES:
            if (ev->arg_addr[i] || true) {
                x->st = V_MOVED;
                x->ev_a = ev_id(cx, ev->call);
                if (ob->ost == O_LIVE)
                    ob->ost = O_ESCAPED;
            }
            break;
        case EF_DROPS: {
            uint32_t at = ev_id(cx, ev->call);
            ob->ost = O_DROPPED;
            ob->ev_d = at;
            ob->why = W_DROPPED;
            end_borrows(cx, o, false, false, at, W_DROPPED);
            break;
        }
        case EF_NONE:
            break;
        case EF_UNKNOWN:
            ob->ost = O_ESCAPED;
            break;
        }
    }
    /* A function annotated FR_RETURNS_OWNED that returns a handle. */
    if (!clang_Cursor_isNull(ev->callee_decl) && fc_annot_function(ev->callee_decl) &&
        is_handle_type(clang_getResultType(clang_getCursorType(ev->callee_decl)))) {
        cx->pend.op = OP_NEW;
        cx->pend.call = ev->call;
        cx->pend.src = -1;
        cx->pend.alloc = AL_HEAP;
        cx->pend.region = -1;
    }
}

/* `var = value` or a declaration with an initializer. */
static void bind(octx *cx, int var, CXCursor lhs, CXCursor value)
{
    CXCursor rv = clang_Cursor_isNull(value) ? value : fc_strip(value);
    bool from_pending = cx->pend.op != OP_NONE && !clang_Cursor_isNull(rv) &&
                        fc_ast_same(rv, fc_strip(cx->pend.call));
    int src = clang_Cursor_isNull(rv) ? -1 : fc_var_index(cx->fn, fc_decl_ref(rv));
    ov *sx = V(cx, src);

    if (var < 0) {
        /* Stored into a field, an array, through a pointer: the object escapes. */
        if (sx && (sx->st == V_HANDLE || sx->st == V_MOVED) &&
            check_use(cx, src, rv, "use", false))
            escape(cx, src);
        cx->pend.op = OP_NONE;
        (void)lhs;
        return;
    }
    ov *x = V(cx, var);
    if (!x)
        return;
    if (from_pending) {
        pending p = cx->pend;
        cx->pend.op = OP_NONE;
        forget(cx, var, clang_Cursor_isNull(lhs) ? rv : lhs);
        if (p.op == OP_NEW) {
            x->st = V_HANDLE;
            x->obj = var;
            x->ost = O_LIVE;
            x->alloc = p.alloc;
            x->region = p.region;
            x->ev_a = x->ev_c = ev_id(cx, p.call);
        } else if (p.op == OP_MOVE) {
            /* The new owner names the same object. */
            x->st = V_HANDLE;
            x->obj = p.src;
            x->ev_a = ev_id(cx, p.call);
        } else if (p.op == OP_BORROW || p.op == OP_BORROW_MUT) {
            x->st = V_BORROW;
            x->obj = p.src;
            x->bmut = p.op == OP_BORROW_MUT;
            x->ev_a = ev_id(cx, p.call);
            x->seq = x->ev_a;
        }
        return;
    }
    if (sx && (sx->st == V_HANDLE || sx->st == V_MOVED) && src != var) {
        /* b = a: a copy names the same object (moving from a moved value is reported). */
        if (!check_use(cx, src, rv, "use", false)) {
            forget(cx, var, rv);
            return;
        }
        int o = obj_of(cx, src);
        forget(cx, var, rv);
        if (o >= 0 && o != var) {
            x->st = V_HANDLE;
            x->obj = o;
            x->ev_a = ev_id(cx, rv);
        }
        return;
    }
    if (sx && (sx->st == V_BORROW || sx->st == V_BORROW_DEAD) && src != var) {
        /* q = p: q carries the same borrow. */
        ov copy = *sx;
        forget(cx, var, rv);
        *x = copy;
        x->ost = O_NONE;
        x->shared = x->mut = 0;
        return;
    }
    forget(cx, var, clang_Cursor_isNull(lhs) ? rv : lhs);
}

static void on_assign(void *ctx, int var, CXCursor lhs, CXCursor rhs)
{
    bind(ctx, var, lhs, rhs);
}

static void on_decl(void *ctx, int var, CXCursor vardecl, CXCursor init)
{
    octx *cx = ctx;
    if (clang_Cursor_isNull(init)) {
        forget(cx, var, vardecl);
        return;
    }
    bind(cx, var, vardecl, init);
}

/* Is the variable's name not written where it is declared (a variable
 * that a macro declares, like the temporaries of assert macros)? */
static bool declared_in_macro(CXCursor decl)
{
    CXFile f;
    unsigned off;
    clang_getExpansionLocation(clang_getCursorLocation(decl), &f, NULL, NULL, &off);
    if (!f)
        return true;
    size_t size = 0;
    const char *src = clang_getFileContents(clang_Cursor_getTranslationUnit(decl), f, &size);
    CXString n = clang_getCursorSpelling(decl);
    const char *name = clang_getCString(n);
    size_t len = name ? strlen(name) : 0;
    bool in_macro = !src || off + len > size || !len || strncmp(src + off, name, len) != 0;
    clang_disposeString(n);
    return in_macro;
}

static void on_use(void *ctx, int var, CXCursor ref)
{
    octx *cx = ctx;
    ov *x = V(cx, var);
    if (x && x->st != V_NONE && fc_ast_is_assign_target(ref)) {
        /* `p = ...` that the walker could not read as an assignment (an
         * operand spelled through a macro, e.g. NULL): a new value. */
        forget(cx, var, ref);
        return;
    }
    if (x && x->st == V_MOVED && !is_handle_type(clang_getCursorType(cx->fn->vars[var]))) {
        /* A pointer given to an FR_TAKES parameter, used again. */
        char msg[192], nm[192];
        const char *name = var_name(cx, var);
        snprintf(msg, sizeof msg, "use of moved value: '%s'", name);
        snprintf(nm, sizeof nm, "value moved here: '%s' was given to a parameter marked FR_TAKES",
                 name);
        fc_finding *f = finding(cx, "use-after-move", var, ref, "value used here after move", msg);
        note(cx, f, x->ev_a, "value moved here", nm);
        emit(cx, f);
        return;
    }
    if (!x || x->st != V_BORROW_DEAD)
        return;
    if (declared_in_macro(cx->fn->vars[var]))
        return; /* a macro's temporary copy (assert macros): the user's variable is reported */
    ov *ob = V(cx, x->obj);
    char msg[512];
    const char *name = var_name(cx, var);
    char pname[128];
    snprintf(pname, sizeof pname, "%s", name);
    const char *oname = ob ? var_name(cx, x->obj) : "?";
    const char *after = x->why == W_RELEASED ? "its borrow was released"
                        : x->why == W_REGION ? "the region that owned the value was destroyed"
                                             : "the value was dropped";
    snprintf(msg, sizeof msg, "'%s' is used after %s: it borrows from '%s'", pname, after, oname);
    fc_finding *f = finding(cx, "dangling-borrow", var, ref, "borrow used here after it ended", msg);
    if (f) {
        note(cx, f, x->ev_a, "borrow taken here", "borrow taken here");
        const char *l = x->why == W_RELEASED ? "borrow released here"
                        : x->why == W_REGION ? "region destroyed here"
                                             : "value dropped here";
        note(cx, f, x->ev_b, l, l);
    }
    emit(cx, f);
}

/* Objects still owned at a return (or the end of the body) leak. */
static void leaks_at(octx *cx, fc_loc at, int returned)
{
    for (unsigned i = 0; i < cx->nvars; i++) {
        ov *ob = &cx->st[i];
        if (ob->ost != O_LIVE || ob->alloc != AL_HEAP)
            continue;
        if (returned >= 0 && obj_of(cx, returned) == (int)i)
            continue;
        /* Name it by a variable that still holds it. */
        int holder = -1;
        for (unsigned j = 0; j < cx->nvars && holder < 0; j++)
            if (cx->st[j].st == V_HANDLE && cx->st[j].obj == (int)i)
                holder = (int)j;
        if (holder >= 0) {
            char msg[224];
            snprintf(msg, sizeof msg, "value never dropped (leaked): '%s' is neither dropped nor moved "
                                      "on this path", var_name(cx, holder));
            fc_finding *f = finding_at(cx, "leak", -1, at, "owned value goes out of scope here", msg);
            note(cx, f, ob->ev_c, "value allocated here", "value allocated here");
            emit(cx, f);
        }
        ob->ost = O_ESCAPED; /* once */
    }
}

static void on_return(void *ctx, CXCursor ret, CXCursor value)
{
    octx *cx = ctx;
    int rv = -1;
    if (!clang_Cursor_isNull(value)) {
        CXCursor v = fc_strip(value);
        rv = fc_var_index(cx->fn, fc_decl_ref(v));
        if (rv >= 0 && (cx->st[rv].st == V_HANDLE || cx->st[rv].st == V_MOVED)) {
            if (check_use(cx, rv, v, "use", false))
                escape(cx, rv);
        }
    }
    cx->pend.op = OP_NONE;
    leaks_at(cx, fc_ast_loc(ret), rv);
}

static const fc_event_visitor visitor = {on_call, on_assign, on_use, on_decl, on_return};

/* ---- Branches on a handle being null or live ---- */

/* The handle variable a condition tests (`h.bits`, `!h.bits`, `h.bits == 0`,
 * `fr_is_live(h)`, `name_is_live(h)`), or -1; *true_when_live tells which
 * edge has the handle live. */
static int tested_handle(octx *cx, CXCursor c, bool *true_when_live)
{
    bool neg = false;
    c = fc_strip(c);
    for (int g = 0; g < 8; g++) {
        CXCursor k[2];
        enum CXCursorKind kind = clang_getCursorKind(c);
        if (kind == CXCursor_UnaryOperator && fc_unop(cx->fn, c) == FC_OP_LNOT && fc_children(c, k, 1) == 1) {
            neg = !neg;
            c = fc_strip(k[0]);
            continue;
        }
        if (kind == CXCursor_BinaryOperator && fc_children(c, k, 2) == 2) {
            fc_op op = fc_binop(cx->fn, c);
            long long v;
            if (op != FC_OP_EQ && op != FC_OP_NE)
                return -1;
            if (fc_const_int(cx->fn, k[1], &v) && v == 0)
                c = fc_strip(k[0]);
            else if (fc_const_int(cx->fn, k[0], &v) && v == 0)
                c = fc_strip(k[1]);
            else
                return -1;
            if (op == FC_OP_EQ)
                neg = !neg;
            continue;
        }
        break;
    }
    int v = -1;
    enum CXCursorKind kind = clang_getCursorKind(c);
    if (kind == CXCursor_MemberRefExpr) {
        CXString f = clang_getCursorSpelling(c);
        bool bits = clang_getCString(f) && !strcmp(clang_getCString(f), "bits");
        clang_disposeString(f);
        CXCursor k[1];
        if (bits && fc_children(c, k, 1) == 1)
            v = fc_var_index(cx->fn, fc_decl_ref(k[0]));
    } else if (kind == CXCursor_CallExpr) {
        const char *n = fc_callee_name(c);
        if (n && (!strcmp(n, "fr_is_live") || ends_with(n, "_is_live")) && fc_call_nargs(c) >= 1)
            v = fc_var_index(cx->fn, fc_decl_ref(fc_call_arg(c, 0)));
    }
    *true_when_live = !neg;
    return v;
}

static bool cl_edge(void *ctx, void *state, const fc_block *b, const fc_edge *e)
{
    octx *cx = ctx;
    if (b->term != FC_T_BRANCH || (e->kind != FC_E_TRUE && e->kind != FC_E_FALSE))
        return true;
    bool tl;
    int v = tested_handle(cx, b->cond, &tl);
    if (v < 0)
        return true;
    if ((e->kind == FC_E_TRUE) != tl) {
        /* The handle is null (fr_own_new failed) on this edge: nothing is owned. */
        cx->st = state;
        int o = obj_of(cx, v);
        ov *ob = V(cx, o);
        if (ob && ob->ost == O_LIVE)
            ob->ost = O_ESCAPED;
    }
    return true;
}



/* ---- Dataflow client ---- */

static void cl_init(void *ctx, void *state)
{
    octx *cx = ctx;
    ov *s = state;
    memset(s, 0, cx->nvars * sizeof *s);
    for (unsigned i = 0; i < cx->nvars; i++)
        s[i].obj = s[i].region = -1;
}

static bool same_facts(const ov *a, const ov *b)
{
    return a->st == b->st && a->ost == b->ost && a->shared == b->shared && a->mut == b->mut &&
           a->alloc == b->alloc && a->why == b->why && a->bmut == b->bmut && a->obj == b->obj &&
           a->region == b->region && a->sc == b->sc && a->sc_beg == b->sc_beg && a->sc_end == b->sc_end;
}

static bool cl_join(void *ctx, void *dst, const void *src)
{
    octx *cx = ctx;
    ov *d = dst;
    const ov *s = src;
    bool changed = false;
    for (unsigned i = 0; i < cx->nvars; i++) {
        if (memcmp(&d[i], &s[i], sizeof d[i]) == 0)
            continue;
        if (!same_facts(&d[i], &s[i])) {
            if (d[i].st != V_TOP || d[i].ost != O_TOP) {
                d[i].st = V_TOP;
                d[i].ost = O_TOP;
                changed = true;
            }
            continue;
        }
        /* Same facts, different places: keep the earliest, deterministically. */
        uint32_t *dp[] = {&d[i].ev_a, &d[i].ev_b, &d[i].ev_c, &d[i].ev_d, &d[i].ev_sh, &d[i].ev_mu, &d[i].seq};
        const uint32_t sp[] = {s[i].ev_a, s[i].ev_b, s[i].ev_c, s[i].ev_d, s[i].ev_sh, s[i].ev_mu, s[i].seq};
        for (int k = 0; k < 7; k++)
            if (sp[k] && (!*dp[k] || sp[k] < *dp[k])) {
                *dp[k] = sp[k];
                changed = true;
            }
    }
    return changed;
}

static void cl_transfer(void *ctx, void *state, const fc_block *b, const fc_elem *el, bool report)
{
    (void)b;
    octx *cx = ctx;
    cx->st = state;
    cx->report = report;
    cx->pend.op = OP_NONE;
    /* Scoped borrows end where control leaves their block. */
    CXFile f = NULL;
    unsigned off = 0;
    clang_getExpansionLocation(clang_getCursorLocation(el->c), &f, NULL, NULL, &off);
    if (f && cx->file && clang_File_isEqual(f, cx->file))
        for (unsigned i = 0; i < cx->nvars; i++) {
            ov *o = &cx->st[i];
            if (o->sc && (off < o->sc_beg || off > o->sc_end))
                o->sc = 0;
        }
    fc_walk_events(cx->fn, el, &visitor, cx);
    cx->pend.op = OP_NONE;
}

static void cl_exit(void *ctx, void *state, bool report)
{
    octx *cx = ctx;
    cx->st = state;
    cx->report = report;
    leaks_at(cx, fc_ast_end_loc(cx->fn->body), -1);
}

/* ---- FR_WITH_BORROW scopes ---- */

struct scope_scan {
    octx *cx;
    uint32_t beg, end;
    bool in_for;
};

static enum CXChildVisitResult scope_call(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct scope_scan *ss = d;
    if (clang_getCursorKind(c) == CXCursor_CallExpr) {
        const char *n = fc_callee_name(c);
        if (n && !strcmp(n, "fr__scope_begin")) {
            octx *cx = ss->cx;
            struct scope *ns = realloc(cx->scopes, (cx->nscopes + 1) * sizeof *ns);
            if (ns) {
                cx->scopes = ns;
                cx->scopes[cx->nscopes].call = fc_strip(c).data[1];
                cx->scopes[cx->nscopes].beg = ss->beg;
                cx->scopes[cx->nscopes].end = ss->end;
                cx->nscopes++;
            }
            return CXChildVisit_Break;
        }
    }
    return CXChildVisit_Recurse;
}

static enum CXChildVisitResult scope_scan(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct scope_scan *ss = d;
    if (clang_getCursorKind(c) == CXCursor_ForStmt) {
        CXSourceRange r = clang_getCursorExtent(c);
        CXFile f1 = NULL, f2 = NULL;
        unsigned b = 0, e = 0;
        clang_getExpansionLocation(clang_getRangeStart(r), &f1, NULL, NULL, &b);
        clang_getExpansionLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &e);
        CXCursor kid[1];
        if (f1 && f2 && clang_File_isEqual(f1, f2) && fc_children(c, kid, 1) >= 1 &&
            clang_getCursorKind(kid[0]) == CXCursor_DeclStmt) {
            struct scope_scan inner = {ss->cx, b, e, true};
            clang_visitChildren(kid[0], scope_call, &inner);
        }
    }
    return CXChildVisit_Recurse;
}

/* Does the function mention the handle API at all?  (Most functions do
 * not: skip them before any dataflow.) */
static enum CXChildVisitResult mentions(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_CallExpr) {
        const char *n = fc_callee_name(c);
        CXCursor decl = clang_getCursorReferenced(c);
        bool annotated = false;
        if (!clang_Cursor_isNull(decl) && clang_getCursorKind(decl) == CXCursor_FunctionDecl) {
            annotated = fc_annot_function(decl) != 0;
            int np = clang_Cursor_getNumArguments(decl);
            for (int i = 0; i < np && !annotated; i++)
                annotated = fc_annot_param(decl, (unsigned)i) != 0;
        }
        if ((n && (strncmp(n, "fr_", 3) == 0 || strncmp(n, "fr__", 4) == 0)) || annotated ||
            (!clang_Cursor_isNull(decl) && clang_getCursorKind(decl) == CXCursor_FunctionDecl &&
             is_typed_handle_type(clang_getResultType(clang_getCursorType(decl))))) {
            *(bool *)d = true;
            return CXChildVisit_Break;
        }
    }
    return CXChildVisit_Recurse;
}

void fc_check_owner(fc_func *fn, fc_diag_sink *sink, const struct fc_options *o)
{
    if (!fn || !fn->cfg || fn->cfg->truncated || fn->nvars == 0)
        return;
    bool any = false;
    clang_visitChildren(fn->body, mentions, &any);
    if (!any)
        return;
    octx cx;
    memset(&cx, 0, sizeof cx);
    cx.fn = fn;
    cx.sink = sink;
    cx.opts = o;
    cx.nvars = fn->nvars;
    cx.reported = calloc(fn->nvars, sizeof *cx.reported);
    if (!cx.reported)
        return;
    clang_getExpansionLocation(clang_getCursorLocation(fn->body), &cx.file, NULL, NULL, NULL);
    struct scope_scan ss = {&cx, 0, 0, false};
    clang_visitChildren(fn->body, scope_scan, &ss);
    fc_flow_client cl = {
        .state_size = fn->nvars * sizeof(ov),
        .ctx = &cx,
        .init = cl_init,
        .join = cl_join,
        .widen = cl_join,
        .transfer = cl_transfer,
        .edge = cl_edge,
        .at_exit = cl_exit,
    };
    fc_flow_run(fn, &cl, o);
    free(cx.reported);
    free(cx.scopes);
    free(cx.ev.c);
    free(cx.ev.key);
    free(cx.ev.hash);
}

/* ---- Annotations as summaries for the memory checks ---- */

static enum CXChildVisitResult annot_fn_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    fc_summaries *sums = d;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_LinkageSpec || k == CXCursor_UnexposedDecl)
        return CXChildVisit_Recurse;
    if (k != CXCursor_FunctionDecl || clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
        return CXChildVisit_Continue;
    fc_summary s;
    memset(&s, 0, sizeof s);
    bool any = false;
    if (fc_annot_function(c) &&
        clang_getCanonicalType(clang_getResultType(clang_getCursorType(c))).kind == CXType_Pointer) {
        s.returns_owned = true;
        any = true;
    }
    int np = clang_Cursor_getNumArguments(c);
    for (int i = 0; i < np && i < FC_SUM_MAX_PARAMS; i++) {
        unsigned an = fc_annot_param(c, (unsigned)i);
        CXType pt = clang_getCanonicalType(clang_getCursorType(clang_Cursor_getArgument(c, (unsigned)i)));
        if (pt.kind != CXType_Pointer)
            continue;
        if (an & FC_ANNOT_TAKES) {
            /* Consumed: the callee frees or keeps it.  For the memory checks
             * it escapes (no leak in the caller); a later use is this
             * file's use-after-move, not a use-after-free. */
            s.escapes |= 1u << i;
            any = true;
        }
        if (an & (FC_ANNOT_BORROWS | FC_ANNOT_BORROWS_MUT)) {
            s.derefs |= 1u << i;
            any = true;
        }
    }
    if (any) {
        CXString usr = clang_getCursorUSR(c), name = clang_getCursorSpelling(c);
        fc_summaries_put(sums, clang_getCString(usr), clang_getCString(name), &s);
        clang_disposeString(usr);
        clang_disposeString(name);
    }
    return CXChildVisit_Continue;
}

void fc_annot_apply(CXCursor c, struct fc_summary *s)
{
    if (fc_annot_function(c) &&
        clang_getCanonicalType(clang_getResultType(clang_getCursorType(c))).kind == CXType_Pointer)
        s->returns_owned = true;
    int np = clang_Cursor_getNumArguments(c);
    for (int i = 0; i < np && i < FC_SUM_MAX_PARAMS; i++) {
        unsigned an = fc_annot_param(c, (unsigned)i);
        CXType pt = clang_getCanonicalType(clang_getCursorType(clang_Cursor_getArgument(c, (unsigned)i)));
        if (pt.kind != CXType_Pointer || !an)
            continue;
        uint32_t bit = 1u << i;
        s->frees &= ~bit;
        s->may_free &= ~bit;
        if (an & FC_ANNOT_TAKES) {
            s->escapes |= bit;
        } else {
            s->escapes &= ~bit;
            s->derefs |= bit;
        }
    }
}

/* Every function declared with annotations gets the summary they state
 * (FR_TAKES: the callee frees/keeps the pointer; FR_BORROWS: it only reads
 * it; FR_RETURNS_OWNED: the caller must free the result). */
static void annot_summaries(CXTranslationUnit tu, struct fc_summaries *sums, const struct fc_options *o)
{
    (void)o;
    clang_visitChildren(clang_getTranslationUnitCursor(tu), annot_fn_visit, sums);
}

/* ---- --explain (checks.h) ---- */

static const fc_explain explain_rows[] = {
    {"use-after-move", "a handle or pointer used after its ownership moved",
      "A handle is borrowed, moved, released, dropped or passed on after fr_move(&h)\n"
      "gave its object to a new owner, or a pointer is used after it was passed to a\n"
      "parameter marked FR_TAKES (<ferrum/annotate.h>).  This is rustc's E0382.\n"
      "\n"
      "Why it matters: the new owner may already have dropped or changed the object.\n"
      "At run time ferrum refuses the operation (\"borrow of moved value\") and aborts\n"
      "with the place of the move; with raw pointers it is a use-after-free.\n"
      "\n"
      "Wrong:\n"
      "    fr_handle t = fr_move(&s);\n"
      "    const struct msg *m = fr_borrow(s);   /* s is moved from */\n"
      "\n"
      "Right: use the new owner, or give the value back before using it again:\n"
      "    const struct msg *m = fr_borrow(t);\n"
      "\n"
      "fr_is_live(h) on a moved-from handle is a question, not a use. The note shows\n"
      "where the value moved.\n"},
    {"borrow-conflict", "an exclusive borrow while another borrow of the same value is live",
      "fr_borrow_mut(h) while another borrow of the same object is live, or\n"
      "fr_borrow(h) while its exclusive borrow is; also moving or passing to an\n"
      "FR_BORROWS_MUT parameter a value that is borrowed.  These are Rust's rules\n"
      "for & and &mut (E0499, E0502), enforced at run time like RefCell.\n"
      "\n"
      "Why it matters: an exclusive borrow is a restrict pointer: the compiler may\n"
      "assume nothing else reads or writes the object while it lives. A reader\n"
      "holding a pointer across a write sees torn or stale data.\n"
      "\n"
      "Wrong:\n"
      "    const struct counter *r = fr_borrow(c);\n"
      "    struct counter *w = fr_borrow_mut(c);   /* r is still live */\n"
      "\n"
      "Right: end the shared borrow first:\n"
      "    const struct counter *r = fr_borrow(c);\n"
      "    int v = r->value;\n"
      "    fr_release(c);\n"
      "    struct counter *w = fr_borrow_mut(c);\n"
      "\n"
      "Scoped borrows (FR_WITH_BORROW) release at their closing brace. The note shows\n"
      "where the first borrow was taken.\n"},
    {"dangling-borrow", "a pointer from a borrow used after the borrow or its object ended",
      "A pointer returned by fr_borrow/fr_borrow_mut is used after fr_release ended\n"
      "that borrow, after the handle's object was dropped, or after the region that\n"
      "owned the object was destroyed.  Rust rejects this as E0597/E0505.\n"
      "\n"
      "Why it matters: once the borrow ends the object may be written by a new\n"
      "exclusive borrower, moved, or freed; the pointer then reads another object's\n"
      "memory. This is the one mistake the runtime cannot see (a pointer is not a\n"
      "handle), so the analyzer is the place to catch it.\n"
      "\n"
      "Wrong:\n"
      "    const struct user *p = fr_borrow(u);\n"
      "    fr_release(u);\n"
      "    printf(\"%s\\n\", p->name);              /* the borrow ended */\n"
      "\n"
      "Right: finish with the pointer, then release:\n"
      "    const struct user *p = fr_borrow(u);\n"
      "    printf(\"%s\\n\", p->name);\n"
      "    fr_release(u);\n"
      "\n"
      "fr_release ends the most recent borrow of the handle. The notes show where the\n"
      "borrow was taken and where it ended.\n"},
};

/* ---- Registration ---- */

static void reg(void) __attribute__((constructor));
static void reg(void)
{
    for (size_t i = 0; i < sizeof explain_rows / sizeof explain_rows[0]; i++)
        fc_register_explain(&explain_rows[i]);
    fc_register_function_pass(NULL, fc_check_owner);
    fc_register_summary_pass(annot_summaries);
}

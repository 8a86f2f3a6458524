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
 * what they do with it (drop, move, store), functions of other files are
 * known by their summary (h_drops / h_consumes, computed here by
 * handle_summary() and carried across files by summary_cache.c); a handle
 * given to an unknown function by value or by address escapes.
 *
 * Handles stored in struct fields and array elements with constant indices
 * (`s->h`, `pair.a`, `hs[1]`) get slots of their own after the variables
 * and are followed like variables; a struct or array passed to a function
 * lets that function drop or move the fields it names.  Handle parameters
 * (and the handle fields of parameters) are objects of their own that the
 * function does not own: a double drop, a use after move or a conflicting
 * borrow of them is reported, never a leak.  A variable that names one of
 * two handles depending on the path (`to = c ? y : x`) is not used for
 * anything but one question: a function that borrows two of its handle
 * parameters at once (summary h_conflict) given the same handle for both
 * on some path is the runtime's borrow-conflict, reported at the call.  Annotations (FR_TAKES,
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
#include "util.h"
#include "walk.h"

/* ---- Can this unit involve handles at all? ----
 *
 * Everything this file reports or summarises needs one of: a record with
 * the member fr__type (fr_handle, FR_OWN_TYPE), a function named fr_*, or
 * an annotate("ferrum::...") attribute.  Each is spelled in some source
 * file of the unit, so a unit none of whose files contains "fr_" or
 * "ferrum" cannot involve handles, and the passes below skip it without
 * walking a single function (most C code: SQLite's amalgamation, stb).
 * The answer is kept per file (device, inode, mtime) so the text of a
 * header is read once per thread, however many units include it. */

#define UNIT_MEMO 512
static __thread struct file_memo {
    unsigned long long id[3];
    bool used, relevant;
} file_memo[UNIT_MEMO];

/* Does the text contain "fr_" or "ferrum"?  One memchr pass over the
 * 'f's (cheaper than two memmem passes over a megabyte amalgamation). */
static bool text_relevant(const char *t, size_t n)
{
    if (!t)
        return false;
    const char *end = t + n;
    for (const char *p = memchr(t, 'f', n); p; p = memchr(p + 1, 'f', (size_t)(end - p - 1))) {
        size_t left = (size_t)(end - p);
        if ((left >= 3 && p[1] == 'r' && p[2] == '_') || (left >= 6 && memcmp(p, "ferrum", 6) == 0))
            return true;
        if (left <= 1)
            break;
    }
    return false;
}

static bool file_relevant(CXTranslationUnit tu, CXFile f)
{
    CXFileUniqueID uid;
    struct file_memo *m = NULL;
    if (clang_getFileUniqueID(f, &uid) == 0) {
        size_t h = (size_t)((uid.data[0] * 31u + uid.data[1]) * 31u + uid.data[2]) % UNIT_MEMO;
        for (unsigned k = 0; k < 8; k++) {
            struct file_memo *e = &file_memo[(h + k) % UNIT_MEMO];
            if (e->used && e->id[0] == uid.data[0] && e->id[1] == uid.data[1] && e->id[2] == uid.data[2])
                return e->relevant;
            if (!e->used) {
                m = e;
                break;
            }
        }
    }
    size_t n = 0;
    const char *t = clang_getFileContents(tu, f, &n);
    bool r = t ? text_relevant(t, n) : true; /* unreadable: assume it may */
    if (m) {
        m->id[0] = uid.data[0];
        m->id[1] = uid.data[1];
        m->id[2] = uid.data[2];
        m->used = true;
        m->relevant = r;
    }
    return r;
}

struct unit_scan {
    CXTranslationUnit tu;
    bool relevant;
};

static void unit_visit(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData d)
{
    (void)stack;
    (void)depth;
    struct unit_scan *u = d;
    if (!u->relevant && f && file_relevant(u->tu, f))
        u->relevant = true;
}

/* The answers of mentions() per canonical type (does a value of it hold
 * a handle?) and per callee declaration (annotated, or returning a typed
 * handle?), for the unit being checked: keyed by clang's type and decl
 * pointers, so cleared whenever another unit is asked about. */
#define MENTION_MEMO 4096
static __thread struct mention_memo {
    const void *key;
    unsigned char what; /* 1 type, 2 callee */
    bool answer;
} mention_memo[MENTION_MEMO];

static void mention_memo_clear(void)
{
    memset(mention_memo, 0, sizeof mention_memo);
}

/* The slot of (key, what): found (*hit), else a free slot, else NULL. */
static struct mention_memo *mention_slot(const void *key, unsigned char what, bool *hit)
{
    size_t h = (((size_t)(uintptr_t)key >> 4) * 2654435761u + what) % MENTION_MEMO;
    *hit = false;
    for (unsigned k = 0; k < 16; k++) {
        struct mention_memo *e = &mention_memo[(h + k) % MENTION_MEMO];
        if (e->key == key && e->what == what) {
            *hit = true;
            return e;
        }
        if (!e->what)
            return e;
    }
    return NULL;
}

/* The last unit asked about: the driver runs every function of a unit in
 * a row, so the inclusions are listed once per unit, not per function.
 * The summary pass (annot_summaries) runs first on every unit the driver
 * and the summary cache parse, and asks afresh (fresh = true), so a new
 * unit parsed at a reused address never sees the old unit's answer. */
static __thread struct {
    CXTranslationUnit tu;
    char *name;
    bool relevant;
} last_unit;

static bool unit_may_use_handles(CXTranslationUnit tu, bool fresh)
{
    if (!tu)
        return true;
    CXString sp = clang_getTranslationUnitSpelling(tu);
    const char *name = clang_getCString(sp);
    if (!name)
        name = "";
    if (!fresh && last_unit.tu == tu && last_unit.name && strcmp(last_unit.name, name) == 0) {
        clang_disposeString(sp);
        return last_unit.relevant;
    }
    struct unit_scan u = {tu, false};
    clang_getInclusions(tu, unit_visit, &u);
    mention_memo_clear(); /* its keys are the old unit's types and decls */
    free(last_unit.name);
    last_unit.tu = tu;
    last_unit.name = strdup(name);
    last_unit.relevant = u.relevant;
    clang_disposeString(sp);
    return u.relevant;
}

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
    fc_visit(c, annot_visit, &s);
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
    OP_SCOPE, OP_REGION_DESTROY, OP_ARENA_REWIND, OP_HANDLE_OF
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

/* A call by name to a borrow: 2 exclusive (fr_borrow_mut, a typed
 * name_borrow_mut), 1 shared (fr_borrow, name_borrow), 0 anything else. */
static unsigned borrow_call(const char *n)
{
    if (!n)
        return 0;
    if (!strcmp(n, "fr_borrow_mut") || ends_with(n, "_borrow_mut"))
        return 2;
    return !strcmp(n, "fr_borrow") || ends_with(n, "_borrow") ? 1 : 0;
}

/* Is the function declared by a ferrum header (a file in a directory named
 * ferrum: include/ferrum/owner.h, /usr/local/include/ferrum/...)?  Other
 * projects use the fr_ prefix too (FreeRADIUS, locale helpers): a function
 * of their own named fr_move is not ferrum's (QA5 S22). */
static bool from_ferrum_header(CXCursor decl)
{
    if (clang_Cursor_isNull(decl))
        return false;
    CXFile f;
    clang_getSpellingLocation(clang_getCursorLocation(clang_getCanonicalCursor(decl)), &f, NULL, NULL, NULL);
    if (!f)
        return false;
    CXString name = clang_getFileName(f);
    const char *p = clang_getCString(name);
    bool yes = p && (strstr(p, "/ferrum/") || !strncmp(p, "ferrum/", 7));
    clang_disposeString(name);
    return yes;
}

static enum op api_op(const fc_call_event *ev)
{
    const char *n = ev->callee;
    if (!n)
        return OP_NONE;
    if (strncmp(n, "fr_", 3) == 0 && from_ferrum_header(ev->callee_decl)) {
        if (strcmp(n, "fr_own_new") == 0) return OP_NEW;
        if (strcmp(n, "fr_move") == 0) return OP_MOVE;
        if (strcmp(n, "fr_borrow") == 0) return OP_BORROW;
        if (strcmp(n, "fr_borrow_mut") == 0) return OP_BORROW_MUT;
        if (strcmp(n, "fr_release") == 0) return OP_RELEASE;
        if (strcmp(n, "fr_drop") == 0) return OP_DROP;
        if (strcmp(n, "fr_is_live") == 0) return OP_IS_LIVE;
        if (strcmp(n, "fr__scope_begin") == 0) return OP_SCOPE;
        /* ends every handle made over that region, arena or slab cache */
        if (strcmp(n, "fr_region_destroy") == 0 || strcmp(n, "fr_arena_destroy") == 0 ||
            strcmp(n, "fr_arena_reset") == 0 || strcmp(n, "fr_slab_destroy") == 0)
            return OP_REGION_DESTROY;
        if (strcmp(n, "fr_arena_rewind") == 0) return OP_ARENA_REWIND;
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
    uint8_t mflag;    /* moved: by fr_move(&v), which sets v's drop flag at run time, so a
                       * later drop of v is a no-op (owner.h), not an error; 0 when moved
                       * by handing a copy to a consumer (v still names the object) */
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
    int32_t obj2;     /* handle: names `obj` on some paths and `obj2` on others (-1: none) */
    uint8_t mb;       /* object: borrowed on some of the paths joined here, not on others, and
                       * no branch, release or call taking the handle since: do_drop reports it */
    uint32_t ev_mb;   /* object: where that borrow was taken */
    uint8_t scb;      /* borrow: the pointer of an FR_WITH_BORROW block (or a copy of it): it
                       * ends where control leaves the block, [sc_beg, sc_end] (QA5 S29) */
    uint8_t nul;      /* variable: holds a null pointer constant (`p = NULL`); a join with a
                       * borrow keeps the borrow, as a dereference assumes the borrow's path */
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
    unsigned nreal;       /* the function's own variables: slots 0 .. nreal-1 */
    struct pslot *paths;  /* handle-typed fields and elements: slots nreal .. nvars-1 */
    unsigned npaths;
    int *alias;           /* [nreal] `fr_handle *ph = &h`, ph never changed: h; else -1 (NULL: none) */
    int *rparent;         /* [nreal] `child = fr_region_create(r)`, child never changed: r; else -1 (NULL: none) */
    bool *addr_kept;      /* [nvars] the object's handle had its address stored in a pointer that may
                           * change: it may be dropped through it, so it is never reported leaked */
    struct summ *summ;    /* summary mode (fc_annot_apply): what to record, no findings */
    int dead_var[8];      /* reads of ended borrows waiting for the next event that is no read */
    CXCursor dead_ref[8]; /* ... their references */
    unsigned ndead;
} octx;

static fc_loc scope_end_loc(octx *cx, const ov *x);
static void flush_dead(octx *cx);
static void copy_of_dead(octx *cx, int var, CXCursor value);
static void drop_dead(octx *cx, CXCursor e);

/* ---- Handles in fields and array elements ----
 *
 * `s->h`, `s.h`, `hs[2]`, `s->in.h`: every handle-typed lvalue of the
 * function that is a chain of fields and constant indices from a variable
 * gets a slot of its own after the variables, so that it is followed
 * exactly like a variable (moved, borrowed, dropped, leaked).  Its key is
 * the base variable's number and the chain, with `->` and `.` written
 * alike (`p.a` of a local struct passed as `&p` is `q->a` in the callee).
 * What happens to the base variable happens to its paths: a new value of
 * the base gives them new contents; the base passed to a function lets
 * that function drop or keep them. */
struct pslot {
    char *key;        /* "<base var>" + ".field" / "[n]" ... */
    char *name;       /* for messages: "s->h", "pair.a", "hs[1]" */
    int base;         /* base variable */
    bool via_ptr;     /* reached through a pointer: stored outside this frame */
    bool local;       /* in a local aggregate of this function (not a parameter) */
};

/* The chain of fields and constant indices from a variable: appends the
 * key suffix to key/name (sizes ksz/nsz), returns the base variable's
 * declaration cursor (null cursor when `e` is not such a chain). */
static CXCursor path_chain(fc_func *fn, CXCursor e, char *key, size_t ksz, char *name, size_t nsz,
                           bool *via_ptr, int depth)
{
    e = fc_strip(e);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (depth > 8)
        return clang_getNullCursor();
    if (k == CXCursor_DeclRefExpr) {
        CXCursor d = fc_decl_ref(e);
        if (clang_Cursor_isNull(d))
            return d;
        CXString sp = clang_getCursorSpelling(d);
        snprintf(name, nsz, "%s", clang_getCString(sp));
        clang_disposeString(sp);
        key[0] = 0;
        return d;
    }
    CXCursor kid[2];
    if (k == CXCursor_MemberRefExpr && fc_children(e, kid, 1) == 1) {
        CXCursor base = fc_strip(kid[0]);
        CXCursor d = path_chain(fn, base, key, ksz, name, nsz, via_ptr, depth + 1);
        if (clang_Cursor_isNull(d))
            return d;
        bool arrow = fc_type_is_pointer(clang_getCursorType(base));
        *via_ptr |= arrow;
        CXString f = clang_getCursorSpelling(e);
        size_t kl = strlen(key), nl = strlen(name);
        snprintf(key + kl, ksz - kl, ".%s", clang_getCString(f));
        snprintf(name + nl, nsz - nl, "%s%s", arrow ? "->" : ".", clang_getCString(f));
        clang_disposeString(f);
        return d;
    }
    if (k == CXCursor_UnaryOperator && fc_unop(fn, e) == FC_OP_DEREF && fc_children(e, kid, 1) == 1) {
        /* `*hp` is `hp[0]` */
        CXCursor base = fc_strip(kid[0]);
        CXCursor d = path_chain(fn, base, key, ksz, name, nsz, via_ptr, depth + 1);
        if (clang_Cursor_isNull(d))
            return d;
        *via_ptr = true;
        size_t kl = strlen(key);
        snprintf(key + kl, ksz - kl, "[0]");
        size_t nl = strlen(name);
        if (nl + 2 <= nsz) {
            memmove(name + 1, name, nl + 1);
            name[0] = '*';
        }
        return d;
    }
    if (k == CXCursor_ArraySubscriptExpr && fc_children(e, kid, 2) == 2) {
        long long idx;
        if (!fc_const_int(fn, kid[1], &idx))
            return clang_getNullCursor();
        CXCursor base = fc_strip(kid[0]);
        CXCursor d = path_chain(fn, base, key, ksz, name, nsz, via_ptr, depth + 1);
        if (clang_Cursor_isNull(d))
            return d;
        *via_ptr |= fc_type_is_pointer(clang_getCursorType(base));
        size_t kl = strlen(key), nl = strlen(name);
        snprintf(key + kl, ksz - kl, "[%lld]", idx);
        snprintf(name + nl, nsz - nl, "[%lld]", idx);
        return d;
    }
    return clang_getNullCursor();
}

/* Slot of a field/element path expression, or -1 (slot tables built). */
static int path_slot(octx *cx, CXCursor e)
{
    if (!cx->npaths)
        return -1;
    char key[256], name[256];
    bool via = false;
    CXCursor d = path_chain(cx->fn, e, key, sizeof key, name, sizeof name, &via, 0);
    if (clang_Cursor_isNull(d) || !key[0])
        return -1;
    int base = fc_var_index(cx->fn, d);
    if (base < 0)
        return -1;
    for (unsigned i = 0; i < cx->npaths; i++)
        if (cx->paths[i].base == base && !strcmp(cx->paths[i].key, key))
            return (int)(cx->nreal + i);
    return -1;
}

/* `ph` (the address of h, *addr set) or `*ph` (h) for a pointer that
 * only ever holds &h (handle_aliases); -1 for anything else. */
static int alias_slot(octx *cx, CXCursor e, bool *addr)
{
    if (!cx->alias)
        return -1;
    e = fc_strip(e);
    bool deref = false;
    CXCursor k[1];
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator && fc_unop(cx->fn, e) == FC_OP_DEREF &&
        fc_children(e, k, 1) == 1) {
        deref = true;
        e = fc_strip(k[0]);
    }
    int v = fc_var_index(cx->fn, fc_decl_ref(e));
    if (v < 0 || (unsigned)v >= cx->nreal || cx->alias[v] < 0)
        return -1;
    if (addr)
        *addr = !deref;
    return cx->alias[v];
}

/* The slot an expression names: a variable, a path, either behind `&`
 * (*addr set), or -1. */
static int slot_of(octx *cx, CXCursor e, bool *addr)
{
    e = fc_strip(e);
    if (addr)
        *addr = false;
    int al = alias_slot(cx, e, addr);
    if (al >= 0)
        return al;
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator && fc_unop(cx->fn, e) == FC_OP_ADDR) {
        CXCursor k[1];
        if (fc_children(e, k, 1) != 1)
            return -1;
        if (addr)
            *addr = true;
        e = fc_strip(k[0]);
    }
    int v = fc_var_index(cx->fn, fc_decl_ref(e));
    return v >= 0 ? v : path_slot(cx, e);
}

static bool is_handle_type(CXType t);
static unsigned callee_borrows(const fc_summaries *sums, CXCursor d, unsigned i, int depth);
static void escape(octx *cx, int v);
static void escape_paths(octx *cx, int base);
static void refresh_path(octx *cx, int slot);

/* A pointer to a handle (`fr_handle *hp`): what it points to is followed
 * as the path `*hp` (key "[0]"). */
static bool is_handle_ptr_type(CXType t)
{
    t = clang_getCanonicalType(t);
    return t.kind == CXType_Pointer && is_handle_type(clang_getPointeeType(t));
}

static bool is_handle_array_type(CXType t)
{
    t = clang_getCanonicalType(t);
    return (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray) &&
           is_handle_type(clang_getArrayElementType(t));
}

static void add_path(octx *cx, int base, const char *key, const char *name, bool via)
{
    for (unsigned i = 0; i < cx->npaths; i++)
        if (cx->paths[i].base == base && !strcmp(cx->paths[i].key, key))
            return;
    if (cx->npaths >= 64)
        return;
    struct pslot *np = realloc(cx->paths, (cx->npaths + 1) * sizeof *np);
    if (!np)
        return;
    cx->paths = np;
    struct pslot *ps = &cx->paths[cx->npaths++];
    ps->key = strdup(key);
    ps->name = strdup(name);
    ps->base = base;
    ps->via_ptr = via;
    ps->local = !via && (unsigned)base >= cx->fn->nparams && !cx->fn->var_static[base];
    if (!ps->key || !ps->name) {
        free(ps->key);
        free(ps->name);
        cx->npaths--;
    }
}

static enum CXChildVisitResult path_scan(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    octx *cx = d;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_DeclRefExpr && is_handle_ptr_type(clang_getCursorType(c))) {
        int base = fc_var_index(cx->fn, fc_decl_ref(c));
        if (base >= 0) {
            CXString sp = clang_getCursorSpelling(c);
            char name[256];
            snprintf(name, sizeof name, "*%s", clang_getCString(sp));
            clang_disposeString(sp);
            add_path(cx, base, "[0]", name, true);
        }
        return CXChildVisit_Continue;
    }
    if (k == CXCursor_UnaryOperator && is_handle_type(clang_getCursorType(c)) &&
        clang_getCanonicalType(clang_getCursorType(c)).kind != CXType_Pointer) {
        char key[256], name[256];
        bool via = false;
        CXCursor decl = path_chain(cx->fn, c, key, sizeof key, name, sizeof name, &via, 0);
        int base = clang_Cursor_isNull(decl) ? -1 : fc_var_index(cx->fn, decl);
        if (base >= 0 && key[0])
            add_path(cx, base, key, name, via);
        return CXChildVisit_Recurse;
    }
    if ((k != CXCursor_MemberRefExpr && k != CXCursor_ArraySubscriptExpr) || cx->npaths >= 64 ||
        !is_handle_type(clang_getCursorType(c)) ||
        clang_getCanonicalType(clang_getCursorType(c)).kind == CXType_Pointer)
        return CXChildVisit_Recurse;
    char key[256], name[256];
    bool via = false;
    CXCursor decl = path_chain(cx->fn, c, key, sizeof key, name, sizeof name, &via, 0);
    int base = clang_Cursor_isNull(decl) ? -1 : fc_var_index(cx->fn, decl);
    if (base >= 0 && key[0])
        add_path(cx, base, key, name, via);
    return CXChildVisit_Recurse;
}

static const struct pslot *pslot_of(const octx *cx, int slot)
{
    if (slot < (int)cx->nreal || slot >= (int)cx->nvars)
        return NULL;
    return &cx->paths[slot - (int)cx->nreal];
}

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
    const struct pslot *ps = pslot_of(cx, v);
    if (ps) {
        snprintf(buf, sizeof buf, "%s", ps->name);
        return buf;
    }
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
    if (!cx->report || cx->summ || (cx->opts && !fc_check_enabled(cx->opts, check)))
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
    if (!x || x->st != V_HANDLE || x->obj2 >= 0)
        return -1; /* not followed, or one of two objects depending on the path */
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
        if (most_recent && p->scb)
            continue; /* fr_release never ends a scoped borrow: its block does */
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
        /* the most recent borrow, and every copy of its pointer (`q = p`
         * carries p's borrow, seq included: QA5 S29) */
        uint32_t seq = cx->st[pick].seq;
        for (unsigned i = 0; i < cx->nvars; i++) {
            ov *p = &cx->st[i];
            if (p->st != V_BORROW || p->obj != o || p->seq != seq || p->scb || (only_mut && !p->bmut))
                continue;
            p->st = V_BORROW_DEAD;
            p->ev_b = at;
            p->why = (uint8_t)why;
        }
    }
}

/* A handle variable v is used (borrowed, moved, dropped, copied) at `at`:
 * report a use after move or a use of a dropped object.  Returns false when
 * the use must not go on (already reported). */
/* What ended the allocator of an object dropped with it (W_REGION): the
 * label of the call at event ev, in the words of the runtime's reports. */
static const char *ender(octx *cx, uint32_t ev, const char **whole)
{
    CXCursor c = ev_cursor(cx, ev);
    const char *n = clang_Cursor_isNull(c) ? NULL : fc_callee_name(c);
    if (n && !strcmp(n, "fr_arena_destroy")) {
        *whole = "arena destroyed";
        return "arena destroyed here";
    }
    if (n && !strcmp(n, "fr_arena_reset")) {
        *whole = "arena reset";
        return "arena reset here";
    }
    if (n && !strcmp(n, "fr_slab_destroy")) {
        *whole = "slab cache destroyed";
        return "slab cache destroyed here";
    }
    *whole = "region destroyed";
    return "region destroyed here";
}

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
            const char *whole;
            const char *wl = ob->why == W_REGION ? ender(cx, ob->ev_d, &whole)
                             : is_drop           ? "value first dropped here"
                                                 : "value dropped here";
            char nm[192];
            if (ob->why == W_REGION)
                snprintf(nm, sizeof nm, "%s: it dropped the value", wl);
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

/* Summary mode: what the function's summary says about its handle
 * parameters being borrowed together (fc_annot_apply). */
struct summ {
    uint8_t a, b, mut;    /* 1-based parameters, 2: both exclusive */
    CXCursor second;      /* the later borrow call */
};

/* A borrow of parameter object o while another parameter's object is
 * borrowed in a way that conflicts if both are the same object. */
static void record_param_borrow(octx *cx, int o, bool mut, CXCursor call)
{
    if (o < 0 || (unsigned)o >= cx->fn->nparams || cx->summ->a)
        return;
    for (unsigned i = 0; i < cx->fn->nparams && i < FC_SUM_MAX_PARAMS; i++) {
        ov *p = &cx->st[i];
        if ((int)i == o || p->ost != O_LIVE || p->alloc != AL_OTHER)
            continue;
        bool pm = p->mut || p->sc == 2, ps = p->shared || p->sc == 1;
        if (pm || (mut && ps)) {
            unsigned lo = i < (unsigned)o ? i : (unsigned)o, hi = i < (unsigned)o ? (unsigned)o : i;
            cx->summ->a = (uint8_t)(lo + 1);
            cx->summ->b = (uint8_t)(hi + 1);
            cx->summ->mut = (uint8_t)(pm && mut ? 2 : 1);
            cx->summ->second = call;
            return;
        }
    }
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
    if (cx->summ && cx->report)
        record_param_borrow(cx, o, mut, call);
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
    ob->mb = 0;   /* it may have been the one some paths hold */
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

/* Is dropping v a no-op?  fr_drop of a handle fr_move() emptied does
 * nothing: the runtime keeps a drop flag in the handle (owner.h,
 * docs/reference.md), as Rust drops a moved-out value only where it went;
 * so does a drop function that drops every field, moved out or not.
 * Borrowing, releasing or moving it again stay errors. */
static bool drop_is_noop(octx *cx, int v)
{
    ov *x = V(cx, v);
    return x && x->st == V_MOVED && x->mflag;
}

static void do_drop(octx *cx, int v, CXCursor call, enum why why)
{
    if (drop_is_noop(cx, v))
        return;
    if (!check_use(cx, v, call, "drop", true))
        return;
    int o = obj_of(cx, v);
    ov *ob = V(cx, o);
    if (!ob || ob->ost != O_LIVE)
        return;
    if (why == W_DROPPED && (ob->shared || ob->mut || ob->sc)) {
        /* The runtime refuses it (drop-while-borrowed): the borrow lives
         * until fr_release, however long ago its pointer was last used. */
        char msg[192];
        snprintf(msg, sizeof msg, "cannot drop value because it is borrowed: '%s'", var_name(cx, v));
        fc_finding *f = finding(cx, "dangling-borrow", -1, call, "drop of borrowed value occurs here", msg);
        note(cx, f, ob->mut ? ob->ev_mu : ob->shared ? ob->ev_sh : ob->sc_ev, "borrow taken here",
             "borrow taken here: borrow of value occurs here (and is not released)");
        emit(cx, f);
        /* the program stops there: nothing more to say about this object */
        ob->ost = O_ESCAPED;
        return;
    }
    if (why == W_DROPPED && ob->mb) {
        char msg[224];
        snprintf(msg, sizeof msg, "cannot drop value because it is still borrowed on some path to here: '%s'",
                 var_name(cx, v));
        fc_finding *f = finding(cx, "dangling-borrow", -1, call, "drop of borrowed value occurs here", msg);
        note(cx, f, ob->ev_mb, "borrow taken here",
             "borrow taken here: a path leaves the borrow live (a `break` or `goto` past its fr_release) "
             "and reaches the drop with no branch in between");
        emit(cx, f);
        ob->ost = O_ESCAPED;
        return;
    }
    uint32_t at = ev_id(cx, call);
    ob->ost = O_DROPPED;
    ob->ev_d = at;
    ob->why = (uint8_t)why;
    ob->shared = ob->mut = ob->sc = ob->mb = 0;
    end_borrows(cx, o, false, false, at, why);
}

/* A slot whose contents come from elsewhere (a parameter, a field of
 * memory we did not fill): it names an object of its own that this
 * function does not own (never a leak), so a drop, move or borrow of it
 * is still checked. */
static void fresh_object(octx *cx, int v)
{
    ov *x = V(cx, v);
    if (!x)
        return;
    memset(x, 0, sizeof *x);
    x->region = -1;
    x->obj2 = -1;
    x->st = V_HANDLE;
    x->mflag = 0;
    x->obj = v;
    x->ost = O_LIVE;
    x->alloc = AL_OTHER;
}

/* The base of path slot `slot` got a new value: what the old contents
 * named stays where it was stored (it escapes); a pointer's new target
 * holds handles of its own, a local aggregate's new value unknown ones. */
static void refresh_path(octx *cx, int slot)
{
    ov *x = V(cx, slot);
    const struct pslot *ps = pslot_of(cx, slot);
    if (!x || !ps)
        return;
    if (x->st == V_HANDLE) {
        escape(cx, slot);
        if (x->obj == slot && x->ost == O_LIVE)
            x->ost = O_ESCAPED;
    }
    for (unsigned i = 0; i < cx->nvars; i++) {
        ov *y = &cx->st[i];
        if ((int)i != slot && (y->st == V_HANDLE || y->st == V_BORROW || y->st == V_BORROW_DEAD) &&
            y->obj == slot) {
            if (y->st == V_HANDLE && x->ost == O_LIVE)
                x->ost = O_ESCAPED;
        }
    }
    bool others = false;
    for (unsigned i = 0; i < cx->nvars; i++)
        if ((int)i != slot && cx->st[i].obj == slot && cx->st[i].st != V_NONE)
            others = true;
    if (others) {
        /* other names keep the old object's record in this slot: the path
         * itself is no longer followed */
        x->st = V_NONE;
        return;
    }
    fresh_object(cx, slot);
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
    x->obj2 = -1;
    /* A new value of a variable is new contents for its fields/elements. */
    for (unsigned i = 0; i < cx->npaths; i++)
        if (cx->paths[i].base == v)
            refresh_path(cx, (int)(cx->nreal + i));
}

/* The handles in the fields/elements of variable `base` escape (the
 * whole aggregate was copied, returned or stored). */
static void escape_paths(octx *cx, int base)
{
    for (unsigned i = 0; i < cx->npaths; i++)
        if (cx->paths[i].base == base) {
            int sl = (int)(cx->nreal + i);
            escape(cx, sl);
            ov *x = V(cx, sl);
            if (x && x->obj == sl && x->ost == O_LIVE)
                x->ost = O_ESCAPED;
        }
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
    bool drops, moves, stores, refills, unknown;
    int depth;
};

/* EF_COPIES: the callee keeps a copy of the handle (an iterator, a context
 * struct): the caller's handle still names the object, which someone else
 * may drop now (no leak report), and every other check stays on. */
enum effect { EF_UNKNOWN, EF_NONE, EF_DROPS, EF_CONSUMES, EF_COPIES };
static enum effect callee_effect_at(const fc_summaries *sums, CXCursor d, unsigned i, int depth);

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
        /* Handed on to another function: what that one does with it (its
         * definition here, else its summary from another file). */
        bool api = n && (!strncmp(n, "fr_", 3) || ends_with(n, "_drop") || ends_with(n, "_move") ||
                         ends_with(n, "_borrow") || ends_with(n, "_borrow_mut") ||
                         ends_with(n, "_release") || ends_with(n, "_is_live") || ends_with(n, "_handle"));
        for (int j = 0; j < na && !api; j++) {
            CXCursor a = fc_strip(fc_call_arg(c, (unsigned)j));
            if (!refers_to(a, s->param))
                continue;
            enum effect e = callee_effect_at(NULL, fc_callee_decl(c), (unsigned)j, s->depth + 1);
            if (e == EF_DROPS)
                s->drops = true;
            else if (e == EF_CONSUMES)
                s->moves = true;
            else if (e == EF_COPIES)
                s->stores = true;
            else if (e == EF_UNKNOWN)
                s->unknown = true;
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

/* Effect of passing a handle as argument i of callee d: from its
 * annotations, its definition in this unit (and what the functions it
 * hands the handle to do, a few calls deep), or its summary. */
static enum effect callee_effect(const fc_summaries *sums, CXCursor d, unsigned i)
{
    return callee_effect_at(sums, d, i, 0);
}

static enum effect callee_effect_at(const fc_summaries *sums, CXCursor d, unsigned i, int depth)
{
    if (clang_Cursor_isNull(d) || depth > 4)
        return EF_UNKNOWN;
    unsigned an = fc_annot_param(d, i);
    if (an & FC_ANNOT_TAKES)
        return EF_CONSUMES;
    if (an & (FC_ANNOT_BORROWS | FC_ANNOT_BORROWS_MUT))
        return EF_NONE;
    CXCursor def = clang_getCursorDefinition(d);
    if (clang_Cursor_isNull(def) || (int)i >= clang_Cursor_getNumArguments(def)) {
        /* Defined in another file: its summary (summary_cache.c) says. */
        CXString usr = clang_getCursorUSR(d);
        fc_summary sm;
        bool have = fc_summary_lookup(sums, clang_getCString(usr), &sm);
        clang_disposeString(usr);
        if (!have || !sm.h_known || i >= FC_SUM_MAX_PARAMS)
            return EF_UNKNOWN;
        return (sm.h_consumes >> i) & 1 ? EF_CONSUMES
               : (sm.h_drops >> i) & 1  ? EF_DROPS
               : (sm.h_escapes >> i) & 1 ? EF_UNKNOWN
                                         : EF_NONE;
    }
    struct scan s = {clang_Cursor_getArgument(def, i), false, false, false, false, false, depth};
    fc_visit(def, scan_visit, &s);
    if (s.refills)
        return EF_NONE;
    if (s.moves)
        return EF_CONSUMES;
    if (s.drops)
        return EF_DROPS;
    /* Stored (a copy kept in a struct: an iterator, a container): only
     * fr_move moves, so the caller's handle still names the object; who
     * drops it is not known. */
    return s.unknown ? EF_UNKNOWN : s.stores ? EF_COPIES : EF_NONE;
}

/* What callee `d` does with the field/element `key` (path_chain's key) of
 * what its parameter i points to (or is): dropped, moved or stored
 * (consumed), only borrowed (none), or handed on where we cannot see. */
struct pscan {
    CXCursor param;
    const char *key;
    bool drops, moves, stores, refills, unknown;
    int depth;
};

static enum effect callee_path_effect(CXCursor d, unsigned i, const char *key, int depth);

/* Is e (behind an optional `&`) the path `key` from the parameter? */
static bool is_param_path(CXCursor e, const struct pscan *s)
{
    e = fc_strip(e);
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator) {
        CXCursor k[1];
        if (fc_children(e, k, 1) == 1)
            e = fc_strip(k[0]);
    }
    char key[256], name[256];
    bool via = false;
    CXCursor root = path_chain(NULL, e, key, sizeof key, name, sizeof name, &via, 0);
    return !clang_Cursor_isNull(root) && clang_equalCursors(root, s->param) && !strcmp(key, s->key);
}

static enum CXChildVisitResult pscan_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct pscan *s = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_CallExpr) {
        const char *n = fc_callee_name(c);
        int na = fc_call_nargs(c);
        for (int j = 0; j < na; j++) {
            CXCursor a = fc_call_arg(c, (unsigned)j);
            bool api = n && (!strncmp(n, "fr_", 3) || ends_with(n, "_drop") || ends_with(n, "_move") ||
                             ends_with(n, "_borrow") || ends_with(n, "_borrow_mut") ||
                             ends_with(n, "_release") || ends_with(n, "_is_live") || ends_with(n, "_handle"));
            if (is_param_path(a, s)) {
                if (j == 0 && n && (!strcmp(n, "fr_drop") || ends_with(n, "_drop")))
                    s->drops = true;
                else if (j == 0 && n && (!strcmp(n, "fr_move") || ends_with(n, "_move")))
                    s->moves = true;
                else if (!api) {
                    enum effect e = callee_path_effect(fc_callee_decl(c), (unsigned)j, "", s->depth + 1);
                    if (e == EF_DROPS)
                        s->drops = true;
                    else if (e == EF_CONSUMES)
                        s->moves = true;
                    else if (e == EF_COPIES)
                        s->stores = true;
                    else if (e == EF_UNKNOWN)
                        s->unknown = true;
                }
            } else if (!api) {
                /* the whole parameter handed on: what does that callee do? */
                CXCursor st = fc_strip(a);
                if (clang_getCursorKind(st) == CXCursor_UnaryOperator) {
                    CXCursor kk[1];
                    if (fc_children(st, kk, 1) == 1)
                        st = fc_strip(kk[0]);
                }
                CXCursor dr = fc_decl_ref(st);
                if (!clang_Cursor_isNull(dr) && clang_equalCursors(dr, s->param)) {
                    enum effect e = callee_path_effect(fc_callee_decl(c), (unsigned)j, s->key, s->depth + 1);
                    if (e == EF_DROPS)
                        s->drops = true;
                    else if (e == EF_CONSUMES)
                        s->moves = true;
                    else if (e == EF_COPIES)
                        s->stores = true;
                    else if (e == EF_UNKNOWN)
                        s->unknown = true;
                }
            }
        }
    } else if (k == CXCursor_BinaryOperator) {
        CXCursor kk[2];
        if (fc_children(c, kk, 2) == 2 && fc_binop(NULL, c) == FC_OP_ASSIGN) {
            if (is_param_path(kk[1], s))
                s->stores = true;
            if (is_param_path(kk[0], s))
                s->refills = true;
        }
    }
    return CXChildVisit_Recurse;
}

static enum effect callee_path_effect(CXCursor d, unsigned i, const char *key, int depth)
{
    if (clang_Cursor_isNull(d) || depth > 3)
        return EF_UNKNOWN;
    CXCursor def = clang_getCursorDefinition(d);
    if (clang_Cursor_isNull(def) || (int)i >= clang_Cursor_getNumArguments(def))
        return EF_UNKNOWN;
    if (!key[0])
        return callee_effect(NULL, d, i);
    struct pscan s = {clang_Cursor_getArgument(def, i), key, false, false, false, false, false, depth};
    fc_visit(def, pscan_visit, &s);
    if (s.refills)
        return EF_NONE;
    if (s.moves)
        return EF_CONSUMES;
    if (s.drops)
        return EF_DROPS;
    return s.unknown ? EF_UNKNOWN : s.stores ? EF_COPIES : EF_NONE; /* stored: a copy (see callee_effect_at) */
}

static void apply_effect(octx *cx, int a, const fc_call_event *ev, enum effect ef);

/* Does callee d end a borrow its caller took of the handle in parameter i
 * (more fr_release / _release of it than borrows of its own: a `done(h)`
 * helper)?  A callee defined in another file is assumed to (its summary
 * does not say), so a borrow handed to it is no longer known to be live. */
struct rscan {
    CXCursor param;
    int borrows, releases;
};

static enum CXChildVisitResult rscan_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct rscan *s = d;
    if (clang_getCursorKind(c) == CXCursor_CallExpr) {
        const char *n = fc_callee_name(c);
        if (n && fc_call_nargs(c) >= 1 && refers_to(fc_call_arg(c, 0), s->param)) {
            if (!strcmp(n, "fr_release") || ends_with(n, "_release"))
                s->releases++;
            else if (!strcmp(n, "fr_borrow") || !strcmp(n, "fr_borrow_mut") || ends_with(n, "_borrow") ||
                     ends_with(n, "_borrow_mut"))
                s->borrows++;
        }
    }
    return CXChildVisit_Recurse;
}

static bool callee_releases(CXCursor d, unsigned i)
{
    if (clang_Cursor_isNull(d))
        return true;
    CXCursor def = clang_getCursorDefinition(d);
    if (clang_Cursor_isNull(def))
        return true;
    if ((int)i >= clang_Cursor_getNumArguments(def))
        return false;
    struct rscan s = {clang_Cursor_getArgument(def, i), 0, 0};
    fc_visit(def, rscan_visit, &s);
    return s.releases > s.borrows;
}

/* A struct or array holding handle slots given to a call (`&pair`, `s`,
 * `hs`, a struct by value): each of its handles gets what the callee does
 * with that field. */
static void containers_given(octx *cx, const fc_call_event *ev)
{
    if (!cx->npaths)
        return;
    for (unsigned i = 0; i < ev->nargs; i++) {
        int b = ev->arg_var[i];
        if (b < 0 || b >= (int)cx->nreal)
            continue;
        CXType t = clang_getCanonicalType(clang_getCursorType(cx->fn->vars[b]));
        if (!ev->arg_addr[i] && t.kind != CXType_Pointer && t.kind != CXType_Record &&
            !fc_type_is_array(t))
            continue;
        if (is_handle_type(t))
            continue;
        for (unsigned k = 0; k < cx->npaths; k++) {
            if (cx->paths[k].base != b)
                continue;
            int sl = (int)(cx->nreal + k);
            ov *x = V(cx, sl);
            if (!x || (x->st != V_HANDLE && x->st != V_MOVED))
                continue;
            enum effect ef = callee_path_effect(ev->callee_decl, i, cx->paths[k].key, 0);
            apply_effect(cx, sl, ev, ef);
        }
    }
}

/* A handle that names one of two objects, given to a call that may drop,
 * move or keep it: neither object is followed any further. */
static void ambiguous_given(octx *cx, const fc_call_event *ev)
{
    for (unsigned i = 0; i < ev->nargs; i++) {
        ov *x = V(cx, ev->arg_var[i]);
        if (!x || x->st != V_HANDLE || x->obj2 < 0)
            continue;
        enum effect ef = callee_effect(cx->fn->sums, ev->callee_decl, i);
        if (ef == EF_NONE && !ev->arg_addr[i])
            continue;
        ov *a = V(cx, x->obj), *b = V(cx, x->obj2);
        if (a && a->ost == O_LIVE)
            a->ost = O_ESCAPED;
        if (b && b->ost == O_LIVE)
            b->ost = O_ESCAPED;
        x->st = V_NONE;
    }
}

/* The objects an argument may name: one, or two alternatives. */
static int arg_objects(octx *cx, int a, int out[2])
{
    ov *x = V(cx, a);
    if (!x || x->st != V_HANDLE)
        return 0;
    int n = 0;
    int cand[2] = {x->obj, x->obj2};
    for (int k = 0; k < 2; k++) {
        ov *o = V(cx, cand[k]);
        if (o && o->ost == O_LIVE)
            out[n++] = cand[k];
    }
    return n;
}

/* Find the borrow call of parameter `param` in definition def (for notes). */
struct bfind {
    CXCursor param;
    CXCursor found;
    bool mut;
};

static enum CXChildVisitResult bfind_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct bfind *b = data;
    if (clang_getCursorKind(c) == CXCursor_CallExpr && fc_call_nargs(c) >= 1) {
        unsigned kind = borrow_call(fc_callee_name(c));
        CXCursor d = fc_decl_ref(fc_strip(fc_call_arg(c, 0)));
        if (kind && !clang_Cursor_isNull(d) && clang_equalCursors(d, b->param)) {
            b->found = c;
            b->mut = kind == 2;
            return CXChildVisit_Break;
        }
    }
    return CXChildVisit_Recurse;
}

static CXCursor borrow_in(CXCursor def, unsigned param, bool *mut)
{
    struct bfind b = {clang_Cursor_getArgument(def, param), clang_getNullCursor(), false};
    fc_visit(def, bfind_visit, &b);
    if (mut)
        *mut = b.mut;
    return b.found;
}

/* The source text of an expression as written (its extent in the file),
 * or its tokens joined when it comes from a macro; caller frees. */
static char *source_text(CXCursor e, size_t max)
{
    CXSourceRange r = clang_getCursorExtent(e);
    CXFile f1 = NULL, f2 = NULL;
    unsigned b = 0, en = 0;
    clang_getSpellingLocation(clang_getRangeStart(r), &f1, NULL, NULL, &b);
    clang_getSpellingLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &en);
    size_t size = 0;
    const char *src = f1 ? clang_getFileContents(clang_Cursor_getTranslationUnit(e), f1, &size) : NULL;
    if (!src || !f2 || !clang_File_isEqual(f1, f2) || en <= b || en > size || en - b > max)
        return fc_expr_text(clang_Cursor_getTranslationUnit(e), e, max);
    char *t = malloc(en - b + 1);
    if (t) {
        memcpy(t, src + b, en - b);
        t[en - b] = 0;
    }
    return t;
}

/* A callee that holds borrows of two of its handle parameters at once
 * (its summary's h_conflict), given the same object for both (or an object
 * the two arguments may both name on some path): the second borrow is the
 * runtime's borrow-conflict. */
static void call_conflicts(octx *cx, const fc_call_event *ev)
{
    if (clang_Cursor_isNull(ev->callee_decl) || !cx->fn->sums)
        return;
    CXString usr = clang_getCursorUSR(ev->callee_decl);
    const fc_summary *sm = fc_summaries_get(cx->fn->sums, clang_getCString(usr));
    clang_disposeString(usr);
    if (!sm || !sm->h_conflict_a || !sm->h_conflict_b)
        return;
    unsigned pa = sm->h_conflict_a - 1u, pb = sm->h_conflict_b - 1u;
    if (pa >= ev->nargs || pb >= ev->nargs || ev->arg_addr[pa] || ev->arg_addr[pb])
        return;
    int va = ev->arg_var[pa], vb = ev->arg_var[pb];
    int oa[2], ob[2];
    int na = arg_objects(cx, va, oa), nb = arg_objects(cx, vb, ob);
    int same = -1;
    for (int i = 0; i < na && same < 0; i++)
        for (int j = 0; j < nb && same < 0; j++)
            if (oa[i] == ob[j])
                same = oa[i];
    if (same < 0)
        return;
    bool definite = na == 1 && nb == 1;
    bool both_mut = sm->h_conflict_mut == 2;
    const char *oname = var_name(cx, same);
    char on[128];
    snprintf(on, sizeof on, "%s", oname);
    char msg[512];
    if (both_mut)
        snprintf(msg, sizeof msg, "cannot borrow '%s' as mutable more than once at a time: '%s' borrows "
                 "parameters %u and %u together, and both are '%s'%s", on, ev->callee, pa + 1, pb + 1, on,
                 definite ? "" : " on some path");
    else
        snprintf(msg, sizeof msg, "cannot borrow '%s' as mutable because it is also borrowed as immutable: "
                 "'%s' borrows parameters %u and %u together, and both are '%s'%s", on, ev->callee, pa + 1,
                 pb + 1, on, definite ? "" : " on some path");
    fc_finding *f = finding(cx, "borrow-conflict", -1, ev->call,
                            both_mut ? "second mutable borrow occurs here" : "mutable borrow occurs here", msg);
    if (!f)
        return;
    CXCursor def = clang_getCursorDefinition(ev->callee_decl);
    if (!clang_Cursor_isNull(def)) {
        bool m1 = false, m2 = false;
        CXCursor b1 = borrow_in(def, pa, &m1), b2 = borrow_in(def, pb, &m2);
        if (!clang_Cursor_isNull(b1))
            fc_finding_note(f, fc_ast_loc(b1), "first borrow taken here",
                            "first borrow taken here: %s borrow occurs here (and is not released)",
                            m1 ? "first mutable" : "immutable");
        if (!clang_Cursor_isNull(b2))
            fc_finding_note(f, fc_ast_loc(b2), "second borrow taken here",
                            "%s occurs here, while the first is live",
                            both_mut ? "second mutable borrow" : "mutable borrow");
    }
    for (int k = 0; k < 2; k++) {
        int v = k ? vb : va;
        ov *x = V(cx, v);
        if (!x || x->st != V_HANDLE || x->obj2 < 0 || !x->ev_a)
            continue;
        /* Where the argument became one of two handles: say on which path
         * it is the other argument's. */
        CXCursor at = ev_cursor(cx, x->ev_a), kk[3];
        char vn[128];
        snprintf(vn, sizeof vn, "%s", var_name(cx, v));
        if (clang_getCursorKind(at) == CXCursor_ConditionalOperator && fc_children(at, kk, 3) == 3) {
            bool on_true = obj_of(cx, slot_of(cx, kk[1], NULL)) == same;
            char *cond = source_text(kk[0], 80);
            fc_finding_note(f, fc_ast_loc(at), "may be the same value",
                            "'%s' is '%s' here when '%s' is %s", vn, on, cond ? cond : "the condition",
                            on_true ? "true" : "false");
            free(cond);
        } else if (obj_of(cx, slot_of(cx, at, NULL)) == same) {
            fc_finding_note(f, fc_ast_loc(at), "may be the same value",
                            "'%s' is '%s' on the paths through here", vn, on);
        } else {
            note(cx, f, x->ev_a, "may be the same value",
                 "the argument is one of two handles, depending on the path taken; on one of them it is the other argument");
        }
    }
    emit(cx, f);
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
    return slot_of(cx, k[0], NULL);   /* h, or a field/element slot (s->h) */
}

static enum CXChildVisitResult init_list_escape(CXCursor c, CXCursor parent, CXClientData d);
static bool region_within(octx *cx, int r, int v);

static void callee_after_facts(const fc_summaries *sums, CXCursor d, unsigned *rb, uint32_t *re);

/* The region (or arena, slab cache) in variable v ends at call: every
 * handle made over it, or over a region under it, is dropped with it; a
 * rewind drops those made after its mark, which is not known here. */
static void allocator_ended(octx *cx, int v, CXCursor call, bool rewind)
{
    uint32_t at = ev_id(cx, call);
    for (unsigned i = 0; i < cx->nvars; i++) {
        ov *ob = &cx->st[i];
        if (ob->ost == O_LIVE && ob->alloc == AL_REGION && region_within(cx, ob->region, v)) {
            if (rewind) {
                ob->ost = O_TOP;
                ob->st = V_TOP;
                continue;
            }
            ob->ost = O_DROPPED;
            ob->ev_d = at;
            ob->why = W_REGION;
            ob->shared = ob->mut = ob->sc = ob->mb = 0;
            end_borrows(cx, (int)i, false, false, at, W_REGION);
        }
    }
}


static void on_call(void *ctx, const fc_call_event *ev0)
{
    octx *cx = ctx;
    /* `printf("%p", p)`: the pointer printed as an address (QA6 T16) */
    uint64_t pmask = cx->ndead ? fc_ast_printf_pointer_args(ev0->callee, ev0->args, ev0->nargs) : 0;
    for (unsigned i = 0; pmask && i < ev0->nargs && i < 64; i++)
        if ((pmask >> i) & 1)
            drop_dead(cx, fc_strip(ev0->args[i]));
    flush_dead(cx);
    /* Arguments that name a field or element slot (`&s->h`, `hs[1]`). */
    int pav[32];
    bool paa[32];
    fc_call_event pev = *ev0;
    const fc_call_event *ev = ev0;
    if ((cx->npaths || cx->alias) && ev0->nargs <= 32) {
        for (unsigned i = 0; i < ev0->nargs; i++) {
            pav[i] = ev0->arg_var[i];
            paa[i] = ev0->arg_addr[i];
            bool aa = false;
            int al = paa[i] ? -1 : alias_slot(cx, ev0->args[i], &aa);
            if (al >= 0) {
                /* `fr_drop(ph)` is `fr_drop(&h)`, `fr_borrow(*ph)` is `fr_borrow(h)` */
                pav[i] = al;
                paa[i] = aa;
            } else if (pav[i] < 0) {
                bool addr = false;
                int sl = slot_of(cx, ev0->args[i], &addr);
                if (sl >= (int)cx->nreal) {
                    pav[i] = sl;
                    paa[i] = addr;
                }
            } else if (!paa[i] && (unsigned)pav[i] < cx->nreal &&
                       (is_handle_ptr_type(clang_getCursorType(cx->fn->vars[pav[i]])) ||
                        is_handle_array_type(clang_getCursorType(cx->fn->vars[pav[i]])))) {
                /* `fr_drop(hp)` with `fr_handle *hp`: the address of `*hp` */
                for (unsigned k = 0; k < cx->npaths; k++)
                    if (cx->paths[k].base == pav[i] && !strcmp(cx->paths[k].key, "[0]")) {
                        pav[i] = (int)(cx->nreal + k);
                        paa[i] = true;
                        break;
                    }
            }
        }
        pev.arg_var = pav;
        pev.arg_addr = paa;
        ev = &pev;
    }
    enum op op = api_op(ev);
    cx->pend.op = OP_NONE;
    /* `fr_drop(c ? &a : &b)`: either handle may be the one; both escape */
    for (unsigned i = 0; i < ev->nargs; i++)
        if (ev->arg_var[i] < 0 && clang_getCursorKind(fc_strip(ev->args[i])) == CXCursor_ConditionalOperator)
            fc_visit(ev->args[i], init_list_escape, cx);
    int v = arg_var(ev, 0);
    if (op == OP_NONE) {
        call_conflicts(cx, ev);
        containers_given(cx, ev);
        ambiguous_given(cx, ev);
    }
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
                else if (an && (strcmp(an, "fr_region_allocator") == 0 || strcmp(an, "fr_arena_allocator") == 0 ||
                                strcmp(an, "fr_slab_allocator") == 0) &&
                         fc_call_nargs(a) >= 1) {
                    /* the allocator's end drops the handle (owner/region.c, owner/scope.c) */
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
        ov *x = V(cx, v);
        if (x && x->st == V_TOP) {
            /* Live on one path, moved on another (the head of a loop that
             * moves it): moved from now, whichever it was. */
            x->st = V_MOVED;
            x->mflag = 1;
            x->ev_a = ev_id(cx, ev->call);
            return;
        }
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
        x->st = V_MOVED;
        x->mflag = 1;
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
    case OP_REGION_DESTROY:
    case OP_ARENA_REWIND:
        if (v >= 0 && !ev->arg_addr[0])
            allocator_ended(cx, v, ev->call, op == OP_ARENA_REWIND);
        return;
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
            x->mflag = 0;
            x->ev_a = ev_id(cx, ev->call);
        }
    }
    /* what the caller holds or has lost after the call (one summary lookup) */
    unsigned rb;
    uint32_t re;
    callee_after_facts(cx->fn->sums, ev->callee_decl, &rb, &re);
    /* Handles given to it. */
    for (unsigned i = 0; i < ev->nargs; i++) {
        int a = ev->arg_var[i];
        ov *x = V(cx, a);
        if (!x || (x->st != V_HANDLE && x->st != V_MOVED))
            continue;
        if (!ev->arg_addr[i] && !is_handle_type(clang_getCursorType(ev->args[i])))
            continue;
        enum effect ef = callee_effect(cx->fn->sums, ev->callee_decl, i);
        if (ef == EF_DROPS && drop_is_noop(cx, a))
            continue;
        /* given to a function that drops it: a dropped one is dropped twice */
        if (!check_use(cx, a, ef == EF_DROPS ? ev->call : ev->args[i], ef == EF_DROPS ? "drop" : "use",
                       ef == EF_DROPS))
            continue;
        int o = obj_of(cx, a);
        ov *ob = V(cx, o);
        if (!ob || ob->ost != O_LIVE)
            continue;
        ob->mb = 0;   /* the callee may release what some paths still borrow */
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
            /* A function that borrows what it is given (its definition
             * here, or its summary) while the caller holds a borrow. */
            /* (an accessor returning that borrow is a borrow of the
             * caller's own, checked as one after the arguments) */
            unsigned cb = (an & (FC_ANNOT_BORROWS | FC_ANNOT_BORROWS_MUT)) || ev->arg_addr[i] ||
                                  (rb && (rb & 0x1fu) - 1 == i)
                              ? 0
                              : callee_borrows(cx->fn->sums, ev->callee_decl, i, 0);
            if (((cb & 2) && (ob->shared || ob->mut || ob->sc)) || ((cb & 1) && (ob->mut || ob->sc == 2))) {
                bool m = cb & 2;
                bool held_mut = ob->mut || ob->sc == 2;
                char msg[256];
                if (m && held_mut)
                    snprintf(msg, sizeof msg, "cannot borrow '%s' as mutable more than once at a time: '%s' "
                             "borrows it (parameter %u)", var_name(cx, a), ev->callee, i + 1);
                else if (m)
                    snprintf(msg, sizeof msg, "cannot borrow '%s' as mutable because it is also borrowed as "
                             "immutable: '%s' borrows it mutably (parameter %u)", var_name(cx, a), ev->callee, i + 1);
                else
                    snprintf(msg, sizeof msg, "cannot borrow '%s' as immutable because it is also borrowed as "
                             "mutable: '%s' borrows it (parameter %u)", var_name(cx, a), ev->callee, i + 1);
                fc_finding *f = finding(cx, "borrow-conflict", -1, ev->args[i],
                                        m && held_mut ? "second mutable borrow occurs here"
                                        : m           ? "mutable borrow occurs here"
                                                      : "immutable borrow occurs here", msg);
                uint32_t fev = ob->mut ? ob->ev_mu : held_mut ? ob->sc_ev : ob->shared ? ob->ev_sh : ob->sc_ev;
                note(cx, f, fev, "first borrow taken here",
                     held_mut ? "first borrow taken here: first mutable borrow occurs here (and is not released)"
                              : "first borrow taken here: immutable borrow occurs here (and is not released)");
                CXCursor def = clang_getCursorDefinition(ev->callee_decl);
                if (f && !clang_Cursor_isNull(def)) {
                    bool bm = false;
                    CXCursor bc = borrow_in(def, i, &bm);
                    if (!clang_Cursor_isNull(bc))
                        fc_finding_note(f, fc_ast_loc(bc), "borrowed again here", "borrowed again here, inside '%s'",
                                        ev->callee);
                }
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
        if (ef == EF_NONE && (ob->shared || ob->mut) && callee_releases(ev->callee_decl, i))
            ob->shared = ob->mut = 0; /* no longer known to be live */
        apply_effect(cx, a, ev, ef);
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
    /* A function that destroys a region it is given (region_ends): the
     * region's handles end at the call, as at fr_region_destroy (QA5 S30). */
    for (unsigned i = 0; re && i < ev->nargs && i < 32; i++)
        if ((re >> i) & 1u) {
            int a = arg_var(ev, i);
            if (a >= 0 && !ev->arg_addr[i])
                allocator_ended(cx, a, ev->call, false);
        }
    /* An accessor returning a borrow of its handle argument (ret_borrow):
     * the caller holds that borrow now, as if it had borrowed itself. */
    if (rb) {
        unsigned p = (rb & 0x1fu) - 1;
        int a = arg_var(ev, p);
        if (a >= 0 && !ev->arg_addr[p])
            do_borrow(cx, a, ev->call, (rb & FC_RET_BORROW_MUT) != 0, false);
    }
}

/* What a call does to the handle in slot a (checked for a prior move or
 * drop by the caller). */
static void apply_effect(octx *cx, int a, const fc_call_event *ev, enum effect ef)
{
    ov *x = V(cx, a);
    if (!x)
        return;
    if (ef == EF_DROPS) {
        if (drop_is_noop(cx, a))
            return;
        /* a second drop, or a drop after a move, is reported as such */
        if (!check_use(cx, a, ev->call, "drop", true))
            return;
    } else if (ef != EF_NONE && x->st == V_MOVED) {
        check_use(cx, a, ev->call, "use", false);
        return;
    }
    int o = obj_of(cx, a);
    ov *ob = V(cx, o);
    if (!ob || ob->ost != O_LIVE)
        return;
    switch (ef) {
    case EF_CONSUMES:
        x->st = V_MOVED;
        x->mflag = 0;
        x->ev_a = ev_id(cx, ev->call);
        ob->ost = O_ESCAPED;
        break;
    case EF_DROPS: {
        uint32_t at = ev_id(cx, ev->call);
        ob->ost = O_DROPPED;
        ob->ev_d = at;
        ob->why = W_DROPPED;
        ob->shared = ob->mut = ob->sc = ob->mb = 0;
        end_borrows(cx, o, false, false, at, W_DROPPED);
        break;
    }
    case EF_NONE:
        break;
    case EF_COPIES:
        ob->alloc = AL_OTHER; /* not a leak if this function does not drop it */
        break;
    case EF_UNKNOWN:
        ob->ost = O_ESCAPED;
        break;
    }
}

static enum CXChildVisitResult init_list_escape(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    octx *cx = d;
    enum CXCursorKind k = clang_getCursorKind(c);
    if ((k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr || k == CXCursor_ArraySubscriptExpr) &&
        is_handle_type(clang_getCursorType(c))) {
        int sl = slot_of(cx, c, NULL);
        ov *x = V(cx, sl);
        if (x && x->st == V_HANDLE)
            escape(cx, sl);
        return CXChildVisit_Continue;
    }
    return CXChildVisit_Recurse;
}

/* `struct box bx = {a, 0}`: a handle given for a field that has a slot of
 * its own (bx.h) is copied there, as `bx.h = a` would copy it.  Only plain
 * positional braces for a local struct variable: the i-th initializer is
 * val[i], and slot[i] the slot of its field (-1: none).  Returns the number
 * of initializers (0: not such a list; designators are left alone). */
struct field_list {
    CXCursor f[64];
    unsigned n;
};

static enum CXVisitorResult collect_field(CXCursor c, CXClientData d)
{
    struct field_list *fl = d;
    if (fl->n == 64)
        return CXVisit_Break;
    fl->f[fl->n++] = c;
    return CXVisit_Continue;
}

static bool designated(CXCursor list)
{
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(list);
    CXToken *t = NULL;
    unsigned n = 0;
    clang_tokenize(tu, clang_getCursorExtent(list), &t, &n);
    int depth = 0;
    bool des = false;
    for (unsigned i = 0; i < n && !des; i++) {
        if (clang_getTokenKind(t[i]) != CXToken_Punctuation)
            continue;
        CXString s = clang_getTokenSpelling(tu, t[i]);
        const char *p = clang_getCString(s);
        if (!strcmp(p, "{") || !strcmp(p, "(") || !strcmp(p, "["))
            depth++;
        else if (!strcmp(p, "}") || !strcmp(p, ")") || !strcmp(p, "]"))
            depth--;
        else if (depth == 1 && !strcmp(p, "="))
            des = true;
        else if (depth == 1 && !strcmp(p, ".") && i > 0)
            des = true;
        clang_disposeString(s);
    }
    clang_disposeTokens(tu, t, n);
    return des || depth != 0;
}

struct raw_kids {
    CXCursor k[3];
    unsigned n;
};

static enum CXChildVisitResult raw_kid(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct raw_kids *r = d;
    if (r->n < 3)
        r->k[r->n] = c;
    r->n++;
    return CXChildVisit_Continue;
}

static unsigned record_list_fields(octx *cx, int var, CXType t, const char *prefix, CXCursor list, int *slot,
                                   CXCursor *val, unsigned max)
{
    if (clang_getCursorKind(list) != CXCursor_InitListExpr || t.kind != CXType_Record)
        return 0;
    struct field_list fl;
    fl.n = 0;
    clang_Type_visitFields(t, collect_field, &fl);
    unsigned n = fc_children(list, val, max);
    if (n == 0 || n > max || n > fl.n)
        return 0;
    /* `{ .n = 2, .h = a }`: each initializer is a designator (MemberRef)
     * and its value; anything else (`.a.b =`, `[1] =`) is left alone */
    bool des = designated(list);
    CXCursor field[16];
    for (unsigned i = 0; i < n; i++) {
        field[i] = fl.f[i];
        if (!des)
            continue;
        struct raw_kids rk;
        rk.n = 0;
        clang_visitChildren(val[i], raw_kid, &rk);
        if (rk.n != 2 || clang_getCursorKind(rk.k[0]) != CXCursor_MemberRef)
            return 0;
        field[i] = clang_getCursorReferenced(rk.k[0]);
        val[i] = rk.k[1];
    }
    for (unsigned i = 0; i < n; i++) {
        slot[i] = -1;
        if (!is_handle_type(clang_getCursorType(field[i])) || !is_handle_type(clang_getCursorType(val[i])))
            continue;
        CXString fs = clang_getCursorSpelling(field[i]);
        char key[256];
        snprintf(key, sizeof key, "%s.%s", prefix, clang_getCString(fs));
        clang_disposeString(fs);
        for (unsigned k = 0; k < cx->npaths; k++)
            if (cx->paths[k].base == var && !strcmp(cx->paths[k].key, key))
                slot[i] = (int)(cx->nreal + k);
    }
    return n;
}

/* A struct variable's braces, or an array of structs' (`struct box arr[2]
 * = { { a, 0 } }`: element j's fields have the keys "[j].field"; QA6 T5). */
static unsigned init_list_fields(octx *cx, int var, CXCursor list, int *slot, CXCursor *val, unsigned max)
{
    if (var < 0 || (unsigned)var >= cx->nreal || !cx->npaths || clang_getCursorKind(list) != CXCursor_InitListExpr)
        return 0;
    CXType t = clang_getCanonicalType(clang_getCursorType(cx->fn->vars[var]));
    if (t.kind == CXType_Record)
        return record_list_fields(cx, var, t, "", list, slot, val, max);
    if (t.kind != CXType_ConstantArray)
        return 0;
    CXType et = clang_getCanonicalType(clang_getArrayElementType(t));
    CXCursor elems[16];
    unsigned ne = fc_children(list, elems, 16), n = 0;
    if (ne == 0 || ne > 16 || et.kind != CXType_Record)
        return 0;
    /* `{ [1] = { b, 1 }, [0] = ... }`: an element's designator is an
     * integer literal and its value (libclang gives the written order);
     * a plain element follows the one before it, as in C */
    bool des = designated(list);
    long long next = 0;
    bool handles = is_handle_type(et);
    for (unsigned j = 0; j < ne; j++) {
        long long idx = next;
        CXCursor ev = elems[j];
        if (des && clang_getCursorKind(ev) == CXCursor_UnexposedExpr) {
            struct raw_kids rk;
            rk.n = 0;
            clang_visitChildren(ev, raw_kid, &rk);
            if (rk.n == 2 && clang_getCursorKind(rk.k[0]) == CXCursor_IntegerLiteral) {
                if (!fc_const_int(cx->fn, rk.k[0], &idx) || idx < 0 || idx > 4096)
                    return 0;
                ev = rk.k[1];
            } else if (rk.n != 1) {
                return 0;   /* `[i].h = ...`, `[K] = ...` with K not a literal: left alone */
            }
        }
        next = idx + 1;
        char prefix[32];
        snprintf(prefix, sizeof prefix, "[%lld]", idx);
        if (handles) {
            /* `fr_handle arr[2] = { a, b }`: element idx gets a copy (QA6 T5) */
            if (n >= max)
                return 0;
            slot[n] = -1;
            val[n] = ev;
            if (is_handle_type(clang_getCursorType(ev)))
                for (unsigned k = 0; k < cx->npaths; k++)
                    if (cx->paths[k].base == var && !strcmp(cx->paths[k].key, prefix))
                        slot[n] = (int)(cx->nreal + k);
            n++;
            continue;
        }
        elems[j] = ev;
        unsigned got = n < max ? record_list_fields(cx, var, et, prefix, elems[j], slot + n, val + n, max - n) : 0;
        if (got == 0) {
            /* not plain braces of a struct: kept whole (escapes) */
            if (n >= max)
                return 0;
            slot[n] = -1;
            val[n++] = elems[j];
            continue;
        }
        n += got;
    }
    return n;
}

/* `var = value` or a declaration with an initializer. */
static void bind(octx *cx, int var, CXCursor lhs, CXCursor value)
{
    CXCursor rv = clang_Cursor_isNull(value) ? value : fc_strip(value);
    bool from_pending = cx->pend.op != OP_NONE && !clang_Cursor_isNull(rv) &&
                        fc_ast_same(rv, fc_strip(cx->pend.call));
    int src = -1;
    if (!clang_Cursor_isNull(rv)) {
        bool addr = false;
        src = slot_of(cx, rv, &addr);
        if (addr) {
            /* `ph = &h`: h may be dropped or moved through ph now, unless
             * ph is just another name of h (handle_aliases): no leak is
             * reported for it, its own uses stay checked (QA6 T9) */
            ov *hx = V(cx, src);
            int o = obj_of(cx, src);
            if (hx && hx->st == V_HANDLE && o >= 0 &&
                !(cx->alias && var >= 0 && (unsigned)var < cx->nreal && cx->alias[var] == src)) {
                if (!cx->addr_kept)
                    cx->addr_kept = calloc(cx->nvars, sizeof *cx->addr_kept);
                if (cx->addr_kept)
                    cx->addr_kept[o] = true;
                else
                    escape(cx, src);
            }
            src = -1;
        }
    }
    ov *sx = V(cx, src);
    if (var < 0 && !clang_Cursor_isNull(lhs)) {
        bool la = false;
        int al = alias_slot(cx, lhs, &la);   /* `*ph = ...` is `h = ...` (QA6 T10) */
        var = al >= 0 && !la ? al : path_slot(cx, lhs);   /* `s->h = ...`, `hs[1] = ...` */
    }
    /* A whole struct or array holding handles, copied: its handles are
     * someone else's too now. */
    if (src >= 0 && src < (int)cx->nreal && src != var)
        escape_paths(cx, src);

    int fslot[16];
    CXCursor fval[16];
    unsigned nf = 0;
    if (!clang_Cursor_isNull(rv) && (clang_getCursorKind(rv) == CXCursor_InitListExpr ||
                                     clang_getCursorKind(rv) == CXCursor_CompoundLiteralExpr)) {
        /* `struct pair pr = {h, g}`: the handles named in the braces are
         * kept in the aggregate now (not followed there): they escape;
         * unless the field they are given for has a slot (init_list_fields),
         * which gets a copy of the handle once var has its new value. */
        nf = init_list_fields(cx, var, rv, fslot, fval, 16);
        if (nf == 0)
            fc_visit(rv, init_list_escape, cx);
        for (unsigned i = 0; i < nf; i++)
            if (fslot[i] < 0)
                fc_visit(fval[i], init_list_escape, cx);
    }
    if (var >= 0 && !from_pending && !clang_Cursor_isNull(rv) &&
        clang_getCursorKind(rv) == CXCursor_ConditionalOperator) {
        /* `to = c ? y : x`: one of two handles, depending on the path. */
        CXCursor k[3];
        long long cv;
        if (fc_children(rv, k, 3) == 3 && !fc_const_int(cx->fn, k[0], &cv)) {
            int oa = obj_of(cx, slot_of(cx, k[1], NULL)), ob = obj_of(cx, slot_of(cx, k[2], NULL));
            if (oa >= 0 && ob >= 0 && oa != ob && oa != var && ob != var) {
                forget(cx, var, rv);
                ov *x = V(cx, var);
                x->st = V_HANDLE;
                x->mflag = 0;
                x->obj = oa < ob ? oa : ob;
                x->obj2 = oa < ob ? ob : oa;
                x->ev_a = ev_id(cx, rv);
                return;
            }
        }
    }

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
            x->mflag = 0;
            x->obj = var;
            x->ost = O_LIVE;
            x->alloc = p.alloc;
            x->region = p.region;
            x->ev_a = x->ev_c = ev_id(cx, p.call);
        } else if (p.op == OP_MOVE) {
            /* The new owner names the same object. */
            x->st = V_HANDLE;
            x->mflag = 0;
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
            x->mflag = 0;
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
    long long nv;
    ov *nx = V(cx, var);
    if (nx && !clang_Cursor_isNull(rv) && clang_getCursorType(rv).kind != CXType_Record &&
        clang_getCursorKind(rv) == CXCursor_IntegerLiteral && fc_const_int(cx->fn, rv, &nv) && nv == 0)
        nx->nul = 1;   /* `p = NULL`, `p = 0` */
    for (unsigned i = 0; i < nf; i++)
        if (fslot[i] >= 0)
            bind(cx, fslot[i], clang_getNullCursor(), fval[i]);
    if (!clang_Cursor_isNull(rv) && clang_getCursorKind(fc_ast_strip(rv, true)) == CXCursor_CallExpr &&
        is_handle_type(clang_getCursorType(rv))) {
        /* `fr_handle h = lookup(...)`: a handle received from a call not
         * known to make one is checked like a parameter: its moves,
         * borrows and drops are followed, it is never reported leaked. */
        fresh_object(cx, var);
        V(cx, var)->ev_a = ev_id(cx, rv);
    }
}

static void on_assign(void *ctx, int var, CXCursor lhs, CXCursor rhs)
{
    copy_of_dead(ctx, var, rhs);
    flush_dead(ctx);
    bind(ctx, var, lhs, rhs);
}

/* The pointer an FR_WITH_BORROW block declares, `p = fr__scope_N.ptr`:
 * a borrow of the object whose scope encloses the declaration (the
 * innermost), which ends where control leaves the block.  Copies of it
 * (`saved = p`) carry the borrow, so a use after the block is reported. */
static bool scope_pointer(octx *cx, int var, CXCursor vardecl, CXCursor init)
{
    CXCursor e = fc_strip(init), k[1];
    if (clang_getCursorKind(e) != CXCursor_MemberRefExpr || fc_children(e, k, 1) != 1)
        return false;
    CXString fs = clang_getCursorSpelling(e);
    bool ptr = clang_getCString(fs) && !strcmp(clang_getCString(fs), "ptr");
    clang_disposeString(fs);
    CXCursor base = fc_decl_ref(k[0]);
    if (!ptr || clang_Cursor_isNull(base))
        return false;
    CXString bs = clang_getCursorSpelling(base);
    bool sc = clang_getCString(bs) && !strncmp(clang_getCString(bs), "fr__scope_", 10);
    clang_disposeString(bs);
    if (!sc)
        return false;
    CXFile f = NULL;
    unsigned off = 0;
    clang_getExpansionLocation(clang_getCursorLocation(vardecl), &f, NULL, NULL, &off);
    if (!f || !cx->file || !clang_File_isEqual(f, cx->file))
        return false;
    int best = -1;
    for (unsigned i = 0; i < cx->nvars; i++) {
        const ov *o = &cx->st[i];
        if (o->sc && o->ost == O_LIVE && o->sc_beg <= off && off <= o->sc_end &&
            (best < 0 || o->sc_end - o->sc_beg < cx->st[best].sc_end - cx->st[best].sc_beg))
            best = (int)i;
    }
    if (best < 0)
        return false;
    const ov ob = cx->st[best];
    forget(cx, var, vardecl);
    ov *x = V(cx, var);
    if (!x)
        return true;
    x->st = V_BORROW;
    x->obj = best;
    x->bmut = ob.sc == 2;
    x->scb = 1;
    x->sc_beg = ob.sc_beg;
    x->sc_end = ob.sc_end;
    x->ev_a = x->seq = ob.sc_ev;
    return true;
}

static void on_decl(void *ctx, int var, CXCursor vardecl, CXCursor init)
{
    octx *cx = ctx;
    copy_of_dead(cx, var, init);
    flush_dead(cx);
    if (clang_Cursor_isNull(init)) {
        forget(cx, var, vardecl);
        return;
    }
    if (scope_pointer(cx, var, vardecl, init))
        return;
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

/* `(void)p`: the value is thrown away (an unused-variable silencer), not
 * used; read from the text before the reference, as libclang 14 does not
 * give an expression's parent. */
/* The text of the file a reference is written in, and the reference's
 * extent in it (NULL when it spans files, as in a macro, or is unreadable). */
static const char *ref_text(CXCursor ref, size_t *size, unsigned *beg, unsigned *end)
{
    CXSourceRange ext = clang_getCursorExtent(ref);
    CXFile file, file2;
    clang_getFileLocation(clang_getRangeStart(ext), &file, NULL, NULL, beg);
    clang_getFileLocation(clang_getRangeEnd(ext), &file2, NULL, NULL, end);
    *size = 0;
    const char *text = file && file == file2 ? clang_getFileContents(clang_Cursor_getTranslationUnit(ref), file, size)
                                             : NULL;
    return text && *end <= *size && *beg <= *end ? text : NULL;
}

static bool voided(CXCursor ref)
{
    size_t size;
    unsigned off, end;
    const char *text = ref_text(ref, &size, &off, &end);
    if (!text)
        return false;
    const char *want[] = {")", "void", "("};
    size_t i = off;
    for (unsigned k = 0; k < 3; k++) {
        while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n' || text[i - 1] == '\r'))
            i--;
        size_t n = strlen(want[k]);
        if (i < n || memcmp(text + i - n, want[k], n) != 0)
            return false;
        i -= n;
        if (k == 1 && i > 0 && fc_ident_char(text[i - 1]))
            return false;   /* `(myvoid)p` */
    }
    return true;
}

/* Is text[beg, end) a name alone (the reference is the variable, not an
 * expression around it such as `p->age`)? */
static bool plain_name(const char *text, size_t size, unsigned beg, unsigned end)
{
    if (end <= beg || end > size)
        return false;
    for (unsigned i = beg; i < end; i++)
        if (!fc_ident_char(text[i]))
            return false;
    return true;
}

/* The text of the file around a reference that is a variable's name
 * alone (not an expression around it such as `p->age`), or NULL. */
static const char *name_ref_text(CXCursor ref, size_t *size, unsigned *beg, unsigned *end)
{
    const char *text = ref_text(ref, size, beg, end);
    return text && plain_name(text, *size, *beg, *end) ? text : NULL;
}

static size_t skip_blanks(const char *text, size_t size, size_t i)
{
    while (i < size && (text[i] == ' ' || text[i] == '\t'))
        i++;
    return i;
}

/* `p == q`, `q != p`, `!p`, `p && ...`, `if (p)`: the pointer's value
 * compared or tested, nothing read through it (QA6 T16: comparing a
 * released borrow with a new one was "used after its borrow was
 * released"); read from the text around the reference. */
static bool compared(CXCursor ref)
{
    size_t size;
    unsigned beg, end;
    const char *text = name_ref_text(ref, &size, &beg, &end);
    if (!text)
        return false;
    size_t i = skip_blanks(text, size, end);
    if (i + 1 < size && (text[i] == '=' || text[i] == '!') && text[i + 1] == '=')
        return true;
    /* a truth value: `p && ...`, `p || ...`, `p ? a : b`, `if (p)`, `while (p)` */
    bool truth_after = (i + 1 < size && ((text[i] == '&' && text[i + 1] == '&') || (text[i] == '|' && text[i + 1] == '|'))) ||
                       (i < size && text[i] == '?') || (i < size && text[i] == ')');
    size_t after = i;
    /* the operand ends with the name (not `p->f`, `p[i]`, `p(...)`) */
    if (after < size && !strchr("),;?:&|=!", text[after]))
        return false;
    i = beg;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
        i--;
    if (i >= 2 && (text[i - 2] == '=' || text[i - 2] == '!') && text[i - 1] == '=')
        return true;
    if (i >= 1 && text[i - 1] == '!')
        return true; /* `!p` */
    if (i >= 2 && ((text[i - 2] == '&' && text[i - 1] == '&') || (text[i - 2] == '|' && text[i - 1] == '|')))
        return true; /* `... && p` */
    if (i >= 1 && text[i - 1] == '*')
        return false; /* `*p && ...` reads through p */
    if (truth_after && after < size && text[after] != ')')
        return true;
    if (truth_after && i >= 1 && text[i - 1] == '(') {
        /* `if (p)`, `while (p)`: the keyword before the parenthesis */
        size_t k = i - 1;
        while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t'))
            k--;
        return (k >= 2 && !strncmp(text + k - 2, "if", 2) && (k == 2 || !fc_ident_char(text[k - 3]))) ||
               (k >= 5 && !strncmp(text + k - 5, "while", 5) && (k == 5 || !fc_ident_char(text[k - 6])));
    }
    return false;
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
    if (voided(ref) || compared(ref))
        return; /* `(void)p;`, `p == q` read nothing through p */
    /* Reported at the next event that is no read, unless that event copies
     * it (`q = p`: q carries the ended borrow; it is reported where q is
     * read) or prints it with %p (on_call). */
    if (cx->ndead == sizeof cx->dead_var / sizeof cx->dead_var[0])
        flush_dead(cx);
    cx->dead_var[cx->ndead] = var;
    cx->dead_ref[cx->ndead++] = ref;
}

/* Drop the pending read of an ended borrow whose reference is e. */
static void drop_dead(octx *cx, CXCursor e)
{
    for (unsigned i = 0; i < cx->ndead; i++)
        if (fc_ast_same(e, cx->dead_ref[i])) {
            cx->dead_var[i] = -1;
            return;
        }
}

/* A pending read of an ended borrow (on_use) that is a copy into variable
 * var by the assignment or declaration whose value is `value`: no read. */
static void copy_of_dead(octx *cx, int var, CXCursor value)
{
    if (var >= 0 && !clang_Cursor_isNull(value))
        drop_dead(cx, fc_strip(value));
}

static void report_dead(octx *cx, int var, CXCursor ref);

static void flush_dead(octx *cx)
{
    unsigned n = cx->ndead;
    cx->ndead = 0;
    for (unsigned i = 0; i < n; i++)
        if (cx->dead_var[i] >= 0)
            report_dead(cx, cx->dead_var[i], cx->dead_ref[i]);
}

static void report_dead(octx *cx, int var, CXCursor ref)
{
    ov *x = V(cx, var);
    if (!x || x->st != V_BORROW_DEAD)
        return;
    ov *ob = V(cx, x->obj);
    char msg[512];
    const char *name = var_name(cx, var);
    char pname[128];
    snprintf(pname, sizeof pname, "%s", name);
    const char *oname = ob ? var_name(cx, x->obj) : "?";
    const char *whole = NULL, *ended = x->why == W_REGION ? ender(cx, x->ev_b, &whole) : NULL;
    char region_after[96];
    if (ended)
        snprintf(region_after, sizeof region_after, "the %s that owned the value was %s",
                 !strcmp(whole, "region destroyed") ? "region" : !strncmp(whole, "arena", 5) ? "arena" : "slab cache",
                 !strcmp(whole, "arena reset") ? "reset" : "destroyed");
    bool block_end = x->scb && x->why == W_RELEASED;
    const char *after = block_end            ? "the FR_WITH_BORROW block that borrowed it ended"
                        : x->why == W_RELEASED ? "its borrow was released"
                        : x->why == W_REGION ? region_after
                                             : "the value was dropped";
    snprintf(msg, sizeof msg, "'%s' is used after %s: it borrows from '%s'", pname, after, oname);
    fc_finding *f = finding(cx, "dangling-borrow", var, ref, "borrow used here after it ended", msg);
    if (f && block_end) {
        note(cx, f, x->ev_a, "borrow taken here", "scoped borrow taken here");
        fc_finding_note(f, scope_end_loc(cx, x), "borrow released here",
                        "the block ends here, and its borrow with it: a pointer kept past it dangles");
    } else if (f) {
        note(cx, f, x->ev_a, "borrow taken here", "borrow taken here");
        const char *l = x->why == W_RELEASED ? "borrow released here"
                        : x->why == W_REGION ? ended
                                             : "value dropped here";
        /* Dropped or destroyed while the borrow was live: the runtime
         * refuses that very call, in these words (owner/violation.c,
         * owner/scope.c). */
        char rm[160];
        if (ended)
            snprintf(rm, sizeof rm, "%s: %s while a value it owns is borrowed", ended, whole);
        const char *m = x->why == W_REGION   ? rm
                        : x->why == W_DROPPED ? "value dropped here: cannot drop value because it is borrowed"
                                              : l;
        note(cx, f, x->ev_b, l, m);
    }
    emit(cx, f);
}

/* Where the FR_WITH_BORROW block of scoped borrow x ends (its closing
 * brace), as a diagnostic location. */
static fc_loc scope_end_loc(octx *cx, const ov *x)
{
    fc_loc l = fc_ast_loc(ev_cursor(cx, x->ev_a));
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(cx->fn->body);
    unsigned end = x->sc_end > x->sc_beg ? x->sc_end - 1 : x->sc_end;
    CXSourceLocation sl = clang_getLocationForOffset(tu, cx->file, end);
    CXFile f = NULL;
    unsigned line = 0, col = 0;
    clang_getExpansionLocation(sl, &f, &line, &col, NULL);
    if (f && line) {
        l.line = line;
        l.col = col;
        l.end_col = 0;
    }
    return l;
}

/* Objects still owned at a return (or the end of the body) leak. */
static void leaks_at(octx *cx, fc_loc at, int returned)
{
    for (unsigned i = 0; i < cx->nvars; i++) {
        ov *ob = &cx->st[i];
        if (ob->ost != O_LIVE || ob->alloc != AL_HEAP || (cx->addr_kept && cx->addr_kept[i]))
            continue;
        if (returned >= 0 && obj_of(cx, returned) == (int)i)
            continue;
        /* Name it by a variable that still holds it; one held in memory
         * that outlives the call (a field reached through a pointer) is
         * stored, not leaked. */
        int holder = -1;
        bool stored = false;
        for (unsigned j = 0; j < cx->nvars; j++)
            if (cx->st[j].st == V_HANDLE && cx->st[j].obj == (int)i) {
                const struct pslot *ps = pslot_of(cx, (int)j);
                if (ps && !ps->local)
                    stored = true;
                else if (holder < 0)
                    holder = (int)j;
            }
        if (holder >= 0 && !stored) {
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
    flush_dead(cx);
    int rv = -1;
    if (!clang_Cursor_isNull(value)) {
        CXCursor v = fc_strip(value);
        bool addr = false;
        rv = slot_of(cx, v, &addr);
        if (addr)
            rv = -1;
        if (rv >= 0 && rv < (int)cx->nreal)
            escape_paths(cx, rv);   /* a struct returned with its handles */
        if (rv >= 0 && cx->st[rv].st == V_BORROW && cx->st[rv].scb) {
            /* The return leaves the block, whose cleanup releases the borrow first. */
            const ov *x = &cx->st[rv];
            char msg[384], pname[128];
            snprintf(pname, sizeof pname, "%s", var_name(cx, rv)); /* var_name's buffer is reused */
            snprintf(msg, sizeof msg, "'%s' is returned, but it borrows from '%s' only until the "
                     "FR_WITH_BORROW block ends, and the return leaves the block: the caller gets a "
                     "dangling pointer", pname, var_name(cx, x->obj));
            fc_finding *f = finding(cx, "dangling-borrow", rv, v, "borrow returned here, where it ends", msg);
            note(cx, f, x->ev_a, "borrow taken here", "scoped borrow taken here");
            if (f)
                fc_finding_note(f, scope_end_loc(cx, x), "borrow released here",
                                "the block ends here: return a copy of the value, or take the borrow with "
                                "fr_borrow and let the caller release it");
            emit(cx, f);
        }
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
static int tested_handle(octx *cx, CXCursor c, bool *true_when_live, bool *by_is_live, bool *is_ptr)
{
    *by_is_live = false;
    *is_ptr = false;
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
        {
            v = fc_var_index(cx->fn, fc_decl_ref(fc_call_arg(c, 0)));
            *by_is_live = true;
        }
    } else if (kind == CXCursor_DeclRefExpr) {
        /* a pointer from a borrow tested for NULL (`if (!p)`) */
        v = fc_var_index(cx->fn, fc_decl_ref(c));
        *is_ptr = true;
    }
    *true_when_live = !neg;
    return v;
}

static bool cl_edge(void *ctx, void *state, const fc_block *b, const fc_edge *e)
{
    octx *cx = ctx;
    if (b->nsucc > 1) {
        /* A branch may be the one that tells apart the paths that hold a
         * borrow from those that do not (`if (found) fr_release(h)`): what
         * the mb of every object knew stops here. */
        ov *s = state;
        for (unsigned i = 0; i < cx->nvars; i++)
            s[i].mb = 0;
    }
    if (b->term != FC_T_BRANCH || (e->kind != FC_E_TRUE && e->kind != FC_E_FALSE))
        return true;
    bool tl, is_live, is_ptr;
    int v = tested_handle(cx, b->cond, &tl, &is_live, &is_ptr);
    if (v < 0)
        return true;
    if (is_ptr) {
        /* A borrow that gave NULL was refused (the handler returned): on
         * that edge it holds nothing and needs no release. */
        ov *x = (cx->st = state, V(cx, v));
        if ((e->kind == FC_E_TRUE) != tl && x && x->st == V_BORROW) {
            ov *ob = V(cx, x->obj);
            if (ob && ob->ost == O_LIVE) {
                if (x->bmut)
                    ob->mut = 0;
                else if (ob->shared)
                    ob->shared--;
            }
            x->st = V_NONE;
        }
        return true;
    }
    if ((e->kind == FC_E_TRUE) == tl) {
        /* fr_is_live() of a handle moved from is false: not this edge
         * (`while (...) { if (!fr_is_live(h)) break; consume(fr_move(&h)); }`) */
        ov *x = (cx->st = state, V(cx, v));
        return !(is_live && x && x->st == V_MOVED);
    }
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
        s[i].obj = s[i].region = s[i].obj2 = -1;
    /* Handles that come in as parameters (or in the fields of parameters)
     * are objects of their own, owned by no one we know: checked for
     * moves, drops and borrows, never reported as leaks. */
    ov *saved = cx->st;
    cx->st = s;
    for (unsigned i = 0; i < cx->fn->nparams && i < cx->nreal; i++)
        if (is_handle_type(clang_getCursorType(cx->fn->vars[i])) &&
            clang_getCanonicalType(clang_getCursorType(cx->fn->vars[i])).kind != CXType_Pointer)
            fresh_object(cx, (int)i);
    for (unsigned i = 0; i < cx->npaths; i++)
        if ((unsigned)cx->paths[i].base < cx->fn->nparams)
            fresh_object(cx, (int)(cx->nreal + i));
    cx->st = saved;
}

static bool same_facts(const ov *a, const ov *b)
{
    return a->st == b->st && a->ost == b->ost && a->shared == b->shared && a->mut == b->mut &&
           a->alloc == b->alloc && a->why == b->why && a->bmut == b->bmut && a->obj == b->obj &&
           a->region == b->region && a->sc == b->sc && a->sc_beg == b->sc_beg && a->sc_end == b->sc_end &&
           a->obj2 == b->obj2 && a->mb == b->mb && a->scb == b->scb;
}

/* `p = NULL` on one path and a borrow on the other (the pointer taken out
 * of an FR_WITH_BORROW block, whose loop has an exit where the block never
 * ran): the borrow.  A dereference of p is only correct on the path where
 * p is not null, which is the borrow's. */
static bool borrow_ptr(const ov *x)
{
    return (x->st == V_BORROW || x->st == V_BORROW_DEAD) && x->ost == O_NONE;
}

static bool join_null_borrow(ov *d, const ov *s, bool *changed)
{
    if (d->st == V_NONE && d->nul && d->ost == O_NONE && borrow_ptr(s)) {
        *d = *s;
        *changed = true;
        return true;
    }
    return s->st == V_NONE && s->nul && s->ost == O_NONE && borrow_ptr(d);
}

/* Two paths bring a handle variable two different objects (`to = c ? y :
 * x`, or an if/else): it names one or the other.  Nothing is done through
 * it (obj_of says -1), but a call that would conflict when both arguments
 * are the same object is reported (call_conflicts). */
static bool join_alternatives(ov *d, const ov *s, bool *changed)
{
    if (d->st != V_HANDLE || s->st != V_HANDLE)
        return false;
    ov a = *d, b = *s;
    a.obj = b.obj = a.obj2 = b.obj2 = -1;
    if (!same_facts(&a, &b))
        return false;
    int set[4] = {d->obj, d->obj2, s->obj, s->obj2}, u[4], n = 0;
    for (int i = 0; i < 4; i++) {
        bool seen = set[i] < 0;
        for (int j = 0; j < n && !seen; j++)
            seen = u[j] == set[i];
        if (!seen)
            u[n++] = set[i];
    }
    if (n != 2)
        return false;
    int lo = u[0] < u[1] ? u[0] : u[1], hi = u[0] < u[1] ? u[1] : u[0];
    if (d->obj != lo || d->obj2 != hi)
        *changed = true;
    d->obj = lo;
    d->obj2 = hi;
    return true;
}

/* A live object borrowed on one path and not (or less) on the other: it
 * stays live, with the borrows every path has (the smaller count; the
 * exclusive one only if both hold it).  A borrow is reported only when it
 * is live on every path; and a loop body that takes a borrow without
 * releasing it still has it, surely, on its back edge, which the loop
 * replay (replay_loops) takes into the second iteration. */
static bool join_borrow_counts(ov *d, const ov *s, bool *changed)
{
    if (d->ost != O_LIVE || s->ost != O_LIVE)
        return false;
    ov a = *d, b = *s;
    a.shared = b.shared = a.mut = b.mut = 0;
    a.sc = b.sc = 0; /* a scoped borrow live on one path only (FR_WITH_BORROW in a loop) */
    a.sc_beg = b.sc_beg = a.sc_end = b.sc_end = 0;
    a.mb = b.mb = 0;
    if (!same_facts(&a, &b))
        return false;
    uint8_t sh = d->shared < s->shared ? d->shared : s->shared, mu = d->mut && s->mut;
    bool sc_same = d->sc == s->sc && d->sc_beg == s->sc_beg && d->sc_end == s->sc_end;
    /* a borrow some paths hold and others do not: mb */
    uint8_t mb = d->mb | s->mb;
    uint32_t ev_mb = d->mb ? d->ev_mb : s->ev_mb;
    if (!(mb & 2) && (d->mut || s->mut) && !mu) {
        mb |= 2;
        ev_mb = d->mut ? d->ev_mu : s->ev_mu;
    } else if (!mb && (d->shared > sh || s->shared > sh)) {
        mb |= 1;
        ev_mb = d->shared > sh ? d->ev_sh : s->ev_sh;
    }
    if (sh != d->shared || mu != d->mut || (!sc_same && d->sc) || mb != d->mb)
        *changed = true;
    d->mb = mb;
    d->ev_mb = ev_mb;
    d->shared = sh;
    d->mut = mu;
    if (!sc_same)
        d->sc = 0;
    return true;
}

/* A slot is a variable and the object that variable created.  Paths that
 * agree on the variable (moved from, on both) but not on the object (live
 * on one, unknown on the other: the head of a loop that moves it) keep the
 * variable's fact; only the object becomes unknown. */
static bool join_object_part(ov *d, const ov *s, bool *changed)
{
    if (d->st != s->st || d->st == V_TOP || d->obj != s->obj || d->obj2 != s->obj2 || d->bmut != s->bmut)
        return false;
    if (d->ost != O_TOP || d->shared || d->mut || d->sc || d->mb) {
        d->ost = O_TOP;
        d->shared = d->mut = d->sc = d->mb = 0;
        *changed = true;
    }
    if (d->mflag && !s->mflag) {
        d->mflag = 0;
        *changed = true;
    }
    return true;
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
            if (join_null_borrow(&d[i], &s[i], &changed) || join_alternatives(&d[i], &s[i], &changed) ||
                join_borrow_counts(&d[i], &s[i], &changed) || join_object_part(&d[i], &s[i], &changed))
                continue;
            if (d[i].st != V_TOP || d[i].ost != O_TOP) {
                d[i].st = V_TOP;
                d[i].ost = O_TOP;
                changed = true;
            }
            continue;
        }
        if (d[i].nul && !s[i].nul) {
            d[i].nul = 0;
            changed = true;
        }
        /* Moved on both paths, by fr_move on one only: a drop is a no-op only
         * when every path set the drop flag. */
        if (d[i].mflag && !s[i].mflag) {
            d[i].mflag = 0;
            changed = true;
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
            if (o->st == V_BORROW && o->scb && (off < o->sc_beg || off > o->sc_end)) {
                o->st = V_BORROW_DEAD;  /* the block's cleanup released it */
                o->why = W_RELEASED;
                o->ev_b = o->ev_a;
            }
        }
    fc_walk_events(cx->fn, el, &visitor, cx);
    flush_dead(cx);
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
            fc_visit(kid[0], scope_call, &inner);
        }
    }
    return CXChildVisit_Recurse;
}

/* Does the function mention the handle API at all?  (Most functions do
 * not: skip them before any dataflow.) */
static enum CXVisitorResult has_handle_field(CXCursor c, CXClientData d)
{
    if (is_handle_type(clang_getCursorType(c)) ||
        (fc_type_is_array(clang_getCursorType(c)) &&
         is_handle_type(clang_getArrayElementType(clang_getCanonicalType(clang_getCursorType(c)))))) {
        *(bool *)d = true;
        return CXVisit_Break;
    }
    return CXVisit_Continue;
}

/* A struct (or pointer to one) with a handle field, or an array of handles. */
static bool holds_handles(CXType t)
{
    t = clang_getCanonicalType(t);
    if (t.kind == CXType_Pointer)
        t = clang_getCanonicalType(clang_getPointeeType(t));
    if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
        return is_handle_type(clang_getArrayElementType(t));
    if (t.kind != CXType_Record || is_handle_type(t))
        return false;
    bool found = false;
    clang_Type_visitFields(t, has_handle_field, &found);
    return found;
}

/* is_handle_type(t) || holds_handles(t): both ask about t's canonical
 * type only, so the answer is kept per canonical type. */
static bool type_mentions(CXType t)
{
    CXType ct = clang_getCanonicalType(t);
    bool hit = false;
    struct mention_memo *m = ct.data[0] ? mention_slot(ct.data[0], 1, &hit) : NULL;
    if (hit)
        return m->answer;
    bool r = is_handle_type(ct) || holds_handles(ct);
    if (m) {
        m->key = ct.data[0];
        m->what = 1;
        m->answer = r;
    }
    return r;
}

/* A FunctionDecl callee annotated (itself or a parameter) or returning a
 * typed handle; kept per declaration. */
static bool callee_mentions(CXCursor decl)
{
    bool hit = false;
    struct mention_memo *m = decl.data[0] ? mention_slot(decl.data[0], 2, &hit) : NULL;
    if (hit)
        return m->answer;
    bool r = fc_annot_function(decl) != 0;
    int np = clang_Cursor_getNumArguments(decl);
    for (int i = 0; i < np && !r; i++)
        r = fc_annot_param(decl, (unsigned)i) != 0;
    if (!r)
        r = is_typed_handle_type(clang_getResultType(clang_getCursorType(decl)));
    if (m) {
        m->key = decl.data[0];
        m->what = 2;
        m->answer = r;
    }
    return r;
}

static enum CXChildVisitResult mentions(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    enum CXCursorKind ck = clang_getCursorKind(c);
    if ((ck == CXCursor_DeclRefExpr || ck == CXCursor_MemberRefExpr) && type_mentions(clang_getCursorType(c))) {
        *(bool *)d = true;
        return CXChildVisit_Break;
    }
    if (ck == CXCursor_CallExpr) {
        const char *n = fc_callee_name(c);
        if (n && (strncmp(n, "fr_", 3) == 0 || strncmp(n, "fr__", 4) == 0)) {
            *(bool *)d = true;
            return CXChildVisit_Break;
        }
        CXCursor decl = clang_getCursorReferenced(c);
        if (!clang_Cursor_isNull(decl) && clang_getCursorKind(decl) == CXCursor_FunctionDecl &&
            callee_mentions(decl)) {
            *(bool *)d = true;
            return CXChildVisit_Break;
        }
    }
    return CXChildVisit_Recurse;
}

/* Variables whose paths are not followed, because their fields or
 * elements can be reached in ways the slots do not see: changed other
 * than by plain assignment (`p++`, `p += n`), indexed with a value that
 * is not a constant (`hs[i]`, `ps[i].a`), used in pointer arithmetic
 * (`hs + 1`), or whose address is taken other than as a call's argument
 * (`q = &pair`: q then reaches pair's fields; a pointer's own address
 * lets a callee repoint it). */
struct unstable_scan {
    octx *cx;
    bool *bad;
    const void **args;    /* direct call arguments seen so far (cursor data) */
    size_t nargs, cap;
};

static enum CXChildVisitResult unstable_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct unstable_scan *u = d;
    enum CXCursorKind k = clang_getCursorKind(c);
    CXCursor kid[2];
    int v = -1;
    if (k == CXCursor_CallExpr) {
        int na = fc_call_nargs(c);
        for (int i = 0; i < na; i++) {
            if (u->nargs == u->cap) {
                size_t cap = u->cap ? u->cap * 2 : 32;
                const void **na2 = realloc(u->args, cap * sizeof *na2);
                if (!na2)
                    break;
                u->args = na2;
                u->cap = cap;
            }
            u->args[u->nargs++] = fc_strip(fc_call_arg(c, (unsigned)i)).data[1];
        }
    } else if (k == CXCursor_UnaryOperator && fc_children(c, kid, 1) == 1) {
        fc_op op = fc_unop(u->cx->fn, c);
        CXCursor e = fc_strip(kid[0]);
        int w = fc_var_index(u->cx->fn, fc_decl_ref(e));
        if (op == FC_OP_PREINC || op == FC_OP_PREDEC || op == FC_OP_POSTINC || op == FC_OP_POSTDEC)
            v = w;
        else if (op == FC_OP_ADDR && w >= 0 && fc_type_is_pointer(clang_getCursorType(e)))
            v = w;
        else if (op == FC_OP_ADDR && w >= 0) {
            bool direct = false;
            for (size_t i = 0; i < u->nargs && !direct; i++)
                direct = u->args[i] == c.data[1];
            if (!direct)
                v = w;
        }
    } else if (k == CXCursor_CompoundAssignOperator && fc_children(c, kid, 2) == 2) {
        v = fc_var_index(u->cx->fn, fc_decl_ref(fc_strip(kid[0])));
    } else if (k == CXCursor_ArraySubscriptExpr && fc_children(c, kid, 2) == 2) {
        long long idx;
        if (!fc_const_int(u->cx->fn, kid[1], &idx)) {
            char key[256], name[256];
            bool via = false;
            CXCursor root = path_chain(u->cx->fn, kid[0], key, sizeof key, name, sizeof name, &via, 0);
            if (!clang_Cursor_isNull(root))
                v = fc_var_index(u->cx->fn, root);
        }
    } else if (k == CXCursor_BinaryOperator && fc_children(c, kid, 2) == 2) {
        fc_op op = fc_binop(u->cx->fn, c);
        if (op == FC_OP_ADD || op == FC_OP_SUB)
            for (int i = 0; i < 2 && v < 0; i++) {
                CXCursor e = fc_strip(kid[i]);
                CXType t = clang_getCanonicalType(clang_getCursorType(e));
                if (t.kind == CXType_Pointer || fc_type_is_array(t))
                    v = fc_var_index(u->cx->fn, fc_decl_ref(e));
            }
    }
    if (v >= 0 && (unsigned)v < u->cx->nreal)
        u->bad[v] = true;
    return CXChildVisit_Recurse;
}

/* The flow over one function: findings (summ NULL), or the summary facts
 * about its handle parameters (summ set, no findings). */
/* ---- Variables that stand for another variable ----
 *
 * Two maps from a local variable to another, both made from the local's
 * declaration and kept only while the local is never assigned again,
 * incremented or has its own address taken (var_map_prune):
 *   alias    `fr_handle *ph = &h;` then `fr_drop(ph)`, `fr_borrow(*ph)`:
 *            ph is another name of h, so its uses are read as uses of h
 *            (alias_slot): a drop through it drops h, a borrow through it
 *            meets h's borrows;
 *   rparent  `child = fr_region_create(r)`: destroying r destroys child
 *            first (region.h), so the handles made over child end with r
 *            too (region_within; QA5 S30). */
struct var_map_scan {
    octx *cx;
    bool *bad;
};

static enum CXChildVisitResult var_map_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    struct var_map_scan *a = d;
    if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
        int v = fc_var_index(a->cx->fn, fc_decl_ref(c));
        enum CXCursorKind pk = clang_getCursorKind(parent);
        /* as an lvalue: `ph = ...`, `ph += 1`, `ph++`, `&ph` (a read goes
         * through an implicit conversion first) */
        if (v >= 0 && (unsigned)v < a->cx->nreal &&
            (pk == CXCursor_BinaryOperator || pk == CXCursor_CompoundAssignOperator ||
             pk == CXCursor_UnaryOperator))
            a->bad[v] = true;
    }
    return CXChildVisit_Recurse;
}

/* (*map)[v] = to; the map is made (every entry -1) at its first entry. */
static bool var_map_set(octx *cx, int **map, unsigned v, int to)
{
    if (!*map) {
        *map = malloc(cx->nreal * sizeof **map);
        if (!*map)
            return false;
        for (unsigned i = 0; i < cx->nreal; i++)
            (*map)[i] = -1;
    }
    (*map)[v] = to;
    return true;
}

/* Drop the entries whose variable (and, with targets_too, whose target)
 * is written as an lvalue anywhere in the body; no map left when no entry
 * is.  (An alias's target has its address taken by definition.) */
static void var_map_prune(octx *cx, int **map, bool targets_too)
{
    if (!*map)
        return;
    bool *bad = calloc(cx->nreal, sizeof *bad);
    bool any = false;
    if (bad) {
        struct var_map_scan a = {cx, bad};
        clang_visitChildren(cx->fn->body, var_map_visit, &a);
        for (unsigned v = 0; v < cx->nreal; v++) {
            if (bad[v] || (targets_too && (*map)[v] >= 0 && bad[(*map)[v]]))
                (*map)[v] = -1;
            any |= (*map)[v] >= 0;
        }
        free(bad);
    }
    if (!any) {
        free(*map);
        *map = NULL;
    }
}

static void region_parents(octx *cx)
{
    fc_func *fn = cx->fn;
    for (unsigned v = fn->nparams; v < cx->nreal; v++) {
        CXCursor init = fc_strip(fc_var_init(fn->vars[v]));
        if (clang_getCursorKind(init) != CXCursor_CallExpr || fc_call_nargs(init) != 1)
            continue;
        const char *n = fc_callee_name(init);
        if (!n || strcmp(n, "fr_region_create") != 0 || !from_ferrum_header(fc_callee_decl(init)))
            continue;
        int p = fc_var_index(fn, fc_decl_ref(fc_strip(fc_call_arg(init, 0))));
        if (p >= 0 && (unsigned)p < cx->nreal && p != (int)v && !var_map_set(cx, &cx->rparent, v, p))
            return;
    }
    var_map_prune(cx, &cx->rparent, true);
}

/* Is region variable r, or one of its ancestors (region_parents), region
 * variable v? */
static bool region_within(octx *cx, int r, int v)
{
    for (int depth = 0; r >= 0 && depth < 16; depth++) {
        if (r == v)
            return true;
        r = cx->rparent && (unsigned)r < cx->nreal ? cx->rparent[r] : -1;
    }
    return false;
}

static void handle_aliases(octx *cx)
{
    fc_func *fn = cx->fn;
    for (unsigned v = fn->nparams; v < cx->nreal; v++) {
        if (fn->var_static[v] || !is_handle_ptr_type(clang_getCursorType(fn->vars[v])))
            continue;
        CXCursor init = fc_strip(fc_var_init(fn->vars[v]));
        CXCursor k[1];
        if (clang_getCursorKind(init) != CXCursor_UnaryOperator || fc_unop(fn, init) != FC_OP_ADDR ||
            fc_children(init, k, 1) != 1)
            continue;
        int h = fc_var_index(fn, fc_decl_ref(fc_strip(k[0])));
        if (h >= 0 && (unsigned)h < cx->nreal && h != (int)v && is_handle_type(clang_getCursorType(fn->vars[h])) &&
            !var_map_set(cx, &cx->alias, v, h))
            return;
    }
    var_map_prune(cx, &cx->alias, false);
}

static void run_owner(fc_func *fn, fc_diag_sink *sink, const struct fc_options *o, struct summ *summ)
{
    octx cx;
    memset(&cx, 0, sizeof cx);
    cx.fn = fn;
    cx.sink = sink;
    cx.opts = o;
    cx.summ = summ;
    cx.nreal = fn->nvars;
    handle_aliases(&cx);
    region_parents(&cx);
    fc_visit(fn->body, path_scan, &cx);
    if (cx.npaths) {
        bool *bad = calloc(cx.nreal, sizeof *bad);
        if (bad) {
            struct unstable_scan u = {&cx, bad, NULL, 0, 0};
            fc_visit(fn->body, unstable_visit, &u);
            free(u.args);
            unsigned k = 0;
            for (unsigned i = 0; i < cx.npaths; i++) {
                if (bad[cx.paths[i].base]) {
                    free(cx.paths[i].key);
                    free(cx.paths[i].name);
                } else {
                    cx.paths[k++] = cx.paths[i];
                }
            }
            cx.npaths = k;
            free(bad);
        }
    }
    cx.nvars = cx.nreal + cx.npaths;
    cx.reported = calloc(cx.nvars, sizeof *cx.reported);
    if (!cx.reported)
        goto out;
    clang_getExpansionLocation(clang_getCursorLocation(fn->body), &cx.file, NULL, NULL, NULL);
    struct scope_scan ss = {&cx, 0, 0, false};
    fc_visit(fn->body, scope_scan, &ss);
    fc_flow_client cl = {
        .state_size = cx.nvars * sizeof(ov),
        .ctx = &cx,
        .init = cl_init,
        .join = cl_join,
        .widen = cl_join,
        .transfer = cl_transfer,
        .edge = cl_edge,
        .at_exit = cl_exit,
        /* a loop body replayed from its back edges: a borrow taken and not
         * released, or a move, in iteration 1 meets iteration 2 */
        .replay_loops = true,
    };
    fc_flow_run(fn, &cl, o);
out:
    free(cx.reported);
    free(cx.alias);
    free(cx.rparent);
    free(cx.addr_kept);
    free(cx.scopes);
    free(cx.ev.c);
    free(cx.ev.key);
    free(cx.ev.hash);
    for (unsigned i = 0; i < cx.npaths; i++) {
        free(cx.paths[i].key);
        free(cx.paths[i].name);
    }
    free(cx.paths);
}

void fc_check_owner(fc_func *fn, fc_diag_sink *sink, const struct fc_options *o)
{
    if (!fn || !fn->cfg || fn->cfg->truncated || fn->nvars == 0)
        return;
    if (!unit_may_use_handles(fn->tu, false))
        return;
    bool any = false;
    fc_visit(fn->body, mentions, &any);
    if (!any)
        return;
    run_owner(fn, sink, o, NULL);
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

/* Is variable `var` tested for NULL anywhere in the body (`!b`, `b ==
 * NULL`, `if (b)`)?  A borrow whose result is tested is a try-borrow: the
 * program expects a refusal (a violation handler that returns). */
struct nulltest {
    CXCursor var;
    CXCursor call;
    bool bound, tested;
};

static bool names(CXCursor e, CXCursor var)
{
    CXCursor d = fc_decl_ref(fc_strip(e));
    return !clang_Cursor_isNull(d) && clang_equalCursors(d, var);
}

static enum CXChildVisitResult bound_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct nulltest *t = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_VarDecl) {
        CXCursor init = fc_var_init(c);
        if (!clang_Cursor_isNull(init) && fc_ast_same(fc_strip(init), fc_strip(t->call))) {
            t->var = c;
            t->bound = true;
            return CXChildVisit_Break;
        }
    } else if (k == CXCursor_BinaryOperator) {
        CXCursor kk[2];
        if (fc_children(c, kk, 2) == 2 && fc_binop(NULL, c) == FC_OP_ASSIGN &&
            fc_ast_same(fc_strip(kk[1]), fc_strip(t->call))) {
            CXCursor d = fc_decl_ref(fc_strip(kk[0]));
            if (!clang_Cursor_isNull(d)) {
                t->var = d;
                t->bound = true;
                return CXChildVisit_Break;
            }
        }
    }
    return CXChildVisit_Recurse;
}

static enum CXChildVisitResult test_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct nulltest *t = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    CXCursor kk[2];
    if (k == CXCursor_UnaryOperator && fc_unop(NULL, c) == FC_OP_LNOT && fc_children(c, kk, 1) == 1 &&
        names(kk[0], t->var))
        t->tested = true;
    else if (k == CXCursor_BinaryOperator && fc_children(c, kk, 2) == 2 &&
             (fc_binop(NULL, c) == FC_OP_EQ || fc_binop(NULL, c) == FC_OP_NE) &&
             (names(kk[0], t->var) || names(kk[1], t->var)))
        t->tested = true;
    else if ((k == CXCursor_IfStmt || k == CXCursor_WhileStmt || k == CXCursor_ConditionalOperator) &&
             fc_children(c, kk, 1) == 1 && names(kk[0], t->var))
        t->tested = true;
    return t->tested ? CXChildVisit_Break : CXChildVisit_Recurse;
}

/* How callee d borrows the handle it gets as (by-value) argument i: bit 0
 * shared, bit 1 exclusive; directly, or through the functions it hands the
 * handle to (their definitions here, or their summaries).  A borrow whose
 * result the function tests for NULL is a try-borrow and does not count. */
struct bscan {
    CXCursor def, param;
    unsigned bits;
    int depth;
    const fc_summaries *sums;
};

static bool tested_for_null(CXCursor body, CXCursor call)
{
    struct nulltest t = {clang_getNullCursor(), call, false, false};
    fc_visit(body, bound_visit, &t);
    if (t.bound)
        fc_visit(body, test_visit, &t);
    return t.tested;
}

static enum CXChildVisitResult bscan_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct bscan *b = data;
    if (clang_getCursorKind(c) != CXCursor_CallExpr)
        return CXChildVisit_Recurse;
    const char *n = fc_callee_name(c);
    int na = fc_call_nargs(c);
    if (!n || na < 1)
        return CXChildVisit_Recurse;
    unsigned kind = borrow_call(n);
    if (kind) {
        if (refers_to(fc_call_arg(c, 0), b->param) && !tested_for_null(b->def, c))
            b->bits |= kind;
        return CXChildVisit_Recurse;
    }
    if (!strncmp(n, "fr_", 3) || ends_with(n, "_release") || ends_with(n, "_drop") || ends_with(n, "_move") ||
        ends_with(n, "_is_live") || ends_with(n, "_handle"))
        return CXChildVisit_Recurse;
    for (int j = 0; j < na; j++) {
        CXCursor a = fc_strip(fc_call_arg(c, (unsigned)j));
        if (clang_getCursorKind(a) == CXCursor_UnaryOperator || !refers_to(a, b->param))
            continue;
        b->bits |= callee_borrows(b->sums, fc_callee_decl(c), (unsigned)j, b->depth + 1);
    }
    return CXChildVisit_Recurse;
}

static uint8_t ret_borrow(CXCursor def);
static uint32_t region_ends(CXCursor def);

/* The callee's summary when it has handle facts (h_known). */
static bool handle_summary_of(const fc_summaries *sums, CXCursor d, fc_summary *sm)
{
    CXString usr = clang_getCursorUSR(d);
    bool have = fc_summary_lookup(sums, clang_getCString(usr), sm) && sm->h_known;
    clang_disposeString(usr);
    return have;
}

/* What the caller holds or has lost after a call (on_call): the borrow an
 * accessor returns (h_ret_borrow) and the region parameters it destroys
 * (h_region_ends), from the callee's summary, else from its definition in
 * this unit. */
static void callee_after_facts(const fc_summaries *sums, CXCursor d, unsigned *rb, uint32_t *re)
{
    *rb = 0;
    *re = 0;
    if (clang_Cursor_isNull(d))
        return;
    bool ptr = clang_getCanonicalType(clang_getResultType(clang_getCursorType(d))).kind == CXType_Pointer;
    fc_summary sm;
    if (handle_summary_of(sums, d, &sm)) {
        *rb = ptr ? sm.h_ret_borrow : 0;
        *re = sm.h_region_ends;
        return;
    }
    CXCursor def = clang_getCursorDefinition(d);
    if (clang_Cursor_isNull(def))
        return;
    *rb = ptr ? ret_borrow(def) : 0;
    *re = region_ends(def);
}

static unsigned callee_borrows(const fc_summaries *sums, CXCursor d, unsigned i, int depth)
{
    if (clang_Cursor_isNull(d) || depth > 4 || i >= FC_SUM_MAX_PARAMS)
        return 0;
    unsigned an = fc_annot_param(d, i);
    if (an & FC_ANNOT_BORROWS_MUT)
        return 2;
    if (an & FC_ANNOT_BORROWS)
        return 1;
    /* its summary when there is one (computed once), else its body */
    fc_summary sm;
    if (handle_summary_of(sums, d, &sm))
        return ((sm.h_borrows >> i) & 1) | (((sm.h_borrows_mut >> i) & 1) << 1);
    CXCursor def = clang_getCursorDefinition(d);
    if (clang_Cursor_isNull(def) || (int)i >= clang_Cursor_getNumArguments(def))
        return 0;
    struct bscan b = {def, clang_Cursor_getArgument(def, i), 0, depth, sums};
    fc_visit(def, bscan_visit, &b);
    return b.bits;
}

/* An accessor: every return of def gives back a borrow of the same
 * by-value handle parameter, taken by fr_borrow/fr_borrow_mut (or a typed
 * name_borrow/_borrow_mut) in the return itself, and def releases nothing:
 * the caller holds that borrow afterwards (QA5 S26).  FC_RET_BORROW_MUT
 * when it is exclusive; 0 when def is anything else. */
struct rb_scan {
    CXCursor def;
    int param;      /* -1 none yet, -2 disagreement */
    bool mut, other;
};

static int handle_param_of(CXCursor def, CXCursor arg)
{
    CXCursor d = fc_decl_ref(fc_strip(arg));
    int np = clang_Cursor_getNumArguments(def);
    for (int i = 0; i < np && i < 31; i++)
        if (!clang_Cursor_isNull(d) && clang_equalCursors(d, clang_Cursor_getArgument(def, (unsigned)i)) &&
            is_handle_type(clang_getCursorType(d)) &&
            clang_getCanonicalType(clang_getCursorType(d)).kind != CXType_Pointer)
            return i;
    return -1;
}

static enum CXChildVisitResult rb_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct rb_scan *r = data;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_CallExpr) {
        const char *n = fc_callee_name(c);
        if (n && (!strcmp(n, "fr_release") || ends_with(n, "_release")))
            r->other = true;
        return CXChildVisit_Recurse;
    }
    if (k != CXCursor_ReturnStmt)
        return CXChildVisit_Recurse;
    CXCursor v[1];
    if (fc_children(c, v, 1) != 1) {
        r->other = true;
        return CXChildVisit_Continue;
    }
    CXCursor call = fc_strip(v[0]);
    const char *n = clang_getCursorKind(call) == CXCursor_CallExpr ? fc_callee_name(call) : NULL;
    unsigned kind = borrow_call(n);
    bool mut = kind == 2;
    int p = kind && fc_call_nargs(call) >= 1 ? handle_param_of(r->def, fc_call_arg(call, 0)) : -1;
    if (p < 0 || (r->param >= 0 && (r->param != p || r->mut != mut)))
        r->other = true;
    r->param = p;
    r->mut = mut;
    return CXChildVisit_Continue;
}

/* Which region parameters def destroys on every path: a statement of the
 * body itself (not nested in a branch or loop) that is
 * fr_region_destroy(param). */
struct re_scan {
    CXCursor def;
    uint32_t bits;
};

static enum CXChildVisitResult re_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    struct re_scan *r = data;
    CXCursor call = fc_strip(c);
    if (clang_getCursorKind(call) != CXCursor_CallExpr || fc_call_nargs(call) != 1)
        return CXChildVisit_Continue;
    const char *n = fc_callee_name(call);
    if (!n || strcmp(n, "fr_region_destroy") != 0 || !from_ferrum_header(fc_callee_decl(call)))
        return CXChildVisit_Continue;
    CXCursor d = fc_decl_ref(fc_strip(fc_call_arg(call, 0)));
    int np = clang_Cursor_getNumArguments(r->def);
    for (int i = 0; i < np && i < 32; i++)
        if (!clang_Cursor_isNull(d) && clang_equalCursors(d, clang_Cursor_getArgument(r->def, (unsigned)i)))
            r->bits |= 1u << i;
    return CXChildVisit_Continue;
}

static enum CXChildVisitResult body_of_visit(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_CompoundStmt) {
        *(CXCursor *)data = c;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Continue;
}

static uint32_t region_ends(CXCursor def)
{
    CXCursor body = clang_getNullCursor();
    clang_visitChildren(def, body_of_visit, &body);   /* the definition's CompoundStmt */
    if (clang_Cursor_isNull(body))
        return 0;
    struct re_scan r = {def, 0};
    clang_visitChildren(body, re_visit, &r);
    return r.bits;
}

static uint8_t ret_borrow(CXCursor def)
{
    if (clang_getCanonicalType(clang_getResultType(clang_getCursorType(def))).kind != CXType_Pointer)
        return 0;
    struct rb_scan r = {def, -1, false, false};
    fc_visit(def, rb_visit, &r);
    if (r.other || r.param < 0)
        return 0;
    return (uint8_t)((r.param + 1) | (r.mut ? FC_RET_BORROW_MUT : 0));
}

/* The handle facts of a function's summary: which handle parameters it
 * drops or consumes, and which two it borrows at once (from a flow run
 * over its body in summary mode). */
static void handle_summary(CXCursor c, struct fc_summary *s)
{
    CXCursor def = clang_getCursorDefinition(c);
    if (clang_Cursor_isNull(def))
        return;
    s->h_known = true;
    s->h_drops = s->h_consumes = s->h_escapes = 0;
    s->h_conflict_a = s->h_conflict_b = s->h_conflict_mut = 0;
    s->h_borrows = s->h_borrows_mut = 0;
    s->h_ret_borrow = ret_borrow(def);
    s->h_region_ends = region_ends(def);
    int np = clang_Cursor_getNumArguments(def);
    unsigned by_value = 0;
    for (int i = 0; i < np && i < FC_SUM_MAX_PARAMS; i++) {
        CXType pt = clang_getCursorType(clang_Cursor_getArgument(def, (unsigned)i));
        if (!is_handle_type(pt))
            continue;
        if (clang_getCanonicalType(pt).kind != CXType_Pointer)
            by_value++;
        enum effect ef = callee_effect(NULL, def, (unsigned)i);
        if (ef == EF_DROPS)
            s->h_drops |= 1u << i;
        else if (ef == EF_CONSUMES)
            s->h_consumes |= 1u << i;
        else if (ef == EF_UNKNOWN || ef == EF_COPIES)
            s->h_escapes |= 1u << i;
        if (clang_getCanonicalType(pt).kind != CXType_Pointer) {
            unsigned b = callee_borrows(NULL, def, (unsigned)i, 0);
            if (b & 1)
                s->h_borrows |= 1u << i;
            if (b & 2)
                s->h_borrows_mut |= 1u << i;
        }
    }
    if (by_value < 2)
        return;
    fc_func *fn = fc_func_build(clang_Cursor_getTranslationUnit(def), def, 20000);
    if (!fn)
        return;
    if (fn->cfg && !fn->cfg->truncated && fn->nvars) {
        struct summ sm;
        memset(&sm, 0, sizeof sm);
        run_owner(fn, NULL, NULL, &sm);
        if (sm.a) {
            struct nulltest t = {clang_getNullCursor(), sm.second, false, false};
            fc_visit(fn->body, bound_visit, &t);
            if (t.bound)
                fc_visit(fn->body, test_visit, &t);
            if (!t.tested) {
                s->h_conflict_a = sm.a;
                s->h_conflict_b = sm.b;
                s->h_conflict_mut = sm.mut;
            }
        }
    }
    fc_func_free(fn);
}

void fc_annot_apply(CXCursor c, struct fc_summary *s)
{
    if (!unit_may_use_handles(clang_Cursor_getTranslationUnit(c), false)) {
        /* No annotation can be there, no parameter is a handle: what
         * handle_summary() would find (it asks about the definition). */
        if (!clang_Cursor_isNull(clang_getCursorDefinition(c))) {
            s->h_known = true;
            s->h_drops = s->h_consumes = s->h_escapes = 0;
            s->h_conflict_a = s->h_conflict_b = s->h_conflict_mut = 0;
            s->h_borrows = s->h_borrows_mut = 0;
            s->h_ret_borrow = 0;
            s->h_region_ends = 0;
        }
        return;
    }
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
    handle_summary(c, s);
}

/* Every function declared with annotations gets the summary they state
 * (FR_TAKES: the callee frees/keeps the pointer; FR_BORROWS: it only reads
 * it; FR_RETURNS_OWNED: the caller must free the result). */
static void annot_summaries(CXTranslationUnit tu, struct fc_summaries *sums, const struct fc_options *o)
{
    (void)o;
    if (!unit_may_use_handles(tu, true))
        return; /* no annotation, no fr_ function: nothing to state */
    fc_visit(clang_getTranslationUnitCursor(tu), annot_fn_visit, sums);
}

/* ---- --explain (checks.h) ---- */

static const fc_explain explain_rows[] = {
    {"use-after-move", "a handle or pointer used after its ownership moved",
      "A handle is borrowed, moved, released or passed on after fr_move(&h) gave its\n"
      "object to a new owner, dropped after a copy of it went to a function that\n"
      "keeps it, or a pointer is used after it was passed to a parameter marked\n"
      "FR_TAKES (<ferrum/annotate.h>).  This is rustc's E0382.  fr_drop(&h) after\n"
      "fr_move(&h) is not reported: the handle's drop flag makes it a no-op, at run\n"
      "time too (a drop function may drop every field, moved out or not).\n"
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
      "where the value moved.  Handles are followed in variables, in struct fields\n"
      "and array elements with a constant index (s->h, pair.a, hs[1]), as\n"
      "parameters and as values returned by calls; a handle passed by value to a\n"
      "function that drops or moves it (in this file or, through its summary,\n"
      "another) is moved from too.\n"},
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
      "where the first borrow was taken.\n"
      "\n"
      "A call is a conflict too when the function borrows the handle it is given\n"
      "while the caller holds a conflicting borrow of it, and when a function that\n"
      "holds borrows of two of its handle parameters at once (one exclusive) is\n"
      "given the same handle for both, also when that is so on one path only\n"
      "(`to = c ? y : x; transfer(x, to)`).\n"
      "A function that tests the second borrow for NULL (a violation handler that\n"
      "returns: try_borrow_mut) is not reported.\n"},
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
      "borrow was taken and where it ended.\n"
      "\n"
      "Also reported: fr_drop of a handle whose borrow was never released, on every\n"
      "path (\"cannot drop value because it is borrowed\"). A borrow lasts until\n"
      "fr_release, not until its pointer's last use as in Rust: the runtime refuses\n"
      "that drop (drop-while-borrowed), and the analyzer reports it at the drop.\n"
      "A borrow whose pointer was tested NULL was refused and holds nothing.\n"
      "FR_WITH_BORROW blocks release at their closing brace (or at a return that\n"
      "leaves them): a pointer copied out of the block, or returned from it,\n"
      "dangles after it. Comparing a pointer, testing it for NULL or printing it\n"
      "with %p reads nothing through it and is not reported.\n"},
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

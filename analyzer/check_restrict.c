/*
 * analyzer/check_restrict.c — `restrict-overlap`: the same object, or
 * overlapping ranges, passed to two restrict-qualified parameters.
 *
 * What: a call such as memcpy(buf + 1, buf, 8), strcpy(s, s + 1),
 * sprintf(buf, "%s!", buf) or f(x, x) with `void f(int *restrict, int *restrict)`
 * breaks the promise `restrict` makes to the optimizer (C11 6.7.3.1): the
 * callee may be compiled to read before it writes, vectorize, or reorder,
 * and the result is undefined.
 *
 * How: an AST pass over every call in user code.  Each pointer argument is
 * reduced to an abstract address: a base (a named object, or the unknown
 * target of a named pointer) plus a byte offset when it is a compile-time
 * constant (&a[2], p + 3, &s.field).  Two arguments overlap when they have
 * the same base and
 *   - for size-bounded copies (memcpy, mempcpy, memccpy, strncpy, and the
 *     _chk forms): the constant offsets are closer than the copied size, or
 *     equal when the size is not constant;
 *   - for string copies (strcpy, stpcpy, strcat, strncat): constant offsets
 *     are known and closer than the room the arrays they point into leave
 *     (the "shift a string left with strcpy" idiom is found; two member
 *     arrays of one struct, two rows of a 2-D array, or a copy into the
 *     second half of an array from its first are not: a string longer than
 *     that room would overflow its array first);
 *   - for sprintf/snprintf/vsprintf/vsnprintf: the destination is the format,
 *     or an argument printed with %s that the output can reach by the same
 *     rule (snprintf's constant size bounds the output too);
 *   - for any other function with two restrict parameters, at least one of
 *     them pointing to non-const: the very same address.
 * A local pointer initialised once and never assigned again nor its address
 * taken stands for its initializer (`char *p = buf + 1; memcpy(p, buf, 8)`).
 * Anything not provable (a computed offset, two different pointers) is left
 * alone: a false alarm is worse than a miss.
 *
 * Why an AST pass, not a dataflow: the facts are local to one call's
 * arguments, and the names in the message are the ones the user wrote.
 */
#include "check_restrict.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_ast.h"
#include "checks.h"
#include "dataflow.h"
#include "ir.h"
#include "options.h"
#include "util.h"
#include "walk.h"

#define CHECK "restrict-overlap"

/* ---- Abstract addresses ---- */

struct addr {
    char base[512];      /* "" = unknown */
    bool off_known;
    long long off;       /* bytes from the base */
};
typedef struct addr addr;

static void addr_unknown(addr *a)
{
    a->base[0] = 0;
    a->off_known = false;
    a->off = 0;
}

static void decl_key(CXCursor d, char *buf, size_t n)
{
    const char *u = fc_decl_usr(d);   /* kept per Decl for the unit (ir.c) */
    if (u && *u) {
        size_t len = strlen(u);
        if (len >= n)
            len = n - 1;
        memcpy(buf, u, len);
        buf[len] = 0;
    } else {
        /* Unnamed in USR terms: fall back on the declaration's position. */
        CXFile f;
        unsigned off;
        clang_getSpellingLocation(clang_getCursorLocation(d), &f, NULL, NULL, &off);
        snprintf(buf, n, "@%p:%u", (void *)f, off);
    }
}

static long long pointee_size(CXType ptr)
{
    CXType t = clang_getPointeeType(clang_getCanonicalType(ptr));
    if (t.kind == CXType_Invalid) {
        /* arrays decay: element size */
        t = clang_getArrayElementType(clang_getCanonicalType(ptr));
    }
    if (t.kind == CXType_Void)
        return 1; /* GNU arithmetic on void * */
    long long s = clang_Type_getSizeOf(t);
    return s > 0 ? s : -1;
}

static void addr_value(CXCursor e, addr *a, int depth);

/* ---- Local pointers that keep their initial value ---- */

/* `char *p = buf + 1;` with p never assigned again nor its address taken:
 * p stands for its initializer (the function being checked; one thread
 * analyzes one function at a time). */
#define MAX_ALIASES 128

struct alias {
    CXCursor var, init;
    bool dead;
};

static __thread struct alias aliases[MAX_ALIASES];
static __thread unsigned naliases;

/* Places the function stores to (left sides of assignments, operands of
 * ++/--) and pointers it hands to calls: an alias whose initializer read
 * one of them no longer stands for it (see alias_kill_stale()). */
#define MAX_WRITES 512
static __thread CXCursor writes[MAX_WRITES];
static __thread unsigned nwrites;
static __thread bool writes_overflow;
static __thread CXCursor escapes[MAX_WRITES];
static __thread unsigned nescapes;

/* The addresses of writes[] and escapes[] as addr_lvalue / addr_value
 * give them, computed once per alias generation instead of once per read
 * of every alias initializer (they depend only on which aliases are
 * live: the generation changes when alias_kill_stale() kills one). */
static __thread addr *write_addr, *escape_addr;
static __thread unsigned *write_stamp, *escape_stamp;
static __thread unsigned addr_gen;

static void addr_cache_reset(void)
{
    if (++addr_gen == 0) { /* wrapped: forget every stamp */
        if (write_stamp)
            memset(write_stamp, 0, MAX_WRITES * sizeof *write_stamp);
        if (escape_stamp)
            memset(escape_stamp, 0, MAX_WRITES * sizeof *escape_stamp);
        addr_gen = 1;
    }
}

/* Calls of the function in the order the walk meets them (pre-order): the
 * one walk that collects aliases also finds the calls to check. */
static __thread CXCursor *calls;
static __thread unsigned ncalls, calls_cap;

static void note_call(CXCursor c)
{
    if (ncalls == calls_cap) {
        unsigned cap = calls_cap ? calls_cap * 2 : 256;
        CXCursor *n = realloc(calls, cap * sizeof *n);
        if (!n)
            return; /* out of memory: fewer calls checked, no crash */
        calls = n;
        calls_cap = cap;
    }
    calls[ncalls++] = c;
}

static void note_cursor(CXCursor *arr, unsigned *n, CXCursor c)
{
    if (*n < MAX_WRITES)
        arr[(*n)++] = c;
    else
        writes_overflow = true;
}

static struct alias *alias_of(CXCursor decl)
{
    for (unsigned i = 0; i < naliases; i++)
        if (!aliases[i].dead && clang_equalCursors(aliases[i].var, decl))
            return &aliases[i];
    return NULL;
}

static void alias_kill(CXCursor e)
{
    e = fc_ast_strip(e, false);
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return;
    CXCursor d = clang_getCursorReferenced(e);
    for (unsigned i = 0; i < naliases; i++)
        if (clang_equalCursors(aliases[i].var, d))
            aliases[i].dead = true;
}

static enum CXChildVisitResult alias_collect(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    (void)data;
    CXCursor kid[3];
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_VarDecl && naliases < MAX_ALIASES) {
        CXType t = clang_getCanonicalType(clang_getCursorType(c));
        /* the initializer is the last expression child (a declaration may
         * have more children than kid[] holds: attributes, type refs) */
        CXCursor init = fc_var_init(c);
        if (t.kind == CXType_Pointer && !clang_Cursor_isNull(init)) {
            aliases[naliases].var = c;
            aliases[naliases].init = init;
            aliases[naliases].dead = false;
            naliases++;
        }
    } else if (k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator) {
        char op[8];
        fc_ast_binop(c, op, sizeof op);
        size_t len = strlen(op);
        bool assign = k == CXCursor_CompoundAssignOperator ||
                      (len > 0 && op[len - 1] == '=' && strcmp(op, "==") != 0 && strcmp(op, "!=") != 0 &&
                       strcmp(op, "<=") != 0 && strcmp(op, ">=") != 0) ||
                      len == 0; /* unreadable operator: assume the worst */
        if (assign && fc_ast_children(c, kid, 3) == 2) {
            alias_kill(kid[0]);
            note_cursor(writes, &nwrites, kid[0]);
        }
    } else if (k == CXCursor_UnaryOperator) {
        char op[8];
        bool post;
        fc_ast_unop(c, op, sizeof op, &post);
        if ((strcmp(op, "&") == 0 || strcmp(op, "++") == 0 || strcmp(op, "--") == 0 || op[0] == 0) &&
            fc_ast_children(c, kid, 3) == 1) {
            alias_kill(kid[0]);
            if (strcmp(op, "&") != 0)
                note_cursor(writes, &nwrites, kid[0]);
        }
    } else if (k == CXCursor_CallExpr) {
        note_call(c);
        int n = clang_Cursor_getNumArguments(c);
        for (int i = 0; i < n; i++) {
            CXCursor a = fc_ast_strip(clang_Cursor_getArgument(c, (unsigned)i), true);
            CXType t = clang_getCanonicalType(clang_getCursorType(a));
            if (t.kind == CXType_Pointer && (clang_getCursorKind(a) == CXCursor_DeclRefExpr ||
                                             clang_getCursorKind(a) == CXCursor_UnaryOperator))
                note_cursor(escapes, &nescapes, a);
        }
    }
    return CXChildVisit_Recurse;
}

/* The address of an lvalue expression. */
static void addr_lvalue(CXCursor e, addr *a, int depth)
{
    addr_unknown(a);
    if (depth > 16)
        return;
    e = fc_ast_strip(e, false);
    CXCursor kid[3];
    switch (clang_getCursorKind(e)) {
    case CXCursor_DeclRefExpr: {
        CXCursor d = clang_getCursorReferenced(e);
        enum CXCursorKind k = clang_getCursorKind(d);
        if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
            return;
        decl_key(d, a->base, sizeof a->base);
        a->off_known = true;
        return;
    }
    case CXCursor_ArraySubscriptExpr: {
        if (fc_ast_children(e, kid, 3) != 2)
            return;
        addr_value(kid[0], a, depth + 1);
        long long idx, sz = clang_Type_getSizeOf(clang_getCursorType(e));
        if (a->base[0] && a->off_known && sz > 0 && fc_ast_const_int(kid[1], &idx))
            a->off += idx * sz;
        else
            a->off_known = false;
        return;
    }
    case CXCursor_MemberRefExpr: {
        if (fc_ast_children(e, kid, 3) != 1)
            return;
        CXType bt = clang_getCanonicalType(clang_getCursorType(kid[0]));
        if (bt.kind == CXType_Pointer)
            addr_value(kid[0], a, depth + 1);
        else
            addr_lvalue(kid[0], a, depth + 1);
        if (!a->base[0])
            return;
        CXCursor field = clang_getCursorReferenced(e);
        long long bits = clang_Cursor_getOffsetOfField(field);
        if (a->off_known && bits >= 0 && bits % 8 == 0 && !clang_Cursor_isBitField(field)) {
            a->off += bits / 8;
        } else if (a->off_known) {
            /* No byte offset: name the member so different members stay
             * apart.  (An unknown offset before it, `v[i].f`, stays
             * unknown: v[i].f and v[j].f are not the same address, QA5
             * S18.) */
            CXString s = clang_getCursorSpelling(field);
            size_t len = strlen(a->base);
            snprintf(a->base + len, sizeof a->base - len, ".%s", clang_getCString(s));
            clang_disposeString(s);
            a->off_known = true;
            a->off = 0;
        }
        return;
    }
    case CXCursor_UnaryOperator: {
        char op[8];
        bool post;
        fc_ast_unop(e, op, sizeof op, &post);
        if (!post && strcmp(op, "*") == 0 && fc_ast_children(e, kid, 3) == 1)
            addr_value(kid[0], a, depth + 1);
        return;
    }
    default:
        return;
    }
}

/* The address a pointer-valued expression holds. */
static void addr_value(CXCursor e, addr *a, int depth)
{
    addr_unknown(a);
    if (depth > 16)
        return;
    e = fc_ast_strip(e, true);
    CXType t = clang_getCanonicalType(clang_getCursorType(e));
    CXCursor kid[3];
    switch (clang_getCursorKind(e)) {
    case CXCursor_DeclRefExpr: {
        if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
            t.kind == CXType_VariableArray) {
            addr_lvalue(e, a, depth + 1); /* decay */
            return;
        }
        if (t.kind != CXType_Pointer)
            return;
        CXCursor d = clang_getCursorReferenced(e);
        enum CXCursorKind k = clang_getCursorKind(d);
        if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
            return;
        struct alias *al = k == CXCursor_VarDecl ? alias_of(d) : NULL;
        if (al) {
            addr_value(al->init, a, depth + 1);
            if (a->base[0])
                return;
        }
        a->base[0] = '*';
        decl_key(d, a->base + 1, sizeof a->base - 1);
        a->off_known = true;
        return;
    }
    case CXCursor_ArraySubscriptExpr:
    case CXCursor_MemberRefExpr:
        if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
            addr_lvalue(e, a, depth + 1); /* an array member or row decays */
        else if (t.kind == CXType_Pointer && clang_getCursorKind(e) == CXCursor_MemberRefExpr) {
            /* A pointer stored in a member: its target is named by the member's place. */
            addr place;
            addr_lvalue(e, &place, depth + 1);
            if (place.base[0] && place.off_known) {
                snprintf(a->base, sizeof a->base, "*%.480s+%lld", place.base, place.off);
                a->off_known = true;
            }
        }
        return;
    case CXCursor_UnaryOperator: {
        char op[8];
        bool post;
        fc_ast_unop(e, op, sizeof op, &post);
        if (!post && strcmp(op, "&") == 0 && fc_ast_children(e, kid, 3) == 1)
            addr_lvalue(kid[0], a, depth + 1);
        return;
    }
    case CXCursor_BinaryOperator: {
        char op[8];
        fc_ast_binop(e, op, sizeof op);
        if ((strcmp(op, "+") != 0 && strcmp(op, "-") != 0) || fc_ast_children(e, kid, 3) != 2)
            return;
        CXType lt = clang_getCanonicalType(clang_getCursorType(fc_ast_strip(kid[0], false)));
        bool lptr = lt.kind == CXType_Pointer || lt.kind == CXType_ConstantArray ||
                    lt.kind == CXType_IncompleteArray;
        CXCursor p = lptr ? kid[0] : kid[1], n = lptr ? kid[1] : kid[0];
        if (!lptr && op[0] == '-')
            return; /* integer - pointer is not a pointer */
        CXType pt = clang_getCursorType(fc_ast_strip(p, false));
        CXType ptc = clang_getCanonicalType(pt);
        if (ptc.kind != CXType_Pointer && ptc.kind != CXType_ConstantArray &&
            ptc.kind != CXType_IncompleteArray)
            return; /* pointer - pointer, or integers */
        addr_value(p, a, depth + 1);
        long long v, sz = pointee_size(pt);
        if (a->base[0] && a->off_known && sz > 0 && fc_ast_const_int(n, &v))
            a->off += (op[0] == '-' ? -v : v) * sz;
        else
            a->off_known = false;
        return;
    }
    default:
        return;
    }
}

/* ---- Room: how far a pointer is from the end of its array ---- */

/* Is `field` the last member of a struct?  A trailing array is the
 * flexible-member idiom (`char data[1]` in a block allocated larger, and
 * GCC's default treats any trailing array so): its declared size bounds
 * nothing when the struct may be allocated larger (open_member()). */
struct last_field {
    CXCursor last;
};

static enum CXVisitorResult last_field_visit(CXCursor c, CXClientData d)
{
    ((struct last_field *)d)->last = c;
    return CXVisit_Continue;
}

static bool trailing_member(CXCursor field)
{
    CXCursor rec = clang_getCursorSemanticParent(field);
    if (clang_getCursorKind(rec) == CXCursor_UnionDecl)
        return false;
    if (clang_getCursorKind(rec) != CXCursor_StructDecl)
        return true; /* unknown shape: assume the worst */
    struct last_field lf = {clang_getNullCursor()};
    clang_Type_visitFields(clang_getCursorType(rec), last_field_visit, &lf);
    return clang_Cursor_isNull(lf.last) || clang_equalCursors(lf.last, field);
}

/* May the member `x` (B.f or B->f) run past its declared size?  Only a
 * trailing member of a struct that may itself be allocated larger: one
 * reached through a pointer (p->f, (*p).f, p[i].f), or the trailing
 * member of such a struct.  A declared struct, or an element of a
 * declared array of structs, has the size its type gives. */
static bool open_member(CXCursor x, int depth)
{
    CXCursor field = clang_getCursorReferenced(x), kid[3];
    if (clang_Cursor_isNull(field) || depth > 16)
        return true;
    if (!trailing_member(field))
        return false;
    if (fc_ast_children(x, kid, 3) != 1)
        return true;
    CXCursor b = fc_ast_strip(kid[0], false);
    if (clang_getCanonicalType(clang_getCursorType(b)).kind == CXType_Pointer)
        return true; /* p->f */
    switch (clang_getCursorKind(b)) {
    case CXCursor_DeclRefExpr:
        return false;
    case CXCursor_MemberRefExpr:
        return open_member(b, depth + 1);
    case CXCursor_ArraySubscriptExpr: {
        if (fc_ast_children(b, kid, 3) != 2)
            return true;
        CXType at = clang_getCanonicalType(clang_getCursorType(fc_ast_strip(kid[0], false)));
        return at.kind != CXType_ConstantArray;
    }
    default:
        return true; /* (*p).f, a call's result, ... */
    }
}

/* The size of the array object an lvalue of array type names (a declared
 * array, a member array, a row of a 2-D array), or -1. */
static long long array_room(CXCursor x)
{
    CXType t = clang_getCanonicalType(clang_getCursorType(x));
    if (t.kind != CXType_ConstantArray)
        return -1;
    enum CXCursorKind k = clang_getCursorKind(x);
    if (k == CXCursor_MemberRefExpr) {
        if (open_member(x, 0))
            return -1;
    } else if (k == CXCursor_DeclRefExpr) {
        enum CXCursorKind dk = clang_getCursorKind(clang_getCursorReferenced(x));
        if (dk != CXCursor_VarDecl)
            return -1;
    } else if (k != CXCursor_ArraySubscriptExpr) {
        return -1;
    }
    long long s = clang_Type_getSizeOf(t);
    return s > 0 ? s : -1;
}

/* The bytes from the address a pointer-valued expression holds to the end
 * of the innermost array object it points into (`dp->curr` 256, `buf + 256`
 * in `char buf[512]` 256, `m[1]` in `char m[2][32]` 32), or -1 when no
 * declared array bounds it (a plain pointer, a trailing member).  A string
 * read there ends inside that array, and a string written there must fit
 * in it: a copy longer than that is an overflow, a bug of another kind. */
static long long room_of(CXCursor e, int depth)
{
    if (depth > 16)
        return -1;
    e = fc_ast_strip(e, true);
    CXType t = clang_getCanonicalType(clang_getCursorType(e));
    CXCursor kid[3];
    switch (clang_getCursorKind(e)) {
    case CXCursor_DeclRefExpr: {
        if (t.kind == CXType_ConstantArray)
            return array_room(e);
        if (t.kind != CXType_Pointer)
            return -1;
        CXCursor d = clang_getCursorReferenced(e);
        struct alias *al = clang_getCursorKind(d) == CXCursor_VarDecl ? alias_of(d) : NULL;
        return al ? room_of(al->init, depth + 1) : -1;
    }
    case CXCursor_ArraySubscriptExpr:
    case CXCursor_MemberRefExpr:
        return array_room(e); /* an array member or a row decays */
    case CXCursor_UnaryOperator: {
        char op[8];
        bool post;
        fc_ast_unop(e, op, sizeof op, &post);
        if (post || strcmp(op, "&") != 0 || fc_ast_children(e, kid, 3) != 1)
            return -1;
        CXCursor x = fc_ast_strip(kid[0], false);
        CXType xt = clang_getCanonicalType(clang_getCursorType(x));
        if (xt.kind == CXType_ConstantArray)
            return array_room(x); /* &array: the whole array */
        if (clang_getCursorKind(x) != CXCursor_ArraySubscriptExpr || fc_ast_children(x, kid, 3) != 2)
            return -1;
        /* &A[i] with A an array: the rest of A */
        CXCursor arr = fc_ast_strip(kid[0], false);
        long long r = array_room(arr), i, sz = clang_Type_getSizeOf(xt);
        if (r < 0 || sz <= 0 || !fc_ast_const_int(kid[1], &i))
            return -1;
        r -= i * sz;
        return r > 0 ? r : -1;
    }
    case CXCursor_BinaryOperator: {
        char op[8];
        fc_ast_binop(e, op, sizeof op);
        if ((strcmp(op, "+") != 0 && strcmp(op, "-") != 0) || fc_ast_children(e, kid, 3) != 2)
            return -1;
        CXType lt = clang_getCanonicalType(clang_getCursorType(fc_ast_strip(kid[0], false)));
        bool lptr = lt.kind == CXType_Pointer || lt.kind == CXType_ConstantArray ||
                    lt.kind == CXType_IncompleteArray;
        if (!lptr && op[0] == '-')
            return -1;
        CXCursor p = lptr ? kid[0] : kid[1], n = lptr ? kid[1] : kid[0];
        long long r = room_of(p, depth + 1), v, sz = pointee_size(clang_getCursorType(fc_ast_strip(p, false)));
        if (r < 0 || sz <= 0 || !fc_ast_const_int(n, &v))
            return -1;
        r -= (op[0] == '-' ? -v : v) * sz;
        return r > 0 ? r : -1;
    }
    default:
        return -1;
    }
}

/* The smaller of two rooms, -1 (unknown) counting as unbounded. */
static long long room_min(long long a, long long b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

/* ---- Aliases made stale by a store or a call ---- */

static void addr_lvalue(CXCursor e, addr *a, int depth);

/* Does the place `r` (read by an alias's initializer) fall under the place
 * `w` (written, or reachable through a pointer handed to a call)?  Same
 * base and offset, or an unknown offset on either side, or an unknown
 * written place while `r` lies in memory reached through a pointer. */
static bool place_hit(const addr *w, const addr *r, bool reachable)
{
    if (!r->base[0])
        return false;
    if (!w->base[0])
        return r->base[0] == '*';
    if (reachable)
        return strstr(r->base, w->base) != NULL;
    if (strcmp(w->base, r->base) != 0)
        return false;
    return !w->off_known || !r->off_known || w->off == r->off;
}

/* Walk an initializer; every lvalue it reads (not one it only takes the
 * address of, nor an array that decays) is checked against the stores and
 * escaping pointers of the function. */
static bool reads_stale(CXCursor e, bool addr_only, int depth)
{
    if (depth > 32)
        return true;
    e = fc_ast_strip(e, false);
    enum CXCursorKind k = clang_getCursorKind(e);
    CXType t = clang_getCanonicalType(clang_getCursorType(e));
    bool lv = k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr || k == CXCursor_ArraySubscriptExpr;
    char op[8] = "";
    bool post = false;
    if (k == CXCursor_UnaryOperator) {
        fc_ast_unop(e, op, sizeof op, &post);
        lv = !post && strcmp(op, "*") == 0;
    }
    bool scalar = t.kind != CXType_ConstantArray && t.kind != CXType_IncompleteArray &&
                  t.kind != CXType_VariableArray && t.kind != CXType_Record &&
                  t.kind != CXType_FunctionProto && t.kind != CXType_FunctionNoProto;
    if (lv && !addr_only && scalar) {
        if (k == CXCursor_DeclRefExpr) {
            enum CXCursorKind dk = clang_getCursorKind(clang_getCursorReferenced(e));
            if (dk != CXCursor_VarDecl && dk != CXCursor_ParmDecl)
                return false; /* enumerators, functions */
        }
        addr r;
        addr_lvalue(e, &r, 0);
        if (!r.base[0])
            return true; /* a read we cannot place: assume it may change */
        for (unsigned i = 0; i < nwrites; i++) {
            addr tmp, *w = &tmp;
            if (write_addr && write_stamp[i] == addr_gen) {
                w = &write_addr[i];
            } else if (write_addr) {
                addr_lvalue(writes[i], &write_addr[i], 0);
                write_stamp[i] = addr_gen;
                w = &write_addr[i];
            } else {
                addr_lvalue(writes[i], &tmp, 0);
            }
            if (place_hit(w, &r, false))
                return true;
        }
        for (unsigned i = 0; i < nescapes; i++) {
            addr tmp, *w = &tmp;
            if (escape_addr && escape_stamp[i] == addr_gen) {
                w = &escape_addr[i];
            } else if (escape_addr) {
                addr_value(escapes[i], &escape_addr[i], 0);
                escape_stamp[i] = addr_gen;
                w = &escape_addr[i];
            } else {
                addr_value(escapes[i], &tmp, 0);
            }
            if (w->base[0] && place_hit(w, &r, true))
                return true;
        }
    }
    if (k == CXCursor_CallExpr)
        return true; /* a value computed by a call: no fixed alias */
    CXCursor kid[4];
    unsigned n = fc_ast_children(e, kid, 4);
    if (n > 4)
        n = 4;
    bool child_addr = k == CXCursor_UnaryOperator && strcmp(op, "&") == 0;
    for (unsigned i = 0; i < n; i++)
        if (reads_stale(kid[i], child_addr, depth + 1))
            return true;
    return false;
}

/* `old = w->a; w->a = malloc(n); memcpy(w->a, old, n)`: old no longer
 * stands for w->a once w->a is stored to.  The pass is flow-insensitive
 * (any store in the function counts), which can only lose findings. */
static void alias_kill_stale(void)
{
    if (!write_addr) {
        write_addr = malloc(MAX_WRITES * sizeof *write_addr);
        escape_addr = malloc(MAX_WRITES * sizeof *escape_addr);
        write_stamp = calloc(MAX_WRITES, sizeof *write_stamp);
        escape_stamp = calloc(MAX_WRITES, sizeof *escape_stamp);
        if (!write_addr || !escape_addr || !write_stamp || !escape_stamp) {
            free(write_addr);
            free(escape_addr);
            free(write_stamp);
            free(escape_stamp);
            write_addr = escape_addr = NULL; /* compute every time */
            write_stamp = escape_stamp = NULL;
        }
    }
    addr_cache_reset();
    for (unsigned i = 0; i < naliases; i++) {
        if (aliases[i].dead)
            continue;
        if (writes_overflow || reads_stale(aliases[i].init, false, 0)) {
            aliases[i].dead = true;
            addr_cache_reset(); /* the addresses may name it */
        }
    }
}

/* ---- What each known function does with its restrict arguments ---- */

enum kind { K_MEM, K_STR, K_CAT, K_PRINTF, K_VPRINTF };

struct known {
    const char *name;
    enum kind kind;
    int dst, src;   /* argument indexes; for printf kinds: src = format */
    int size;       /* argument with the byte count (K_MEM) or the
                     * destination's size (snprintf), -1 none */
};

static const struct known known_fns[] = {
    {"memcpy", K_MEM, 0, 1, 2},        {"__builtin_memcpy", K_MEM, 0, 1, 2},
    {"__memcpy_chk", K_MEM, 0, 1, 2},  {"__builtin___memcpy_chk", K_MEM, 0, 1, 2},
    {"mempcpy", K_MEM, 0, 1, 2},       {"__mempcpy_chk", K_MEM, 0, 1, 2},
    {"memccpy", K_MEM, 0, 1, 3},       {"strncpy", K_MEM, 0, 1, 2},
    {"__builtin_strncpy", K_MEM, 0, 1, 2}, {"__strncpy_chk", K_MEM, 0, 1, 2},
    {"__builtin___strncpy_chk", K_MEM, 0, 1, 2},
    {"strcpy", K_STR, 0, 1, -1},       {"__builtin_strcpy", K_STR, 0, 1, -1},
    {"__strcpy_chk", K_STR, 0, 1, -1}, {"__builtin___strcpy_chk", K_STR, 0, 1, -1},
    {"stpcpy", K_STR, 0, 1, -1},       {"__stpcpy_chk", K_STR, 0, 1, -1},
    {"__builtin_stpcpy", K_STR, 0, 1, -1}, {"__builtin___stpcpy_chk", K_STR, 0, 1, -1},
    {"strcat", K_CAT, 0, 1, -1},       {"__builtin_strcat", K_CAT, 0, 1, -1},
    {"__strcat_chk", K_CAT, 0, 1, -1}, {"__builtin___strcat_chk", K_CAT, 0, 1, -1},
    {"strncat", K_CAT, 0, 1, -1},      {"__strncat_chk", K_CAT, 0, 1, -1},
    {"__builtin_strncat", K_CAT, 0, 1, -1}, {"__builtin___strncat_chk", K_CAT, 0, 1, -1},
    {"sprintf", K_PRINTF, 0, 1, -1},   {"__builtin_sprintf", K_PRINTF, 0, 1, -1},
    {"snprintf", K_PRINTF, 0, 2, 1},   {"__builtin_snprintf", K_PRINTF, 0, 2, 1},
    {"__sprintf_chk", K_PRINTF, 0, 3, -1}, {"__builtin___sprintf_chk", K_PRINTF, 0, 3, -1},
    {"__snprintf_chk", K_PRINTF, 0, 4, 1}, {"__builtin___snprintf_chk", K_PRINTF, 0, 4, 1},
    {"vsprintf", K_VPRINTF, 0, 1, -1}, {"vsnprintf", K_VPRINTF, 0, 2, 1},
};

static const struct known *known_fn(const char *name)
{
    for (size_t i = 0; i < sizeof known_fns / sizeof known_fns[0]; i++)
        if (strcmp(known_fns[i].name, name) == 0)
            return &known_fns[i];
    return NULL;
}

/* ---- Reporting ---- */

struct ctx {
    CXTranslationUnit tu;
    fc_diag_sink *sink;
};

static void report(struct ctx *cx, const char *fname, CXCursor a1, CXCursor a2, CXCursor param1,
                   CXCursor param2, const char *why)
{
    char t1[96], t2[96];
    /* the argument without its parentheses: `(d)` in a macro's body is
     * the macro call, `d` the argument written there */
    fc_ast_text(fc_ast_strip(a1, false), t1, sizeof t1);
    fc_ast_text(fc_ast_strip(a2, false), t2, sizeof t2);
    fc_finding *f = fc_finding_new(CHECK, fc_ast_loc(a2), "overlaps the other restrict argument",
                                   "overlapping objects passed to restrict parameters of '%s': "
                                   "'%s' and '%s' %s",
                                   fname, t1, t2, why);
    if (!f)
        return;
    fc_finding_note(f, fc_ast_loc(a1), "first restrict argument", "'%s' is passed here", t1);
    if (!clang_Cursor_isNull(param1) && !fc_ast_in_system(param1)) {
        CXString n1 = clang_getCursorSpelling(param1), n2 = clang_getCursorSpelling(param2);
        fc_finding_note(f, fc_ast_loc(param1), "declared restrict here",
                        "parameter '%s' of '%s' is declared restrict here", clang_getCString(n1),
                        fname);
        if (!clang_Cursor_isNull(param2))
            fc_finding_note(f, fc_ast_loc(param2), "declared restrict here",
                            "parameter '%s' of '%s' is declared restrict here",
                            clang_getCString(n2), fname);
        clang_disposeString(n1);
        clang_disposeString(n2);
    }
    fc_diag_emit(cx->sink, f);
}

/* ---- printf formats ---- */

/* Which variadic arguments (0-based after the format) are printed with %s.
 * Returns false when the format cannot be read. */
static bool format_strings(CXCursor fmt, bool *is_str, unsigned max, unsigned *count)
{
    fmt = fc_ast_strip(fmt, true);
    if (clang_getCursorKind(fmt) != CXCursor_StringLiteral)
        return false;
    CXString s = clang_getCursorSpelling(fmt); /* the literal with its quotes */
    const char *p = clang_getCString(s);
    unsigned n = 0;
    bool ok = p && *p == '"';
    for (p = ok ? p + 1 : ""; ok && *p && *p != '"'; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        /* %[argnum$] flags width .prec length conv */
        const char *q = p;
        while (*q >= '0' && *q <= '9')
            q++;
        if (*q == '$') {
            ok = false; /* positional arguments: not handled */
            break;
        }
        while (*p && strchr("-+ #0'", *p))
            p++;
        if (*p == '*') {
            if (n < max)
                is_str[n] = false;
            n++;
            p++;
        }
        while (*p >= '0' && *p <= '9')
            p++;
        if (*p == '.') {
            p++;
            if (*p == '*') {
                if (n < max)
                    is_str[n] = false;
                n++;
                p++;
            }
            while (*p >= '0' && *p <= '9')
                p++;
        }
        while (*p && strchr("hlLqjzt", *p))
            p++;
        if (!*p || *p == '"')
            break;
        if (n < max)
            is_str[n] = *p == 's';
        n++;
    }
    clang_disposeString(s);
    *count = n < max ? n : max;
    return ok;
}

/* ---- The pass ---- */

static bool same_place(const addr *a, const addr *b)
{
    return a->base[0] && b->base[0] && strcmp(a->base, b->base) == 0;
}

/* The same expression written twice, without side effects (`v[i].f` and
 * `v[i].f`): the same address even where the offset is unknown. */
static bool same_expr(CXCursor a, CXCursor b, int depth)
{
    a = fc_ast_strip(a, true);
    b = fc_ast_strip(b, true);
    enum CXCursorKind k = clang_getCursorKind(a);
    if (depth > 16 || k != clang_getCursorKind(b))
        return false;
    CXCursor ka[3], kb[3];
    unsigned n = fc_ast_children(a, ka, 3);
    if (n != fc_ast_children(b, kb, 3) || n > 2)
        return false;
    long long va, vb;
    char oa[8], ob[8];
    bool post;
    switch (k) {
    case CXCursor_DeclRefExpr:
        return clang_equalCursors(clang_getCursorReferenced(a), clang_getCursorReferenced(b));
    case CXCursor_IntegerLiteral:
        return fc_ast_const_int(a, &va) && fc_ast_const_int(b, &vb) && va == vb;
    case CXCursor_MemberRefExpr:
        if (!clang_equalCursors(clang_getCursorReferenced(a), clang_getCursorReferenced(b)))
            return false;
        break;
    case CXCursor_ArraySubscriptExpr:
        break;
    case CXCursor_BinaryOperator:
        fc_ast_binop(a, oa, sizeof oa);
        fc_ast_binop(b, ob, sizeof ob);
        if (!oa[0] || strcmp(oa, ob) ||
            (strchr(oa, '=') && strcmp(oa, "==") && strcmp(oa, "!=") && strcmp(oa, "<=") && strcmp(oa, ">=")))
            return false;   /* unreadable, different, or an assignment */
        break;
    case CXCursor_UnaryOperator:
        fc_ast_unop(a, oa, sizeof oa, &post);
        fc_ast_unop(b, ob, sizeof ob, &post);
        if (!oa[0] || strcmp(oa, ob) || !strcmp(oa, "++") || !strcmp(oa, "--"))
            return false;
        break;
    default:
        return false;
    }
    for (unsigned i = 0; i < n; i++)
        if (!same_expr(ka[i], kb[i], depth + 1))
            return false;
    return true;
}

static void check_known(struct ctx *cx, CXCursor call, const char *name, const struct known *k,
                        int nargs)
{
    if (k->dst >= nargs || k->src >= nargs)
        return;
    CXCursor dst = clang_Cursor_getArgument(call, (unsigned)k->dst);
    CXCursor src = clang_Cursor_getArgument(call, (unsigned)k->src);
    addr ad, as;
    addr_value(dst, &ad, 0);
    addr_value(src, &as, 0);
    CXCursor none = clang_getNullCursor();
    char why[128];

    if (k->kind == K_MEM) {
        if (!same_place(&ad, &as)) {
            if (same_expr(dst, src, 0))     /* memcpy(m[i][2].f, m[i][2].f, n) */
                report(cx, name, dst, src, none, none, "are the same address");
            return;
        }
        long long n = -1;
        bool nconst = k->size < nargs &&
                      fc_ast_const_int(clang_Cursor_getArgument(call, (unsigned)k->size), &n);
        if (nconst && n <= 0)
            return;
        if (ad.off_known && as.off_known) {
            long long d = ad.off > as.off ? ad.off - as.off : as.off - ad.off;
            if (d == 0)
                snprintf(why, sizeof why, "are the same address");
            else if (nconst && d < n)
                snprintf(why, sizeof why, "are %lld byte%s apart but %lld bytes are copied", d,
                         d == 1 ? "" : "s", n);
            else
                return;
            report(cx, name, dst, src, none, none, why);
        } else if (same_expr(dst, src, 0)) {
            report(cx, name, dst, src, none, none, "are the same address");
        }
        return;
    }
    if (k->kind == K_STR || k->kind == K_CAT) {
        if (same_expr(dst, src, 0)) {   /* strcpy(v[i].name, v[i].name) (QA6 T1) */
            report(cx, name, dst, src, none, none, "are the same string");
            return;
        }
        if (!same_place(&ad, &as) || !ad.off_known || !as.off_known)
            return;
        long long d = ad.off > as.off ? ad.off - as.off : as.off - ad.off;
        if (d != 0) {
            /* The copy writes and reads at most the room its arrays leave
             * (QA8 V1): strcpy(dp->best, dp->curr) with two char[256]
             * members 256 bytes apart, strcpy(buf + 256, buf) in
             * char buf[512], rows of a 2-D array.  strcpy / stpcpy write
             * the string at dst: they meet only if it is longer than d,
             * and it fits in both rooms.  strcat writes after dst's own
             * string: a source before the destination is met only if it
             * is longer than d (both rooms bound it); a source after it
             * is reached only if the destination's array extends to it. */
            long long rd = room_of(dst, 0), rs = room_of(src, 0);
            long long bound = k->kind == K_CAT && as.off > ad.off ? rd : room_min(rd, rs);
            if (bound >= 0 && d >= bound)
                return;
            snprintf(why, sizeof why, "point into the same array, %lld byte%s apart", d, d == 1 ? "" : "s");
        } else {
            snprintf(why, sizeof why, "are the same string");
        }
        report(cx, name, dst, src, none, none, why);
        return;
    }
    /* printf family: the destination against the format and each %s argument. */
    if ((same_place(&ad, &as) && ad.off_known && as.off_known && ad.off == as.off) || same_expr(dst, src, 0)) {
        report(cx, name, dst, src, none, none, "are the same buffer (the format is overwritten)");
        return;
    }
    if (k->kind != K_PRINTF)
        return;
    bool is_str[64];
    unsigned nconv = 0;
    if (!format_strings(src, is_str, 64, &nconv))
        return;
    long long dsize = -1; /* snprintf's size, when constant */
    if (k->size >= 0 && k->size < nargs &&
        !fc_ast_const_int(clang_Cursor_getArgument(call, (unsigned)k->size), &dsize))
        dsize = -1;
    for (unsigned i = 0; i < nconv && k->src + 1 + (int)i < nargs; i++) {
        if (!is_str[i])
            continue;
        CXCursor arg = clang_Cursor_getArgument(call, (unsigned)(k->src + 1 + (int)i));
        addr aa;
        addr_value(arg, &aa, 0);
        if (same_expr(dst, arg, 0)) {
            report(cx, name, dst, arg, none, none,
                   "overlap: the destination is also printed with %s");
            return;
        }
        if (!same_place(&ad, &aa) || !ad.off_known || !aa.off_known)
            continue;
        long long d = ad.off > aa.off ? ad.off - aa.off : aa.off - ad.off;
        if (d != 0) {
            /* Another member, another row, the other half of an array
             * (QA8 V10: snprintf(u->name, sizeof u->name, "%s", u->login)).
             * The output is at most the destination's room (and
             * snprintf's size); it contains the printed string, which
             * is at most the argument's room.  A string before the
             * destination is overwritten only if it is longer than d;
             * one after it only if the output reaches it. */
            long long rd = room_of(dst, 0), ra = room_of(arg, 0), bound;
            if (dsize > 0)
                rd = room_min(rd, dsize);
            bound = aa.off < ad.off ? room_min(rd, ra) : rd;
            if (bound >= 0 && d >= bound)
                continue;
        }
        report(cx, name, dst, arg, none, none, "overlap: the destination is also printed with %s");
        return;
    }
}

static bool points_to_const(CXType t)
{
    CXType p = clang_getPointeeType(clang_getCanonicalType(t));
    return p.kind != CXType_Invalid && clang_isConstQualifiedType(p);
}

/* Restrict parameters a library function never accesses through: it only
 * hands the pointer on (pthread_create's `void *restrict arg` goes to the
 * new thread), so nothing it does can overlap with them (QA8 V18: git's
 * `pthread_create(&w->thread, NULL, fn, w)`). */
static bool opaque_param(const char *name, int i)
{
    static const struct { const char *fn; int arg; } opaque[] = {
        {"pthread_create", 3},
    };
    for (size_t k = 0; k < sizeof opaque / sizeof opaque[0]; k++)
        if (opaque[k].arg == i && !strcmp(opaque[k].fn, name))
            return true;
    return false;
}

static void check_user(struct ctx *cx, CXCursor call, const char *name, CXCursor decl, int nargs)
{
    CXType ft = clang_getCursorType(decl);
    int np = clang_getNumArgTypes(ft);
    if (np < 2)
        return;
    int lim = np < nargs ? np : nargs;
    if (lim > 32)
        lim = 32;
    addr ad[32];
    bool have[32] = {false};
    for (int i = 0; i < lim; i++) {
        CXType at = clang_getArgType(ft, (unsigned)i);
        if (!clang_isRestrictQualifiedType(at) ||
            clang_getCanonicalType(at).kind != CXType_Pointer || opaque_param(name, i))
            continue;
        addr_value(clang_Cursor_getArgument(call, (unsigned)i), &ad[i], 0);
        have[i] = ad[i].base[0] != 0;
    }
    for (int j = 1; j < lim; j++) {
        if (!have[j])
            continue;
        for (int i = 0; i < j; i++) {
            if (!have[i] || !same_place(&ad[i], &ad[j]) || !ad[i].off_known ||
                !ad[j].off_known || ad[i].off != ad[j].off)
                continue;
            /* Two read-only restrict parameters may alias (C11 6.7.3.1p4). */
            if (points_to_const(clang_getArgType(ft, (unsigned)i)) &&
                points_to_const(clang_getArgType(ft, (unsigned)j)))
                continue;
            CXCursor def = clang_getCursorDefinition(decl);
            CXCursor pd = clang_Cursor_isNull(def) ? decl : def;
            report(cx, name, clang_Cursor_getArgument(call, (unsigned)i),
                   clang_Cursor_getArgument(call, (unsigned)j), clang_Cursor_getArgument(pd, (unsigned)i),
                   clang_Cursor_getArgument(pd, (unsigned)j), "are the same address");
            return;
        }
    }
}

static void check_call(struct ctx *cx, CXCursor c)
{
    char name[128];
    CXCursor decl;
    fc_ast_callee(c, name, sizeof name, &decl);
    int nargs = clang_Cursor_getNumArguments(c);
    if (name[0] && nargs >= 2) {
        const struct known *k = known_fn(name);
        if (k)
            check_known(cx, c, name, k, nargs);
        else
            check_user(cx, c, name, decl, nargs);
    }
}

/* A call check_call() could report: two or more arguments to a function
 * of the table (memcpy, strcpy, sprintf, ...) or to one with at least two
 * restrict-qualified pointer parameters among them (check_user). */
/* What candidate_call needs of a callee, kept per FunctionDecl for the
 * unit (a few hundred callees for tens of thousands of calls): whether it
 * is a table function, and which of its first 32 parameters are restrict
 * pointers.  Cleared at the start of every unit (fc_check_restrict). */
typedef struct callee_memo {
    const void *decl;
    bool known;
    int np;
    uint32_t restrict_mask;
} callee_memo;
enum { CALLEE_MEMO = 1024 };
static callee_memo *callee_memos;

static const callee_memo *callee_facts(CXCursor d)
{
    if (!callee_memos)
        callee_memos = fc_xcalloc(CALLEE_MEMO, sizeof *callee_memos);
    uintptr_t a = (uintptr_t)d.data[0];
    callee_memo *m = &callee_memos[((a >> 4) * 0x9E3779B97F4A7C15ull) >> 54];
    if (m->decl == d.data[0])
        return m;
    callee_memo v = { d.data[0], false, 0, 0 };
    const char *name = fc_decl_name(d);
    v.known = name && name[0] && known_fn(name);
    if (name && name[0] && !v.known) {
        CXType ft = clang_getCursorType(d);
        v.np = clang_getNumArgTypes(ft);
        for (int i = 0; i < v.np && i < 32; i++) {
            CXType at = clang_getArgType(ft, (unsigned)i);
            if (clang_isRestrictQualifiedType(at) && clang_getCanonicalType(at).kind == CXType_Pointer)
                v.restrict_mask |= (uint32_t)1 << i;
        }
    }
    *m = v;
    return m;
}

static bool candidate_call(CXCursor c, void *unused)
{
    (void)unused;
    if (c.kind != CXCursor_CallExpr)
        return false;
    int nargs = clang_Cursor_getNumArguments(c);
    if (nargs < 2)
        return false;
    CXCursor d = fc_referenced(c);
    if (clang_Cursor_isNull(d) || clang_getCursorKind(d) != CXCursor_FunctionDecl)
        return false;
    const callee_memo *m = callee_facts(d);
    if (m->known)
        return true;
    int lim = m->np < nargs ? m->np : nargs;
    uint32_t upto = lim >= 32 ? ~(uint32_t)0 : ((uint32_t)1 << lim) - 1;
    return __builtin_popcount(m->restrict_mask & upto) >= 2;
}

/* One walk of the function collects its aliases, stores and calls (calls
 * nested in arguments too); the calls are checked after the aliases made
 * stale anywhere in the function are known.  A function without a call
 * that could be reported (most of them) is skipped after a scan of its
 * recorded nodes (walk.h), which is about a tenth of the walk's cost. */
static void each_fn(CXCursor fn, void *d)
{
    if (fc_walk_any_of(fn, CXCursor_CallExpr, candidate_call, NULL) == 0)
        return;
    naliases = 0;
    nwrites = nescapes = 0;
    ncalls = 0;
    writes_overflow = false;
    fc_visit(fn, alias_collect, NULL);
    alias_kill_stale();
    for (unsigned i = 0; i < ncalls; i++)
        check_call(d, calls[i]);
}

void fc_check_restrict(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *opt)
{
    if (opt && !fc_check_enabled(opt, CHECK))
        return;
    struct ctx cx = {tu, sink};
    if (callee_memos)
        memset(callee_memos, 0, CALLEE_MEMO * sizeof *callee_memos);
    fc_ast_each_function(tu, each_fn, &cx);
}

/* ---- --explain (checks.h) ---- */

static const fc_explain explain_rows[] = {
    {"restrict-overlap", "overlapping objects passed to two restrict parameters",
      "Two arguments of one call point into the same object, and the parameters they\n"
      "go to are declared restrict (memcpy, strcpy, strcat, sprintf and snprintf's\n"
      "destination and format, and any function of yours with restrict parameters);\n"
      "or sprintf/snprintf print the destination buffer itself with %s.\n"
      "\n"
      "Why it matters: restrict is a promise to the optimizer that the two regions do\n"
      "not overlap (C11 6.7.3.1). memcpy copies in whatever order is fastest, a loop\n"
      "over restrict pointers is vectorized and its loads hoisted above its stores;\n"
      "with overlapping arguments the result is undefined and changes with the\n"
      "compiler, the optimization level and the libc.\n"
      "\n"
      "Wrong:\n"
      "    memcpy(buf + 1, buf, 8);          /* the ranges overlap by 7 bytes */\n"
      "    sprintf(buf, \"%s!\", buf);          /* reads buf while writing it */\n"
      "\n"
      "Right: memmove for overlapping copies; a separate buffer for printing:\n"
      "    memmove(buf + 1, buf, 8);\n"
      "    snprintf(tmp, sizeof tmp, \"%s!\", buf);\n"
      "\n"
      "ferrum reports only what it can prove from the call: the same object with\n"
      "constant offsets closer than the size copied (or the very same address).\n"
      "For strcpy, strcat and %s the size is bounded by the arrays the pointers\n"
      "point into: strcpy(d->best, d->curr) between two char[256] members, or\n"
      "strcpy(m[1], m[0]) between rows of char m[2][32], is not reported.\n"},
};

/* ---- Registration with the driver (checks.h) ---- */

static void reg(void) __attribute__((constructor));
static void reg(void)
{
    for (size_t i = 0; i < sizeof explain_rows / sizeof explain_rows[0]; i++)
        fc_register_explain(&explain_rows[i]);
    fc_register_tu_pass(CHECK, fc_check_restrict);
}

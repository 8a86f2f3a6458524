/*
 * analyzer/check_aliasing.c — `strict-aliasing`: an object read or written
 * through a pointer to an incompatible type.
 *
 * What: C11 6.5p7 lets an object be accessed only through an lvalue of its
 * own type (qualifiers aside), its signed/unsigned twin, a character type,
 * or an aggregate/union containing it.  Compilers rely on this (type-based
 * alias analysis): after `*(int *)&f = 0;` gcc and clang may keep `f` in a
 * register and never see the store.
 *
 * How: an AST pass over each function body.  An access is a dereference
 * `*P`, a subscript `P[i]`, where P is (after parentheses and implicit
 * conversions) an explicit cast to `T *` of the address of a declared
 * object: `&x`, `&s.f`, `&a[i]`, or an array that decays.  Through any chain
 * of casts (a `void *` round trip is fine: only the final access type and
 * the object's declared type matter) the access type T is compared with the
 * object's type U (arrays: their element type).  A local pointer initialised
 * with such a cast and never reassigned (`long *lp = (long *)d;`) carries the
 * same facts to its dereferences.
 *
 * Allowed, so silent: T a character type, or a type declared
 * __attribute__((may_alias)) (typedefs of it too: compilers give it alias
 * set 0, like char; the attribute is read from the typedef's tokens, as
 * libclang 14 does not expose it, and a macro of the typedef that a
 * `#define` of its file gives may_alias in a branch clang's parse skips
 * counts, see typedef_text_may_alias()); the same type; signed/unsigned
 * twins; enums against integers of the same size; pointer against pointer;
 * any struct or union on either side (the aggregate rule, sockaddr-style
 * code); vector and complex types; objects of character type (raw storage
 * buffers, a common pattern we do not want to flag); memory without a
 * declared type (reached through plain pointers: its effective type is set
 * by the last store and cannot be known here).  False alarms are worse than
 * misses.
 */
#include "check_aliasing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_ast.h"
#include "checks.h"
#include "dataflow.h"
#include "options.h"
#include "util.h"
#include "walk.h"

#define CHECK "strict-aliasing"

/* ---- Types ---- */

static bool is_char_kind(enum CXTypeKind k)
{
    return k == CXType_Char_S || k == CXType_Char_U || k == CXType_SChar || k == CXType_UChar;
}

static CXType elem_type(CXType t)
{
    t = clang_getCanonicalType(t);
    for (int i = 0; i < 16; i++) {
        if (t.kind != CXType_ConstantArray && t.kind != CXType_IncompleteArray &&
            t.kind != CXType_VariableArray && t.kind != CXType_DependentSizedArray)
            break;
        t = clang_getCanonicalType(clang_getArrayElementType(t));
    }
    return t;
}

/* A type's class for aliasing: integers map to their signed twin, enums to
 * their integer type; -1: anything we stay silent about. */
static int alias_class(CXType t)
{
    t = elem_type(t);
    if (t.kind == CXType_Enum) {
        CXType it = clang_getEnumDeclIntegerType(clang_getTypeDeclaration(t));
        t = clang_getCanonicalType(it);
    }
    switch (t.kind) {
    case CXType_Bool: return 1;
    case CXType_Short: case CXType_UShort: return 2;
    case CXType_Int: case CXType_UInt: return 3;
    case CXType_Long: case CXType_ULong: return 4;
    case CXType_LongLong: case CXType_ULongLong: return 5;
    case CXType_Int128: case CXType_UInt128: return 6;
    case CXType_Float: return 7;
    case CXType_Double: return 8;
    case CXType_LongDouble: return 9;
    case CXType_Float128: return 10;
    case CXType_Half: case CXType_Float16: return 11;
    case CXType_WChar: return 3;  /* wchar_t is int on the targets we support */
    case CXType_Char16: return 2;
    case CXType_Char32: return 3;
    default: return -1;           /* char, void, pointers, records, vectors, complex... */
    }
}

/* ---- __attribute__((may_alias)) ---- */

/* Does an attribute cursor spell may_alias?  libclang 14 has no cursor kind
 * for it (an UnexposedAttr), so the attribute's name is read from the
 * source: the one token at the attribute's start.  A location inside a
 * macro (busybox's FIX_ALIASING) is tokenized where the token is spelled,
 * in the macro's definition, so the name is found through macros too. */
static bool attr_is_may_alias(CXCursor attr)
{
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(attr);
    CXSourceLocation at = clang_getRangeStart(clang_getCursorExtent(attr));
    CXToken *toks = NULL;
    unsigned n = 0;
    clang_tokenize(tu, clang_getRange(at, at), &toks, &n);
    bool yes = false;
    if (n > 0) {
        CXString sp = clang_getTokenSpelling(tu, toks[0]);
        const char *t = clang_getCString(sp);
        yes = t && (strcmp(t, "may_alias") == 0 || strcmp(t, "__may_alias__") == 0);
        clang_disposeString(sp);
    }
    if (toks)
        clang_disposeTokens(tu, toks, n);
    return yes;
}

static enum CXChildVisitResult may_alias_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_UnexposedAttr && attr_is_may_alias(c)) {
        *(bool *)d = true;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Continue;
}

/* Does a declaration (a typedef, a struct, a variable) carry may_alias? */
static bool decl_may_alias(CXCursor decl)
{
    bool yes = false;
    if (clang_Cursor_hasAttrs(decl))
        clang_visitChildren(decl, may_alias_visit, &yes);
    return yes;
}

/* Is `name` #defined anywhere in text (any branch of an #if) with a body
 * that says may_alias? */
static bool text_defines_may_alias(const char *text, size_t size, const char *name, size_t nlen)
{
    const char *p = text, *end = text + size;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *q = p;
        while (q < eol && (*q == ' ' || *q == '\t'))
            q++;
        if (q < eol && *q == '#') {
            q++;
            while (q < eol && (*q == ' ' || *q == '\t'))
                q++;
            if (eol - q > 6 && memcmp(q, "define", 6) == 0 && (q[6] == ' ' || q[6] == '\t')) {
                q += 6;
                while (q < eol && (*q == ' ' || *q == '\t'))
                    q++;
                if ((size_t)(eol - q) > nlen && memcmp(q, name, nlen) == 0 &&
                    !fc_ident_char(q[nlen])) {
                    /* the body, continuation lines included */
                    const char *b = q + nlen, *e = eol;
                    while (e < end && e > b && e[-1] == '\\') {
                        const char *n2 = memchr(e + 1, '\n', (size_t)(end - e - 1));
                        e = n2 ? n2 : end;
                    }
                    for (const char *m = b; m + 9 <= e; m++)
                        if (memcmp(m, "may_alias", 9) == 0)
                            return true;
                }
            }
        }
        p = eol + 1;
    }
    return false;
}

/* A typedef whose attribute macro is empty in this parse:
 * `typedef uint32_t bb__aliased_uint32_t FIX_ALIASING;` with FIX_ALIASING
 * defined as __attribute__((__may_alias__)) under `#if __GNUC_PREREQ(4,4)`
 * and empty otherwise (busybox's platform.h).  libclang claims GCC 4.2.1,
 * so its parse takes the empty branch, while the gcc build the compile
 * commands come from keeps the attribute.  The typedef's own text, up to
 * its `;`, is read; an identifier in it that a `#define` of the same file
 * (in any branch) gives a body with may_alias counts as the attribute. */
static bool typedef_text_may_alias(CXCursor d)
{
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(d);
    CXSourceRange r = clang_getCursorExtent(d);
    CXFile f, f2;
    unsigned off, off2;
    clang_getExpansionLocation(clang_getRangeStart(r), &f, NULL, NULL, &off);
    clang_getExpansionLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &off2);
    if (!f || !clang_File_isEqual(f, f2) || off2 < off)
        return false;
    size_t size = 0;
    const char *text = clang_getFileContents(tu, f, &size);
    if (!text || off2 > size)
        return false;
    size_t lim = off2 + 256 < size ? off2 + 256 : size;
    for (size_t i = off; i < lim && text[i] != ';';) {
        char ch = text[i];
        bool id0 = fc_ident_char(ch) && !(ch >= '0' && ch <= '9');
        if (!id0) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < lim && fc_ident_char(text[j]))
            j++;
        if (text_defines_may_alias(text, size, text + i, j - i))
            return true;
        i = j;
    }
    return false;
}

/* Is a type declared may_alias?  The attribute sits on a typedef (or a
 * struct/union/enum declaration); a typedef of such a typedef keeps it,
 * so the chain of typedefs is followed down to the canonical type.  GCC
 * and clang give such a type alias set 0, as a character type: accesses
 * through it may alias anything, and anything may alias an object of it. */
static bool type_may_alias(CXType t)
{
    for (int i = 0; i < 32; i++) {
        while (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
               t.kind == CXType_VariableArray)
            t = clang_getArrayElementType(t);
        if (t.kind == CXType_Elaborated) {
            t = clang_Type_getNamedType(t);
            continue;
        }
        if (t.kind == CXType_Attributed) {
            t = clang_Type_getModifiedType(t);
            continue;
        }
        if (t.kind != CXType_Typedef && t.kind != CXType_Enum && t.kind != CXType_Record)
            return false;
        CXCursor d = clang_getTypeDeclaration(t);
        if (clang_Cursor_isNull(d))
            return false;
        bool yes = decl_may_alias(d) || (t.kind == CXType_Typedef && typedef_text_may_alias(d));
        if (yes || t.kind != CXType_Typedef)
            return yes;
        t = clang_getTypedefDeclUnderlyingType(d);
    }
    return false;
}

/* The attribute written in place, not on a typedef:
 * `*(uint32_t __attribute__((may_alias)) *)&f` or a pointer variable
 * declared so.  libclang 14 keeps no trace of it in the cast's type (clang
 * accepts it, GCC honours it), so the cast's parenthesized type is read as
 * tokens; a variable's declaration carries it as an attribute. */
static bool cast_may_alias(CXCursor cast)
{
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(cast);
    CXToken *toks = NULL;
    unsigned n = 0;
    clang_tokenize(tu, clang_getCursorExtent(cast), &toks, &n);
    bool yes = false;
    int depth = 0;
    for (unsigned i = 0; i < n && i < 64; i++) {
        CXString sp = clang_getTokenSpelling(tu, toks[i]);
        const char *t = clang_getCString(sp);
        if (!t || (i == 0 && strcmp(t, "(") != 0)) {
            clang_disposeString(sp);
            break; /* a cast spelled by a macro: its tokens are elsewhere */
        }
        if (strcmp(t, "(") == 0)
            depth++;
        else if (strcmp(t, ")") == 0)
            depth--;
        else if (strcmp(t, "may_alias") == 0 || strcmp(t, "__may_alias__") == 0)
            yes = true;
        clang_disposeString(sp);
        if (yes || depth == 0)
            break;
    }
    if (toks)
        clang_disposeTokens(tu, toks, n);
    return yes;
}

/* True when accessing an object of type obj through an lvalue of type acc is allowed. */
static bool allowed(CXType acc, CXType obj)
{
    CXType a = elem_type(acc), o = elem_type(obj);
    if (is_char_kind(a.kind) || is_char_kind(o.kind))
        return true;
    int ca = alias_class(a), co = alias_class(o);
    if (ca < 0 || co < 0)
        return true;
    /* wchar_t vs int etc.: same class only if also the same size. */
    if (ca == co && clang_Type_getSizeOf(a) == clang_Type_getSizeOf(o))
        return true;
    /* may_alias types are exempt like character types (QA8 V11); looked
     * for only here, on an access that would be reported (rare). */
    return type_may_alias(acc) || type_may_alias(obj);
}

/* ---- Pointers that pun ---- */

typedef struct pun {
    CXCursor cast;       /* the explicit cast to T * */
    CXCursor object;     /* the lvalue whose address is taken, or the array */
    CXType acc;          /* T */
    CXType obj;          /* the object's declared type */
} pun;

/* Is e an explicit cast to T * of the address of a declared object whose
 * type T may not alias?  Fills *p when it is. */
static bool find_pun(CXCursor e, pun *p)
{
    e = fc_ast_strip(e, false);
    if (clang_getCursorKind(e) != CXCursor_CStyleCastExpr)
        return false;
    CXType ct = clang_getCanonicalType(clang_getCursorType(e));
    if (ct.kind != CXType_Pointer)
        return false;
    CXCursor src = fc_ast_strip(e, true);
    CXCursor obj = clang_getNullCursor();
    CXType ot;
    CXCursor kid[2];
    enum CXCursorKind k = clang_getCursorKind(src);
    if (k == CXCursor_UnaryOperator) {
        char op[8];
        bool post;
        fc_ast_unop(src, op, sizeof op, &post);
        if (post || strcmp(op, "&") != 0 || fc_ast_children(src, kid, 2) != 1)
            return false;
        obj = fc_ast_strip(kid[0], false);
        enum CXCursorKind ok = clang_getCursorKind(obj);
        if (ok != CXCursor_DeclRefExpr && ok != CXCursor_MemberRefExpr &&
            ok != CXCursor_ArraySubscriptExpr)
            return false;
        if (ok == CXCursor_DeclRefExpr) {
            CXCursor d = clang_getCursorReferenced(obj);
            if (clang_getCursorKind(d) != CXCursor_VarDecl && clang_getCursorKind(d) != CXCursor_ParmDecl)
                return false;
        }
        if (ok == CXCursor_ArraySubscriptExpr) {
            /* &a[i]: only when a is an array object, not a pointer. */
            if (fc_ast_children(obj, kid, 2) != 2)
                return false;
            CXType bt = clang_getCanonicalType(clang_getCursorType(fc_ast_strip(kid[0], false)));
            if (bt.kind != CXType_ConstantArray && bt.kind != CXType_IncompleteArray)
                return false;
        }
        ot = clang_getCursorType(obj);
    } else if (k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr) {
        ot = clang_getCursorType(src);
        CXType otc = clang_getCanonicalType(ot);
        if (otc.kind != CXType_ConstantArray && otc.kind != CXType_IncompleteArray)
            return false;
        if (k == CXCursor_DeclRefExpr) {
            CXCursor d = clang_getCursorReferenced(src);
            if (clang_getCursorKind(d) != CXCursor_VarDecl)
                return false;
        }
        obj = src;
    } else {
        return false;
    }
    CXType acc = clang_getPointeeType(clang_getCursorType(e));
    if (allowed(acc, ot) || cast_may_alias(e))
        return false;
    p->cast = e;
    p->object = obj;
    p->acc = acc;
    p->obj = ot;
    return true;
}

/* ---- Per-function state ---- */

#define MAX_TRACK 64

struct tracked {
    CXCursor var;       /* a local pointer initialised with a punning cast */
    pun p;
    bool dead;          /* reassigned or its address taken: forget it */
};

struct written {
    CXCursor *c;
    unsigned n, cap;
};

struct fnctx {
    fc_diag_sink *sink;
    struct tracked tr[MAX_TRACK];
    unsigned ntr;
    struct written wr;  /* accesses that are the target of `=` */
    struct written mod; /* targets of compound assignment / ++ / -- */
    struct written acc; /* accesses (`*P`, `P[i]`) in walk order, then... */
    struct written ptr; /* ...their pointer operands P */
};

static void push(struct written *w, CXCursor c)
{
    if (w->n == w->cap) {
        unsigned cap = w->cap ? w->cap * 2 : 32;
        CXCursor *p = realloc(w->c, cap * sizeof *p);
        if (!p)
            return;
        w->c = p;
        w->cap = cap;
    }
    w->c[w->n++] = c;
}

static bool member(const struct written *w, CXCursor c)
{
    for (unsigned i = 0; i < w->n; i++)
        if (fc_ast_same(w->c[i], c))
            return true;
    return false;
}

static struct tracked *tracked_of(struct fnctx *fx, CXCursor e)
{
    e = fc_ast_strip(e, false);
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return NULL;
    CXCursor d = clang_getCursorReferenced(e);
    for (unsigned i = 0; i < fx->ntr; i++)
        if (!fx->tr[i].dead && clang_equalCursors(fx->tr[i].var, d))
            return &fx->tr[i];
    return NULL;
}

/* ---- Reporting ---- */

static void report(struct fnctx *fx, CXCursor access, const pun *p, CXCursor via)
{
    char objtext[96];
    fc_ast_text(p->object, objtext, sizeof objtext);
    CXString as = clang_getTypeSpelling(p->acc), os = clang_getTypeSpelling(p->obj);
    CXString ets = clang_getTypeSpelling(elem_type(p->obj));
    const char *how = member(&fx->wr, access) ? "written" : member(&fx->mod, access) ? "modified" : "read";
    CXType oc = clang_getCanonicalType(p->obj);
    bool arr = oc.kind == CXType_ConstantArray || oc.kind == CXType_IncompleteArray;
    char label[160];
    snprintf(label, sizeof label, "%s as '%s' here", how, clang_getCString(as));
    fc_finding *f = fc_finding_new(
        CHECK, fc_ast_loc(access), label,
        "%s '%s' of type '%s' %s %s through an lvalue of incompatible type '%s'",
        arr ? "elements of" : "object", objtext, arr ? clang_getCString(ets) : clang_getCString(os),
        arr ? "are" : "is", how, clang_getCString(as));
    if (f) {
        fc_finding_note(f, fc_ast_loc(p->cast), "pointer converted here",
                        "the pointer is converted to '%s *' here", clang_getCString(as));
        if (!clang_Cursor_isNull(via)) {
            CXString vn = clang_getCursorSpelling(via);
            fc_finding_note(f, fc_ast_loc(via), "pointer stored here",
                            "'%s' holds the converted pointer", clang_getCString(vn));
            clang_disposeString(vn);
        }
        CXCursor base = p->object;
        if (clang_getCursorKind(base) == CXCursor_DeclRefExpr) {
            CXCursor d = clang_getCursorReferenced(base);
            if (!fc_ast_in_system(d)) {
                CXString dn = clang_getCursorSpelling(d);
                fc_finding_note(f, fc_ast_loc(d), "declared here",
                                "'%s' is declared here with type '%s'", clang_getCString(dn),
                                clang_getCString(os));
                clang_disposeString(dn);
            }
        }
        fc_diag_emit(fx->sink, f);
    }
    clang_disposeString(as);
    clang_disposeString(os);
    clang_disposeString(ets);
}

/* ---- The walk ---- */

/* The pointer operand of an access (`*P`, `P[i]`), or the null cursor. */
static CXCursor access_pointer(CXCursor c)
{
    CXCursor kid[3];
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_UnaryOperator) {
        char op[8];
        bool post;
        fc_ast_unop(c, op, sizeof op, &post);
        if (!post && strcmp(op, "*") == 0 && fc_ast_children(c, kid, 3) == 1)
            return kid[0];
    } else if (k == CXCursor_ArraySubscriptExpr) {
        if (fc_ast_children(c, kid, 3) == 2) {
            CXType t = clang_getCanonicalType(clang_getCursorType(fc_ast_strip(kid[0], false)));
            if (t.kind == CXType_Pointer)
                return kid[0];
        }
    }
    return clang_getNullCursor();
}

static void note_access(struct fnctx *fx, CXCursor access, CXCursor ptr)
{
    unsigned n = fx->acc.n;
    push(&fx->acc, access);
    if (fx->acc.n == n)
        return;
    push(&fx->ptr, ptr);
    if (fx->ptr.n == n) /* out of memory: keep the two lists in step */
        fx->acc.n = n;
}

/* The walk: local pointers initialised with a pun, which are reassigned,
 * and every access (`*P`, `P[i]` with P a pointer). */
static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct fnctx *fx = d;
    CXCursor kid[3];
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_VarDecl && fx->ntr < MAX_TRACK) {
        CXType t = clang_getCanonicalType(clang_getCursorType(c));
        /* the initializer: the last expression child (a declaration may have
         * more children than kid[] holds) */
        CXCursor init = fc_var_init(c);
        pun p;
        if (t.kind == CXType_Pointer && !clang_Cursor_isNull(init) && find_pun(init, &p)) {
            /* The access type is the variable's pointee type. */
            p.acc = clang_getPointeeType(clang_getCursorType(c));
            if (!allowed(p.acc, p.obj) && !decl_may_alias(c)) {
                fx->tr[fx->ntr].var = c;
                fx->tr[fx->ntr].p = p;
                fx->tr[fx->ntr].dead = false;
                fx->ntr++;
            }
        }
    } else if (k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator) {
        char op[8];
        fc_ast_binop(c, op, sizeof op);
        size_t len = strlen(op);
        bool assign = len > 0 && op[len - 1] == '=' && strcmp(op, "==") != 0 &&
                      strcmp(op, "!=") != 0 && strcmp(op, "<=") != 0 && strcmp(op, ">=") != 0;
        if (assign && fc_ast_children(c, kid, 3) == 2) {
            CXCursor lhs = fc_ast_strip(kid[0], false);
            push(strcmp(op, "=") == 0 ? &fx->wr : &fx->mod, lhs);
            if (strcmp(op, "=") == 0 && clang_getCursorKind(lhs) == CXCursor_DeclRefExpr) {
                CXCursor v = clang_getCursorReferenced(lhs);
                for (unsigned i = 0; i < fx->ntr; i++)
                    if (clang_equalCursors(fx->tr[i].var, v))
                        fx->tr[i].dead = true;
            }
        }
    } else if (k == CXCursor_UnaryOperator) {
        char op[8];
        bool post;
        fc_ast_unop(c, op, sizeof op, &post);
        if (fc_ast_children(c, kid, 3) == 1) {
            if (!post && strcmp(op, "*") == 0)
                note_access(fx, c, kid[0]);
            CXCursor opnd = fc_ast_strip(kid[0], false);
            if (strcmp(op, "++") == 0 || strcmp(op, "--") == 0)
                push(&fx->mod, opnd);
            if (!post && strcmp(op, "&") == 0 && clang_getCursorKind(opnd) == CXCursor_DeclRefExpr) {
                CXCursor v = clang_getCursorReferenced(opnd);
                for (unsigned i = 0; i < fx->ntr; i++)
                    if (clang_equalCursors(fx->tr[i].var, v))
                        fx->tr[i].dead = true; /* its address escapes: anything may happen */
            }
        }
    } else if (k == CXCursor_ArraySubscriptExpr) {
        CXCursor ptr = access_pointer(c);
        if (!clang_Cursor_isNull(ptr))
            note_access(fx, c, ptr);
    }
    return CXChildVisit_Recurse;
}

/* An access found by the walk, checked once the walk is over (what is
 * reassigned anywhere in the function is known then). */
static void check(struct fnctx *fx, CXCursor c, CXCursor ptr)
{
    pun p;
    if (find_pun(ptr, &p)) {
        report(fx, c, &p, clang_getNullCursor());
        return;
    }
    struct tracked *t = tracked_of(fx, ptr);
    if (t) {
        report(fx, c, &t->p, t->var);
        t->dead = true; /* one finding per converted pointer */
    }
}

/* One walk collects the tracked pointers, the stores and the accesses;
 * the accesses are then checked in the order the walk met them. */
/* Every finding needs an explicit cast to a pointer type (find_pun), of
 * the access itself or of a tracked pointer's initializer, inside the
 * function: a function without one is skipped after a scan of its recorded
 * nodes (walk.h). */
static bool pointer_cast(CXCursor c, void *unused)
{
    (void)unused;
    return c.kind == CXCursor_CStyleCastExpr && clang_getCanonicalType(clang_getCursorType(c)).kind == CXType_Pointer;
}

static void each_fn(CXCursor fn, void *d)
{
    if (fc_walk_any_of(fn, CXCursor_CStyleCastExpr, pointer_cast, NULL) == 0)
        return;
    struct fnctx *fx = d;
    fx->ntr = 0;
    fx->wr.n = 0;
    fx->mod.n = 0;
    fx->acc.n = 0;
    fx->ptr.n = 0;
    fc_visit(fn, collect, fx);
    for (unsigned i = 0; i < fx->acc.n && i < fx->ptr.n; i++)
        check(fx, fx->acc.c[i], fx->ptr.c[i]);
}

void fc_check_aliasing(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *opt)
{
    if (opt && !fc_check_enabled(opt, CHECK))
        return;
    struct fnctx *fx = calloc(1, sizeof *fx);
    if (!fx)
        return;
    fx->sink = sink;
    fc_ast_each_function(tu, each_fn, fx);
    free(fx->wr.c);
    free(fx->mod.c);
    free(fx->acc.c);
    free(fx->ptr.c);
    free(fx);
}

/* ---- --explain (checks.h) ---- */

static const fc_explain explain_rows[] = {
    {"strict-aliasing", "an object accessed through a pointer to an incompatible type",
      "An object declared with one type is read or written through a pointer to\n"
      "another, incompatible type: *(int *)&some_float, or a double array written\n"
      "through a long *.  C11 6.5p7 allows only the object's own type (qualifiers\n"
      "aside), its signed/unsigned twin, a character type, or a struct/union that\n"
      "contains it.\n"
      "\n"
      "Why it matters: compilers use type-based alias analysis. After\n"
      "*(uint32_t *)&f = 0; gcc and clang at -O2 may keep f in a register and never\n"
      "see the store, or reorder the read before an earlier write: the program does\n"
      "what you meant at -O0 and something else at -O2.\n"
      "\n"
      "Wrong:\n"
      "    uint32_t bits = *(uint32_t *)&f;\n"
      "\n"
      "Right: copy the bytes (compilers turn this into a single move), or use a union:\n"
      "    uint32_t bits;\n"
      "    memcpy(&bits, &f, sizeof bits);\n"
      "\n"
      "ferrum reports accesses through an explicit cast of the address of a declared\n"
      "object (or a local pointer initialised with one). Character-type storage,\n"
      "types declared __attribute__((may_alias)), structs and unions (the\n"
      "common-initial-member and sockaddr idioms), and memory without a declared\n"
      "type are left alone.\n"},
};

/* ---- Registration with the driver (checks.h) ---- */

static void reg(void) __attribute__((constructor));
static void reg(void)
{
    for (size_t i = 0; i < sizeof explain_rows / sizeof explain_rows[0]; i++)
        fc_register_explain(&explain_rows[i]);
    fc_register_tu_pass(CHECK, fc_check_aliasing);
}

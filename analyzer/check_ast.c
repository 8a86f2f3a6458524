/*
 * analyzer/check_ast.c — libclang 14 helpers for the aliasing and ownership
 * passes: children, stripping implicit nodes, operator tokens, constants,
 * source text, locations and a path intern table.
 *
 * How: everything goes through the stable C API.  Operators are recovered by
 * tokenizing: the operator of a binary expression is the token that follows
 * the left operand's tokens; a unary operator is the first token when it is
 * punctuation (prefix), else the last (postfix).  Locations are expansion
 * locations so that a finding inside a macro points at the macro's use.
 *
 * Why a file of its own: three passes need the same few primitives, and the
 * gaps of libclang 14 (DESIGN.md, "known gaps") are best handled in one
 * place.
 */
#include "check_ast.h"
#include "ir.h"
#include "walk.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Children ---- */

struct kids {
    CXCursor *out;
    unsigned max, n;
};

static enum CXChildVisitResult kids_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct kids *k = d;
    if (k->n < k->max)
        k->out[k->n] = c;
    k->n++;
    return CXChildVisit_Continue;
}

unsigned fc_ast_children(CXCursor c, CXCursor *out, unsigned max)
{
    struct kids k = {out, max, 0};
    fc_visit(c, kids_visit, &k);
    return k.n;
}

CXCursor fc_ast_strip(CXCursor c, bool casts)
{
    for (int guard = 0; guard < 64; guard++) {
        enum CXCursorKind k = clang_getCursorKind(c);
        CXCursor kid[3];
        unsigned n;
        if (k == CXCursor_UnexposedExpr || k == CXCursor_ParenExpr) {
            n = fc_ast_children(c, kid, 3);
            if (n != 1)
                return c;
            c = kid[0];
        } else if (casts && k == CXCursor_CStyleCastExpr) {
            /* Children: an optional TypeRef (or more, for a struct type), then the operand. */
            n = fc_ast_children(c, kid, 3);
            if (n == 0 || n > 3)
                return c;
            c = kid[n - 1];
        } else {
            return c;
        }
    }
    return c;
}

bool fc_ast_same(CXCursor a, CXCursor b)
{
    enum CXCursorKind k = clang_getCursorKind(a);
    if (k != clang_getCursorKind(b))
        return false;
    if (clang_isExpression(k) || clang_isStatement(k))
        return a.data[1] == b.data[1];
    return clang_equalCursors(a, b) != 0;
}

/* ---- Operators ----
 *
 * The operator readers of ir.c (fc_binop, fc_unop): they tokenize only the
 * gap around the operand(s) and understand operators from macros; the
 * spelling is what the passes compare.  (These used to tokenize the whole
 * expression twice per operator: quadratic in nested expressions, 1.4 s
 * per pass on stb.h.) */

static const char *op_spelling(fc_op op)
{
    switch (op) {
    case FC_OP_ASSIGN: return "=";
    case FC_OP_ADD_ASSIGN: return "+=";
    case FC_OP_SUB_ASSIGN: return "-=";
    case FC_OP_OTHER_ASSIGN: return "*=";   /* some compound assignment */
    case FC_OP_ADD: case FC_OP_PLUS: return "+";
    case FC_OP_SUB: case FC_OP_MINUS: return "-";
    case FC_OP_MUL: case FC_OP_DEREF: return "*";
    case FC_OP_DIV: return "/";
    case FC_OP_REM: return "%";
    case FC_OP_SHL: return "<<";
    case FC_OP_SHR: return ">>";
    case FC_OP_LT: return "<";
    case FC_OP_GT: return ">";
    case FC_OP_LE: return "<=";
    case FC_OP_GE: return ">=";
    case FC_OP_EQ: return "==";
    case FC_OP_NE: return "!=";
    case FC_OP_BAND: case FC_OP_ADDR: return "&";
    case FC_OP_BXOR: return "^";
    case FC_OP_BOR: return "|";
    case FC_OP_LAND: return "&&";
    case FC_OP_LOR: return "||";
    case FC_OP_COMMA: return ",";
    case FC_OP_BNOT: return "~";
    case FC_OP_LNOT: return "!";
    case FC_OP_PREINC: case FC_OP_POSTINC: return "++";
    case FC_OP_PREDEC: case FC_OP_POSTDEC: return "--";
    default: return "";   /* unknown, and the keyword operators */
    }
}

/* buf gets the spelling, cut to n - 1 bytes (a plain copy: these run on
 * every operator of every function, where snprintf cost more than the
 * cached operator lookup itself). */
static void put_spelling(char *buf, size_t n, const char *s)
{
    if (!n)
        return;
    size_t len = strlen(s);
    if (len >= n)
        len = n - 1;
    memcpy(buf, s, len);
    buf[len] = 0;
}

void fc_ast_binop(CXCursor c, char *buf, size_t n)
{
    put_spelling(buf, n, op_spelling(fc_binop(NULL, c)));
}

void fc_ast_unop(CXCursor c, char *buf, size_t n, bool *postfix)
{
    fc_op op = fc_unop(NULL, c);
    *postfix = op == FC_OP_POSTINC || op == FC_OP_POSTDEC;
    put_spelling(buf, n, op_spelling(op));
}

bool fc_ast_is_assign_target(CXCursor ref)
{
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(ref);
    CXSourceRange r = clang_getCursorExtent(ref);
    CXSourceLocation s = clang_getRangeStart(r), e = clang_getRangeEnd(r);
    if (clang_Location_isInSystemHeader(s))
        return false;
    CXFile f1, f2, x1, x2;
    unsigned o1, o2, p1, p2;
    clang_getSpellingLocation(s, &f1, NULL, NULL, &o1);
    clang_getSpellingLocation(e, &f2, NULL, NULL, &o2);
    clang_getExpansionLocation(s, &x1, NULL, NULL, &p1);
    clang_getExpansionLocation(e, &x2, NULL, NULL, &p2);
    /* Only a reference written as is in the file (not inside a macro). */
    if (!f1 || !f2 || !clang_File_isEqual(f1, f2) || o1 != p1 || o2 != p2 || o2 <= o1)
        return false;
    size_t size = 0;
    const char *src = clang_getFileContents(tu, f1, &size);
    if (!src || o2 > size)
        return false;
    size_t i = o2;
    while (i < size && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r'))
        i++;
    if (i + 1 >= size || src[i] != '=' || src[i + 1] == '=')
        return false;
    size_t j = o1;
    while (j > 0 && (src[j - 1] == ' ' || src[j - 1] == '\t' || src[j - 1] == '\n' || src[j - 1] == '\r'))
        j--;
    if (j > 0 && (src[j - 1] == '*' || src[j - 1] == '(' || src[j - 1] == '&'))
        return false;
    return true;
}

/* ---- Constants and text ---- */

bool fc_ast_const_int(CXCursor c, long long *v)
{
    if (!clang_isExpression(clang_getCursorKind(c)))
        return false;
    CXEvalResult r = clang_Cursor_Evaluate(c);
    if (!r)
        return false;
    bool ok = clang_EvalResult_getKind(r) == CXEval_Int;
    if (ok)
        *v = clang_EvalResult_getAsLongLong(r);
    clang_EvalResult_dispose(r);
    return ok;
}

void fc_ast_text(CXCursor c, char *buf, size_t n)
{
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
    CXSourceRange r = clang_getCursorExtent(c);
    CXFile f1, f2;
    unsigned o1, o2;
    clang_getSpellingLocation(clang_getRangeStart(r), &f1, NULL, NULL, &o1);
    clang_getSpellingLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &o2);
    buf[0] = 0;
    if (f1 && f2 && clang_File_isEqual(f1, f2) && o2 > o1) {
        size_t size = 0;
        const char *src = clang_getFileContents(tu, f1, &size);
        if (src && o2 <= size) {
            size_t len = o2 - o1, w = 0;
            bool space = false;
            for (size_t i = 0; i < len && w + 4 < n; i++) {
                char ch = src[o1 + i];
                if (ch == '\n' || ch == '\t' || ch == ' ' || ch == '\r') {
                    space = true;
                    continue;
                }
                if (space && w > 0)
                    buf[w++] = ' ';
                space = false;
                buf[w++] = ch;
            }
            if (w + 4 >= n && len > w)
                memcpy(buf + w, "...", 4);
            else
                buf[w] = 0;
            return;
        }
    }
    /* Fall back on the cursor's spelling (a name) when the extent is unusable. */
    CXString s = clang_getCursorSpelling(c);
    snprintf(buf, n, "%s", clang_getCString(s));
    clang_disposeString(s);
}

/* ---- Locations ---- */

static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;
static char **interned;
static size_t ninterned, capinterned;

const char *fc_ast_intern(const char *path)
{
    const char *res = NULL;
    pthread_mutex_lock(&intern_lock);
    for (size_t i = 0; i < ninterned && !res; i++)
        if (strcmp(interned[i], path) == 0)
            res = interned[i];
    if (!res) {
        if (ninterned == capinterned) {
            size_t cap = capinterned ? capinterned * 2 : 64;
            char **p = realloc(interned, cap * sizeof *p);
            if (p) {
                interned = p;
                capinterned = cap;
            }
        }
        char *copy = strdup(path);
        if (copy && ninterned < capinterned) {
            interned[ninterned++] = copy;
            res = copy;
        } else {
            free(copy);
            res = "<unknown>";
        }
    }
    pthread_mutex_unlock(&intern_lock);
    return res;
}

fc_loc fc_ast_loc(CXCursor c)
{
    fc_loc l = {"<unknown>", 0, 0, 0};
    CXFile f = NULL;
    unsigned line = 0, col = 0;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, &line, &col, NULL);
    if (f) {
        CXString s = clang_getFileName(f);
        l.file = fc_ast_intern(clang_getCString(s));
        clang_disposeString(s);
        l.line = line;
        l.col = col;
        /* A caret range when the expression starts here and ends on this line. */
        CXSourceRange r = clang_getCursorExtent(c);
        CXFile f1, f2;
        unsigned l1, c1, l2, c2;
        clang_getExpansionLocation(clang_getRangeStart(r), &f1, &l1, &c1, NULL);
        clang_getExpansionLocation(clang_getRangeEnd(r), &f2, &l2, &c2, NULL);
        if (f1 && f2 && clang_File_isEqual(f1, f) && clang_File_isEqual(f2, f) && l1 == line &&
            c1 == col && l2 == line && c2 > col)
            l.end_col = c2;
    }
    return l;
}

fc_loc fc_ast_end_loc(CXCursor c)
{
    fc_loc l = {"<unknown>", 0, 0, 0};
    CXFile f = NULL;
    unsigned line = 0, col = 0;
    clang_getExpansionLocation(clang_getRangeEnd(clang_getCursorExtent(c)), &f, &line, &col, NULL);
    if (f) {
        CXString s = clang_getFileName(f);
        l.file = fc_ast_intern(clang_getCString(s));
        clang_disposeString(s);
        l.line = line;
        l.col = col > 1 ? col - 1 : col; /* the range ends just past the brace */
    }
    return l;
}

bool fc_ast_in_system(CXCursor c)
{
    CXSourceLocation loc = clang_getCursorLocation(c);
    CXFile f = NULL;
    clang_getExpansionLocation(loc, &f, NULL, NULL, NULL);
    return !f || clang_Location_isInSystemHeader(loc);
}

/* ---- Calls and functions ---- */

void fc_ast_callee(CXCursor call, char *buf, size_t n, CXCursor *decl)
{
    CXCursor d = clang_getCursorReferenced(call);
    buf[0] = 0;
    *decl = clang_getNullCursor();
    if (clang_Cursor_isNull(d) || clang_getCursorKind(d) != CXCursor_FunctionDecl)
        return;
    *decl = d;
    CXString s = clang_getCursorSpelling(d);
    snprintf(buf, n, "%s", clang_getCString(s));
    clang_disposeString(s);
}

struct each_fn {
    void (*fn)(CXCursor, void *);
    void *ctx;
};

static enum CXChildVisitResult each_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct each_fn *e = d;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_FunctionDecl) {
        if (clang_isCursorDefinition(c) && !fc_ast_in_system(c))
            e->fn(c, e->ctx);
    } else if (k == CXCursor_LinkageSpec || k == CXCursor_UnexposedDecl) {
        return CXChildVisit_Recurse;
    }
    return CXChildVisit_Continue;
}

void fc_ast_each_function(CXTranslationUnit tu, void (*fn)(CXCursor f, void *ctx), void *ctx)
{
    struct each_fn e = {fn, ctx};
    fc_visit(clang_getTranslationUnitCursor(tu), each_visit, &e);
}

uint64_t fc_ast_printf_pointer_args(const char *name, const CXCursor *args, unsigned na)
{
    static const struct { const char *name; unsigned fmt; } fams[] = {
        { "printf", 0 }, { "fprintf", 1 }, { "dprintf", 1 }, { "sprintf", 1 }, { "snprintf", 2 },
        { "__builtin___sprintf_chk", 3 }, { "__builtin___snprintf_chk", 4 },
    };
    unsigned fi = ~0u;
    for (size_t i = 0; name && i < sizeof fams / sizeof fams[0]; i++)
        if (!strcmp(name, fams[i].name))
            fi = fams[i].fmt;
    if (fi == ~0u || fi >= na || clang_getCursorKind(args[fi]) != CXCursor_StringLiteral)
        return 0;
    CXString sp = clang_getCursorSpelling(args[fi]);
    const char *f = clang_getCString(sp);
    uint64_t mask = 0;
    unsigned arg = fi + 1;
    for (const char *p = f ? f : ""; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        /* flags, width, precision, length; '*' consumes an argument */
        while (*p && strchr("-+ #0123456789.*'hlLqjztI", *p)) {
            if (*p == '*')
                arg++;
            p++;
        }
        if (!*p)
            break;
        if (*p == 'p' && arg < 64)
            mask |= 1ull << arg;
        arg++;
    }
    clang_disposeString(sp);
    return mask;
}

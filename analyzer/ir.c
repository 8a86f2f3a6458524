/*
 * analyzer/ir.c — the function view (fc_func) and the expression helpers of
 * ir.h: looking through implicit nodes, operator kinds from tokens, callee
 * names, noreturn calls, compile-time constants, locations.
 *
 * How: libclang 14 exposes no operator kind, so fc_binop() tokenizes only
 * the gap between the operands' extents (a few tokens, not the whole
 * expression) and fc_unop() the part of the extent before (prefix) or after
 * (postfix) the operand; an operator that comes from a macro (an
 * object-like macro standing for it, or a function-like macro building the
 * expression from its parameters) is read from the macro's definition
 * text; answers are cached for the unit in a cursor hash map, because the
 * dataflow and every pass revisit the same expressions.  The gaps between
 * operands are read by a small C lexer over the file's text, not with
 * clang_tokenize (much slower for a token or two).  Constants are
 * folded by a small evaluator of our own over literals, enum constants,
 * `const` variables with constant initializers and static variables that
 * the whole translation unit never writes (fc_tu_info), with
 * clang_Cursor_Evaluate for literals and sizeof.
 *
 * Why: every check needs the same answers and they are the part of libclang
 * that is awkward; doing them once here keeps the checks readable.
 */
#include "ir.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "summary.h"
#include "util.h"
#include "walk.h"

/* ---- Cursor hash map (cursor -> int) ---- */

struct fc_cmap {
    CXCursor *keys;
    int *vals;
    unsigned char *used;
    size_t cap, n;
};

fc_cmap *fc_cmap_new(void)
{
    /* empty until the first put: a function's checks make a dozen maps and
     * most stay empty (zeroing 64 slots each was 0.5% of a run on sqlite3.c) */
    return fc_xcalloc(1, sizeof(fc_cmap));
}

void fc_cmap_free(fc_cmap *m)
{
    if (!m)
        return;
    free(m->keys);
    free(m->vals);
    free(m->used);
    free(m);
}

static void cmap_grow(fc_cmap *m);

/* Statement and expression cursors made by different walks differ in their
 * parent-declaration word (data[0]) although they name the same node
 * (data[1]); compare and hash those by kind and node only. */
static bool stmt_like(CXCursor c)
{
    /* clang_isExpression / clang_isStatement, without two calls per probe */
    return (c.kind >= CXCursor_FirstExpr && c.kind <= CXCursor_LastExpr) ||
           (c.kind >= CXCursor_FirstStmt && c.kind <= CXCursor_LastStmt);
}

/* AST nodes are allocated one after the other, so their addresses are
 * nearly consecutive: a multiplicative (Fibonacci) hash spreads them over
 * the table, where shifting the address kept them in long runs that every
 * missed lookup walked through under linear probing. */
/* Declarations: what clang_equalCursors compares for them (kind, the Decl
 * in data[0], the unit in data[2]; data[1] is ignored), without the calls
 * (variable numbers, globals, fields: most lookups of a function's checks). */
static bool decl_kind(enum CXCursorKind k)
{
    return (k >= CXCursor_FirstDecl && k <= CXCursor_LastDecl) ||
           (k >= CXCursor_FirstExtraDecl && k <= CXCursor_LastExtraDecl);
}

static unsigned key_hash(CXCursor c)
{
    uint64_t p = stmt_like(c)   ? (uint64_t)(uintptr_t)c.data[1] ^ ((uint64_t)c.kind << 48)
                 : decl_kind(c.kind) ? (uint64_t)(uintptr_t)c.data[0] ^ ((uint64_t)c.kind << 48)
                                     : (uint64_t)clang_hashCursor(c);
    return (unsigned)((p * 0x9E3779B97F4A7C15ull) >> 32);
}

static bool key_equal(CXCursor a, CXCursor b)
{
    if (a.kind != b.kind)
        return false;
    if (stmt_like(a))
        return a.data[1] == b.data[1];
    if (decl_kind(a.kind))
        return a.data[0] == b.data[0] && a.data[2] == b.data[2];
    return clang_equalCursors(a, b);
}

void fc_cmap_put(fc_cmap *m, CXCursor k, int v)
{
    if ((m->n + 1) * 2 > m->cap)
        cmap_grow(m);
    size_t i = key_hash(k) & (m->cap - 1);
    while (m->used[i]) {
        if (key_equal(m->keys[i], k)) {
            m->vals[i] = v;
            return;
        }
        i = (i + 1) & (m->cap - 1);
    }
    m->used[i] = 1;
    m->keys[i] = k;
    m->vals[i] = v;
    m->n++;
}

bool fc_cmap_get(const fc_cmap *m, CXCursor k, int *v)
{
    if (!m || !m->n)
        return false;
    size_t i = key_hash(k) & (m->cap - 1);
    while (m->used[i]) {
        if (key_equal(m->keys[i], k)) {
            *v = m->vals[i];
            return true;
        }
        i = (i + 1) & (m->cap - 1);
    }
    return false;
}

static void cmap_grow(fc_cmap *m)
{
    fc_cmap old = *m;
    m->cap = m->cap ? m->cap * 2 : 16;
    m->n = 0;
    m->keys = fc_xcalloc(m->cap, sizeof *m->keys);
    m->vals = fc_xcalloc(m->cap, sizeof *m->vals);
    m->used = fc_xcalloc(m->cap, 1);
    for (size_t i = 0; i < old.cap; i++)
        if (old.used[i])
            fc_cmap_put(m, old.keys[i], old.vals[i]);
    free(old.keys);
    free(old.vals);
    free(old.used);
}

/* ---- Interning ---- */

static char **intern_tab;
static size_t intern_cap, intern_n;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

const char *fc_intern(const char *s)
{
    if (!s)
        return NULL;
    if ((intern_n + 1) * 2 > intern_cap) {
        size_t ncap = intern_cap ? intern_cap * 2 : 256;
        char **nt = fc_xcalloc(ncap, sizeof *nt);
        for (size_t i = 0; i < intern_cap; i++)
            if (intern_tab[i]) {
                size_t j = hash_str(intern_tab[i]) & (ncap - 1);
                while (nt[j])
                    j = (j + 1) & (ncap - 1);
                nt[j] = intern_tab[i];
            }
        free(intern_tab);
        intern_tab = nt;
        intern_cap = ncap;
    }
    size_t j = hash_str(s) & (intern_cap - 1);
    while (intern_tab[j]) {
        if (!strcmp(intern_tab[j], s))
            return intern_tab[j];
        j = (j + 1) & (intern_cap - 1);
    }
    intern_tab[j] = fc_xstrdup(s);
    intern_n++;
    return intern_tab[j];
}

const char *fc_intern_cx(CXString s)
{
    const char *r = fc_intern(clang_getCString(s) ? clang_getCString(s) : "");
    clang_disposeString(s);
    return r;
}

/* USR and spelling of a declaration, interned, remembered per Decl for the
 * unit: every call site asks about its callee (the call graph, summaries,
 * constant folding), and clang_getCursorUSR builds the string anew each
 * time (about 1,800 instructions).  Keyed by the Decl pointer (data[0]) and
 * kind, dropped with the unit (fc_children_cache_reset). */
typedef struct decl_names { const void *decl; int kind; const char *usr, *name; signed char noreturn; } decl_names;
static decl_names *dn_tab;
static size_t dn_cap, dn_n;

static decl_names *decl_slot(CXCursor d)
{
    if ((dn_n + 1) * 2 > dn_cap) {
        size_t ncap = dn_cap ? dn_cap * 2 : 1024;
        decl_names *nt = fc_xcalloc(ncap, sizeof *nt);
        for (size_t i = 0; i < dn_cap; i++)
            if (dn_tab[i].decl) {
                size_t j = (size_t)(((uint64_t)(uintptr_t)dn_tab[i].decl * 0x9E3779B97F4A7C15ull) >> 40) & (ncap - 1);
                while (nt[j].decl)
                    j = (j + 1) & (ncap - 1);
                nt[j] = dn_tab[i];
            }
        free(dn_tab);
        dn_tab = nt;
        dn_cap = ncap;
    }
    size_t j = (size_t)(((uint64_t)(uintptr_t)d.data[0] * 0x9E3779B97F4A7C15ull) >> 40) & (dn_cap - 1);
    while (dn_tab[j].decl) {
        if (dn_tab[j].decl == d.data[0] && dn_tab[j].kind == (int)d.kind)
            return &dn_tab[j];
        j = (j + 1) & (dn_cap - 1);
    }
    dn_tab[j].decl = d.data[0];
    dn_tab[j].kind = (int)d.kind;
    dn_n++;
    return &dn_tab[j];
}

static void decl_names_reset(void)
{
    free(dn_tab);
    dn_tab = NULL;
    dn_cap = dn_n = 0;
}

const char *fc_decl_usr(CXCursor d)
{
    if (!clang_isDeclaration(d.kind) || !d.data[0])
        return fc_intern_cx(clang_getCursorUSR(d));
    decl_names *e = decl_slot(d);
    if (!e->usr)
        e->usr = fc_intern_cx(clang_getCursorUSR(d));
    return e->usr;
}

const char *fc_decl_name(CXCursor d)
{
    if (!clang_isDeclaration(d.kind) || !d.data[0])
        return fc_intern_cx(clang_getCursorSpelling(d));
    decl_names *e = decl_slot(d);
    if (!e->name)
        e->name = fc_intern_cx(clang_getCursorSpelling(d));
    return e->name;
}

/* ---- Children and stripping ---- */

typedef struct {
    CXCursor *out;
    unsigned max, n;
} kids;

static enum CXChildVisitResult collect_kid(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    kids *k = d;
    if (k->n < k->max)
        k->out[k->n] = c;
    k->n++;
    return CXChildVisit_Continue;
}

/* The dataflow asks for the same expressions' children on every visit of
 * a block; libclang rebuilds them each time (clang_visitChildren), so the
 * children of statements and expressions are kept for the translation unit
 * being analyzed (fc_children_cache_reset() between units). */
typedef struct kid_entry { unsigned start, n; } kid_entry;
static fc_cmap *kid_map;
static kid_entry *kid_entries;
static unsigned nkid_entries, kid_entries_cap;
static CXCursor *kid_pool;
static size_t nkid_pool, kid_pool_cap;

static void macro_index_reset(void);

static void op_cache_reset(void);
static void ranges_reset(void);
static void var_facts_reset(void);
static void literal_cache_reset(void);

void fc_children_cache_reset(void)
{
    fc_walk_reset();
    decl_names_reset();
    literal_cache_reset();
    macro_index_reset();
    op_cache_reset();
    ranges_reset();
    var_facts_reset();
    fc_cmap_free(kid_map);
    kid_map = NULL;
    free(kid_entries);
    kid_entries = NULL;
    nkid_entries = kid_entries_cap = 0;
    free(kid_pool);
    kid_pool = NULL;
    nkid_pool = kid_pool_cap = 0;
}

static enum CXChildVisitResult pool_kid(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    (void)d;
    if (nkid_pool == kid_pool_cap) {
        kid_pool_cap = kid_pool_cap ? kid_pool_cap * 2 : 1024;
        kid_pool = fc_xrealloc(kid_pool, kid_pool_cap * sizeof *kid_pool);
    }
    kid_pool[nkid_pool++] = c;
    return CXChildVisit_Continue;
}

unsigned fc_children(CXCursor c, CXCursor *out, unsigned max)
{
    int recorded = fc_walk_children(c, out, max);   /* inside a recorded function */
    if (recorded >= 0)
        return (unsigned)recorded;
    if (!stmt_like(c)) {
        kids kk = { out, max, 0 };
        clang_visitChildren(c, collect_kid, &kk);
        return kk.n;
    }
    if (!kid_map)
        kid_map = fc_cmap_new();
    int idx;
    if (!fc_cmap_get(kid_map, c, &idx)) {
        if (nkid_entries == kid_entries_cap) {
            kid_entries_cap = kid_entries_cap ? kid_entries_cap * 2 : 256;
            kid_entries = fc_xrealloc(kid_entries, kid_entries_cap * sizeof *kid_entries);
        }
        size_t start = nkid_pool;
        clang_visitChildren(c, pool_kid, NULL);
        kid_entries[nkid_entries] = (kid_entry){ (unsigned)start, (unsigned)(nkid_pool - start) };
        idx = (int)nkid_entries++;
        fc_cmap_put(kid_map, c, idx);
    }
    kid_entry *e = &kid_entries[idx];
    for (unsigned i = 0; i < e->n && i < max; i++)
        out[i] = kid_pool[e->start + i];
    return e->n;
}

/* The last child that is an expression (casts put a TypeRef first). */
static bool last_expr_child(CXCursor c, CXCursor *out)
{
    CXCursor k[4];
    unsigned n = fc_children(c, k, 4);
    if (n == 0 || n > 4)
        return false;
    for (unsigned i = n; i-- > 0;)
        if (clang_isExpression(clang_getCursorKind(k[i]))) {
            *out = k[i];
            return true;
        }
    return false;
}

CXCursor fc_strip(CXCursor e)
{
    if (e.kind != CXCursor_ParenExpr && e.kind != CXCursor_CStyleCastExpr && e.kind != CXCursor_UnexposedExpr)
        return e;   /* most calls: nothing to strip */
    CXCursor in;
    if (fc_walk_strip(e, &in))   /* a recorded node: the same steps by index, kept */
        return in;
    for (int guard = 0; guard < 64; guard++) {
        enum CXCursorKind k = e.kind;   /* clang_getCursorKind(e), without the call */
        if (k == CXCursor_ParenExpr || k == CXCursor_CStyleCastExpr) {
            if (!last_expr_child(e, &in))
                return e;
            e = in;
        } else if (k == CXCursor_UnexposedExpr) {
            CXCursor kk[2];
            unsigned n = fc_children(e, kk, 2);
            if (n != 1 || kk[0].kind < CXCursor_FirstExpr || kk[0].kind > CXCursor_LastExpr)
                return e;
            e = kk[0];
        } else {
            return e;
        }
    }
    return e;
}

CXCursor fc_referenced(CXCursor c)
{
    CXCursor d;
    return fc_walk_referenced(c, &d) ? d : clang_getCursorReferenced(c);
}

CXType fc_type_of(CXCursor c)
{
    CXType t;
    return fc_walk_type(c, &t, false) ? t : clang_getCursorType(c);
}

CXType fc_canon_type_of(CXCursor c)
{
    CXType t;
    return fc_walk_type(c, &t, true) ? t : clang_getCanonicalType(clang_getCursorType(c));
}

CXSourceRange fc_extent(CXCursor c)
{
    CXSourceRange r;
    return fc_walk_extent(c, &r) ? r : clang_getCursorExtent(c);
}

CXCursor fc_decl_ref(CXCursor e)
{
    e = fc_strip(e);
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return clang_getNullCursor();
    CXCursor d = fc_referenced(e);
    enum CXCursorKind k = clang_getCursorKind(d);
    if (k == CXCursor_VarDecl || k == CXCursor_ParmDecl)
        return d;
    return clang_getNullCursor();
}

/* ---- Operators from tokens ---- */

struct fc_opcache {
    fc_cmap *m;
};

/* The binary operator a token spells (FC_OP_NONE: none).  A switch on its
 * characters: the dataflow and the macro readers ask 1.6 million times on
 * SQLite's amalgamation, where a table of 30 strcmp calls cost 50 M
 * instructions. */
static fc_op op_of_binary_token(const char *t)
{
    char a = t[0], b = a ? t[1] : 0, c = b ? t[2] : 0;
    if (!a)
        return FC_OP_NONE;
    if (c)   /* <<= >>= */
        return !t[3] && b == a && c == '=' && (a == '<' || a == '>') ? FC_OP_OTHER_ASSIGN : FC_OP_NONE;
    if (!b) {
        switch (a) {
        case '=': return FC_OP_ASSIGN;
        case '+': return FC_OP_ADD;
        case '-': return FC_OP_SUB;
        case '*': return FC_OP_MUL;
        case '/': return FC_OP_DIV;
        case '%': return FC_OP_REM;
        case '<': return FC_OP_LT;
        case '>': return FC_OP_GT;
        case '&': return FC_OP_BAND;
        case '^': return FC_OP_BXOR;
        case '|': return FC_OP_BOR;
        case ',': return FC_OP_COMMA;
        default: return FC_OP_NONE;
        }
    }
    if (b == '=') {
        switch (a) {
        case '+': return FC_OP_ADD_ASSIGN;
        case '-': return FC_OP_SUB_ASSIGN;
        case '*': case '/': case '%': case '&': case '^': case '|': return FC_OP_OTHER_ASSIGN;
        case '<': return FC_OP_LE;
        case '>': return FC_OP_GE;
        case '=': return FC_OP_EQ;
        case '!': return FC_OP_NE;
        default: return FC_OP_NONE;
        }
    }
    if (a != b)
        return FC_OP_NONE;
    switch (a) {
    case '<': return FC_OP_SHL;
    case '>': return FC_OP_SHR;
    case '&': return FC_OP_LAND;
    case '|': return FC_OP_LOR;
    default: return FC_OP_NONE;
    }
}

/* ---- File locations without the source manager's lookups ----
 *
 * clang_getExpansionLocation finds a location's file by a binary search
 * over every file and macro expansion of the unit (about 450 instructions
 * on SQLite), and clang_getFileContents a header's buffer by a scan.  A
 * location written in a file (not in a macro: clang marks macro locations
 * with the top bit of the encoding, CXSourceLocation.int_data) is that
 * file's start in the unit's location space plus its offset, and each
 * inclusion of a file owns the range [start, start + size] alone.  So once
 * one location of an inclusion was decoded, the others in its range are an
 * offset away: a few ranges are kept (the file, its text), keyed by the
 * source manager (ptr_data[0]), and dropped between units. */
typedef struct file_range {
    const void *sm;
    unsigned start;
    size_t size;
    CXFile file;
    const char *text;
} file_range;
enum { NRANGES = 4 };
static file_range ranges[NRANGES];
static unsigned next_range;

static void ranges_reset(void)
{
    memset(ranges, 0, sizeof ranges);
    next_range = 0;
}

static const file_range *range_of(CXSourceLocation l)
{
    if (l.int_data & 0x80000000u)
        return NULL;
    for (unsigned i = 0; i < NRANGES; i++)
        if (ranges[i].sm && ranges[i].sm == l.ptr_data[0] && l.int_data >= ranges[i].start &&
            l.int_data - ranges[i].start <= ranges[i].size)
            return &ranges[i];
    return NULL;
}

/* clang_getExpansionLocation(l, file, NULL, NULL, off). */
static void exp_loc(CXSourceLocation l, CXFile *file, unsigned *off)
{
    const file_range *r = range_of(l);
    if (r) {
        if (file)
            *file = r->file;
        *off = l.int_data - r->start;
        return;
    }
    clang_getExpansionLocation(l, file, NULL, NULL, off);
}

static unsigned file_offset(CXSourceLocation l)
{
    unsigned off = 0;
    exp_loc(l, NULL, &off);
    return off;
}

/* The file location a (possibly macro) location expands at. */
static CXSourceLocation file_loc(CXTranslationUnit tu, CXSourceLocation l, CXFile *file)
{
    unsigned off = 0;
    exp_loc(l, file, &off);
    if (!*file)
        return l;
    return clang_getLocationForOffset(tu, *file, off);
}

/* ---- A small C lexer over the file's text ----
 *
 * clang_tokenize builds CXTokens, and each spelling is a CXString: on
 * stb_image.c it was a fifth of the run for what is usually one operator
 * between two operands.  The file's text (clang_getFileContents, the
 * buffer libclang parsed) is lexed here instead, with C's rules for
 * blanks, comments, line splices, literals and the longest punctuator. */
enum { TK_EOF, TK_PUNCT, TK_WORD, TK_NUM, TK_STR, TK_COMMENT };

static bool word_char(char c)
{
    return c == '_' || c == '$' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (unsigned char)c >= 0x80;
}

/* Lexes the token at or after pos: returns its kind, sets [*ts, *te). */
static int lex_at(const char *t, size_t n, size_t pos, size_t *ts, size_t *te)
{
    for (;;) {   /* blanks and line splices */
        if (pos < n && (t[pos] == ' ' || t[pos] == '\t' || t[pos] == '\n' || t[pos] == '\r' || t[pos] == '\f' ||
                        t[pos] == '\v')) {
            pos++;
        } else if (pos + 1 < n && t[pos] == '\\' && (t[pos + 1] == '\n' || t[pos + 1] == '\r')) {
            pos += 2;
        } else {
            break;
        }
    }
    *ts = *te = pos;
    if (pos >= n)
        return TK_EOF;
    char c = t[pos];
    if (c == '/' && pos + 1 < n && t[pos + 1] == '*') {
        const char *e = NULL;
        for (size_t k = pos + 2; k + 1 < n; k++)
            if (t[k] == '*' && t[k + 1] == '/') {
                e = t + k + 2;
                break;
            }
        *te = e ? (size_t)(e - t) : n;
        return TK_COMMENT;
    }
    if (c == '/' && pos + 1 < n && t[pos + 1] == '/') {
        size_t k = pos + 2;
        while (k < n && !(t[k] == '\n' && t[k - 1] != '\\'))
            k++;
        *te = k;
        return TK_COMMENT;
    }
    if (c == '"' || c == '\'') {
        size_t k = pos + 1;
        while (k < n && t[k] != c && t[k] != '\n')
            k += t[k] == '\\' ? 2 : 1;
        *te = k < n ? k + 1 : n;
        return TK_STR;
    }
    if ((c >= '0' && c <= '9') || (c == '.' && pos + 1 < n && t[pos + 1] >= '0' && t[pos + 1] <= '9')) {
        size_t k = pos + 1;
        while (k < n && (word_char(t[k]) || t[k] == '.' ||
                         ((t[k] == '+' || t[k] == '-') && strchr("eEpP", t[k - 1]))))
            k++;
        *te = k;
        return TK_NUM;
    }
    if (word_char(c)) {
        size_t k = pos + 1;
        while (k < n && word_char(t[k]))
            k++;
        *te = k;
        return TK_WORD;
    }
    /* the longest punctuator: <<= >>= ... -> ++ -- << >> <= >= == != && ||
     * op= ## */
    char d = pos + 1 < n ? t[pos + 1] : 0, e3 = pos + 2 < n ? t[pos + 2] : 0;
    size_t len = 1;
    switch (c) {
    case '<': case '>':
        len = d == c ? (e3 == '=' ? 3 : 2) : d == '=' ? 2 : 1;
        break;
    case '.':
        len = d == '.' && e3 == '.' ? 3 : 1;
        break;
    case '-':
        len = d == '>' || d == '-' || d == '=' ? 2 : 1;
        break;
    case '+': case '&': case '|':
        len = d == c || d == '=' ? 2 : 1;
        break;
    case '#':
        len = d == '#' ? 2 : 1;
        break;
    case '=': case '!': case '*': case '/': case '%': case '^':
        len = d == '=' ? 2 : 1;
        break;
    default:
        break;
    }
    *te = pos + len;
    return TK_PUNCT;
}

/* The file and offset where a (possibly macro) location expands. */
static unsigned expansion_offset(CXSourceLocation l, CXFile *file)
{
    unsigned off = 0;
    exp_loc(l, file, &off);
    return off;
}

/* The tokens of [from, to] as clang_tokenize would give them (every token
 * that begins before the lexer has passed `to`), first to last or last to
 * first: the first punctuator or keyword that pick accepts. */
static fc_op scan_tokens(CXTranslationUnit tu, CXSourceLocation from, CXSourceLocation to,
                         fc_op (*pick)(const char *), bool last)
{
    CXFile f1 = NULL, f2 = NULL;
    unsigned a = expansion_offset(from, &f1), b = expansion_offset(to, &f2);
    if (!f1 || !f2 || !clang_File_isEqual(f1, f2) || a > b)
        return FC_OP_NONE;
    size_t size = 0;
    const char *text = clang_getFileContents(tu, f1, &size);
    if (!text || b > size)
        return FC_OP_NONE;
    size_t starts[64], ends[64];
    unsigned nt = 0;
    size_t pos = a;
    do {
        size_t ts, te;
        int k = lex_at(text, size, pos, &ts, &te);
        if (k == TK_EOF)
            break;
        if ((k == TK_PUNCT || k == TK_WORD) && te - ts < 16) {
            if (nt == 64)
                break;     /* a long gap: an operator is not that far */
            starts[nt] = ts;
            ends[nt++] = te;
        }
        pos = te;
    } while (pos < b);
    for (unsigned i = 0; i < nt; i++) {
        unsigned idx = last ? nt - 1 - i : i;
        char tok[16];
        memcpy(tok, text + starts[idx], ends[idx] - starts[idx]);
        tok[ends[idx] - starts[idx]] = 0;
        fc_op op = pick(tok);
        if (op != FC_OP_NONE)
            return op;
    }
    return FC_OP_NONE;
}

/* Fallback for operators inside macro bodies (no file tokens between the
 * operands): the pretty-printed expression is the printed operand(s) around
 * the operator, so the operator is what is left between them. */
static char *printed(CXCursor c)
{
    CXPrintingPolicy pol = clang_getCursorPrintingPolicy(c);
    CXString s = clang_getCursorPrettyPrinted(c, pol);
    char *r = fc_xstrdup(clang_getCString(s));
    clang_disposeString(s);
    clang_PrintingPolicy_dispose(pol);
    return r;
}

static fc_op op_of_prefix_token(const char *t);
static fc_op op_of_postfix_token(const char *t);

static fc_op op_from_printed(CXCursor e, CXCursor a, CXCursor b, fc_op (*pick)(const char *))
{
    char *pe = printed(e), *pa = printed(a), *pb = clang_Cursor_isNull(b) ? NULL : printed(b);
    size_t le = strlen(pe), la = strlen(pa), lb = pb ? strlen(pb) : 0;
    fc_op op = FC_OP_NONE;
    if (pb && le >= la + lb && !strncmp(pe, pa, la) && !strcmp(pe + le - lb, pb)) {
        /* binary: a OP b */
        char mid[16];
        size_t n = le - la - lb;
        const char *m = pe + la;
        while (n && *m == ' ')
            m++, n--;
        while (n && m[n - 1] == ' ')
            n--;
        if (n && n < sizeof mid) {
            memcpy(mid, m, n);
            mid[n] = 0;
            op = pick(mid);
        }
    } else if (!pb && le > la) {
        char mid[16];
        size_t n = le - la;
        if (n < sizeof mid) {
            if (!strcmp(pe + n, pa)) {           /* prefix */
                memcpy(mid, pe, n);
                mid[n] = 0;
                while (n && mid[n - 1] == ' ')
                    mid[--n] = 0;
                op = op_of_prefix_token(mid);
            } else if (!strncmp(pe, pa, la)) {   /* postfix */
                memcpy(mid, pe + la, n);
                mid[n] = 0;
                op = op_of_postfix_token(mid);
            }
        }
    }
    free(pe);
    free(pa);
    free(pb);
    return op;
}

/* Operands written as macro arguments (`CHECK(p == NULL)`): the operator
 * is the first token after the left operand where the left operand is
 * spelled. */
static fc_op op_after_spelling(CXTranslationUnit tu, CXCursor lhs)
{
    CXSourceLocation end = clang_getRangeEnd(fc_extent(lhs));
    CXFile f = NULL, fx = NULL;
    unsigned off = 0, offx = 0;
    clang_getSpellingLocation(end, &f, NULL, NULL, &off);
    exp_loc(end, &fx, &offx);
    if (!f)
        return FC_OP_NONE;
    /* libclang reports a macro body's tokens at the expansion point: there the
     * text after the operand is the macro call, not the operator */
    if (fx && clang_File_isEqual(f, fx) && off == offx)
        return FC_OP_NONE;
    size_t size = 0;
    if (!clang_getFileContents(tu, f, &size) || off >= size)
        return FC_OP_NONE;
    unsigned to = off + 4 < size ? off + 4 : (unsigned)size;
    CXSourceRange r = clang_getRange(clang_getLocationForOffset(tu, f, off), clang_getLocationForOffset(tu, f, to));
    CXToken *toks = NULL;
    unsigned n = 0;
    clang_tokenize(tu, r, &toks, &n);
    fc_op op = FC_OP_NONE;
    for (unsigned i = 0; i < n; i++) {
        unsigned toff;
        clang_getSpellingLocation(clang_getTokenLocation(tu, toks[i]), NULL, NULL, NULL, &toff);
        if (toff < off)
            continue;     /* the last token of the operand itself */
        CXString sp = clang_getTokenSpelling(tu, toks[i]);
        op = clang_getTokenKind(toks[i]) == CXToken_Punctuation ? op_of_binary_token(clang_getCString(sp))
                                                                  : FC_OP_NONE;
        /* `SET(p, NULL)`: the ',' after an argument separates arguments, it
         * is not the expression's operator */
        if (op == FC_OP_COMMA)
            op = FC_OP_NONE;
        clang_disposeString(sp);
        break;
    }
    if (toks)
        clang_disposeTokens(tu, toks, n);
    return op;
}

/* ---- Operators written inside macros ----
 *
 * When the operands' file extents leave no operator token between them, the
 * operator comes from a macro: an object-like macro standing for the
 * operator itself (`p ASSIGN_OP q`), or a function-like macro whose body
 * builds the expression from its parameters (`SET(p, NULL)` for
 * `#define SET(a, b) a = b`, `IS_NULL(p)` for `((x) == NULL)`).  libclang 14
 * has no macro-expansion API without a detailed preprocessing record (costly
 * on every unit), so the definition is found as text in the file that makes
 * the call and its tokens are read with clang_tokenize: the operator is the
 * top-level binary operator of lowest precedence in the body. */

static int binop_prec(fc_op op)
{
    switch (op) {
    case FC_OP_COMMA: return 1;
    case FC_OP_ASSIGN: case FC_OP_ADD_ASSIGN: case FC_OP_SUB_ASSIGN: case FC_OP_OTHER_ASSIGN: return 2;
    case FC_OP_LOR: return 4;
    case FC_OP_LAND: return 5;
    case FC_OP_BOR: return 6;
    case FC_OP_BXOR: return 7;
    case FC_OP_BAND: return 8;
    case FC_OP_EQ: case FC_OP_NE: return 9;
    case FC_OP_LT: case FC_OP_GT: case FC_OP_LE: case FC_OP_GE: return 10;
    case FC_OP_SHL: case FC_OP_SHR: return 11;
    case FC_OP_ADD: case FC_OP_SUB: return 12;
    default: return 13;
    }
}

/* The binary operator spelled by text[ts, te) at the top level of an
 * expression: does it become the root (lowest precedence so far; the
 * rightmost of equal precedence, but the leftmost assignment)? */
static bool binop_root(const char *text, size_t ts, size_t te, fc_op *best, int *best_prec)
{
    char t[4] = { 0 };
    if (te - ts < sizeof t)
        memcpy(t, text + ts, te - ts);
    fc_op op = op_of_binary_token(t);
    int p = binop_prec(op);
    if (op == FC_OP_NONE || !(p < *best_prec || (p == *best_prec && p != 2)))
        return false;
    *best = op;
    *best_prec = p;
    return true;
}

/* The top-level binary operator of the body [from, to) of a macro whose
 * text is `text` (lexed by lex_at: clang_tokenize cost ~30,000
 * instructions a call here).  `single`: the body must be one token. */
static fc_op op_of_macro_body_uncached(const char *text, size_t size, size_t from, size_t to, bool single);

/* Answers per macro body: the same macro is used many times in a unit. */
typedef struct body_op { const char *at; bool single; fc_op op; } body_op;
static body_op body_ops[1024];

static fc_op op_of_macro_body(const char *text, size_t size, size_t from, size_t to, bool single)
{
    const char *at = text + from;
    size_t h = (((uintptr_t)at * 0x9E3779B97F4A7C15ull) >> 40) & 1023;
    if (body_ops[h].at == at && body_ops[h].single == single)
        return body_ops[h].op;
    fc_op op = op_of_macro_body_uncached(text, size, from, to, single);
    body_ops[h] = (body_op){ at, single, op };
    return op;
}

static fc_op op_of_macro_body_uncached(const char *text, size_t size, size_t from, size_t to, bool single)
{
    enum { MAXT = 512 };
    size_t ts[MAXT], te[MAXT];
    int tk[MAXT];
    unsigned n = 0;
    if (to > size)
        to = size;
    for (size_t pos = from; pos < to;) {
        size_t a, e;
        int k = lex_at(text, to, pos, &a, &e);
        if (k == TK_EOF)
            break;
        pos = e;
        if (k == TK_COMMENT)
            continue;
        if (n == MAXT)
            return FC_OP_NONE;     /* a long body: not an operator macro */
        ts[n] = a, te[n] = e, tk[n] = k;
        n++;
    }
#define TOK_IS(i, lit) (te[i] - ts[i] == sizeof(lit) - 1 && !memcmp(text + ts[i], lit, sizeof(lit) - 1))
    fc_op best = FC_OP_NONE;
    int best_prec = 100, depth = 0;
    bool after_operand = false, bad = false;
    unsigned lo = 0, hi = n;
    /* strip parentheses around the whole body */
    while (hi - lo >= 2 && TOK_IS(lo, "(") && TOK_IS(hi - 1, ")")) {
        int d = 0;
        bool wrap = true;
        for (unsigned i = lo; i < hi - 1 && wrap; i++) {
            d += TOK_IS(i, "(") - TOK_IS(i, ")");
            if (d == 0)
                wrap = false;   /* the first '(' closes before the end */
        }
        if (!wrap)
            break;
        lo++, hi--;
    }
    if (single && hi - lo != 1)
        bad = true;
    for (unsigned i = lo; i < hi && !bad; i++) {
        if (tk[i] != TK_PUNCT) {
            after_operand = true;
            continue;
        }
        if (TOK_IS(i, "(") || TOK_IS(i, "[") || TOK_IS(i, "{")) {
            depth++;
            after_operand = false;
        } else if (TOK_IS(i, ")") || TOK_IS(i, "]") || TOK_IS(i, "}")) {
            depth--;
            after_operand = true;
        } else if (depth == 0 && (TOK_IS(i, "?") || TOK_IS(i, ":") || TOK_IS(i, ";") || TOK_IS(i, "#") ||
                                  TOK_IS(i, "##"))) {
            bad = true;
        } else if (depth == 0 && (after_operand || single)) {
            binop_root(text, ts[i], te[i], &best, &best_prec);
            after_operand = false;
        } else {
            after_operand = TOK_IS(i, "++") || TOK_IS(i, "--") ? after_operand : false;
        }
    }
#undef TOK_IS
    return bad ? FC_OP_NONE : best;
}

/* The `#define`s of a file, sorted by name then position, built once per
 * file and unit (a linear search per operator was half the run time on
 * stb.h's 14,000 lines). */
typedef struct mdef { const char *name; unsigned nlen; size_t at, bs, be; bool funclike; } mdef;
typedef struct mindex { const char *text; size_t size; mdef *v; size_t n; } mindex;
static mindex mindexes[8];
static unsigned mindex_next;

static int mdef_cmp(const void *x, const void *y)
{
    const mdef *a = x, *b = y;
    unsigned l = a->nlen < b->nlen ? a->nlen : b->nlen;
    int c = memcmp(a->name, b->name, l);
    if (c)
        return c;
    if (a->nlen != b->nlen)
        return a->nlen < b->nlen ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

static void hdr_macros_reset(void);
static void cleanup_macros_reset(void);

static void macro_index_reset(void)
{
    hdr_macros_reset();
    cleanup_macros_reset();
    memset(body_ops, 0, sizeof body_ops);   /* keyed by text addresses of this unit */
    for (unsigned i = 0; i < sizeof mindexes / sizeof mindexes[0]; i++) {
        free(mindexes[i].v);
        memset(&mindexes[i], 0, sizeof mindexes[i]);
    }
    mindex_next = 0;
}

static const mindex *macro_index(const char *text, size_t size)
{
    for (unsigned i = 0; i < sizeof mindexes / sizeof mindexes[0]; i++)
        if (mindexes[i].text == text && mindexes[i].size == size)
            return &mindexes[i];
    mindex *m = &mindexes[mindex_next++ % (sizeof mindexes / sizeof mindexes[0])];
    free(m->v);
    memset(m, 0, sizeof *m);
    m->text = text;
    m->size = size;
    size_t cap = 0;
    for (size_t i = 0; i < size; i++) {
        /* memchr to the next '#': a byte loop was 52 M instructions over
         * SQLite's 8.9 MB amalgamation */
        const char *hash = memchr(text + i, '#', size - i);
        if (!hash)
            break;
        i = (size_t)(hash - text);
        if (i && text[i - 1] != '\n' && text[i - 1] != ' ' && text[i - 1] != '\t')
            continue;
        size_t j = i + 1;
        while (j < size && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (size - j < 7 || strncmp(text + j, "define", 6) || (text[j + 6] != ' ' && text[j + 6] != '\t'))
            continue;
        j += 6;
        while (j < size && (text[j] == ' ' || text[j] == '\t'))
            j++;
        size_t ns = j;
        while (j < size && fc_ident_char(text[j]))
            j++;
        if (j == ns)
            continue;
        mdef d = { text + ns, (unsigned)(j - ns), i, 0, 0, j < size && text[j] == '(' };
        if (d.funclike) {
            while (j < size && text[j] != ')' && text[j] != '\n')
                j++;
            if (j >= size || text[j] != ')')
                continue;
            j++;
        }
        size_t e = j;
        while (e < size && (text[e] != '\n' || (e > j && text[e - 1] == '\\')))
            e++;
        d.bs = j;
        d.be = e;
        if (m->n == cap) {
            cap = cap ? cap * 2 : 64;
            m->v = fc_xrealloc(m->v, cap * sizeof *m->v);
        }
        m->v[m->n++] = d;
        i = e;
    }
    if (m->n)
        qsort(m->v, m->n, sizeof *m->v, mdef_cmp);
    return m;
}

/* The body of the last `#define name` before offset limit (alternatives
 * under #if and examples in comments come first), or false. */
static bool find_macro_body(const char *text, size_t size, size_t limit, const char *name, size_t *bstart,
                            size_t *bend, bool *funclike)
{
    const mindex *m = macro_index(text, size);
    size_t nl = strlen(name), lo = 0, hi = m->n;
    while (lo < hi) {   /* first entry with this name */
        size_t mid = (lo + hi) / 2;
        const mdef *d = &m->v[mid];
        unsigned l = d->nlen < nl ? d->nlen : (unsigned)nl;
        int c = memcmp(d->name, name, l);
        if (c < 0 || (c == 0 && d->nlen < nl))
            lo = mid + 1;
        else
            hi = mid;
    }
    bool found = false;
    for (size_t i = lo; i < m->n && m->v[i].nlen == nl && !memcmp(m->v[i].name, name, nl); i++) {
        if (m->v[i].at >= limit)
            break;
        *bstart = m->v[i].bs;
        *bend = m->v[i].be;
        *funclike = m->v[i].funclike;
        found = true;
    }
    return found;
}

/* The macro named by the token at offset off of f, looked up in f. */
static fc_op op_from_macro_at(CXTranslationUnit tu, CXFile f, unsigned off, bool want_funclike)
{
    size_t size = 0;
    const char *text = clang_getFileContents(tu, f, &size);
    if (!text || off >= size)
        return FC_OP_NONE;
    size_t e = off;
    while (e < size && fc_ident_char(text[e]))
        e++;
    if (e == off || e - off >= 128)
        return FC_OP_NONE;
    char name[128];
    memcpy(name, text + off, e - off);
    name[e - off] = 0;
    size_t bs = 0, be = 0;
    bool funclike = false;
    if (!find_macro_body(text, size, off, name, &bs, &be, &funclike) || funclike != want_funclike)
        return FC_OP_NONE;
    (void)tu;
    return op_of_macro_body(text, size, bs, be, !want_funclike);
}

/* ---- Which binary expression of a macro body is this one ----
 *
 * Every node built from a function-like macro's body shares one expansion
 * location, so `*((s)->top++) = (v)` inside libyaml's
 * `#define PUSH(s,v) (*((s)->top++) = (v), 1)` looked like the whole body,
 * whose operator is ',' (QA F8: the store was lost, the pushed block
 * "leaked").  The body is split at its top-level operator, recursively; a
 * split fits the node when each side has the node's operand's shape: a side
 * with a top-level binary operator is a binary node, a single identifier (a
 * parameter: any expression) fits anything, any other side is not a binary
 * node.  The operator of the one fitting split is the answer. */

#define MB_MAXT 512
#define MB_MAXP 16
typedef struct mbody {
    const char *text; size_t ts[MB_MAXT], te[MB_MAXT]; int tk[MB_MAXT]; unsigned n;
    /* the macro's parameters (in text) and the arguments written at the
     * call (in ctext): 0 an argument of several tokens, else its one
     * token's kind; np 0 when unknown */
    const char *ctext; unsigned np; size_t ps[MB_MAXP], pe[MB_MAXP], as[MB_MAXP], ae[MB_MAXP]; int ak[MB_MAXP];
} mbody;

static bool mb_is(const mbody *b, unsigned i, const char *lit)
{
    size_t l = strlen(lit);
    return b->te[i] - b->ts[i] == l && !memcmp(b->text + b->ts[i], lit, l);
}

/* [lo, hi) without parentheses around all of it. */
static void mb_unparen(const mbody *b, unsigned *lo, unsigned *hi)
{
    while (*hi - *lo >= 2 && mb_is(b, *lo, "(") && mb_is(b, *hi - 1, ")")) {
        int d = 0;
        for (unsigned i = *lo; i < *hi - 1; i++) {
            d += mb_is(b, i, "(") - mb_is(b, i, ")");
            if (d == 0)
                return;
        }
        (*lo)++, (*hi)--;
    }
}

/* The top-level binary operator of [lo, hi) and its index, or FC_OP_NONE
 * (also for a range this reading does not understand: ;, #).  *cond: the
 * root is a conditional `c ? x : y` instead, whose '?' is at *at. */
static fc_op mb_top(const mbody *b, unsigned lo, unsigned hi, unsigned *at, bool *cond)
{
    fc_op best = FC_OP_NONE;
    int best_prec = 100, depth = 0;
    bool after_operand = false;
    *cond = false;
    for (unsigned i = lo; i < hi; i++) {
        if (b->tk[i] != TK_PUNCT) {
            after_operand = true;
            continue;
        }
        if (mb_is(b, i, "(") || mb_is(b, i, "[") || mb_is(b, i, "{")) {
            depth++;
            after_operand = false;
        } else if (mb_is(b, i, ")") || mb_is(b, i, "]") || mb_is(b, i, "}")) {
            depth--;
            after_operand = true;
        } else if (depth == 0 && (mb_is(b, i, ";") || mb_is(b, i, "#") || mb_is(b, i, "##"))) {
            *cond = false;
            return FC_OP_NONE;
        } else if (depth == 0 && mb_is(b, i, "?")) {
            if (3 < best_prec) {     /* right-associative: the leftmost */
                best = FC_OP_NONE;
                best_prec = 3;
                *at = i;
                *cond = true;
            }
            after_operand = false;
        } else if (depth == 0 && mb_is(b, i, ":")) {
            after_operand = false;
        } else if (depth == 0 && after_operand) {
            if (binop_root(b->text, b->ts[i], b->te[i], &best, &best_prec)) {
                *at = i;
                *cond = false;
            }
            after_operand = false;
        } else if (!mb_is(b, i, "++") && !mb_is(b, i, "--")) {
            after_operand = false;
        }
    }
    return best;
}

static bool mb_binary_node(CXCursor c)
{
    for (int guard = 0; guard < 64; guard++) {
        enum CXCursorKind k = clang_getCursorKind(c);
        CXCursor kk[2];
        if ((k == CXCursor_ParenExpr || k == CXCursor_UnexposedExpr) && fc_children(c, kk, 2) == 1)
            c = kk[0];
        else
            return k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator;
    }
    return false;
}

static enum CXCursorKind mb_node_kind(CXCursor c)
{
    for (int guard = 0; guard < 64; guard++) {
        enum CXCursorKind k = clang_getCursorKind(c);
        CXCursor kk[2];
        if ((k == CXCursor_ParenExpr || k == CXCursor_UnexposedExpr) && fc_children(c, kk, 2) == 1)
            c = kk[0];
        else
            return k;
    }
    return CXCursor_UnexposedExpr;
}

/* [lo, hi) starts with a cast: `(` type-name `)` and an operand after it,
 * the type name made of words and `*`, with a `*` or starting with a basic
 * type's keyword (`(char *)(p)`, `(struct job *)x`, `(void)x`). */
static bool mb_is_cast(const mbody *b, unsigned lo, unsigned hi)
{
    static const char *const kw[] = { "void", "char", "short", "int", "long", "float", "double", "signed",
                                      "unsigned", "struct", "union", "enum", "const", "volatile", "_Bool" };
    if (hi - lo < 4 || !mb_is(b, lo, "(") || b->tk[lo + 1] != TK_WORD)
        return false;
    bool star = false;
    unsigned i = lo + 1;
    for (; i < hi && !mb_is(b, i, ")"); i++) {
        if (mb_is(b, i, "*"))
            star = true;
        else if (b->tk[i] != TK_WORD)
            return false;
    }
    if (i + 1 >= hi)
        return false;   /* nothing after the parentheses */
    for (size_t k = 0; k < sizeof kw / sizeof kw[0] && !star; k++)
        star = mb_is(b, lo + 1, kw[k]);
    return star;
}

/* Does the operand c have the shape of the side [lo, hi)?  A side that
 * starts with a prefix operator or ends with ++/-- is a unary node, one
 * that ends with `.name` / `->name` a member reference, one that starts
 * with a cast a cast, a number or a string a literal.  (QA5 S3: in
 * `jset(joff(jp)->ps)` for `#define jset(p) (p) = 0`, and in dash's
 * `jmove(joff(jp)->ps)` for `(p) = (void *)((char *)(p) + offset)`, the
 * `+` of joff's body, whose right operand is `l`, is not the `=`.) */
static bool mb_side_fits(const mbody *b, unsigned lo, unsigned hi, CXCursor c)
{
    mb_unparen(b, &lo, &hi);
    if (hi <= lo)
        return false;
    if (hi - lo == 1 && b->tk[lo] == TK_WORD) {
        /* a parameter: the argument written at the call has a shape too
         * (`jset2(joff(jp)->ps, 0)` for `((p) = (v))`: v is `0`, so the
         * `+` of joff, whose right operand is `l`, is not this `=`: QA6 T2) */
        for (unsigned k = 0; k < b->np; k++) {
            if (b->pe[k] - b->ps[k] != b->te[lo] - b->ts[lo] ||
                memcmp(b->text + b->ps[k], b->text + b->ts[lo], b->pe[k] - b->ps[k]))
                continue;
            enum CXCursorKind ck = mb_node_kind(c);
            bool lit = ck == CXCursor_IntegerLiteral || ck == CXCursor_FloatingLiteral ||
                       ck == CXCursor_CharacterLiteral || ck == CXCursor_StringLiteral;
            if (b->ak[k] == TK_NUM || b->ak[k] == TK_STR)
                return lit;
            if (b->ak[k] == 0)
                return !lit && ck != CXCursor_DeclRefExpr;
            if (b->ak[k] == TK_WORD && ck == CXCursor_DeclRefExpr) {
                CXString s = clang_getCursorSpelling(fc_strip(c));
                const char *cs = clang_getCString(s);
                bool same = cs && strlen(cs) == b->ae[k] - b->as[k] && !memcmp(cs, b->ctext + b->as[k], strlen(cs));
                clang_disposeString(s);
                return same;
            }
            return true;
        }
        return true;
    }
    if (hi - lo == 1 && (b->tk[lo] == TK_NUM || b->tk[lo] == TK_STR)) {
        enum CXCursorKind k = mb_node_kind(c);
        return k == CXCursor_IntegerLiteral || k == CXCursor_FloatingLiteral || k == CXCursor_CharacterLiteral ||
               k == CXCursor_StringLiteral;
    }
    unsigned at = 0;
    bool cond = false;
    bool bin = mb_top(b, lo, hi, &at, &cond) != FC_OP_NONE;
    if (bin != mb_binary_node(c))
        return false;
    if (bin || cond)
        return true;
    enum CXCursorKind k = mb_node_kind(c);
    if (mb_is_cast(b, lo, hi))
        return k == CXCursor_CStyleCastExpr;
    if (mb_is(b, lo, "*") || mb_is(b, lo, "&") || mb_is(b, lo, "!") || mb_is(b, lo, "~") || mb_is(b, lo, "-") ||
        mb_is(b, lo, "++") || mb_is(b, lo, "--") || mb_is(b, hi - 1, "++") || mb_is(b, hi - 1, "--"))
        return k == CXCursor_UnaryOperator;
    if (hi - lo >= 2 && b->tk[hi - 1] == TK_WORD && (mb_is(b, hi - 2, ".") || mb_is(b, hi - 2, "->")))
        return k == CXCursor_MemberRefExpr;
    return true;
}

/* Fitting splits of [lo, hi) and below: *found counts them, *op is the
 * operator if they agree (FC_OP_NONE if they do not). */
static void mb_search(const mbody *b, unsigned lo, unsigned hi, CXCursor a, CXCursor c, int depth, unsigned *found,
                      fc_op *op)
{
    mb_unparen(b, &lo, &hi);
    unsigned at = 0;
    bool cond = false;
    fc_op top = mb_top(b, lo, hi, &at, &cond);
    if (depth > 16)
        return;
    if (cond) {   /* c ? x : y: look in all three */
        int d = 0, q = 0;
        unsigned colon = 0;
        for (unsigned i = at + 1; i < hi && !colon; i++) {
            d += mb_is(b, i, "(") + mb_is(b, i, "[") + mb_is(b, i, "{") - mb_is(b, i, ")") - mb_is(b, i, "]") -
                 mb_is(b, i, "}");
            if (d == 0 && mb_is(b, i, "?"))
                q++;
            else if (d == 0 && mb_is(b, i, ":") && q-- == 0)
                colon = i;
        }
        if (!colon)
            return;
        mb_search(b, lo, at, a, c, depth + 1, found, op);
        mb_search(b, at + 1, colon, a, c, depth + 1, found, op);
        mb_search(b, colon + 1, hi, a, c, depth + 1, found, op);
        return;
    }
    if (top == FC_OP_NONE)
        return;
    if (mb_side_fits(b, lo, at, a) && mb_side_fits(b, at + 1, hi, c)) {
        if (!*found)
            *op = top;
        else if (*op != top)
            *op = FC_OP_NONE;   /* disagreeing fits: none, and none stays */
        ++*found;
    }
    mb_search(b, lo, at, a, c, depth + 1, found, op);
    mb_search(b, at + 1, hi, a, c, depth + 1, found, op);
}

/* Function-like macros of the unit's own (non-system) headers, built once
 * per unit: libyaml defines PUSH in yaml_private.h and calls it in api.c. */
typedef struct hmac { mdef d; const char *text; } hmac;
static struct { CXTranslationUnit tu; hmac *v; size_t n, cap; } hdr_macros;

static void hdr_macros_reset(void)
{
    free(hdr_macros.v);
    memset(&hdr_macros, 0, sizeof hdr_macros);
}

static void hdr_visit(CXFile f, CXSourceLocation *stack, unsigned len, CXClientData data)
{
    CXTranslationUnit tu = data;
    if (len == 0 || clang_Location_isInSystemHeader(stack[0]))
        return;     /* the main file, or included from a system header */
    if (clang_Location_isInSystemHeader(clang_getLocationForOffset(tu, f, 0)))
        return;
    size_t size = 0;
    const char *text = clang_getFileContents(tu, f, &size);
    if (!text)
        return;
    const mindex *m = macro_index(text, size);
    for (size_t i = 0; i < m->n; i++) {
        if (!m->v[i].funclike)
            continue;
        if (hdr_macros.n == hdr_macros.cap) {
            hdr_macros.cap = hdr_macros.cap ? hdr_macros.cap * 2 : 64;
            hdr_macros.v = fc_xrealloc(hdr_macros.v, hdr_macros.cap * sizeof *hdr_macros.v);
        }
        hdr_macros.v[hdr_macros.n++] = (hmac){ m->v[i], text };
    }
}

/* The first definition of the function-like macro name in the unit's own
 * headers (in inclusion order), or false. */
static bool find_header_macro(CXTranslationUnit tu, const char *name, const char **text, size_t *bs, size_t *be)
{
    if (hdr_macros.tu != tu) {
        hdr_macros_reset();
        hdr_macros.tu = tu;
        clang_getInclusions(tu, hdr_visit, tu);
    }
    size_t nl = strlen(name);
    for (size_t i = 0; i < hdr_macros.n; i++) {
        const mdef *d = &hdr_macros.v[i].d;
        if (d->nlen == nl && !memcmp(d->name, name, nl)) {
            *text = hdr_macros.v[i].text;
            *bs = d->bs;
            *be = d->be;
            return true;
        }
    }
    return false;
}

/* ---- Macros that stand for a cleanup attribute ----
 *
 * When `AUTO` of `AUTO char *t` is a macro defined in a header, libclang
 * 14 gives the attribute the extent of the word AUTO, so its tokens are not
 * the attribute's.  The word is looked up as a macro of any file of the
 * unit, and the macros its body names are followed (GLib's g_autofree is
 * _GLIB_CLEANUP(g_autoptr_cleanup_generic_gfree), itself
 * __attribute__((cleanup(func)))) until `cleanup ( f )`; a parameter f is
 * replaced by the argument written at the call (QA5 S23). */
struct mfind { CXTranslationUnit tu; const char *name; const char *text; size_t bs, be; bool found; };

/* answers per unit: the same few macros on every variable (finding one
 * indexes the #defines of every file of the unit); reset with the unit */
static struct { char name[64]; struct mfind mf; } cm_seen[32];
static unsigned cm_nseen;

static void cleanup_macros_reset(void)
{
    cm_nseen = 0;
}

static void mfind_visit(CXFile f, CXSourceLocation *stack, unsigned len, CXClientData d)
{
    (void)stack;
    (void)len;
    struct mfind *mf = d;
    size_t size = 0;
    bool funclike;
    const char *text = mf->found ? NULL : clang_getFileContents(mf->tu, f, &size);
    if (text && find_macro_body(text, size, size, mf->name, &mf->bs, &mf->be, &funclike)) {
        mf->text = text;
        mf->found = true;
    }
}

#define CM_MAXT 96
/* Finds cleanup(f) in the expansion of the macro `name`: f in out ("" when
 * it is no single word), *param the index of the macro's parameter f is,
 * or -1. */
static bool cleanup_in_macro(CXTranslationUnit tu, const char *name, int depth, int *budget, char *out, size_t n,
                             int *param)
{
    *param = -1;
    if (depth > 6 || --*budget < 0)
        return false;
    struct mfind mf = { tu, name, NULL, 0, 0, false };
    unsigned si = 0;
    while (si < cm_nseen && strcmp(cm_seen[si].name, name))
        si++;
    if (si < cm_nseen) {
        mf = cm_seen[si].mf;
    } else {
        clang_getInclusions(tu, mfind_visit, &mf);
        if (strlen(name) < sizeof cm_seen[0].name) {
            unsigned slot = cm_nseen < 32 ? cm_nseen++ : (unsigned)(name[0] + strlen(name)) % 32;
            strcpy(cm_seen[slot].name, name);
            cm_seen[slot].mf = mf;
        }
    }
    if (!mf.found)
        return false;
    size_t ts[CM_MAXT], te[CM_MAXT];
    int tk[CM_MAXT];
    unsigned nt = 0;
    for (size_t pos = mf.bs; pos < mf.be && nt < CM_MAXT;) {
        int k = lex_at(mf.text, mf.be, pos, &ts[nt], &te[nt]);
        if (k == TK_EOF)
            break;
        pos = te[nt];
        if (k != TK_COMMENT)
            tk[nt++] = k;
    }
    /* the parameters: `#define name(a, b)` ends right before the body */
    size_t ps = mf.bs;
    while (ps > 0 && mf.text[ps - 1] != '(' && mf.text[ps - 1] != '\n')
        ps--;
    bool funclike = mf.bs > 0 && mf.text[mf.bs - 1] == ')' && ps > 0 && mf.text[ps - 1] == '(';
#define CM_IS(i, lit) (te[i] - ts[i] == strlen(lit) && !memcmp(mf.text + ts[i], lit, te[i] - ts[i]))
    bool found = false;
    for (unsigned i = 0; i + 3 < nt && !found; i++)
        if (tk[i] == TK_WORD && (CM_IS(i, "cleanup") || CM_IS(i, "__cleanup__")) && CM_IS(i + 1, "(") &&
            CM_IS(i + 3, ")")) {
            size_t l = tk[i + 2] == TK_WORD && te[i + 2] - ts[i + 2] < n ? te[i + 2] - ts[i + 2] : 0;
            memcpy(out, mf.text + ts[i + 2], l);
            out[l] = 0;
            found = true;
        }
    for (unsigned i = 0; i < nt && !found; i++) {
        if (tk[i] != TK_WORD || CM_IS(i, "__attribute__") || te[i] - ts[i] >= 128)
            continue;
        char sub[128];
        memcpy(sub, mf.text + ts[i], te[i] - ts[i]);
        sub[te[i] - ts[i]] = 0;
        int sp;
        if (!cleanup_in_macro(tu, sub, depth + 1, budget, out, n, &sp))
            continue;
        found = true;
        if (sp < 0)
            break;
        /* f is sub's parameter sp: the argument written here, if a word */
        out[0] = 0;
        int d = 0, arg = 0;
        for (unsigned j = i + 1; j < nt && i + 1 < nt && CM_IS(i + 1, "("); j++) {
            if (CM_IS(j, "(")) {
                d++;
            } else if (CM_IS(j, ")")) {
                if (--d == 0)
                    break;
            } else if (d == 1 && CM_IS(j, ",")) {
                arg++;
            } else if (d == 1 && arg == sp && tk[j] == TK_WORD && te[j] - ts[j] < n &&
                       (CM_IS(j + 1, ",") || CM_IS(j + 1, ")"))) {
                memcpy(out, mf.text + ts[j], te[j] - ts[j]);
                out[te[j] - ts[j]] = 0;
            }
        }
    }
    if (found && out[0] && funclike) {
        /* is f one of this macro's parameters? */
        int k = 0;
        for (size_t pos = ps; pos < mf.bs - 1;) {
            size_t s0, e0;
            int kind = lex_at(mf.text, mf.bs - 1, pos, &s0, &e0);
            if (kind == TK_EOF)
                break;
            pos = e0;
            if (kind == TK_WORD && e0 - s0 == strlen(out) && !memcmp(mf.text + s0, out, e0 - s0))
                *param = k;
            else if (kind == TK_PUNCT && e0 - s0 == 1 && mf.text[s0] == ',')
                k++;
        }
    }
#undef CM_IS
    return found;
}

bool fc_macro_cleanup(CXTranslationUnit tu, const char *name, char *out, size_t n)
{
    int budget = 24, param;
    out[0] = 0;
    return n > 1 && cleanup_in_macro(tu, name, 0, &budget, out, n, &param);
}

/* The operator of the binary node with operands a and c that the call of
 * the function-like macro named at offset off of f builds. */
static fc_op op_from_macro_split(CXTranslationUnit tu, CXFile f, unsigned off, CXCursor a, CXCursor c)
{
    size_t size = 0;
    const char *text = clang_getFileContents(tu, f, &size);
    if (!text || off >= size)
        return FC_OP_NONE;
    const char *ctext = text;
    size_t csize = size;
    size_t e = off;
    while (e < size && fc_ident_char(text[e]))
        e++;
    if (e == off || e - off >= 128)
        return FC_OP_NONE;
    char name[128];
    memcpy(name, text + off, e - off);
    name[e - off] = 0;
    size_t bs = 0, be = 0;
    bool funclike = false;
    if (!find_macro_body(text, size, off, name, &bs, &be, &funclike)) {
        if (!find_header_macro(tu, name, &text, &bs, &be))
            return FC_OP_NONE;
        funclike = true;
    }
    if (!funclike)
        return FC_OP_NONE;
    mbody *b = fc_xmalloc(sizeof *b);
    b->text = text;
    b->n = 0;
    b->np = 0;
    b->ctext = ctext;
    /* parameters: `#define NAME(a, b)` ends right before the body */
    size_t ps = bs;
    while (ps > 0 && text[ps - 1] != '(' && text[ps - 1] != '\n')
        ps--;
    if (bs > 0 && text[bs - 1] == ')' && ps > 0 && text[ps - 1] == '(') {
        for (size_t pos = ps; pos < bs - 1 && b->np < MB_MAXP;) {
            size_t s0, e0;
            int k = lex_at(text, bs - 1, pos, &s0, &e0);
            if (k == TK_EOF)
                break;
            pos = e0;
            if (k == TK_WORD)
                b->ps[b->np] = s0, b->pe[b->np] = e0, b->np++;
        }
        /* the arguments at the call: NAME ( arg , arg ) */
        unsigned na = 0;
        size_t pos = e, s0, e0;
        int d = 0, ntok = 0, kind = 0;
        bool ok_args = lex_at(ctext, csize, pos, &s0, &e0) == TK_PUNCT && ctext[s0] == '(';
        for (pos = e0; ok_args;) {
            int k = lex_at(ctext, csize, pos, &s0, &e0);
            if (k == TK_EOF || na >= MB_MAXP) {
                ok_args = false;
                break;
            }
            pos = e0;
            if (k == TK_COMMENT)
                continue;
            bool open = k == TK_PUNCT && (ctext[s0] == '(' || ctext[s0] == '[' || ctext[s0] == '{');
            bool close = k == TK_PUNCT && (ctext[s0] == ')' || ctext[s0] == ']' || ctext[s0] == '}');
            if (d == 0 && k == TK_PUNCT && e0 - s0 == 1 && (ctext[s0] == ',' || ctext[s0] == ')')) {
                b->ak[na] = ntok == 1 ? kind : 0;
                na++;
                ntok = 0;
                if (ctext[s0] == ')')
                    break;
                continue;
            }
            if (ntok == 0)
                b->as[na] = s0;
            b->ae[na] = e0;
            kind = k;
            ntok++;
            d += open - close;
        }
        if (!ok_args || na != b->np)
            b->np = 0;      /* variadic, or not read: parameters fit anything */
    }
    bool ok = true;
    for (size_t pos = bs; pos < be && ok;) {
        size_t s0, e0;
        int k = lex_at(text, be, pos, &s0, &e0);
        if (k == TK_EOF)
            break;
        pos = e0;
        if (k == TK_COMMENT)
            continue;
        if (b->n == MB_MAXT)
            ok = false;
        else
            b->ts[b->n] = s0, b->te[b->n] = e0, b->tk[b->n++] = k;
    }
    unsigned found = 0;
    fc_op op = FC_OP_NONE;
    if (ok)
        mb_search(b, 0, b->n, a, c, 0, &found, &op);
    free(b);
    return op;
}

/* Both operands inside one expansion of a function-like macro, or an
 * object-like macro between them. */
static fc_op op_from_macro(CXTranslationUnit tu, CXCursor e, CXCursor a, CXCursor b)
{
    CXFile fe = NULL, fa = NULL, fb = NULL;
    unsigned oe = 0, oa = 0, ob = 0;
    exp_loc(clang_getRangeStart(fc_extent(e)), &fe, &oe);
    exp_loc(clang_getRangeEnd(fc_extent(a)), &fa, &oa);
    exp_loc(clang_getRangeStart(fc_extent(b)), &fb, &ob);
    if (!fe || !fa || !fb || !clang_File_isEqual(fe, fa) || !clang_File_isEqual(fe, fb))
        return FC_OP_NONE;
    if (oa < ob) {
        /* tokens between the operands: an identifier that is an object-like
         * macro standing for the operator */
        CXSourceRange r = clang_getRange(clang_getLocationForOffset(tu, fa, oa), clang_getLocationForOffset(tu, fa, ob));
        CXToken *toks = NULL;
        unsigned n = 0;
        clang_tokenize(tu, r, &toks, &n);
        fc_op op = FC_OP_NONE;
        for (unsigned i = 0; i < n && op == FC_OP_NONE; i++) {
            unsigned toff = 0;
            exp_loc(clang_getTokenLocation(tu, toks[i]), NULL, &toff);
            if (toff < oa || toff >= ob || clang_getTokenKind(toks[i]) != CXToken_Identifier)
                continue;
            op = op_from_macro_at(tu, fa, toff, false);
        }
        if (toks)
            clang_disposeTokens(tu, toks, n);
        return op;
    }
    /* the whole expression is one macro call */
    unsigned oas = 0;
    exp_loc(clang_getRangeStart(fc_extent(a)), NULL, &oas);
    if (oas != oe || ob != oe)
        return FC_OP_NONE;
    return op_from_macro_split(tu, fe, oe, a, b);
}


/* The right operand's first token where it is spelled (inside a macro's
 * body, or in a macro argument): the token just before it is the operator
 * (`(char *)(p) + TAG` inside `#define ENCODE(p) ((T *)((char *)(p) + TAG))`). */
static fc_op op_before_spelling(CXTranslationUnit tu, CXCursor rhs)
{
    CXSourceLocation start = clang_getRangeStart(fc_extent(rhs));
    CXFile f = NULL, fx = NULL;
    unsigned off = 0, offx = 0;
    clang_getSpellingLocation(start, &f, NULL, NULL, &off);
    exp_loc(start, &fx, &offx);
    if (!f || (fx && clang_File_isEqual(f, fx) && off == offx))
        return FC_OP_NONE;
    size_t size = 0;
    const char *text = clang_getFileContents(tu, f, &size);
    if (!text || off >= size || off == 0)
        return FC_OP_NONE;
    unsigned from = off > 8 ? off - 8 : 0;
    CXSourceRange r = clang_getRange(clang_getLocationForOffset(tu, f, from), clang_getLocationForOffset(tu, f, off));
    CXToken *toks = NULL;
    unsigned n = 0;
    clang_tokenize(tu, r, &toks, &n);
    fc_op op = FC_OP_NONE;
    for (unsigned i = n; i-- > 0;) {
        unsigned toff = 0;
        clang_getSpellingLocation(clang_getTokenLocation(tu, toks[i]), NULL, NULL, NULL, &toff);
        if (toff >= off)
            continue;     /* the operand's own first token */
        CXString sp = clang_getTokenSpelling(tu, toks[i]);
        const char *t = clang_getCString(sp);
        /* the operator must end right where the operand (or blanks) begin */
        size_t tl = strlen(t);
        bool adjacent = toff + tl <= off;
        for (size_t k = toff + tl; adjacent && k < off; k++)
            adjacent = text[k] == ' ' || text[k] == '\t';
        if (adjacent && clang_getTokenKind(toks[i]) == CXToken_Punctuation)
            op = op_of_binary_token(t);
        if (op == FC_OP_COMMA)
            op = FC_OP_NONE;  /* `F(a, b)`: separates macro arguments */
        clang_disposeString(sp);
        break;
    }
    if (toks)
        clang_disposeTokens(tu, toks, n);
    return op;
}


/* Last resort, for an operator inside a macro body that the token scans
 * cannot place (libclang 14 reports body tokens at the expansion point):
 * a pointer-typed result of a pointer and an integer is pointer
 * arithmetic, unless the integer is the constant 0 (`p = 0` is as likely). */
static bool is_int_type(CXType t)
{
    t = clang_getCanonicalType(t);
    return (t.kind >= CXType_Bool && t.kind <= CXType_Int128) || t.kind == CXType_Enum;
}

static bool is_lvalue_form(CXCursor c)
{
    c = fc_strip(c);
    enum CXCursorKind k = clang_getCursorKind(c);
    return k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr || k == CXCursor_ArraySubscriptExpr ||
           (k == CXCursor_UnaryOperator && fc_unop(NULL, c) == FC_OP_DEREF);
}

static fc_op op_from_types(CXCursor e, CXCursor a, CXCursor b)
{
    if (clang_getCursorKind(e) != CXCursor_BinaryOperator ||
        fc_canon_type_of(e).kind != CXType_Pointer)
        return FC_OP_NONE;
    bool ap = fc_canon_type_of(a).kind == CXType_Pointer;
    bool bp = fc_canon_type_of(b).kind == CXType_Pointer;
    /* a pointer from two pointers: `=` (or a rare `,`) — an lvalue on the
     * left is taken as the assignment (`e->table[i].v = v` in a generated
     * function) */
    if (ap && bp)
        return is_lvalue_form(a) ? FC_OP_ASSIGN : FC_OP_NONE;
    CXCursor num = ap ? b : a;
    if (!(ap || bp) || !is_int_type(clang_getCursorType(num)))
        return FC_OP_NONE;
    if (ap) {
        CXEvalResult ev = clang_Cursor_Evaluate(num);
        bool zero = !ev || (clang_EvalResult_getKind(ev) == CXEval_Int && clang_EvalResult_getAsLongLong(ev) == 0);
        if (ev)
            clang_EvalResult_dispose(ev);
        if (zero)
            return FC_OP_NONE;
    }
    return FC_OP_ADD;
}

static fc_cmap *op_map;
static CXTranslationUnit op_tu;

static void op_cache_reset(void)
{
    fc_cmap_free(op_map);
    op_map = NULL;
    op_tu = NULL;
}

/* Operator kinds are cached for the whole unit, not per function: the
 * AST passes (check_ast.c) ask without a function, and every pass asks
 * about the same expressions.  Keys are statement nodes, so the map is
 * dropped when the unit changes (fc_children_cache_reset, or another TU). */

static fc_op cached(fc_func *fn, CXCursor c, bool *hit)
{
    (void)fn;
    int *w = fc_walk_memo(c, FC_MEMO_OP);   /* a recorded node: its own word (op + 1) */
    if (w) {
        *hit = *w != 0;
        return *w ? (fc_op)(*w - 1) : FC_OP_NONE;
    }
    int v;
    if (op_map && op_tu == clang_Cursor_getTranslationUnit(c) && fc_cmap_get(op_map, c, &v)) {
        *hit = true;
        return (fc_op)v;
    }
    *hit = false;
    return FC_OP_NONE;
}

static void cache_put(fc_func *fn, CXCursor c, fc_op op)
{
    (void)fn;
    int *w = fc_walk_memo(c, FC_MEMO_OP);
    if (w) {
        *w = (int)op + 1;
        return;
    }
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
    if (!op_map || op_tu != tu) {
        fc_cmap_free(op_map);
        op_map = fc_cmap_new();
        op_tu = tu;
    }
    fc_cmap_put(op_map, c, (int)op);
}

/* ---- Operators read where the operand starts ----
 *
 * The common case needs no extent (an extent measures its last token: about
 * 1,800 instructions): when the right operand's location is a file location
 * (not in a macro: clang marks macro locations with the top bit of the
 * encoding, CXSourceLocation.int_data), the operator is the last token
 * before it, found by going back over blanks on the same line to a run of
 * punctuation and lexing that run, or the token after a left operand of one
 * token (a name, a number) written in the file; a prefix operator is the
 * token where its expression starts, a postfix one the last token of its
 * extent.  Anything else (a macro, a comment or a line break in between, a
 * member name, a token that is no operator) takes the general path below,
 * which scans between the operands' extents. */

static const char *file_text_at(CXTranslationUnit tu, CXSourceLocation l, unsigned *off, size_t *size)
{
    if (l.int_data & 0x80000000u)
        return NULL;
    const file_range *r = range_of(l);
    if (r) {
        *off = l.int_data - r->start;
        *size = r->size;
        return r->text;
    }
    CXFile f = NULL;
    clang_getExpansionLocation(l, &f, NULL, NULL, off);
    if (!f)
        return NULL;
    const char *t = clang_getFileContents(tu, f, size);
    if (!t || *off > *size)
        return NULL;
    if (l.ptr_data[0] && l.int_data >= *off) {
        /* a file location: its inclusion's range, for the next ones */
        ranges[next_range] = (file_range){ l.ptr_data[0], l.int_data - *off, *size, f, t };
        next_range = (next_range + 1) % NRANGES;
    }
    return t;
}

static bool op_char(char c)
{
    return c && strchr("=<>!&|^+-*/%,.~?:", c) != NULL;
}

static fc_op binop_before_operand(CXTranslationUnit tu, CXCursor rhs)
{
    unsigned off;
    size_t size;
    const char *t = file_text_at(tu, clang_getCursorLocation(rhs), &off, &size);
    if (!t)
        return FC_OP_NONE;
    size_t end = off;
    while (end > 0 && (t[end - 1] == ' ' || t[end - 1] == '\t'))
        end--;
    size_t p = end;
    while (p > 0 && end - p < 4 && op_char(t[p - 1]))
        p--;
    if (p == end || (p > 0 && op_char(t[p - 1])))
        return FC_OP_NONE;   /* nothing, or a longer run than any operator needs */
    for (size_t i = p; i + 1 < end; i++)
        if ((t[i] == '/' && (t[i + 1] == '*' || t[i + 1] == '/')) || (t[i] == '*' && t[i + 1] == '/'))
            return FC_OP_NONE;   /* a comment */
    size_t pos = p, ts = 0, te = 0, ls = 0, le = 0;
    while (pos < end) {
        if (lex_at(t, size, pos, &ts, &te) != TK_PUNCT || te > end)
            return FC_OP_NONE;
        ls = ts;
        le = te;
        pos = te;
    }
    char tok[4];
    if (le - ls >= sizeof tok)
        return FC_OP_NONE;
    memcpy(tok, t + ls, le - ls);
    tok[le - ls] = 0;
    return op_of_binary_token(tok);
}

/* The token after a one-token left operand (a name or a number written in
 * the file): `rc == SQLITE_OK`, where the right operand is a macro. */
static fc_op binop_after_operand(CXTranslationUnit tu, CXCursor lhs)
{
    lhs = fc_strip(lhs);
    enum CXCursorKind k = clang_getCursorKind(lhs);
    if (k != CXCursor_DeclRefExpr && k != CXCursor_IntegerLiteral && k != CXCursor_CharacterLiteral)
        return FC_OP_NONE;
    unsigned off;
    size_t size, ts, te, os, oe;
    const char *t = file_text_at(tu, clang_getCursorLocation(lhs), &off, &size);
    if (!t)
        return FC_OP_NONE;
    int tk = lex_at(t, size, off, &ts, &te);
    if ((tk != TK_WORD && tk != TK_NUM && tk != TK_STR) || ts != off)
        return FC_OP_NONE;
    if (lex_at(t, size, te, &os, &oe) != TK_PUNCT || oe - os >= 4)
        return FC_OP_NONE;
    char tok[4];
    memcpy(tok, t + os, oe - os);
    tok[oe - os] = 0;
    fc_op op = op_of_binary_token(tok);
    return op == FC_OP_COMMA ? FC_OP_NONE : op;   /* a comma may separate macro arguments */
}

static fc_op op_of_prefix_token(const char *t);

static fc_op prefix_op_at(CXTranslationUnit tu, CXCursor e)
{
    unsigned off;
    size_t size, ts, te;
    const char *t = file_text_at(tu, clang_getCursorLocation(e), &off, &size);
    if (!t)
        return FC_OP_NONE;
    int k = lex_at(t, size, off, &ts, &te);
    if ((k != TK_PUNCT && k != TK_WORD) || ts != off || te - ts >= 16)
        return FC_OP_NONE;
    char tok[16];
    memcpy(tok, t + ts, te - ts);
    tok[te - ts] = 0;
    return op_of_prefix_token(tok);
}

/* x++ / x--: the expression's last token (one extent instead of two). */
static fc_op postfix_op_at_end(CXTranslationUnit tu, CXCursor e)
{
    unsigned off;
    size_t size;
    const char *t = file_text_at(tu, clang_getRangeEnd(fc_extent(e)), &off, &size);
    if (!t || off < 2)
        return FC_OP_NONE;
    if (t[off - 2] == '+' && t[off - 1] == '+')
        return FC_OP_POSTINC;
    if (t[off - 2] == '-' && t[off - 1] == '-')
        return FC_OP_POSTDEC;
    return FC_OP_NONE;
}

fc_op fc_binop(fc_func *fn, CXCursor e)
{
    bool hit;
    fc_op op = cached(fn, e, &hit);
    if (hit)
        return op;
    CXCursor k[3];
    unsigned n = fc_children(e, k, 3);
    op = FC_OP_NONE;
    if (n == 2)
        op = binop_before_operand(clang_Cursor_getTranslationUnit(e), k[1]);
    if (n == 2 && op == FC_OP_NONE)
        op = binop_after_operand(clang_Cursor_getTranslationUnit(e), k[0]);
    if (n == 2 && op == FC_OP_NONE) {
        CXTranslationUnit tu = clang_Cursor_getTranslationUnit(e);
        /* The right operand's cursor location, not its extent: an extent
         * measures its last token (about half of this function's cost).  The
         * location is the operand's first token, or for `s.f` the member name:
         * either way the operator comes first in the scan. */
        CXSourceLocation a = clang_getRangeEnd(fc_extent(k[0])), b = clang_getCursorLocation(k[1]);
        if (file_offset(a) <= file_offset(b))
            op = scan_tokens(tu, a, b, op_of_binary_token, false);
        if (op == FC_OP_NONE)
            op = op_after_spelling(tu, k[0]);
        if (op == FC_OP_NONE)
            op = op_before_spelling(tu, k[1]);
        if (op == FC_OP_NONE)
            op = op_from_macro(tu, e, k[0], k[1]);
        if (op == FC_OP_NONE)
            op = op_from_types(e, k[0], k[1]);
    }
    if (n == 2 && clang_getCursorKind(e) == CXCursor_CompoundAssignOperator &&
        (op < FC_OP_ASSIGN || op > FC_OP_OTHER_ASSIGN))
        op = FC_OP_OTHER_ASSIGN;
    cache_put(fn, e, op);
    return op;
}

static fc_op op_of_prefix_token(const char *t)
{
    static const struct { const char *s; fc_op op; } tab[] = {
        { "&", FC_OP_ADDR }, { "*", FC_OP_DEREF }, { "+", FC_OP_PLUS }, { "-", FC_OP_MINUS },
        { "~", FC_OP_BNOT }, { "!", FC_OP_LNOT }, { "++", FC_OP_PREINC }, { "--", FC_OP_PREDEC },
        { "__real__", FC_OP_REAL }, { "__imag__", FC_OP_IMAG }, { "__extension__", FC_OP_EXTENSION },
        { "__real", FC_OP_REAL }, { "__imag", FC_OP_IMAG },
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (!strcmp(tab[i].s, t))
            return tab[i].op;
    return FC_OP_NONE;
}

static fc_op op_of_postfix_token(const char *t)
{
    if (!strcmp(t, "++"))
        return FC_OP_POSTINC;
    if (!strcmp(t, "--"))
        return FC_OP_POSTDEC;
    return FC_OP_NONE;
}

/* An operator written inside a macro body has no file tokens of its own
 * (libclang 14 puts them all at the expansion point), and libclang 14 does
 * not pretty-print expressions.  Three unary operators are known from the
 * types alone: `*p` yields what p points to, `&x` a pointer to x's type
 * (`*err = aprintf(...)` inside zlib's `do { ... } while (0)` macro), and
 * `!p` an int from a pointer. */
static fc_op unop_from_types(CXCursor e, CXCursor operand)
{
    CXType rt = fc_canon_type_of(e);
    CXType ot = fc_canon_type_of(operand);
    if (rt.kind == CXType_Invalid || ot.kind == CXType_Invalid)
        return FC_OP_NONE;
    if (ot.kind == CXType_Pointer &&
        clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(ot)), rt))
        return FC_OP_DEREF;
    if (rt.kind == CXType_Pointer &&
        clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(rt)), ot))
        return FC_OP_ADDR;
    /* a pointer in, an int out: no other unary operator does that (`if
     * (!p) return -ENOMEM;` in a CHECK macro, curl's GetStr: read as
     * anything else, the NULL path kept the block and reported it leaked) */
    if (ot.kind == CXType_Pointer && rt.kind == CXType_Int)
        return FC_OP_LNOT;
    return FC_OP_NONE;
}

fc_op fc_unop(fc_func *fn, CXCursor e)
{
    bool hit;
    fc_op op = cached(fn, e, &hit);
    if (hit)
        return op;
    CXCursor k[2];
    unsigned n = fc_children(e, k, 2);
    op = FC_OP_NONE;
    if (n == 1)
        op = prefix_op_at(clang_Cursor_getTranslationUnit(e), e);
    if (n == 1 && op == FC_OP_NONE)
        op = postfix_op_at_end(clang_Cursor_getTranslationUnit(e), e);
    if (n == 1 && op == FC_OP_NONE) {
        CXTranslationUnit tu = clang_Cursor_getTranslationUnit(e);
        CXSourceRange whole = fc_extent(e), in = fc_extent(k[0]);
        CXSourceLocation ws = clang_getRangeStart(whole), is = clang_getRangeStart(in);
        CXSourceLocation we = clang_getRangeEnd(whole), ie = clang_getRangeEnd(in);
        if (file_offset(ws) < file_offset(is)) {
            /* the last operator token before the operand: `- -x` is two nodes */
            op = scan_tokens(tu, ws, is, op_of_prefix_token, false);
        } else if (file_offset(ie) < file_offset(we)) {
            op = scan_tokens(tu, ie, we, op_of_postfix_token, true);
        }
        if (op == FC_OP_NONE)
            op = unop_from_types(e, k[0]);
        if (op == FC_OP_NONE)
            op = op_from_printed(e, k[0], clang_getNullCursor(), NULL);
    }
    cache_put(fn, e, op);
    return op;
}

/* ---- Calls ---- */

CXCursor fc_callee_decl(CXCursor call)
{
    CXCursor d = fc_referenced(call);
    if (clang_getCursorKind(d) == CXCursor_FunctionDecl)
        return d;
    return clang_getNullCursor();
}

const char *fc_callee_name(CXCursor call)
{
    CXCursor d = fc_callee_decl(call);
    if (clang_Cursor_isNull(d))
        return NULL;
    return fc_decl_name(d);
}

int fc_call_nargs(CXCursor call)
{
    return clang_Cursor_getNumArguments(call);
}

CXCursor fc_call_arg(CXCursor call, unsigned i)
{
    return fc_strip(clang_Cursor_getArgument(call, i));
}

static const char *const noreturn_names[] = {
    "exit", "_exit", "_Exit", "abort", "quick_exit", "__assert_fail", "__assert_perror_fail",
    "__assert", "__assert_rtn", "longjmp", "siglongjmp", "_longjmp", "__longjmp_chk",
    "err", "errx", "verr", "verrx", "pthread_exit", "__builtin_unreachable", "__builtin_trap",
    "__stack_chk_fail", "__chk_fail", "thrd_exit", "__cxa_throw", "__fortify_fail",
};

static bool func_noreturn_decl(CXCursor d);

/* Remembered per Decl (decl_names): the type's spelling costs about 5,000
 * instructions, asked at every call statement by the CFG builder. */
bool fc_func_noreturn_decl(CXCursor d)
{
    if (!clang_isDeclaration(d.kind) || !d.data[0])
        return func_noreturn_decl(d);
    decl_names *e = decl_slot(d);
    if (!e->noreturn)
        e->noreturn = func_noreturn_decl(d) ? 2 : 1;
    return e->noreturn == 2;
}

static bool func_noreturn_decl(CXCursor d)
{
    CXString sp = clang_getCursorSpelling(d);
    const char *name = clang_getCString(sp);
    bool nr = false;
    for (size_t i = 0; name && i < sizeof noreturn_names / sizeof noreturn_names[0]; i++)
        if (!strcmp(name, noreturn_names[i]))
            nr = true;
    clang_disposeString(sp);
    if (nr)
        return true;
    CXString ts = clang_getTypeSpelling(clang_getCursorType(d));
    const char *t = clang_getCString(ts);
    nr = t && strstr(t, "noreturn");
    clang_disposeString(ts);
    return nr;
}

bool fc_call_noreturn(CXCursor call)
{
    CXCursor d = fc_callee_decl(call);
    if (clang_Cursor_isNull(d))
        return false;
    return fc_func_noreturn_decl(d);
}

/* ---- Types ---- */

bool fc_type_is_pointer(CXType t)
{
    t = clang_getCanonicalType(t);
    return t.kind == CXType_Pointer;
}

bool fc_type_is_array(CXType t)
{
    t = clang_getCanonicalType(t);
    return t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
           t.kind == CXType_VariableArray || t.kind == CXType_DependentSizedArray;
}

/* ---- Per-TU facts: static variables never written ---- */

struct fc_tu_info {
    CXTranslationUnit tu;
    fc_cmap *written;   /* VarDecl -> 1 when written somewhere (assigned, ++, &taken) */
    bool done;          /* the unit was looked at (on the first question: most never ask) */
    bool scanned;       /* false: no file-scope static to fold, writes not scanned */
    fc_cmap *cand;      /* between fc_tu_info_begin and _end: the candidates */
};

typedef struct {
    fc_tu_info *ti;
    fc_cmap *cand;      /* canonical VarDecl of each file-scope static integer */
} scan_ctx;

/* Does this reference to a candidate static write it?  Only its syntactic
 * parent can tell: the left side of an assignment, the operand of ++, --
 * or &.  A read is under an implicit lvalue-to-rvalue cast (UnexposedExpr);
 * any other parent (parentheses, a cast of an lvalue) counts as a write,
 * which only costs a fold. */
static bool ref_writes(CXCursor ref, CXCursor parent)
{
    enum CXCursorKind pk = clang_getCursorKind(parent);
    if (pk == CXCursor_UnexposedExpr || pk == CXCursor_CallExpr || pk == CXCursor_ArraySubscriptExpr ||
        pk == CXCursor_CaseStmt || pk == CXCursor_ReturnStmt || pk == CXCursor_VarDecl)
        return false;
    if (pk == CXCursor_CompoundAssignOperator || pk == CXCursor_BinaryOperator) {
        CXCursor kk[2];
        if (fc_children(parent, kk, 2) != 2 || kk[0].data[1] != ref.data[1])
            return false;   /* the right side: a read */
        if (pk == CXCursor_CompoundAssignOperator)
            return true;
        fc_op op = fc_binop(NULL, parent);
        return op == FC_OP_ASSIGN || op == FC_OP_OTHER_ASSIGN || op == FC_OP_ADD_ASSIGN || op == FC_OP_SUB_ASSIGN ||
               op == FC_OP_NONE;
    }
    if (pk == CXCursor_UnaryOperator) {
        fc_op op = fc_unop(NULL, parent);
        return op == FC_OP_ADDR || op == FC_OP_PREINC || op == FC_OP_PREDEC || op == FC_OP_POSTINC ||
               op == FC_OP_POSTDEC || op == FC_OP_NONE;
    }
    return true;
}

/* Writes to the candidate statics: only references to them are looked at
 * (asking every operator for its kind and operand was 3% of a run). */
static enum CXChildVisitResult scan_writes(CXCursor c, CXCursor parent, CXClientData data)
{
    scan_ctx *s = data;
    if (c.kind != CXCursor_DeclRefExpr)
        return CXChildVisit_Recurse;
    /* the parent first: most references are reads under an implicit
     * cast, told from the parent's kind without asking what they name */
    if (!ref_writes(c, parent))
        return CXChildVisit_Continue;
    CXCursor d = fc_referenced(c);
    if (clang_getCursorKind(d) != CXCursor_VarDecl)
        return CXChildVisit_Continue;
    CXCursor canon = clang_getCanonicalCursor(d);
    int tmp;
    if (fc_cmap_get(s->cand, canon, &tmp) && !fc_cmap_get(s->ti->written, canon, &tmp))
        fc_cmap_put(s->ti->written, canon, 1);
    return CXChildVisit_Continue;
}

/* The unit's top-level declarations outside system headers, each scanned
 * whole (asking every node for its location was a tenth of the run). */
static enum CXChildVisitResult scan_top(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    if (clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
        return CXChildVisit_Continue;
    fc_visit(c, scan_writes, data);
    return CXChildVisit_Continue;
}

/* The same, minus function definitions (their bodies come through
 * fc_tu_info_see): file-scope initializers such as `int *p = &x;`. */
static enum CXChildVisitResult scan_top_nonfn(CXCursor c, CXCursor parent, CXClientData data)
{
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl && clang_isCursorDefinition(c))
        return CXChildVisit_Continue;
    return scan_top(c, parent, data);
}

/* The file-scope, non-const static integer variables (candidates for
 * folding) outside system headers. */
static enum CXChildVisitResult find_static(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_VarDecl && clang_Cursor_getStorageClass(c) == CX_SC_Static &&
        !clang_Location_isInSystemHeader(clang_getCursorLocation(c))) {
        CXType t = clang_getCanonicalType(clang_getCursorType(c));
        if (!clang_isConstQualifiedType(t) &&
            ((t.kind >= CXType_Bool && t.kind <= CXType_Int128) || t.kind == CXType_Enum))
            fc_cmap_put(d, clang_getCanonicalCursor(c), 1);
    }
    return CXChildVisit_Continue;
}

fc_tu_info *fc_tu_info_build(CXTranslationUnit tu)
{
    fc_tu_info *ti = fc_xcalloc(1, sizeof *ti);
    ti->tu = tu;
    ti->written = fc_cmap_new();
    return ti;
}

/* The scan itself, when a fold first asks about a static variable. */
static bool tu_info_scanned(fc_tu_info *ti)
{
    if (!ti)
        return false;
    if (!ti->done) {
        ti->done = true;
        fc_cmap *cand = fc_cmap_new();
        fc_visit(clang_getTranslationUnitCursor(ti->tu), find_static, cand);
        if (cand->n > 0) {
            /* the whole unit is scanned once for writes to statics */
            scan_ctx s = { ti, cand };
            fc_visit(clang_getTranslationUnitCursor(ti->tu), scan_top, &s);
            ti->scanned = true;
        }
        fc_cmap_free(cand);
    }
    return ti->scanned;
}

void fc_tu_info_begin(fc_tu_info *ti)
{
    if (!ti || ti->done)
        return;
    ti->cand = fc_cmap_new();
    fc_visit(clang_getTranslationUnitCursor(ti->tu), find_static, ti->cand);
    if (ti->cand->n > 0) {
        scan_ctx s = { ti, ti->cand };
        fc_visit(clang_getTranslationUnitCursor(ti->tu), scan_top_nonfn, &s);
    }
}

void fc_tu_info_see(fc_tu_info *ti, CXCursor c, CXCursor parent)
{
    if (!ti || !ti->cand || !ti->cand->n || c.kind != CXCursor_DeclRefExpr)
        return;
    scan_ctx s = { ti, ti->cand };
    scan_writes(c, parent, &s);
}

void fc_tu_info_end(fc_tu_info *ti)
{
    if (!ti || !ti->cand)
        return;
    ti->done = true;
    ti->scanned = ti->cand->n > 0;
    fc_cmap_free(ti->cand);
    ti->cand = NULL;
}

void fc_tu_info_free(fc_tu_info *ti)
{
    if (!ti)
        return;
    fc_cmap_free(ti->cand);
    fc_cmap_free(ti->written);
    free(ti);
}

/* ---- Constant folding ---- */

/* Literal values (and sizeof) never change: clang_Cursor_Evaluate (about
 * 650 instructions with its result's disposal) is asked once per node for
 * the unit.  Values: 0 not asked, 1 not an integer, 2 the integer in lit_v. */
static fc_cmap *lit_map;
static long long *lit_v;
static size_t lit_n, lit_cap;

static void literal_cache_reset(void)
{
    fc_cmap_free(lit_map);
    lit_map = NULL;
    free(lit_v);
    lit_v = NULL;
    lit_n = lit_cap = 0;
}

static bool eval_literal_uncached(CXCursor e, long long *v);

static bool eval_literal(CXCursor e, long long *v)
{
    int k;
    int *w = fc_walk_memo(e, FC_MEMO_LIT);   /* a recorded node: 1 no value, else index + 2 */
    if (w && *w) {
        if (*w == 1)
            return false;
        *v = lit_v[*w - 2];
        return true;
    }
    if (w) {
        bool ok = eval_literal_uncached(e, v);
        if (ok) {
            if (lit_n == lit_cap) {
                lit_cap = lit_cap ? lit_cap * 2 : 256;
                lit_v = fc_xrealloc(lit_v, lit_cap * sizeof *lit_v);
            }
            lit_v[lit_n++] = *v;
        }
        w = fc_walk_memo(e, FC_MEMO_LIT);   /* the walk may have grown */
        *w = ok ? (int)lit_n + 1 : 1;
        return ok;
    }
    if (lit_map && fc_cmap_get(lit_map, e, &k)) {
        if (k < 0)
            return false;
        *v = lit_v[k];
        return true;
    }
    if (!lit_map)
        lit_map = fc_cmap_new();
    bool ok = eval_literal_uncached(e, v);
    if (ok) {
        if (lit_n == lit_cap) {
            lit_cap = lit_cap ? lit_cap * 2 : 256;
            lit_v = fc_xrealloc(lit_v, lit_cap * sizeof *lit_v);
        }
        lit_v[lit_n] = *v;
        fc_cmap_put(lit_map, e, (int)lit_n++);
    } else {
        fc_cmap_put(lit_map, e, -1);
    }
    return ok;
}

static bool eval_literal_uncached(CXCursor e, long long *v)
{
    CXEvalResult r = clang_Cursor_Evaluate(e);
    if (!r)
        return false;
    bool ok = false;
    if (clang_EvalResult_getKind(r) == CXEval_Int) {
        *v = clang_EvalResult_getAsLongLong(r);
        ok = true;
    }
    clang_EvalResult_dispose(r);
    return ok;
}

static bool fold(fc_func *fn, CXCursor e, long long *v, int depth);

/* What var_constant asks libclang about a variable (its type's constness,
 * storage class, scope, whether it is a pointer), kept per declaration for
 * the unit: every read of a variable in a condition or an index asks again
 * (32,000 times on SQLite, about 1,500 instructions each). */
typedef struct var_facts {
    const void *decl, *tu;
    bool is_const, file_scope, pointer;
    enum CX_StorageClass sc;
} var_facts;
enum { VAR_FACTS = 4096 };
static var_facts *var_facts_tab;

static void var_facts_reset(void)
{
    free(var_facts_tab);
    var_facts_tab = NULL;
}

static const var_facts *facts_of(CXCursor d)
{
    if (!var_facts_tab)
        var_facts_tab = fc_xcalloc(VAR_FACTS, sizeof *var_facts_tab);
    uintptr_t a = (uintptr_t)d.data[0];
    var_facts *f = &var_facts_tab[((a >> 4) * 0x9E3779B97F4A7C15ull) >> 52];
    if (f->decl == d.data[0] && f->tu == d.data[2])
        return f;
    CXType t = clang_getCursorType(d);
    bool is_const = clang_isConstQualifiedType(t);
    if (t.kind == CXType_Elaborated || t.kind == CXType_Typedef)
        is_const = is_const || clang_isConstQualifiedType(clang_getCanonicalType(t));
    f->decl = d.data[0];
    f->tu = d.data[2];
    f->is_const = is_const;
    f->sc = clang_Cursor_getStorageClass(d);
    f->file_scope = clang_getCursorKind(clang_getCursorSemanticParent(d)) == CXCursor_TranslationUnit;
    f->pointer = clang_getCanonicalType(t).kind == CXType_Pointer;
    return f;
}

static bool var_constant(fc_func *fn, CXCursor d, long long *v, int depth)
{
    var_facts vf = *facts_of(d);   /* a copy: the fold below may reuse the slot */
    bool is_const = vf.is_const;
    enum CX_StorageClass sc = vf.sc;
    bool file_scope = vf.file_scope;
    bool never_written = false;
    if (!is_const && sc == CX_SC_Static && fn && file_scope && tu_info_scanned(fn->tu_info)) {
        int w;
        never_written = !fc_cmap_get(fn->tu_info->written, clang_getCanonicalCursor(d), &w);
    }
    if (!is_const && !never_written)
        return false;
    if (vf.pointer)
        return false;
    /* A const local whose initializer depends on runtime values is not constant:
     * fold the initializer itself. */
    CXCursor def = clang_getCursorDefinition(d);
    if (clang_Cursor_isNull(def))
        def = d;
    CXCursor kk[4];
    unsigned n = fc_children(def, kk, 4);
    for (unsigned i = n > 4 ? 4 : n; i-- > 0;) {
        if (clang_isExpression(clang_getCursorKind(kk[i])))
            return fold(fn, kk[i], v, depth + 1);
    }
    if (never_written && file_scope && sc == CX_SC_Static) {
        *v = 0;   /* zero-initialized static */
        return true;
    }
    return false;
}

static bool fold(fc_func *fn, CXCursor e, long long *v, int depth)
{
    if (depth > 32)
        return false;
    e = fc_strip(e);
    switch (clang_getCursorKind(e)) {
    case CXCursor_IntegerLiteral:
    case CXCursor_CharacterLiteral:
    case CXCursor_UnaryExpr:          /* sizeof, _Alignof */
        return eval_literal(e, v);
    case CXCursor_DeclRefExpr: {
        CXCursor d = fc_referenced(e);
        if (clang_getCursorKind(d) == CXCursor_EnumConstantDecl) {
            *v = clang_getEnumConstantDeclValue(d);
            return true;
        }
        if (clang_getCursorKind(d) == CXCursor_VarDecl)
            return var_constant(fn, d, v, depth);
        return false;
    }
    case CXCursor_UnaryOperator: {
        CXCursor k[1];
        if (fc_children(e, k, 1) != 1)
            return false;
        fc_op op = fc_unop(fn, e);
        long long a;
        if (op == FC_OP_LNOT || op == FC_OP_MINUS || op == FC_OP_BNOT || op == FC_OP_PLUS ||
            op == FC_OP_EXTENSION) {
            if (!fold(fn, k[0], &a, depth + 1))
                return false;
            *v = op == FC_OP_LNOT ? !a : op == FC_OP_MINUS ? -a : op == FC_OP_BNOT ? ~a : a;
            return true;
        }
        return false;
    }
    case CXCursor_BinaryOperator: {
        CXCursor k[2];
        if (fc_children(e, k, 2) != 2)
            return false;
        /* every operator needs its left operand folded (an assignment
         * folds to nothing anyway): ask for the operator only then */
        long long a, b;
        bool fa = fold(fn, k[0], &a, depth + 1);
        if (!fa)
            return false;
        fc_op op = fc_binop(fn, e);
        if (op == FC_OP_NONE || op <= FC_OP_OTHER_ASSIGN)
            return false;
        if (op == FC_OP_LAND && fa && !a) { *v = 0; return true; }
        if (op == FC_OP_LOR && fa && a) { *v = 1; return true; }
        if (!fa || !fold(fn, k[1], &b, depth + 1))
            return false;
        switch (op) {
        case FC_OP_ADD: *v = (long long)((unsigned long long)a + (unsigned long long)b); return true;
        case FC_OP_SUB: *v = (long long)((unsigned long long)a - (unsigned long long)b); return true;
        case FC_OP_MUL: *v = (long long)((unsigned long long)a * (unsigned long long)b); return true;
        case FC_OP_DIV: if (!b || (a == INT64_MIN && b == -1)) return false; *v = a / b; return true;
        case FC_OP_REM: if (!b || (a == INT64_MIN && b == -1)) return false; *v = a % b; return true;
        case FC_OP_SHL: if (b < 0 || b > 62) return false; *v = (long long)((unsigned long long)a << b); return true;
        case FC_OP_SHR: if (b < 0 || b > 62) return false; *v = a >> b; return true;
        case FC_OP_LT: *v = a < b; return true;
        case FC_OP_GT: *v = a > b; return true;
        case FC_OP_LE: *v = a <= b; return true;
        case FC_OP_GE: *v = a >= b; return true;
        case FC_OP_EQ: *v = a == b; return true;
        case FC_OP_NE: *v = a != b; return true;
        case FC_OP_BAND: *v = a & b; return true;
        case FC_OP_BXOR: *v = a ^ b; return true;
        case FC_OP_BOR: *v = a | b; return true;
        case FC_OP_LAND: *v = a && b; return true;
        case FC_OP_LOR: *v = a || b; return true;
        case FC_OP_COMMA: *v = b; return true;
        default: return false;
        }
    }
    case CXCursor_ConditionalOperator: {
        CXCursor k[3];
        if (fc_children(e, k, 3) != 3)
            return false;
        long long c;
        if (!fold(fn, k[0], &c, depth + 1))
            return false;
        return fold(fn, k[c ? 1 : 2], v, depth + 1);
    }
    case CXCursor_CallExpr: {
        /* __builtin_expect(x, c) is x */
        const char *name = fc_callee_name(e);
        if (name && !strcmp(name, "__builtin_expect") && fc_call_nargs(e) == 2)
            return fold(fn, fc_call_arg(e, 0), v, depth + 1);
        /* a function summarized as always returning the same constant
         * (`static int staticReturnsTrue(void) { return 1; }`) */
        if (fn && fn->sums) {
            CXCursor d = fc_callee_decl(e);
            if (!clang_Cursor_isNull(d)) {
                const fc_summary *s = fc_summaries_get(fn->sums, fc_decl_usr(d));
                if (s && s->returns_const) {
                    *v = s->const_val;
                    return true;
                }
            }
        }
        return false;
    }
    default:
        return false;
    }
}

bool fc_const_int(fc_func *fn, CXCursor e, long long *val)
{
    return fold(fn, e, val, 0);
}

/* ---- Locations and text ---- */

/* File names as clang spells them are relative to the directory of the
 * compile command; findings name them relative to where ferrum-check was
 * started (absolute when outside it), as a compiler run from there would. */
static const char *path_base;   /* interned absolute dir of the current unit */
static char *start_cwd;

const char *fc_get_path_base(void)
{
    return path_base;
}

void fc_set_path_base(const char *dir)
{
    if (!start_cwd) {
        char buf[4096];
        start_cwd = fc_xstrdup(getcwd(buf, sizeof buf) ? buf : "/");
    }
    path_base = dir ? fc_intern(dir) : NULL;
}

typedef struct pcache { const char *raw, *base, *out; } pcache;
static pcache *pcaches;
static size_t npcache;

/* Lexically normalize an absolute path ("a/./b/../c" -> "a/c"). */
static char *normalize(const char *p)
{
    size_t n = strlen(p);
    char *out = fc_xmalloc(n + 2);
    size_t o = 0;
    const char *s = p;
    while (*s) {
        while (*s == '/')
            s++;
        if (!*s)
            break;
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 1 && s[0] == '.') {
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else {
            out[o++] = '/';
            memcpy(out + o, s, len);
            o += len;
        }
        s += len;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = 0;
    return out;
}

/* Absolute, normalized name of a file as clang names it in the current
 * unit (relative names are relative to the unit's directory).  Idempotent. */
const char *fc_abs_path(const char *raw)
{
    if (!raw)
        return NULL;
    if (!start_cwd)
        fc_set_path_base(NULL);
    for (size_t i = 0; i < npcache; i++)
        if (pcaches[i].raw == raw && (raw[0] == '/' || pcaches[i].base == path_base))
            return pcaches[i].out;
    char *abs;
    if (raw[0] == '/')
        abs = normalize(raw);
    else {
        char *j = fc_xasprintf("%s/%s", path_base ? path_base : start_cwd, raw);
        abs = normalize(j);
        free(j);
    }
    const char *out = fc_intern(abs);
    free(abs);
    if (npcache < 4096) {
        pcaches = fc_xrealloc(pcaches, (npcache + 1) * sizeof *pcaches);
        pcaches[npcache++] = (pcache){ raw, path_base, out };
    }
    return out;
}

/* A name for people: relative to where the tool was started when the file
 * is below it, else absolute. */
const char *fc_display_path(const char *raw)
{
    const char *abs = fc_abs_path(raw);
    if (!abs)
        return NULL;
    size_t cl = strlen(start_cwd);
    if (!strncmp(abs, start_cwd, cl) && abs[cl] == '/')
        return abs + cl + 1;
    return abs;
}

fc_loc fc_loc_of(CXCursor c)
{
    fc_loc l = { NULL, 0, 0, 0 };
    CXSourceRange r = fc_extent(c);
    CXSourceLocation s = clang_getRangeStart(r);
    CXFile f;
    unsigned line, col;
    clang_getExpansionLocation(s, &f, &line, &col, NULL);
    if (!f) {
        clang_getExpansionLocation(clang_getCursorLocation(c), &f, &line, &col, NULL);
        if (!f)
            return l;
    }
    l.file = fc_intern_cx(clang_getFileName(f));
    l.line = line;
    l.col = col;
    CXFile f2;
    unsigned line2, col2;
    clang_getExpansionLocation(clang_getRangeEnd(r), &f2, &line2, &col2, NULL);
    if (f2 && line2 == line && col2 > col)
        l.end_col = col2;
    return l;
}

char *fc_expr_text(CXTranslationUnit tu, CXCursor e, size_t max)
{
    CXToken *toks = NULL;
    unsigned n = 0;
    /* the text as written where the expression expands: an extent that
     * starts in a macro argument would otherwise run from the macro's
     * definition to the use */
    CXSourceRange ext = fc_extent(e);
    CXFile f1 = NULL, f2 = NULL;
    CXSourceLocation from = file_loc(tu, clang_getRangeStart(ext), &f1);
    CXSourceLocation to = file_loc(tu, clang_getRangeEnd(ext), &f2);
    if (f1 && f2 && clang_File_isEqual(f1, f2) && file_offset(from) <= file_offset(to))
        clang_tokenize(tu, clang_getRange(from, to), &toks, &n);
    /* tokens joined by one blank where the source has blanks (or a line
     * break, or a comment) between them, so that the text reads as written:
     * 'p = realloc(p, n)', not 'p=realloc(p,n)' */
    fc_buf b = { 0 };
    unsigned prev_end = 0;
    for (unsigned i = 0; i < n && b.len < max; i++) {
        CXString s = clang_getTokenSpelling(tu, toks[i]);
        const char *t = clang_getCString(s);
        CXSourceRange te = clang_getTokenExtent(tu, toks[i]);
        unsigned start = file_offset(clang_getRangeStart(te));
        if (i && (start > prev_end || (clang_getTokenKind(toks[i]) == CXToken_Identifier &&
                                       clang_getTokenKind(toks[i - 1]) == CXToken_Identifier)))
            fc_buf_puts(&b, " ");
        prev_end = file_offset(clang_getRangeEnd(te));
        fc_buf_puts(&b, t);
        clang_disposeString(s);
    }
    if (toks)
        clang_disposeTokens(tu, toks, n);
    if (b.len >= max && max > 3) {
        b.data[max - 3] = 0;
        b.len = max - 3;
        fc_buf_puts(&b, "...");
    }
    return b.data ? b.data : fc_xstrdup("");
}

bool fc_in_system_header(CXCursor c)
{
    return clang_Location_isInSystemHeader(clang_getCursorLocation(c)) != 0;
}

/* ---- The function view ---- */

/* Every VarDecl of the body in pre-order, into fn->vars (the caller numbers
 * and maps them).  A predicate for fc_walk_any, which hands out the
 * recorded nodes in that order without a callback per tree level. */
static bool collect_var(CXCursor c, void *data)
{
    fc_func *fn = data;
    if (c.kind == CXCursor_VarDecl) {
        if (fn->nvars % 32 == 0) {
            fn->vars = fc_xrealloc(fn->vars, (fn->nvars + 32) * sizeof *fn->vars);
            fn->var_static = fc_xrealloc(fn->var_static, (fn->nvars + 32) * sizeof *fn->var_static);
        }
        enum CX_StorageClass sc = clang_Cursor_getStorageClass(c);
        fn->var_static[fn->nvars] = sc == CX_SC_Static || sc == CX_SC_Extern;
        fn->vars[fn->nvars++] = c;
    }
    return false;
}

static enum CXChildVisitResult collect_vars(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    collect_var(c, data);
    return CXChildVisit_Recurse;
}

int fc_var_index(const fc_func *fn, CXCursor decl)
{
    int v;
    if (fc_cursor_null(decl))
        return -1;
    if (fc_cmap_get(fn->var_map, decl, &v))
        return v;
    return -1;
}

fc_func *fc_func_build_with(CXTranslationUnit tu, CXCursor fndecl, unsigned max_blocks,
                            fc_tu_info *ti, const fc_summaries *sums)
{
    CXCursor kids_[64];
    unsigned n = fc_children(fndecl, kids_, 64);
    CXCursor body = clang_getNullCursor();
    for (unsigned i = 0; i < n && i < 64; i++)
        if (clang_getCursorKind(kids_[i]) == CXCursor_CompoundStmt)
            body = kids_[i];
    if (clang_Cursor_isNull(body))
        return NULL;
    fc_func *fn = fc_xcalloc(1, sizeof *fn);
    fn->tu = tu;
    fn->decl = fndecl;
    fn->body = body;
    fn->tu_info = ti;
    fn->sums = sums;
    fn->name = fc_xstrdup(fc_intern_cx(clang_getCursorSpelling(fndecl)));
    fn->usr = fc_xstrdup(fc_intern_cx(clang_getCursorUSR(fndecl)));
    fn->var_map = fc_cmap_new();
    int np = clang_Cursor_getNumArguments(fndecl);
    if (np < 0)
        np = 0;
    fn->nparams = (unsigned)np;
    fn->vars = fc_xcalloc(fn->nparams + 1, sizeof *fn->vars);
    fn->var_static = fc_xcalloc(fn->nparams + 1, sizeof *fn->var_static);
    for (unsigned i = 0; i < fn->nparams; i++) {
        fn->vars[i] = clang_Cursor_getArgument(fndecl, i);
        fc_cmap_put(fn->var_map, fn->vars[i], (int)i);
    }
    fn->nvars = fn->nparams;
    {
        /* collect locals with an explicit growth (nvars need not be aligned) */
        fc_func tmp = *fn;
        tmp.nvars = 0;
        tmp.vars = NULL;
        tmp.var_static = NULL;
        tmp.var_map = NULL;
        if (fc_walk_any(body, collect_var, &tmp) < 0)
            fc_visit(body, collect_vars, &tmp);
        fn->vars = fc_xrealloc(fn->vars, (fn->nparams + tmp.nvars + 1) * sizeof *fn->vars);
        fn->var_static = fc_xrealloc(fn->var_static, (fn->nparams + tmp.nvars + 1) * sizeof *fn->var_static);
        for (unsigned i = 0; i < fn->nparams; i++)
            fn->var_static[i] = false;
        for (unsigned i = 0; i < tmp.nvars; i++) {
            fn->vars[fn->nparams + i] = tmp.vars[i];
            fn->var_static[fn->nparams + i] = tmp.var_static[i];
            fc_cmap_put(fn->var_map, tmp.vars[i], (int)(fn->nparams + i));
        }
        fn->nvars = fn->nparams + tmp.nvars;
        free(tmp.vars);
        free(tmp.var_static);
    }
    fn->cfg = fc_cfg_build(fn, max_blocks);
    if (!fn->cfg || fn->cfg->truncated) {
        fc_func_free(fn);
        return NULL;
    }
    return fn;
}

fc_func *fc_func_build(CXTranslationUnit tu, CXCursor fndecl, unsigned max_blocks)
{
    return fc_func_build_with(tu, fndecl, max_blocks, NULL, NULL);
}

void fc_func_free(fc_func *fn)
{
    if (!fn)
        return;
    fc_cfg_free(fn->cfg);
    if (fn->ops) {
        fc_cmap_free(fn->ops->m);
        free(fn->ops);
    }
    fc_cmap_free(fn->var_map);
    free(fn->vars);
    free(fn->var_static);
    free(fn->name);
    free(fn->usr);
    free(fn);
}

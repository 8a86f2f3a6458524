/*
 * analyzer/mc_form.h — the memory checker's compact view of one function's
 * expressions (mc_form.c): what memcheck.c asks about an expression node
 * (its stripped form, children, canonical type, operator, constant value,
 * referenced declaration, a call's arguments), read once per function and
 * kept in one record per node.  Private to analyzer/.
 *
 * Why: memcheck asks six to seven questions about each node it evaluates
 * (callgrind on SQLite's amalgamation: 2.1 M questions about 314,000
 * nodes), each a lookup of the node in walk.c's unit-wide tables or a call
 * into libclang (a type and its canonical type: about 280 instructions).
 * Here a node is looked up once per evaluation and its record answers the
 * rest.  Each answer is the answer of the call it replaces (the same
 * function of the same cursor, asked through the same ir.c / walk.c entry
 * points so that their memos still fill for the passes that follow), so
 * findings cannot change; only the cost does.
 *
 * Records stay valid (stable addresses) until fc_mform_free.  Every
 * function takes the form; a cursor that is not an expression, statement
 * or declaration has no record and the question goes to ir.c directly.
 */
#ifndef FC_MC_FORM_H
#define FC_MC_FORM_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

typedef struct fc_mform fc_mform;

/* One node: filled field by field on first use (have: which). */
typedef struct fc_mnode {
    CXCursor c;
    const void *key;
    uint32_t gen;
    uint16_t have;
    int8_t binop, unop;
    bool cok;
    long long cval;
    struct fc_mnode *strip;   /* the node fc_strip(c) ends at */
    CXType canon;
    CXCursor ref;
    unsigned kid0, nkid;      /* children (fc_children) in the form's pool */
    unsigned arg0;            /* a call's arguments (raw) in the pool */
    int nargs;
    int u0, u1;               /* two words of the checker's own (have: FC_MFH_U0 / U1) */
} fc_mnode;

/* have bits the checker sets itself for u0 / u1 (the form sets the others) */
enum { FC_MFH_U0 = 1 << 12, FC_MFH_U1 = 1 << 13 };

fc_mform *fc_mform_new(fc_func *fn);
void fc_mform_free(fc_mform *f);

/* The form's tables (mc_form.c says how they work); here so that the
 * lookup below is inlined into the checker's evaluator. */
typedef struct fc_mf_slot {
    uint32_t gen, idx;   /* idx: record number + 1, valid when gen is the form's */
} fc_mf_slot;

#define FC_MF_CHUNK 1024u

struct fc_mform {
    fc_func *fn;
    uint32_t gen;
    fc_mnode **chunks;
    unsigned nchunks;
    unsigned nents;
    fc_mf_slot *slots;
    unsigned capslots;
    CXCursor *pool;
    unsigned npool, cappool;
};

/* The word that names c's AST node: data[1] of a statement or expression,
 * data[0] of a declaration; NULL for other cursors (no record). */
static inline const void *fc_mf_key(const CXCursor *c)
{
    if ((c->kind >= CXCursor_FirstExpr && c->kind <= CXCursor_LastExpr) ||
        (c->kind >= CXCursor_FirstStmt && c->kind <= CXCursor_LastStmt))
        return c->data[1];
    if ((c->kind >= CXCursor_FirstDecl && c->kind <= CXCursor_LastDecl) ||
        (c->kind >= CXCursor_FirstExtraDecl && c->kind <= CXCursor_LastExtraDecl))
        return c->data[0];
    return NULL;
}

static inline unsigned fc_mf_hash(const void *p, int kind)
{
    uint64_t a = ((uint64_t)(uintptr_t)p >> 3) ^ ((uint64_t)(unsigned)kind << 40);
    return (unsigned)((a * 0x9E3779B97F4A7C15ull) >> 40);
}

/* A new record for c (the lookup missed). */
fc_mnode *fc_mf_make(fc_mform *f, const CXCursor *c, const void *key);

/* The record of c; NULL when c has none. */
static inline fc_mnode *fc_mf_node(fc_mform *f, CXCursor c)
{
    const void *key = fc_mf_key(&c);
    if (!key)
        return NULL;
    unsigned mask = f->capslots - 1;
    for (unsigned j = fc_mf_hash(key, c.kind) & mask; f->slots[j].gen == f->gen; j = (j + 1) & mask) {
        unsigned i = f->slots[j].idx - 1;
        fc_mnode *n = &f->chunks[i / FC_MF_CHUNK][i % FC_MF_CHUNK];
        if (n->key == key && n->c.kind == c.kind)
            return n;
    }
    return fc_mf_make(f, &c, key);
}

/* The record of fc_strip(c); NULL when that has none. */
fc_mnode *fc_mf_snode(fc_mform *f, CXCursor c);

/* Questions about a record. */
unsigned fc_mfn_children(fc_mform *f, fc_mnode *n, CXCursor *out, unsigned max);
CXType fc_mfn_canon(fc_mform *f, fc_mnode *n);
bool fc_mfn_const(fc_mform *f, fc_mnode *n, long long *v);
fc_op fc_mfn_binop(fc_mform *f, fc_mnode *n);
fc_op fc_mfn_unop(fc_mform *f, fc_mnode *n);
CXCursor fc_mfn_referenced(fc_mform *f, fc_mnode *n);

/* The same questions about a cursor (one lookup each; the answers already
 * kept are read inline). */
enum {
    FC_MFH_STRIP = 1, FC_MFH_KIDS = 2, FC_MFH_CANON = 4, FC_MFH_CONST = 8, FC_MFH_BINOP = 16, FC_MFH_UNOP = 32,
    FC_MFH_REF = 64, FC_MFH_ARGS = 128
};
CXCursor fc_mf_strip_slow(fc_mform *f, CXCursor e);
unsigned fc_mf_children(fc_mform *f, CXCursor e, CXCursor *out, unsigned max); /* fc_children */

static inline CXCursor fc_mf_strip(fc_mform *f, CXCursor e)                    /* fc_strip */
{
    if (e.kind != CXCursor_ParenExpr && e.kind != CXCursor_CStyleCastExpr && e.kind != CXCursor_UnexposedExpr)
        return e;   /* fc_strip's own first test: nothing to strip */
    return fc_mf_strip_slow(f, e);
}

static inline CXType fc_mf_canon(fc_mform *f, CXCursor e)                      /* fc_canon_type_of */
{
    fc_mnode *n = fc_mf_node(f, e);
    if (n && (n->have & FC_MFH_CANON))
        return n->canon;
    return n ? fc_mfn_canon(f, n) : fc_canon_type_of(e);
}

static inline bool fc_mf_const(fc_mform *f, CXCursor e, long long *v)          /* fc_const_int */
{
    fc_mnode *n = fc_mf_node(f, e);
    return n ? fc_mfn_const(f, n, v) : fc_const_int(f->fn, e, v);
}

static inline fc_op fc_mf_binop(fc_mform *f, CXCursor e)                       /* fc_binop */
{
    fc_mnode *n = fc_mf_node(f, e);
    if (n && (n->have & FC_MFH_BINOP))
        return (fc_op)n->binop;
    return n ? fc_mfn_binop(f, n) : fc_binop(f->fn, e);
}

static inline fc_op fc_mf_unop(fc_mform *f, CXCursor e)                        /* fc_unop */
{
    fc_mnode *n = fc_mf_node(f, e);
    if (n && (n->have & FC_MFH_UNOP))
        return (fc_op)n->unop;
    return n ? fc_mfn_unop(f, n) : fc_unop(f->fn, e);
}

static inline CXCursor fc_mf_referenced(fc_mform *f, CXCursor e)               /* fc_referenced */
{
    fc_mnode *n = fc_mf_node(f, e);
    if (n && (n->have & FC_MFH_REF))
        return n->ref;
    return n ? fc_mfn_referenced(f, n) : fc_referenced(e);
}
/* clang_Cursor_getNumArguments / clang_Cursor_getArgument (not stripped) */
int fc_mf_nargs(fc_mform *f, CXCursor call);
CXCursor fc_mf_arg(fc_mform *f, CXCursor call, unsigned i);

/* fc_type_is_array() of a canonical type's kind */
static inline bool fc_mf_kind_is_array(enum CXTypeKind k)
{
    return k == CXType_ConstantArray || k == CXType_IncompleteArray || k == CXType_VariableArray ||
           k == CXType_DependentSizedArray;
}

#endif /* FC_MC_FORM_H */

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
} fc_mnode;

fc_mform *fc_mform_new(fc_func *fn);
void fc_mform_free(fc_mform *f);

/* The record of c / of fc_strip(c); NULL when c has none. */
fc_mnode *fc_mf_node(fc_mform *f, CXCursor c);
fc_mnode *fc_mf_snode(fc_mform *f, CXCursor c);

/* Questions about a record. */
unsigned fc_mfn_children(fc_mform *f, fc_mnode *n, CXCursor *out, unsigned max);
CXType fc_mfn_canon(fc_mform *f, fc_mnode *n);
bool fc_mfn_const(fc_mform *f, fc_mnode *n, long long *v);
fc_op fc_mfn_binop(fc_mform *f, fc_mnode *n);
fc_op fc_mfn_unop(fc_mform *f, fc_mnode *n);
CXCursor fc_mfn_referenced(fc_mform *f, fc_mnode *n);

/* The same questions about a cursor (one lookup each). */
CXCursor fc_mf_strip(fc_mform *f, CXCursor e);                                 /* fc_strip */
unsigned fc_mf_children(fc_mform *f, CXCursor e, CXCursor *out, unsigned max); /* fc_children */
CXType fc_mf_canon(fc_mform *f, CXCursor e);                                   /* fc_canon_type_of */
bool fc_mf_const(fc_mform *f, CXCursor e, long long *v);                       /* fc_const_int */
fc_op fc_mf_binop(fc_mform *f, CXCursor e);                                    /* fc_binop */
fc_op fc_mf_unop(fc_mform *f, CXCursor e);                                     /* fc_unop */
CXCursor fc_mf_referenced(fc_mform *f, CXCursor e);                            /* fc_referenced */
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

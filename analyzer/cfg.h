/*
 * analyzer/cfg.h — the control-flow graph of one function, built from
 * libclang cursors by cfg.c.  Private to analyzer/.
 *
 * A block holds a list of elements evaluated in order and ends with a
 * terminator.  Elements are whole expressions (evaluated for their effects
 * and value), variable declarations (VarDecl, with or without initializer)
 * and `return` statements.  Control flow inside conditions is made explicit:
 * `if (a && b)`, `while (!p || q)`, `c ? x : y` used as a condition, and the
 * statement-level forms `a && f();`, `c ? f() : g();` (so `assert(p)` splits
 * into a branch and a call to the noreturn __assert_fail) become blocks whose
 * terminators test one atomic condition each.  A check refines its state on
 * each edge from the condition (dataflow.h, `branch`).
 *
 * Covered: compound statements, expression and declaration statements, if /
 * else, while, do-while, for (any part missing), switch with case / default
 * and fall-through (GNU case ranges too), break, continue, goto and labels
 * (indirect goto: an edge to every label), return, null statements, and
 * calls that never return (exit, abort, __assert_fail, longjmp, noreturn
 * functions) which end their block without a successor.  A `break` or
 * `continue` edge lists the local variables whose scope it leaves (a leak
 * on the way out of a loop is a leak there, whatever the other paths do).  Edges whose
 * condition is a compile-time constant (fc_const_int) are pruned at build
 * time, so the dead side of `if (0)` or `while (1)`'s exit is unreachable.
 *
 * Block 0 is the entry, block 1 the exit (no elements; reaching it through
 * FC_T_RETURN or falling off the end of the body).
 */
#ifndef FC_CFG_H
#define FC_CFG_H

#include "ir.h"

typedef enum fc_elem_kind {
    FC_EL_EXPR,     /* an expression evaluated in full (c: the Expr cursor) */
    FC_EL_DECL,     /* a local variable declaration (c: the VarDecl cursor) */
    FC_EL_RETURN,   /* a return statement (c: the ReturnStmt; its child, if any, is the value) */
    FC_EL_COND      /* the condition of the block's branch (c: the atomic condition expr),
                       evaluated for its effects before the edges are taken */
} fc_elem_kind;

typedef struct fc_elem {
    fc_elem_kind kind;
    CXCursor c;
} fc_elem;

typedef enum fc_term_kind {
    FC_T_GOTO,      /* one unconditional successor (or none for the exit block) */
    FC_T_BRANCH,    /* two successors: succ[0] when cond is true, succ[1] when false */
    FC_T_SWITCH,    /* successors labelled by case values; cond is the switch value */
    FC_T_RETURN,    /* successor is the exit block; the last element is FC_EL_RETURN */
    FC_T_NORETURN   /* a call that never returns: no successor */
} fc_term_kind;

typedef enum fc_edge_kind {
    FC_E_ALWAYS, FC_E_TRUE, FC_E_FALSE,
    FC_E_CASE,      /* case lo..hi (hi == lo unless a GNU range), case_known: values folded */
    FC_E_DEFAULT    /* default label, or the implicit "no case matched" edge */
} fc_edge_kind;

typedef struct fc_edge {
    unsigned to;
    fc_edge_kind kind;
    bool case_known;
    long long lo, hi;
    /* A `break` or `continue` that leaves the scope of local variables:
     * their indices (fc_var_index), and the jump statement (for locations);
     * ndead == 0 on every other edge. */
    unsigned *dead;
    unsigned ndead;
    CXCursor jump_stmt;
} fc_edge;

typedef struct fc_block {
    unsigned id;
    fc_elem *elems;
    unsigned nelems, cap;
    fc_term_kind term;
    CXCursor cond;          /* FC_T_BRANCH / FC_T_SWITCH: the tested expression */
    CXCursor term_cursor;   /* the statement that ends the block (return, call), for locations */
    fc_edge *succ;
    unsigned nsucc, succcap;
    unsigned *pred;         /* predecessor block ids */
    unsigned npred, predcap;
} fc_block;

typedef struct fc_cfg {
    fc_block **blocks;
    unsigned nblocks, cap;
    unsigned *rpo;          /* reverse post-order of the reachable blocks (entry first) */
    unsigned nrpo;
    bool truncated;         /* too many blocks: analysis of this function is skipped */
    CXCursor end_cursor;    /* the body's closing brace location (falling off the end) */
    void *mem;              /* cfg.c's chunks: blocks, elements, edges (freed with the graph) */
} fc_cfg;

#define FC_CFG_ENTRY 0u
#define FC_CFG_EXIT  1u

/* Build the CFG of fn->body (called by fc_func_build). */
fc_cfg *fc_cfg_build(fc_func *fn, unsigned max_blocks);
void fc_cfg_free(fc_cfg *cfg);
/* Debug dump (ferrum-check --dump-cfg FILE). */
void fc_cfg_dump(const fc_func *fn, FILE *out);

#endif /* FC_CFG_H */

/*
 * analyzer/ir.h — the analyzer's view of one C function, built from libclang
 * cursors, plus the expression helpers every flow check needs.  Private to
 * analyzer/.
 *
 * libclang 14 gives an AST of cursors, not a CFG, and hides operator kinds,
 * implicit casts and some expressions behind CXCursor_UnexposedExpr.  This
 * header is the one place that answers those questions:
 *   - fc_strip()       looks through parentheses, casts and UnexposedExpr
 *                      wrappers to the expression that matters;
 *   - fc_binop/unop()  read an operator's token with clang_tokenize (the C
 *                      API of clang 14 has no operator kind), cached per
 *                      function;
 *   - fc_const_int()   folds a compile-time constant (clang_Cursor_Evaluate,
 *                      enum constants, `const` globals and file-scope statics
 *                      that are never written) for branch pruning;
 *   - fc_callee()      names the function a CallExpr calls (direct calls).
 *
 * An fc_func numbers every variable the function can name (parameters and
 * locals, in declaration order) so that a check can keep per-variable state
 * in plain arrays: fc_var_index() maps a VarDecl/ParmDecl cursor to it.
 *
 * How a check plugs in: see dataflow.h (flow-sensitive walk with a state of
 * its own) and checks.h (registration of per-function and per-TU passes).
 */
#ifndef FC_IR_H
#define FC_IR_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct fc_cfg;
struct fc_summaries;

/* Operator kinds read from tokens. */
typedef enum fc_op {
    FC_OP_NONE = 0,
    /* binary */
    FC_OP_ASSIGN, FC_OP_ADD_ASSIGN, FC_OP_SUB_ASSIGN, FC_OP_OTHER_ASSIGN, /* *= /= %= <<= >>= &= ^= |= */
    FC_OP_ADD, FC_OP_SUB, FC_OP_MUL, FC_OP_DIV, FC_OP_REM, FC_OP_SHL, FC_OP_SHR,
    FC_OP_LT, FC_OP_GT, FC_OP_LE, FC_OP_GE, FC_OP_EQ, FC_OP_NE,
    FC_OP_BAND, FC_OP_BXOR, FC_OP_BOR, FC_OP_LAND, FC_OP_LOR, FC_OP_COMMA,
    /* unary */
    FC_OP_ADDR, FC_OP_DEREF, FC_OP_PLUS, FC_OP_MINUS, FC_OP_BNOT, FC_OP_LNOT,
    FC_OP_PREINC, FC_OP_PREDEC, FC_OP_POSTINC, FC_OP_POSTDEC,
    FC_OP_SIZEOF, FC_OP_ALIGNOF, FC_OP_REAL, FC_OP_IMAG, FC_OP_EXTENSION
} fc_op;

typedef struct fc_opcache fc_opcache;

/* One function definition, ready for flow checks. */
typedef struct fc_func {
    CXTranslationUnit tu;
    CXCursor decl;            /* the FunctionDecl (with a body) */
    CXCursor body;            /* its CompoundStmt */
    char *name;               /* spelling */
    char *usr;                /* clang USR: the key of summaries across files */
    unsigned nparams;         /* parameters are variables 0 .. nparams-1 */
    unsigned nvars;           /* parameters + every local VarDecl of the body */
    CXCursor *vars;           /* [nvars] declaration cursors */
    bool *var_static;         /* [nvars] local with static storage (not on the stack) */
    struct fc_cfg *cfg;       /* the control-flow graph (cfg.h) */
    fc_opcache *ops;          /* operator-kind cache */
    const struct fc_summaries *sums; /* summaries of callees (summary.h), may be NULL */
    struct fc_tu_info *tu_info;   /* per-TU facts (never-written statics), may be NULL */
    struct fc_cmap *var_map;      /* decl -> variable number (util.h) */
} fc_func;

/* Per-translation-unit facts computed once (ir.c): which file-scope and
 * local static variables are never written (so their initial value is a
 * compile-time constant for branch pruning). */
typedef struct fc_tu_info fc_tu_info;
fc_tu_info *fc_tu_info_build(CXTranslationUnit tu);
void fc_tu_info_free(fc_tu_info *ti);
/* Optional: fill the facts during a walk the caller makes anyway (the
 * driver's call-graph walk over every function body) instead of a walk of
 * the whole unit on the first question: _begin, then _see for every cursor
 * of every function body outside system headers, then _end. */
void fc_tu_info_begin(fc_tu_info *ti);
void fc_tu_info_see(fc_tu_info *ti, CXCursor c, CXCursor parent);
void fc_tu_info_end(fc_tu_info *ti);

/* Build / free the function view (including its CFG).  NULL when the
 * cursor has no body or the function is too large (opts bound). */
fc_func *fc_func_build(CXTranslationUnit tu, CXCursor fndecl, unsigned max_blocks);
/* Same, with per-TU facts and the callee summaries known so far (a callee
 * summarized as never returning ends its block like exit()). */
fc_func *fc_func_build_with(CXTranslationUnit tu, CXCursor fndecl, unsigned max_blocks,
                            fc_tu_info *ti, const struct fc_summaries *sums);
void fc_func_free(fc_func *fn);

/* Variable number of a VarDecl/ParmDecl cursor in fn, or -1 (globals, other). */
int fc_var_index(const fc_func *fn, CXCursor decl);

/* ---- Expressions ---- */
CXCursor fc_strip(CXCursor e);                     /* parens, casts, UnexposedExpr wrappers */
/* clang_getCursorReferenced, clang_getCursorType and the canonical type of
 * the latter, and the extent, asked of libclang once per recorded
 * expression (walk.h). */
CXCursor fc_referenced(CXCursor c);
CXType fc_type_of(CXCursor c);
CXType fc_canon_type_of(CXCursor c);
CXSourceRange fc_extent(CXCursor c);               /* clang_getCursorExtent, kept likewise */
fc_op fc_binop(fc_func *fn, CXCursor binop);       /* BinaryOperator / CompoundAssignOperator */
fc_op fc_unop(fc_func *fn, CXCursor unop);         /* UnaryOperator */
/* Children of an expression, in order (up to max); returns the count. */
unsigned fc_children(CXCursor c, CXCursor *out, unsigned max);
/* Forget the cached children (between translation units). */
void fc_children_cache_reset(void);
/* For a CallExpr: the callee's declaration (clang_getNullCursor() if indirect),
 * its name (NULL if indirect; a static buffer-free interned string), and args. */
CXCursor fc_callee_decl(CXCursor call);
const char *fc_callee_name(CXCursor call);
int fc_call_nargs(CXCursor call);
CXCursor fc_call_arg(CXCursor call, unsigned i);
/* True if the call never returns (exit, abort, __assert_fail, longjmp, ...,
 * or a callee whose type carries noreturn). */
bool fc_call_noreturn(CXCursor call);
/* Compile-time integer value of a condition, or false if not constant. */
bool fc_const_int(fc_func *fn, CXCursor e, long long *val);
/* The variable an expression names directly (DeclRefExpr to a VarDecl/ParmDecl). */
CXCursor fc_decl_ref(CXCursor e);
/* Whether a type is a pointer (after typedefs) / an array / a record. */
bool fc_type_is_pointer(CXType t);
bool fc_type_is_array(CXType t);
/* Location of a cursor (start of its extent, expansion location) for findings. */
fc_loc fc_loc_of(CXCursor c);
/* Interned copy of a string for the run (file names, callee names). */
const char *fc_intern(const char *s);
/* Source text of an expression (its tokens joined), for messages; caller frees. */
char *fc_expr_text(CXTranslationUnit tu, CXCursor e, size_t max);
/* True when the location lies in a system header (filter for findings). */
bool fc_in_system_header(CXCursor c);
/* The function named by `cleanup(f)` in the expansion of the macro `name`
 * (defined in any file of the unit, through the macros its body names):
 * true and f in out ("" when not a single word), else false. */
bool fc_macro_cleanup(CXTranslationUnit tu, const char *name, char *out, size_t n);

#endif /* FC_IR_H */

/*
 * analyzer/cfg.c — builds the control-flow graph of one function from
 * libclang cursors (see cfg.h for the shape of the graph).
 *
 * How: a recursive walk over the statements keeps a "current block" to
 * which elements are appended.  Statements that transfer control end the
 * current block with an edge and open a new one; code after `return`,
 * `break`, `goto` or a noreturn call lands in a block with no predecessor,
 * which the reverse post-order (computed last) leaves out.  Conditions are
 * decomposed by cond(): `!`, `&&`, `||`, `?:` and `,` become branches
 * between blocks, and an atomic condition ends its block with an
 * FC_T_BRANCH.  A condition that folds to a constant (fc_const_int) becomes
 * a plain jump, which is how `if (0)`, `while (1)`, `do ... while (0)` and
 * `if (STATIC_CONST_TRUE)` lose their dead side.
 *
 * libclang omits the missing parts of a `for` header from a ForStmt's
 * children, so for_parts() tells init, condition and increment apart by
 * where each child starts relative to the two `;` of the header (found by
 * tokenizing only the header).
 *
 * Bounds: at most max_blocks blocks and a statement nesting depth of 256
 * (an else-if chain is one level: its arms are walked in a loop);
 * beyond either the graph is marked truncated and the function is skipped
 * (silence rather than a guess).
 */
#include "cfg.h"

#include <stdlib.h>
#include <string.h>

#include "dataflow.h"
#include "summary.h"
#include "util.h"
#include "walk.h"

#define NOBLOCK ((unsigned)-1)

/* ---- The graph's memory ----
 *
 * Blocks, their elements, edges, predecessor lists and the variables an
 * edge ends come from chunks owned by the graph and go back all at once
 * (fc_cfg_free): one malloc per page instead of about 25 per block, and
 * no walk over the blocks to free them (malloc, calloc, realloc and free
 * for the graphs were some 60 M instructions on SQLite's amalgamation).
 * An array that grows moves to a fresh piece twice its size; the old piece
 * stays in the chunk until the graph goes. */
typedef struct cfg_chunk {
    struct cfg_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} cfg_chunk;

static void *cfg_alloc(fc_cfg *g, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    cfg_chunk *c = g->mem;
    if (!c || c->cap - c->used < n) {
        /* chunks of 480 bytes first, doubling up to a page with malloc's
         * header: 64 KiB chunks left most of a page unused per graph
         * (12,000 more page faults on SQLite), and a page for every graph
         * (every function's graph lives until the end of its unit) cost
         * 2.5 KB per function: 100,000 small functions took 707 MB
         * instead of 450 (QA12 R4) */
        size_t page = 4096 - 32 - sizeof *c; /* a page with malloc's header */
        size_t want = 480;
        if (c) /* twice the last chunk's footprint */
            want = (c->cap + sizeof *c + 32) * 2 - 32 - sizeof *c;
        if (want > page)
            want = page;
        size_t cap = n > want ? n : want;
        cfg_chunk *nc = fc_xmalloc(sizeof *nc + cap);
        nc->used = 0;
        nc->cap = cap;
        if (c && n > c->cap - c->used && c->cap - c->used >= 4096) {
            /* a large piece in a chunk of its own, behind the current one */
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            g->mem = nc;
        }
        c = nc;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

/* p (n bytes in use) grown to room for `want` bytes. */
static void *cfg_grow(fc_cfg *g, void *p, size_t n, size_t want)
{
    void *q = cfg_alloc(g, want);
    if (n)
        memcpy(q, p, n);
    return q;
}

typedef struct label_ref {
    CXCursor label;
    unsigned block;
} label_ref;

typedef struct switch_ctx {
    unsigned head;
    bool has_default;
    bool value_known;
    long long value;
    bool matched;       /* a case equal to the known value was seen */
} switch_ctx;

typedef struct builder {
    fc_func *fn;
    fc_cfg *cfg;
    unsigned max_blocks;
    unsigned cur;
    unsigned brk, cont;
    switch_ctx *sw;
    fc_cmap *labels;            /* LabelStmt -> block */
    unsigned *label_blocks;
    unsigned nlabels;
    unsigned *indirect;         /* blocks ending in an indirect goto */
    unsigned nindirect;
    int depth;
    /* locals in scope at this point (innermost last), and how many of them
     * were in scope where the current break / continue target was entered */
    unsigned *scope_vars;
    unsigned nscope, scope_cap;
    unsigned brk_scope, cont_scope;
} builder;

static unsigned new_block(builder *b)
{
    fc_cfg *g = b->cfg;
    if (g->nblocks >= b->max_blocks) {
        g->truncated = true;
        return g->nblocks ? g->nblocks - 1 : 0;
    }
    if (g->nblocks == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->blocks = cfg_grow(g, g->blocks, g->nblocks * sizeof *g->blocks, g->cap * sizeof *g->blocks);
    }
    fc_block *blk = cfg_alloc(g, sizeof *blk);
    blk->id = g->nblocks;
    blk->term = FC_T_GOTO;
    blk->cond = clang_getNullCursor();
    blk->term_cursor = clang_getNullCursor();
    g->blocks[g->nblocks] = blk;
    return g->nblocks++;
}

static fc_block *B(builder *b, unsigned id)
{
    return b->cfg->blocks[id];
}

static void add_elem(builder *b, fc_elem_kind k, CXCursor c)
{
    fc_block *blk = B(b, b->cur);
    if (blk->nelems == blk->cap) {
        blk->cap = blk->cap ? blk->cap * 2 : 4;
        blk->elems = cfg_grow(b->cfg, blk->elems, blk->nelems * sizeof *blk->elems, blk->cap * sizeof *blk->elems);
    }
    blk->elems[blk->nelems].kind = k;
    blk->elems[blk->nelems].c = c;
    blk->nelems++;
}

static fc_edge *add_edge(builder *b, unsigned from, unsigned to, fc_edge_kind k)
{
    fc_block *f = B(b, from), *t = B(b, to);
    if (f->nsucc == f->succcap) {
        f->succcap = f->succcap ? f->succcap * 2 : 2;
        f->succ = cfg_grow(b->cfg, f->succ, f->nsucc * sizeof *f->succ, f->succcap * sizeof *f->succ);
    }
    fc_edge *e = &f->succ[f->nsucc++];
    memset(e, 0, sizeof *e);
    e->to = to;
    e->kind = k;
    if (t->npred == t->predcap) {
        t->predcap = t->predcap ? t->predcap * 2 : 2;
        t->pred = cfg_grow(b->cfg, t->pred, t->npred * sizeof *t->pred, t->predcap * sizeof *t->pred);
    }
    t->pred[t->npred++] = from;
    return e;
}

/* End the current block with a jump to `to`, continue in a fresh block. */
static void jump(builder *b, unsigned to)
{
    B(b, b->cur)->term = FC_T_GOTO;
    add_edge(b, b->cur, to, FC_E_ALWAYS);
    b->cur = new_block(b);
}

/* A break or continue: a jump that also ends the scope of the locals
 * declared since the target was entered (scope_vars[from..nscope)). */
static void scoped_jump(builder *b, unsigned to, unsigned from, CXCursor s)
{
    B(b, b->cur)->term = FC_T_GOTO;
    fc_edge *e = add_edge(b, b->cur, to, FC_E_ALWAYS);
    if (from < b->nscope) {
        e->ndead = b->nscope - from;
        e->dead = cfg_alloc(b->cfg, e->ndead * sizeof *e->dead);
        memcpy(e->dead, b->scope_vars + from, e->ndead * sizeof *e->dead);
        e->jump_stmt = s;
    }
    b->cur = new_block(b);
}

static void scope_push(builder *b, CXCursor vardecl)
{
    int v = fc_var_index(b->fn, vardecl);
    if (v < 0 || b->fn->var_static[v])
        return;
    if (b->nscope == b->scope_cap) {
        b->scope_cap = b->scope_cap ? b->scope_cap * 2 : 16;
        b->scope_vars = fc_xrealloc(b->scope_vars, b->scope_cap * sizeof *b->scope_vars);
    }
    b->scope_vars[b->nscope++] = (unsigned)v;
}

/* Continue in block `to` (falling through into it). */
static void fall_into(builder *b, unsigned to)
{
    add_edge(b, b->cur, to, FC_E_ALWAYS);
    b->cur = to;
}

static void stmt(builder *b, CXCursor s);

/* ---- Conditions ---- */

static enum CXChildVisitResult effect_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_CallExpr || k == CXCursor_CompoundAssignOperator || k == CXCursor_StmtExpr) {
        *(bool *)d = true;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Recurse;
}

/* Does a (constant) condition call a function or assign?  Calls are what
 * can fold (summaries); plain assignments do not fold. */
static bool has_effects(fc_func *fn, CXCursor e)
{
    (void)fn;
    if (clang_getCursorKind(e) == CXCursor_CallExpr)
        return true;
    bool found = false;
    fc_visit(e, effect_visit, &found);
    return found;
}

/* __builtin_expect(e, c) or __builtin_expect_with_probability(e, c, p):
 * the value is e's (the kernel's and glibc's likely/unlikely, around
 * nearly every allocation-failure test; QA13 X1). */
static bool is_expect(CXCursor call)
{
    const char *n = fc_callee_name(call);
    return n && (!strcmp(n, "__builtin_expect") || !strcmp(n, "__builtin_expect_with_probability"));
}

static void cond(builder *b, CXCursor c, unsigned t, unsigned f)
{
    if (b->cfg->truncated)
        return;
    if (++b->depth > 256) {
        b->cfg->truncated = true;
        b->depth--;
        return;
    }
    CXCursor e = fc_strip(c);
    long long v;
    enum CXCursorKind k = clang_getCursorKind(e);
    if (fc_const_int(b->fn, e, &v)) {
        /* a call folded through its summary still runs */
        if (has_effects(b->fn, e))
            add_elem(b, FC_EL_EXPR, e);
        add_edge(b, b->cur, v ? t : f, FC_E_ALWAYS);
        b->cur = new_block(b);
        goto out;
    }
    if (k == CXCursor_UnaryOperator && fc_unop(b->fn, e) == FC_OP_LNOT) {
        CXCursor kk[1];
        if (fc_children(e, kk, 1) == 1) {
            cond(b, kk[0], f, t);
            goto out;
        }
    }
    if (k == CXCursor_UnaryOperator && fc_unop(b->fn, e) == FC_OP_NONE) {
        /* `!!(x)` spelled in a macro's body (the kernel's likely/unlikely):
         * libclang 14 tells neither operator (its spelling locations of a
         * macro body are the expansion point).  Two unknown unary operators
         * in a row are taken as x: true of !!, - -, ~~ and + +; only a
         * mixed pair (`!-x` in a macro) would be misread. */
        CXCursor kk[1], in[1];
        if (fc_children(e, kk, 1) == 1) {
            CXCursor x = fc_strip(kk[0]);
            if (clang_getCursorKind(x) == CXCursor_UnaryOperator && fc_unop(b->fn, x) == FC_OP_NONE &&
                fc_children(x, in, 1) == 1) {
                cond(b, in[0], t, f);
                goto out;
            }
        }
    }
    if (k == CXCursor_CallExpr && is_expect(e)) {
        /* likely(x) / unlikely(x): __builtin_expect(e, c) is e, a hint
         * (children: the callee, e, c; the walk's own cursors, which read
         * an operator spelled in a macro argument) */
        CXCursor kk[4];
        if (fc_children(e, kk, 4) >= 3) {
            cond(b, kk[1], t, f);
            goto out;
        }
    }
    if (k == CXCursor_BinaryOperator) {
        fc_op op = fc_binop(b->fn, e);
        CXCursor kk[2];
        if ((op == FC_OP_LAND || op == FC_OP_LOR || op == FC_OP_COMMA) && fc_children(e, kk, 2) == 2) {
            if (op == FC_OP_COMMA) {
                add_elem(b, FC_EL_EXPR, kk[0]);
                cond(b, kk[1], t, f);
                goto out;
            }
            /* `a && b && c ...` nests to the left: walk the chain's left
             * spine in a loop, so a chain of any length (generated
             * validators) is a sequence of conditions, not a nesting */
            CXCursor *ops = NULL;
            size_t nops = 0, cap = 0;
            CXCursor x = e;
            for (;;) {
                CXCursor xk[2];
                if (nops == cap) {
                    cap = cap ? 2 * cap : 16;
                    ops = fc_xrealloc(ops, cap * sizeof *ops);
                }
                CXCursor xs = fc_strip(x);
                if (clang_getCursorKind(xs) == CXCursor_BinaryOperator && fc_binop(b->fn, xs) == op &&
                    fc_children(xs, xk, 2) == 2 && nops < (size_t)b->max_blocks) {
                    ops[nops++] = xk[1];
                    x = xk[0];
                    continue;
                }
                ops[nops++] = x;
                break;
            }
            /* ops: the rightmost operand first, the leftmost last */
            for (size_t i = nops; i-- > 1 && !b->cfg->truncated;) {
                unsigned mid = new_block(b);
                if (op == FC_OP_LAND)
                    cond(b, ops[i], mid, f);
                else
                    cond(b, ops[i], t, mid);
                b->cur = mid;
            }
            cond(b, ops[0], t, f);
            free(ops);
            goto out;
        }
    }
    if (k == CXCursor_ConditionalOperator) {
        CXCursor kk[3];
        if (fc_children(e, kk, 3) == 3) {
            unsigned bx = new_block(b), by = new_block(b);
            cond(b, kk[0], bx, by);
            b->cur = bx;
            cond(b, kk[1], t, f);
            b->cur = by;
            cond(b, kk[2], t, f);
            goto out;
        }
    }
    add_elem(b, FC_EL_COND, e);
    fc_block *blk = B(b, b->cur);
    blk->term = FC_T_BRANCH;
    blk->cond = e;
    add_edge(b, b->cur, t, FC_E_TRUE);
    add_edge(b, b->cur, f, FC_E_FALSE);
    b->cur = new_block(b);
out:
    b->depth--;
}

/* A branch whose condition is unknown (for headers we could not parse). */
static void branch_unknown(builder *b, unsigned t, unsigned f)
{
    fc_block *blk = B(b, b->cur);
    blk->term = FC_T_BRANCH;
    blk->cond = clang_getNullCursor();
    add_edge(b, b->cur, t, FC_E_TRUE);
    add_edge(b, b->cur, f, FC_E_FALSE);
    b->cur = new_block(b);
}

/* ---- Expression statements ---- */

static bool call_never_returns(builder *b, CXCursor e)
{
    if (clang_getCursorKind(e) != CXCursor_CallExpr)
        return false;
    if (fc_call_noreturn(e))
        return true;
    if (b->fn->sums) {
        CXCursor d = fc_callee_decl(e);
        if (!clang_Cursor_isNull(d)) {
            const char *usr = fc_decl_usr(d);
            const fc_summary *s = fc_summaries_get(b->fn->sums, usr);
            if (s && s->noreturn)
                return true;
        }
    }
    return false;
}

static void expr_stmt(builder *b, CXCursor c)
{
    CXCursor e = fc_strip(c);
    enum CXCursorKind k = clang_getCursorKind(e);
    /* `__extension__ ({ if (x) ; else __assert_fail(...); })`, glibc's
     * assert in GNU C: a statement expression whose value is discarded is
     * its statements, so a noreturn call inside it ends the path */
    bool is_void = clang_getCanonicalType(clang_getCursorType(e)).kind == CXType_Void;
    if (k == CXCursor_UnaryOperator && (fc_unop(b->fn, e) == FC_OP_EXTENSION || is_void)) {
        /* (the operator of a system macro's body may not be readable: a
         * unary operator of type void can only be __extension__) */
        CXCursor kk[1];
        if (fc_children(e, kk, 1) == 1) {
            expr_stmt(b, kk[0]);
            return;
        }
    }
    if (k == CXCursor_BinaryOperator && is_void && fc_binop(b->fn, e) == FC_OP_NONE) {
        /* a binary operator of type void is a comma */
        CXCursor kk[2];
        if (fc_children(e, kk, 2) == 2) {
            expr_stmt(b, kk[0]);
            expr_stmt(b, kk[1]);
            return;
        }
    }
    if (k == CXCursor_StmtExpr) {
        CXCursor kk[1];
        if (fc_children(e, kk, 1) == 1 && clang_getCursorKind(kk[0]) == CXCursor_CompoundStmt) {
            stmt(b, kk[0]);
            return;
        }
    }
    if (k == CXCursor_ConditionalOperator) {
        CXCursor kk[3];
        if (fc_children(e, kk, 3) == 3) {
            unsigned bx = new_block(b), by = new_block(b), join = new_block(b);
            cond(b, kk[0], bx, by);
            b->cur = bx;
            expr_stmt(b, kk[1]);
            fall_into(b, join);
            b->cur = by;
            expr_stmt(b, kk[2]);
            add_edge(b, b->cur, join, FC_E_ALWAYS);
            b->cur = join;
            return;
        }
    }
    if (k == CXCursor_BinaryOperator) {
        fc_op op = fc_binop(b->fn, e);
        CXCursor kk[2];
        if ((op == FC_OP_LAND || op == FC_OP_LOR || op == FC_OP_COMMA) && fc_children(e, kk, 2) == 2) {
            if (op == FC_OP_COMMA) {
                expr_stmt(b, kk[0]);
                expr_stmt(b, kk[1]);
                return;
            }
            unsigned rhs = new_block(b), join = new_block(b);
            if (op == FC_OP_LAND)
                cond(b, kk[0], rhs, join);
            else
                cond(b, kk[0], join, rhs);
            b->cur = rhs;
            expr_stmt(b, kk[1]);
            fall_into(b, join);
            return;
        }
    }
    add_elem(b, FC_EL_EXPR, c);
    if (call_never_returns(b, e)) {
        fc_block *blk = B(b, b->cur);
        blk->term = FC_T_NORETURN;
        blk->term_cursor = e;
        b->cur = new_block(b);
    }
}

/* ---- Statements ---- */

static unsigned label_block(builder *b, CXCursor label)
{
    int v;
    if (fc_cmap_get(b->labels, label, &v))
        return (unsigned)v;
    unsigned blk = new_block(b);
    fc_cmap_put(b->labels, label, (int)blk);
    b->label_blocks = fc_xrealloc(b->label_blocks, (b->nlabels + 1) * sizeof *b->label_blocks);
    b->label_blocks[b->nlabels++] = blk;
    return blk;
}

static unsigned offset_of(CXSourceLocation l)
{
    unsigned off = 0;
    clang_getExpansionLocation(l, NULL, NULL, NULL, &off);
    return off;
}

/* Find the offsets of the two ';' of a for header.  False if not found. */
static bool for_semis(CXTranslationUnit tu, CXCursor fs, CXCursor body, unsigned *s1, unsigned *s2)
{
    CXSourceRange r = clang_getRange(clang_getRangeStart(clang_getCursorExtent(fs)),
                                     clang_getRangeStart(clang_getCursorExtent(body)));
    CXToken *toks = NULL;
    unsigned n = 0, found = 0;
    int depth = 0;
    clang_tokenize(tu, r, &toks, &n);
    for (unsigned i = 0; i < n && found < 2; i++) {
        if (clang_getTokenKind(toks[i]) != CXToken_Punctuation)
            continue;
        CXString sp = clang_getTokenSpelling(tu, toks[i]);
        const char *t = clang_getCString(sp);
        if (!strcmp(t, "(") || !strcmp(t, "[") || !strcmp(t, "{"))
            depth++;
        else if (!strcmp(t, ")") || !strcmp(t, "]") || !strcmp(t, "}"))
            depth--;
        else if (!strcmp(t, ";") && depth == 1) {
            unsigned off = offset_of(clang_getTokenLocation(tu, toks[i]));
            if (found == 0)
                *s1 = off;
            else
                *s2 = off;
            found++;
        }
        clang_disposeString(sp);
    }
    if (toks)
        clang_disposeTokens(tu, toks, n);
    return found == 2;
}

/* `for (v = C0; v OP C1; ...)` with constants such that the first test
 * holds. */
static bool enters_once(fc_func *fn, CXCursor init, CXCursor cnd)
{
    if (clang_Cursor_isNull(init) || clang_Cursor_isNull(cnd))
        return false;
    CXCursor var = clang_getNullCursor();
    long long c0, c1;
    bool have0 = false;
    if (clang_getCursorKind(init) == CXCursor_DeclStmt) {
        CXCursor kk[2];
        if (fc_children(init, kk, 2) == 1 && clang_getCursorKind(kk[0]) == CXCursor_VarDecl) {
            CXCursor iv = fc_var_init(kk[0]);
            if (!clang_Cursor_isNull(iv) && fc_const_int(fn, iv, &c0)) {
                var = kk[0];
                have0 = true;
            }
        }
    } else {
        CXCursor e = fc_strip(init);
        CXCursor kk[2];
        if (clang_getCursorKind(e) == CXCursor_BinaryOperator && fc_binop(fn, e) == FC_OP_ASSIGN &&
            fc_children(e, kk, 2) == 2 && fc_const_int(fn, kk[1], &c0)) {
            var = fc_decl_ref(kk[0]);
            have0 = !clang_Cursor_isNull(var);
        }
    }
    if (!have0)
        return false;
    CXCursor c = fc_strip(cnd);
    CXCursor kk[2];
    if (clang_getCursorKind(c) != CXCursor_BinaryOperator || fc_children(c, kk, 2) != 2)
        return false;
    fc_op op = fc_binop(fn, c);
    CXCursor l = fc_decl_ref(kk[0]), r = fc_decl_ref(kk[1]);
    long long lhs, rhs;
    if (!clang_Cursor_isNull(l) && clang_equalCursors(l, var) && fc_const_int(fn, kk[1], &c1)) {
        lhs = c0, rhs = c1;
    } else if (!clang_Cursor_isNull(r) && clang_equalCursors(r, var) && fc_const_int(fn, kk[0], &c1)) {
        lhs = c1, rhs = c0;
    } else {
        return false;
    }
    switch (op) {
    case FC_OP_LT: return lhs < rhs;
    case FC_OP_LE: return lhs <= rhs;
    case FC_OP_GT: return lhs > rhs;
    case FC_OP_GE: return lhs >= rhs;
    case FC_OP_NE: return lhs != rhs;
    default: return false;
    }
}

static void for_stmt(builder *b, CXCursor s)
{
    CXCursor kk[8];
    unsigned n = fc_children(s, kk, 8);
    if (n == 0 || n > 5)
        return;
    CXCursor body = kk[n - 1];
    CXCursor init = clang_getNullCursor(), cnd = clang_getNullCursor(), inc = clang_getNullCursor();
    unsigned s1, s2;
    bool parsed = true;
    if (n == 4) {
        init = kk[0], cnd = kk[1], inc = kk[2];
    } else if (n > 1 && for_semis(b->fn->tu, s, body, &s1, &s2)) {
        for (unsigned i = 0; i + 1 < n; i++) {
            unsigned off = offset_of(clang_getRangeStart(clang_getCursorExtent(kk[i])));
            if (off < s1)
                init = kk[i];
            else if (off < s2)
                cnd = kk[i];
            else
                inc = kk[i];
        }
    } else if (n > 1) {
        parsed = false;
    }
    unsigned saved_brk = b->brk, saved_cont = b->cont;
    unsigned saved_bs = b->brk_scope, saved_cs = b->cont_scope, saved_n = b->nscope;
    b->brk_scope = b->nscope;
    if (!parsed) {
        for (unsigned i = 0; i + 1 < n; i++)
            add_elem(b, FC_EL_EXPR, kk[i]);
    } else if (!clang_Cursor_isNull(init)) {
        if (clang_getCursorKind(init) == CXCursor_DeclStmt)
            stmt(b, init);
        else
            expr_stmt(b, init);
    }
    unsigned head = new_block(b), bodyb = new_block(b), incb = new_block(b), exitb = new_block(b);
    if (parsed && enters_once(b->fn, init, cnd)) {
        /* `for (i = 0; i < 10; ...)`: the first test is known to pass, so
         * the loop is entered straight into its body (the exit is reached
         * only after one iteration, as in the program) */
        add_edge(b, b->cur, bodyb, FC_E_ALWAYS);
        b->cur = head;
    } else {
        fall_into(b, head);
    }
    if (!parsed)
        branch_unknown(b, bodyb, exitb);
    else if (clang_Cursor_isNull(cnd))
        jump(b, bodyb);
    else
        cond(b, cnd, bodyb, exitb);
    b->cur = bodyb;
    b->brk = exitb;
    b->cont = incb;
    b->cont_scope = b->nscope;
    stmt(b, body);
    fall_into(b, incb);
    if (!clang_Cursor_isNull(inc))
        expr_stmt(b, inc);
    jump(b, head);
    b->cur = exitb;
    b->brk = saved_brk;
    b->cont = saved_cont;
    b->brk_scope = saved_bs;
    b->cont_scope = saved_cs;
    b->nscope = saved_n;
}

static void case_stmt(builder *b, CXCursor s, bool is_default)
{
    CXCursor kk[3];
    unsigned n = fc_children(s, kk, 3);
    if (n == 0 || n > 3)
        return;
    unsigned blk = new_block(b);
    fall_into(b, blk);   /* fall-through from the previous case */
    if (b->sw) {
        switch_ctx *sw = b->sw;
        if (is_default) {
            sw->has_default = true;
            fc_edge *e = add_edge(b, sw->head, blk, FC_E_DEFAULT);
            (void)e;
        } else {
            long long lo = 0, hi = 0;
            bool known = fc_const_int(b->fn, kk[0], &lo);
            hi = lo;
            if (n == 3 && known)
                known = fc_const_int(b->fn, kk[1], &hi);
            bool take = true;
            if (sw->value_known && known) {
                take = sw->value >= lo && sw->value <= hi;
                if (take)
                    sw->matched = true;
            }
            if (take) {
                fc_edge *e = add_edge(b, sw->head, blk, FC_E_CASE);
                e->case_known = known;
                e->lo = lo;
                e->hi = hi;
            }
        }
    }
    stmt(b, kk[n - 1]);
}

static void switch_stmt(builder *b, CXCursor s)
{
    CXCursor kk[3];
    unsigned n = fc_children(s, kk, 3);
    if (n < 2)
        return;
    CXCursor value = kk[n - 2], body = kk[n - 1];
    add_elem(b, FC_EL_COND, value);
    switch_ctx sw = { .head = b->cur };
    sw.value_known = fc_const_int(b->fn, value, &sw.value);
    fc_block *hb = B(b, b->cur);
    hb->term = FC_T_SWITCH;
    hb->cond = fc_strip(value);
    unsigned exitb = new_block(b);
    switch_ctx *saved_sw = b->sw;
    unsigned saved_brk = b->brk, saved_bs = b->brk_scope;
    b->sw = &sw;
    b->brk = exitb;
    b->brk_scope = b->nscope;
    b->cur = new_block(b);   /* code before the first label: unreachable */
    stmt(b, body);
    fall_into(b, exitb);
    if (!sw.has_default && !(sw.value_known && sw.matched))
        add_edge(b, sw.head, exitb, FC_E_DEFAULT);
    else if (sw.has_default && sw.value_known && sw.matched) {
        /* drop the default edge: a known value matched a case */
        fc_block *h = B(b, sw.head);
        for (unsigned i = 0; i < h->nsucc; i++)
            if (h->succ[i].kind == FC_E_DEFAULT) {
                fc_block *t = B(b, h->succ[i].to);
                for (unsigned j = 0; j < t->npred; j++)
                    if (t->pred[j] == sw.head) {
                        t->pred[j] = t->pred[--t->npred];
                        break;
                    }
                h->succ[i] = h->succ[--h->nsucc];
                break;
            }
    }
    b->sw = saved_sw;
    b->brk = saved_brk;
    b->brk_scope = saved_bs;
    b->cur = exitb;
}

static enum CXChildVisitResult stmt_child(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    builder *b = d;
    if (b->cfg->truncated)
        return CXChildVisit_Break;
    stmt(b, c);
    return CXChildVisit_Continue;
}

static enum CXChildVisitResult decl_child(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    builder *b = d;
    if (clang_getCursorKind(c) == CXCursor_VarDecl) {
        add_elem(b, FC_EL_DECL, c);
        scope_push(b, c);
    }
    return CXChildVisit_Continue;
}

static void stmt(builder *b, CXCursor s)
{
    if (b->cfg->truncated)
        return;
    if (++b->depth > 256) {
        b->cfg->truncated = true;
        b->depth--;
        return;
    }
    enum CXCursorKind k = clang_getCursorKind(s);
    CXCursor kk[4];
    unsigned n;
    switch (k) {
    case CXCursor_CompoundStmt: {
        unsigned saved_n = b->nscope;
        fc_visit(s, stmt_child, b);
        b->nscope = saved_n;
        break;
    }
    case CXCursor_DeclStmt:
        fc_visit(s, decl_child, b);
        break;
    case CXCursor_IfStmt: {
        n = fc_children(s, kk, 4);
        if (n < 2 || n > 3)
            break;
        /* an `else if` chain is walked in a loop, not by recursion: its
         * arms are not nested statements, and a chain of hundreds of arms
         * (generated dispatchers) stays within the nesting bound (QA6 T6) */
        unsigned join = new_block(b);
        for (;;) {
            unsigned tb = new_block(b), fb = n == 3 ? new_block(b) : join;
            cond(b, kk[0], tb, fb);
            b->cur = tb;
            stmt(b, kk[1]);
            fall_into(b, join);
            if (n != 3)
                break;
            b->cur = fb;
            CXCursor e = kk[2];
            if (clang_getCursorKind(e) == CXCursor_IfStmt && !b->cfg->truncated) {
                unsigned m = fc_children(e, kk, 4);
                if (m >= 2 && m <= 3) {
                    n = m;
                    continue;
                }
            }
            stmt(b, e);
            add_edge(b, b->cur, join, FC_E_ALWAYS);
            break;
        }
        b->cur = join;
        break;
    }
    case CXCursor_WhileStmt: {
        n = fc_children(s, kk, 4);
        if (n != 2)
            break;
        unsigned head = new_block(b), bodyb = new_block(b), exitb = new_block(b);
        unsigned sb = b->brk, sc = b->cont, sbs = b->brk_scope, scs = b->cont_scope;
        fall_into(b, head);
        cond(b, kk[0], bodyb, exitb);
        b->cur = bodyb;
        b->brk = exitb;
        b->cont = head;
        b->brk_scope = b->cont_scope = b->nscope;
        stmt(b, kk[1]);
        jump(b, head);
        b->brk = sb;
        b->cont = sc;
        b->brk_scope = sbs;
        b->cont_scope = scs;
        b->cur = exitb;
        break;
    }
    case CXCursor_DoStmt: {
        n = fc_children(s, kk, 4);
        if (n != 2)
            break;
        unsigned bodyb = new_block(b), condb = new_block(b), exitb = new_block(b);
        unsigned sb = b->brk, sc = b->cont, sbs = b->brk_scope, scs = b->cont_scope;
        fall_into(b, bodyb);
        b->brk = exitb;
        b->cont = condb;
        b->brk_scope = b->cont_scope = b->nscope;
        stmt(b, kk[0]);
        fall_into(b, condb);
        cond(b, kk[1], bodyb, exitb);
        b->brk = sb;
        b->cont = sc;
        b->brk_scope = sbs;
        b->cont_scope = scs;
        b->cur = exitb;
        break;
    }
    case CXCursor_ForStmt:
        for_stmt(b, s);
        break;
    case CXCursor_SwitchStmt:
        switch_stmt(b, s);
        break;
    case CXCursor_CaseStmt:
        case_stmt(b, s, false);
        break;
    case CXCursor_DefaultStmt:
        case_stmt(b, s, true);
        break;
    case CXCursor_BreakStmt:
        if (b->brk != NOBLOCK)
            scoped_jump(b, b->brk, b->brk_scope, s);
        break;
    case CXCursor_ContinueStmt:
        if (b->cont != NOBLOCK)
            scoped_jump(b, b->cont, b->cont_scope, s);
        break;
    case CXCursor_ReturnStmt: {
        add_elem(b, FC_EL_RETURN, s);
        fc_block *blk = B(b, b->cur);
        blk->term = FC_T_RETURN;
        blk->term_cursor = s;
        add_edge(b, b->cur, FC_CFG_EXIT, FC_E_ALWAYS);
        b->cur = new_block(b);
        break;
    }
    case CXCursor_GotoStmt: {
        n = fc_children(s, kk, 2);
        CXCursor label = n >= 1 ? clang_getCursorReferenced(kk[0]) : clang_getNullCursor();
        if (clang_getCursorKind(label) == CXCursor_LabelStmt)
            jump(b, label_block(b, label));
        else
            b->cur = new_block(b);
        break;
    }
    case CXCursor_IndirectGotoStmt: {
        n = fc_children(s, kk, 2);
        if (n >= 1)
            add_elem(b, FC_EL_EXPR, kk[0]);
        b->indirect = fc_xrealloc(b->indirect, (b->nindirect + 1) * sizeof *b->indirect);
        b->indirect[b->nindirect++] = b->cur;
        b->cur = new_block(b);
        break;
    }
    case CXCursor_LabelStmt: {
        unsigned lb = label_block(b, s);
        fall_into(b, lb);
        n = fc_children(s, kk, 2);
        if (n >= 1)
            stmt(b, kk[n - 1]);
        break;
    }
    case CXCursor_NullStmt:
    case CXCursor_GCCAsmStmt:
    case CXCursor_MSAsmStmt:
        break;
    default:
        if (clang_isExpression(k))
            expr_stmt(b, s);
        else if (clang_isDeclaration(k) && k == CXCursor_VarDecl) {
            add_elem(b, FC_EL_DECL, s);
            scope_push(b, s);
        }
        break;
    }
    b->depth--;
}

/* ---- Reverse post-order ---- */

static void compute_rpo(fc_cfg *g)
{
    unsigned n = g->nblocks;
    unsigned char *seen = fc_xcalloc(n, 1);
    unsigned *post = fc_xmalloc(n * sizeof *post), np = 0;
    unsigned *stack = fc_xmalloc(n * sizeof *stack), *next = fc_xcalloc(n, sizeof *next), sp = 0;
    stack[sp++] = FC_CFG_ENTRY;
    seen[FC_CFG_ENTRY] = 1;
    while (sp) {
        unsigned v = stack[sp - 1];
        fc_block *blk = g->blocks[v];
        if (next[v] < blk->nsucc) {
            unsigned w = blk->succ[next[v]++].to;
            if (!seen[w]) {
                seen[w] = 1;
                stack[sp++] = w;
            }
        } else {
            post[np++] = v;
            sp--;
        }
    }
    g->rpo = fc_xmalloc((np ? np : 1) * sizeof *g->rpo);
    for (unsigned i = 0; i < np; i++)
        g->rpo[i] = post[np - 1 - i];
    g->nrpo = np;
    free(seen);
    free(post);
    free(stack);
    free(next);
}

fc_cfg *fc_cfg_build(fc_func *fn, unsigned max_blocks)
{
    fc_cfg *g = fc_xcalloc(1, sizeof *g);
    builder b = { .fn = fn, .cfg = g, .max_blocks = max_blocks ? max_blocks : 20000,
                  .brk = NOBLOCK, .cont = NOBLOCK };
    b.labels = fc_cmap_new();
    new_block(&b);             /* entry */
    new_block(&b);             /* exit */
    b.cur = new_block(&b);
    add_edge(&b, FC_CFG_ENTRY, b.cur, FC_E_ALWAYS);
    g->end_cursor = fn->body;
    stmt(&b, fn->body);
    if (!g->truncated) {
        add_edge(&b, b.cur, FC_CFG_EXIT, FC_E_ALWAYS);
        for (unsigned i = 0; i < b.nindirect; i++) {
            fc_block *blk = B(&b, b.indirect[i]);
            blk->term = b.nlabels ? FC_T_BRANCH : FC_T_NORETURN;
            for (unsigned j = 0; j < b.nlabels; j++)
                add_edge(&b, b.indirect[i], b.label_blocks[j], FC_E_ALWAYS);
        }
        compute_rpo(g);
    }
    fc_cmap_free(b.labels);
    free(b.label_blocks);
    free(b.scope_vars);
    free(b.indirect);
    return g;
}

void fc_cfg_free(fc_cfg *g)
{
    if (!g)
        return;
    for (cfg_chunk *c = g->mem, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(g->rpo);
    free(g);
}

void fc_cfg_dump(const fc_func *fn, FILE *out)
{
    static const char *const ek[] = { "expr", "decl", "return", "cond" };
    static const char *const edge[] = { "", "T", "F", "case", "default" };
    fc_cfg *g = fn->cfg;
    fprintf(out, "function %s: %u blocks, %u reachable\n", fn->name, g->nblocks, g->nrpo);
    for (unsigned r = 0; r < g->nrpo; r++) {
        fc_block *blk = g->blocks[g->rpo[r]];
        fprintf(out, "  B%u%s:\n", blk->id,
                blk->id == FC_CFG_ENTRY ? " (entry)" : blk->id == FC_CFG_EXIT ? " (exit)" : "");
        for (unsigned i = 0; i < blk->nelems; i++) {
            fc_loc l = fc_loc_of(blk->elems[i].c);
            char *t = fc_expr_text(fn->tu, blk->elems[i].c, 60);
            fprintf(out, "    %s @%u:%u  %s\n", ek[blk->elems[i].kind], l.line, l.col, t);
            free(t);
        }
        fprintf(out, "    ->");
        if (blk->term == FC_T_NORETURN)
            fprintf(out, " (noreturn)");
        for (unsigned i = 0; i < blk->nsucc; i++) {
            const fc_edge *e = &blk->succ[i];
            if (e->kind == FC_E_CASE)
                fprintf(out, " B%u[case %lld..%lld]", e->to, e->lo, e->hi);
            else
                fprintf(out, " B%u%s%s", e->to, *edge[e->kind] ? ":" : "", edge[e->kind]);
            for (unsigned k = 0; k < e->ndead; k++)   /* locals whose scope the jump leaves */
                fprintf(out, "%s%s", k ? "," : "(ends ",
                        e->dead[k] < fn->nvars ? fc_intern_cx(clang_getCursorSpelling(fn->vars[e->dead[k]])) : "?");
            if (e->ndead)
                fprintf(out, ")");
        }
        fprintf(out, "\n");
    }
}

/*
 * analyzer/dataflow.c — the forward dataflow engine and the event walker of
 * dataflow.h.
 *
 * How: states live in one array, one per block (the state at the block's
 * entry).  Blocks are processed in reverse post-order, round after round,
 * until no entry state changes; each block is evaluated at most
 * max_block_visits times (evaluations, not incoming edges: the exit of a
 * function of 30 returns is reached 30 times in one pass) before the
 * client's widen takes over (or the run gives up: silence is better than a
 * finding from a state that is not a fixpoint).  Edges refine the state (the client's `edge`): a refinement
 * that proves the edge infeasible stops propagation along it, which is how
 * `if (!p) return;` keeps the null path out of what follows.  The report
 * pass then replays each reachable block once from its fixpoint state.
 * A client may ask for loop replays (dataflow.h, replay_loops): the body
 * once more from the state the back edges carry alone, split at the body's
 * last join, and the zero-trip path to the exit; bounded per function.
 *
 * Bound: at most max_block_visits x blocks block transfers per function, so
 * a function costs time linear in its size.
 */
#include "dataflow.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "walk.h"

static void replay_loops(const fc_func *fn, const fc_flow_client *cl, const unsigned char *in,
                         const unsigned char *has, size_t S);

/* The states of one run: per block up to `k` partitions (dataflow.h,
 * distinct), slot 0 in one array, the others allocated on first need. */
typedef struct parts {
    const fc_flow_client *cl;
    fc_block *const *blocks;
    size_t S;
    unsigned k, max_visits;
    unsigned char *in;          /* [n] slot 0 of every block */
    unsigned char **xs;         /* [n] slots 1 .. k-1, NULL until needed */
    unsigned char *np;          /* [n] partitions held (0: not reached) */
    unsigned char *single;      /* [n] collapsed for good: joins only */
    unsigned *visits;
    bool ok;
} parts;

static unsigned char *part(const parts *P, unsigned b, unsigned i)
{
    return i == 0 ? P->in + (size_t)b * P->S : P->xs[b] + (size_t)(i - 1) * P->S;
}

/* Join every partition of b into slot 0. */
static void collapse(parts *P, unsigned b)
{
    for (unsigned i = 1; i < P->np[b]; i++)
        P->cl->join(P->cl->ctx, part(P, b, 0), part(P, b, i));
    if (P->np[b] > 1)
        P->np[b] = 1;
}

/* Merge a state arriving at block `to`; true when the block's states changed. */
static bool merge_into(parts *P, unsigned to, const unsigned char *st)
{
    const fc_flow_client *cl = P->cl;
    if (!P->np[to]) {
        memcpy(part(P, to, 0), st, P->S);
        P->np[to] = 1;
        return true;
    }
    /* the bound counts evaluations of `to`, not the edges into it: a block
     * with 30 predecessors (the exit of a function of 30 returns, a
     * `goto out` ladder) is reached 30 times in one pass */
    if (P->visits[to] >= P->max_visits) {
        if (P->k > 1 && !P->single[to]) {
            /* partitions spent their budget: one state from now on, with
             * the usual budget */
            collapse(P, to);
            P->single[to] = 1;
            P->visits[to] = 0;
            return cl->join(cl->ctx, part(P, to, 0), st);
        }
        if (!cl->widen) {
            /* a state that adds nothing is fine; one that still changes
             * after the budget is not a fixpoint: give up */
            if (cl->join(cl->ctx, part(P, to, 0), st))
                P->ok = false;
            return false;
        }
        bool changed = cl->widen(cl->ctx, part(P, to, 0), st);
        if (P->visits[to] > P->max_visits * 4)
            P->ok = false;    /* the widening does not converge */
        return changed;
    }
    if (P->k > 1 && !P->single[to]) {
        for (unsigned i = 0; i < P->np[to]; i++)
            if (!cl->distinct(cl->ctx, P->blocks[to], part(P, to, i), st))
                return cl->join(cl->ctx, part(P, to, i), st);
        if (P->np[to] < P->k) {
            if (!P->xs[to])
                P->xs[to] = fc_xmalloc((size_t)(P->k - 1) * P->S);
            memcpy(part(P, to, P->np[to]), st, P->S);
            P->np[to]++;
            return true;
        }
        return cl->join(cl->ctx, part(P, to, P->np[to] - 1), st);
    }
    return cl->join(cl->ctx, part(P, to, 0), st);
}

static void report_tail(const fc_flow_client *cl, const fc_block *b, size_t S, unsigned char *cur,
                        unsigned char *tmp);

/* Report pass over one state of block b. */
static void report_block(const fc_flow_client *cl, const fc_block *b, const unsigned char *st, size_t S,
                         unsigned char *cur, unsigned char *tmp)
{
    memcpy(cur, st, S);
    for (unsigned i = 0; i < b->nelems; i++)
        cl->transfer(cl->ctx, cur, b, &b->elems[i], true);
    report_tail(cl, b, S, cur, tmp);
}

/* What follows the transfers of b in the report pass, from the state after
 * them: the exit, the edges leaving a scope, the edges into the exit. */
static void report_tail(const fc_flow_client *cl, const fc_block *b, size_t S, unsigned char *cur,
                        unsigned char *tmp)
{
    if (b->id == FC_CFG_EXIT) {
        if (cl->at_exit)
            cl->at_exit(cl->ctx, cur, true);
        return;
    }
    for (unsigned i = 0; cl->at_scope_end && i < b->nsucc; i++) {
        if (!b->succ[i].ndead)
            continue;
        memcpy(tmp, cur, S);
        cl->at_scope_end(cl->ctx, tmp, b, &b->succ[i], true);
    }
    if (!cl->at_return)
        return;
    for (unsigned i = 0; i < b->nsucc; i++) {
        if (b->succ[i].to != FC_CFG_EXIT)
            continue;
        memcpy(tmp, cur, S);
        if (cl->edge && !cl->edge(cl->ctx, tmp, b, &b->succ[i]))
            continue;
        cl->at_return(cl->ctx, tmp, b, true);
    }
}

/* Whether report_tail has anything to do for b (the exit block, an edge
 * that leaves a scope, an edge into the exit). */
static bool tail_needed(const fc_flow_client *cl, const fc_block *b)
{
    if (b->id == FC_CFG_EXIT)
        return cl->at_exit != NULL;
    for (unsigned i = 0; i < b->nsucc; i++)
        if ((cl->at_scope_end && b->succ[i].ndead) || (cl->at_return && b->succ[i].to == FC_CFG_EXIT))
            return true;
    return false;
}

bool fc_flow_run(const fc_func *fn, const fc_flow_client *cl, const struct fc_options *opts)
{
    const fc_cfg *g = fn->cfg;
    unsigned n = g->nblocks;
    size_t S = cl->state_size ? cl->state_size : 1;
    parts P = { cl, g->blocks, S, 1, opts && opts->max_block_visits ? opts->max_block_visits : 24, NULL, NULL, NULL, NULL,
                NULL, true };
    if (cl->distinct && cl->max_parts > 1)
        P.k = cl->max_parts > 4 ? 4 : cl->max_parts;
    /* no zeroing: a block's state is read only once one has arrived (np) */
    P.in = fc_xmalloc((size_t)n * S);
    P.np = fc_xcalloc(n, 1);
    P.visits = fc_xcalloc(n, sizeof *P.visits);
    if (P.k > 1) {
        P.xs = fc_xcalloc(n, sizeof *P.xs);
        P.single = fc_xcalloc(n, 1);
    }
    unsigned char *pending = fc_xcalloc(n, 1);
    unsigned char *cur = fc_xmalloc(S), *tmp = fc_xmalloc(S);
    bool split = false;
    /* quiet_report: each block's state after its transfers, as its last
     * evaluation left it (valid: not changed since) */
    unsigned char *post = NULL, *scratch = NULL, *valid = NULL;
    unsigned *tslot = NULL;   /* slot + 1 in post/scratch of a block the report pass reads, 0: none */
    size_t SS = cl->scratch_size ? cl->scratch_size : 1;
    if (cl->quiet_report && P.k == 1 && cl->save_scratch && cl->load_scratch) {
        /* only the blocks report_tail has work for keep their state: most
         * blocks have none, and a state is kilobytes in a large function
         * (SQLite's sqlite3Pragma: 1,074 blocks of 9.7 KB each) */
        tslot = fc_xcalloc(n, sizeof *tslot);
        unsigned nt = 0;
        for (unsigned r = 0; r < g->nrpo; r++)
            if (tail_needed(cl, g->blocks[g->rpo[r]]))
                tslot[g->rpo[r]] = ++nt;
        post = fc_xmalloc((size_t)(nt ? nt : 1) * S);
        scratch = fc_xmalloc((size_t)(nt ? nt : 1) * SS);
        valid = fc_xcalloc(n, 1);
    }

    cl->init(cl->ctx, P.in + (size_t)FC_CFG_ENTRY * S);
    P.np[FC_CFG_ENTRY] = 1;
    pending[FC_CFG_ENTRY] = 1;
    bool any = true;
    while (any && P.ok) {
        any = false;
        for (unsigned r = 0; r < g->nrpo && P.ok; r++) {
            unsigned id = g->rpo[r];
            if (!pending[id])
                continue;
            pending[id] = 0;
            P.visits[id]++;
            const fc_block *b = g->blocks[id];
            for (unsigned k = 0; k < P.np[id] && P.ok; k++) {
                memcpy(cur, part(&P, id, k), S);
                for (unsigned i = 0; i < b->nelems; i++)
                    cl->transfer(cl->ctx, cur, b, &b->elems[i], false);
                if (post) {
                    if (tslot[id]) {
                        memcpy(post + (size_t)(tslot[id] - 1) * S, cur, S);
                        cl->save_scratch(cl->ctx, b, scratch + (size_t)(tslot[id] - 1) * SS);
                    }
                    valid[id] = 1;
                }
                for (unsigned i = 0; i < b->nsucc; i++) {
                    const fc_edge *e = &b->succ[i];
                    /* the last edge may refine cur itself: no copy */
                    unsigned char *st = i + 1 == b->nsucc ? cur : tmp;
                    if (st != cur)
                        memcpy(tmp, cur, S);
                    if (cl->edge && !cl->edge(cl->ctx, st, b, e))
                        continue;
                    if (merge_into(&P, e->to, st)) {
                        pending[e->to] = 1;
                        any = true;
                        if (valid)
                            valid[e->to] = 0;
                    }
                    if (!P.ok)
                        break;
                }
            }
        }
    }

    if (P.ok) {
        for (unsigned r = 0; r < g->nrpo; r++) {
            unsigned id = g->rpo[r];
            for (unsigned k = 0; k < P.np[id]; k++) {
                if (valid && valid[id]) {
                    if (!tslot[id])
                        continue;   /* report_tail would do nothing */
                    memcpy(cur, post + (size_t)(tslot[id] - 1) * S, S);
                    cl->load_scratch(cl->ctx, g->blocks[id], scratch + (size_t)(tslot[id] - 1) * SS);
                    report_tail(cl, g->blocks[id], S, cur, tmp);
                } else {
                    report_block(cl, g->blocks[id], part(&P, id, k), S, cur, tmp);
                }
            }
            if (P.np[id] > 1)
                split = true;
        }
    }
    if (P.ok && cl->replay_loops) {
        /* the loop replays work on one state per block: the join */
        unsigned char *has = fc_xcalloc(n, 1);
        for (unsigned i = 0; i < n; i++)
            has[i] = P.np[i] > 0;
        if (split)
            for (unsigned i = 0; i < n; i++)
                collapse(&P, i);
        replay_loops(fn, cl, P.in, has, S);
        free(has);
    }
    if (P.xs)
        for (unsigned i = 0; i < n; i++)
            free(P.xs[i]);
    free(P.xs);
    free(P.single);
    free(P.in);
    free(P.np);
    free(P.visits);
    free(pending);
    free(cur);
    free(tmp);
    free(post);
    free(scratch);
    free(valid);
    free(tslot);
    return P.ok;
}

/* ---- Second iteration of each loop (client's replay_loops) ---- */

/* For each loop head h (target of an edge from a block at or after it in
 * reverse post-order): join the states its back edges carry, mark the
 * natural loop (blocks that reach a back edge's source without passing
 * through h), and run one forward pass over those blocks in reverse
 * post-order from that state, inner back edges ignored.  Linear per loop. */
static enum CXChildVisitResult find_param(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    const fc_func *fn = *(const fc_func **)d;
    if (clang_getCursorKind(c) == CXCursor_CallExpr) {
        *(const fc_func **)d = NULL;    /* input-driven: getc, fgets, next() */
        return CXChildVisit_Break;
    }
    if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
        int v = fc_var_index(fn, clang_getCursorReferenced(c));
        if (v >= 0 && (unsigned)v < fn->nparams) {
            *(const fc_func **)d = NULL;
            return CXChildVisit_Break;
        }
    }
    return CXChildVisit_Recurse;
}

/* The loop condition of head h reads a parameter or calls a function
 * (`i < k`, `while (n)`, `while (fgets(...))`): how many times the loop
 * runs, zero or two, is then the caller's or the input's choice, not one
 * the function's own locals decide (`while (!done)` with done set in the
 * body, which the state does not track). */
static bool cond_reads_param(const fc_func *fn, const fc_block *h)
{
    if (h->term != FC_T_BRANCH || fc_cursor_null(h->cond))
        return false;
    const fc_func *probe = fn;
    if (clang_getCursorKind(h->cond) == CXCursor_DeclRefExpr)
        find_param(h->cond, h->cond, &probe);
    else
        fc_visit(h->cond, find_param, &probe);
    return probe == NULL;
}

/* `i < C` / `i <= C` / `i != C` with a constant C of at least 2: a loop
 * counted from 0 that goes round at least twice (the usual counted loop;
 * the counter's start is not checked). */
static bool counted_loop(const fc_func *fn, const fc_block *h)
{
    if (h->term != FC_T_BRANCH || fc_cursor_null(h->cond))
        return false;
    CXCursor c = h->cond;
    while (clang_getCursorKind(c) == CXCursor_ParenExpr || clang_getCursorKind(c) == CXCursor_UnexposedExpr) {
        CXCursor k[1];
        if (fc_children(c, k, 1) != 1)
            return false;
        c = k[0];
    }
    if (clang_getCursorKind(c) != CXCursor_BinaryOperator)
        return false;
    CXCursor k[2];
    if (fc_children(c, k, 2) != 2)
        return false;
    long long v;
    return fc_const_int((fc_func *)fn, k[1], &v) && v >= 2 && !fc_const_int((fc_func *)fn, k[0], &v);
}

/* The path that enters loop h and leaves it at once (the head's exit edge
 * from the state entering the loop): replayed forward, one pass over the
 * blocks after the loop in reverse post-order (later back edges ignored),
 * with report on, leaks included.  A block the loop frees is live there. */
static void replay_exit(const fc_func *fn, const fc_flow_client *cl, unsigned hr, const unsigned *order,
                        const unsigned char *body, unsigned char *st, unsigned char *hs, const unsigned char *entry,
                        size_t S, unsigned char *cur, unsigned char *tmp, unsigned long *budget)
{
    const fc_cfg *g = fn->cfg;
    unsigned n = g->nblocks, h = g->rpo[hr];
    const fc_block *hb = g->blocks[h];
    memset(hs, 0, n);
    memcpy(cur, entry, S);
    for (unsigned i = 0; i < hb->nelems; i++)
        cl->transfer(cl->ctx, cur, hb, &hb->elems[i], false);
    bool any = false;
    for (unsigned i = 0; i < hb->nsucc; i++) {
        unsigned to = hb->succ[i].to;
        if (to >= n || body[to] || order[to] == ~0u || order[to] <= hr)
            continue;
        memcpy(tmp, cur, S);
        if (cl->edge && !cl->edge(cl->ctx, tmp, hb, &hb->succ[i]))
            continue;
        if (cl->at_scope_end && hb->succ[i].ndead) {
            unsigned char *t2 = fc_xmalloc(S);
            memcpy(t2, tmp, S);
            cl->at_scope_end(cl->ctx, t2, hb, &hb->succ[i], true);
            free(t2);
        }
        if (to == FC_CFG_EXIT) {
            if (cl->at_return)
                cl->at_return(cl->ctx, tmp, hb, true);
        }
        if (!hs[to])
            memcpy(st + (size_t)to * S, tmp, S);
        else
            cl->join(cl->ctx, st + (size_t)to * S, tmp);
        hs[to] = 1;
        any = true;
    }
    for (unsigned r = hr + 1; any && r < g->nrpo; r++) {
        unsigned id = g->rpo[r];
        if (!hs[id] || body[id])
            continue;
        if (!*budget)
            return;
        --*budget;
        const fc_block *b = g->blocks[id];
        memcpy(cur, st + (size_t)id * S, S);
        for (unsigned i = 0; i < b->nelems; i++)
            cl->transfer(cl->ctx, cur, b, &b->elems[i], true);
        if (id == FC_CFG_EXIT) {
            if (cl->at_exit)
                cl->at_exit(cl->ctx, cur, true);
            continue;
        }
        for (unsigned i = 0; i < b->nsucc; i++) {
            unsigned to = b->succ[i].to;
            if (to >= n || order[to] == ~0u || order[to] <= r)
                continue;
            memcpy(tmp, cur, S);
            if (cl->at_scope_end && b->succ[i].ndead) {
                unsigned char *t2 = fc_xmalloc(S);
                memcpy(t2, tmp, S);
                cl->at_scope_end(cl->ctx, t2, b, &b->succ[i], true);
                free(t2);
            }
            if (cl->edge && !cl->edge(cl->ctx, tmp, b, &b->succ[i]))
                continue;
            if (to == FC_CFG_EXIT && cl->at_return) {
                unsigned char *t2 = fc_xmalloc(S);
                memcpy(t2, tmp, S);
                cl->at_return(cl->ctx, t2, b, true);
                free(t2);
            }
            if (!hs[to])
                memcpy(st + (size_t)to * S, tmp, S);
            else
                cl->join(cl->ctx, st + (size_t)to * S, tmp);
            hs[to] = 1;
        }
    }
}

typedef struct reads {
    CXCursor v[8];
    unsigned n;
} reads;

static enum CXChildVisitResult collect_reads(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    reads *r = d;
    if (clang_getCursorKind(c) == CXCursor_DeclRefExpr && r->n < 8)
        r->v[r->n++] = clang_getCursorReferenced(c);
    return CXChildVisit_Recurse;
}

static reads reads_of(CXCursor e)
{
    reads r = { .n = 0 };
    if (clang_getCursorKind(e) == CXCursor_DeclRefExpr)
        r.v[r.n++] = clang_getCursorReferenced(e);
    else
        fc_visit(e, collect_reads, &r);
    return r;
}

static bool shares_read(const reads *a, const reads *b)
{
    for (unsigned i = 0; i < a->n; i++)
        for (unsigned j = 0; j < b->n; j++)
            if (clang_equalCursors(a->v[i], b->v[j]))
                return true;
    return false;
}

static CXCursor strip_paren(CXCursor c)
{
    while (clang_getCursorKind(c) == CXCursor_ParenExpr || clang_getCursorKind(c) == CXCursor_UnexposedExpr) {
        CXCursor k[1];
        if (fc_children(c, k, 1) != 1)
            break;
        c = k[0];
    }
    return c;
}

/* A path of iteration 1 taken on the true side of `br` (`if (i == 2)`)
 * goes round again: false when br tests the loop's counter against the
 * value of its last round (`i == 3` in `i < 4`, `i == n - 1` in `i < n`),
 * true when br does not read what the loop condition reads.  Other tests
 * of the counter: not known, false (silence). */
static bool may_go_round(const fc_func *fn, CXCursor loop_cond, CXCursor br)
{
    reads lr = reads_of(loop_cond), br_r = reads_of(br);
    if (!shares_read(&lr, &br_r))
        return true;
    CXCursor b = strip_paren(br), l = strip_paren(loop_cond);
    CXCursor bk[2], lk[2];
    if (clang_getCursorKind(b) != CXCursor_BinaryOperator || fc_binop((fc_func *)fn, b) != FC_OP_EQ ||
        fc_children(b, bk, 2) != 2 || clang_getCursorKind(l) != CXCursor_BinaryOperator ||
        fc_children(l, lk, 2) != 2)
        return false;
    long long e, bound;
    if (!fc_const_int((fc_func *)fn, bk[1], &e))
        return false;
    fc_op op = fc_binop((fc_func *)fn, l);
    if (!fc_const_int((fc_func *)fn, lk[1], &bound)) {
        reads er = reads_of(bk[1]), brd = reads_of(lk[1]);
        return !shares_read(&er, &brd) && brd.n > 0;
    }
    if (op == FC_OP_LT)
        return e + 1 < bound;
    if (op == FC_OP_LE)
        return e + 1 <= bound;
    if (op == FC_OP_NE)
        return e + 1 != bound;
    return false;
}

/* The condition and side of the last branch on the way into block q (q's
 * only predecessor's test when q is its true side), or a null cursor. */
static CXCursor true_branch_into(const fc_cfg *g, unsigned q, unsigned head)
{
    const fc_block *qb = g->blocks[q];
    if (qb->npred != 1 || qb->pred[0] == head)    /* the loop's own test */
        return clang_getNullCursor();
    const fc_block *pb = g->blocks[qb->pred[0]];
    if (pb->term != FC_T_BRANCH || pb->nsucc < 1 || pb->succ[0].to != q || fc_cursor_null(pb->cond))
        return clang_getNullCursor();
    return pb->cond;
}

/* Run block b from its in-state in_b and merge what its edges into h carry
 * into dst (*dst_has: dst already holds a state; set when one arrives).
 * Returns whether any edge arrived.  cur and tmp are scratch states. */
static bool flow_edges_to(const fc_flow_client *cl, const fc_block *b, const unsigned char *in_b, unsigned h,
                          size_t S, unsigned char *cur, unsigned char *tmp, unsigned char *dst,
                          unsigned char *dst_has)
{
    bool any = false;
    memcpy(cur, in_b, S);
    for (unsigned i = 0; i < b->nelems; i++)
        cl->transfer(cl->ctx, cur, b, &b->elems[i], false);
    for (unsigned i = 0; i < b->nsucc; i++) {
        if (b->succ[i].to != h)
            continue;
        memcpy(tmp, cur, S);
        if (cl->edge && !cl->edge(cl->ctx, tmp, b, &b->succ[i]))
            continue;
        if (!*dst_has)
            memcpy(dst, tmp, S);
        else
            cl->join(cl->ctx, dst, tmp);
        *dst_has = 1;
        any = true;
    }
    return any;
}

static void replay_loops(const fc_func *fn, const fc_flow_client *cl, const unsigned char *in,
                         const unsigned char *has, size_t S)
{
    const fc_cfg *g = fn->cfg;
    unsigned n = g->nblocks;
    unsigned *order = fc_xmalloc((size_t)n * sizeof *order);
    for (unsigned i = 0; i < n; i++)
        order[i] = ~0u;
    for (unsigned r = 0; r < g->nrpo; r++)
        order[g->rpo[r]] = r;
    /* st[b] is read only once hs[b] says a state arrived: no zeroing */
    unsigned char *st = fc_xmalloc((size_t)n * S), *hs = fc_xcalloc(n, 1), *body = fc_xcalloc(n, 1);
    unsigned *stack = fc_xmalloc(((size_t)n + 1) * sizeof *stack);
    unsigned char *cur = fc_xmalloc(S), *tmp = fc_xmalloc(S);
    /* block replays for the whole function: linear in its size however
     * many loops it has (a function of 200 loops replays some of them) */
    unsigned long budget = 16ul * g->nrpo + 256;
    for (unsigned hr = 0; hr < g->nrpo && budget; hr++) {
        unsigned h = g->rpo[hr];
        bool any = false;
        memset(hs, 0, n);
        memset(body, 0, n);
        unsigned sp = 0;
        body[h] = 1;
        /* back edges into h, and the loop body */
        for (unsigned pi = 0; pi < g->blocks[h]->npred; pi++) {
            unsigned src = g->blocks[h]->pred[pi];
            if (src >= n || order[src] == ~0u || order[src] < hr || !has[src])
                continue;
            if (flow_edges_to(cl, g->blocks[src], in + (size_t)src * S, h, S, cur, tmp, st + (size_t)h * S,
                              &hs[h]))
                any = true;
            if (!body[src]) {
                body[src] = 1;
                stack[sp++] = src;
            }
        }
        if (!any)
            continue;
        /* the condition deciding whether the loop goes round: the head's
         * (while, for) or a latch's (do-while) */
        unsigned nback = 0, latch = 0;
        for (unsigned pi = 0; pi < g->blocks[h]->npred; pi++) {
            unsigned src = g->blocks[h]->pred[pi];
            if (src < n && order[src] != ~0u && order[src] >= hr && has[src]) {
                nback++;
                latch = src;
            }
        }
        /* a latch that tests (do-while, or a loop whose first test the
         * CFG folded: `for (i = 0; i < 4; i++)` enters the body directly)
         * holds the loop condition; else the head does */
        const fc_block *lc = nback == 1 && g->blocks[latch]->term == FC_T_BRANCH ? g->blocks[latch]
                             : g->blocks[h]->term == FC_T_BRANCH ? g->blocks[h] : NULL;
        bool repeat_ok = lc && (cond_reads_param(fn, lc) || counted_loop(fn, lc));
        if (!repeat_ok)
            continue;
        unsigned char *entry = fc_xmalloc(S);
        unsigned char has_entry = 0;
        for (unsigned pi = 0; pi < g->blocks[h]->npred; pi++) {
            unsigned src = g->blocks[h]->pred[pi];
            if (src >= n || order[src] == ~0u || order[src] >= hr || !has[src])
                continue;
            flow_edges_to(cl, g->blocks[src], in + (size_t)src * S, h, S, cur, tmp, entry, &has_entry);
        }
        while (sp) {
            unsigned x = stack[--sp];
            for (unsigned pi = 0; pi < g->blocks[x]->npred; pi++) {
                unsigned y = g->blocks[x]->pred[pi];
                if (y < n && !body[y] && order[y] != ~0u) {
                    body[y] = 1;
                    stack[sp++] = y;
                }
            }
        }
        /* one back edge whose source joins 2 to 4 paths of the body (the
         * `i++` after `if (i == 2) free(p);`): each path's state seeds its
         * own replay, so a block freed on one path of iteration 1 is freed
         * for sure at the top of the iteration that follows that path */
        unsigned char *seeds = NULL;
        unsigned nseeds = 0;
        /* the join: up from the latch through blocks of one predecessor */
        unsigned chain[6], nch = 0;
        if (nback == 1 && latch != h) {
            chain[nch++] = latch;
            while (nch < 6 && g->blocks[chain[nch - 1]]->npred == 1) {
                unsigned up = g->blocks[chain[nch - 1]]->pred[0];
                if (up >= n || up == h || order[up] == ~0u || order[up] < hr || !has[up])
                    break;
                chain[nch++] = up;
            }
        }
        const fc_block *jb = nch ? g->blocks[chain[nch - 1]] : NULL;
        if (jb && jb->npred >= 2 && jb->npred <= 4) {
            seeds = fc_xmalloc(4 * S);
            for (unsigned qi = 0; qi < jb->npred && nseeds < 4; qi++) {
                unsigned q = jb->pred[qi];
                if (q >= n || order[q] == ~0u || order[q] < hr || !has[q] || q == jb->id)
                    continue;
                CXCursor br = true_branch_into(g, q, lc->id);
                if (!fc_cursor_null(br) && !fc_cursor_null(lc->cond) && !may_go_round(fn, lc->cond, br))
                    continue;
                const fc_block *qb = g->blocks[q];
                memcpy(cur, in + (size_t)q * S, S);
                for (unsigned i = 0; i < qb->nelems; i++)
                    cl->transfer(cl->ctx, cur, qb, &qb->elems[i], false);
                for (unsigned i = 0; i < qb->nsucc && nseeds < 4; i++) {
                    if (qb->succ[i].to != jb->id)
                        continue;
                    unsigned char *sd = seeds + (size_t)nseeds * S;
                    memcpy(sd, cur, S);
                    if (cl->edge && !cl->edge(cl->ctx, sd, qb, &qb->succ[i]))
                        continue;
                    bool live = true;
                    for (unsigned k = nch; k-- > 0 && live;) {
                        const fc_block *cb = g->blocks[chain[k]];
                        unsigned next = k ? chain[k - 1] : h;
                        for (unsigned j = 0; j < cb->nelems; j++)
                            cl->transfer(cl->ctx, sd, cb, &cb->elems[j], false);
                        bool through = false;
                        for (unsigned j = 0; j < cb->nsucc && !through; j++)
                            if (cb->succ[j].to == next)
                                through = !cl->edge || cl->edge(cl->ctx, sd, cb, &cb->succ[j]);
                        live = through;
                    }
                    if (live)
                        nseeds++;
                }
            }
        }
        /* split: only the seeds (the paths that can go round); else the
         * joined back-edge state */
        unsigned npass = seeds ? nseeds : 1;
        for (unsigned pass = 0; pass < npass && budget; pass++) {
        if (seeds) {
            memset(hs, 0, n);
            memcpy(st + (size_t)h * S, seeds + (size_t)pass * S, S);
            hs[h] = 1;
        }
        for (unsigned r = hr; r < g->nrpo && budget; r++) {
            unsigned id = g->rpo[r];
            if (!body[id] || !hs[id])
                continue;
            budget--;
            const fc_block *b = g->blocks[id];
            memcpy(cur, st + (size_t)id * S, S);
            for (unsigned i = 0; i < b->nelems; i++)
                cl->transfer(cl->ctx, cur, b, &b->elems[i], true);
            for (unsigned i = 0; i < b->nsucc; i++) {
                unsigned to = b->succ[i].to;
                if (to >= n || !body[to] || order[to] == ~0u || order[to] <= r)
                    continue;
                memcpy(tmp, cur, S);
                if (cl->edge && !cl->edge(cl->ctx, tmp, b, &b->succ[i]))
                    continue;
                if (!hs[to])
                    memcpy(st + (size_t)to * S, tmp, S);
                else
                    cl->join(cl->ctx, st + (size_t)to * S, tmp);
                hs[to] = 1;
            }
        }
        }
        free(seeds);
        if (has_entry && cl->zero_trip_seed)
            cl->zero_trip_seed(cl->ctx, entry, in + (size_t)h * S);
        if (has_entry && repeat_ok)
            replay_exit(fn, cl, hr, order, body, st, hs, entry, S, cur, tmp, &budget);
        free(entry);
    }
    free(order);
    free(st);
    free(hs);
    free(body);
    free(stack);
    free(cur);
    free(tmp);
}

/* ---- Event walker ---- */

typedef struct walk {
    fc_func *fn;
    const fc_event_visitor *v;
    void *ctx;
    int depth;
} walk;

static void walk_expr(walk *w, CXCursor e);

static enum CXChildVisitResult walk_kid(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    walk *w = d;
    if (clang_isExpression(clang_getCursorKind(c)))
        walk_expr(w, c);
    return CXChildVisit_Continue;
}

static void walk_expr(walk *w, CXCursor e)
{
    if (++w->depth > 200) {
        w->depth--;
        return;
    }
    e = fc_strip(e);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_CallExpr) {
        int na = fc_call_nargs(e);
        if (na < 0)
            na = 0;
        CXCursor *args = fc_xcalloc((size_t)na + 1, sizeof *args);
        int *av = fc_xcalloc((size_t)na + 1, sizeof *av);
        bool *aa = fc_xcalloc((size_t)na + 1, sizeof *aa);
        for (int i = 0; i < na; i++) {
            args[i] = fc_call_arg(e, (unsigned)i);
            walk_expr(w, args[i]);
            CXCursor a = args[i];
            av[i] = -1;
            if (clang_getCursorKind(a) == CXCursor_UnaryOperator && fc_unop(w->fn, a) == FC_OP_ADDR) {
                CXCursor kk[1];
                if (fc_children(a, kk, 1) == 1) {
                    av[i] = fc_var_index(w->fn, fc_decl_ref(kk[0]));
                    aa[i] = av[i] >= 0;
                }
            } else {
                av[i] = fc_var_index(w->fn, fc_decl_ref(a));
            }
        }
        CXCursor d = fc_callee_decl(e);
        if (fc_cursor_null(d)) {
            CXCursor kk[1];
            if (fc_children(e, kk, 1) >= 1)
                walk_expr(w, kk[0]);   /* the function pointer expression */
        }
        if (w->v->on_call) {
            fc_call_event ev = { e, fc_callee_name(e), d, (unsigned)na, args, av, aa };
            w->v->on_call(w->ctx, &ev);
        }
        free(args);
        free(av);
        free(aa);
    } else if (k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator) {
        fc_op op = fc_binop(w->fn, e);
        CXCursor kk[2];
        if (fc_children(e, kk, 2) == 2 && op >= FC_OP_ASSIGN && op <= FC_OP_OTHER_ASSIGN) {
            walk_expr(w, kk[1]);
            int var = fc_var_index(w->fn, fc_decl_ref(kk[0]));
            if (var < 0 || op != FC_OP_ASSIGN)
                walk_expr(w, kk[0]);
            if (w->v->on_assign)
                w->v->on_assign(w->ctx, var, kk[0], kk[1]);
        } else {
            fc_visit(e, walk_kid, w);
        }
    } else if (k == CXCursor_DeclRefExpr) {
        int var = fc_var_index(w->fn, fc_decl_ref(e));
        if (var >= 0 && w->v->on_use)
            w->v->on_use(w->ctx, var, e);
    } else {
        fc_visit(e, walk_kid, w);
    }
    w->depth--;
}

static enum CXChildVisitResult init_of(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    if (clang_isExpression(clang_getCursorKind(c)))
        *(CXCursor *)d = c;
    return CXChildVisit_Continue;
}

/* The initializer of a VarDecl (the null cursor if none). */
CXCursor fc_var_init(CXCursor vardecl)
{
    CXCursor init = clang_getNullCursor();
    fc_visit(vardecl, init_of, &init);
    return init;
}

void fc_walk_events(fc_func *fn, const fc_elem *el, const fc_event_visitor *v, void *ctx)
{
    walk w = { fn, v, ctx, 0 };
    switch (el->kind) {
    case FC_EL_DECL: {
        CXCursor init = fc_var_init(el->c);
        if (!fc_cursor_null(init))
            walk_expr(&w, init);
        if (v->on_decl)
            v->on_decl(ctx, fc_var_index(fn, el->c), el->c, init);
        break;
    }
    case FC_EL_RETURN: {
        CXCursor kk[1];
        CXCursor val = fc_children(el->c, kk, 1) == 1 ? kk[0] : clang_getNullCursor();
        if (!fc_cursor_null(val))
            walk_expr(&w, val);
        if (v->on_return)
            v->on_return(ctx, el->c, val);
        break;
    }
    default:
        walk_expr(&w, el->c);
        break;
    }
}

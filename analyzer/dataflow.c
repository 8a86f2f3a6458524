/*
 * analyzer/dataflow.c — the forward dataflow engine and the event walker of
 * dataflow.h.
 *
 * How: states live in a store, one per block (the state at the block's
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
 * The store: one array of states while blocks x state size is small;
 * beyond that a state is kept as fixed-size chunks, and a chunk equal to
 * the same chunk of the state it was computed from (the block it flowed
 * from, or the slot's previous value) is shared instead of copied.  A
 * state is a value per place and a state per object (memcheck.c), so in a
 * long function it is kilobytes, while one block changes a few of them:
 * one array grows with blocks x places, quadratic in the function's
 * length (QA13 X12: 400 `if (c[i]) { q = malloc(4); ...; free(q); }`
 * blocks needed 24 MiB, pcre2's match() about 60 MiB, 2,000 blocks
 * 680 MB), the shared chunks with what the blocks change.  The states,
 * and so every finding, are the same either way: only where the bytes are
 * kept differs.
 *
 * Bound: at most max_block_visits x blocks block transfers per function, so
 * a function costs time linear in its size; the chunks of one run are
 * bounded too (CHUNK_LIMIT: beyond it the run gives up, fc_flow_failure).
 */
#include "dataflow.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "walk.h"

/* ---- State store ---- */

enum { STORE_CHUNK = 512, CHUNK_HDR = 16 };
/* one array up to this many bytes (every function of SQLite's amalgamation
 * but its largest few) */
#define DENSE_MAX ((size_t)8 << 20)
/* the chunks one run may allocate */
#define CHUNK_LIMIT ((size_t)512 << 20)
#define ARENA_BLOCK ((size_t)1 << 20)

/* Where the chunks of one run live: big blocks, freed with the run.  A
 * chunk, once stored, never changes (a slot that changes gets new ones);
 * it counts the slots holding it (a header before its bytes), and one no
 * slot holds goes on a free list for the next. */
typedef struct sarena {
    void **blks;
    unsigned nblks, capblks;
    unsigned char *pos;
    size_t left, used;
    unsigned char *free_list;   /* chunks no slot holds (linked through their bytes) */
    bool over;      /* more than CHUNK_LIMIT: the run gives up */
} sarena;

static unsigned *chunk_refs(unsigned char *c)
{
    return (unsigned *)(void *)(c - CHUNK_HDR);
}

static void chunk_hold(unsigned char *c)
{
    ++*chunk_refs(c);
}

static void chunk_drop(sarena *a, unsigned char *c)
{
    if (c && !--*chunk_refs(c)) {
        memcpy(c, &a->free_list, sizeof a->free_list);
        a->free_list = c;
    }
}

typedef struct sstore {
    size_t S;               /* bytes of one state */
    unsigned n;             /* slots */
    unsigned char *dense;   /* [n * S]: one array (NULL when chunked) */
    unsigned nch;           /* chunked: chunks per state */
    unsigned char **ch;     /* chunked: [n * nch] chunk pointers, NULL: never stored */
    unsigned char *view[2]; /* chunked: a slot copied out for reading */
    sarena *a;
} sstore;

static const char *last_failure;

const char *fc_flow_failure(void)
{
    return last_failure;
}

/* A new chunk, held once. */
static unsigned char *arena_chunk(sarena *a)
{
    if (a->free_list) {
        unsigned char *c = a->free_list;
        memcpy(&a->free_list, c, sizeof a->free_list);
        *chunk_refs(c) = 1;
        return c;
    }
    if (a->left < CHUNK_HDR + STORE_CHUNK) {
        if (a->nblks == a->capblks) {
            a->capblks = a->capblks ? a->capblks * 2 : 16;
            a->blks = fc_xrealloc(a->blks, a->capblks * sizeof *a->blks);
        }
        a->pos = a->blks[a->nblks++] = fc_xmalloc(ARENA_BLOCK);
        a->left = ARENA_BLOCK;
        a->used += ARENA_BLOCK;
        if (a->used > CHUNK_LIMIT)
            a->over = true;
    }
    unsigned char *c = a->pos + CHUNK_HDR;
    a->pos += CHUNK_HDR + STORE_CHUNK;
    a->left -= CHUNK_HDR + STORE_CHUNK;
    *chunk_refs(c) = 1;
    return c;
}

static void arena_free(sarena *a)
{
    for (unsigned i = 0; i < a->nblks; i++)
        free(a->blks[i]);
    free(a->blks);
}

static void ss_init(sstore *s, sarena *a, unsigned n, size_t S, bool chunked)
{
    memset(s, 0, sizeof *s);
    s->S = S;
    s->n = n;
    s->a = a;
    if (!chunked) {
        /* no zeroing: a slot is read only once a state was stored there */
        s->dense = fc_xmalloc((size_t)(n ? n : 1) * S);
        return;
    }
    s->nch = (unsigned)((S + STORE_CHUNK - 1) / STORE_CHUNK);
    s->ch = fc_xcalloc((size_t)(n ? n : 1) * s->nch, sizeof *s->ch);
    s->view[0] = fc_xmalloc(S);
    s->view[1] = fc_xmalloc(S);
}

static void ss_free(sstore *s)
{
    free(s->dense);
    free(s->ch);
    free(s->view[0]);
    free(s->view[1]);
}

static size_t chunk_len(const sstore *s, unsigned k)
{
    return k + 1 < s->nch ? STORE_CHUNK : s->S - (size_t)k * STORE_CHUNK;
}

/* Slot i := src.  Chunked: a chunk equal to the slot's own or to the same
 * chunk of slot r of store rs (the state src was computed from; rs NULL:
 * none) is shared. */
static void ss_store(sstore *s, unsigned i, const unsigned char *src, const sstore *rs, unsigned r)
{
    if (s->dense) {
        memcpy(s->dense + (size_t)i * s->S, src, s->S);
        return;
    }
    unsigned char **d = s->ch + (size_t)i * s->nch;
    unsigned char *const *ref = rs && rs->ch ? rs->ch + (size_t)r * rs->nch : NULL;
    for (unsigned k = 0; k < s->nch; k++) {
        const unsigned char *p = src + (size_t)k * STORE_CHUNK;
        size_t len = chunk_len(s, k);
        if (d[k] && !memcmp(d[k], p, len))
            continue;
        unsigned char *old = d[k];
        if (ref && ref[k] && !memcmp(ref[k], p, len)) {
            d[k] = ref[k];
            chunk_hold(d[k]);
        } else {
            d[k] = arena_chunk(s->a);
            memcpy(d[k], p, len);
        }
        chunk_drop(s->a, old);
    }
}

static void ss_load(const sstore *s, unsigned i, unsigned char *dst)
{
    if (s->dense) {
        memcpy(dst, s->dense + (size_t)i * s->S, s->S);
        return;
    }
    unsigned char *const *c = s->ch + (size_t)i * s->nch;
    for (unsigned k = 0; k < s->nch; k++)
        memcpy(dst + (size_t)k * STORE_CHUNK, c[k], chunk_len(s, k));
}

/* Slot i's state for reading: in place (one array) or copied into view v
 * (chunked; valid until view v is used again). */
static unsigned char *ss_view(sstore *s, unsigned i, int v)
{
    if (s->dense)
        return s->dense + (size_t)i * s->S;
    ss_load(s, i, s->view[v]);
    return s->view[v];
}

/* Slot i := fn(slot i, src) (the client's join or widen); true when it changed. */
static bool ss_join(sstore *s, unsigned i, const unsigned char *src, bool (*fn)(void *, void *, const void *),
                    void *ctx)
{
    if (s->dense)
        return fn(ctx, s->dense + (size_t)i * s->S, src);
    /* the same state again (a loop that has settled): a join of equal
     * states is that state, so the chunks need not be copied out */
    unsigned char *const *c = s->ch + (size_t)i * s->nch;
    unsigned k = 0;
    while (k < s->nch && !memcmp(c[k], src + (size_t)k * STORE_CHUNK, chunk_len(s, k)))
        k++;
    if (k == s->nch)
        return false;
    unsigned char *v = ss_view(s, i, 0);
    bool changed = fn(ctx, v, src);
    ss_store(s, i, v, NULL, 0);     /* whatever fn says: the bytes are what count */
    return changed;
}

/* Store into slot i if it holds nothing yet (*has clear), else join; *has set. */
static void ss_merge(sstore *s, unsigned i, unsigned char *has, const unsigned char *src, const fc_flow_client *cl,
                     const sstore *rs, unsigned r)
{
    if (!*has)
        ss_store(s, i, src, rs, r);
    else
        ss_join(s, i, src, cl->join, cl->ctx);
    *has = 1;
}

static void replay_loops(const fc_func *fn, const fc_flow_client *cl, sstore *in, const unsigned char *has,
                         size_t S, sarena *a, bool chunked);

/* The states of one run: per block up to `k` partitions (dataflow.h,
 * distinct): partition 0 of block b in slot b of `in`, partition i >= 1 in
 * slot b * (k - 1) + i - 1 of `xs`. */
typedef struct parts {
    const fc_flow_client *cl;
    fc_block *const *blocks;
    size_t S;
    unsigned k, max_visits;
    sstore in, xs;
    unsigned char *np;          /* [n] partitions held (0: not reached) */
    unsigned char *single;      /* [n] collapsed for good: joins only */
    unsigned *visits;
    bool ok;
} parts;

static sstore *part(parts *P, unsigned b, unsigned i, unsigned *slot)
{
    if (i == 0) {
        *slot = b;
        return &P->in;
    }
    *slot = b * (P->k - 1) + i - 1;
    return &P->xs;
}

/* Join every partition of b into slot 0. */
static void collapse(parts *P, unsigned b)
{
    if (P->np[b] <= 1)
        return;
    unsigned char *d = ss_view(&P->in, b, 0);
    for (unsigned i = 1; i < P->np[b]; i++) {
        unsigned s;
        sstore *st = part(P, b, i, &s);
        P->cl->join(P->cl->ctx, d, ss_view(st, s, 1));
    }
    if (!P->in.dense)
        ss_store(&P->in, b, d, NULL, 0);
    P->np[b] = 1;
}

/* Merge a state arriving at block `to` from slot `rs`/`r` (the state it was
 * computed from: chunks to share); true when the block's states changed. */
static bool merge_into(parts *P, unsigned to, const unsigned char *st, const sstore *rs, unsigned r)
{
    const fc_flow_client *cl = P->cl;
    if (!P->np[to]) {
        ss_store(&P->in, to, st, rs, r);
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
            return ss_join(&P->in, to, st, cl->join, cl->ctx);
        }
        if (!cl->widen) {
            /* a state that adds nothing is fine; one that still changes
             * after the budget is not a fixpoint: give up */
            if (ss_join(&P->in, to, st, cl->join, cl->ctx))
                P->ok = false;
            return false;
        }
        bool changed = ss_join(&P->in, to, st, cl->widen, cl->ctx);
        if (P->visits[to] > P->max_visits * 4)
            P->ok = false;    /* the widening does not converge */
        return changed;
    }
    if (P->k > 1 && !P->single[to]) {
        for (unsigned i = 0; i < P->np[to]; i++) {
            unsigned s;
            sstore *ps = part(P, to, i, &s);
            if (!cl->distinct(cl->ctx, P->blocks[to], ss_view(ps, s, 1), st))
                return ss_join(ps, s, st, cl->join, cl->ctx);
        }
        if (P->np[to] < P->k) {
            unsigned s;
            sstore *ps = part(P, to, P->np[to], &s);
            ss_store(ps, s, st, rs, r);
            P->np[to]++;
            return true;
        }
        unsigned s;
        sstore *ps = part(P, to, P->np[to] - 1, &s);
        return ss_join(ps, s, st, cl->join, cl->ctx);
    }
    return ss_join(&P->in, to, st, cl->join, cl->ctx);
}

static void report_tail(const fc_flow_client *cl, const fc_block *b, size_t S, unsigned char *cur,
                        unsigned char *tmp);

/* Report pass over one state of block b (in cur). */
static void report_block(const fc_flow_client *cl, const fc_block *b, size_t S, unsigned char *cur,
                         unsigned char *tmp)
{
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
    parts P = { cl, g->blocks, S, 1, opts && opts->max_block_visits ? opts->max_block_visits : 24, { 0 }, { 0 },
                NULL, NULL, NULL, true };
    if (cl->distinct && cl->max_parts > 1)
        P.k = cl->max_parts > 4 ? 4 : cl->max_parts;
    last_failure = NULL;
    sarena arena = { 0 };
    bool chunked = (size_t)n * S > DENSE_MAX;
    ss_init(&P.in, &arena, n, S, chunked);
    if (P.k > 1)
        ss_init(&P.xs, &arena, n * (P.k - 1), S, chunked);
    P.np = fc_xcalloc(n, 1);
    P.visits = fc_xcalloc(n, sizeof *P.visits);
    if (P.k > 1)
        P.single = fc_xcalloc(n, 1);
    unsigned char *pending = fc_xcalloc(n, 1);
    unsigned char *cur = fc_xmalloc(S), *tmp = fc_xmalloc(S);
    bool split = false;
    /* quiet_report: each block's state after its transfers, as its last
     * evaluation left it (valid: not changed since) */
    sstore post = { 0 };
    unsigned char *scratch = NULL, *valid = NULL;
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
        ss_init(&post, &arena, nt, S, chunked);
        scratch = fc_xmalloc((size_t)(nt ? nt : 1) * SS);
        valid = fc_xcalloc(n, 1);
    }

    cl->init(cl->ctx, cur);
    ss_store(&P.in, FC_CFG_ENTRY, cur, NULL, 0);
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
                unsigned slot;
                sstore *from = part(&P, id, k, &slot);
                ss_load(from, slot, cur);
                for (unsigned i = 0; i < b->nelems; i++)
                    cl->transfer(cl->ctx, cur, b, &b->elems[i], false);
                if (tslot) {
                    if (tslot[id]) {
                        ss_store(&post, tslot[id] - 1, cur, from, slot);
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
                    if (merge_into(&P, e->to, st, from, slot)) {
                        pending[e->to] = 1;
                        any = true;
                        if (valid)
                            valid[e->to] = 0;
                    }
                    if (arena.over)
                        P.ok = false;
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
                    ss_load(&post, tslot[id] - 1, cur);
                    cl->load_scratch(cl->ctx, g->blocks[id], scratch + (size_t)(tslot[id] - 1) * SS);
                    report_tail(cl, g->blocks[id], S, cur, tmp);
                } else {
                    unsigned slot;
                    const sstore *from = part(&P, id, k, &slot);
                    ss_load(from, slot, cur);
                    report_block(cl, g->blocks[id], S, cur, tmp);
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
        replay_loops(fn, cl, &P.in, has, S, &arena, chunked);
        free(has);
    }
    if (arena.over)
        last_failure = "its dataflow states would need more than 512 MiB";
    ss_free(&P.in);
    ss_free(&P.xs);
    ss_free(&post);
    arena_free(&arena);
    free(P.single);
    free(P.np);
    free(P.visits);
    free(pending);
    free(cur);
    free(tmp);
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
                        const unsigned char *body, sstore *st, unsigned char *hs, const unsigned char *entry,
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
        ss_merge(st, to, &hs[to], tmp, cl, NULL, 0);
        any = true;
    }
    for (unsigned r = hr + 1; any && r < g->nrpo; r++) {
        unsigned id = g->rpo[r];
        if (!hs[id] || body[id])
            continue;
        if (!*budget || st->a->over)
            return;
        --*budget;
        const fc_block *b = g->blocks[id];
        ss_load(st, id, cur);
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
            ss_merge(st, to, &hs[to], tmp, cl, st, id);
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

/* Run block b from its in-state (slot b of `in`) and merge what its edges
 * into h carry into dst (*dst_has: dst already holds a state; set when one
 * arrives).  Returns whether any edge arrived.  cur and tmp are scratch
 * states. */
static bool flow_edges_to(const fc_flow_client *cl, const fc_block *b, const sstore *in, unsigned h,
                          size_t S, unsigned char *cur, unsigned char *tmp, unsigned char *dst,
                          unsigned char *dst_has)
{
    bool any = false;
    ss_load(in, b->id, cur);
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

static void replay_loops(const fc_func *fn, const fc_flow_client *cl, sstore *in, const unsigned char *has,
                         size_t S, sarena *a, bool chunked)
{
    const fc_cfg *g = fn->cfg;
    unsigned n = g->nblocks;
    unsigned *order = fc_xmalloc((size_t)n * sizeof *order);
    for (unsigned i = 0; i < n; i++)
        order[i] = ~0u;
    for (unsigned r = 0; r < g->nrpo; r++)
        order[g->rpo[r]] = r;
    /* slot b of st is read only once hs[b] says a state arrived */
    sstore st;
    ss_init(&st, a, n, S, chunked);
    unsigned char *hs = fc_xcalloc(n, 1), *body = fc_xcalloc(n, 1);
    unsigned char *hbuf = fc_xmalloc(S);
    unsigned *stack = fc_xmalloc(((size_t)n + 1) * sizeof *stack);
    unsigned char *cur = fc_xmalloc(S), *tmp = fc_xmalloc(S);
    /* block replays for the whole function: linear in its size however
     * many loops it has (a function of 200 loops replays some of them) */
    unsigned long budget = 16ul * g->nrpo + 256;
    for (unsigned hr = 0; hr < g->nrpo && budget && !a->over; hr++) {
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
            if (flow_edges_to(cl, g->blocks[src], in, h, S, cur, tmp, hbuf, &hs[h]))
                any = true;
            if (!body[src]) {
                body[src] = 1;
                stack[sp++] = src;
            }
        }
        if (!any)
            continue;
        ss_store(&st, h, hbuf, NULL, 0);
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
            flow_edges_to(cl, g->blocks[src], in, h, S, cur, tmp, entry, &has_entry);
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
                ss_load(in, q, cur);
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
            ss_store(&st, h, seeds + (size_t)pass * S, NULL, 0);
            hs[h] = 1;
        }
        for (unsigned r = hr; r < g->nrpo && budget && !a->over; r++) {
            unsigned id = g->rpo[r];
            if (!body[id] || !hs[id])
                continue;
            budget--;
            const fc_block *b = g->blocks[id];
            ss_load(&st, id, cur);
            for (unsigned i = 0; i < b->nelems; i++)
                cl->transfer(cl->ctx, cur, b, &b->elems[i], true);
            for (unsigned i = 0; i < b->nsucc; i++) {
                unsigned to = b->succ[i].to;
                if (to >= n || !body[to] || order[to] == ~0u || order[to] <= r)
                    continue;
                memcpy(tmp, cur, S);
                if (cl->edge && !cl->edge(cl->ctx, tmp, b, &b->succ[i]))
                    continue;
                ss_merge(&st, to, &hs[to], tmp, cl, &st, id);
            }
        }
        }
        free(seeds);
        if (has_entry && cl->zero_trip_seed)
            cl->zero_trip_seed(cl->ctx, entry, ss_view(in, h, 0));
        if (has_entry && repeat_ok)
            replay_exit(fn, cl, hr, order, body, &st, hs, entry, S, cur, tmp, &budget);
        free(entry);
    }
    free(order);
    ss_free(&st);
    free(hbuf);
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

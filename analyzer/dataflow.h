/*
 * analyzer/dataflow.h — a forward dataflow engine over fc_cfg with a state
 * of the client's own, and an event walker for checks that reason about
 * calls and assignments.  Private to analyzer/.
 *
 * The engine (dataflow.c) is a classic worklist over the blocks in reverse
 * post-order.  It keeps a state per block; a large state is stored in
 * chunks shared between blocks (dataflow.c), so a state must be plain
 * bytes (copied with memcpy, nothing pointing into it).  The client says
 * how big its state is and how to initialise, join and compare states and
 * how each element and each edge transforms a state.  Work is bounded: each block is visited at most
 * opts->max_block_visits times; a block that still changes after that is
 * widened by the client's `widen` (or, without one, the run gives up and
 * fc_flow_run returns false so the client can stay silent).  After the
 * fixpoint, a last pass replays every reachable block once with
 * `report = true`: findings are produced only from fixpoint states, so each
 * is produced once, and never from a half-computed state.  In that pass
 * `at_return` sees the state along each edge into the exit block (one per
 * `return`, one for falling off the end): where per-path obligations such
 * as leaks are checked, at the location of that return.
 *
 * How another check plugs in (the ownership checks of check_owner.c, say):
 *   1. register a per-function pass in checks.h:
 *        fc_register_function_pass("use-after-move", run_owner, NULL);
 *      it is called with every function definition of the main file(s)
 *      (fc_func, its CFG, the callee summaries).
 *   2. in run_owner, fill an fc_flow_client whose state is, for instance,
 *      one byte per variable (fn->nvars): moved / borrowed / live, and call
 *      fc_flow_run(fn, &client, opts).
 *   3. in `transfer`, call fc_walk_events(fn, el->c, &visitor, ctx) to get,
 *      in evaluation order, each call (callee name and declaration, the
 *      argument cursors and the variable each argument names, if any), each
 *      assignment (target variable, value expression) and each use of a
 *      variable; update the state (ctx->state) and emit findings when
 *      ctx->report is true.
 */
#ifndef FC_DATAFLOW_H
#define FC_DATAFLOW_H

#include "cfg.h"
#include "options.h"

typedef struct fc_flow_client {
    size_t state_size;      /* bytes of one state (memcpy-able) */
    void *ctx;
    /* State at function entry. */
    void (*init)(void *ctx, void *state);
    /* dst := dst joined with src.  Returns true if dst changed.  A state
     * joined with an identical one must stay as it is (the engine skips
     * such joins of large states). */
    bool (*join)(void *ctx, void *dst, const void *src);
    /* Optional: called instead of join once a block has been visited
     * max_block_visits times; must reach a fixpoint quickly. */
    bool (*widen)(void *ctx, void *dst, const void *src);
    /* Apply one element of block b. */
    void (*transfer)(void *ctx, void *state, const fc_block *b, const fc_elem *el, bool report);
    /* Refine the state on an edge out of b (branch / switch).  Return false
     * if the edge cannot be taken in this state (the path is infeasible). */
    bool (*edge)(void *ctx, void *state, const fc_block *b, const fc_edge *e);
    /* Called with the state reaching the exit block (report pass only):
     * where leaks and end-of-scope obligations are checked. */
    void (*at_exit)(void *ctx, void *state, bool report);
    /* Optional, report pass only: called for each edge into the exit block
     * with the state along that edge (`from` ends in a return, or falls off
     * the end of the body): where per-path leaks are checked. */
    void (*at_return)(void *ctx, void *state, const fc_block *from, bool report);
    /* Optional, report pass only: called for each `break` / `continue` edge
     * that leaves the scope of locals (e->ndead > 0), with the state before
     * the edge: where a leak on the way out of a loop is reported.  The
     * client's `edge` sees those edges too (during the fixpoint). */
    void (*at_scope_end)(void *ctx, void *state, const fc_block *from, const fc_edge *e, bool report);
    /* Optional: after the report pass, replay the body of every loop once
     * more, from the state its back edges carry alone (not joined with the
     * state that enters the loop), with report = true: a fact the second
     * iteration inherits from the first (freed in iteration 1, freed again
     * or used in iteration 2) is a "must" fact there, while the join at the
     * loop head only knows "maybe".  The body's last join is split (up to
     * 4 paths, each replayed alone; a path on the true side of the loop's
     * last round, `i == n - 1`, is left out).  The path that enters the
     * loop and leaves it at once is replayed to the exit with leaks on.
     * Only loops whose count the function does not decide itself (the
     * condition reads a parameter, calls a function, or counts to a
     * constant >= 2); at most 16 block replays per block in all. */
    bool replay_loops;
    /* Optional, with replay_loops: before that zero-trip replay, `entry`
     * (the state entering the loop) may take facts from `head` (the loop
     * head's fixpoint state, the back edges joined in).  memcheck takes the
     * blocks the loop stores somewhere: a block kept only inside a loop is
     * no leak on the path that skips the loop, as under an `if` (QA8 V14). */
    void (*zero_trip_seed)(void *ctx, void *entry, const void *head);
    /* Optional: path partitions.  When two states meeting at a block are
     * `distinct` (the client says they are different executions whose
     * difference matters later: freed on one, live on the other, with an
     * integer fact telling them apart), the block keeps them apart, up to
     * max_parts states per block (at most 4); beyond that, and for any
     * block visited more than max_block_visits times, they are joined.
     * Each partition runs through the block on its own, in the fixpoint
     * and in the report pass; loop replays see their join. */
    bool (*distinct)(void *ctx, const fc_block *at, const void *a, const void *b);
    unsigned max_parts;
    /* Optional: the client's transfers with report set do nothing more than
     * without (it can report nothing in this function, and what it records
     * is recorded either way).  The report pass then starts each block from
     * the state its last fixpoint evaluation left after the transfers (the
     * same input: a block is evaluated again whenever its input changes)
     * instead of running them again, and load_scratch gives the client back
     * the context its own transfers left for the callbacks that follow
     * (save_scratch stored it then, scratch_size bytes).  Used with one
     * state per block only (no partitions). */
    bool quiet_report;
    size_t scratch_size;
    void (*save_scratch)(void *ctx, const fc_block *b, void *buf);
    void (*load_scratch)(void *ctx, const fc_block *b, const void *buf);
} fc_flow_client;

/* Run the client to its fixpoint and then the report pass.  Returns false
 * if the work bound was hit without a widen (no report pass was run). */
bool fc_flow_run(const fc_func *fn, const fc_flow_client *cl, const struct fc_options *opts);
/* Why the last fc_flow_run returned false, when the visit bound was not
 * the reason (its states outgrew the engine's memory bound), else NULL. */
const char *fc_flow_failure(void);

/* ---- Events, in evaluation order ---- */
typedef struct fc_call_event {
    CXCursor call;          /* the CallExpr */
    const char *callee;     /* name, NULL for calls through pointers */
    CXCursor callee_decl;   /* null cursor if indirect */
    unsigned nargs;
    const CXCursor *args;   /* stripped argument expressions */
    const int *arg_var;     /* [nargs] variable index of `x` or `&x` arguments, else -1 */
    const bool *arg_addr;   /* [nargs] the argument is `&x` */
} fc_call_event;

typedef struct fc_event_visitor {
    void (*on_call)(void *ctx, const fc_call_event *ev);
    /* `lhs = rhs` (plain or compound) where lhs names variable var (-1: another lvalue). */
    void (*on_assign)(void *ctx, int var, CXCursor lhs, CXCursor rhs);
    /* A read of variable var (DeclRefExpr that is not the target of an assignment). */
    void (*on_use)(void *ctx, int var, CXCursor ref);
    /* A declaration with its initializer (init may be the null cursor). */
    void (*on_decl)(void *ctx, int var, CXCursor vardecl, CXCursor init);
    /* return expr (value may be the null cursor). */
    void (*on_return)(void *ctx, CXCursor ret, CXCursor value);
} fc_event_visitor;

/* The initializer expression of a VarDecl (null cursor when none). */
CXCursor fc_var_init(CXCursor vardecl);

/* Walk one element: operands before operators, arguments before the call. */
void fc_walk_events(fc_func *fn, const fc_elem *el, const fc_event_visitor *v, void *ctx);

#endif /* FC_DATAFLOW_H */

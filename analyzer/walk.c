/*
 * analyzer/walk.c — one libclang walk per function body, replayed for every
 * pass (fc_visit, fc_walk_children; walk.h).
 *
 * Why.  Every pass of the analyzer walks each function: the call graph, the
 * variable list, the CFG builder, the memory checker's pre-scan, restrict
 * and strict-aliasing, the ownership passes, and every fc_children() of an
 * expression asked for the first time.  clang_visitChildren rebuilds its
 * cursors from the AST on each walk, through a general visitor (regions of
 * interest, preprocessing entities, declaration groups): callgrind measured
 * about 1,200 M instructions of libclang's visitor machinery on SQLite's
 * amalgamation, more than half the analysis, for some 500,000 nodes walked
 * a few times each.  A walk of a recorded tree costs a few instructions per
 * node.
 *
 * How.  The first fc_visit() of a FunctionDecl walks it once with libclang
 * and records every cursor in pre-order, each with the index just past its
 * subtree (so a node's children are i+1, end[i+1], end[end[i+1]], ...).
 * Statement and expression nodes are indexed by their AST node (data[1]) and
 * kind, declarations by their Decl (data[0]) and kind, in one open-addressing
 * table of node numbers.  fc_visit(root) then looks root up and replays the
 * callbacks clang_visitChildren would make: same order, same parent
 * argument (the root as given for the first level, then the recorded
 * parent), Recurse / Continue / Break honoured, nonzero on Break.  A root
 * outside every recorded function (the translation unit, a file-scope
 * variable) goes to clang_visitChildren itself.
 *
 * The cursors handed out are the ones libclang made on the recording walk.
 * A statement cursor carries its enclosing declaration in data[0], which
 * depends on where a libclang walk started; every cursor comparison in the
 * analyzer is by node for statements and expressions (fc_cmap, fc_ast_same),
 * so that word is never compared.  Everything is dropped between units
 * (fc_walk_reset, from fc_children_cache_reset).
 */
#include "walk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static CXCursor *nodes;      /* pre-order, all recorded functions */
static unsigned *ends;       /* [i]: index just past node i's subtree */
static unsigned nnodes, capnodes;
static unsigned *slots;      /* node number + 1, 0 = empty */
static unsigned capslots, nindexed;

static bool stmt_like(enum CXCursorKind k)
{
    return (k >= CXCursor_FirstExpr && k <= CXCursor_LastExpr) || (k >= CXCursor_FirstStmt && k <= CXCursor_LastStmt);
}

static bool decl_like(enum CXCursorKind k)
{
    return (k >= CXCursor_FirstDecl && k <= CXCursor_LastDecl) ||
           (k >= CXCursor_FirstExtraDecl && k <= CXCursor_LastExtraDecl);
}

/* The word that names the node: the AST node of a statement, the Decl of a
 * declaration; NULL for cursors that are not indexed. */
static const void *key_of(CXCursor c)
{
    if (stmt_like(c.kind))
        return c.data[1];
    if (decl_like(c.kind))
        return c.data[0];
    return NULL;
}

static unsigned hash_key(const void *p, enum CXCursorKind k)
{
    uint64_t h = ((uint64_t)(uintptr_t)p ^ ((uint64_t)k << 48)) * 0x9E3779B97F4A7C15ull;
    return (unsigned)(h >> 32);
}

static int find(CXCursor c)
{
    const void *key = key_of(c);
    if (!key || !nindexed)
        return -1;
    unsigned mask = capslots - 1;
    for (unsigned i = hash_key(key, c.kind) & mask; slots[i]; i = (i + 1) & mask) {
        unsigned n = slots[i] - 1;
        if (nodes[n].kind == c.kind && key_of(nodes[n]) == key && nodes[n].data[2] == c.data[2])
            return (int)n;
    }
    return -1;
}

static void index_put(unsigned n);

/* Make room for `need` indexed nodes at half load, rehashing once. */
static void grow_slots(unsigned need)
{
    unsigned *old = slots, oldcap = capslots;
    /* a large first table (calloc: pages never touched cost nothing): a
     * unit's functions are recorded one by one, and each doubling re-put
     * every node indexed so far (530,000 re-puts on SQLite) */
    capslots = capslots ? capslots : 1u << 19;
    while (need * 2 > capslots)
        capslots *= 2;
    slots = fc_xcalloc(capslots, sizeof *slots);
    nindexed = 0;
    for (unsigned i = 0; i < oldcap; i++)
        if (old[i])
            index_put(old[i] - 1);
    free(old);
}

/* Index node n unless its node is already indexed (the first one wins). */
static void index_put(unsigned n)
{
    const void *key = key_of(nodes[n]);
    if (!key)
        return;
    if ((nindexed + 1) * 2 > capslots)
        grow_slots(nindexed + 1);
    unsigned mask = capslots - 1;
    unsigned i = hash_key(key, nodes[n].kind) & mask;
    for (; slots[i]; i = (i + 1) & mask) {
        unsigned o = slots[i] - 1;
        if (nodes[o].kind == nodes[n].kind && key_of(nodes[o]) == key && nodes[o].data[2] == nodes[n].data[2])
            return;
    }
    slots[i] = n + 1;
    nindexed++;
}

static unsigned push_node(CXCursor c)
{
    if (nnodes == capnodes) {
        capnodes = capnodes ? capnodes * 2 : 4096;
        nodes = fc_xrealloc(nodes, capnodes * sizeof *nodes);
        ends = fc_xrealloc(ends, capnodes * sizeof *ends);
    }
    nodes[nnodes] = c;
    ends[nnodes] = 0;
    return nnodes++;
}

/* ---- Recording ---- */

typedef struct recorder {
    unsigned *open;   /* nodes whose subtree is still being walked */
    unsigned nopen, capopen;
} recorder;

static bool same_cursor(CXCursor a, CXCursor b)
{
    return a.kind == b.kind && a.xdata == b.xdata && a.data[0] == b.data[0] && a.data[1] == b.data[1] &&
           a.data[2] == b.data[2];
}

static enum CXChildVisitResult record(CXCursor c, CXCursor parent, CXClientData d)
{
    recorder *r = d;
    /* libclang hands the parent back as the very cursor it gave us: close
     * the subtrees that ended before this child */
    while (r->nopen > 1 && !same_cursor(nodes[r->open[r->nopen - 1]], parent))
        ends[r->open[--r->nopen]] = nnodes;
    unsigned n = push_node(c);
    if (r->nopen == r->capopen) {
        r->capopen = r->capopen ? r->capopen * 2 : 64;
        r->open = fc_xrealloc(r->open, r->capopen * sizeof *r->open);
    }
    r->open[r->nopen++] = n;
    return CXChildVisit_Recurse;
}

static int record_function(CXCursor fn)
{
    unsigned root = push_node(fn);
    recorder r = { 0 };
    r.open = fc_xmalloc(64 * sizeof *r.open);
    r.capopen = 64;
    r.open[r.nopen++] = root;
    clang_visitChildren(fn, record, &r);
    while (r.nopen)
        ends[r.open[--r.nopen]] = nnodes;
    free(r.open);
    /* room for every new node at once: one growth, not a rehash per doubling */
    if ((nindexed + (nnodes - root) + 1) * 2 > capslots)
        grow_slots(nindexed + (nnodes - root) + 1);
    for (unsigned i = root; i < nnodes; i++)
        index_put(i);
    return (int)root;
}

/* ---- Replay ---- */

typedef struct frame { unsigned node, next; } frame;

unsigned fc_visit(CXCursor root, CXCursorVisitor cb, CXClientData d)
{
    int r = find(root);
    if (r < 0 && root.kind == CXCursor_FunctionDecl)
        r = record_function(root);
    if (r < 0)
        return clang_visitChildren(root, cb, d);
    frame local[64], *st = local;
    unsigned cap = 64, sp = 0;
    unsigned result = 0;
    st[sp++] = (frame){ (unsigned)r, (unsigned)r + 1 };
    while (sp) {
        frame *top = &st[sp - 1];
        if (top->next >= ends[top->node]) {
            sp--;
            continue;
        }
        unsigned j = top->next;
        top->next = ends[j];
        /* callbacks may record other functions: nodes can move, so copy */
        CXCursor parent = sp == 1 ? root : nodes[top->node];
        CXCursor c = nodes[j];
        enum CXChildVisitResult v = cb(c, parent, d);
        if (v == CXChildVisit_Break) {
            result = 1;
            break;
        }
        if (v == CXChildVisit_Recurse && j + 1 < ends[j]) {
            if (sp == cap) {
                cap *= 2;
                if (st == local) {
                    st = fc_xmalloc(cap * sizeof *st);
                    memcpy(st, local, sizeof local);
                } else {
                    st = fc_xrealloc(st, cap * sizeof *st);
                }
            }
            st[sp++] = (frame){ j, j + 1 };
        }
    }
    if (st != local)
        free(st);
    return result;
}

int fc_walk_children(CXCursor c, CXCursor *out, unsigned max)
{
    int r = find(c);
    if (r < 0)
        return -1;
    unsigned n = 0;
    for (unsigned j = (unsigned)r + 1; j < ends[r]; j = ends[j], n++)
        if (n < max)
            out[n] = nodes[j];
    return (int)n;
}

int fc_walk_any(CXCursor root, bool (*pred)(CXCursor c, void *ctx), void *ctx)
{
    int r = find(root);
    if (r < 0)
        return -1;
    unsigned end = ends[r];
    /* by index: pred may record another function (nodes can move) */
    for (unsigned j = (unsigned)r + 1; j < end; j++)
        if (pred(nodes[j], ctx))
            return 1;
    return 0;
}

void fc_walk_reset(void)
{
    free(nodes);
    free(ends);
    free(slots);
    nodes = NULL;
    ends = NULL;
    slots = NULL;
    nnodes = capnodes = capslots = nindexed = 0;
}

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
 * parent), Recurse / Continue / Break honoured, nonzero on Break.  The
 * translation unit's own list of top-level cursors is recorded the same
 * way (visit_unit); any other root outside every recorded function (a
 * file-scope variable) goes to clang_visitChildren itself.
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
static unsigned first_cap;   /* the unit-wide table's first size (first_slots) */

/* What the passes asked about a node, kept: each an index + 1, 0 = not
 * asked yet.  dup: another node with the same key was indexed first (libclang
 * showed this AST node twice), so questions about it go to that one. */
typedef struct memo {
    unsigned strip : 31;   /* node fc_strip ends at */
    unsigned dup : 1;
    unsigned ref;     /* into refs[]: clang_getCursorReferenced */
    unsigned type;    /* into types[]: clang_getCursorType, then its canonical type */
    int words[2];     /* fc_walk_memo */
    unsigned ext;     /* into exts[]: clang_getCursorExtent */
} memo;
static memo *memos;
static CXCursor *refs;
static unsigned nrefs, caprefs;
static CXSourceRange *exts;
static unsigned nexts, capexts;
static CXType *types;        /* pairs: the type, its canonical type */
static unsigned ntypes, captypes;

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

/* The AST's 4 KiB pages go to random places of the table, and the nodes of
 * one page to neighbouring slots there (an 8-byte step, 512 slots a page):
 * a function's nodes lie on a few pages, so recording it touches a few
 * stretches of the table instead of one cache line per node (a Fibonacci
 * hash of the whole address scattered them: a cache miss per insert), and
 * nodes of one page never collide with each other. */
static unsigned hash_key(const void *p, enum CXCursorKind k)
{
    (void)k;   /* one node, one kind: the kind is compared, not hashed */
    uint64_t a = (uint64_t)(uintptr_t)p;
    uint64_t h = (a >> 12) * 0x9E3779B97F4A7C15ull;
    return (unsigned)(h >> 32) + (unsigned)((a >> 3) & 511);
}

/* Each recorded function also has a small table of its own nodes (those
 * the unit-wide table holds: not the dups), probed first for the function
 * the last lookup found a node in.  The passes ask about one function at a
 * time, and the unit-wide table (a million slots on SQLite) took a cache
 * miss or two per lookup: perf put find() at 10% of the whole run's CPU
 * time for 1.5% of its instructions. */
typedef struct fnrec {
    unsigned root, end;   /* its nodes */
    unsigned toff, tcap;  /* its table in ftab: node - root + 1, 0 = empty */
    const void *tu;
} fnrec;
static fnrec *fns;
static unsigned nfns, capfns;
static unsigned *ftab;
static size_t nftab, capftab;
static unsigned hint = ~0u;   /* fns[] index of the function last found in */

/* The function node n was recorded in. */
static unsigned owner_of(unsigned n)
{
    unsigned lo = 0, hi = nfns;
    while (hi - lo > 1) {
        unsigned mid = (lo + hi) / 2;
        if (fns[mid].root <= n)
            lo = mid;
        else
            hi = mid;
    }
    return lo < nfns && fns[lo].root <= n && n < fns[lo].end ? lo : ~0u;
}

/* The last node found: the passes often ask several questions about one
 * node in a row (its children, then its operator or type).  A node's
 * answer never changes once indexed (the first one indexed wins). */
static const void *last_key, *last_tu;
static enum CXCursorKind last_kind;
static int last_n = -1;

static int find_uncached(CXCursor c, const void *key);

/* Node j as handed to the passes: its index + 1 in xdata, which libclang
 * sets to 0 for C statements, expressions and declarations (it uses the
 * word for Objective-C selectors only) and neither clang_equalCursors nor
 * the analyzer's cursor maps compare.  find() then answers without a table
 * lookup: perf put those lookups, a cache miss or two each, at 6% of a
 * SQLite run's CPU time.  A cursor libclang already marked is left as is. */
static inline CXCursor tagged(unsigned j)
{
    CXCursor c = nodes[j];
    /* a dup (the same AST node shown twice) is looked up as the node
     * indexed first: left untagged.  Read here, where the walks go through
     * memos[] in order, instead of in find() at a random place. */
    if (c.xdata == 0 && j < 0x7fffffffu && !memos[j].dup)
        c.xdata = (int)(j + 1);
    return c;
}

/* A direct-mapped memory of recent lookups in front of the tables: the
 * passes ask about the same few thousand nodes of one function over and
 * over (the dataflow revisits every block), and a probe of the function's
 * table cost about 80 instructions a lookup on SQLite (1.9 million of them).
 * An entry holds the answer find_uncached gave, -1 included; a "not
 * recorded" answer is only trusted while no function was recorded since
 * (gen), a node number always (a node's index never changes). */
typedef struct qentry {
    const void *key, *tu;
    int kind, n;
    unsigned gen;
} qentry;
enum { QBITS = 14 };
static qentry *qcache;
static unsigned qgen = 1;   /* bumped on every recording */

static int find(CXCursor c)
{
    const void *key = key_of(c);
    if (!key || !nindexed)
        return -1;
    /* a cursor this file handed out names its node (tagged, never a dup:
     * the node indexed for its key, which is what the lookup below would
     * answer): checked, as the cursor may come from another unit */
    if (c.xdata > 0 && (unsigned)c.xdata <= nnodes) {
        unsigned t = (unsigned)c.xdata - 1;
        if (nodes[t].kind == c.kind && key_of(nodes[t]) == key && nodes[t].data[2] == c.data[2])
            return (int)t;
    }
    if (key == last_key && c.kind == last_kind && c.data[2] == last_tu && last_n >= 0)
        return last_n;
    if (!qcache)
        qcache = fc_xcalloc((size_t)1 << QBITS, sizeof *qcache);
    uint64_t a = (uint64_t)(uintptr_t)key;
    qentry *q = &qcache[(unsigned)(((a >> 3) * 0x9E3779B97F4A7C15ull) >> (64 - QBITS))];
    int n;
    if (q->key == key && q->kind == (int)c.kind && q->tu == c.data[2] && (q->n >= 0 || q->gen == qgen)) {
        n = q->n;
    } else {
        n = find_uncached(c, key);
        *q = (qentry){ key, c.data[2], (int)c.kind, n, qgen };
    }
    if (n >= 0) {
        last_key = key;
        last_kind = c.kind;
        last_tu = c.data[2];
        last_n = n;
    }
    return n;
}

static int find_uncached(CXCursor c, const void *key)
{
    unsigned h = hash_key(key, c.kind);
    if (hint < nfns && fns[hint].tu == c.data[2]) {
        const fnrec *f = &fns[hint];
        const unsigned *t = ftab + f->toff;
        unsigned m = f->tcap - 1;
        for (unsigned i = h & m; t[i]; i = (i + 1) & m) {
            unsigned n = f->root + t[i] - 1;
            if (nodes[n].kind == c.kind && key_of(nodes[n]) == key)
                return (int)n;
        }
    }
    unsigned mask = capslots - 1;
    for (unsigned i = h & mask; slots[i]; i = (i + 1) & mask) {
        unsigned n = slots[i] - 1;
        if (nodes[n].kind == c.kind && key_of(nodes[n]) == key && nodes[n].data[2] == c.data[2]) {
            hint = owner_of(n);
            return (int)n;
        }
    }
    return -1;
}

/* The table of the function just recorded at root: its nodes the unit-wide
 * table holds (so a hit here is what that table would answer). */
static void table_function(unsigned root)
{
    unsigned cnt = 0;
    for (unsigned i = root; i < nnodes; i++)
        cnt += key_of(nodes[i]) && !memos[i].dup;
    unsigned cap = 16;
    while (cap < cnt * 2)
        cap *= 2;
    if (nftab + cap > capftab) {
        while (nftab + cap > capftab)
            capftab = capftab ? capftab * 2 : 1u << 16;
        ftab = fc_xrealloc(ftab, capftab * sizeof *ftab);
    }
    unsigned *t = ftab + nftab;
    memset(t, 0, cap * sizeof *t);
    for (unsigned i = root; i < nnodes; i++) {
        const void *key = key_of(nodes[i]);
        if (!key || memos[i].dup)
            continue;
        unsigned j = hash_key(key, nodes[i].kind) & (cap - 1);
        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = i - root + 1;
    }
    if (nfns == capfns) {
        capfns = capfns ? capfns * 2 : 256;
        fns = fc_xrealloc(fns, capfns * sizeof *fns);
    }
    fns[nfns++] = (fnrec){ root, nnodes, (unsigned)nftab, cap, nodes[root].data[2] };
    nftab += cap;
}

static void index_put(unsigned n);

/* Make room for `need` indexed nodes at half load, rehashing once. */
static void grow_slots(unsigned need)
{
    unsigned *old = slots, oldcap = capslots;
    /* a first table sized for the unit (first_slots): its functions are
     * recorded one by one, and each doubling re-puts every node indexed so
     * far (530,000 re-puts on SQLite from a small table; a million slots
     * hold SQLite's 440,000 nodes at half load without one) */
    capslots = capslots ? capslots : first_cap ? first_cap : 1u << 20;
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
        if (nodes[o].kind == nodes[n].kind && key_of(nodes[o]) == key && nodes[o].data[2] == nodes[n].data[2]) {
            memos[n].dup = true;
            return;
        }
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
        memos = fc_xrealloc(memos, capnodes * sizeof *memos);
    }
    nodes[nnodes] = c;
    ends[nnodes] = 0;
    memos[nnodes] = (memo){ 0 };
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

/* The unit-wide table's first size, from the main file's size: about one
 * recorded node per 20 bytes of source (SQLite: 440,000 for 8.7 MB), room
 * for them at half load, from 64 Ki to 1 Mi slots.  Its slots are touched
 * at random, so a million of them (4 MB) cost a small unit up to a
 * thousand page faults; a larger unit than guessed only rehashes. */
static unsigned first_slots(CXCursor fn)
{
    size_t bytes = 0;
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(fn);
    if (tu) {
        CXString sp = clang_getTranslationUnitSpelling(tu);
        const char *name = clang_getCString(sp);
        CXFile f = name ? clang_getFile(tu, name) : NULL;
        if (f)
            clang_getFileContents(tu, f, &bytes);
        clang_disposeString(sp);
    }
    unsigned cap = 1u << 16;
    while (cap < (1u << 20) && (size_t)cap < bytes / 10)
        cap *= 2;
    return cap;
}

static int record_function(CXCursor fn)
{
    if (!capslots && !first_cap)
        first_cap = first_slots(fn);
    qgen++;   /* "not recorded" answers of the lookup memory are stale now */
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
    table_function(root);
    return (int)root;
}

/* ---- The unit's top level ----
 *
 * Several passes walk the translation unit's top-level declarations (the
 * driver's list of definitions, the statics' scan, the AST passes, the
 * annotations): each libclang walk of the unit cursor made a cursor for
 * every declaration of every header (some 10 M instructions a walk on
 * SQLite).  The first walk records the top-level cursors; later ones
 * replay them, and a Recurse into one of them walks its children as
 * clang_visitChildren would (fc_visit of that cursor). */
static CXCursor *tops;
static unsigned ntops, captops;
static const void *tops_tu;

static enum CXChildVisitResult record_top(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    (void)d;
    if (ntops == captops) {
        captops = captops ? captops * 2 : 1024;
        tops = fc_xrealloc(tops, captops * sizeof *tops);
    }
    tops[ntops++] = c;
    return CXChildVisit_Continue;
}

static unsigned visit_unit(CXCursor root, CXCursorVisitor cb, CXClientData d)
{
    if (!tops_tu || tops_tu != root.data[2]) {
        ntops = 0;
        clang_visitChildren(root, record_top, NULL);
        tops_tu = root.data[2];
    }
    /* by index: a callback may walk the unit again (the list is the same) */
    for (unsigned i = 0; i < ntops; i++) {
        CXCursor c = tops[i];
        enum CXChildVisitResult v = cb(c, root, d);
        if (v == CXChildVisit_Break)
            return 1;
        if (v == CXChildVisit_Recurse && fc_visit(c, cb, d))
            return 1;
    }
    return 0;
}

/* ---- Replay ---- */

typedef struct frame { unsigned node, next; } frame;

unsigned fc_visit(CXCursor root, CXCursorVisitor cb, CXClientData d)
{
    if (root.kind == CXCursor_TranslationUnit)
        return visit_unit(root, cb, d);
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
        CXCursor parent = sp == 1 ? root : tagged(top->node);
        CXCursor c = tagged(j);
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
            out[n] = tagged(j);
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
        if (pred(tagged(j), ctx))
            return 1;
    return 0;
}

int fc_walk_any_of(CXCursor root, enum CXCursorKind kind, bool (*pred)(CXCursor c, void *ctx), void *ctx)
{
    int r = find(root);
    if (r < 0)
        return -1;
    unsigned end = ends[r];
    for (unsigned j = (unsigned)r + 1; j < end; j++)
        if (nodes[j].kind == kind && pred(tagged(j), ctx))
            return 1;
    return 0;
}

/* ---- Answers per node ---- */

static bool is_expr(enum CXCursorKind k)
{
    return k >= CXCursor_FirstExpr && k <= CXCursor_LastExpr;
}

/* The recorded expression or statement c, as the node its key was indexed
 * by (what fc_children reads), or -1. */
static int find_stmt(CXCursor c)
{
    return stmt_like(c.kind) ? find(c) : -1;
}

/* Child j of a node, as the node its key was indexed by. */
static unsigned first_of(unsigned j)
{
    if (memos[j].dup) {
        int f = find(nodes[j]);
        if (f >= 0)
            return (unsigned)f;
    }
    return j;
}

/* ir.c's fc_strip over the recorded tree: through ParenExpr and
 * CStyleCastExpr to their last expression child (when they have one to
 * four children), and through an UnexposedExpr with exactly one child that
 * is an expression; at most 64 steps.  Same steps as fc_strip's through
 * fc_children, by index instead of one lookup per level. */
static unsigned strip_node(unsigned n)
{
    for (int guard = 0; guard < 64; guard++) {
        enum CXCursorKind k = nodes[n].kind;
        unsigned kid[5], cnt = 0;
        for (unsigned j = n + 1; j < ends[n] && cnt < 5; j = ends[j])
            kid[cnt++] = j;
        if (k == CXCursor_ParenExpr || k == CXCursor_CStyleCastExpr) {
            if (cnt == 0 || cnt > 4)
                return n;
            unsigned i = cnt;
            while (i-- > 0 && !is_expr(nodes[kid[i]].kind))
                ;
            if (i == ~0u)
                return n;
            n = first_of(kid[i]);
        } else if (k == CXCursor_UnexposedExpr) {
            if (cnt != 1 || !is_expr(nodes[kid[0]].kind))
                return n;
            n = first_of(kid[0]);
        } else {
            return n;
        }
    }
    return n;
}

bool fc_walk_strip(CXCursor c, CXCursor *out)
{
    int r = find_stmt(c);
    if (r < 0)
        return false;
    if (!memos[r].strip)
        memos[r].strip = strip_node((unsigned)r) + 1;
    *out = (unsigned)memos[r].strip - 1 == (unsigned)r ? c : tagged(memos[r].strip - 1);
    return true;
}

/* Only expressions: what libclang answers for them depends on the node and
 * the unit alone (a statement's, e.g. a goto's label, on data[0] too). */
bool fc_walk_referenced(CXCursor c, CXCursor *out)
{
    int r = is_expr(c.kind) ? find(c) : -1;
    if (r < 0)
        return false;
    if (!memos[r].ref) {
        CXCursor d = clang_getCursorReferenced(nodes[r]);
        if (nrefs == caprefs) {
            caprefs = caprefs ? caprefs * 2 : 4096;
            refs = fc_xrealloc(refs, caprefs * sizeof *refs);
        }
        refs[nrefs++] = d;
        memos[r].ref = nrefs;
    }
    *out = refs[memos[r].ref - 1];
    return true;
}

bool fc_walk_type(CXCursor c, CXType *out, bool canonical)
{
    int r = is_expr(c.kind) ? find(c) : -1;
    if (r < 0)
        return false;
    if (!memos[r].type) {
        CXType t = clang_getCursorType(nodes[r]);
        if (ntypes + 2 > captypes) {
            captypes = captypes ? captypes * 2 : 8192;
            types = fc_xrealloc(types, captypes * sizeof *types);
        }
        types[ntypes] = t;
        types[ntypes + 1] = clang_getCanonicalType(t);
        ntypes += 2;
        memos[r].type = ntypes - 1;
    }
    *out = types[memos[r].type - 1 + canonical];
    return true;
}

/* An extent measures its last token with the lexer (about 2,000
 * instructions): the operator readers ask for the same operands' extents
 * several times (each side of every operator, again for the enclosing one). */
bool fc_walk_extent(CXCursor c, CXSourceRange *out)
{
    int r = is_expr(c.kind) ? find(c) : -1;
    if (r < 0)
        return false;
    if (!memos[r].ext) {
        CXSourceRange x = clang_getCursorExtent(nodes[r]);
        if (nexts == capexts) {
            capexts = capexts ? capexts * 2 : 4096;
            exts = fc_xrealloc(exts, capexts * sizeof *exts);
        }
        exts[nexts++] = x;
        memos[r].ext = nexts;
    }
    *out = exts[memos[r].ext - 1];
    return true;
}

int *fc_walk_memo(CXCursor c, int which)
{
    int r = is_expr(c.kind) ? find(c) : -1;
    return r < 0 ? NULL : &memos[r].words[which];
}

void fc_walk_reset(void)
{
    free(tops);
    tops = NULL;
    ntops = captops = 0;
    tops_tu = NULL;
    free(qcache);
    qcache = NULL;
    free(nodes);
    free(ends);
    free(slots);
    free(memos);
    free(refs);
    free(exts);
    exts = NULL;
    nexts = capexts = 0;
    free(types);
    free(fns);
    free(ftab);
    fns = NULL;
    ftab = NULL;
    nfns = capfns = 0;
    nftab = capftab = 0;
    hint = ~0u;
    last_key = last_tu = NULL;
    last_n = -1;
    nodes = NULL;
    ends = NULL;
    slots = NULL;
    memos = NULL;
    refs = NULL;
    types = NULL;
    nnodes = capnodes = capslots = nindexed = 0;
    first_cap = 0;
    nrefs = caprefs = ntypes = captypes = 0;
}

/*
 * analyzer/mc_form.c — the memory checker's compact view of one function's
 * expressions (mc_form.h).
 *
 * What.  One record per expression node memcheck.c asks about, made on the
 * first question and filled field by field as questions come: the node
 * fc_strip ends at, the children (cursors in a pool), the canonical type,
 * the operators, the folded constant, the referenced declaration, a call's
 * arguments.  Each field is computed once, by the call it replaces.
 *
 * How.  Records are found by the AST node a cursor stands for (data[1] of
 * a statement or expression, data[0] of a declaration) and the cursor
 * kind, in an open-addressing table of record numbers.  Records live in
 * chunks of 1,024 that never move, so a record's address can be kept
 * while more are made.  The table and the chunks are kept from one
 * function to the next (a spare form): each slot carries the number of the
 * function it was filled for, so a new function starts with an empty table
 * without clearing it, and nothing is allocated again once the largest
 * function of the unit has been seen.
 */
#include "mc_form.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

enum {
    H_STRIP = FC_MFH_STRIP, H_KIDS = FC_MFH_KIDS, H_CANON = FC_MFH_CANON, H_CONST = FC_MFH_CONST,
    H_BINOP = FC_MFH_BINOP, H_UNOP = FC_MFH_UNOP, H_REF = FC_MFH_REF, H_ARGS = FC_MFH_ARGS
};

static fc_mform *spare;   /* the last form freed, kept for the next function */

static inline fc_mnode *rec(const fc_mform *f, unsigned i)
{
    return &f->chunks[i / FC_MF_CHUNK][i % FC_MF_CHUNK];
}

fc_mform *fc_mform_new(fc_func *fn)
{
    fc_mform *f = spare;
    spare = NULL;
    if (!f) {
        f = fc_xcalloc(1, sizeof *f);
        f->capslots = 1024;
        f->slots = fc_xcalloc(f->capslots, sizeof *f->slots);
    }
    f->fn = fn;
    f->gen++;
    if (f->gen == 0) {   /* wrapped: clear the table once */
        memset(f->slots, 0, f->capslots * sizeof *f->slots);
        f->gen = 1;
    }
    f->nents = 0;
    f->npool = 0;
    return f;
}

static void destroy(fc_mform *f)
{
    for (unsigned i = 0; i < f->nchunks; i++)
        free(f->chunks[i]);
    free(f->chunks);
    free(f->slots);
    free(f->pool);
    free(f);
}

void fc_mform_free(fc_mform *f)
{
    if (!f)
        return;
    if (spare)
        destroy(spare);
    spare = f;
}

static void grow(fc_mform *f)
{
    unsigned cap = f->capslots * 2;
    fc_mf_slot *s = fc_xcalloc(cap, sizeof *s);
    for (unsigned i = 0; i < f->nents; i++) {
        fc_mnode *n = rec(f, i);
        unsigned j = fc_mf_hash(n->key, n->c.kind) & (cap - 1);
        while (s[j].gen == f->gen)
            j = (j + 1) & (cap - 1);
        s[j] = (fc_mf_slot){ f->gen, i + 1 };
    }
    free(f->slots);
    f->slots = s;
    f->capslots = cap;
}

fc_mnode *fc_mf_make(fc_mform *f, const CXCursor *c, const void *key)
{
    if ((f->nents + 1) * 2 > f->capslots)
        grow(f);
    unsigned mask = f->capslots - 1;
    unsigned j = fc_mf_hash(key, c->kind) & mask;
    while (f->slots[j].gen == f->gen)
        j = (j + 1) & mask;
    unsigned i = f->nents;
    if (i / FC_MF_CHUNK == f->nchunks) {
        f->chunks = fc_xrealloc(f->chunks, (f->nchunks + 1) * sizeof *f->chunks);
        f->chunks[f->nchunks++] = fc_xmalloc(FC_MF_CHUNK * sizeof(fc_mnode));
    }
    fc_mnode *n = rec(f, i);
    n->c = *c;
    n->key = key;
    n->have = 0;
    f->slots[j] = (fc_mf_slot){ f->gen, i + 1 };
    f->nents++;
    return n;
}

fc_mnode *fc_mf_snode(fc_mform *f, CXCursor c)
{
    fc_mnode *n = fc_mf_node(f, c);
    if (!n)
        return NULL;
    if (!(n->have & H_STRIP)) {
        CXCursor s = fc_strip(c);
        n->strip = (s.kind == c.kind && fc_mf_key(&s) == n->key) ? n : fc_mf_node(f, s);
        n->have |= H_STRIP;
        if (!n->strip)
            return NULL;
    }
    return n->strip;
}

static unsigned pool_add(fc_mform *f, unsigned n)
{
    if (f->npool + n > f->cappool) {
        while (f->npool + n > f->cappool)
            f->cappool = f->cappool ? f->cappool * 2 : 1024;
        f->pool = fc_xrealloc(f->pool, f->cappool * sizeof *f->pool);
    }
    unsigned at = f->npool;
    f->npool += n;
    return at;
}

unsigned fc_mfn_children(fc_mform *f, fc_mnode *x, CXCursor *out, unsigned max)
{
    if (!(x->have & H_KIDS)) {
        CXCursor tmp[16];
        unsigned n = fc_children(x->c, tmp, 16);
        CXCursor *all = tmp;
        if (n > 16) {
            all = fc_xmalloc(n * sizeof *all);
            n = fc_children(x->c, all, n);
        }
        unsigned at = pool_add(f, n);
        if (n) /* the pool may be NULL while empty: no memcpy(NULL, .., 0) */
            memcpy(f->pool + at, all, n * sizeof *all);
        if (all != tmp)
            free(all);
        x->kid0 = at;
        x->nkid = n;
        x->have |= H_KIDS;
    }
    unsigned n = x->nkid;
    const CXCursor *k = f->pool + x->kid0;
    for (unsigned i = 0; i < n && i < max; i++)
        out[i] = k[i];
    return n;
}

CXType fc_mfn_canon(fc_mform *f, fc_mnode *x)
{
    (void)f;
    if (!(x->have & H_CANON)) {
        x->canon = fc_canon_type_of(x->c);
        x->have |= H_CANON;
    }
    return x->canon;
}

bool fc_mfn_const(fc_mform *f, fc_mnode *x, long long *v)
{
    if (!(x->have & H_CONST)) {
        long long c = 0;
        x->cok = fc_const_int(f->fn, x->c, &c);
        x->cval = c;
        x->have |= H_CONST;
    }
    if (x->cok)
        *v = x->cval;
    return x->cok;
}

fc_op fc_mfn_binop(fc_mform *f, fc_mnode *x)
{
    if (!(x->have & H_BINOP)) {
        x->binop = (int8_t)fc_binop(f->fn, x->c);
        x->have |= H_BINOP;
    }
    return (fc_op)x->binop;
}

fc_op fc_mfn_unop(fc_mform *f, fc_mnode *x)
{
    if (!(x->have & H_UNOP)) {
        x->unop = (int8_t)fc_unop(f->fn, x->c);
        x->have |= H_UNOP;
    }
    return (fc_op)x->unop;
}

CXCursor fc_mfn_referenced(fc_mform *f, fc_mnode *x)
{
    (void)f;
    if (!(x->have & H_REF)) {
        x->ref = fc_referenced(x->c);
        x->have |= H_REF;
    }
    return x->ref;
}

/* ---- By cursor ---- */

CXCursor fc_mf_strip_slow(fc_mform *f, CXCursor e)
{
    fc_mnode *x = fc_mf_snode(f, e);
    return x ? x->c : fc_strip(e);
}

unsigned fc_mf_children(fc_mform *f, CXCursor e, CXCursor *out, unsigned max)
{
    fc_mnode *x = fc_mf_node(f, e);
    return x ? fc_mfn_children(f, x, out, max) : fc_children(e, out, max);
}

static fc_mnode *args_of(fc_mform *f, CXCursor call)
{
    fc_mnode *x = fc_mf_node(f, call);
    if (!x || (x->have & H_ARGS))
        return x;
    int n = clang_Cursor_getNumArguments(call);
    unsigned at = pool_add(f, n > 0 ? (unsigned)n : 0);
    for (int i = 0; i < n; i++)
        f->pool[at + (unsigned)i] = clang_Cursor_getArgument(call, (unsigned)i);
    x->arg0 = at;
    x->nargs = n;
    x->have |= H_ARGS;
    return x;
}

int fc_mf_nargs(fc_mform *f, CXCursor call)
{
    fc_mnode *x = args_of(f, call);
    return x ? x->nargs : clang_Cursor_getNumArguments(call);
}

CXCursor fc_mf_arg(fc_mform *f, CXCursor call, unsigned i)
{
    fc_mnode *x = args_of(f, call);
    if (!x)
        return clang_Cursor_getArgument(call, i);
    if ((int)i >= x->nargs)
        return clang_getNullCursor();
    return f->pool[x->arg0 + i];
}

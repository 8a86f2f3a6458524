/*
 * analyzer/unit_order.h — the order in which the cross-file pre-pass
 * (summary_cache.c) computes the units of a database: a lexical guess of
 * the functions each source file defines and calls, for units not yet
 * parsed, and levels over the units' call graph (callees first).  Private
 * to analyzer/.
 */
#ifndef FC_UNIT_ORDER_H
#define FC_UNIT_ORDER_H

#include <stdbool.h>
#include <stddef.h>

/* Names of the functions with external linkage a C source file defines at
 * file scope, and of the names it calls (an identifier followed by `(`
 * inside a body: macros and keywords included), each list sorted and
 * without duplicates.  A guess from the text alone, without preprocessing:
 * good for ordering, never for conclusions. */
typedef struct fc_lexrefs {
    char **defs;
    size_t ndefs;
    char **calls;
    size_t ncalls;
} fc_lexrefs;

/* false (and empty lists) when the file cannot be read as a regular file. */
bool fc_lex_refs(const char *path, fc_lexrefs *out);
void fc_lexrefs_free(fc_lexrefs *r);

/* An edge of the units' call graph: `from` calls w functions `to` defines. */
typedef struct fc_uedge {
    size_t from, to;
    unsigned w;
} fc_uedge;

/* The order of n units.  Strongly connected components of the call graph
 * come in waves: a component's wave is one above the waves of the
 * components it calls, so a wave needs only the summaries of the waves
 * below it, and the units of a cycle can be iterated to their own fixpoint
 * before any caller is computed.  Inside a component, callees first as far
 * as the cycle allows (the unit with the least weight of calls into units
 * not yet placed, minus calls from them, first), and a unit's level is one
 * above the levels of the members it calls that were placed before it:
 * units of one wave and level can be computed at the same time.  back[u]
 * is set when u calls a member of its component placed after it (u will
 * see that unit's summaries only when computed again).  Returns the
 * number of waves. */
unsigned fc_unit_levels(size_t n, const fc_uedge *e, size_t ne, unsigned *wave, unsigned *level, bool *back);

#endif /* FC_UNIT_ORDER_H */

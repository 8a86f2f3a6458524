/*
 * analyzer/registry.c — the pass and --explain registries of checks.h.
 *
 * Check modules register from constructors in their own files, so adding a
 * check never edits the driver: the driver runs whatever is registered, in
 * registration order, gated by the check name (--checks).
 */
#include <string.h>

#include "checks.h"
#include "util.h"

#define MAX_PASSES 32

static struct { const char *check; fc_tu_pass_fn fn; } tu_passes[MAX_PASSES];
static unsigned ntu;
static struct { const char *check; fc_function_pass_fn fn; } fn_passes[MAX_PASSES];
static unsigned nfn;
static fc_summary_pass_fn sum_passes[MAX_PASSES];
static unsigned nsum;
static const fc_explain *explains[64];
static unsigned nexplain;

void fc_register_tu_pass(const char *check, fc_tu_pass_fn fn)
{
    if (ntu < MAX_PASSES)
        tu_passes[ntu].check = check, tu_passes[ntu++].fn = fn;
}

void fc_register_function_pass(const char *check, fc_function_pass_fn fn)
{
    if (nfn < MAX_PASSES)
        fn_passes[nfn].check = check, fn_passes[nfn++].fn = fn;
}

void fc_register_summary_pass(fc_summary_pass_fn fn)
{
    if (nsum < MAX_PASSES)
        sum_passes[nsum++] = fn;
}

void fc_register_explain(const fc_explain *e)
{
    if (nexplain < sizeof explains / sizeof explains[0])
        explains[nexplain++] = e;
}

const fc_explain *fc_explain_find(const char *check)
{
    if (!strncmp(check, "ferrum-", 7))
        check += 7;
    for (unsigned i = 0; i < nexplain; i++)
        if (!strcmp(explains[i]->check, check))
            return explains[i];
    return NULL;
}

unsigned fc_tu_pass_count(void) { return ntu; }
unsigned fc_function_pass_count(void) { return nfn; }

void fc_run_tu_passes(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *o)
{
    for (unsigned i = 0; i < ntu; i++)
        if (!tu_passes[i].check || fc_check_enabled(o, tu_passes[i].check))
            tu_passes[i].fn(tu, sink, o);
}

void fc_run_function_passes(fc_func *fn, fc_diag_sink *sink, const struct fc_options *o)
{
    for (unsigned i = 0; i < nfn; i++)
        if (!fn_passes[i].check || fc_check_enabled(o, fn_passes[i].check))
            fn_passes[i].fn(fn, sink, o);
}

void fc_run_summary_passes(CXTranslationUnit tu, struct fc_summaries *sums, const struct fc_options *o)
{
    for (unsigned i = 0; i < nsum; i++)
        sum_passes[i](tu, sums, o);
}

/* Every explain row known (for --explain with no argument). */
unsigned fc_explain_count(void) { return nexplain; }
const fc_explain *fc_explain_at(unsigned i) { return i < nexplain ? explains[i] : NULL; }

/*
 * analyzer/memcheck.h — the memory-state checker (memcheck.c): the checks
 * use-after-free, double-free, leak, free-nonheap and return-stack-address,
 * and the function summaries they use.  Private to analyzer/.
 */
#ifndef FC_MEMCHECK_H
#define FC_MEMCHECK_H

#include "diag.h"
#include "ir.h"
#include "options.h"
#include "summary.h"

/* Check one function (its callees' summaries in fn->sums). */
void fc_memcheck_function(fc_func *fn, fc_diag_sink *sink, const struct fc_options *opts);
/* Summarize one function; false when it could not be analyzed. */
bool fc_memcheck_summarize(fc_func *fn, const struct fc_options *opts, fc_summary *out);
/* Both in one dataflow run: the summary, and the findings into sink.
 * *checked is false when the function still needs fc_memcheck_function
 * (it never returns, or has no body to run). */
bool fc_memcheck_summarize_check(fc_func *fn, fc_diag_sink *sink, const struct fc_options *opts, fc_summary *out,
                                 bool *checked);

#endif /* FC_MEMCHECK_H */

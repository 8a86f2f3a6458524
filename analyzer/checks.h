/*
 * analyzer/checks.h — how check modules register with the driver.  Private
 * to analyzer/.
 *
 * Two kinds of passes:
 *   - a translation-unit pass sees the whole AST once (restrict-overlap,
 *     strict-aliasing work this way):
 *        void pass(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *o);
 *   - a function pass is called with every function definition outside
 *     system headers, after summaries are computed (fc_func: its CFG,
 *     variables and the summaries of callees; see dataflow.h for the
 *     flow-sensitive walk).
 * A module registers itself without touching driver code, from a
 * constructor in its own file:
 *
 *     static void reg(void) __attribute__((constructor));
 *     static void reg(void) { fc_register_tu_pass("restrict-overlap", my_pass); }
 *
 * and adds its source to `fc_extra_sources` in analyzer/meson.build.  The
 * `check` name gates the pass: it runs only when that check is enabled
 * (NULL: always runs).  Passes run in registration order; at most 32 each.
 * A module also registers an --explain text with fc_register_explain().
 */
#ifndef FC_CHECKS_H
#define FC_CHECKS_H

#include <clang-c/Index.h>

#include "diag.h"
#include "ir.h"
#include "options.h"

typedef void (*fc_tu_pass_fn)(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *o);
typedef void (*fc_function_pass_fn)(fc_func *fn, fc_diag_sink *sink, const struct fc_options *o);
/* Called once per TU before function passes; may add summaries (e.g. from a cache). */
typedef void (*fc_summary_pass_fn)(CXTranslationUnit tu, struct fc_summaries *sums,
                                   const struct fc_options *o);

void fc_register_tu_pass(const char *check, fc_tu_pass_fn fn);
void fc_register_function_pass(const char *check, fc_function_pass_fn fn);
void fc_register_summary_pass(fc_summary_pass_fn fn);

/* --explain: a row per check (explain.c holds the built-in ones). */
typedef struct fc_explain {
    const char *check;
    const char *summary;   /* one line */
    const char *text;      /* what, why it matters, how to fix; with a wrong and a right example */
} fc_explain;
void fc_register_explain(const fc_explain *e);
const fc_explain *fc_explain_find(const char *check);
unsigned fc_explain_count(void);
const fc_explain *fc_explain_at(unsigned i);

/* Driver internals used by the driver and the built-in checks. */
unsigned fc_tu_pass_count(void);
unsigned fc_function_pass_count(void);
void fc_run_tu_passes(CXTranslationUnit tu, fc_diag_sink *sink, const struct fc_options *o);
void fc_run_function_passes(fc_func *fn, fc_diag_sink *sink, const struct fc_options *o);
void fc_run_summary_passes(CXTranslationUnit tu, struct fc_summaries *sums, const struct fc_options *o);

#endif /* FC_CHECKS_H */

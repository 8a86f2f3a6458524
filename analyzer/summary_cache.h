/*
 * analyzer/summary_cache.h — whole-codebase function summaries, cached on
 * disk, and the per-unit findings cache that makes a rerun over an
 * unchanged codebase fast.  Private to analyzer/.
 *
 * The driver calls, in this order:
 *   fc_summary_cache_prepare()  once, before any unit is analyzed (and
 *                               before worker processes are forked): loads
 *                               or computes the summary of every function
 *                               of every unit, iterates across files to a
 *                               fixpoint and installs the result as the
 *                               summaries' provider (summary.h), so a free
 *                               in another file is seen at the call site;
 *   fc_summary_cache_replay()   per unit, before parsing it: true when the
 *                               unit's findings were replayed from the cache
 *                               (nothing to parse);
 *   fc_summary_cache_record()   per unit, after analyzing it.
 * Without a cache directory (no -p BUILD_DIR and no FERRUM_CACHE_DIR, or
 * FERRUM_CACHE=0) summaries are still computed across files when there is
 * more than one unit, and nothing is written.
 */
#ifndef FC_SUMMARY_CACHE_H
#define FC_SUMMARY_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "driver.h"
#include "options.h"

/* others: the units of the database that are not analyzed (files named
 * with -p); only their valid cache entries are read, for their summaries. */
void fc_summary_cache_prepare(const fc_unit *units, size_t n, const fc_unit *others, size_t nothers,
                              const struct fc_options *o);
bool fc_summary_cache_replay(const fc_unit *u, fc_diag_sink *sink, const struct fc_options *o,
                             int *status);
void fc_summary_cache_record(const fc_unit *u, fc_diag_sink *sink, const struct fc_options *o,
                             int status);

/* Statistics of the last prepare (for -v and tests). */
typedef struct fc_cache_stats {
    size_t units, hits, computed, rounds, functions;
    bool converged;    /* no unit's record disagrees with the final summaries */
    size_t requeued;   /* functions summarized again inside a unit (cycles); from workers: not counted */
    size_t unconverged; /* functions that hit the per-function bound */
    size_t ready;      /* units whose findings are stored under their final key */
    const char *dir;   /* NULL: no cache directory */
} fc_cache_stats;
const fc_cache_stats *fc_summary_cache_stats(void);

#endif /* FC_SUMMARY_CACHE_H */

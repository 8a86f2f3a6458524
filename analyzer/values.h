/*
 * analyzer/values.h — integer facts along a path: the range a tracked
 * integer variable may hold ([lo, hi], plus one excluded value), as the
 * memory checker (memcheck.c) learns them from assignments and branch
 * conditions.  Private to analyzer/.
 *
 * What it is for: conditions that correlate.  `if (n == 5) { free(p);
 * break; }` then `if (n < 0) return;` frees p on one path and returns on
 * the other; `if (globalFive == 5)` tested twice takes the same side twice;
 * `if (n < 1) return;` means a later `while (n--)` runs at least once.  A
 * range per variable and state is enough to prune the infeasible sides,
 * and (with the dataflow engine's partitions, dataflow.h) to keep the two
 * paths of the first example apart.
 *
 * Bounded: a join that widens a bound counts it; the second widening of a
 * range sends its bounds to infinity, so a loop counter settles in a few
 * rounds (lattice of finite height per variable).
 */
#ifndef FC_VALUES_H
#define FC_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

#define FC_IV_MIN INT64_MIN
#define FC_IV_MAX INT64_MAX

typedef struct fc_ival {
    int64_t lo, hi;     /* lo <= hi; FC_IV_MIN / FC_IV_MAX: unbounded */
    int64_t ne;         /* an excluded value, when has_ne */
    uint8_t has_ne;
    uint8_t wid;        /* how many times a join widened it */
    uint8_t pad[6];
} fc_ival;

fc_ival fc_iv_top(void);
fc_ival fc_iv_const(int64_t c);
bool fc_iv_is_top(const fc_ival *a);
/* The single value, if the range holds exactly one. */
bool fc_iv_single(const fc_ival *a, int64_t *c);
/* dst := dst joined with src (hull; the second widening goes to infinity).
 * True if dst changed. */
bool fc_iv_join(fc_ival *dst, const fc_ival *src);
/* No value in common (the two paths cannot be the same execution). */
bool fc_iv_disjoint(const fc_ival *a, const fc_ival *b);
/* a + c (saturating; an unbounded side stays unbounded). */
fc_ival fc_iv_add(fc_ival a, int64_t c);
/* Keep the values v of a with `v OP c` (op one of FC_OP_LT .. FC_OP_NE).
 * False when none is left (the branch cannot be taken). */
bool fc_iv_restrict(fc_ival *a, fc_op op, int64_t c);
/* The operator that gives the same test with its operands swapped
 * (`c < x` is `x > c`), and its negation (`!(x < c)` is `x >= c`). */
fc_op fc_iv_swap(fc_op op);
fc_op fc_iv_negate(fc_op op);

#endif /* FC_VALUES_H */

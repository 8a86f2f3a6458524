/*
 * analyzer/values.c — the integer range domain of values.h.
 *
 * How: a range [lo, hi] with saturating bounds, plus one excluded value
 * (`x != 0` on the true side of `if (x)` keeps the whole range but 0, which
 * is what tells `if (flag)` apart from `if (!flag)` later).  Joins take the
 * hull and drop the excluded value unless both sides exclude it; each join
 * that widens a bound counts, and from the second on the widened bound goes
 * to infinity (a loop counter `i = 0 .. i++` reaches [0, +inf) in two
 * rounds, not a hundred).
 *
 * Why a range and not a set of constants: loop conditions (`n-- > 0`,
 * `i < len`) and early returns (`if (n < 1) return`) speak in bounds.
 */
#include "values.h"

fc_ival fc_iv_top(void)
{
    fc_ival a = { FC_IV_MIN, FC_IV_MAX, 0, 0, 0, { 0 } };
    return a;
}

fc_ival fc_iv_const(int64_t c)
{
    fc_ival a = { c, c, 0, 0, 0, { 0 } };
    return a;
}

bool fc_iv_is_top(const fc_ival *a)
{
    return a->lo == FC_IV_MIN && a->hi == FC_IV_MAX && !a->has_ne;
}

bool fc_iv_single(const fc_ival *a, int64_t *c)
{
    if (a->lo != a->hi)
        return false;
    *c = a->lo;
    return true;
}

/* Tighten bounds that sit on the excluded value. */
static bool normalize(fc_ival *a)
{
    if (a->has_ne) {
        if (a->ne == a->lo && a->lo != FC_IV_MAX)
            a->lo++, a->has_ne = 0;
        else if (a->ne == a->hi && a->hi != FC_IV_MIN)
            a->hi--, a->has_ne = 0;
        else if (a->ne < a->lo || a->ne > a->hi)
            a->has_ne = 0;
    }
    return a->lo <= a->hi;
}

static bool contains(const fc_ival *a, int64_t v)
{
    return v >= a->lo && v <= a->hi && !(a->has_ne && a->ne == v);
}

bool fc_iv_join(fc_ival *dst, const fc_ival *src)
{
    fc_ival j = *dst;
    bool widened = false;
    if (src->lo < j.lo) {
        j.lo = src->lo;
        widened = true;
    }
    if (src->hi > j.hi) {
        j.hi = src->hi;
        widened = true;
    }
    /* an excluded value survives when neither side holds it */
    j.has_ne = 0;
    if (dst->has_ne && !contains(src, dst->ne)) {
        j.has_ne = 1;
        j.ne = dst->ne;
    } else if (src->has_ne && !contains(dst, src->ne)) {
        j.has_ne = 1;
        j.ne = src->ne;
    }
    if (src->wid > j.wid)
        j.wid = src->wid;
    if (widened) {
        if (j.wid < 255)
            j.wid++;
        if (j.wid >= 2) {
            if (j.lo < dst->lo)
                j.lo = FC_IV_MIN;
            if (j.hi > dst->hi)
                j.hi = FC_IV_MAX;
        }
    }
    normalize(&j);
    /* the widening count alone is bookkeeping, not a new fact: counted as a
     * change it went round a loop for ever, one more at each pass, while
     * the ranges had long stopped moving (QA8 V21, git pack-write.c's
     * write_idx_file: `nr_large_offset++` in a `?:` in a loop, an unsigned
     * count clamped back below infinity, "did not settle") */
    bool changed = j.lo != dst->lo || j.hi != dst->hi || j.has_ne != dst->has_ne ||
                   (j.has_ne && j.ne != dst->ne);
    *dst = j;
    return changed;
}

bool fc_iv_disjoint(const fc_ival *a, const fc_ival *b)
{
    if (a->hi < b->lo || b->hi < a->lo)
        return true;
    /* a single value the other side excludes */
    if (a->lo == a->hi && b->has_ne && b->ne == a->lo)
        return true;
    if (b->lo == b->hi && a->has_ne && a->ne == b->lo)
        return true;
    return false;
}

static int64_t sat_add(int64_t x, int64_t c)
{
    if (x == FC_IV_MIN || x == FC_IV_MAX)
        return x;
    if (c > 0 && x > FC_IV_MAX - 1 - c)
        return FC_IV_MAX;
    if (c < 0 && x < FC_IV_MIN + 1 - c)
        return FC_IV_MIN;
    return x + c;
}

fc_ival fc_iv_add(fc_ival a, int64_t c)
{
    a.lo = sat_add(a.lo, c);
    a.hi = sat_add(a.hi, c);
    if (a.has_ne) {
        if (a.ne > FC_IV_MIN + 1 - (c < 0 ? c : 0) && a.ne < FC_IV_MAX - 1 - (c > 0 ? c : 0))
            a.ne += c;
        else
            a.has_ne = 0;
    }
    return a;
}

bool fc_iv_restrict(fc_ival *a, fc_op op, int64_t c)
{
    switch (op) {
    case FC_OP_LT:
        if (c == FC_IV_MIN)
            return false;
        if (a->hi > c - 1)
            a->hi = c - 1;
        break;
    case FC_OP_LE:
        if (a->hi > c)
            a->hi = c;
        break;
    case FC_OP_GT:
        if (c == FC_IV_MAX)
            return false;
        if (a->lo < c + 1)
            a->lo = c + 1;
        break;
    case FC_OP_GE:
        if (a->lo < c)
            a->lo = c;
        break;
    case FC_OP_EQ:
        if (c < a->lo || c > a->hi || (a->has_ne && a->ne == c))
            return false;
        a->lo = a->hi = c;
        a->has_ne = 0;
        break;
    case FC_OP_NE:
        if (a->lo == a->hi && a->lo == c)
            return false;
        if (!a->has_ne && c >= a->lo && c <= a->hi) {
            a->has_ne = 1;
            a->ne = c;
        }
        break;
    default:
        return true;
    }
    return normalize(a);
}

fc_op fc_iv_swap(fc_op op)
{
    switch (op) {
    case FC_OP_LT: return FC_OP_GT;
    case FC_OP_GT: return FC_OP_LT;
    case FC_OP_LE: return FC_OP_GE;
    case FC_OP_GE: return FC_OP_LE;
    default: return op;
    }
}

fc_op fc_iv_negate(fc_op op)
{
    switch (op) {
    case FC_OP_LT: return FC_OP_GE;
    case FC_OP_GE: return FC_OP_LT;
    case FC_OP_GT: return FC_OP_LE;
    case FC_OP_LE: return FC_OP_GT;
    case FC_OP_EQ: return FC_OP_NE;
    case FC_OP_NE: return FC_OP_EQ;
    default: return op;
    }
}

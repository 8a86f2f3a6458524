/*
 * analyzer/unit_order.c — which units of a database the cross-file pre-pass
 * computes first.
 *
 * What: summary_cache.c summarizes every function of every unit, and a
 * unit's summaries depend on the summaries of the functions it calls in
 * other units.  A unit computed before the units it calls sees those
 * callees as unknown and must be parsed and computed again once they are
 * known.  Computed in an arbitrary order, most units of a real project were
 * parsed two or three times (libxml2: 179 computations for 67 units in 4
 * rounds).  Computed callees first, a unit outside a cycle of the call
 * graph is parsed once.
 *
 * How: on a cold run no unit has been parsed yet, so the call graph is
 * guessed from the source text (fc_lex_refs): a light C lexer that skips
 * comments, literals and preprocessor lines, counts braces, and reads
 * `name (...) {` at file scope as a definition (not when `static` or an
 * `=` came first in the declaration) and `name (` inside braces as a call.
 * Calls written inside macros of headers are missed, and names defined by
 * macros are misread; the guess only orders the work, the fixpoint still
 * decides what is computed again, so a wrong guess costs time, never
 * findings.  Units parsed before (a record from the cache or an earlier
 * round) give their exact callees and definitions instead.
 * fc_unit_levels then takes the strongly connected components (Tarjan,
 * iterative) in topological order, callees first; inside a component it
 * places first the unit with the least weight of calls into units not yet
 * placed minus calls from them (a greedy feedback-arc heuristic), and
 * gives every unit a level one above the highest level of the units it
 * calls that were placed before it.
 *
 * Why levels and not a work queue: the units of one level are computed in
 * parallel from the same table of summaries, whatever the number of
 * workers or the order in which they finish, so the result does not depend
 * on -j or on timing (a fixpoint over summaries that are not guaranteed to
 * be monotone could otherwise end elsewhere).
 */
#include "unit_order.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* ---- The lexical guess ---- */

#define LEX_MAX_BYTES (64u << 20)

static bool is_id0(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void add_name(char ***v, size_t *n, size_t *cap, const char *s, size_t len)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = fc_xrealloc(*v, *cap * sizeof **v);
    }
    char *c = fc_xmalloc(len + 1);
    memcpy(c, s, len);
    c[len] = 0;
    (*v)[(*n)++] = c;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(char **v, size_t *n)
{
    if (!*n)
        return;
    qsort(v, *n, sizeof *v, cmp_str);
    size_t k = 1;
    for (size_t i = 1; i < *n; i++) {
        if (!strcmp(v[i], v[k - 1]))
            free(v[i]);
        else
            v[k++] = v[i];
    }
    *n = k;
}

/* Words that precede `(` at file scope without naming a function. */
static bool not_a_function(const char *s, size_t len)
{
    static const char *const w[] = {"__attribute__", "__attribute", "__declspec", "__asm__", "asm", "__asm",
                                    "_Alignas", "alignas", "__typeof__", "typeof", "__typeof", "_Static_assert",
                                    "static_assert", "sizeof", "_Pragma", "__extension__"};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (strlen(w[i]) == len && !memcmp(w[i], s, len))
            return true;
    return false;
}

static char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > LEX_MAX_BYTES) {
        close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size, got = 0;
    char *buf = fc_xmalloc(size + 1);
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = 0;
    *len = got;
    return buf;
}

bool fc_lex_refs(const char *path, fc_lexrefs *out)
{
    memset(out, 0, sizeof *out);
    size_t len;
    char *s = read_file(path, &len);
    if (!s)
        return false;
    size_t dcap = 0, ccap = 0;
    long brace = 0, paren = 0;
    bool line_start = true;
    /* the declaration being read at file scope */
    bool is_static = false, has_eq = false;
    const char *cand = NULL;
    size_t cand_len = 0;
    for (size_t i = 0; i < len;) {
        char c = s[i];
        if (c == '\n') {
            line_start = true;
            i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            i++;
            continue;
        }
        if (c == '/' && i + 1 < len && s[i + 1] == '/') {
            while (i < len && s[i] != '\n')
                i += s[i] == '\\' && i + 1 < len ? 2 : 1;
            continue;
        }
        if (c == '/' && i + 1 < len && s[i + 1] == '*') {
            i += 2;
            while (i + 1 < len && !(s[i] == '*' && s[i + 1] == '/'))
                i++;
            i += 2;
            continue;
        }
        if (c == '#' && line_start) {
            /* a directive, with its continuation lines (comments inside are
             * rare enough to be read as text) */
            while (i < len && s[i] != '\n')
                i += s[i] == '\\' && i + 1 < len ? 2 : 1;
            continue;
        }
        line_start = false;
        if (c == '"' || c == '\'') {
            i++;
            while (i < len && s[i] != c && s[i] != '\n')
                i += s[i] == '\\' && i + 1 < len ? 2 : 1;
            i++;
            continue;
        }
        if (is_id0(c)) {
            size_t b = i;
            while (i < len && fc_ident_char(s[i]))
                i++;
            size_t wl = i - b;
            size_t j = i;
            while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n'))
                j++;
            bool call = j < len && s[j] == '(';
            if (brace == 0) {
                if (wl == 6 && !memcmp(s + b, "static", 6))
                    is_static = true;
                else if (call && paren == 0 && !not_a_function(s + b, wl)) {
                    cand = s + b;
                    cand_len = wl;
                }
            } else if (call) {
                add_name(&out->calls, &out->ncalls, &ccap, s + b, wl);
            }
            continue;
        }
        if (c >= '0' && c <= '9') {
            while (i < len && (fc_ident_char(s[i]) || s[i] == '.'))
                i++;
            continue;
        }
        i++;
        switch (c) {
        case '(':
            paren++;
            break;
        case ')':
            if (paren > 0)
                paren--;
            break;
        case '{':
            if (brace == 0 && paren == 0 && cand && !has_eq && !is_static)
                add_name(&out->defs, &out->ndefs, &dcap, cand, cand_len);
            if (brace == 0)
                cand = NULL;
            brace++;
            break;
        case '}':
            if (brace > 0)
                brace--;
            if (brace == 0) {
                /* a body or an initializer ends a declaration */
                is_static = has_eq = false;
                cand = NULL;
                paren = 0;
            }
            break;
        case ';':
            if (brace == 0 && paren == 0) {
                is_static = has_eq = false;
                cand = NULL;
            }
            break;
        case '=':
            if (brace == 0 && paren == 0)
                has_eq = true;
            break;
        default:
            break;
        }
    }
    free(s);
    sort_unique(out->defs, &out->ndefs);
    sort_unique(out->calls, &out->ncalls);
    return true;
}

void fc_lexrefs_free(fc_lexrefs *r)
{
    for (size_t i = 0; i < r->ndefs; i++)
        free(r->defs[i]);
    for (size_t i = 0; i < r->ncalls; i++)
        free(r->calls[i]);
    free(r->defs);
    free(r->calls);
    memset(r, 0, sizeof *r);
}

/* ---- Levels ---- */

static int cmp_edge(const void *a, const void *b)
{
    const fc_uedge *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->to < y->to ? -1 : x->to > y->to;
}

/* How many of v's neighbours (callees along row/es, or callers along
 * rrow/rcol) are alive, v itself not counted. */
static size_t count_in(size_t v, const size_t *rows, const fc_uedge *es, const bool *alive, const size_t *rcol)
{
    size_t c = 0;
    for (size_t k = rows[v]; k < rows[v + 1]; k++) {
        size_t w = es ? es[k].to : rcol[k];
        if (w != v && alive[w])
            c++;
    }
    return c;
}

unsigned fc_unit_levels(size_t n, const fc_uedge *e, size_t ne, unsigned *wave, unsigned *level, bool *back)
{
    if (!n)
        return 0;
    /* adjacency, callers' rows (CSR), and the reverse for in-weights */
    fc_uedge *es = fc_xmalloc((ne + 1) * sizeof *es);
    if (ne)
        memcpy(es, e, ne * sizeof *es);
    qsort(es, ne, sizeof *es, cmp_edge);
    size_t *row = fc_xcalloc(n + 1, sizeof *row);
    for (size_t k = 0; k < ne; k++)
        row[es[k].from + 1]++;
    for (size_t v = 0; v < n; v++)
        row[v + 1] += row[v];
    size_t *rrow = fc_xcalloc(n + 1, sizeof *rrow), *rcol = fc_xmalloc((ne + 1) * sizeof *rcol);
    unsigned *rw = fc_xmalloc((ne + 1) * sizeof *rw);
    for (size_t k = 0; k < ne; k++)
        rrow[es[k].to + 1]++;
    for (size_t v = 0; v < n; v++)
        rrow[v + 1] += rrow[v];
    size_t *fill = fc_xcalloc(n + 1, sizeof *fill);
    for (size_t k = 0; k < ne; k++) {
        size_t t = es[k].to;
        rcol[rrow[t] + fill[t]] = es[k].from;
        rw[rrow[t] + fill[t]] = es[k].w;
        fill[t]++;
    }

    /* Tarjan's components, iteratively: each component is complete when
     * every component it reaches is, so they come out callees first. */
    size_t *idx = fc_xmalloc(n * sizeof *idx), *low = fc_xmalloc(n * sizeof *low);
    size_t *stk = fc_xmalloc(n * sizeof *stk), *call = fc_xmalloc(n * sizeof *call);
    size_t *it = fc_xmalloc(n * sizeof *it), *comp = fc_xmalloc(n * sizeof *comp);
    bool *on = fc_xcalloc(n, sizeof *on);
    size_t *order = fc_xmalloc(n * sizeof *order), no = 0;   /* components' members, callees first */
    size_t *cstart = fc_xmalloc((n + 1) * sizeof *cstart), nc = 0;
    const size_t UNSEEN = (size_t)-1;
    for (size_t v = 0; v < n; v++)
        idx[v] = UNSEEN;
    size_t counter = 0, sp = 0;
    for (size_t r = 0; r < n; r++) {
        if (idx[r] != UNSEEN)
            continue;
        size_t csp = 0;
        call[csp++] = r;
        idx[r] = low[r] = counter++;
        it[r] = row[r];
        stk[sp++] = r;
        on[r] = true;
        while (csp) {
            size_t v = call[csp - 1];
            if (it[v] < row[v + 1]) {
                size_t w = es[it[v]++].to;
                if (idx[w] == UNSEEN) {
                    idx[w] = low[w] = counter++;
                    it[w] = row[w];
                    stk[sp++] = w;
                    on[w] = true;
                    call[csp++] = w;
                } else if (on[w] && idx[w] < low[v]) {
                    low[v] = idx[w];
                }
                continue;
            }
            csp--;
            if (csp && low[v] < low[call[csp - 1]])
                low[call[csp - 1]] = low[v];
            if (low[v] == idx[v]) {
                cstart[nc] = no;
                size_t w;
                do {
                    w = stk[--sp];
                    on[w] = false;
                    comp[w] = nc;
                    order[no++] = w;
                } while (w != v);
                nc++;
            }
        }
    }
    cstart[nc] = no;

    /* Inside a component: callees first as far as the cycles allow. */
    size_t *pos = fc_xmalloc(n * sizeof *pos);
    bool *placed = fc_xcalloc(n, sizeof *placed);
    bool *alive = fc_xcalloc(n, sizeof *alive), *infvs = fc_xcalloc(n, sizeof *infvs);
    size_t *seq = fc_xmalloc(n * sizeof *seq), ns = 0;
    for (size_t c = 0; c < nc; c++) {
        size_t a = cstart[c], b = cstart[c + 1];
        if (b - a == 1) {
            seq[ns++] = order[a];
            continue;
        }
        /* stable: members by unit number */
        for (size_t x = a + 1; x < b; x++)
            for (size_t y = x; y > a && order[y - 1] > order[y]; y--) {
                size_t t = order[y];
                order[y] = order[y - 1];
                order[y - 1] = t;
            }
        /* A small feedback vertex set F (greedy: drop members that no
         * longer call or are no longer called inside what is left, then
         * take out the member with the most calls in times calls out):
         * F's units are placed first, then the rest, which calls in a
         * DAG, callees first.  Only F's units call a member placed after
         * them, so only they are computed again for that reason. */
        for (size_t x = a; x < b; x++)
            alive[order[x]] = true;
        for (;;) {
            for (bool again = true; again;) {
                again = false;
                for (size_t x = a; x < b; x++) {
                    size_t v = order[x];
                    if (!alive[v])
                        continue;
                    if (!count_in(v, row, es, alive, 0) || !count_in(v, rrow, NULL, alive, rcol)) {
                        alive[v] = false;
                        again = true;
                    }
                }
            }
            size_t best = 0;
            unsigned long long best_p = 0;
            bool have = false;
            for (size_t x = a; x < b; x++) {
                size_t v = order[x];
                if (!alive[v])
                    continue;
                unsigned long long p =
                    (unsigned long long)count_in(v, row, es, alive, 0) * count_in(v, rrow, NULL, alive, rcol);
                if (!have || p > best_p) {
                    have = true;
                    best = v;
                    best_p = p;
                }
            }
            if (!have)
                break;
            alive[best] = false;
            infvs[best] = true;
        }
        /* F first, then the others; in each, a unit that calls none of
         * the units of its part not yet placed first, then the least
         * weight of such calls minus calls from them */
        for (int part = 0; part < 2; part++)
            for (;;) {
                size_t best = 0;
                long long best_score = 0;
                bool best_free = false, have = false;
                for (size_t x = a; x < b; x++) {
                    size_t v = order[x];
                    if (placed[v] || infvs[v] != (part == 0))
                        continue;
                    long long score = 0;
                    bool free_v = true;
                    for (size_t k = row[v]; k < row[v + 1]; k++) {
                        size_t w = es[k].to;
                        if (comp[w] == c && !placed[w] && w != v) {
                            score += es[k].w;
                            if (infvs[w] == infvs[v])
                                free_v = false;
                        }
                    }
                    for (size_t k = rrow[v]; k < rrow[v + 1]; k++)
                        if (comp[rcol[k]] == c && !placed[rcol[k]] && rcol[k] != v)
                            score -= rw[k];
                    if (!have || (free_v && !best_free) || (free_v == best_free && score < best_score)) {
                        have = true;
                        best = v;
                        best_score = score;
                        best_free = free_v;
                    }
                }
                if (!have)
                    break;
                placed[best] = true;
                seq[ns++] = best;
            }
    }
    for (size_t k = 0; k < ns; k++)
        pos[seq[k]] = k;

    /* Waves: a component comes one wave after the components it calls.
     * Levels: inside a component, one above the members it calls that
     * were placed before it. */
    unsigned *cwave = fc_xcalloc(nc + 1, sizeof *cwave);
    unsigned nwave = 0;
    for (size_t k = 0; k < ns; k++) {
        size_t v = seq[k];
        unsigned lv = 0;
        bool bk = false;
        for (size_t j = row[v]; j < row[v + 1]; j++) {
            size_t w = es[j].to;
            if (w == v)
                continue;
            if (comp[w] != comp[v]) {
                if (cwave[comp[w]] + 1 > cwave[comp[v]])
                    cwave[comp[v]] = cwave[comp[w]] + 1;
            } else if (pos[w] < k) {
                if (level[w] + 1 > lv)
                    lv = level[w] + 1;
            } else {
                bk = true;
            }
        }
        level[v] = lv;
        if (back)
            back[v] = bk;
    }
    for (size_t v = 0; v < n; v++) {
        wave[v] = cwave[comp[v]];
        if (wave[v] + 1 > nwave)
            nwave = wave[v] + 1;
    }
    free(cwave);

    free(es);
    free(row);
    free(rrow);
    free(rcol);
    free(rw);
    free(fill);
    free(idx);
    free(low);
    free(stk);
    free(call);
    free(it);
    free(comp);
    free(on);
    free(order);
    free(cstart);
    free(pos);
    free(placed);
    free(alive);
    free(infvs);
    free(seq);
    return nwave;
}

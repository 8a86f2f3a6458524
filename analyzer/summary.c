/*
 * analyzer/summary.c — the table of function summaries (summary.h): an open
 * addressing hash from clang USR to fc_summary, plus the process-wide
 * external provider (the on-disk cache) consulted on a miss.
 *
 * Why USRs: a function declared in a header and defined in another file has
 * the same USR in every translation unit, so a summary computed anywhere
 * applies at every call site.
 */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct entry {
    char *usr, *name;
    fc_summary sum;
    bool used;
} entry;

struct fc_summaries {
    entry *tab;
    size_t cap, n;
    /* provider answers are memoized here too (negative answers as well) */
};

static fc_summary_provider provider;
static void *provider_ctx;

void fc_summaries_set_provider(fc_summary_provider fn, void *ctx)
{
    provider = fn;
    provider_ctx = ctx;
}

static size_t hash(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

fc_summaries *fc_summaries_new(void)
{
    fc_summaries *s = fc_xcalloc(1, sizeof *s);
    s->cap = 64;
    s->tab = fc_xcalloc(s->cap, sizeof *s->tab);
    return s;
}

void fc_summaries_free(fc_summaries *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->cap; i++)
        if (s->tab[i].used) {
            free(s->tab[i].usr);
            free(s->tab[i].name);
        }
    free(s->tab);
    free(s);
}

static entry *find(const fc_summaries *s, const char *usr)
{
    size_t i = hash(usr) & (s->cap - 1);
    while (s->tab[i].used) {
        if (!strcmp(s->tab[i].usr, usr))
            return &s->tab[i];
        i = (i + 1) & (s->cap - 1);
    }
    return NULL;
}

const fc_summary *fc_summaries_get(const fc_summaries *s, const char *usr)
{
    if (!s || !usr || !*usr)
        return NULL;
    entry *e = find(s, usr);
    if (e)
        return &e->sum;
    if (provider) {
        fc_summary tmp;
        if (provider(provider_ctx, usr, &tmp)) {
            fc_summaries_put((fc_summaries *)s, usr, NULL, &tmp);
            e = find(s, usr);
            return e ? &e->sum : NULL;
        }
    }
    return NULL;
}

bool fc_summary_lookup(const fc_summaries *s, const char *usr, fc_summary *out)
{
    if (!usr || !*usr)
        return false;
    const fc_summary *e = s ? fc_summaries_get(s, usr) : NULL;
    if (e) {
        *out = *e;
        return true;
    }
    return !s && provider && provider(provider_ctx, usr, out);
}

void fc_summaries_put(fc_summaries *s, const char *usr, const char *name, const fc_summary *sum)
{
    if (!usr || !*usr)
        return;
    entry *e = find(s, usr);
    if (e) {
        e->sum = *sum;
        return;
    }
    if ((s->n + 1) * 2 > s->cap) {
        entry *old = s->tab;
        size_t ocap = s->cap;
        s->cap *= 2;
        s->tab = fc_xcalloc(s->cap, sizeof *s->tab);
        for (size_t i = 0; i < ocap; i++)
            if (old[i].used) {
                size_t j = hash(old[i].usr) & (s->cap - 1);
                while (s->tab[j].used)
                    j = (j + 1) & (s->cap - 1);
                s->tab[j] = old[i];
            }
        free(old);
    }
    size_t j = hash(usr) & (s->cap - 1);
    while (s->tab[j].used)
        j = (j + 1) & (s->cap - 1);
    s->tab[j].used = true;
    s->tab[j].usr = fc_xstrdup(usr);
    s->tab[j].name = fc_xstrdup(name ? name : "");
    s->tab[j].sum = *sum;
    s->n++;
}

void fc_summaries_each(const fc_summaries *s,
                       void (*fn)(void *ctx, const char *usr, const char *name, const fc_summary *sum),
                       void *ctx)
{
    for (size_t i = 0; i < s->cap; i++)
        if (s->tab[i].used)
            fn(ctx, s->tab[i].usr, s->tab[i].name, &s->tab[i].sum);
}

/*
 * analyzer/summary.h — what a function does to memory, as seen by its
 * callers.  Private to analyzer/.
 *
 * Before any function of a translation unit is checked, every function
 * defined in it is summarized (memcheck.c, callees first in call-graph
 * post-order): which parameters it frees on every path, which it frees on
 * some path or keeps (escape), whether it returns freshly allocated memory
 * that the caller must free, a pointer it freed, one of its parameters, or
 * always the same integer (a call to such a function folds as a constant in
 * conditions: Juliet's `staticReturnsTrue()`), and whether it never returns
 * (its callers' blocks end at the call).  For ferrum handle parameters it
 * also records which are dropped or consumed and which two are borrowed at
 * once (a caller giving the same handle for both is a borrow conflict).  The checks then use the summary at each
 * call site instead of treating the call as unknown.  Summaries are keyed by
 * the callee's clang USR, so they also work across files: an external
 * provider (summary_cache.c) can supply summaries of functions defined
 * elsewhere through fc_summaries_set_provider().
 */
#ifndef FC_SUMMARY_H
#define FC_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#define FC_SUM_MAX_PARAMS 32

typedef struct fc_summary {
    uint32_t frees;         /* bit i: parameter i is freed on every path */
    uint32_t may_free;      /* bit i: freed on some path */
    uint32_t escapes;       /* bit i: stored somewhere that outlives the call */
    uint32_t derefs;        /* bit i: dereferenced (a freed argument is a use) */
    bool returns_owned;     /* returns new heap memory (or NULL) the caller owns */
    bool returns_param;     /* returns (an alias of) parameter ret_param */
    unsigned ret_param;
    bool noreturn;          /* never returns */
    bool returns_freed;     /* returns a pointer to memory it freed (dangling) */
    bool returns_const;     /* every return returns the integer const_val */
    long long const_val;
    /* What a parameter points to, when that is a pointer (T **p, T *p[],
     * void *p): the callee's effect on the caller's `x` in f(&x) or on the
     * element of f(array) (memcheck.c). */
    uint32_t pt_frees;      /* bit i: *param i is freed on every path */
    uint32_t pt_may_free;   /* bit i: freed on some path */
    uint32_t pt_uses;       /* bit i: read through (a freed *param is a use) */
    uint32_t pt_keeps;      /* bit i: stored, overwritten or handed to unknown code */
    /* An allocation handed back through *param (`int mk(char **out) { *out =
     * malloc(n); ...}`, `int foo_new(struct foo **out)`): on every return
     * *param i holds new memory that nothing else keeps (the caller owns it,
     * live, NULL or freed on a failure path), NULL, or what the caller had
     * there; pt_owned_all: never what the caller had (always written). */
    uint32_t pt_owned;
    uint32_t pt_owned_all;
    uint8_t pt_status;      /* what the result says of the first pt_owned *param:
                               FC_PTST_* (NONE: never left unset) */
    uint8_t ret_family;     /* returns_owned: what the result is (memcheck.c's
                               enum family: 0 malloc, 1 FILE, 2 popen, 3 DIR) */
    uint8_t ret_nonheap;    /* every return returns the address of a global
                               (FC_RET_GLOBAL) or a string literal (FC_RET_LITERAL), or NULL */
    /* What it does to a pointer in a field of a parameter (b->data in
     * buf_destroy(b), s.first in f(s)) or in a global: up to FC_SUM_FIELDS,
     * each named by the parameter (FC_SUM_GLOBAL: none) and a hash of the
     * FieldDecl's (the global's) USR. */
    uint8_t nfields;
    struct fc_sum_field {
        uint32_t key;       /* fc_field_key() of the FieldDecl */
        uint8_t param;
        uint8_t eff;        /* FC_FE_* */
    } fields[4];
    /* ferrum handles (check_owner.c, fc_annot_apply): parameters of a
     * handle type, by value or by address. */
    bool h_known;           /* the h_ fields were computed from the body */
    uint32_t h_drops;       /* bit i: the handle of parameter i is dropped */
    uint32_t h_consumes;    /* bit i: moved (fr_move, FR_TAKES): the caller's copy is moved from */
    uint32_t h_escapes;     /* bit i: stored (a copy kept) or handed to code whose effect is unknown */
    uint8_t h_conflict_a, h_conflict_b; /* 1-based: these two handle parameters are
                                           borrowed at the same time (0: none) */
    uint8_t h_conflict_mut; /* 2: both borrows exclusive; 1: one exclusive, one shared */
    uint32_t h_borrows;     /* bit i: the handle of parameter i is borrowed (shared) */
    uint32_t h_borrows_mut; /* bit i: ... borrowed exclusively (results tested for NULL
                               do not count: a try-borrow expects a refusal) */
    uint8_t h_ret_borrow;   /* returns a borrow of a handle parameter that it leaves live
                               (an accessor: `return fr_borrow_mut(h);`): bits 0-4 the
                               parameter + 1 (0: none), bit 5 the borrow is exclusive */
    uint32_t h_region_ends; /* bit i: region parameter i is destroyed on every path (the
                               body's own statement fr_region_destroy(param)) */
} fc_summary;
#define FC_RET_BORROW_MUT 0x20u
/* pt_status: 0 set on every return; NZ: a nonzero result says it was not
 * set, 0 that it was; NEG: a negative result says not set, >= 0 set (both:
 * failures are negative, success is 0); UNKNOWN: the result does not tell */
enum { FC_PTST_NONE = 0, FC_PTST_NZ = 1, FC_PTST_NEG = 2, FC_PTST_UNKNOWN = 4 };
enum { FC_RET_GLOBAL = 1, FC_RET_LITERAL = 2 };

#define FC_SUM_FIELDS 4
#define FC_SUM_GLOBAL 0xff  /* fields[].param: a global (key: its VarDecl's USR) */
/* FC_FE_RETURNED: every return returns this pointer (or NULL), as the
 * caller's field still holds it: a getter `return c->buf;` */
enum { FC_FE_FREES = 1, FC_FE_MAY_FREE = 2, FC_FE_USES = 4, FC_FE_KEEPS = 8, FC_FE_RETURNED = 64 };
/* fields[] entries with key 0 are not fields: parameter `param`'s fate
 * decided by the result (memcheck.c split_entries): freed when the result
 * is nonzero (TAKES), or kept only when it is 0 (KEEPS); NEG: every
 * nonzero result is negative, so `< 0` tells failure too. */
enum { FC_SPLIT_TAKES = 1, FC_SPLIT_KEEPS = 2, FC_SPLIT_NEG = 4 };

typedef struct fc_summaries fc_summaries;

fc_summaries *fc_summaries_new(void);
void fc_summaries_free(fc_summaries *s);
/* Look up by USR (then the provider).  NULL when unknown. */
const fc_summary *fc_summaries_get(const fc_summaries *s, const char *usr);
/* The same into *out, also without a table (s NULL: the provider only). */
bool fc_summary_lookup(const fc_summaries *s, const char *usr, fc_summary *out);
void fc_summaries_put(fc_summaries *s, const char *usr, const char *name, const fc_summary *sum);
/* Iterate (for writing a cache): calls fn for each stored summary. */
void fc_summaries_each(const fc_summaries *s,
                       void (*fn)(void *ctx, const char *usr, const char *name, const fc_summary *sum),
                       void *ctx);
/* An external source of summaries (on-disk cache, other files): consulted
 * when a USR is not in the table.  Process-wide; NULL to remove. */
typedef bool (*fc_summary_provider)(void *ctx, const char *usr, fc_summary *out);
void fc_summaries_set_provider(fc_summary_provider fn, void *ctx);

#endif /* FC_SUMMARY_H */

/*
 * analyzer/memcheck.c — the memory-state checker: use-after-free,
 * double-free, leak, free-nonheap and return-stack-address, and the function
 * summaries they use at call sites.
 *
 * How.  Every function is analyzed on its own CFG with the dataflow engine
 * (dataflow.c).  The abstract memory has
 *   - objects: one per allocation site (a call to malloc, strdup, fopen, a
 *     function summarized as returning owned memory, ...), one per local
 *     variable (its stack slot), one per global referenced, one for string
 *     literals and one per pointer parameter (the caller's memory);
 *   - places: the local variables and the fields `v.f` / `v->f` of local
 *     variables and parameters, each holding a value: a small set of objects
 *     it may point to, each with an offset class (start, interior, unknown),
 *     plus "may be NULL" and "may be something untracked" flags.
 * Each object carries its allocation state as a set {not yet allocated,
 * NULL (allocation failed), live, freed} and an escape flag (stored where
 * someone else may own it: a global, memory reachable from outside, an
 * unknown function's argument).  States join by union, so a fact that holds
 * on every path survives the join and one that holds on some paths shows as
 * a set with several members.  Findings are reported only when they hold on
 * every path reaching the statement ("must" facts: the object is freed and
 * not live, or live and not freed), which keeps the checker quiet on code
 * whose correctness depends on correlated conditions it cannot see.
 * Conditions on pointers (`if (!p)`, `p == NULL`, `(p = malloc(n)) != NULL`)
 * and on the status of asprintf / posix_memalign refine the states along
 * each edge and prune edges that cannot be taken.  realloc links the new
 * block to the old one: the old block is freed on the path where the new one
 * is not NULL and stays live on the other.
 *
 * Summaries.  Before checking, each function of the file is analyzed once
 * in call-graph post-order (callees first) to learn which parameters it
 * frees on every path, which it may free or keep, whether it returns a
 * parameter, and whether it returns new memory the caller owns; the
 * summaries replace the unknown-call rule at call sites.
 *
 * Bounds: the lattice has finite height (values hold at most FC_VT
 * targets, beyond that "untracked"), so the fixpoint is reached in a few
 * rounds; the engine caps visits per block anyway, and functions with more
 * than 4096 objects or places are skipped.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_ast.h"
#include "checks.h"
#include "dataflow.h"
#include "mc_form.h"
#include "memcheck.h"
#include "summary.h"
#include "util.h"
#include "walk.h"
#include "values.h"

/* ---- Abstract values and objects ---- */

#define FC_VT 6
/* fc_summary.derefs bit 31: the other bits were computed from the body */
#define FC_DEREFS_KNOWN (1u << 31)
#define FE_NOT_MUST 16
#define FE_SEEN 32
#define FC_MAX_INTS 12

enum { OFF_ZERO = 0, OFF_NONZERO = 1, OFF_UNKNOWN = 2 };
/* off[0] of a status value (n == 0, t[0] the block): what the failure
 * the status reports does to the block (QA5 S34); 0 for an allocation's
 * status (the block is not there) */
enum { ST_TAKES = 3, ST_KEEPS = 4 };
enum { F_UNK = 1, F_NULL = 2, F_ST_NEG = 4, F_ST_NZ = 8, F_OVF = 16,
       /* joined with a pointer no object stands for (an unknown call's
        * result, an untracked load): the targets are possible, not certain */
       F_PART = 32,
       /* a status that is nonzero on success: a flag holding a test of a
        * pointer against NULL (`bool ok = p != NULL`), t[0] p's block;
        * F_ST_NZ is the other polarity (`int err = (p == NULL)`) */
       F_ST_OK = 64 };

typedef struct val {
    uint16_t t[FC_VT];
    uint8_t off[FC_VT];
    uint8_t n, fl;
    /* "dangling": the value was passed to free (call id + 1) and the place
     * holding it was not written since, whatever it may point to.  A must
     * fact: it survives a join only when both sides carry it.  It keeps the
     * fact `free(n); n->next` where n may point to several objects (a list
     * walked in a loop), which the per-object states cannot. */
    uint16_t dang;
} val;

/* allocation state bits */
enum { S_UNALLOC = 1, S_NULL = 2, S_LIVE = 4, S_FREED = 8,
       /* freed, and no branch was taken since the free on that path: every
        * execution that reaches the free reaches here with the block freed
        * (a switch fall-through into a second free), so a second free is
        * certain even where other paths bring the block here live */
       S_SURE = 16,
       /* may not exist on this path for a reason the checker cannot read
        * (a failure status compared by an operator a macro builds): unlike
        * S_UNALLOC alone, no leak of it is certain (QA4 R2) */
       S_UNSURE = 32 };
/* escape bits */
/* E_REPORTED: a use or free of it was reported (no other is, from another
 * statement); E_LEAKED: its leak was reported (no other leak of it is,
 * but a later use after free or double free through another name still
 * is: QA12 R6, `if (c) p = malloc(5); if (d) p = malloc(18); free(p);
 * p[0] = 1` reports the first block's leak and the use) */
/* E_XESC: escaped otherwise than by a store into *param (summary mode: a
 * block that only *param holds at a return is the caller's, pt_owned) or
 * into a field of a block this function made and still holds alone
 * (s->name = strdup(n): freeing s then loses it, member_leak_check) */
enum { E_ESC = 1, E_STORED = 2, E_REPORTED = 4, E_LEAKED = 8, E_XESC = 16 };

typedef struct ost {
    uint8_t st, esc;
    uint16_t freed_at;   /* call site id + 1 of the (first) free on this path */
    uint16_t link;       /* realloc: the block this one replaces (obj id), 0: none */
    uint16_t pad;
} ost;

enum okind { O_NONE, O_HEAP, O_STACK, O_GLOBAL, O_STRLIT, O_PARAM };
enum family { FAM_MALLOC, FAM_FILE, FAM_PIPE, FAM_DIR };

typedef struct objinfo {
    uint8_t kind, family;
    int var;             /* O_STACK / O_PARAM: variable number */
    CXCursor site;       /* O_HEAP: the allocating call; O_GLOBAL: the VarDecl */
    const char *fname;   /* allocator name */
    CXCursor realloc_over; /* `p = realloc(p, n)` that overwrote a pointer to this block (a note for its leak) */
} objinfo;

typedef struct place {
    int var;             /* base variable */
    bool via_ptr;        /* v->f (memory reachable from outside) vs v.f */
    CXCursor field;      /* FieldDecl (null cursor for the variable itself) */
    int index;           /* a[index] of a local array only ever indexed by
                            constants (nothing else can reach it); -1: none;
                            -2: *param (field null); -3: a pointer global (var
                            -1, field: its VarDecl) */
} place;

/* ---- Models of library functions ---- */

enum mkind { M_ALLOC, M_FREE, M_REALLOC, M_CLOSE, M_ASPRINTF, M_PMEMALIGN, M_GETLINE, M_BORROW,
             M_ALLOC_IF_NULL /* new memory when argument `arg` is NULL, else that argument */,
             M_ALLOCA /* memory on the caller's stack: alloca, strdupa */ };

typedef struct model {
    const char *name;
    uint8_t kind, family;
    int8_t arg;      /* argument freed / written / aliased by the result (-1: none) */
} model;

static const model models[] = {
    { "malloc", M_ALLOC, FAM_MALLOC, -1 }, { "calloc", M_ALLOC, FAM_MALLOC, -1 },
    { "valloc", M_ALLOC, FAM_MALLOC, -1 }, { "pvalloc", M_ALLOC, FAM_MALLOC, -1 },
    { "aligned_alloc", M_ALLOC, FAM_MALLOC, -1 }, { "memalign", M_ALLOC, FAM_MALLOC, -1 },
    { "strdup", M_ALLOC, FAM_MALLOC, -1 }, { "strndup", M_ALLOC, FAM_MALLOC, -1 },
    { "__strdup", M_ALLOC, FAM_MALLOC, -1 }, { "__strndup", M_ALLOC, FAM_MALLOC, -1 },
    { "wcsdup", M_ALLOC, FAM_MALLOC, -1 }, { "get_current_dir_name", M_ALLOC, FAM_MALLOC, -1 },
    { "fr_malloc", M_ALLOC, FAM_MALLOC, -1 }, { "fr_calloc", M_ALLOC, FAM_MALLOC, -1 },
    { "fr_aligned_alloc", M_ALLOC, FAM_MALLOC, -1 },
    { "free", M_FREE, FAM_MALLOC, 0 }, { "cfree", M_FREE, FAM_MALLOC, 0 },
    { "free_sized", M_FREE, FAM_MALLOC, 0 }, { "free_aligned_sized", M_FREE, FAM_MALLOC, 0 },
    { "fr_free", M_FREE, FAM_MALLOC, 0 },
    /* GLib's allocator (g_free(NULL) does nothing, like free) */
    { "g_malloc", M_ALLOC, FAM_MALLOC, -1 }, { "g_malloc0", M_ALLOC, FAM_MALLOC, -1 },
    { "g_malloc_n", M_ALLOC, FAM_MALLOC, -1 }, { "g_malloc0_n", M_ALLOC, FAM_MALLOC, -1 },
    { "g_strdup", M_ALLOC, FAM_MALLOC, -1 }, { "g_strndup", M_ALLOC, FAM_MALLOC, -1 },
    { "g_strdup_printf", M_ALLOC, FAM_MALLOC, -1 }, { "g_memdup2", M_ALLOC, FAM_MALLOC, -1 },
    { "g_free", M_FREE, FAM_MALLOC, 0 }, { "g_realloc", M_REALLOC, FAM_MALLOC, 0 },
    { "realloc", M_REALLOC, FAM_MALLOC, 0 }, { "reallocarray", M_REALLOC, FAM_MALLOC, 0 },
    { "fr_realloc", M_REALLOC, FAM_MALLOC, 0 },
    { "fopen", M_ALLOC, FAM_FILE, -1 }, { "fopen64", M_ALLOC, FAM_FILE, -1 },
    { "fdopen", M_ALLOC, FAM_FILE, -1 }, { "tmpfile", M_ALLOC, FAM_FILE, -1 },
    { "fmemopen", M_ALLOC, FAM_FILE, -1 }, { "open_memstream", M_ALLOC, FAM_FILE, -1 },
    { "fclose", M_CLOSE, FAM_FILE, 0 },
    { "popen", M_ALLOC, FAM_PIPE, -1 }, { "pclose", M_CLOSE, FAM_PIPE, 0 },
    { "opendir", M_ALLOC, FAM_DIR, -1 }, { "fdopendir", M_ALLOC, FAM_DIR, -1 },
    { "closedir", M_CLOSE, FAM_DIR, 0 },
    { "asprintf", M_ASPRINTF, FAM_MALLOC, 0 }, { "vasprintf", M_ASPRINTF, FAM_MALLOC, 0 },
    { "posix_memalign", M_PMEMALIGN, FAM_MALLOC, 0 }, { "fr_posix_memalign", M_PMEMALIGN, FAM_MALLOC, 0 },
    { "getline", M_GETLINE, FAM_MALLOC, 0 }, { "getdelim", M_GETLINE, FAM_MALLOC, 0 },
    { "canonicalize_file_name", M_ALLOC, FAM_MALLOC, -1 },
    { "alloca", M_ALLOCA, FAM_MALLOC, -1 }, { "__builtin_alloca", M_ALLOCA, FAM_MALLOC, -1 },
    { "__builtin_alloca_with_align", M_ALLOCA, FAM_MALLOC, -1 },
    { "realpath", M_ALLOC_IF_NULL, FAM_MALLOC, 1 }, { "getcwd", M_ALLOC_IF_NULL, FAM_MALLOC, 0 },
    /* getaddrinfo(node, service, hints, &res): 0 on success, res owned */
    { "getaddrinfo", M_PMEMALIGN, FAM_MALLOC, 3 }, { "freeaddrinfo", M_FREE, FAM_MALLOC, 0 },
    /* functions that use their pointer arguments without keeping or freeing them;
     * `arg` >= 0: the result points into that argument */
    { "strchr", M_BORROW, 0, 0 }, { "strrchr", M_BORROW, 0, 0 }, { "strstr", M_BORROW, 0, 0 },
    { "strpbrk", M_BORROW, 0, 0 }, { "memchr", M_BORROW, 0, 0 }, { "memrchr", M_BORROW, 0, 0 },
    { "strchrnul", M_BORROW, 0, 0 }, { "rawmemchr", M_BORROW, 0, 0 }, { "strcasestr", M_BORROW, 0, 0 },
    { "strcpy", M_BORROW, 0, 0 }, { "strncpy", M_BORROW, 0, 0 }, { "strcat", M_BORROW, 0, 0 },
    { "strncat", M_BORROW, 0, 0 }, { "memcpy", M_BORROW, 0, 0 }, { "memmove", M_BORROW, 0, 0 },
    { "memset", M_BORROW, 0, 0 }, { "stpcpy", M_BORROW, 0, -1 }, { "strtok", M_BORROW, 0, 0 },
    { "strtok_r", M_BORROW, 0, 0 }, { "strsep", M_BORROW, 0, -1 }, { "fgets", M_BORROW, 0, 0 },
    { "strlen", M_BORROW, 0, -1 }, { "strnlen", M_BORROW, 0, -1 }, { "strcmp", M_BORROW, 0, -1 },
    { "strncmp", M_BORROW, 0, -1 }, { "strcasecmp", M_BORROW, 0, -1 }, { "strncasecmp", M_BORROW, 0, -1 },
    { "memcmp", M_BORROW, 0, -1 }, { "strcoll", M_BORROW, 0, -1 }, { "strspn", M_BORROW, 0, -1 },
    { "strcspn", M_BORROW, 0, -1 }, { "printf", M_BORROW, 0, -1 }, { "fprintf", M_BORROW, 0, -1 },
    { "sprintf", M_BORROW, 0, -1 }, { "snprintf", M_BORROW, 0, -1 }, { "vprintf", M_BORROW, 0, -1 },
    { "vfprintf", M_BORROW, 0, -1 }, { "vsprintf", M_BORROW, 0, -1 }, { "vsnprintf", M_BORROW, 0, -1 },
    { "dprintf", M_BORROW, 0, -1 }, { "puts", M_BORROW, 0, -1 }, { "fputs", M_BORROW, 0, -1 },
    { "fputc", M_BORROW, 0, -1 }, { "putc", M_BORROW, 0, -1 }, { "fgetc", M_BORROW, 0, -1 },
    { "getc", M_BORROW, 0, -1 }, { "ungetc", M_BORROW, 0, -1 }, { "fwrite", M_BORROW, 0, -1 },
    { "fread", M_BORROW, 0, -1 }, { "fflush", M_BORROW, 0, -1 }, { "fseek", M_BORROW, 0, -1 },
    { "ftell", M_BORROW, 0, -1 }, { "fseeko", M_BORROW, 0, -1 }, { "ftello", M_BORROW, 0, -1 },
    { "rewind", M_BORROW, 0, -1 }, { "feof", M_BORROW, 0, -1 }, { "ferror", M_BORROW, 0, -1 },
    { "clearerr", M_BORROW, 0, -1 }, { "fileno", M_BORROW, 0, -1 }, { "setvbuf", M_BORROW, 0, -1 },
    { "setbuf", M_BORROW, 0, -1 }, { "fscanf", M_BORROW, 0, -1 }, { "sscanf", M_BORROW, 0, -1 },
    { "scanf", M_BORROW, 0, -1 }, { "perror", M_BORROW, 0, -1 }, { "atoi", M_BORROW, 0, -1 },
    { "atol", M_BORROW, 0, -1 }, { "atoll", M_BORROW, 0, -1 }, { "atof", M_BORROW, 0, -1 },
    { "strtol", M_BORROW, 0, -1 }, { "strtoul", M_BORROW, 0, -1 }, { "strtoll", M_BORROW, 0, -1 },
    { "strtoull", M_BORROW, 0, -1 }, { "strtod", M_BORROW, 0, -1 }, { "strtof", M_BORROW, 0, -1 },
    { "qsort", M_BORROW, 0, -1 }, { "bsearch", M_BORROW, 0, -1 }, { "read", M_BORROW, 0, -1 },
    { "write", M_BORROW, 0, -1 }, { "pread", M_BORROW, 0, -1 }, { "pwrite", M_BORROW, 0, -1 },
    { "open", M_BORROW, 0, -1 }, { "stat", M_BORROW, 0, -1 }, { "lstat", M_BORROW, 0, -1 },
    { "fstat", M_BORROW, 0, -1 }, { "access", M_BORROW, 0, -1 }, { "unlink", M_BORROW, 0, -1 },
    { "remove", M_BORROW, 0, -1 }, { "rename", M_BORROW, 0, -1 }, { "mkdir", M_BORROW, 0, -1 },
    { "getenv", M_BORROW, 0, -1 }, { "readdir", M_BORROW, 0, -1 }, { "fputws", M_BORROW, 0, -1 },
    { "wcslen", M_BORROW, 0, -1 }, { "wcscpy", M_BORROW, 0, 0 }, { "wcsncpy", M_BORROW, 0, 0 },
    { "wmemset", M_BORROW, 0, 0 }, { "wmemcpy", M_BORROW, 0, 0 }, { "wprintf", M_BORROW, 0, -1 },
    { "swprintf", M_BORROW, 0, -1 }, { "printLine", M_BORROW, 0, -1 }, { "printWLine", M_BORROW, 0, -1 },
    { "printIntLine", M_BORROW, 0, -1 }, { "printHexCharLine", M_BORROW, 0, -1 },
    { "printStructLine", M_BORROW, 0, -1 }, { "printLongLongLine", M_BORROW, 0, -1 },
    { "memcpy_s", M_BORROW, 0, -1 }, { "bzero", M_BORROW, 0, -1 }, { "explicit_bzero", M_BORROW, 0, -1 },
    { "strerror", M_BORROW, 0, -1 }, { "tolower", M_BORROW, 0, -1 }, { "toupper", M_BORROW, 0, -1 },
    { "__builtin_memcpy", M_BORROW, 0, 0 }, { "__builtin_memset", M_BORROW, 0, 0 },
    { "__builtin_strlen", M_BORROW, 0, -1 }, { "__builtin_expect", M_BORROW, 0, 0 },
    { "__builtin___memcpy_chk", M_BORROW, 0, 0 }, { "__builtin___strcpy_chk", M_BORROW, 0, 0 },
    { "__builtin___sprintf_chk", M_BORROW, 0, -1 }, { "__builtin___snprintf_chk", M_BORROW, 0, -1 },
    { "__builtin___memset_chk", M_BORROW, 0, 0 }, { "__builtin___memmove_chk", M_BORROW, 0, 0 },
    { "__builtin_object_size", M_BORROW, 0, -1 },
};

static int cmp_model(const void *a, const void *b)
{
    return strcmp(((const model *)a)->name, ((const model *)b)->name);
}

/* Models by name: the table sorted once, then binary search. */
static const model *find_model(const char *name)
{
    static model sorted[sizeof models / sizeof models[0]];
    static bool ready;
    if (!name)
        return NULL;
    if (!ready) {
        memcpy(sorted, models, sizeof models);
        qsort(sorted, sizeof sorted / sizeof sorted[0], sizeof sorted[0], cmp_model);
        ready = true;
    }
    model key = { name, 0, 0, 0 };
    return bsearch(&key, sorted, sizeof sorted / sizeof sorted[0], sizeof sorted[0], cmp_model);
}

/* Callees declared with GCC's __attribute__((malloc)) (fill_callinfo). */
static const model malloc_attr_model = { "malloc-attribute", M_ALLOC, FAM_MALLOC, -1 };

/* ---- Call sites ---- */

typedef struct callinfo {
    CXCursor decl;              /* callee, null cursor when indirect */
    const char *name;           /* interned callee name, NULL when indirect */
    const model *md;            /* library model, if any */
    const fc_summary *sum;      /* summary, if any (and no model): points to sumv */
    fc_summary sumv;            /* a copy: fc_summaries_get's pointers move when the
                                   table grows (a provider answer is memoized there) */
} callinfo;

/* ---- The checker's context ---- */

typedef struct mc {
    fc_func *fn;
    fc_mform *mf;           /* what each expression is, read once (mc_form.h) */
    fc_diag_sink *sink;
    const struct fc_options *opts;
    bool summary_mode;      /* computing a summary: no findings ... */
    bool check_too;         /* ... unless this is also the function's check */
    bool report;            /* the engine's report pass */
    unsigned again_obj;     /* M_ALLOC: its site's block was certainly live when this call made the next one */
    unsigned again_assign;  /* assign_place: the value assigned is that next block (again_obj) */
    bool *kept_reported;    /* [nplaces] a local's address kept there was reported (mc_at_return) */
    signed char *main_outer; /* main() only, [nvars]: 1 a parameter or a local of the body's outermost
                                block (in scope at every return), 0 another; NULL: not computed */
    unsigned nplaces, nobjs;
    place *places;
    objinfo *objs;
    unsigned param_base, strlit_obj;
    unsigned *stack_obj;    /* [nvars] object of the variable's storage, 0: not tracked */
    bool *needs_stack;      /* [nvars] arrays and variables whose address is taken */
    bool *addr_scalar;      /* [nvars] non-array variables whose address is taken */
    bool any_addr_scalar;
    fc_cmap *member_place;  /* MemberRefExpr -> place id */
    fc_cmap *site_obj;      /* CallExpr -> heap obj id */
    fc_cmap *global_obj;    /* VarDecl -> global obj id */
    fc_cmap *call_id;       /* CallExpr -> call site id */
    CXCursor *calls;
    callinfo *callinfos;        /* [ncalls] */
    unsigned ncalls;
    unsigned *var_fields;   /* flat: per variable, list of field places */
    unsigned *var_fields_start; /* [nvars+1] */
    bool *addr_taken;       /* [nvars] */
    bool *auto_freed;       /* [nvars] __attribute__((cleanup(f))) with an f that frees */
    unsigned *field_obj;    /* [nfields] object of the caller's pointer in that field, 0: none */
    bool has_ptr_fields;
    bool has_elems;         /* some places are array elements (place.index) */
    bool has_gplaces;       /* some places are pointer globals (place.index -3, var -1) */
    bool setup_done;        /* places and objects are final (place_of may keep its answers) */
    bool has_complit;       /* the body has a compound literal ((int[]){1, 2}: automatic storage) */
    unsigned *pt_place;     /* [nparams] place of *param (pt_eligible), 0: none */
    uint32_t pt_sub_ok;     /* bit i: param i is indexed by one constant only: p[k] is *param */
    unsigned *obj_place;    /* [nobjs] the field place whose caller's pointer an object is, 0: none */
    uint32_t *place_key;    /* [nplaces] fc_field_key of a field place, 0: not computed */
    int text_place;         /* >= 0: findings name this place (b->data, a global), not the argument */
    const char *skip_reason;    /* why mc_setup refused the function (skip_note) */
    bool no_dang;           /* release() of what an argument points to, not of the argument itself */
    uint8_t *fe_acc;        /* [nplaces] summary: FC_FE_* seen for a parameter's field (FE_NOT_MUST: live on a path) */
    uint32_t sum_pt_must, sum_pt_may, sum_pt_uses, sum_pt_keeps;
    /* pt_owned: *param i holds only new memory nothing else keeps, NULL or
     * the caller's value at every return (ok), new memory at some (seen),
     * the caller's value at some (same) */
    uint32_t sum_pt_own_ok, sum_pt_own_seen, sum_pt_own_same;
    /* ... and what the result says of it (pt_status): at the returns where
     * *param i may hold the new block (set) or may not (unset), every result
     * was 0 / nonzero / negative; or some result is not a constant */
    uint32_t pst_set_zero, pst_set_seen, pst_unset_nz, pst_unset_neg, pst_unset_seen, pst_unknown;
    bool pt_store;          /* escape(): a store into *param or into a field of a
                               block of this function's that did not escape (no E_XESC) */
    size_t state_size;
    /* the objects a free made S_SURE in some state of this run (the only
     * place the bit is set): a branch clears it on these alone */
    uint16_t *sure_objs;
    unsigned nsure;
    uint8_t *sure_seen;     /* [nobjs] */
    /* what an unknown call may change, listed once (unknown_call_effects):
     * the variables whose address is taken, the fields reached through
     * pointers */
    unsigned *addr_vars, naddr_vars, *ptr_fields, nptr_fields;
    bool clobber_lists;
    /* integer facts (values.h): the integer variables the function's
     * branches test, each with a range per state after places and objects */
    unsigned nints;
    CXCursor int_decl[FC_MAX_INTS]; /* canonical VarDecl / ParmDecl */
    bool int_global[FC_MAX_INTS];   /* a global or static: calls may write it */
    int64_t int_umax[FC_MAX_INTS];  /* unsigned: the type's maximum; 0 for signed */
    size_t ival_off;
    int8_t *int_of_var;             /* [nvars] tracked integer of a local, -1: none */
    unsigned int_nglobal;           /* how many tracked integers are globals or statics */
    int int_ptrvar[FC_MAX_INTS];    /* a tracked pointer local (its nullness): its variable, -1: an integer */
    bool want_ptrs;                 /* collect_ints' second pass: pointer locals may be tracked */
    uint16_t *int_later;            /* [nblocks] the integers tested from there on */
    struct icond *icond;            /* [nblocks] each branch's test, read once */
    /* last values seen (for edge refinement of calls in conditions) */
    CXCursor last_call[8];
    val last_val[8];
    unsigned nlast;
    val ret_val;
    bool ret_set;
    /* summary facts */
    fc_summary sum;
    bool sum_any_return, sum_ret_owned_ok, sum_ret_owned_seen, sum_ret_param_ok;
    int sum_ret_family;     /* the family of the blocks returned (-1: none yet) */
    int sum_ret_nonheap;    /* FC_RET_* of every return so far (-1: none yet, 0: not one) */
    int sum_ret_param;
    bool sum_ret_field_ok;  /* every return returns the pointer in one field of a parameter (or NULL) */
    int sum_ret_field;      /* its place */
    uint32_t sum_ret_null_params; /* the parameters NULL at every `return NULL` */
    /* parameters by the integer constant returned (summary_split_entries) */
    bool split_all_const, split_fail_seen, split_ok_seen, split_fail_pos;
    uint32_t split_fail_freed, split_fail_some_freed, split_fail_some_live, split_fail_untouched, split_ok_freed,
        split_ok_stored;
    uint32_t sum_must_free, sum_may_free, sum_escape, sum_uses;
    bool sum_const_ok, sum_const_seen, sum_freed_ok, sum_freed_seen;
    long long sum_const;
} mc;

#define PLACES(S) ((val *)(S))
#define OBJS(m, S) ((ost *)((unsigned char *)(S) + (size_t)(m)->nplaces * sizeof(val)))
#define IVALS(m, S) ((fc_ival *)((unsigned char *)(S) + (m)->ival_off))

/* clang_equalCursors without the call (about 40 instructions a call, and
 * the checker compares field declarations in loops over its places): a
 * declaration's data[1] is not compared, as libclang does not. */
static inline bool same_cursor(CXCursor a, CXCursor b)
{
    if (a.kind != b.kind || a.data[0] != b.data[0] || a.data[2] != b.data[2])
        return false;
    bool decl = (a.kind >= CXCursor_FirstDecl && a.kind <= CXCursor_LastDecl) ||
                (a.kind >= CXCursor_FirstExtraDecl && a.kind <= CXCursor_LastExtraDecl);
    return decl || a.data[1] == b.data[1];
}

/* ---- Value helpers ---- */

static val v_none(void)
{
    val v;
    memset(&v, 0, sizeof v);
    return v;
}

static val v_obj(unsigned o, uint8_t off)
{
    val v = v_none();
    v.t[0] = (uint16_t)o;
    v.off[0] = off;
    v.n = 1;
    return v;
}

static void v_add(val *v, uint16_t o, uint8_t off)
{
    for (unsigned i = 0; i < v->n; i++)
        if (v->t[i] == o) {
            if (v->off[i] != off)
                v->off[i] = OFF_UNKNOWN;
            return;
        }
    if (v->n == FC_VT) {
        v->fl |= F_UNK | F_OVF;
        return;
    }
    v->t[v->n] = o;
    v->off[v->n] = off;
    v->n++;
}

static val v_join(val a, const val *b)
{
    /* a flag that tests a pointer on one path and is another value on the
     * other (`int err = !p; if (!err) err = f();`) tests nothing after the
     * join (QA15 R6: the leak on f()'s failure was lost) */
    const uint8_t st = F_ST_NEG | F_ST_NZ | F_ST_OK;
    bool st_differ = !a.n && !b->n && (a.fl & st) != (b->fl & st) && ((a.fl | b->fl) & (F_ST_NZ | F_ST_OK)) &&
                     !((a.fl | b->fl) & F_ST_NEG);
    if (!a.n != !b->n && !((a.n ? b->fl : a.fl) & (F_NULL | F_UNK)))
        a.fl |= F_PART;
    /* NULL on one side, a pointer no object stands for on the other (an
     * untracked load: `prev = NULL; ... prev = arr[i];`): not certainly
     * NULL after the join (QA16 Z4: `if (prev)` was a dead edge) */
    const uint8_t nk = F_NULL | F_UNK | st;
    if (!a.n && !b->n && ((a.fl & nk) == F_NULL) != ((b->fl & nk) == F_NULL) && (!(a.fl & nk) || !(b->fl & nk)))
        a.fl |= F_UNK;
    for (unsigned i = 0; i < b->n; i++)
        v_add(&a, b->t[i], b->off[i]);
    a.fl |= b->fl;
    if (st_differ)
        a.fl &= (uint8_t)~st;
    if (!b->dang)
        a.dang = 0;
    return a;
}

static bool v_has(const val *v, unsigned o)
{
    for (unsigned i = 0; i < v->n; i++)
        if (v->t[i] == o)
            return true;
    return false;
}

static val v_offset(val v, uint8_t how)
{
    for (unsigned i = 0; i < v.n; i++)
        v.off[i] = how == OFF_NONZERO && v.off[i] == OFF_ZERO ? OFF_NONZERO : OFF_UNKNOWN;
    v.fl &= (uint8_t)~(F_ST_NEG | F_ST_NZ | F_ST_OK);
    return v;
}

static bool is_tracked_heap(const mc *m, unsigned o)
{
    return o && o < m->nobjs && (m->objs[o].kind == O_HEAP || m->objs[o].kind == O_PARAM);
}

/* ---- Findings ---- */

static bool emitting(const mc *m)
{
    return m->report && (!m->summary_mode || m->check_too) && m->sink;
}

static void note_alloc(const mc *m, fc_finding *f, unsigned o)
{
    const objinfo *oi = &m->objs[o];
    if (oi->kind == O_HEAP && oi->family != FAM_MALLOC)
        fc_finding_note(f, fc_loc_of(oi->site), "opened here", "it was opened here by '%s'",
                        oi->fname ? oi->fname : "?");
    else if (oi->kind == O_HEAP)
        fc_finding_note(f, fc_loc_of(oi->site), "memory allocated here", "memory was allocated here by '%s'",
                        oi->fname ? oi->fname : "?");
}

static void note_freed(const mc *m, fc_finding *f, const ost *os, bool is_close)
{
    if (!os->freed_at || os->freed_at > m->ncalls)
        return;
    const callinfo *ci = &m->callinfos[os->freed_at - 1];
    if (!ci->md && ci->sum && ci->sum->may_free && !ci->sum->frees && ci->name)
        /* a callee whose summary frees the argument on some of its paths
         * only (QA8 V20): the finding rests on that call */
        fc_finding_note(f, fc_loc_of(m->calls[os->freed_at - 1]), "may free it",
                        "'%s' may free it here: it frees this argument on some of its paths, and the "
                        "checker cannot tell which path this call takes", ci->name);
    else
        fc_finding_note(f, fc_loc_of(m->calls[os->freed_at - 1]),
                        is_close ? "closed here" : "memory freed here",
                        is_close ? "it was closed here" : "it was freed here");
}

/* `x`, `x.f`, `x->f.g` built from the AST: the name as the argument of a
 * macro spells it (MYFREE(buf) names 'buf', not the macro), or NULL. */
static bool name_text(CXCursor e, fc_buf *b, int depth)
{
    e = fc_strip(e);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_DeclRefExpr) {
        CXCursor d = fc_referenced(e);
        enum CXCursorKind dk = clang_getCursorKind(d);
        if (dk != CXCursor_VarDecl && dk != CXCursor_ParmDecl)
            return false;
        fc_buf_puts(b, fc_intern_cx(clang_getCursorSpelling(d)));
        return true;
    }
    if (k != CXCursor_MemberRefExpr || depth > 8)
        return false;
    CXCursor kk[1];
    if (fc_children(e, kk, 1) != 1 || !name_text(kk[0], b, depth + 1))
        return false;
    CXType bt = fc_canon_type_of(fc_strip(kk[0]));
    fc_buf_puts(b, bt.kind == CXType_Pointer ? "->" : ".");
    fc_buf_puts(b, fc_intern_cx(clang_getCursorSpelling(e)));
    return true;
}

static char *text_of(const mc *m, CXCursor e)
{
    if (m->text_place >= 0) {
        /* b->data, s.first, or a global's name, built only for a finding */
        const place *pl = &m->places[m->text_place];
        char nm[200];
        if (pl->var < 0)
            snprintf(nm, sizeof nm, "%s", fc_intern_cx(clang_getCursorSpelling(pl->field)));
        else
            snprintf(nm, sizeof nm, "%s%s%s", fc_intern_cx(clang_getCursorSpelling(m->fn->vars[pl->var])),
                     pl->via_ptr ? "->" : ".", fc_intern_cx(clang_getCursorSpelling(pl->field)));
        return fc_xstrdup(nm);
    }
    fc_buf b = { 0 };
    if (name_text(e, &b, 0) && b.data && b.len <= 48)
        return b.data;
    free(b.data);
    return fc_expr_text(m->fn->tu, e, 48);
}

/* A finding marks the objects it names so that later statements do not
 * report the same bug again; the mark remembers the statement that reported
 * (a loop brings the mark back to that same statement, which must still
 * report). */
static uint16_t site_id(CXCursor c)
{
    uintptr_t p = (uintptr_t)c.data[1];
    uint16_t h = (uint16_t)((p >> 3) ^ (p >> 19) ^ (p >> 35));
    return h ? h : 1;
}

static uint16_t cur_site;   /* id of the statement being checked */

static bool reported_elsewhere(const ost *s)
{
    return (s->esc & E_REPORTED) && s->pad != cur_site;
}

/* Its leak, or a use or free of it, was reported from another statement. */
static bool leak_reported_elsewhere(const ost *s)
{
    return (s->esc & (E_REPORTED | E_LEAKED)) && s->pad != cur_site;
}

static void mark_one(ost *s)
{
    s->esc |= E_REPORTED;
    s->pad = cur_site;
}

/* A pointer no object stands for (loaded from memory the function does
 * not track: arr[i], t->buckets[h]), not NULL and no status flag: freeing
 * it leaves its local dangling all the same (QA16 Z4). */
static bool untracked_ptr(const val *v)
{
    return v->n == 0 && !(v->fl & (F_NULL | F_ST_NEG | F_ST_NZ | F_ST_OK));
}

/* A dangling value (see val.dang) whose targets are all tracked, or that
 * has none (untracked_ptr: the dang mark alone says it was freed). */
static bool dangling(const mc *m, const ost *O, const val *v)
{
    if (!v->dang)
        return false;
    if (v->n == 0)
        return untracked_ptr(v);
    for (unsigned i = 0; i < v->n; i++)
        if (!is_tracked_heap(m, v->t[i]) || reported_elsewhere(&O[v->t[i]]))
            return false;
    return true;
}

/* The object state to quote in the "freed here" note. */
static ost freed_state(const ost *O, const val *v)
{
    ost s = O[v->t[0]];
    if (v->dang && (!(s.st & S_FREED) || (s.st & S_LIVE) || !s.freed_at))
        s.freed_at = v->dang;
    return s;
}

/* All targets freed on every path (and none live). */
static bool must_freed(const mc *m, const ost *O, const val *v, bool sure_ok)
{
    if (dangling(m, O, v))
        return true;
    if (v->n == 0 || (v->fl & (F_UNK | F_PART)))
        return false;
    for (unsigned i = 0; i < v->n; i++) {
        unsigned o = v->t[i];
        if (!is_tracked_heap(m, o))
            return false;
        const ost *s = &O[o];
        if (sure_ok && (s->st & S_SURE) && !reported_elsewhere(s))
            continue;
        if (!(s->st & S_FREED) || (s->st & (S_LIVE | S_UNALLOC)) || reported_elsewhere(s))
            return false;
    }
    return true;
}

static void mark_reported(ost *O, const val *v)
{
    for (unsigned i = 0; i < v->n; i++)
        mark_one(&O[v->t[i]]);
}

/* A finding on a value with no object to mark (untracked_ptr): the locals
 * left dangling by that free are no longer, so it is reported once. */
static void undangle(const mc *m, unsigned char *S, const val *v)
{
    if (v->n || !v->dang)
        return;
    val *P = PLACES(S);
    for (unsigned p = 0; p < m->fn->nvars; p++)
        if (P[p].n == 0 && P[p].dang == v->dang)
            P[p].dang = 0;
}

static void use_check(mc *m, unsigned char *S, const val *v, CXCursor where, CXCursor expr, const char *callee)
{
    if (m->summary_mode)
        for (unsigned i = 0; i < v->n; i++) {
            if (v->t[i] >= m->param_base && v->t[i] < m->param_base + m->fn->nparams && v->t[i] - m->param_base < 31)
                m->sum_uses |= 1u << (v->t[i] - m->param_base);
            for (unsigned k = 0; m->pt_place && k < m->fn->nparams && k < 31; k++)
                if (m->pt_place[k] && v->t[i] == m->field_obj[m->pt_place[k] - m->fn->nvars])
                    m->sum_pt_uses |= 1u << k;
            if (m->fe_acc && m->obj_place && v->t[i] < m->nobjs && m->obj_place[v->t[i]])
                m->fe_acc[m->obj_place[v->t[i]]] |= FC_FE_USES;
        }
    if (!m->sink || !fc_check_enabled(m->opts, "use-after-free"))
        return;
    ost *O = OBJS(m, S);
    cur_site = site_id(where);
    if (!must_freed(m, O, v, false))
        return;
    if (emitting(m)) {
        unsigned o = v->t[0];
        bool file = m->objs[o].kind == O_HEAP && m->objs[o].family != FAM_MALLOC;
        char *t = text_of(m, expr);
        fc_finding *f;
        if (callee && !strcmp(callee, "?"))
            f = fc_finding_new("use-after-free", fc_loc_of(where), "value used here after free",
                               "'%s' is passed to a function pointer after it was %s", t, file ? "closed" : "freed");
        else if (callee)
            f = fc_finding_new("use-after-free", fc_loc_of(where), "value used here after free",
                               "'%s' is passed to '%s' after it was %s", t, callee, file ? "closed" : "freed");
        else
            f = fc_finding_new("use-after-free", fc_loc_of(where), "value used here after free",
                               "'%s' is used after it was %s", t, file ? "closed" : "freed");
        ost fs = freed_state(O, v);
        note_freed(m, f, &fs, file);
        note_alloc(m, f, o);
        fc_diag_emit(m->sink, f);
        free(t);
    }
    mark_reported(O, v);
    undangle(m, S, v);
}

static const char *objname(const mc *m, unsigned o)
{
    const objinfo *oi = &m->objs[o];
    if ((oi->kind == O_STACK || oi->kind == O_PARAM) && oi->var >= 0)
        return fc_intern_cx(clang_getCursorSpelling(m->fn->vars[oi->var]));
    if (oi->kind == O_GLOBAL)
        return fc_intern_cx(clang_getCursorSpelling(oi->site));
    return "";
}

static int place_of(mc *m, CXCursor e);

/* free / fclose / a summarized function that frees: `v` is released. */
/* free-nonheap: every target of v is the stack, a global or a literal, or
 * v points into the middle of a live block.  Reported (once per site) when
 * so; true then: the caller does nothing more with v.  Also realloc's
 * argument (QA5 S21 addendum, Q14). */
static bool nonheap_check(mc *m, unsigned char *S, const val *vp, CXCursor call, CXCursor arg, const char *via)
{
    ost *O = OBJS(m, S);
    val v = *vp;
    if (v.n == 0 || (v.fl & (F_UNK | F_PART)))
        return false;
    cur_site = site_id(call);
    bool all_nonheap = true;
    for (unsigned i = 0; i < v.n; i++) {
        uint8_t k = m->objs[v.t[i]].kind;
        if (k != O_STACK && k != O_GLOBAL && k != O_STRLIT)
            all_nonheap = false;
    }
    bool interior = v.n == 1 && m->objs[v.t[0]].kind == O_HEAP && v.off[0] == OFF_NONZERO &&
                    !reported_elsewhere(&O[v.t[0]]) && (O[v.t[0]].st & S_LIVE) &&
                    !(O[v.t[0]].st & (S_FREED | S_UNALLOC));
    /* free(m->text), text an array member of the caller's struct at a
     * nonzero offset: never the start of a block (QA16 Z7: it freed m) */
    if (!interior && v.n == 1 && m->objs[v.t[0]].kind == O_PARAM && v.off[0] == OFF_NONZERO &&
        !reported_elsewhere(&O[v.t[0]]) && !(O[v.t[0]].st & S_FREED)) {
        CXCursor a = fc_mf_strip(m->mf, arg), kk[1];
        interior = clang_getCursorKind(a) == CXCursor_MemberRefExpr &&
                   fc_mf_kind_is_array(fc_mf_canon(m->mf, a).kind) && fc_mf_children(m->mf, a, kk, 1) == 1 &&
                   fc_mf_canon(m->mf, kk[0]).kind == CXType_Pointer &&
                   clang_Cursor_getOffsetOfField(fc_mf_referenced(m->mf, a)) > 0;
    }
    if ((all_nonheap || interior) && fc_check_enabled(m->opts, "free-nonheap")) {
        if (emitting(m)) {
            unsigned o = v.t[0];
            const objinfo *oi = &m->objs[o];
            char *t = text_of(m, arg);
            fc_finding *f;
            const char *fn = via ? via : "free";
            if (interior) {
                f = fc_finding_new("free-nonheap", fc_loc_of(call), "pointer into the middle of a block",
                                   "'%s' passed to '%s' points into the middle of an allocated block", t, fn);
                note_alloc(m, f, o);
            } else if (oi->kind == O_STACK && oi->var < 0) {
                f = fc_finding_new("free-nonheap", fc_loc_of(call), "stack memory freed here",
                                   "'%s' passed to '%s' points to stack memory from '%s'", t, fn,
                                   oi->fname ? oi->fname : "alloca");
                fc_finding_note(f, fc_loc_of(oi->site), "allocated here", "it was allocated on the stack here");
            } else if (oi->kind == O_STACK) {
                f = fc_finding_new("free-nonheap", fc_loc_of(call), "stack memory freed here",
                                   "'%s' passed to '%s' points to the stack variable '%s'", t, fn, objname(m, o));
                fc_finding_note(f, fc_loc_of(m->fn->vars[oi->var]), "declared here", "'%s' is declared here",
                                objname(m, o));
            } else if (oi->kind == O_GLOBAL && clang_getCursorKind(oi->site) == CXCursor_CallExpr) {
                f = fc_finding_new("free-nonheap", fc_loc_of(call), "global memory freed here",
                                   "'%s' passed to '%s' points to global memory returned by '%s'", t, fn,
                                   oi->fname ? oi->fname : "?");
            } else if (oi->kind == O_GLOBAL) {
                f = fc_finding_new("free-nonheap", fc_loc_of(call), "global memory freed here",
                                   "'%s' passed to '%s' points to the global '%s'", t, fn, objname(m, o));
            } else {
                f = fc_finding_new("free-nonheap", fc_loc_of(call), "string literal freed here",
                                   "'%s' passed to '%s' is a string literal", t, fn);
            }
            fc_diag_emit(m->sink, f);
            free(t);
        }
        if (interior)
            mark_one(&O[v.t[0]]);
        return true;
    }
    return false;
}

static bool in_local_block(const mc *m, const unsigned char *S, unsigned p);
static void report_leak(mc *m, unsigned char *S, unsigned o, fc_loc where, const char *how, const char *who);

/* free(s) of block b while s->f holds the only pointer to another block
 * this function made, stored there only (no E_XESC): that block is lost
 * with s (QA13 X7: `s->name = strdup(n); free(s);`, a member forgotten in a
 * destroy path; gcc -fanalyzer reports it). */
static void member_leak_check(mc *m, unsigned char *S, unsigned b, CXCursor call)
{
    val *P = PLACES(S);
    ost *O = OBJS(m, S);
    for (unsigned q = m->fn->nvars; q < m->nplaces; q++) {
        const place *pl = &m->places[q];
        if (!pl->via_ptr || pl->index != -1 || pl->var < 0 || (unsigned)pl->var >= m->fn->nvars ||
            fc_cursor_null(pl->field))
            continue;
        const val *bv = &P[pl->var], *fv = &P[q];
        if (bv->n != 1 || bv->t[0] != b || (bv->fl & (F_UNK | F_PART)) || bv->off[0] != OFF_ZERO || fv->n != 1 ||
            (fv->fl & (F_UNK | F_PART | F_OVF)) || fv->off[0] != OFF_ZERO)
            continue;
        unsigned o = fv->t[0];
        if (o == b || o >= m->nobjs || m->objs[o].kind != O_HEAP || (O[o].esc & (E_XESC | E_REPORTED)) ||
            !(O[o].esc & E_ESC) || (O[o].st & (S_LIVE | S_FREED | S_UNSURE)) != S_LIVE ||
            leak_reported_elsewhere(&O[o]))
            continue;
        bool held = false;
        for (unsigned p = 0; p < m->nplaces && !held; p++)
            held = p != q && ((P[p].fl & F_OVF) || v_has(&P[p], o));
        if (held)
            continue;
        cur_site = site_id(call);
        int save = m->text_place;
        m->text_place = (int)q;
        char *t = text_of(m, call);
        m->text_place = save;
        report_leak(m, S, o, fc_loc_of(call), "is freed with the block that holds it", t);
        free(t);
    }
}

static void release(mc *m, unsigned char *S, val v, CXCursor call, CXCursor arg, uint8_t family, const char *via)
{
    ost *O = OBJS(m, S);
    unsigned cid = 0;
    int tmp;
    if (fc_cmap_get(m->call_id, call, &tmp))
        cid = (unsigned)tmp + 1;
    if (v.n == 0 && !untracked_ptr(&v))
        return;
    cur_site = site_id(call);
    bool unk = v.fl & (F_UNK | F_PART);
    /* free-nonheap: every target is the stack, a global or a literal */
    if (family == FAM_MALLOC && nonheap_check(m, S, &v, call, arg, via))
        return;
    /* p may hold blocks of two allocation calls, one of them freed with no
     * branch since (S_SURE): every execution that freed it reaches here
     * with p still holding it, so that path frees it twice, whatever the
     * other blocks are (QA10 J8: `if (cond()) { p = malloc(4); free(p); }
     * else p = malloc(8); free(p);`); the others are released as usual */
    bool one_of = false;
    val all = v;
    if (v.n > 1 && !unk && !must_freed(m, O, &v, true))
        for (unsigned i = 0; i < v.n && !one_of; i++) {
            const ost *s = &O[v.t[i]];
            if (is_tracked_heap(m, v.t[i]) && (s->st & S_SURE) && (s->st & S_FREED) && !reported_elsewhere(s)) {
                v = v_obj(v.t[i], v.off[i]);
                one_of = true;
            }
        }
    if (one_of || must_freed(m, O, &v, true)) {
        if (fc_check_enabled(m->opts, "double-free") && emitting(m)) {
            unsigned o = v.t[0];
            bool file = family != FAM_MALLOC;
            char *t = text_of(m, arg);
            fc_finding *f;
            if (via)
                f = fc_finding_new("double-free", fc_loc_of(call), "freed again here",
                                   "'%s' is passed to '%s', which frees it, but it was already freed", t, via);
            else
                f = fc_finding_new("double-free", fc_loc_of(call), file ? "closed again here" : "freed again here",
                                   file ? "'%s' is closed twice" : "'%s' is freed twice", t);
            ost fs = freed_state(O, &v);
            note_freed(m, f, &fs, file);
            note_alloc(m, f, o);
            fc_diag_emit(m->sink, f);
            free(t);
        }
        mark_reported(O, &v);
        undangle(m, S, &v);
        if (!one_of)
            return;
        v = all;
    }
    bool strong = v.n == 1 && !unk;
    /* a local that may be NULL while another local holds the block
     * (`finalopts = keyopts; keyopts = NULL;` on one path, both freed at
     * the exit label: QA16 Z12, openssh) frees it only where it is not
     * NULL; the name itself still dangles (val.dang) */
    if (strong && (v.fl & F_NULL) && m->objs[v.t[0]].kind == O_HEAP) {
        int self = place_of(m, arg);
        for (unsigned p = 0; p < m->fn->nvars && strong; p++)
            strong = (int)p == self || !v_has(&PLACES(S)[p], v.t[0]);
    }
    for (unsigned i = 0; i < v.n; i++) {
        unsigned o = v.t[i];
        if (!is_tracked_heap(m, o))
            continue;
        ost *s = &O[o];
        if (m->summary_mode && o >= m->param_base && o < m->param_base + m->fn->nparams && v.off[i] != OFF_ZERO) {
            /* free(container_of(param, ...)): the block param points into
             * is freed, not param itself, so the summary says "may free"
             * (a caller's &it->l is then no interior free, QA8 V4) */
            s->st |= S_FREED | S_LIVE;
            if (!s->freed_at)
                s->freed_at = (uint16_t)cid;
            continue;
        }
        if (strong) {
            if (m->objs[o].kind == O_HEAP && family == FAM_MALLOC && (s->st & S_LIVE))
                member_leak_check(m, S, o, call);
            if (!m->sure_seen)
                m->sure_seen = fc_xcalloc(m->nobjs + 1, 1);
            if (!m->sure_seen[o]) {
                m->sure_seen[o] = 1;
                m->sure_objs = fc_xrealloc(m->sure_objs, (m->nsure + 1) * sizeof *m->sure_objs);
                m->sure_objs[m->nsure++] = (uint16_t)o;
            }
            s->st = (uint8_t)((s->st & S_NULL) | S_FREED | S_SURE);
            s->freed_at = (uint16_t)cid;
            s->link = 0;
        } else {
            s->st |= S_FREED;
            if (!s->freed_at)
                s->freed_at = (uint16_t)cid;
        }
    }
    /* only a local variable whose address is never taken: no store through
     * an alias can rewrite it behind our back */
    int pl = cid && !m->no_dang ? place_of(m, arg) : -1;
    if (pl >= 0 && (unsigned)pl < m->fn->nvars && !m->addr_taken[pl] &&
        (PLACES(S)[pl].n || (untracked_ptr(&PLACES(S)[pl]) && !m->fn->var_static[pl])))
        PLACES(S)[pl].dang = (uint16_t)cid;
}

/* ---- Places ---- */

static bool held_elsewhere(const mc *m, const unsigned char *S, unsigned o)
{
    const val *P = PLACES(S);
    for (unsigned p = 0; p < m->nplaces; p++) {
        if (P[p].fl & F_OVF)
            return true;
        if (v_has(&P[p], o))
            return true;
    }
    return false;
}

/* Live on every path on which the block exists: "not allocated yet" is
 * neutral (QA10 J1/J9: `if (c) p = malloc(n);` never freed, a block made in
 * each iteration of a loop, a callee that returns new memory or NULL).  A
 * path that freed it or handed it on (escape) still keeps it quiet, so
 * `if (c) p = malloc(n); ...; if (c) free(p);` stays silent. */
static bool must_live(const ost *s)
{
    return (s->st & (S_LIVE | S_FREED | S_UNSURE)) == S_LIVE && !(s->esc & E_ESC) && !leak_reported_elsewhere(s);
}

static void report_leak(mc *m, unsigned char *S, unsigned o, fc_loc where, const char *how, const char *who)
{
    ost *O = OBJS(m, S);
    O[o].esc |= E_LEAKED;
    O[o].pad = cur_site;
    if (!emitting(m) || !fc_check_enabled(m->opts, "leak"))
        return;
    const objinfo *oi = &m->objs[o];
    bool file = oi->family != FAM_MALLOC;
    fc_finding *f;
    if (who)
        f = fc_finding_new("leak", where, file ? "handle leaked here" : "memory leaked here",
                           "%s allocated by '%s' is leaked: '%s' %s", file ? "handle" : "memory",
                           oi->fname ? oi->fname : "?", who, how);
    else if (!strcmp(how, "is discarded here"))
        f = fc_finding_new("leak", where, file ? "handle leaked here" : "memory leaked here",
                           "%s allocated by '%s' is leaked: the result is discarded",
                           file ? "handle" : "memory", oi->fname ? oi->fname : "?");
    else
        f = fc_finding_new("leak", where, file ? "handle leaked here" : "memory leaked here",
                           "%s allocated by '%s' is leaked: the last pointer to it %s",
                           file ? "handle" : "memory", oi->fname ? oi->fname : "?", how);
    note_alloc(m, f, o);
    if (oi->realloc_over.data[0] && !fc_cursor_null(oi->realloc_over)) {
        char *t = text_of(m, oi->realloc_over);
        fc_finding_note(f, fc_loc_of(oi->realloc_over), "overwritten by realloc's result",
                        "'%s' overwrote the pointer to it; realloc returns NULL and keeps the block when it fails", t);
        free(t);
    }
    fc_diag_emit(m->sink, f);
}

static void escape(mc *m, unsigned char *S, const val *v)
{
    ost *O = OBJS(m, S);
    for (unsigned i = 0; i < v->n; i++) {
        unsigned o = v->t[i];
        if (o >= m->nobjs)
            continue;
        /* &x stored where we cannot follow it: what x points to may be
         * freed or kept through it (char **v[] = { &a, &b }) */
        if (m->objs[o].kind == O_STACK && m->objs[o].var >= 0 && !(O[o].esc & E_STORED) &&
            !m->fn->var_static[m->objs[o].var]) {
            const val *x = &PLACES(S)[m->objs[o].var];
            for (unsigned j = 0; j < x->n; j++)
                if (x->t[j] < m->nobjs && m->objs[x->t[j]].kind == O_HEAP)
                    O[x->t[j]].esc |= E_ESC | E_STORED | E_XESC;
        }
        O[o].esc |= E_ESC | E_STORED | (m->pt_store ? 0 : E_XESC);
    }
}

static void invalidate_fields_of(mc *m, unsigned char *S, int var, bool esc_objs)
{
    if (var < 0 || (unsigned)var >= m->fn->nvars)
        return;
    val *P = PLACES(S);
    for (unsigned i = m->var_fields_start[var]; i < m->var_fields_start[var + 1]; i++) {
        unsigned p = m->var_fields[i];
        if (esc_objs)
            escape(m, S, &P[p]);
        P[p] = v_none();
    }
}

static bool held_elsewhere(const mc *m, const unsigned char *S, unsigned o);

/* Field place q gets its object fo again, in a caller's state: live or
 * NULL, escaped (no leak of it is ever reported). */
static void caller_object(val *P, ost *O, unsigned q, unsigned fo)
{
    P[q] = v_obj(fo, OFF_ZERO);
    P[q].fl = F_NULL;
    O[fo].st = S_LIVE | S_NULL;
    O[fo].esc = E_ESC;
    O[fo].freed_at = 0;
    O[fo].link = 0;
}

/* p = a new block (b = buf_new()): what its fields p->f hold is not
 * known, but it is one pointer each, which a callee summarized as freeing
 * b->f frees (field_effects): each field gets its object again, in a
 * caller's state (live, escaped: no leak of it is ever reported), unless a
 * copy of the object's last meaning is still held somewhere. */
static void fresh_fields(mc *m, unsigned char *S, unsigned p)
{
    val *P = PLACES(S);
    ost *O = OBJS(m, S);
    for (unsigned i = m->var_fields_start[p]; i < m->var_fields_start[p + 1]; i++) {
        unsigned q = m->var_fields[i];
        unsigned fo = m->field_obj[q - m->fn->nvars];
        if (!fo || !m->places[q].via_ptr || m->places[q].index != -1 || held_elsewhere(m, S, fo))
            continue;
        caller_object(P, O, q, fo);
    }
}

/* `y = x` / `struct s y = x;` for two local structs: y's fields hold
 * what x's hold (QA5 S11: y = x; free(x.buf); y.buf[0] = 1). */
static void copy_record_fields(mc *m, unsigned char *S, int dst, CXCursor src)
{
    int s = place_of(m, src);
    if (dst < 0 || s < 0 || s == dst || (unsigned)s >= m->fn->nvars || (unsigned)dst >= m->fn->nvars ||
        fc_mf_canon(m->mf, m->fn->vars[s]).kind != CXType_Record)
        return;
    val *P = PLACES(S);
    for (unsigned i = m->var_fields_start[dst]; i < m->var_fields_start[dst + 1]; i++) {
        const place *fy = &m->places[m->var_fields[i]];
        if (fy->via_ptr || fy->index != -1)
            continue;
        for (unsigned j = m->var_fields_start[s]; j < m->var_fields_start[s + 1]; j++) {
            const place *fx = &m->places[m->var_fields[j]];
            if (!fx->via_ptr && fx->index == -1 && same_cursor(fx->field, fy->field)) {
                P[m->var_fields[i]] = P[m->var_fields[j]];
                break;
            }
        }
    }
}

/* `struct s a = get();` / `a = get();`: the struct a call returns is not
 * tracked, but each pointer field of `a` holds one pointer, which the
 * caller may free once (QA5 S11 d4: free(a.s); free(a.s) after a
 * struct-returning call).  Each field gets its object again, in a caller's
 * state (live or NULL, escaped: no leak of it is ever reported), unless the
 * object's last meaning is still held somewhere (a loop). */
static void record_from_call(mc *m, unsigned char *S, int dst, CXCursor src)
{
    CXCursor c = fc_mf_strip(m->mf, src);
    if (dst < 0 || (unsigned)dst >= m->fn->nvars || clang_getCursorKind(c) != CXCursor_CallExpr)
        return;
    val *P = PLACES(S);
    ost *O = OBJS(m, S);
    for (unsigned i = m->var_fields_start[dst]; i < m->var_fields_start[dst + 1]; i++) {
        unsigned q = m->var_fields[i];
        unsigned fo = m->field_obj[q - m->fn->nvars];
        if (!fo || m->places[q].via_ptr || m->places[q].index != -1 || held_elsewhere(m, S, fo))
            continue;
        caller_object(P, O, q, fo);
    }
}

/* a->f and b->f where a and b certainly point to two different blocks
 * (two allocations, two locals): a store to one leaves the other alone
 * (QA5 S11: b->buf = a->buf; free(a->buf); free(b->buf)). */
static bool distinct_bases(const mc *m, const val *P, const place *x, const place *y)
{
    if (!x->via_ptr || !y->via_ptr || x->var < 0 || y->var < 0 || (unsigned)x->var >= m->fn->nvars ||
        (unsigned)y->var >= m->fn->nvars || x->index != -1 || y->index != -1)
        return false;
    const val *a = &P[x->var], *b = &P[y->var];
    if (a->n != 1 || b->n != 1 || (a->fl & (F_UNK | F_PART)) || (b->fl & (F_UNK | F_PART)) || a->t[0] == b->t[0])
        return false;
    uint8_t ka = m->objs[a->t[0]].kind, kb = m->objs[b->t[0]].kind;
    return (ka == O_HEAP || ka == O_STACK) && (kb == O_HEAP || kb == O_STACK);
}

/* s.f of a local struct whose address is never taken: no pointer reaches
 * it, so a store through one (q->f = v) leaves it alone */
static bool local_only(const mc *m, const place *x)
{
    return !x->via_ptr && x->index == -1 && x->var >= 0 && (unsigned)x->var < m->fn->nvars &&
           !m->needs_stack[x->var] && !m->fn->var_static[x->var];
}

/* Field place p is s->f where s certainly holds one block this function
 * made, which has not escaped. */
static bool in_local_block(const mc *m, const unsigned char *S, unsigned p)
{
    const place *pl = &m->places[p];
    if (!pl->via_ptr || pl->index != -1 || pl->var < 0 || (unsigned)pl->var >= m->fn->nvars ||
        fc_cursor_null(pl->field))
        return false;
    const val *bv = &PLACES(S)[pl->var];
    return bv->n == 1 && !(bv->fl & (F_UNK | F_PART)) && bv->off[0] == OFF_ZERO && bv->t[0] < m->nobjs &&
           m->objs[bv->t[0]].kind == O_HEAP && !(OBJS(m, S)[bv->t[0]].esc & E_ESC);
}

static void assign_place(mc *m, unsigned char *S, unsigned p, val v, CXCursor where)
{
    val *P = PLACES(S);
    val old = P[p];
    P[p] = v;
    /* *param written (`if (top) *stack = top->next;`): overwritten on a
     * path, which the value joined at a return may not show (QA8 V17) */
    if (m->summary_mode && m->pt_place && p >= m->fn->nvars)
        for (unsigned i = 0; i < m->fn->nparams && i < 31; i++)
            if (m->pt_place[i] == p)
                m->sum_pt_keeps |= 1u << i;
    /* the variable's cleanup function frees what it holds at scope exit */
    if (p < m->fn->nvars && m->auto_freed && m->auto_freed[p])
        escape(m, S, &v);
    if (p < m->fn->nvars) {
        invalidate_fields_of(m, S, (int)p, false);
        if (v.n == 1 && !(v.fl & F_UNK) && v.t[0] < m->nobjs && m->objs[v.t[0]].kind == O_HEAP &&
            m->var_fields_start[p] != m->var_fields_start[p + 1])
            fresh_fields(m, S, p);
    } else {
        /* through a pointer, or into a struct whose address is taken: other
         * code may reach the value */
        if (m->places[p].via_ptr || (m->needs_stack[m->places[p].var] && m->places[p].index < 0)) {
            m->pt_store = (m->summary_mode && m->places[p].index == -2 && m->pt_place &&
                           (unsigned)m->places[p].var < m->fn->nparams && m->pt_place[m->places[p].var] == p) ||
                          in_local_block(m, S, p);
            escape(m, S, &v);
            m->pt_store = false;
        }
        /* q->f = v (or s.f = v) may also have changed p->f when both name
         * the same struct: that field through another base is no longer
         * certain */
        for (unsigned o = m->fn->nvars; o < m->nplaces; o++)
            if (o != p && m->places[o].var != m->places[p].var &&
                (m->places[o].via_ptr || m->places[p].via_ptr) &&
                same_cursor(m->places[o].field, m->places[p].field) &&
                !distinct_bases(m, P, &m->places[o], &m->places[p]) &&
                !local_only(m, &m->places[o]) && !local_only(m, &m->places[p]))
                P[o].fl |= F_UNK;
    }
    /* the old value's blocks: still reachable? */
    ost *O = OBJS(m, S);
    /* a freed block no longer named here is not certainly freed again
     * through this name (`free(p); p = NULL;` on one path of a join) */
    for (unsigned i = 0; i < old.n; i++)
        if (old.t[i] < m->nobjs && !v_has(&v, old.t[i]))
            O[old.t[i]].st &= (uint8_t)~S_SURE;
    for (unsigned i = 0; i < old.n; i++) {
        unsigned o = old.t[i];
        if (o < m->nobjs && o == m->again_assign && old.n == 1 && !(old.fl & F_UNK)) {
            /* `name = strdup(x)` in a loop, the previous iteration's block
             * (live on every path) still in name and nowhere else: the
             * same allocation site's next block replaces it (QA5 S10) */
            bool held = false;
            for (unsigned q = 0; q < m->nplaces && !held; q++)
                held = q != p && ((P[q].fl & F_OVF) || v_has(&P[q], o));
            if (!held) {
                cur_site = site_id(where);
                char *t = text_of(m, where);
                report_leak(m, S, o, fc_loc_of(where), "is overwritten here by the next block from the same call", t);
                free(t);
            }
            continue;
        }
        if (o >= m->nobjs || m->objs[o].kind != O_HEAP || v_has(&v, o))
            continue;
        cur_site = site_id(where);
        if (!must_live(&O[o]) || (old.fl & F_UNK) || old.n != 1)
            continue;
        if (held_elsewhere(m, S, o))
            continue;
        char *t = text_of(m, where);
        report_leak(m, S, o, fc_loc_of(where), "is overwritten here", t);
        free(t);
    }
}

/* Place named by an lvalue expression, or -1. */
static int place_of_uncached(mc *m, CXCursor e);

/* The place an lvalue names, once per expression after mc_setup (the
 * places are all known then and the answer never changes). */
static int place_of(mc *m, CXCursor e)
{
    fc_mnode *n = m->setup_done ? fc_mf_node(m->mf, e) : NULL;
    if (n && (n->have & FC_MFH_U0))
        return n->u0;
    int p = place_of_uncached(m, e);
    if (n) {
        n->u0 = p;
        n->have |= FC_MFH_U0;
    }
    return p;
}

static int place_of_uncached(mc *m, CXCursor e)
{
    e = fc_mf_strip(m->mf, e);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_DeclRefExpr) {
        CXCursor d = fc_decl_ref(e);
        int v = fc_var_index(m->fn, d);
        if (v >= 0 && !m->fn->var_static[v])
            return v;
        int p;
        if (m->has_gplaces && !fc_cursor_null(d) && fc_cmap_get(m->member_place, clang_getCanonicalCursor(d), &p))
            return p;
        return -1;
    }
    if (k == CXCursor_MemberRefExpr || (k == CXCursor_ArraySubscriptExpr && m->has_elems)) {
        int p;
        if (fc_cmap_get(m->member_place, e, &p))
            return p;
    }
    /* `*&x` is x: a macro's `*(str)` given `&postdata` (curl's GetStr:
     * `*(str) = strdup(val); if (!*(str)) return ...`) */
    if (k == CXCursor_UnaryOperator && fc_mf_unop(m->mf, e) == FC_OP_DEREF) {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, e, kk, 1) == 1) {
            CXCursor a = fc_mf_strip(m->mf, kk[0]);
            CXCursor aa[1];
            if (clang_getCursorKind(a) == CXCursor_UnaryOperator && fc_mf_unop(m->mf, a) == FC_OP_ADDR &&
                fc_mf_children(m->mf, a, aa, 1) == 1)
                return place_of(m, aa[0]);
        }
    }
    return -1;
}

/* A branch condition on tracked integers, decoded once per function so
 * that an edge costs a few comparisons, not a walk of libclang cursors:
 * `x + ox OP c`, `x + ox OP y + oy`, or `x + ox` tested for truth (op
 * FC_OP_NE against 0); `neg`: under a `!`.  IC_SLOW: a form the decoder does
 * not know (&&, ||, comma inside one test): int_refine walks it. */
enum { IC_NONE, IC_CONST, IC_TWO, IC_SLOW };
struct icond {
    uint8_t kind, op;
    bool neg;
    int8_t x, y;
    int64_t ox, oy, c;
};

/* ---- Integer facts (values.h) ----
 *
 * The integer variables the function's branches test (`n`, `flag`,
 * `globalFive`, a loop counter) get a range per state: set by
 * assignments, moved by ++/--/+=, narrowed on each branch edge (a branch
 * whose range is empty is not taken), forgotten when a call or a store
 * through an unknown pointer may write them (globals and statics only:
 * locals whose address is taken are not tracked).  What this buys: the
 * edges of correlated tests are pruned (`if (n < 1) return;` before
 * `while (n--)`), and paths that differ in both a block's state and a
 * variable's range stay apart (mc_distinct) until a later test tells
 * which is which. */

static void int_set(const mc *m, unsigned char *S, unsigned i, fc_ival v)
{
    /* an unsigned count a loop's join widened to infinity and then
     * incremented: its wraparound is not followed, it stays >= lo (an
     * unsigned `size` that counts a loop's blocks: `if (size == 0)` still
     * tells the paths apart, tmux status.c) */
    if (m->int_umax[i] && v.lo >= 0 && v.lo <= m->int_umax[i] && v.hi >= (1ll << 40))
        v.hi = m->int_umax[i];
    if (m->int_umax[i] && (v.lo < 0 || v.hi > m->int_umax[i])) {
        v.lo = 0;
        v.hi = m->int_umax[i];
        v.has_ne = 0;
    }
    fc_ival *I = IVALS(m, S);
    v.wid = I[i].wid;
    I[i] = v;
}

static int int_of_decl(const mc *m, CXCursor d)
{
    d = clang_getCanonicalCursor(d);
    for (unsigned i = 0; i < m->nints; i++)
        if (same_cursor(d, m->int_decl[i]))
            return (int)i;
    return -1;
}

/* The tracked integer an lvalue names, or -1. */
static int int_of_ref(const mc *m, CXCursor e)
{
    if (!m->nints)
        return -1;
    e = fc_mf_strip(m->mf, e);
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return -1;
    CXCursor d = fc_mf_referenced(m->mf, e);
    int v = fc_var_index(m->fn, d);
    if (v >= 0 && !m->fn->var_static[v])
        return m->int_of_var ? m->int_of_var[v] : -1;
    return m->int_nglobal ? int_of_decl(m, d) : -1;
}

/* A call or a store that may write globals: their facts are gone. */
static void int_clobber_globals(const mc *m, unsigned char *S)
{
    for (unsigned i = 0; i < m->nints; i++)
        if (m->int_global[i])
            int_set(m, S, i, fc_iv_top());
}

static bool ptr_same(mc *m, const unsigned char *S, CXCursor a, CXCursor b);

/* The range of an integer expression, without side effects. */
static fc_ival int_eval(mc *m, const unsigned char *S, CXCursor e, int depth)
{
    long long c;
    if (depth > 8)
        return fc_iv_top();
    e = fc_mf_strip(m->mf, e);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_DeclRefExpr) {
        int i = int_of_ref(m, e);
        if (i >= 0)
            return IVALS(m, S)[i];
    }
    /* an address that is never NULL (a tracked pointer local's value):
     * a string literal, &x, an array or a function */
    if (k == CXCursor_StringLiteral || (k == CXCursor_UnaryOperator && fc_mf_unop(m->mf, e) == FC_OP_ADDR) ||
        (k == CXCursor_DeclRefExpr && (fc_mf_kind_is_array(fc_mf_canon(m->mf, e).kind) ||
                                      fc_mf_canon(m->mf, e).kind == CXType_FunctionProto))) {
        fc_ival nz = fc_iv_top();
        nz.lo = 1;
        return nz;
    }
    if (k == CXCursor_IntegerLiteral || k == CXCursor_CharacterLiteral || k == CXCursor_DeclRefExpr ||
        k == CXCursor_BinaryOperator || k == CXCursor_UnaryOperator || k == CXCursor_CallExpr) {
        if (k != CXCursor_CallExpr && fc_mf_const(m->mf, e, &c))
            return fc_iv_const(c);
    }
    if (k == CXCursor_CallExpr) {
        int id;
        if (fc_cmap_get(m->call_id, e, &id) && (unsigned)id < m->ncalls) {
            const fc_summary *sum = m->callinfos[id].sum;
            if (sum && sum->returns_const)
                return fc_iv_const(sum->const_val);
        }
        return fc_iv_top();
    }
    if (k == CXCursor_BinaryOperator) {
        fc_op op = fc_mf_binop(m->mf, e);
        CXCursor kk[2];
        if ((op == FC_OP_ADD || op == FC_OP_SUB) && fc_mf_children(m->mf, e, kk, 2) == 2 &&
            fc_mf_const(m->mf, kk[1], &c) && c > -(1ll << 40) && c < (1ll << 40)) {
            fc_ival a = int_eval(m, S, kk[0], depth + 1);
            return fc_iv_add(a, op == FC_OP_ADD ? c : -c);
        }
        /* `found = (p != buf)` where p certainly is buf (gnulib gettext.h) */
        if ((op == FC_OP_EQ || op == FC_OP_NE) && fc_mf_children(m->mf, e, kk, 2) == 2 && ptr_same(m, S, kk[0], kk[1]))
            return fc_iv_const(op == FC_OP_EQ);
    }
    return fc_iv_top();
}

/* A tested operand as `variable + off` (`n--` tests n + 1 once n has been
 * decremented; `(x = f())` tests x), or -1. */
static int int_term(mc *m, CXCursor e, int64_t *off)
{
    *off = 0;
    CXType ot = fc_mf_canon(m->mf, e);
    e = fc_mf_strip(m->mf, e);
    enum CXCursorKind k = clang_getCursorKind(e);
    int i = -1;
    if (k == CXCursor_DeclRefExpr) {
        i = int_of_ref(m, e);
    } else if (k == CXCursor_UnaryOperator) {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, e, kk, 1) != 1)
            return -1;
        fc_op op = fc_mf_unop(m->mf, e);
        if (op == FC_OP_POSTDEC)
            *off = 1;
        else if (op == FC_OP_POSTINC)
            *off = -1;
        else if (op != FC_OP_PREINC && op != FC_OP_PREDEC)
            return -1;
        i = int_of_ref(m, kk[0]);
    } else if (k == CXCursor_BinaryOperator) {
        CXCursor kk[2];
        fc_op op = fc_mf_binop(m->mf, e);
        long long c;
        if (fc_mf_children(m->mf, e, kk, 2) != 2)
            return -1;
        if (op == FC_OP_ASSIGN)
            i = int_of_ref(m, kk[0]);
        else if ((op == FC_OP_ADD || op == FC_OP_SUB) && fc_mf_const(m->mf, kk[1], &c) && c > -(1ll << 40) &&
                 c < (1ll << 40) && clang_getCursorKind(fc_mf_strip(m->mf, kk[0])) == CXCursor_DeclRefExpr) {
            i = int_of_ref(m, kk[0]);
            *off = op == FC_OP_ADD ? c : -c;
        }
    }
    if (i < 0)
        return -1;
    /* `(char)x == 5` says little about a wider x */
    CXType vt = fc_mf_canon(m->mf, m->int_decl[i]);
    long long ow = clang_Type_getSizeOf(ot), vw = clang_Type_getSizeOf(vt);
    if (ow < 0 || vw < 0 || ow < vw)
        return -1;
    return i;
}

static bool iv_finite(int64_t v)
{
    return v != FC_IV_MIN && v != FC_IV_MAX && v > -(1ll << 40) && v < (1ll << 40);
}

/* x OP y + d: each side's range bounds the other's; false if no value
 * fits (int_refine2 and the decoded form in int_refine_fast). */
static bool refine_pair(mc *m, unsigned char *S, unsigned x, unsigned y, fc_op op, int64_t d)
{
    fc_ival *I = IVALS(m, S);
    fc_ival vx = I[x], vy = I[y];
    bool ok = true;
    switch (op) {
    case FC_OP_LT: case FC_OP_LE:
        if (iv_finite(vy.hi))
            ok = fc_iv_restrict(&vx, op, vy.hi + d);
        if (ok && iv_finite(vx.lo))
            ok = fc_iv_restrict(&vy, fc_iv_swap(op), vx.lo - d);
        break;
    case FC_OP_GT: case FC_OP_GE:
        if (iv_finite(vy.lo))
            ok = fc_iv_restrict(&vx, op, vy.lo + d);
        if (ok && iv_finite(vx.hi))
            ok = fc_iv_restrict(&vy, fc_iv_swap(op), vx.hi - d);
        break;
    case FC_OP_EQ:
        if (iv_finite(vy.lo))
            ok = fc_iv_restrict(&vx, FC_OP_GE, vy.lo + d);
        if (ok && iv_finite(vy.hi))
            ok = fc_iv_restrict(&vx, FC_OP_LE, vy.hi + d);
        if (ok && iv_finite(vx.lo))
            ok = fc_iv_restrict(&vy, FC_OP_GE, vx.lo - d);
        if (ok && iv_finite(vx.hi))
            ok = fc_iv_restrict(&vy, FC_OP_LE, vx.hi - d);
        break;
    case FC_OP_NE: {
        int64_t c;
        if (fc_iv_single(&vy, &c) && iv_finite(c))
            ok = fc_iv_restrict(&vx, FC_OP_NE, c + d);
        if (ok && fc_iv_single(&vx, &c) && iv_finite(c))
            ok = fc_iv_restrict(&vy, FC_OP_NE, c - d);
        break;
    }
    default:
        break;
    }
    if (!ok)
        return false;
    I[x] = vx;
    I[y] = vy;
    return true;
}

/* `a OP b` with two tracked terms (`i < n`, `i == n - 1`): each side's
 * range bounds the other's. */
static bool int_refine2(mc *m, unsigned char *S, fc_op op, CXCursor a, CXCursor b, bool truth)
{
    int64_t oa, ob;
    int x = int_term(m, a, &oa), y = int_term(m, b, &ob);
    if (x < 0 || y < 0 || x == y || m->int_umax[x] != m->int_umax[y])
        return true;
    if (!truth)
        op = fc_iv_negate(op);
    /* x + oa OP y + ob  <=>  x OP y + d */
    return refine_pair(m, S, (unsigned)x, (unsigned)y, op, ob - oa);
}

/* Narrow the ranges by `c` being `truth`; false if no value fits. */
static bool int_refine(mc *m, unsigned char *S, CXCursor c, bool truth, int depth)
{
    if (!m->nints || depth > 16)
        return true;
    CXCursor e = fc_mf_strip(m->mf, c);
    enum CXCursorKind k = clang_getCursorKind(e);
    int64_t off;
    if (k == CXCursor_UnaryOperator && fc_mf_unop(m->mf, e) == FC_OP_LNOT) {
        CXCursor kk[1];
        return fc_mf_children(m->mf, e, kk, 1) != 1 || int_refine(m, S, kk[0], !truth, depth + 1);
    }
    if (k == CXCursor_BinaryOperator) {
        fc_op op = fc_mf_binop(m->mf, e);
        CXCursor kk[2];
        if (fc_mf_children(m->mf, e, kk, 2) != 2)
            return true;
        if (op == FC_OP_LAND && truth)
            return int_refine(m, S, kk[0], true, depth + 1) && int_refine(m, S, kk[1], true, depth + 1);
        if (op == FC_OP_LOR && !truth)
            return int_refine(m, S, kk[0], false, depth + 1) && int_refine(m, S, kk[1], false, depth + 1);
        if (op == FC_OP_COMMA)
            return int_refine(m, S, kk[1], truth, depth + 1);
        if (op >= FC_OP_LT && op <= FC_OP_NE) {
            long long c0, c1;
            bool k0 = fc_mf_const(m->mf, kk[0], &c0), k1 = fc_mf_const(m->mf, kk[1], &c1);
            if (k0 && k1)
                return true;
            if (!k0 && !k1)
                return int_refine2(m, S, op, kk[0], kk[1], truth);
            long long cv = k0 ? c0 : c1;
            int i = int_term(m, k0 ? kk[1] : kk[0], &off);
            if (i < 0 || cv <= -(1ll << 40) || cv >= (1ll << 40) || (m->int_umax[i] && cv < 0))
                return true;
            if (k0)
                op = fc_iv_swap(op);
            if (!truth)
                op = fc_iv_negate(op);
            fc_ival v = IVALS(m, S)[i];
            if (!fc_iv_restrict(&v, op, cv - off))
                return false;
            IVALS(m, S)[i] = v;
            return true;
        }
        if (op != FC_OP_ASSIGN)
            return true;
    }
    int i = int_term(m, e, &off);
    if (i < 0)
        return true;
    fc_ival v = IVALS(m, S)[i];
    if (!fc_iv_restrict(&v, truth ? FC_OP_NE : FC_OP_EQ, -off))
        return false;
    IVALS(m, S)[i] = v;
    return true;
}

static bool int_refine_fast(mc *m, unsigned char *S, const struct icond *d, bool truth)
{
    if (d->neg)
        truth = !truth;
    if (d->kind == IC_TWO) {
        /* int_refine2 re-reads nothing but the ranges */
        fc_op op = truth ? (fc_op)d->op : fc_iv_negate((fc_op)d->op);
        return refine_pair(m, S, (unsigned)d->x, (unsigned)d->y, op, d->oy - d->ox);
    }
    fc_op op = truth ? (fc_op)d->op : fc_iv_negate((fc_op)d->op);
    fc_ival v = IVALS(m, S)[d->x];
    if (!fc_iv_restrict(&v, op, d->c - d->ox))
        return false;
    IVALS(m, S)[d->x] = v;
    return true;
}

/* Decode branch condition c into d (see struct icond). */
static void icond_decode(mc *m, CXCursor c, struct icond *d)
{
    memset(d, 0, sizeof *d);
    CXCursor e = fc_mf_strip(m->mf, c);
    for (int i = 0; i < 4 && clang_getCursorKind(e) == CXCursor_UnaryOperator && fc_mf_unop(m->mf, e) == FC_OP_LNOT; i++) {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, e, kk, 1) != 1)
            return;
        d->neg = !d->neg;
        e = fc_mf_strip(m->mf, kk[0]);
    }
    int64_t off;
    if (clang_getCursorKind(e) == CXCursor_BinaryOperator) {
        fc_op op = fc_mf_binop(m->mf, e);
        CXCursor kk[2];
        if (fc_mf_children(m->mf, e, kk, 2) != 2)
            return;
        if (op == FC_OP_LAND || op == FC_OP_LOR || op == FC_OP_COMMA) {
            d->kind = IC_SLOW;
            return;
        }
        if (op >= FC_OP_LT && op <= FC_OP_NE) {
            long long c0, c1;
            bool k0 = fc_mf_const(m->mf, kk[0], &c0), k1 = fc_mf_const(m->mf, kk[1], &c1);
            if (k0 && k1)
                return;
            if (!k0 && !k1) {
                int64_t oa, ob;
                int x = int_term(m, kk[0], &oa), y = int_term(m, kk[1], &ob);
                if (x < 0 || y < 0 || x == y || m->int_umax[x] != m->int_umax[y])
                    return;
                *d = (struct icond){ IC_TWO, (uint8_t)op, d->neg, (int8_t)x, (int8_t)y, oa, ob, 0 };
                return;
            }
            long long cv = k0 ? c0 : c1;
            int x = int_term(m, k0 ? kk[1] : kk[0], &off);
            if (x < 0 || cv <= -(1ll << 40) || cv >= (1ll << 40) || (m->int_umax[x] && cv < 0))
                return;
            *d = (struct icond){ IC_CONST, (uint8_t)(k0 ? fc_iv_swap(op) : op), d->neg, (int8_t)x, 0, off, 0, cv };
            return;
        }
        if (op != FC_OP_ASSIGN)
            return;
    }
    int x = int_term(m, e, &off);
    if (x < 0)
        return;
    *d = (struct icond){ IC_CONST, FC_OP_NE, d->neg, (int8_t)x, 0, off, 0, 0 };
}

/* A store through a pointer (`*p = x`, `p->n = x`, `a[i] = x`) may write
 * a tracked global unless the pointer is known to point into the heap or
 * the stack. */
static void int_store(mc *m, unsigned char *S, CXCursor lhs)
{
    bool any = false;
    for (unsigned i = 0; i < m->nints && !any; i++)
        any = m->int_global[i];
    if (!any)
        return;
    CXCursor e = fc_mf_strip(m->mf, lhs);
    for (int d = 0; d < 8; d++) {
        enum CXCursorKind k = clang_getCursorKind(e);
        CXCursor kk[2];
        if ((k != CXCursor_ArraySubscriptExpr && k != CXCursor_MemberRefExpr &&
             !(k == CXCursor_UnaryOperator && fc_mf_unop(m->mf, e) == FC_OP_DEREF)) || fc_mf_children(m->mf, e, kk, 2) < 1)
            break;
        CXType bt = fc_mf_canon(m->mf, kk[0]);
        e = fc_mf_strip(m->mf, kk[0]);
        if (k == CXCursor_MemberRefExpr && bt.kind != CXType_Pointer)
            continue;       /* s.f: the base is s itself */
        int p = place_of(m, e);
        if (p < 0)
            break;
        const val *v = &PLACES(S)[p];
        if (!v->n || (v->fl & F_UNK))
            break;
        bool known = true;
        for (unsigned j = 0; j < v->n; j++) {
            uint8_t ok = m->objs[v->t[j]].kind;
            if (ok != O_HEAP && ok != O_STACK)
                known = false;
        }
        if (known)
            return;
        break;
    }
    int_clobber_globals(m, S);
}

/* ---- Evaluation ---- */

static val ev(mc *m, unsigned char *S, CXCursor e, int depth);
static bool refine_d(mc *m, unsigned char *S, CXCursor c, bool truth, int depth);
#define refine(m, S, c, t) refine_d(m, S, c, t, 0)
static void null_test_flag(mc *m, unsigned char *S, int var, CXCursor rhs, val *v);

static void remember_call(mc *m, CXCursor call, val v)
{
    unsigned i = m->nlast++ % 8;
    m->last_call[i] = call;
    m->last_val[i] = v;
}

static bool recall_call(mc *m, CXCursor call, val *v)
{
    for (unsigned i = 0; i < 8 && i < m->nlast; i++)
        if (m->last_call[i].kind == call.kind && m->last_call[i].data[1] == call.data[1]) {
            *v = m->last_val[i];
            return true;
        }
    return false;
}

static unsigned site_of(mc *m, CXCursor call)
{
    int o;
    return fc_cmap_get(m->site_obj, call, &o) ? (unsigned)o : 0;
}

static void new_block_at(mc *m, unsigned char *S, unsigned o, uint8_t st)
{
    ost *O = OBJS(m, S);
    O[o].st = st;
    O[o].esc = 0;
    O[o].freed_at = 0;
    O[o].link = 0;
}

/* An allocating call makes its site's next block (malloc's model and a
 * function summarized as returning owned memory alike, QA13 X16).  The
 * site's object now stands for two blocks: a place that held the previous
 * one may be either (`prev = cur; cur = malloc(n)` in a loop, then
 * free(prev), free(cur); a list built from `p = ent_alloc()` whose head
 * holds the older entries, then free(p), lfree(head)). */
static void renew_site(mc *m, unsigned char *S, unsigned o, bool modelled)
{
    ost *O = OBJS(m, S);
    val *P = PLACES(S);
    /* "overwritten by the next block from the same call" is said of the
     * library's allocators only: with a summarized one it was new, and
     * its first finding on real code was false (bzip2recover.c:512, each
     * block closed at the end of its range, an order of integer tests the
     * checker cannot follow, QA13 X3) */
    if (modelled && (O[o].st & (S_LIVE | S_FREED | S_UNALLOC)) == S_LIVE && !(O[o].esc & E_ESC))
        m->again_obj = o;   /* a loop's previous block: see assign_place */
    if (O[o].st & (S_LIVE | S_FREED))
        for (unsigned q = 0; q < m->nplaces; q++)
            if (v_has(&P[q], o))
                P[q].fl |= F_PART;
    new_block_at(m, S, o, S_LIVE | S_NULL);
}

/* Library functions that keep a pointer they take as `const` (the
 * const-parameter rule below would take it as only read): the thread's
 * value, the tree's key, syslog's ident, the signal stack (QA5 S24). */
static bool keeps_const_arg(const char *name)
{
    static const char *const keep[] = { "pthread_setspecific", "tsearch", "openlog", "sigaltstack" };
    for (size_t i = 0; name && i < sizeof keep / sizeof keep[0]; i++)
        if (!strcmp(name, keep[i]))
            return true;
    return false;
}

/* A call to a function with no model and no summary: it may keep any
 * pointer it gets and write through any address it gets. */
static void unknown_call_effects(mc *m, unsigned char *S, CXCursor call, CXCursor decl, unsigned na,
                                 const CXCursor *args, const val *av)
{
    val *P = PLACES(S);
    bool keeps = !fc_cursor_null(decl) && keeps_const_arg(fc_decl_name(decl));
    for (unsigned i = 0; i < na; i++) {
        bool borrow_only = false;
        if (!keeps && !fc_cursor_null(decl) && (int)i < fc_mf_nargs(m->mf, decl)) {
            CXType t = fc_mf_canon(m->mf, fc_mf_arg(m->mf, decl, i));
            if (t.kind == CXType_Pointer) {
                CXType pt = clang_getPointeeType(t);
                if (clang_isConstQualifiedType(pt) && clang_getCanonicalType(pt).kind != CXType_Pointer)
                    borrow_only = true;
            }
        }
        if (!borrow_only)
            escape(m, S, &av[i]);
        CXCursor a = args[i];
        if (clang_getCursorKind(a) == CXCursor_UnaryOperator && fc_mf_unop(m->mf, a) == FC_OP_ADDR) {
            CXCursor kk[1];
            if (fc_mf_children(m->mf, a, kk, 1) == 1) {
                int p = place_of(m, kk[0]);
                if (p >= 0 && !borrow_only) {
                    escape(m, S, &P[p]);
                    P[p] = v_none();
                    P[p].fl = F_UNK;
                    if ((unsigned)p < m->fn->nvars)
                        invalidate_fields_of(m, S, p, true);
                }
            }
        }
    }
    (void)call;
    if (!m->clobber_lists) {
        m->clobber_lists = true;
        m->addr_vars = fc_xcalloc(m->fn->nvars + 1, sizeof *m->addr_vars);
        for (unsigned v = 0; v < m->fn->nvars; v++)
            if (m->addr_taken[v])
                m->addr_vars[m->naddr_vars++] = v;
        m->ptr_fields = fc_xcalloc(m->nplaces + 1, sizeof *m->ptr_fields);
        for (unsigned p = m->fn->nvars; m->has_ptr_fields && p < m->nplaces; p++)
            if (m->places[p].via_ptr)
                m->ptr_fields[m->nptr_fields++] = p;
    }
    /* variables whose address was taken may change behind our back */
    for (unsigned i = 0; i < m->naddr_vars; i++) {
        unsigned v = m->addr_vars[i];
        escape(m, S, &P[v]);
        P[v] = v_none();
        P[v].fl = F_UNK;
        invalidate_fields_of(m, S, (int)v, true);
    }
    /* fields reached through pointers may change too */
    for (unsigned i = 0; i < m->nptr_fields; i++)
        P[m->ptr_fields[i]] = v_none();
}

static int addr_place(mc *m, CXCursor a)
{
    a = fc_mf_strip(m->mf, a);
    if (clang_getCursorKind(a) == CXCursor_UnaryOperator && fc_mf_unop(m->mf, a) == FC_OP_ADDR) {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, a, kk, 1) == 1)
            return place_of(m, kk[0]);
    }
    return -1;
}

static void fill_callinfo(mc *m, CXCursor call, callinfo *ci);

/* What a call site calls, computed once per site (USRs are costly). */
static const callinfo *call_info(mc *m, CXCursor call)
{
    int id;
    if (fc_cmap_get(m->call_id, call, &id) && (unsigned)id < m->ncalls)
        return &m->callinfos[id];
    /* not seen by the pre-scan (cannot happen for a body's calls): compute */
    static callinfo tmp;
    fill_callinfo(m, call, &tmp);
    return &tmp;
}

static bool pt_eligible(CXType t);
static int param_pointee(const mc *m, const val *pv);

/* The callee's summary says it neither keeps nor overwrites (nor frees,
 * unless frees_ok: freeing *param leaves the caller's pointer as it was)
 * what parameter i points to (a T ** / void * parameter of a function
 * whose summary comes from its body). */
static bool pt_untouched(const mc *m, const callinfo *ci, const fc_summary *sum, unsigned i, bool frees_ok)
{
    (void)m;
    if (!sum || i >= 31 || !(sum->derefs & FC_DEREFS_KNOWN) || fc_cursor_null(ci->decl) ||
        (int)i >= fc_mf_nargs(m->mf, ci->decl) ||
        !pt_eligible(clang_getCursorType(fc_mf_arg(m->mf, ci->decl, i))))
        return false;
    return !((sum->pt_keeps | sum->pt_may_free | (frees_ok ? 0 : sum->pt_frees)) & (1u << i));
}

/* A field place's key in summaries: FNV-1a of its FieldDecl's USR. */
static uint32_t field_key(mc *m, unsigned q)
{
    if (!m->place_key)
        m->place_key = fc_xcalloc(m->nplaces + 1, sizeof *m->place_key);
    if (m->place_key[q])
        return m->place_key[q];
    /* USRs cost: one per declaration and unit, kept for the unit */
    static fc_cmap *keys;
    static CXTranslationUnit keys_tu;
    if (!keys || keys_tu != m->fn->tu) {
        if (keys)
            fc_cmap_free(keys);
        keys = fc_cmap_new();
        keys_tu = m->fn->tu;
    }
    int k;
    if (fc_cmap_get(keys, m->places[q].field, &k)) {
        m->place_key[q] = (uint32_t)k;
        return m->place_key[q];
    }
    CXString u = clang_getCursorUSR(m->places[q].field);
    const char *s = clang_getCString(u);
    uint32_t h = 2166136261u;
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    clang_disposeString(u);
    m->place_key[q] = h ? h : 1;
    fc_cmap_put(keys, m->places[q].field, (int)m->place_key[q]);
    return m->place_key[q];
}

/* A pointer global the callee's summary lists as freed or read but not
 * written: its value is the same after the call (a callee that calls code
 * writing it would have it cleared, so it would be listed as kept). */
static bool global_unwritten(mc *m, const fc_summary *sum, unsigned q)
{
    if (m->places[q].index != -3 || !sum)
        return false;
    for (unsigned k = 0; k < sum->nfields && k < FC_SUM_FIELDS; k++)
        if (sum->fields[k].param == FC_SUM_GLOBAL && !(sum->fields[k].eff & FC_FE_KEEPS) &&
            field_key(m, q) == sum->fields[k].key)
            return true;
    return false;
}

/* What a callee does to the value of place q (a pointer in a field of
 * its argument, *param, or a global), as FC_FE_* bits: read (a freed value
 * is a use), freed on every path, freed on some path (then no longer
 * followed), kept or overwritten (the place holds something unknown after
 * the call; with keep_escapes, what it held and the callee did not free
 * escapes).  arg is where to point a finding. */
static void place_effect(mc *m, unsigned char *S, unsigned q, unsigned eff, CXCursor call, CXCursor arg,
                         const char *name, bool keep_escapes)
{
    val *P = PLACES(S);
    ost *O = OBJS(m, S);
    val v = P[q];
    if (eff & FC_FE_USES)
        use_check(m, S, &v, call, arg, name ? name : "?");
    if (eff & FC_FE_FREES) {
        m->no_dang = true;
        release(m, S, v, call, arg, FAM_MALLOC, name);
        m->no_dang = false;
    } else if (eff & FC_FE_MAY_FREE) {
        for (unsigned j = 0; j < v.n; j++)
            if (is_tracked_heap(m, v.t[j]))
                O[v.t[j]].st |= S_FREED;
        escape(m, S, &v);
    }
    if (eff & FC_FE_KEEPS) {
        if (keep_escapes && !(eff & FC_FE_FREES))
            escape(m, S, &P[q]);
        P[q] = v_none();
        P[q].fl = F_UNK;
    }
}

/* The caller's place of the pointer a summary field entry names: b->data
 * for f(b), s.data for f(s) or f(&s); -1 when the caller has none. */
static int arg_field_place(mc *m, const struct fc_sum_field *sf, const CXCursor *args, unsigned na)
{
    if (sf->param == FC_SUM_GLOBAL || sf->param >= na)
        return -1;
    CXCursor a = fc_mf_strip(m->mf, args[sf->param]);
    bool via = true;
    if (clang_getCursorKind(a) == CXCursor_UnaryOperator && fc_mf_unop(m->mf, a) == FC_OP_ADDR) {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, a, kk, 1) != 1)
            return -1;
        a = fc_mf_strip(m->mf, kk[0]);
        via = false;
    } else if (fc_mf_canon(m->mf, a).kind == CXType_Record) {
        via = false;
    }
    if (clang_getCursorKind(a) != CXCursor_DeclRefExpr)
        return -1;
    int v = fc_var_index(m->fn, fc_decl_ref(a));
    if (v < 0 || m->fn->var_static[v])
        return -1;
    for (unsigned f = m->var_fields_start[v]; f < m->var_fields_start[v + 1]; f++) {
        unsigned q = m->var_fields[f];
        if (m->places[q].via_ptr == via && m->places[q].index == -1 && !fc_cursor_null(m->places[q].field) &&
            field_key(m, q) == sf->key)
            return (int)q;
    }
    return -1;
}

/* What a callee does to the pointers in its parameters' fields (the
 * summary's fields[]): applied to the caller's b->data in f(b), s.data in
 * f(s) or f(&s).  The places the callee reads or frees but does not write
 * are listed in unwritten[] (at most FC_SUM_FIELDS): they keep their value
 * across the call. */
static unsigned field_effects(mc *m, unsigned char *S, const fc_summary *sum, const CXCursor *args, unsigned na,
                              CXCursor call, const char *name, unsigned *unwritten)
{
    unsigned nu = 0;
    for (unsigned k = 0; k < sum->nfields && k < FC_SUM_FIELDS; k++) {
        const struct fc_sum_field *sf = &sum->fields[k];
        if (sf->param == FC_SUM_GLOBAL) {
            /* a global the callee frees or reads: this function's place of it */
            for (unsigned q = m->fn->nvars; m->has_gplaces && q < m->nplaces; q++) {
                if (m->places[q].index != -3 || field_key(m, q) != sf->key)
                    continue;
                m->text_place = (int)q;
                place_effect(m, S, q, sf->eff, call, call, name, false);
                m->text_place = -1;
            }
            continue;
        }
        int q = arg_field_place(m, sf, args, na);
        if (q < 0)
            continue;
        m->text_place = q;
        /* kept: stored elsewhere or overwritten (p->first = NULL) */
        place_effect(m, S, (unsigned)q, sf->eff, call, args[sf->param], name, true);
        m->text_place = -1;
        /* freed and not written (buf_clear(b): free(b->data)): b->data
         * still holds the pointer, now freed (QA16 Z2) */
        if (!(sf->eff & (FC_FE_KEEPS | FC_FE_MAY_FREE)))
            unwritten[nu++] = (unsigned)q;
    }
    return nu;
}

/* The local array variable an argument names (it decays to a pointer to
 * its first element), with element places; or -1. */
static int elem_array_arg(const mc *m, CXCursor arg)
{
    CXCursor a = fc_mf_strip(m->mf, arg);
    if (clang_getCursorKind(a) != CXCursor_DeclRefExpr)
        return -1;
    int v = fc_var_index(m->fn, fc_decl_ref(a));
    if (v < 0 || m->fn->var_static[v] || !fc_mf_kind_is_array(fc_mf_canon(m->mf, m->fn->vars[v]).kind))
        return -1;
    for (unsigned f = m->var_fields_start[v]; f < m->var_fields_start[v + 1]; f++)
        if (m->places[m->var_fields[f]].index >= 0)
            return v;
    return -1;
}

/* The caller's place a callee reaches as *param: x in f(&x), the local
 * pointer pp points to in f(pp), or the one element of f(array) that
 * holds something; -1 when not one place. */
static int caller_slot(mc *m, unsigned char *S, CXCursor arg, const val *av)
{
    (void)S;
    int p = addr_place(m, arg);
    if (p >= 0)
        return p;
    if (av->n == 1 && !(av->fl & F_UNK) && av->off[0] == OFF_ZERO && m->objs[av->t[0]].kind == O_STACK) {
        int v = m->objs[av->t[0]].var;
        if (v >= 0 && !m->fn->var_static[v] &&
            fc_mf_canon(m->mf, m->fn->vars[v]).kind == CXType_Pointer)
            return v;
    }
    int v = m->has_elems ? elem_array_arg(m, arg) : -1;
    if (v < 0)
        return -1;
    /* the array's one element this function names (which index the callee
     * reads is not in its summary: only one candidate will do) */
    int found = -1;
    for (unsigned f = m->var_fields_start[v]; f < m->var_fields_start[v + 1]; f++) {
        unsigned q = m->var_fields[f];
        if (m->places[q].index < 0)
            continue;
        if (found >= 0)
            return -1;
        found = (int)q;
    }
    return found;
}

/* Arrays passed to a call: their elements may be written or kept by it,
 * unless its summary says it leaves *param alone. */
static void array_args(mc *m, unsigned char *S, const callinfo *ci, const fc_summary *sum, const CXCursor *args,
                       unsigned na)
{
    val *P = PLACES(S);
    for (unsigned i = 0; i < na; i++) {
        int v = elem_array_arg(m, args[i]);
        if (v < 0)
            continue;
        if (ci->md && ci->md->kind == M_BORROW && ci->md->arg < 0)
            continue;       /* strlen(a), printf("%s", a): read only */
        if (pt_untouched(m, ci, sum, i, false))
            continue;
        for (unsigned f = m->var_fields_start[v]; f < m->var_fields_start[v + 1]; f++) {
            unsigned q = m->var_fields[f];
            if (m->places[q].index < 0)
                continue;
            if (!(sum && i < 31 && (sum->pt_frees & (1u << i))))
                escape(m, S, &P[q]);
            P[q].fl |= F_UNK;
        }
    }
}

/* Place p is *param of this function and the call (to a summarized
 * callee) is given neither the parameter nor anything it may point to:
 * the callee cannot reach *param (a constructor's `*out = f; if (init(f)
 * < 0) ...` still has *out == f after the call). */
static bool pt_not_passed(const mc *m, unsigned p, const val *av, unsigned na)
{
    const place *pl = &m->places[p];
    if (pl->index != -2 || pl->var < 0 || (unsigned)pl->var >= m->fn->nparams || !m->pt_place ||
        m->pt_place[pl->var] != p || m->addr_taken[pl->var])
        return false;
    unsigned po = m->param_base + (unsigned)pl->var;
    for (unsigned i = 0; i < na; i++)
        if ((av[i].fl & F_UNK) || v_has(&av[i], po))
            return false;
    return true;
}

static val ev_call(mc *m, unsigned char *S, CXCursor call, int depth)
{
    int nai = fc_mf_nargs(m->mf, call);
    unsigned na = nai > 0 ? (unsigned)nai : 0;
    if (na > 64)
        na = 64;
    CXCursor args[64];
    val av[64];
    for (unsigned i = 0; i < na; i++) {
        args[i] = fc_mf_strip(m->mf, fc_mf_arg(m->mf, call, i));
        av[i] = ev(m, S, args[i], depth + 1);
    }
    const callinfo *ci = call_info(m, call);
    CXCursor decl = ci->decl;
    const char *name = ci->name;
    if (fc_cursor_null(decl)) {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, call, kk, 1) >= 1)
            (void)ev(m, S, kk[0], depth + 1);
    }
    const model *md = ci->md;
    val res = v_none();
    ost *O = OBJS(m, S);
    val *P = PLACES(S);
    if (md) {
        unsigned o = site_of(m, call);
        switch (md->kind) {
        case M_ALLOC:
            if (o) {
                renew_site(m, S, o, true);
                /* a plain __attribute__((malloc)) only says the result
                 * aliases nothing: pool and arena allocators carry it too,
                 * so it is never reported as leaked (freeing it twice or
                 * using it after free() still is) (QA4 R6) */
                if (md == &malloc_attr_model)
                    OBJS(m, S)[o].esc = E_ESC | E_XESC;
                res = v_obj(o, OFF_ZERO);
            }
            break;
        case M_FREE:
        case M_CLOSE:
            if ((unsigned)md->arg < na)
                release(m, S, av[md->arg], call, args[md->arg], md->family, NULL);
            break;
        case M_REALLOC: {
            if (na < 1 || !o)
                break;
            val old = av[0];
            if (old.n == 0 && (old.fl & F_NULL) && !(old.fl & F_UNK)) {
                new_block_at(m, S, o, S_LIVE | S_NULL);
                res = v_obj(o, OFF_ZERO);
                break;
            }
            if (nonheap_check(m, S, &old, call, args[0], name)) {
                new_block_at(m, S, o, S_LIVE | S_NULL);
                res = v_obj(o, OFF_ZERO);
                break;
            }
            use_check(m, S, &old, call, args[0], name);
            bool strong = old.n == 1 && !(old.fl & F_UNK) && is_tracked_heap(m, old.t[0]) && old.t[0] != o;
            for (unsigned i = 0; i < old.n; i++)
                if (is_tracked_heap(m, old.t[i]) && old.t[i] != o)
                    O[old.t[i]].st |= S_FREED;
            int cid;
            uint16_t at = fc_cmap_get(m->call_id, call, &cid) ? (uint16_t)(cid + 1) : 0;
            for (unsigned i = 0; i < old.n; i++)
                if (is_tracked_heap(m, old.t[i]) && old.t[i] != o && !O[old.t[i]].freed_at)
                    O[old.t[i]].freed_at = at;
            /* the argument may be this call's own block of an earlier
             * iteration, which its object also stands for: kept where it
             * went (stored through *arr_ptr), it stays live there when
             * this call fails (QA16 Z9, pv's watchpid.c) */
            uint8_t kept = v_has(&old, o) ? O[o].esc & (E_ESC | E_STORED | E_XESC) : 0;
            new_block_at(m, S, o, S_LIVE | S_NULL);
            O[o].esc |= kept;
            if (strong)
                O[o].link = old.t[0];
            res = v_obj(o, OFF_ZERO);
            break;
        }
        case M_ALLOCA:
            if (o)
                res = v_obj(o, OFF_ZERO);
            break;
        case M_ALLOC_IF_NULL: {
            /* getcwd(NULL, 0), realpath(p, NULL): new memory; with a
             * buffer: the buffer (or NULL) */
            unsigned ai = (unsigned)md->arg;
            if (ai < na && av[ai].n == 0 && (av[ai].fl & F_NULL) && !(av[ai].fl & F_UNK)) {
                if (o) {
                    new_block_at(m, S, o, S_LIVE | S_NULL);
                    res = v_obj(o, OFF_ZERO);
                }
            } else if (ai < na) {
                use_check(m, S, &av[ai], call, args[ai], name);
                res = av[ai];
            }
            break;
        }
        case M_ASPRINTF:
        case M_PMEMALIGN: {
            unsigned out = md->arg > 0 ? (unsigned)md->arg : 0;
            if (!o || na <= out)
                break;
            new_block_at(m, S, o, S_LIVE | S_NULL);
            int p = addr_place(m, args[out]);
            val nv = v_obj(o, OFF_ZERO);
            if (p >= 0)
                assign_place(m, S, (unsigned)p, nv, args[out]);
            else
                escape(m, S, &nv);
            res = v_none();
            res.t[0] = (uint16_t)o;
            res.fl = md->kind == M_ASPRINTF ? F_ST_NEG : F_ST_NZ;
            break;
        }
        case M_GETLINE: {
            if (na < 1)
                break;
            int p = addr_place(m, args[0]);
            if (p < 0)
                break;
            val cur = P[p];
            if (cur.n == 1 && !(cur.fl & F_UNK) && is_tracked_heap(m, cur.t[0])) {
                use_check(m, S, &cur, call, args[0], name);
                O[cur.t[0]].st = S_LIVE;
                P[p].fl &= (uint8_t)~F_NULL;
            } else if (o && cur.n == 0 && !(cur.fl & F_UNK)) {
                new_block_at(m, S, o, S_LIVE);
                assign_place(m, S, (unsigned)p, v_obj(o, OFF_ZERO), args[0]);
            } else {
                escape(m, S, &cur);
            }
            break;
        }
        case M_BORROW: {
            uint64_t pmask = fc_ast_printf_pointer_args(name, args, na);
            for (unsigned i = 0; i < na; i++) {
                if (!(i < 64 && (pmask >> i) & 1))
                    use_check(m, S, &av[i], call, args[i], name);
                /* memset(s, 0, sizeof *s): the fields of *s may change */
                int pv = fc_var_index(m->fn, fc_decl_ref(args[i]));
                if (pv >= 0 && !m->fn->var_static[pv])
                    for (unsigned f = m->var_fields_start[pv]; f < m->var_fields_start[pv + 1]; f++)
                        P[m->var_fields[f]].fl |= F_UNK;
                /* memcpy(&dst, &p, n), fread(&p, ...): what the variable
                 * holds may be copied out, and it may be overwritten */
                int p = addr_place(m, args[i]);
                if (p >= 0) {
                    escape(m, S, &P[p]);
                    P[p] = v_none();
                    P[p].fl = F_UNK;
                    if ((unsigned)p < m->fn->nvars)
                        invalidate_fields_of(m, S, p, true);
                }
            }
            if (md->arg >= 0 && (unsigned)md->arg < na)
                res = v_offset(av[md->arg], OFF_UNKNOWN);
            break;
        }
        }
        if (m->has_elems)
            array_args(m, S, ci, NULL, args, na);
        remember_call(m, call, res);
        return res;
    }
    const fc_summary *sum = ci->sum;
    if (m->nints)
        int_clobber_globals(m, S);
    for (unsigned i = 0; i < na; i++) {
        if (sum && i < FC_SUM_MAX_PARAMS && (sum->frees & (1u << i)))
            continue;     /* checked as a double free by release() */
        if (sum && i < 31 && (sum->derefs & FC_DEREFS_KNOWN) && !(sum->derefs & (1u << i)) &&
            !(sum->may_free & (1u << i)))
            continue;     /* the callee never reads through it */
        use_check(m, S, &av[i], call, args[i], name ? name : "?");
    }
    unsigned unwritten[FC_SUM_FIELDS], nunwritten = 0;
    bool ret_field = false;
    /* a parameter whose fate the result tells (split_entries): its block,
     * before the call's effects, carried by the result as a status that
     * the caller's test of it resolves (refine_status) */
    unsigned split_obj = 0;
    uint8_t split_eff = 0;
    for (unsigned k = 0; sum && k < sum->nfields && k < FC_SUM_FIELDS && !split_obj; k++) {
        const struct fc_sum_field *sf = &sum->fields[k];
        if (sf->key || sf->param >= na || !(sf->eff & (FC_SPLIT_TAKES | FC_SPLIT_KEEPS)))
            continue;
        const val *a = &av[sf->param];
        if (a->n == 1 && !(a->fl & (F_UNK | F_PART)) && a->off[0] == OFF_ZERO && is_tracked_heap(m, a->t[0]) &&
            !(O[a->t[0]].esc & E_ESC) && !(O[a->t[0]].st & (S_FREED | S_UNALLOC))) {
            split_obj = a->t[0];
            split_eff = sf->eff;
        }
    }
    if (sum && sum->nfields) {
        /* `return c->buf;`: the caller's c->buf, as it was before the call */
        for (unsigned k = 0; k < sum->nfields && k < FC_SUM_FIELDS && !ret_field; k++) {
            int q = (sum->fields[k].eff & FC_FE_RETURNED) ? arg_field_place(m, &sum->fields[k], args, na) : -1;
            if (q >= 0) {
                res = P[q];
                ret_field = true;
            }
        }
        nunwritten = field_effects(m, S, sum, args, na, call, name, unwritten);
    }
    /* `mk(&s)` where mk hands new memory back through *param (pt_owned):
     * the caller's place that gets it, and what it held before */
    int own_slot = -1;
    val own_old = v_none();
    bool own_all = false, own_realloc = false;
    unsigned own_i = 0;
    for (unsigned i = 0; sum && sum->pt_owned && !sum->returns_owned && !sum->returns_freed && i < na && i < 31;
         i++) {
        if (!(sum->pt_owned & (1u << i)))
            continue;
        own_slot = caller_slot(m, S, args[i], &av[i]);
        if (own_slot < 0)   /* mk(out) in a function of the same kind: its *out */
            own_slot = param_pointee(m, &av[i]);
        if (own_slot >= 0) {
            own_old = P[own_slot];
            own_all = (sum->pt_owned_all >> i) & 1;
            own_i = i;
            /* `grow(&b, &cap)` reallocs *b: the old block is freed where
             * the result says the new one was made, and kept where not
             * (QA13 X5: the caller's copy of the old pointer read after) */
            own_realloc = (sum->pt_may_free & (1u << i)) && !own_all && !(sum->pt_status & FC_PTST_UNKNOWN) &&
                          (sum->pt_status & FC_PTST_NZ) && own_old.n == 1 && !(own_old.fl & (F_UNK | F_PART)) &&
                          own_old.off[0] == OFF_ZERO && own_old.t[0] < m->nobjs &&
                          m->objs[own_old.t[0]].kind == O_HEAP && !(O[own_old.t[0]].esc & E_ESC) &&
                          (O[own_old.t[0]].st & (S_LIVE | S_FREED)) == S_LIVE;
        }
        break;
    }
    if (sum && (sum->pt_uses | sum->pt_frees | sum->pt_may_free | sum->pt_keeps)) {
        /* what the callee does to *param: the caller's x in f(&x) */
        for (unsigned i = 0; i < na && i < 31; i++) {
            uint32_t bit = 1u << i;
            if (!((sum->pt_uses | sum->pt_frees | sum->pt_may_free | sum->pt_keeps) & bit))
                continue;
            int slot = caller_slot(m, S, args[i], &av[i]);
            if (slot < 0)
                continue;
            if (own_realloc && i == own_i) {
                if (sum->pt_uses & bit)
                    use_check(m, S, &P[slot], call, args[i], name);
                continue;   /* below */
            }
            /* kept: *pp overwritten or kept (free(*pp); *pp = strdup(..)):
             * x holds something else now, whichever way the callee reached
             * it (&x, or pp pointing to x) (QA3 Q34) */
            unsigned eff = (sum->pt_uses & bit ? FC_FE_USES : 0) | (sum->pt_frees & bit ? FC_FE_FREES : 0) |
                           (sum->pt_may_free & bit ? FC_FE_MAY_FREE : 0) | (sum->pt_keeps & bit ? FC_FE_KEEPS : 0);
            place_effect(m, S, (unsigned)slot, eff, call, args[i], name, true);
        }
    }
    if (sum) {
        for (unsigned i = 0; i < na && i < FC_SUM_MAX_PARAMS; i++) {
            uint32_t bit = 1u << i;
            if (sum->frees & bit)
                release(m, S, av[i], call, args[i], FAM_MALLOC, name);
            else if (sum->may_free & bit) {
                int cid;
                uint16_t at = fc_cmap_get(m->call_id, call, &cid) ? (uint16_t)(cid + 1) : 0;
                /* a block that may be live (not one only NULL or not made
                 * on this path: nothing to free) */
                for (unsigned j = 0; j < av[i].n; j++)
                    if (is_tracked_heap(m, av[i].t[j]) && (O[av[i].t[j]].st & S_LIVE)) {
                        O[av[i].t[j]].st |= S_FREED;
                        /* the note of a finding that rests on it names this call */
                        if (!O[av[i].t[j]].freed_at)
                            O[av[i].t[j]].freed_at = at;
                    }
                escape(m, S, &av[i]);
            } else if (sum->escapes & bit)
                escape(m, S, &av[i]);
        }
        for (unsigned i = FC_SUM_MAX_PARAMS; i < na; i++)
            escape(m, S, &av[i]);
        /* a pointer passed as an integer (`arr_push(a, (uintptr_t)p)`):
         * the summary follows pointers only, so what the callee does with
         * it is unknown (lighttpd's lshpack.c:1557) */
        for (unsigned i = 0; i < na && i < FC_SUM_MAX_PARAMS; i++) {
            if (!av[i].n)
                continue;
            CXType at = fc_mf_canon(m->mf, fc_mf_arg(m->mf, call, i));
            if ((at.kind >= CXType_Bool && at.kind <= CXType_Int128) || at.kind == CXType_Enum)
                escape(m, S, &av[i]);
        }
        /* the callee may still write through &x arguments, unless its
         * summary says what it does with *param (pt_*) and that is not
         * keeping or overwriting it */
        for (unsigned i = 0; i < na; i++) {
            int p = addr_place(m, args[i]);
            if (p >= 0 && !pt_untouched(m, ci, sum, i, true)) {
                escape(m, S, &P[p]);
                P[p] = v_none();
                P[p].fl = F_UNK;
            }
        }
        if (m->has_ptr_fields)
            for (unsigned p = m->fn->nvars; p < m->nplaces; p++) {
                if (!m->places[p].via_ptr)
                    continue;
                bool kept = global_unwritten(m, sum, p) || pt_not_passed(m, p, av, na);
                for (unsigned k = 0; k < nunwritten && !kept; k++)
                    kept = unwritten[k] == p;
                if (!kept)
                    P[p] = v_none();
            }
        unsigned o = site_of(m, call);
        if (sum->returns_owned && o) {
            renew_site(m, S, o, false);
            res = v_obj(o, OFF_ZERO);
            /* `p = mk(&err)`: an integer the call writes through its
             * address is taken as its error flag, nonzero when the result
             * is NULL (jq's sort_items(..., &too_deep)), so `if (err)
             * return` does not leak p.  One such argument only.  The
             * same through a copy of another call's result (git worktree.c:
             * `b = xstrdup_or_null(read_gitfile_gently(path, &err));` then
             * `if (err == NOT_A_REPO) b = ...`: err set, the inner result
             * and so the copy are NULL, QA12 R7).  Among several, the
             * one named as a status (`err`, `status`, git apply.c's
             * parse_binary_hunk(..., &size, &status, &used)). */
            int flag = -1, nflags = 0, named = -1, nnamed = 0;
            CXCursor inner = na == 1 ? args[0] : call;
            bool wrapped = na == 1 && clang_getCursorKind(inner) == CXCursor_CallExpr;
            unsigned fna = wrapped ? (unsigned)fc_mf_nargs(m->mf, inner) : na;
            for (unsigned i = 0; i < fna; i++) {
                int p = addr_place(m, wrapped ? fc_mf_strip(m->mf, fc_mf_arg(m->mf, inner, i)) : args[i]);
                if (p < 0 || (unsigned)p >= m->fn->nvars)
                    continue;
                CXType t = fc_mf_canon(m->mf, m->fn->vars[p]);
                if ((t.kind >= CXType_Bool && t.kind <= CXType_Int128) || t.kind == CXType_Enum) {
                    flag = p;
                    nflags++;
                    const char *vn = m->fn->vars[p].kind ? fc_intern_cx(clang_getCursorSpelling(m->fn->vars[p])) : "";
                    if (strstr(vn, "err") || strstr(vn, "status")) {
                        named = p;
                        nnamed++;
                    }
                }
            }
            if (nflags > 1 && nnamed == 1) {
                flag = named;
                nflags = 1;
            }
            if (nflags == 1) {
                P[flag] = v_none();
                P[flag].t[0] = (uint16_t)o;
                P[flag].fl = F_ST_NZ;
            }
        } else if (sum->returns_freed && o) {
            new_block_at(m, S, o, S_FREED);
            int cid;
            if (fc_cmap_get(m->call_id, call, &cid))
                O[o].freed_at = (uint16_t)(cid + 1);
            res = v_obj(o, OFF_ZERO);
        } else if (sum->returns_param && sum->ret_param < na) {
            res = av[sum->ret_param];
        } else if (sum->ret_nonheap == FC_RET_GLOBAL && o && m->objs[o].kind == O_GLOBAL) {
            res = v_obj(o, OFF_ZERO);
            res.fl = F_NULL;
        } else if (sum->ret_nonheap == FC_RET_LITERAL) {
            res = v_obj(m->strlit_obj, OFF_ZERO);
            res.fl = F_NULL;
        }
        if (own_slot >= 0 && o && !sum->returns_owned && !sum->returns_freed) {
            /* the new block (or NULL) in the caller's place; joined with
             * what it held when the callee may leave it alone */
            renew_site(m, S, o, false);
            val nv = v_obj(o, OFF_ZERO);
            if (!own_all && (own_old.n || own_old.fl))   /* not an uninitialized local */
                nv = v_join(nv, &own_old);
            assign_place(m, S, (unsigned)own_slot, nv, call);
            if (own_realloc) {
                unsigned ob = own_old.t[0];
                int cid;
                O[ob].st |= S_FREED;
                if (!O[ob].freed_at && fc_cmap_get(m->call_id, call, &cid))
                    O[ob].freed_at = (uint16_t)(cid + 1);
                O[o].link = (uint16_t)ob;
            }
            /* the result tells whether it was set (`if (mk(&s) < 0)
             * return -1;` leaves without it); where it does not tell, no
             * leak of the block is certain (a use after free still is) */
            if (sum->pt_status & FC_PTST_UNKNOWN) {
                O[o].st |= S_UNSURE;
            } else if (sum->pt_status && !res.n && !(res.fl & (F_ST_NEG | F_ST_NZ | F_ST_OK))) {
                res = v_none();
                res.t[0] = (uint16_t)o;
                res.fl = (uint8_t)(((sum->pt_status & FC_PTST_NZ) ? F_ST_NZ : 0) |
                                   ((sum->pt_status & FC_PTST_NEG) ? F_ST_NEG : 0));
            }
        }
        if (split_obj && !res.n && !(res.fl & (F_ST_NEG | F_ST_NZ))) {
            res = v_none();
            res.t[0] = (uint16_t)split_obj;
            res.off[0] = (split_eff & FC_SPLIT_TAKES) ? ST_TAKES : ST_KEEPS;
            res.fl = (split_eff & FC_SPLIT_NEG) ? F_ST_NEG : F_ST_NZ;
            int cid;
            /* the note "freed here" of a later double free names the call */
            if ((split_eff & FC_SPLIT_TAKES) && !O[split_obj].freed_at && fc_cmap_get(m->call_id, call, &cid))
                O[split_obj].freed_at = (uint16_t)(cid + 1);
        }
    } else {
        unknown_call_effects(m, S, call, decl, na, args, av);
    }
    if (m->has_elems)
        array_args(m, S, ci, sum, args, na);
    remember_call(m, call, res);
    return res;
}

static val ev_kids(mc *m, unsigned char *S, CXCursor e, int depth)
{
    CXCursor kk[16];
    unsigned n = fc_mf_children(m->mf, e, kk, 16);
    for (unsigned i = 0; i < n && i < 16; i++)
        if (clang_isExpression(clang_getCursorKind(kk[i])))
            (void)ev(m, S, kk[i], depth + 1);
    return v_none();
}

/* An expression we do not model (atomic builtins, va_arg, _Generic, ...):
 * its operands are evaluated, and any pointer among them may be kept. */
static val ev_opaque(mc *m, unsigned char *S, CXCursor e, int depth)
{
    CXCursor kk[16];
    unsigned n = fc_mf_children(m->mf, e, kk, 16);
    for (unsigned i = 0; i < n && i < 16; i++)
        if (clang_isExpression(clang_getCursorKind(kk[i]))) {
            val v = ev(m, S, kk[i], depth + 1);
            escape(m, S, &v);
        }
    val r = v_none();
    r.fl = F_UNK;
    return r;
}

static void stmt_expr(mc *m, unsigned char *S, CXCursor c, val *last, int depth);

/* What a DeclRefExpr reads, resolved once per expression: a local or
 * parameter of this function (its number and type class), or something
 * else.  The dataflow evaluates each expression several times. */
enum { VK_OTHER, VK_ARRAY, VK_RECORD };
#define REF_GLOBAL (-2)
#define REF_NONE (-3)

static val ev_var_slow(mc *m, unsigned char *S, CXCursor e);

static val ev_var(mc *m, unsigned char *S, CXCursor e)
{
    int code;
    fc_mnode *n = fc_mf_node(m->mf, e);
    if (n && (n->have & FC_MFH_U1)) {
        code = n->u1;
    } else {
        CXCursor d = fc_mf_referenced(m->mf, e);
        enum CXCursorKind dk = clang_getCursorKind(d);
        int v = dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl ? fc_var_index(m->fn, d) : -1;
        if (dk != CXCursor_VarDecl && dk != CXCursor_ParmDecl)
            code = REF_NONE;
        else if (v < 0 || m->fn->var_static[v])
            code = REF_GLOBAL;
        else {
            CXType t = fc_mf_canon(m->mf, d);
            int kind = fc_mf_kind_is_array(t.kind) && dk == CXCursor_VarDecl ? VK_ARRAY
                       : t.kind == CXType_Record ? VK_RECORD : VK_OTHER;
            code = v * 4 + kind;
        }
        if (n) {
            n->u1 = code;
            n->have |= FC_MFH_U1;
        }
    }
    if (code == REF_NONE)
        return v_none();
    if (code == REF_GLOBAL)
        return ev_var_slow(m, S, e);
    int v = code / 4, kind = code % 4;
    if (kind == VK_ARRAY)
        return m->stack_obj[v] ? v_obj(m->stack_obj[v], OFF_ZERO) : v_none();
    if (kind == VK_RECORD) {
        val r = v_none();
        val *P = PLACES(S);
        for (unsigned i = m->var_fields_start[v]; i < m->var_fields_start[v + 1]; i++)
            r = v_join(r, &P[m->var_fields[i]]);
        r = v_join(r, &P[v]);
        r.fl |= F_UNK;
        return r;
    }
    return PLACES(S)[v];
}

static val ev_var_slow(mc *m, unsigned char *S, CXCursor e)
{
    CXCursor d = fc_mf_referenced(m->mf, e);
    enum CXCursorKind dk = clang_getCursorKind(d);
    if (dk != CXCursor_VarDecl && dk != CXCursor_ParmDecl)
        return v_none();
    int v = fc_var_index(m->fn, d);
    CXType t = fc_mf_canon(m->mf, d);
    bool arr = fc_mf_kind_is_array(t.kind);
    if (v >= 0 && !m->fn->var_static[v]) {
        if (arr && dk == CXCursor_VarDecl)
            return m->stack_obj[v] ? v_obj(m->stack_obj[v], OFF_ZERO) : v_none();
        if (t.kind == CXType_Record) {
            val r = v_none();
            val *P = PLACES(S);
            for (unsigned i = m->var_fields_start[v]; i < m->var_fields_start[v + 1]; i++)
                r = v_join(r, &P[m->var_fields[i]]);
            r = v_join(r, &P[v]);
            r.fl |= F_UNK;
            return r;
        }
        return PLACES(S)[v];
    }
    /* globals and static locals */
    if (m->has_gplaces && !arr) {
        int p;
        if (fc_cmap_get(m->member_place, clang_getCanonicalCursor(d), &p))
            return PLACES(S)[p];
    }
    if (arr) {
        int o;
        if (fc_cmap_get(m->global_obj, clang_getCanonicalCursor(d), &o))
            return v_obj((unsigned)o, OFF_ZERO);
    }
    val r = v_none();
    r.fl = F_UNK;
    return r;
}

static val addr_of(mc *m, unsigned char *S, CXCursor operand, int depth)
{
    CXCursor e = fc_mf_strip(m->mf, operand);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_DeclRefExpr) {
        CXCursor d = fc_mf_referenced(m->mf, e);
        int v = fc_var_index(m->fn, d);
        if (v >= 0 && !m->fn->var_static[v])
            return m->stack_obj[v] ? v_obj(m->stack_obj[v], OFF_ZERO) : v_none();
        int o;
        if (fc_cmap_get(m->global_obj, clang_getCanonicalCursor(d), &o))
            return v_obj((unsigned)o, OFF_ZERO);
        return v_none();
    }
    if (k == CXCursor_MemberRefExpr || k == CXCursor_ArraySubscriptExpr) {
        CXCursor kk[2];
        unsigned n = fc_mf_children(m->mf, e, kk, 2);
        if (n < 1)
            return v_none();
        CXCursor base = kk[0];
        CXType bt = fc_mf_canon(m->mf, base);
        if (k == CXCursor_ArraySubscriptExpr && n == 2)
            (void)ev(m, S, kk[1], depth + 1);
        if (bt.kind == CXType_Pointer) {
            /* `&p->f`, `&p[i]`: address arithmetic, nothing is read (as
             * in `p != q`); a later use of the result is a use of p's
             * block (QA5 S4: dash relocating pointers into the old table).
             * A constant index or a member's offset says whether it is
             * the block's start (`free(&a[1])` is an interior pointer,
             * `&p->first` is p: QA5 S21) */
            /* `&o->arr[2]`: the array member decays, and its address is
             * address arithmetic on o too, not a read (QA6 T3) */
            CXCursor sb = fc_mf_strip(m->mf, base);
            val bv = clang_getCursorKind(sb) == CXCursor_MemberRefExpr && fc_mf_kind_is_array(fc_mf_canon(m->mf, sb).kind)
                         ? addr_of(m, S, sb, depth + 1)
                         : ev(m, S, base, depth + 1);
            long long c = -1;
            if (k == CXCursor_ArraySubscriptExpr && n == 2) {
                long long sz = clang_Type_getSizeOf(clang_getCursorType(e));
                if (!fc_mf_const(m->mf, kk[1], &c) || sz <= 0)
                    c = -1;
                else
                    c *= sz;
            } else if (k == CXCursor_MemberRefExpr) {
                long long bits = clang_Cursor_getOffsetOfField(fc_mf_referenced(m->mf, e));
                c = bits >= 0 ? bits / 8 : -1;
            }
            return c == 0 ? bv : v_offset(bv, c > 0 ? OFF_NONZERO : OFF_UNKNOWN);
        }
        val r = addr_of(m, S, base, depth + 1);
        return v_offset(r, OFF_UNKNOWN);
    }
    if (k == CXCursor_UnaryOperator && fc_mf_unop(m->mf, e) == FC_OP_DEREF) {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, e, kk, 1) == 1)
            return ev(m, S, kk[0], depth + 1);
    }
    if (k == CXCursor_CompoundLiteralExpr) {
        ev_kids(m, S, e, depth);
        return v_none();
    }
    (void)ev(m, S, e, depth + 1);
    return v_none();
}

/* A parameter whose pointee may be a pointer the caller owns: T **p,
 * T *p[] and void *p (the caller's f(&x), f(array)). */
static bool pt_eligible(CXType t)
{
    t = clang_getCanonicalType(t);
    if (t.kind == CXType_IncompleteArray || t.kind == CXType_ConstantArray) {
        /* a parameter spelled T *p[] is a T ** */
        CXType et = clang_getCanonicalType(clang_getArrayElementType(t));
        return et.kind == CXType_Pointer;
    }
    if (t.kind != CXType_Pointer)
        return false;
    CXType pt = clang_getCanonicalType(clang_getPointeeType(t));
    return pt.kind == CXType_Pointer || pt.kind == CXType_Void;
}

/* `*p` / `p[k]` where p is certainly a parameter with a pointee place: that
 * place, or -1. */
static int param_pointee(const mc *m, const val *pv)
{
    if (!m->pt_place || pv->n != 1 || (pv->fl & F_UNK) || pv->off[0] != OFF_ZERO)
        return -1;
    unsigned o = pv->t[0];
    if (o < m->param_base || o >= m->param_base + m->fn->nparams)
        return -1;
    unsigned p = m->pt_place[o - m->param_base];
    return p ? (int)p : -1;
}

/* `*pp` where pp certainly points to the local pointer variable x
 * (`char **pp = &x`): x itself, or -1. */
static int pointee_var(const mc *m, const val *pv, CXType t)
{
    if (pv->n != 1 || (pv->fl & F_UNK) || pv->off[0] != OFF_ZERO || t.kind != CXType_Pointer)
        return -1;
    const objinfo *oi = &m->objs[pv->t[0]];
    if (oi->kind != O_STACK || oi->var < 0 || m->fn->var_static[oi->var])
        return -1;
    CXType vt = fc_mf_canon(m->mf, m->fn->vars[oi->var]);
    return vt.kind == CXType_Pointer ? oi->var : -1;
}

/* `*c = z` (a whole struct stored through memory): every p->f of that
 * struct type may have been overwritten, so a callee doing it is known to
 * write c->buf (its summary says so), and the caller forgets it. */
static void struct_store(mc *m, unsigned char *S, CXCursor lhs)
{
    CXType t = fc_mf_canon(m->mf, lhs);
    if (t.kind != CXType_Record)
        return;
    CXCursor rd = clang_getCanonicalCursor(clang_getTypeDeclaration(t));
    val *P = PLACES(S);
    for (unsigned q = m->fn->nvars; q < m->nplaces; q++)
        if (m->places[q].via_ptr && !fc_cursor_null(m->places[q].field) &&
            same_cursor(clang_getCanonicalCursor(clang_getCursorSemanticParent(m->places[q].field)), rd))
            P[q].fl |= F_UNK;
}

static val ev(mc *m, unsigned char *S, CXCursor e, int depth)
{
    if (depth > 200)
        return v_none();
    e = fc_mf_strip(m->mf, e);
    enum CXCursorKind k = clang_getCursorKind(e);
    switch (k) {
    case CXCursor_IntegerLiteral: {
        long long v;
        val r = v_none();
        if (fc_mf_const(m->mf, e, &v) && v == 0)
            r.fl = F_NULL;
        return r;
    }
    case CXCursor_StringLiteral:
        return v_obj(m->strlit_obj, OFF_ZERO);
    case CXCursor_DeclRefExpr:
        return ev_var(m, S, e);
    case CXCursor_CallExpr:
        return ev_call(m, S, e, depth);
    case CXCursor_UnaryExpr:      /* sizeof / _Alignof: operand not evaluated */
        return v_none();
    case CXCursor_MemberRefExpr: {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, e, kk, 1) != 1)
            return v_none();
        CXCursor base = kk[0];
        CXType bt = fc_mf_canon(m->mf, base);
        if (bt.kind == CXType_Pointer) {
            val bv = ev(m, S, base, depth + 1);
            use_check(m, S, &bv, e, base, NULL);
        } else {
            (void)ev(m, S, base, depth + 1);
        }
        CXType t = fc_mf_canon(m->mf, e);
        int p = fc_mf_kind_is_array(t.kind) ? -1 : place_of(m, e);   /* s.buf: an address, not a stored pointer */
        if (p >= 0)
            return PLACES(S)[p];
        if (fc_mf_kind_is_array(t.kind)) {
            if (bt.kind == CXType_Pointer) {
                /* b->name: an address inside *b (interior unless name is
                 * b's first member) */
                val bv = ev(m, S, base, depth + 1);
                long long off = clang_Cursor_getOffsetOfField(fc_mf_referenced(m->mf, e));
                if (off == 0)
                    return bv;
                return v_offset(bv, off > 0 ? OFF_NONZERO : OFF_UNKNOWN);
            }
            return v_offset(addr_of(m, S, base, depth + 1), OFF_UNKNOWN);
        }
        val r = v_none();
        r.fl = F_UNK;
        return r;
    }
    case CXCursor_ArraySubscriptExpr: {
        CXCursor kk[2];
        if (fc_mf_children(m->mf, e, kk, 2) != 2)
            return v_none();
        CXType bt = fc_mf_canon(m->mf, kk[0]);
        val bv = ev(m, S, kk[0], depth + 1);
        (void)ev(m, S, kk[1], depth + 1);
        if ((bt.kind == CXType_IncompleteArray || bt.kind == CXType_ConstantArray) &&
            clang_getCursorKind(fc_decl_ref(kk[0])) == CXCursor_ParmDecl)
            bt.kind = CXType_Pointer;   /* a parameter spelled as an array */
        if (bt.kind == CXType_Pointer)
            use_check(m, S, &bv, e, kk[0], NULL);
        if (m->has_elems) {
            int p = place_of(m, e);
            if (p >= 0)
                return PLACES(S)[p];
        }
        if (m->pt_place && m->pt_sub_ok && bt.kind == CXType_Pointer &&
            fc_mf_canon(m->mf, e).kind == CXType_Pointer) {
            int p = param_pointee(m, &bv);
            if (p >= 0 && bv.t[0] - m->param_base < 31 && ((m->pt_sub_ok >> (bv.t[0] - m->param_base)) & 1))
                return PLACES(S)[p];
        }
        CXType t = fc_mf_canon(m->mf, e);
        if (fc_mf_kind_is_array(t.kind))
            return v_offset(bv, OFF_UNKNOWN);
        return v_none();
    }
    case CXCursor_UnaryOperator: {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, e, kk, 1) != 1)
            return v_none();
        fc_op op = fc_mf_unop(m->mf, e);
        switch (op) {
        case FC_OP_ADDR:
            return addr_of(m, S, kk[0], depth);
        case FC_OP_DEREF: {
            val bv = ev(m, S, kk[0], depth + 1);
            use_check(m, S, &bv, e, kk[0], NULL);
            CXType t = fc_mf_canon(m->mf, e);
            if (fc_mf_kind_is_array(t.kind))
                return bv;
            int pv = pointee_var(m, &bv, t);
            if (pv < 0 && t.kind == CXType_Pointer)
                pv = param_pointee(m, &bv);
            if (pv >= 0)
                return PLACES(S)[pv];
            return v_none();
        }
        case FC_OP_PREINC: case FC_OP_PREDEC: case FC_OP_POSTINC: case FC_OP_POSTDEC: {
            val old = ev(m, S, kk[0], depth + 1);
            int ii = int_of_ref(m, kk[0]);
            if (ii >= 0)
                int_set(m, S, (unsigned)ii,
                        fc_iv_add(IVALS(m, S)[ii], op == FC_OP_PREINC || op == FC_OP_POSTINC ? 1 : -1));
            int p = place_of(m, kk[0]);
            /* b++ moves b to the next struct: b->ptr is another pointer
             * (lighttpd's `for (; b->ptr; ++b) free(b->ptr);`) */
            if (p >= 0)
                invalidate_fields_of(m, S, p, false);
            if (old.n) {
                val nv = v_offset(old, op == FC_OP_PREINC || op == FC_OP_POSTINC ? OFF_NONZERO : OFF_UNKNOWN);
                if (p >= 0)
                    PLACES(S)[p] = nv;
                return op == FC_OP_POSTINC || op == FC_OP_POSTDEC ? old : nv;
            }
            if (p >= 0)
                PLACES(S)[p].fl &= (uint8_t)~(F_NULL | F_ST_NEG | F_ST_NZ | F_ST_OK);
            return v_none();
        }
        case FC_OP_EXTENSION:
            return ev(m, S, kk[0], depth + 1);
        default:
            (void)ev(m, S, kk[0], depth + 1);
            return v_none();
        }
    }
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator: {
        CXCursor kk[2];
        if (fc_mf_children(m->mf, e, kk, 2) != 2)
            return ev_kids(m, S, e, depth);
        fc_op op = fc_mf_binop(m->mf, e);
        if (op == FC_OP_ASSIGN) {
            int ii = int_of_ref(m, kk[0]);
            fc_ival niv = ii >= 0 ? int_eval(m, S, kk[1], 0) : fc_iv_top();
            m->again_obj = 0;
            val v = ev(m, S, kk[1], depth + 1);
            unsigned again = m->again_obj;
            m->again_obj = 0;
            {   /* `p = realloc(p, n)`: its blocks' leak notes name it (QA5 S28) */
                CXCursor rc = fc_mf_strip(m->mf, kk[1]);
                int lp = place_of(m, kk[0]);
                if (lp >= 0 && clang_getCursorKind(rc) == CXCursor_CallExpr && call_info(m, rc)->md &&
                    call_info(m, rc)->md->kind == M_REALLOC && fc_mf_nargs(m->mf, rc) > 0 &&
                    place_of(m, fc_mf_arg(m->mf, rc, 0)) == lp)
                    for (unsigned i = 0; i < PLACES(S)[lp].n; i++)
                        if (is_tracked_heap(m, PLACES(S)[lp].t[i]))
                            m->objs[PLACES(S)[lp].t[i]].realloc_over = e;
            }
            if (ii >= 0)
                int_set(m, S, (unsigned)ii, niv);
            int p = place_of(m, kk[0]);
            if (p >= 0) {
                CXCursor lhs = fc_mf_strip(m->mf, kk[0]);
                if (clang_getCursorKind(lhs) == CXCursor_MemberRefExpr) {
                    /* s->f = v: s is dereferenced */
                    CXCursor bb[1];
                    if (fc_mf_children(m->mf, lhs, bb, 1) == 1 && (fc_mf_canon(m->mf, bb[0]).kind == CXType_Pointer)) {
                        val bv = ev(m, S, bb[0], depth + 1);
                        use_check(m, S, &bv, lhs, bb[0], NULL);
                    }
                }
                null_test_flag(m, S, p, kk[1], &v);
                m->again_assign = again;
                assign_place(m, S, (unsigned)p, v, kk[0]);
                m->again_assign = 0;
                if ((unsigned)p < m->fn->nvars && m->var_fields_start[p] != m->var_fields_start[p + 1]) {
                    copy_record_fields(m, S, p, kk[1]);
                    record_from_call(m, S, p, kk[1]);
                }
            } else {
                CXCursor lhs = fc_mf_strip(m->mf, kk[0]);
                enum CXCursorKind lk = clang_getCursorKind(lhs);
                if (m->has_ptr_fields)
                    struct_store(m, S, lhs);
                if (lk == CXCursor_DeclRefExpr) {
                    /* a global or static: the value escapes */
                    escape(m, S, &v);
                } else if (lk == CXCursor_UnaryOperator && fc_mf_unop(m->mf, lhs) == FC_OP_DEREF &&
                           (m->any_addr_scalar || m->pt_place)) {
                    /* *pp = v: a strong update when pp certainly points to a
                     * local pointer; else a store anywhere */
                    CXCursor pk[1];
                    int pv = -1;
                    if (fc_mf_children(m->mf, lhs, pk, 1) == 1) {
                        val bv = ev(m, S, pk[0], depth + 1);
                        use_check(m, S, &bv, lhs, pk[0], NULL);
                        pv = pointee_var(m, &bv, fc_mf_canon(m->mf, lhs));
                        if (pv < 0 && fc_mf_canon(m->mf, lhs).kind == CXType_Pointer)
                            pv = param_pointee(m, &bv);
                    }
                    if (pv >= 0) {
                        assign_place(m, S, (unsigned)pv, v, kk[0]);
                    } else {
                        escape(m, S, &v);
                        if (m->nints)
                            int_store(m, S, lhs);
                        val *P = PLACES(S);
                        for (unsigned x = 0; x < m->fn->nvars; x++)
                            if (m->addr_scalar[x]) {
                                P[x].fl |= F_UNK;
                                for (unsigned f = m->var_fields_start[x]; f < m->var_fields_start[x + 1]; f++)
                                    P[m->var_fields[f]].fl |= F_UNK;
                            }
                    }
                } else {
                    /* store through memory: evaluate the address (derefs are uses) */
                    (void)ev(m, S, lhs, depth + 1);
                    /* pp[k] = v in a function given pp: *pp is overwritten */
                    if (m->pt_place && lk == CXCursor_ArraySubscriptExpr) {
                        CXCursor bk[2];
                        int bp = fc_mf_children(m->mf, lhs, bk, 2) == 2 ? place_of(m, bk[0]) : -1;
                        int pp = bp >= 0 ? param_pointee(m, &PLACES(S)[bp]) : -1;
                        if (pp >= 0)
                            PLACES(S)[pp].fl |= F_UNK;
                    }
                    if (m->nints)
                        int_store(m, S, lhs);
                    escape(m, S, &v);
                    /* *pp = x may have written a variable whose address was taken */
                    val *P = PLACES(S);
                    for (unsigned x = 0; m->any_addr_scalar && x < m->fn->nvars; x++)
                        if (m->addr_scalar[x]) {
                            P[x].fl |= F_UNK;
                            for (unsigned f = m->var_fields_start[x]; f < m->var_fields_start[x + 1]; f++)
                                P[m->var_fields[f]].fl |= F_UNK;
                        }
                }
            }
            return v;
        }
        if (op == FC_OP_ADD_ASSIGN || op == FC_OP_SUB_ASSIGN || op == FC_OP_OTHER_ASSIGN) {
            val old = ev(m, S, kk[0], depth + 1);
            long long c = 1;
            bool cst = fc_mf_const(m->mf, kk[1], &c);
            (void)ev(m, S, kk[1], depth + 1);
            int ii = int_of_ref(m, kk[0]);
            if (ii >= 0)
                int_set(m, S, (unsigned)ii,
                        op != FC_OP_OTHER_ASSIGN && cst && c > -(1ll << 40) && c < (1ll << 40)
                            ? fc_iv_add(IVALS(m, S)[ii], op == FC_OP_ADD_ASSIGN ? c : -c)
                            : fc_iv_top());
            else if (m->nints && clang_getCursorKind(fc_mf_strip(m->mf, kk[0])) != CXCursor_DeclRefExpr)
                int_store(m, S, kk[0]);
            int p = place_of(m, kk[0]);
            val nv = old;
            if (old.n)
                nv = v_offset(old, op == FC_OP_ADD_ASSIGN && cst && c > 0 ? OFF_NONZERO
                                   : cst && c == 0 ? OFF_ZERO : OFF_UNKNOWN);
            if (cst && c == 0)
                nv = old;
            nv.fl &= (uint8_t)~(F_NULL | F_ST_NEG | F_ST_NZ | F_ST_OK);
            if (p >= 0 && !(cst && c == 0))
                invalidate_fields_of(m, S, p, false);
            if (p >= 0)
                PLACES(S)[p] = nv;
            return nv;
        }
        if (op == FC_OP_LAND || op == FC_OP_LOR) {
            /* `a && b && c ...` nests to the left: its spine is walked in a
             * loop, innermost first, so the operands of a long chain are
             * all evaluated however deep the chain (not cut by the depth
             * bound) */
            CXCursor spine[64], *sp = spine;
            size_t ns = 0, cap = 64;
            CXCursor x = e, leaf = kk[0];
            for (;;) {
                CXCursor xk[2];
                if (ns == cap) {
                    cap *= 2;
                    sp = sp == spine ? memcpy(fc_xmalloc(cap * sizeof *sp), spine, sizeof spine)
                                     : fc_xrealloc(sp, cap * sizeof *sp);
                }
                sp[ns++] = x;
                if (fc_mf_children(m->mf, x, xk, 2) != 2)
                    break;
                leaf = xk[0];
                CXCursor l = fc_mf_strip(m->mf, xk[0]);
                if (clang_getCursorKind(l) != CXCursor_BinaryOperator || fc_mf_binop(m->mf, l) != op || ns >= 1u << 20)
                    break;
                x = l;
            }
            (void)ev(m, S, leaf, depth + 1);
            unsigned char *T = fc_xmalloc(m->state_size);
            for (size_t i = ns; i-- > 0;) {
                CXCursor xk[2];
                if (fc_mf_children(m->mf, sp[i], xk, 2) != 2)
                    continue;
                /* the right side runs only on some paths: evaluate it on a
                 * copy refined by the left side, then join */
                memcpy(T, S, m->state_size);
                bool feasible_rhs = refine(m, T, xk[0], op == FC_OP_LAND);
                bool feasible_skip = refine(m, S, xk[0], op != FC_OP_LAND);
                if (feasible_rhs) {
                    (void)ev(m, T, xk[1], depth + 1);
                    if (feasible_skip) {
                        extern bool fc__mc_join(void *ctx, void *dst, const void *src);
                        fc__mc_join(m, S, T);
                    } else {
                        memcpy(S, T, m->state_size);
                    }
                }
            }
            free(T);
            if (sp != spine)
                free(sp);
            return v_none();
        }
        if (op == FC_OP_COMMA) {
            (void)ev(m, S, kk[0], depth + 1);
            return ev(m, S, kk[1], depth + 1);
        }
        val a = ev(m, S, kk[0], depth + 1);
        val b = ev(m, S, kk[1], depth + 1);
        if (op == FC_OP_ADD || op == FC_OP_SUB) {
            CXType t = fc_mf_canon(m->mf, e);
            if (t.kind == CXType_Pointer) {
                val pv = a.n ? a : b;
                CXCursor other = a.n ? kk[1] : kk[0];
                long long c;
                if (fc_mf_const(m->mf, other, &c)) {
                    if (c == 0)
                        return pv;
                    return v_offset(pv, op == FC_OP_ADD && c > 0 ? OFF_NONZERO : OFF_UNKNOWN);
                }
                return v_offset(pv, OFF_UNKNOWN);
            }
        }
        /* a pointer converted to an integer and offset or aligned
         * (`((uintptr_t)mem + 15) & ~(uintptr_t)15`, gnulib's malloca):
         * the result still points into the block; `& 15` (a small mask)
         * is the misalignment, not a pointer.  Rounding by a constant
         * (`(u + 63) / 64 * 64`) and a constant XOR (a mangled pointer)
         * keep it too (QA6 T4) */
        bool mul = op == FC_OP_MUL || op == FC_OP_DIV || op == FC_OP_BXOR;
        if ((op == FC_OP_ADD || op == FC_OP_SUB || op == FC_OP_BAND || op == FC_OP_BOR || mul) && !a.n != !b.n &&
            !(fc_mf_canon(m->mf, kk[0]).kind == CXType_Pointer) && !(fc_mf_canon(m->mf, kk[1]).kind == CXType_Pointer)) {
            long long c;
            bool cst = fc_mf_const(m->mf, a.n ? kk[1] : kk[0], &c);
            /* + c and | c (a tag) of the block's start: inside it, so
             * free() of it is an interior free (QA6 T12) */
            if ((op != FC_OP_BAND || !cst || c < 0 || c > 0xffff) && (!mul || (cst && c > 0)))
                return v_offset(a.n ? a : b, (op == FC_OP_ADD || op == FC_OP_BOR) && cst && c > 0 ? OFF_NONZERO
                                                                                            : OFF_UNKNOWN);
        }
        /* an operator of a macro body that libclang 14 does not show
         * (nginx's ngx_align_ptr(p, a), QA8 V13) on a pointer carried by a
         * pointer-sized integer: taken as the offsetting and rounding above
         * (a comparison gives an int, too narrow to carry it) */
        if (op == FC_OP_NONE && !a.n != !b.n && !(fc_mf_canon(m->mf, kk[0]).kind == CXType_Pointer) &&
            !(fc_mf_canon(m->mf, kk[1]).kind == CXType_Pointer)) {
            CXType rt = fc_mf_canon(m->mf, e);
            if (rt.kind >= CXType_Char_U && rt.kind <= CXType_Int128 && rt.kind != CXType_Bool &&
                clang_Type_getSizeOf(rt) >= (long long)sizeof(void *))
                return v_offset(a.n ? a : b, OFF_UNKNOWN);
        }
        /* the same on a pointer: `(char *)(ptr) - offsetof(type, member)`
         * in container_of, 0 for a first member (QA8 V4) */
        if (op == FC_OP_NONE && !a.n != !b.n && (fc_mf_canon(m->mf, e).kind == CXType_Pointer) &&
            (fc_mf_canon(m->mf, a.n ? kk[0] : kk[1]).kind == CXType_Pointer) &&
            !(fc_mf_canon(m->mf, a.n ? kk[1] : kk[0]).kind == CXType_Pointer)) {
            long long c;
            if (fc_mf_const(m->mf, a.n ? kk[1] : kk[0], &c) && c == 0)
                return a.n ? a : b;
            return v_offset(a.n ? a : b, OFF_UNKNOWN);
        }
        return v_none();
    }
    case CXCursor_ConditionalOperator: {
        CXCursor kk[3];
        if (fc_mf_children(m->mf, e, kk, 3) != 3)
            return ev_kids(m, S, e, depth);
        (void)ev(m, S, kk[0], depth + 1);
        unsigned char *T = fc_xmalloc(m->state_size);
        memcpy(T, S, m->state_size);
        bool ft = refine(m, S, kk[0], true);
        bool ff = refine(m, T, kk[0], false);
        val a = v_none(), b = v_none();
        if (ft)
            a = ev(m, S, kk[1], depth + 1);
        if (ff)
            b = ev(m, T, kk[2], depth + 1);
        val r;
        extern bool fc__mc_join(void *ctx, void *dst, const void *src);
        if (ft && ff) {
            fc__mc_join(m, S, T);
            r = v_join(a, &b);
        } else if (ff) {
            memcpy(S, T, m->state_size);
            r = b;
        } else {
            r = a;
        }
        free(T);
        return r;
    }
    case CXCursor_StmtExpr: {
        CXCursor kk[1];
        val last = v_none();
        if (fc_mf_children(m->mf, e, kk, 1) == 1)
            stmt_expr(m, S, kk[0], &last, depth + 1);
        return last;
    }
    case CXCursor_InitListExpr: {
        CXCursor kk[64];
        unsigned n = fc_mf_children(m->mf, e, kk, 64);
        for (unsigned i = 0; i < n && i < 64; i++) {
            if (!clang_isExpression(clang_getCursorKind(kk[i])))
                continue;
            val v = ev(m, S, kk[i], depth + 1);
            escape(m, S, &v);
        }
        val r = v_none();
        r.fl = F_UNK;
        return r;
    }
    case CXCursor_GNUNullExpr:
    case CXCursor_CXXNullPtrLiteralExpr:
        { val r = v_none(); r.fl = F_NULL; return r; }
    case CXCursor_CharacterLiteral:
    case CXCursor_FloatingLiteral:
    case CXCursor_ImaginaryLiteral:
        return v_none();
    case CXCursor_CompoundLiteralExpr:
        ev_kids(m, S, e, depth);
        return v_none();
    default:
        return ev_opaque(m, S, e, depth);
    }
}

/* A GNU statement expression: statements without control flow. */
static void stmt_expr(mc *m, unsigned char *S, CXCursor c, val *last, int depth)
{
    CXCursor kk[64];
    unsigned n = fc_mf_children(m->mf, c, kk, 64);
    for (unsigned i = 0; i < n && i < 64; i++) {
        enum CXCursorKind k = clang_getCursorKind(kk[i]);
        if (clang_isExpression(k)) {
            *last = ev(m, S, kk[i], depth + 1);
        } else if (k == CXCursor_DeclStmt) {
            CXCursor dd[16];
            unsigned nd = fc_mf_children(m->mf, kk[i], dd, 16);
            for (unsigned j = 0; j < nd && j < 16; j++) {
                if (clang_getCursorKind(dd[j]) != CXCursor_VarDecl)
                    continue;
                CXCursor init = fc_var_init(dd[j]);
                if (fc_cursor_null(init))
                    continue;
                val v = ev(m, S, init, depth + 1);
                int p = fc_var_index(m->fn, dd[j]);
                if (p >= 0 && !m->fn->var_static[p])
                    PLACES(S)[p] = v;
                else
                    escape(m, S, &v);
            }
            *last = v_none();
        } else {
            /* control flow inside a statement expression is not followed:
             * forget what its variables hold */
            *last = v_none();
        }
    }
}

/* `int err = (p == NULL);`, `bool ok = p != NULL;`, `failed = !p;`: an
 * integer local assigned a test of a pointer that holds one tracked block
 * against NULL becomes a flag of that block's allocation, which a later
 * `if (err)` / `if (!ok)` resolves as a test of p would (QA13 X2).  Only
 * the block is named: if p is assigned again the flag still speaks of the
 * block it held.  Leaves *v alone otherwise. */
static bool const_or_null(mc *m, CXCursor e, long long *v);

static void null_test_flag(mc *m, unsigned char *S, int var, CXCursor rhs, val *v)
{
    if (var < 0 || (unsigned)var >= m->fn->nvars || m->fn->var_static[var] || m->addr_taken[var])
        return;
    CXType vt = fc_mf_canon(m->mf, m->fn->vars[var]);
    if (!((vt.kind >= CXType_Bool && vt.kind <= CXType_Int128) || vt.kind == CXType_Enum))
        return;
    CXCursor e = fc_mf_strip(m->mf, rhs), ptr;
    bool failed_nz;     /* the flag is nonzero when the allocation failed */
    CXCursor kk[2];
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator && fc_mf_unop(m->mf, e) == FC_OP_LNOT &&
        fc_mf_children(m->mf, e, kk, 1) == 1) {
        ptr = kk[0];
        failed_nz = true;
    } else if (clang_getCursorKind(e) == CXCursor_BinaryOperator &&
               (fc_mf_binop(m->mf, e) == FC_OP_EQ || fc_mf_binop(m->mf, e) == FC_OP_NE) &&
               fc_mf_children(m->mf, e, kk, 2) == 2) {
        long long c;
        if (const_or_null(m, kk[1], &c) && c == 0)
            ptr = kk[0];
        else if (const_or_null(m, kk[0], &c) && c == 0)
            ptr = kk[1];
        else
            return;
        failed_nz = fc_mf_binop(m->mf, e) == FC_OP_EQ;
    } else {
        return;
    }
    ptr = fc_mf_strip(m->mf, ptr);
    if (fc_mf_canon(m->mf, ptr).kind != CXType_Pointer)
        return;
    int p = place_of(m, ptr);
    if (p < 0)
        return;
    const val *pv = &PLACES(S)[p];
    if (pv->n != 1 || (pv->fl & (F_UNK | F_PART)) || pv->off[0] != OFF_ZERO || !is_tracked_heap(m, pv->t[0]))
        return;
    *v = v_none();
    v->t[0] = pv->t[0];
    v->fl = failed_nz ? F_ST_NZ : F_ST_OK;
}

/* ---- Branch refinement ---- */

static bool refine_place(mc *m, unsigned char *S, int p, bool nonnull)
{
    val *P = PLACES(S);
    ost *O = OBJS(m, S);
    val v = P[p];
    bool single = v.n == 1 && !(v.fl & F_UNK) && is_tracked_heap(m, v.t[0]);
    if (nonnull) {
        if (v.n == 0 && (v.fl & F_NULL) && !(v.fl & F_UNK))
            return false;       /* known NULL: the non-null edge is dead */
        P[p].fl &= (uint8_t)~F_NULL;
        if (single) {
            /* p is not NULL: it points to its one block, which was allocated */
            ost *s = &O[v.t[0]];
            uint8_t st = s->st & (uint8_t)~(S_NULL | S_UNALLOC);
            if (!(st & (S_LIVE | S_FREED)))
                return false;
            s->st = st;
            if (s->link && s->link < m->nobjs) {   /* realloc succeeded: the old block is gone */
                ost *old = &O[s->link];
                old->st = (uint8_t)((old->st & ~S_LIVE) | S_FREED);
                s->link = 0;
            }
        }
        return true;
    }
    /* the null edge: a pointer into a block (&s->data, p + 1) is NULL only
     * where it was never set, which says nothing of the block (QA8 V20, git
     * diff.c: `info.contentp = &s->data` on one path, `if (!info.contentp)`
     * made s NULL, and a callee that may free s then "freed" it) */
    if (single && v.off[0] == OFF_ZERO) {
        ost *s = &O[v.t[0]];
        if (!(s->st & (S_NULL | S_UNALLOC)) && !(v.fl & F_NULL))
            return false;       /* known non-null */
        s->st &= S_NULL | S_UNALLOC;
        if (!s->st)
            s->st = S_NULL;
        if (s->link && s->link < m->nobjs) {   /* realloc failed: the old block is still live */
            ost *old = &O[s->link];
            if (old->st & S_LIVE)
                old->st &= (uint8_t)~S_FREED;
            s->link = 0;
        }
    }
    if (v.n == 0 && !(v.fl & (F_NULL | F_UNK)))
        return true;
    P[p] = v_none();
    P[p].fl = F_NULL;
    /* p is NULL and held one of several blocks (git's xmalloc: `ret =
     * malloc(n); if (!ret && !n) ret = malloc(1); if (!ret)`): a block of
     * them that nothing else holds was p's, so it is NULL here; had it been
     * live and not p's, it was lost before this test (QA8 V19) */
    if (v.n > 1 && !(v.fl & (F_UNK | F_PART | F_OVF)))
        for (unsigned i = 0; i < v.n; i++) {
            ost *s = &O[v.t[i]];
            if (is_tracked_heap(m, v.t[i]) && !s->link && (s->st & S_NULL) && !held_elsewhere(m, S, v.t[i]))
                s->st = (uint8_t)((s->st & (S_NULL | S_UNALLOC)) | S_NULL);
        }
    /* any block p may have held, which nothing else holds and which may be
     * NULL or not made: it is one of those here (had it been live, its
     * leak was certain where p lost it), also when p may hold other,
     * untracked pointers (tmux format.c: `found = xstrdup(..)` on some
     * paths, `found = fte->cb(ft)` on others, then `if (found == NULL)
     * return NULL;`); one freed on a path stays freed there (a list freed
     * node by node: `while (ref) { next = ref->next; free_one(ref); ref =
     * next; }` frees the first node, git's free_refs) */
    for (unsigned i = 0; !single && i < v.n; i++) {
        ost *s = &O[v.t[i]];
        if (is_tracked_heap(m, v.t[i]) && !s->link && (s->st & (S_NULL | S_UNALLOC)) &&
            !held_elsewhere(m, S, v.t[i]))
            s->st &= S_NULL | S_UNALLOC | S_FREED;
    }
    return true;
}

/* A call's result tested itself, never stored (`if (strdup(s))`,
 * `if (malloc(n) == NULL)`): its block is NULL on the one edge and made on
 * the other, as for a pointer holding it, so the failed path has no leak
 * to report (QA13 X4: reported twice, once where it failed). */
static bool refine_call(mc *m, unsigned char *S, CXCursor call, bool nonnull)
{
    val v;
    if (!recall_call(m, call, &v) || v.n != 1 || (v.fl & (F_UNK | F_PART)) || v.off[0] != OFF_ZERO ||
        !is_tracked_heap(m, v.t[0]) || v.t[0] != site_of(m, call))
        return true;
    ost *O = OBJS(m, S), *s = &O[v.t[0]];
    if (nonnull) {
        uint8_t st = s->st & (uint8_t)~(S_NULL | S_UNALLOC);
        if (!(st & (S_LIVE | S_FREED)))
            return false;
        s->st = st;
        if (s->link && s->link < m->nobjs) {   /* realloc succeeded: the old block is gone */
            O[s->link].st = (uint8_t)((O[s->link].st & ~S_LIVE) | S_FREED);
            s->link = 0;
        }
        return true;
    }
    if (!(s->st & (S_NULL | S_UNALLOC)))
        return false;           /* known non-null */
    s->st &= S_NULL | S_UNALLOC;
    if (s->link && s->link < m->nobjs) {       /* realloc failed: the old block is still live */
        if (O[s->link].st & S_LIVE)
            O[s->link].st &= (uint8_t)~S_FREED;
        s->link = 0;
    }
    return true;
}

/* The status value of an allocating call (asprintf: < 0 is failure;
 * posix_memalign: nonzero is failure) refined by `ok`. */
static bool refine_status(mc *m, unsigned char *S, const val *v, bool ok)
{
    unsigned o = v->t[0];
    if (!o || o >= m->nobjs)
        return true;
    ost *s = &OBJS(m, S)[o];
    if (v->off[0] == ST_TAKES || v->off[0] == ST_KEEPS) {
        /* the callee's failure: it freed the block (TAKES), or left it
         * to the caller (KEEPS); success: it keeps it (the call's
         * effects already said so) */
        if (!ok && v->off[0] == ST_TAKES && (s->st & (S_LIVE | S_FREED)))
            s->st = (uint8_t)((s->st & ~(S_LIVE | S_NULL | S_UNALLOC)) | S_FREED);
        else if (!ok)
            s->esc &= (uint8_t)~(E_ESC | E_STORED);
        return true;
    }
    uint8_t st = ok ? (s->st & (uint8_t)~S_NULL) : (s->st & S_NULL);
    if (!st)
        return false;
    s->st = st;
    if (s->link && s->link < m->nobjs) {
        /* a realloc through *param (own_realloc): done, the old block is
         * gone; failed, it is still live */
        ost *old = &OBJS(m, S)[s->link];
        if (ok)
            old->st = (uint8_t)((old->st & ~S_LIVE) | S_FREED);
        else if (old->st & S_LIVE)
            old->st &= (uint8_t)~S_FREED;
        s->link = 0;
    }
    return true;
}

static bool status_of(mc *m, unsigned char *S, CXCursor e, val *out)
{
    e = fc_mf_strip(m->mf, e);
    if (clang_getCursorKind(e) == CXCursor_CallExpr)
        return recall_call(m, e, out) && (out->fl & (F_ST_NEG | F_ST_NZ));
    if (clang_getCursorKind(e) == CXCursor_BinaryOperator && fc_mf_binop(m->mf, e) == FC_OP_ASSIGN) {
        CXCursor kk[2];
        if (fc_mf_children(m->mf, e, kk, 2) == 2)
            return status_of(m, S, kk[1], out);
    }
    int p = place_of(m, e);
    /* "kept only on success" is trusted only where the call is tested
     * itself: in between, the block may have been stored elsewhere */
    if (p >= 0 && (PLACES(S)[p].fl & (F_ST_NEG | F_ST_NZ | F_ST_OK)) && PLACES(S)[p].off[0] != ST_KEEPS) {
        *out = PLACES(S)[p];
        return true;
    }
    return false;
}

/* A compile-time integer, or a null pointer constant of any spelling
 * (C++'s NULL is __null, a GNUNullExpr; nullptr). */
static bool const_or_null(mc *m, CXCursor e, long long *v)
{
    if (fc_mf_const(m->mf, e, v))
        return true;
    enum CXCursorKind k = clang_getCursorKind(fc_mf_strip(m->mf, e));
    if (k == CXCursor_GNUNullExpr || k == CXCursor_CXXNullPtrLiteralExpr) {
        *v = 0;
        return true;
    }
    return false;
}

/* The object whose start `e` certainly is, from the text alone or from a
 * place that holds exactly that address: a local or global array, `&x`,
 * or `q` after `q = buf`.  Stack and global objects only: an allocation
 * site stands for every block it made, so two pointers to it may differ. */
static bool known_addr(mc *m, unsigned char *S, CXCursor e, unsigned *obj)
{
    e = fc_mf_strip(m->mf, e);
    enum CXCursorKind k = clang_getCursorKind(e);
    val v = v_none();
    if (k == CXCursor_UnaryOperator && fc_mf_unop(m->mf, e) == FC_OP_ADDR) {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, e, kk, 1) != 1 || clang_getCursorKind(fc_mf_strip(m->mf, kk[0])) != CXCursor_DeclRefExpr)
            return false;
        v = addr_of(m, S, kk[0], 0);
    } else if (k == CXCursor_DeclRefExpr) {
        v = ev_var(m, S, e);
    } else {
        return false;
    }
    if (v.n != 1 || v.fl || v.off[0] != OFF_ZERO || v.t[0] >= m->nobjs)
        return false;
    uint8_t kind = m->objs[v.t[0]].kind;
    if (kind != O_STACK && kind != O_GLOBAL)
        return false;
    *obj = v.t[0];
    return true;
}

/* Whether two pointer expressions are certainly the same known address. */
static bool ptr_same(mc *m, const unsigned char *S, CXCursor a, CXCursor b)
{
    unsigned oa, ob;
    return known_addr(m, (unsigned char *)S, a, &oa) && known_addr(m, (unsigned char *)S, b, &ob) && oa == ob;
}

/* `p == addr` / `p != addr` (`equal`: the edge where they are equal) for a
 * pointer place p and a known address (known_addr): where they differ, p
 * does not point to the start of that object, and the edge is not taken
 * when that was all p could be (Bison's `if (yyss != yyssa) free (yyss)`);
 * where they are equal, p is that address. */
static bool refine_ptr_eq(mc *m, unsigned char *S, CXCursor a, CXCursor b, bool equal)
{
    for (int i = 0; i < 2; i++) {
        CXCursor x = i ? b : a, y = i ? a : b;
        unsigned o;
        int p = place_of(m, x);
        if (p < 0 || !(fc_mf_canon(m->mf, x).kind == CXType_Pointer) || !known_addr(m, S, y, &o))
            continue;
        val *v = &PLACES(S)[p];
        if (equal) {
            if (v_has(v, o)) {
                /* a block p may have held instead, which nothing else
                 * holds and which may not have been allocated: it was not
                 * (`p = n > 16 ? malloc(n) : buf; if (p == buf)`), or its
                 * leak was already certain where p lost it */
                val old = *v;
                uint16_t dang = v->dang;
                *v = v_obj(o, OFF_ZERO);
                v->dang = dang;
                ost *O = OBJS(m, S);
                for (unsigned j = 0; j < old.n; j++)
                    if (old.t[j] != o && is_tracked_heap(m, old.t[j]) && (O[old.t[j]].st & S_UNALLOC) &&
                        !held_elsewhere(m, S, old.t[j]))
                        O[old.t[j]].st = S_UNALLOC;
            } else if (v->n && !(v->fl & (F_UNK | F_PART | F_OVF))) {
                /* p holds only blocks or other locals (or NULL): never
                 * that address (a path kept apart where p is a block);
                 * a parameter's memory may be a global, so not then */
                bool other = true;
                for (unsigned j = 0; j < v->n && other; j++)
                    other = m->objs[v->t[j]].kind == O_HEAP || m->objs[v->t[j]].kind == O_STACK;
                if (other)
                    return false;
            }
            return true;
        }
        for (unsigned j = 0; j < v->n; j++)
            if (v->t[j] == o && v->off[j] == OFF_ZERO) {
                v->n--;
                v->t[j] = v->t[v->n];
                v->off[j] = v->off[v->n];
                return v->n > 0 || (v->fl & (F_UNK | F_NULL));
            }
        return true;
    }
    return true;
}

static bool refine_d(mc *m, unsigned char *S, CXCursor c, bool truth, int depth)
{
    if (depth > 32)
        return true;    /* deep && / || chains: stop learning, stay sound */
    CXCursor e = fc_mf_strip(m->mf, c);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_UnaryOperator && fc_mf_unop(m->mf, e) == FC_OP_LNOT) {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, e, kk, 1) == 1)
            return refine_d(m, S, kk[0], !truth, depth + 1);
        return true;
    }
    if (k == CXCursor_BinaryOperator) {
        fc_op op = fc_mf_binop(m->mf, e);
        CXCursor kk[2];
        if (fc_mf_children(m->mf, e, kk, 2) != 2)
            return true;
        if (op == FC_OP_NONE) {
            /* an operator we could not read (built by a macro from its
             * parameters): what this edge says about the pointers compared
             * is unknown, so their blocks' states are no longer certain;
             * so is the block whose status (posix_memalign's, asprintf's)
             * is compared (QA4 R2: Check's ck_assert_int_eq(posix_memalign(
             * &p, 3, 16), EINVAL), whose `==` is a macro argument) */
            for (int i = 0; i < 2; i++) {
                val sv;
                if (status_of(m, S, kk[i], &sv) && is_tracked_heap(m, sv.t[0]))
                    OBJS(m, S)[sv.t[0]].st |= S_UNALLOC | S_UNSURE;
                int p = place_of(m, kk[i]);
                if (p < 0)
                    continue;
                val v = PLACES(S)[p];
                for (unsigned j = 0; j < v.n; j++)
                    if (is_tracked_heap(m, v.t[j]))
                        OBJS(m, S)[v.t[j]].st |= S_UNALLOC | S_UNSURE;
            }
            return true;
        }
        if (op == FC_OP_ASSIGN)
            return refine_d(m, S, kk[0], truth, depth + 1);
        if (op == FC_OP_LAND && truth)
            return refine_d(m, S, kk[0], true, depth + 1) && refine_d(m, S, kk[1], true, depth + 1);
        if (op == FC_OP_LOR && !truth)
            return refine_d(m, S, kk[0], false, depth + 1) && refine_d(m, S, kk[1], false, depth + 1);
        if (op == FC_OP_COMMA)
            return refine_d(m, S, kk[1], truth, depth + 1);
        long long c0, c1;
        bool k0 = const_or_null(m, kk[0], &c0), k1 = const_or_null(m, kk[1], &c1);
        if (!k0 && !k1 && m->nints) {
            /* `rc != want` where want holds one known value (int want =
             * EINVAL; Check's ck_assert_int_eq copies both sides) */
            int64_t off, one;
            int i1 = int_term(m, kk[1], &off);
            if (i1 >= 0 && fc_iv_single(&IVALS(m, S)[i1], &one) && iv_finite(one)) {
                k1 = true;
                c1 = one + off;
            } else {
                int i0 = int_term(m, kk[0], &off);
                if (i0 >= 0 && fc_iv_single(&IVALS(m, S)[i0], &one) && iv_finite(one)) {
                    k0 = true;
                    c0 = one + off;
                }
            }
        }
        if (!k0 && !k1 && (op == FC_OP_EQ || op == FC_OP_NE))
            return refine_ptr_eq(m, S, kk[0], kk[1], (op == FC_OP_EQ) == truth);
        if (k0 == k1)
            return true;
        CXCursor other = k0 ? kk[1] : kk[0];
        long long cv = k0 ? c0 : c1;
        /* normalize `c OP x` to `x OP' c` */
        if (k0) {
            if (op == FC_OP_LT) op = FC_OP_GT;
            else if (op == FC_OP_GT) op = FC_OP_LT;
            else if (op == FC_OP_LE) op = FC_OP_GE;
            else if (op == FC_OP_GE) op = FC_OP_LE;
        }
        val st;
        if (status_of(m, S, other, &st)) {
            bool failed_when_true;
            bool split = st.off[0] == ST_TAKES || st.off[0] == ST_KEEPS;
            if (split && cv == 0 && (op == FC_OP_EQ || op == FC_OP_NE)) {
                /* a split status is 0 exactly on success */
                failed_when_true = op == FC_OP_NE;
            } else if ((st.fl & (F_ST_OK | F_ST_NZ)) == F_ST_OK) {
                /* `ok == 0`, `ok != 0`, `ok == true` for ok = (p != NULL) */
                if ((op == FC_OP_EQ && cv == 0) || (op == FC_OP_NE && cv == 1))
                    failed_when_true = true;
                else if ((op == FC_OP_NE && cv == 0) || (op == FC_OP_EQ && cv == 1))
                    failed_when_true = false;
                else
                    return true;
            } else if (st.fl & F_ST_OK) {
                return true;    /* both polarities joined: unknown */
            } else if ((st.fl & F_ST_NEG) && !((st.fl & F_ST_NZ) && cv == 0 && (op == FC_OP_EQ || op == FC_OP_NE))) {
                /* (with F_ST_NZ too, failures are negative and success is
                 * 0: `== 0` / `!= 0` are read below) */
                if ((op == FC_OP_LT && cv == 0) || (op == FC_OP_EQ && cv == -1) || (op == FC_OP_LE && cv == -1))
                    failed_when_true = true;
                else if ((op == FC_OP_GE && cv == 0) || (op == FC_OP_NE && cv == -1) || (op == FC_OP_GT && cv == -1))
                    failed_when_true = false;
                else
                    return true;
            } else {
                if (op == FC_OP_NE && cv == 0)
                    failed_when_true = true;
                else if (op == FC_OP_EQ && cv == 0)
                    failed_when_true = false;
                else if (op == FC_OP_EQ)
                    failed_when_true = true;    /* == EINVAL: an error code */
                else if (op == FC_OP_NE)        /* != ENOMEM: success or another error */
                    return truth || refine_status(m, S, &st, false);
                else
                    return true;
            }
            return refine_status(m, S, &st, truth != failed_when_true);
        }
        if ((cv == 0 || cv == 1) && (op == FC_OP_EQ || op == FC_OP_NE)) {
            /* a truth value compared with 0 or 1 (`(p == NULL) != 0`,
             * `!!p == false`): a test of that truth value (QA13 X2) */
            CXCursor t = fc_mf_strip(m->mf, other);
            enum CXCursorKind tk = clang_getCursorKind(t);
            fc_op top = tk == CXCursor_BinaryOperator ? fc_mf_binop(m->mf, t) : FC_OP_NONE;
            if ((tk == CXCursor_UnaryOperator && fc_mf_unop(m->mf, t) == FC_OP_LNOT) ||
                (top >= FC_OP_LT && top <= FC_OP_NE) || top == FC_OP_LAND || top == FC_OP_LOR)
                return refine_d(m, S, t, ((op == FC_OP_NE) == (cv == 0)) == truth, depth + 1);
        }
        if (cv != 0 || (op != FC_OP_EQ && op != FC_OP_NE))
            return true;
        bool nonnull = (op == FC_OP_NE) == truth;
        CXCursor o = fc_mf_strip(m->mf, other);
        if (clang_getCursorKind(o) == CXCursor_BinaryOperator && fc_mf_binop(m->mf, o) == FC_OP_ASSIGN) {
            CXCursor aa[2];
            if (fc_mf_children(m->mf, o, aa, 2) == 2)
                o = aa[0];
        }
        if (clang_getCursorKind(o) == CXCursor_CallExpr)
            return refine_call(m, S, o, nonnull);
        int p = place_of(m, o);
        if (p >= 0 && (fc_mf_canon(m->mf, o).kind == CXType_Pointer))
            return refine_place(m, S, p, nonnull);
        return true;
    }
    val st;
    if (status_of(m, S, e, &st)) {
        if ((st.fl & (F_ST_OK | F_ST_NZ)) == F_ST_OK)
            return refine_status(m, S, &st, truth);
        if (!(st.fl & F_ST_OK) && ((st.fl & F_ST_NZ) || st.off[0] == ST_TAKES || st.off[0] == ST_KEEPS))
            return refine_status(m, S, &st, !truth);
    }
    if (k == CXCursor_CallExpr)
        return refine_call(m, S, e, truth);
    int p = place_of(m, e);
    if (p >= 0 && (fc_mf_canon(m->mf, e).kind == CXType_Pointer))
        return refine_place(m, S, p, truth);
    return true;
}

/* ---- Dataflow client ---- */

static void mc_init(void *ctx, void *state)
{
    mc *m = ctx;
    memset(state, 0, m->state_size);
    val *P = PLACES(state);
    ost *O = OBJS(m, state);
    for (unsigned i = 0; i < m->fn->nvars; i++) {
        P[i].fl = F_UNK;
        if (i < m->fn->nparams) {
            P[i] = v_none();
            CXType t = fc_mf_canon(m->mf, m->fn->vars[i]);
            if (t.kind == CXType_Pointer || t.kind == CXType_IncompleteArray || t.kind == CXType_ConstantArray) {
                P[i] = v_obj(m->param_base + i, OFF_ZERO);
                P[i].fl = F_NULL;
            } else {
                P[i].fl = F_UNK;
            }
        } else if (m->fn->var_static[i]) {
            P[i].fl = F_UNK;
        } else {
            P[i] = v_none();   /* uninitialized: nothing known */
        }
    }
    for (unsigned p = m->fn->nvars; p < m->nplaces; p++) {
        unsigned fo = m->field_obj ? m->field_obj[p - m->fn->nvars] : 0;
        /* a local struct's field gets its object only from a call's
         * result (record_from_call): uninitialized before */
        if (fo && (m->places[p].via_ptr || m->places[p].var < (int)m->fn->nparams)) {
            P[p] = v_obj(fo, OFF_ZERO);
            P[p].fl = F_NULL;
        }
    }
    for (unsigned i = 0; i < m->nints; i++)
        int_set(m, state, i, fc_iv_top());
    for (unsigned o = 1; o < m->nobjs; o++) {
        switch (m->objs[o].kind) {
        case O_HEAP: O[o].st = S_UNALLOC; break;
        case O_PARAM: O[o].st = S_LIVE | S_NULL; O[o].esc = E_ESC; break;
        default: O[o].st = S_LIVE; O[o].esc = E_ESC; break;
        }
    }
}

/* A block the join could not add to a full value (F_OVF) is named by no
 * place any more: it escapes, or a later free through that place could
 * not reach it and a return would call it leaked (tmux format.c: `value`
 * holding blocks of seven allocation sites). */
static void ovf_escape(const mc *m, void *dst, const val *j, const val *src)
{
    ost *OD = OBJS(m, dst);
    for (unsigned i = 0; i < src->n; i++)
        if (src->t[i] < m->nobjs && !v_has(j, src->t[i]))
            OD[src->t[i]].esc |= E_ESC;
}

bool fc__mc_join(void *ctx, void *dst, const void *src)
{
    mc *m = ctx;
    /* the same state again (a loop that has settled): nothing to do */
    if (!memcmp(dst, src, m->state_size))
        return false;
    val *PD = PLACES(dst);
    const val *PS = PLACES(src);
    bool changed = false;
    for (unsigned p = 0; p < m->nplaces; p++) {
        /* most places are equal: skip runs of 16 with one comparison */
        if (!(p & 15) && p + 16 <= m->nplaces && !memcmp(&PD[p], &PS[p], 16 * sizeof(val))) {
            p += 15;
            continue;
        }
        if (!memcmp(&PD[p], &PS[p], sizeof(val)))
            continue;
        val j = v_join(PD[p], &PS[p]);
        if (j.fl & F_OVF)
            ovf_escape(m, dst, &j, &PS[p]);
        if (memcmp(&j, &PD[p], sizeof j)) {
            PD[p] = j;
            changed = true;
        }
    }
    ost *OD = OBJS(m, dst);
    const ost *OS = OBJS(m, src);
    for (unsigned o = 0; o < m->nobjs; o++) {
        if (!(o & 31) && o + 32 <= m->nobjs && !memcmp(&OD[o], &OS[o], 32 * sizeof(ost))) {
            o += 31;
            continue;
        }
        if (!memcmp(&OD[o], &OS[o], sizeof(ost)))
            continue;
        ost j = OD[o];
        j.st |= OS[o].st;
        if (!(j.esc & (E_REPORTED | E_LEAKED)))
            j.pad = OS[o].pad;
        j.esc |= OS[o].esc;
        if (!j.freed_at)
            j.freed_at = OS[o].freed_at;
        if (j.link != OS[o].link)
            j.link = 0;
        if (memcmp(&j, &OD[o], sizeof j)) {
            OD[o] = j;
            changed = true;
        }
    }
    fc_ival *ID = IVALS(m, dst);
    const fc_ival *IS = IVALS(m, src);
    for (unsigned i = 0; i < m->nints; i++)
        changed |= fc_iv_join(&ID[i], &IS[i]);
    return changed;
}

/* Two paths worth keeping apart (dataflow.h, distinct): an integer fact
 * that a branch from here on tests tells them apart and a block is in a different state on each (freed on
 * one, live or never allocated on the other), so a later test of that
 * integer decides which state holds instead of a join that knows only
 * "maybe". */
static bool mc_distinct(void *ctx, const fc_block *at, const void *a, const void *b)
{
    mc *m = ctx;
    const fc_ival *IA = IVALS(m, a), *IB = IVALS(m, b);
    uint16_t later = m->int_later[at->id];
    bool by_int = false;
    uint16_t by_ptr = 0;
    for (unsigned i = 0; i < m->nints && !by_int; i++) {
        if (!((later >> i) & 1))
            continue;
        if (m->int_ptrvar[i] < 0)
            by_int = fc_iv_disjoint(&IA[i], &IB[i]);
        else if ((IA[i].lo >= 1 && IB[i].lo <= 0) || (IB[i].lo >= 1 && IA[i].lo <= 0))
            by_ptr |= (uint16_t)(1u << i);
    }
    if (!by_int && !by_ptr)
        return false;
    const ost *OA = OBJS(m, a), *OB = OBJS(m, b);
    const val *PA = PLACES(a), *PB = PLACES(b);
    for (unsigned o = 1; o < m->nobjs; o++) {
        if (m->objs[o].kind != O_HEAP || !((OA[o].st ^ OB[o].st) & (S_LIVE | S_FREED | S_UNALLOC)))
            continue;
        if (by_int)
            return true;
        /* a pointer local certainly not NULL on one path and maybe NULL
         * on the other, which does not hold the block itself: its test
         * later takes only the second on the NULL side (`env = "x"; path
         * = strdup(d);` in one branch, env NULL or set by a call on the
         * others, then `if (env) free(path);`, QA12 R7; the call's path
         * may join the NULL one first, so "certainly NULL" is not asked).
         * A test of the block's own pointer refines its state without
         * keeping paths apart (`p = buf` or `p = malloc(n)`, then `p ==
         * buf`: git packfile.c's small stack array) */
        for (unsigned i = 0; i < m->nints; i++)
            if (((by_ptr >> i) & 1) && !v_has(&PA[m->int_ptrvar[i]], o) && !v_has(&PB[m->int_ptrvar[i]], o))
                return true;
    }
    return false;
}

static void check_return_value(mc *m, unsigned char *S, CXCursor ret, CXCursor value, const val *v)
{
    if (v->n == 0 || (v->fl & (F_UNK | F_PART)))
        return;
    for (unsigned i = 0; i < v->n; i++)
        if (m->objs[v->t[i]].kind != O_STACK)
            return;
    (void)S;
    if (!emitting(m) || !fc_check_enabled(m->opts, "return-stack-address"))
        return;
    CXType rt = clang_getCanonicalType(clang_getCursorResultType(m->fn->decl));
    if (rt.kind != CXType_Pointer)
        return;
    unsigned o = v->t[0];
    const char *name = objname(m, o);
    char *t = text_of(m, value);
    fc_finding *f;
    if (m->objs[o].var < 0) {
        f = fc_finding_new("return-stack-address", fc_loc_of(ret), "returns a dangling pointer",
                           "'%s' returns '%s', memory from '%s' on its stack, which dies when it returns",
                           m->fn->name, t, m->objs[o].fname ? m->objs[o].fname : "alloca");
        fc_finding_note(f, fc_loc_of(m->objs[o].site), "allocated here", "it was allocated on the stack here");
    } else {
        f = fc_finding_new("return-stack-address", fc_loc_of(ret), "returns a dangling pointer",
                           "'%s' returns '%s', the address of its local variable '%s', which dies when it returns",
                           m->fn->name, t, name);
        fc_finding_note(f, fc_loc_of(m->fn->vars[m->objs[o].var]), "declared here", "'%s' is declared here", name);
    }
    fc_diag_emit(m->sink, f);
    free(t);
}

/* `free(s); ... return s;` of the caller's own pointer s in a function
 * returning a pointer: the caller gets its memory back freed (QA16 Z13;
 * the caller's use was found only when the caller is analyzed too).  A
 * block the function made and freed is reported where the caller uses it
 * (summary returns_freed), as before. */
static void return_freed_check(mc *m, unsigned char *S, CXCursor ret, CXCursor value, const val *v)
{
    ost *O = OBJS(m, S);
    cur_site = site_id(ret);
    if (!emitting(m) || !fc_check_enabled(m->opts, "use-after-free") ||
        clang_getCanonicalType(clang_getCursorResultType(m->fn->decl)).kind != CXType_Pointer ||
        v->n != 1 || m->objs[v->t[0]].kind != O_PARAM || !must_freed(m, O, v, false))
        return;
    char *t = text_of(m, value);
    fc_finding *f = fc_finding_new("use-after-free", fc_loc_of(ret), "returned here after free",
                                   "'%s' is returned after it was freed", t);
    ost fs = freed_state(O, v);
    note_freed(m, f, &fs, false);
    fc_diag_emit(m->sink, f);
    free(t);
    mark_reported(O, v);
    undangle(m, S, v);
}

/* `struct slot sl = { strdup(s), 0 };` or `{ .val = strdup(s) }`: each
 * element goes to its member's place sl.f, as `sl.f = x;` would (QA16 Z1:
 * the block escaped into the untracked aggregate).  Elements map to the
 * record's members in order up to the first member that is a record or an
 * array (brace elision may shift the rest); a designator naming one member
 * maps its element.  An element left unmapped escapes, as before.  False
 * when init is no initializer list. */
typedef struct init_fields { CXCursor f[32]; unsigned n; } init_fields;

static enum CXVisitorResult init_field_visit(CXCursor c, CXClientData d)
{
    init_fields *fs = d;
    fs->f[fs->n++] = c;
    return fs->n < 32 ? CXVisit_Continue : CXVisit_Break;
}

static bool init_record_fields(mc *m, unsigned char *S, int var, CXCursor init)
{
    CXCursor e = fc_mf_strip(m->mf, init);
    if (clang_getCursorKind(e) != CXCursor_InitListExpr)
        return false;
    CXCursor kk[33];
    unsigned n = fc_mf_children(m->mf, e, kk, 33);
    if (n > 32)
        return false;
    init_fields fs = { .n = 0 };
    clang_Type_visitFields(fc_mf_canon(m->mf, m->fn->vars[var]), init_field_visit, &fs);
    assign_place(m, S, (unsigned)var, v_none(), init);
    bool in_order = true;
    for (unsigned i = 0; i < n; i++) {
        CXCursor x = kk[i], field = clang_getNullCursor();
        CXCursor dk[3];
        unsigned nd = clang_getCursorKind(x) == CXCursor_UnexposedExpr ? fc_mf_children(m->mf, x, dk, 3) : 0;
        if (nd >= 2 && clang_getCursorKind(dk[0]) == CXCursor_MemberRef) {
            in_order = false;   /* positions after a designator: not followed */
            if (nd == 2)
                field = clang_getCursorReferenced(dk[0]);
            x = dk[nd - 1];
        } else if (!clang_isExpression(clang_getCursorKind(x))) {
            continue;
        } else if (in_order && i < fs.n) {
            CXType ft = clang_getCanonicalType(clang_getCursorType(fs.f[i]));
            /* (an unnamed bit-field takes no initializer) */
            if (ft.kind == CXType_Record || fc_mf_kind_is_array(ft.kind) ||
                !*fc_intern_cx(clang_getCursorSpelling(fs.f[i])))
                in_order = false;
            else
                field = fs.f[i];
        }
        val v = ev(m, S, x, 0);
        int q = -1;
        for (unsigned j = m->var_fields_start[var]; !fc_cursor_null(field) && j < m->var_fields_start[var + 1]; j++) {
            const place *pl = &m->places[m->var_fields[j]];
            if (!pl->via_ptr && pl->index == -1 && same_cursor(pl->field, field))
                q = (int)m->var_fields[j];
        }
        if (q >= 0)
            assign_place(m, S, (unsigned)q, v, x);
        else
            escape(m, S, &v);
    }
    return true;
}

/* `return (int[]){1, 2, 3};` or `return &(struct s){0};` in a function:
 * a compound literal in a body has automatic storage, which dies with
 * the call (QA13 X7: clang reports it, gcc and ferrum did not). */
static void complit_return(mc *m, CXCursor ret, CXCursor value)
{
    CXCursor e = fc_mf_strip(m->mf, value), kk[1];
    bool addr = false;
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator && fc_mf_unop(m->mf, e) == FC_OP_ADDR &&
        fc_mf_children(m->mf, e, kk, 1) == 1) {
        e = fc_mf_strip(m->mf, kk[0]);
        addr = true;
    }
    if (clang_getCursorKind(e) != CXCursor_CompoundLiteralExpr ||
        (!addr && !fc_mf_kind_is_array(fc_mf_canon(m->mf, e).kind)) ||
        clang_getCanonicalType(clang_getCursorResultType(m->fn->decl)).kind != CXType_Pointer ||
        !emitting(m) || !fc_check_enabled(m->opts, "return-stack-address"))
        return;
    char *t = text_of(m, value);
    fc_finding *f = fc_finding_new("return-stack-address", fc_loc_of(ret), "returns a dangling pointer",
                                   "'%s' returns '%s', a compound literal on its stack, which dies when it returns",
                                   m->fn->name, t);
    fc_diag_emit(m->sink, f);
    free(t);
}

static void mc_transfer(void *ctx, void *state, const fc_block *b, const fc_elem *el, bool report)
{
    (void)b;
    mc *m = ctx;
    unsigned char *S = state;
    m->report = report;
    switch (el->kind) {
    case FC_EL_EXPR:
    case FC_EL_COND: {
        m->nlast = 0;
        val v = ev(m, S, el->c, 0);
        /* `malloc(n);` or `(void)strdup(s);`: the new block is lost at once */
        CXCursor e = fc_mf_strip(m->mf, el->c);
        if (el->kind == FC_EL_EXPR && clang_getCursorKind(e) == CXCursor_CallExpr && v.n == 1 &&
            !(v.fl & F_UNK) && v.t[0] == site_of(m, e) && v.t[0] && m->objs[v.t[0]].kind == O_HEAP) {
            ost *O = OBJS(m, S);
            cur_site = site_id(e);
            if (must_live(&O[v.t[0]]) && !held_elsewhere(m, S, v.t[0]))
                report_leak(m, S, v.t[0], fc_loc_of(e), "is discarded here", NULL);
        }
        break;
    }
    case FC_EL_DECL: {
        int p = fc_var_index(m->fn, el->c);
        CXCursor init = fc_var_init(el->c);
        int ii = m->nints && !(p >= 0 && m->fn->var_static[p]) ? int_of_decl(m, el->c) : -1;
        if (ii >= 0)
            int_set(m, S, (unsigned)ii, fc_cursor_null(init) ? fc_iv_top() : int_eval(m, S, init, 0));
        if (fc_cursor_null(init)) {
            if (p >= 0 && !m->fn->var_static[p]) {
                PLACES(S)[p] = v_none();
                invalidate_fields_of(m, S, p, false);
            }
            break;
        }
        if (p >= 0 && !m->fn->var_static[p] && fc_mf_canon(m->mf, el->c).kind == CXType_Record &&
            init_record_fields(m, S, p, init))
            break;
        val v = ev(m, S, init, 0);
        null_test_flag(m, S, p, init, &v);
        if (p >= 0 && !m->fn->var_static[p]) {
            CXType t = fc_mf_canon(m->mf, el->c);
            if (fc_mf_kind_is_array(t.kind) || t.kind == CXType_Record) {
                escape(m, S, &v);     /* stored in an aggregate we do not track */
                v = v_none();
            }
            assign_place(m, S, (unsigned)p, v, el->c);
            if (t.kind == CXType_Record) {
                copy_record_fields(m, S, p, init);
                record_from_call(m, S, p, init);
            }
        } else {
            escape(m, S, &v);
        }
        break;
    }
    case FC_EL_RETURN: {
        CXCursor kk[1];
        m->ret_set = true;
        m->ret_val = v_none();
        if (fc_mf_children(m->mf, el->c, kk, 1) == 1) {
            m->ret_val = ev(m, S, kk[0], 0);
            check_return_value(m, S, el->c, kk[0], &m->ret_val);
            return_freed_check(m, S, el->c, kk[0], &m->ret_val);
            if (m->has_complit)
                complit_return(m, el->c, kk[0]);
        }
        break;
    }
    }
}

/* A `break` or `continue` leaves the scope of the locals declared inside
 * the loop (or switch): memory only they point to is leaked at the jump,
 * even where other paths out of the loop free it (so the join after the
 * loop no longer says "live on every path", which is what a leak at the
 * return needs).  The variables are cleared, and a leak reported here is
 * marked so that the return does not report it again. */
static void scope_end(mc *m, unsigned char *S, const fc_edge *e, bool report)
{
    if (!e->ndead || (m->summary_mode && !m->check_too))
        return;
    val *P = PLACES(S);
    ost *O = OBJS(m, S);
    bool saved = m->report;
    m->report = report;
    cur_site = site_id(e->jump_stmt);
    val gone = v_none();
    const char *who[FC_VT] = { 0 };
    for (unsigned i = 0; i < e->ndead; i++) {
        unsigned v = e->dead[i];
        if (v >= m->fn->nvars)
            continue;
        for (unsigned k = 0; k < P[v].n; k++)
            if (!v_has(&gone, P[v].t[k]) && gone.n < FC_VT) {
                who[gone.n] = fc_intern_cx(clang_getCursorSpelling(m->fn->vars[v]));
                v_add(&gone, P[v].t[k], OFF_ZERO);
            }
        P[v] = v_none();
    }
    bool is_break = clang_getCursorKind(e->jump_stmt) == CXCursor_BreakStmt;
    for (unsigned k = 0; k < gone.n; k++) {
        unsigned o = gone.t[k];
        if (o < m->nobjs && m->objs[o].kind == O_HEAP && must_live(&O[o]) && !held_elsewhere(m, S, o))
            report_leak(m, S, o, fc_loc_of(e->jump_stmt),
                        is_break ? "goes out of scope at this 'break'" : "goes out of scope at this 'continue'",
                        who[k]);
    }
    m->report = saved;
}

static void mc_scope_end(void *ctx, void *state, const fc_block *b, const fc_edge *e, bool report)
{
    (void)b;
    scope_end(ctx, state, e, report);
}

static bool mc_edge(void *ctx, void *state, const fc_block *b, const fc_edge *e)
{
    mc *m = ctx;
    if (e->ndead)
        scope_end(m, state, e, false);
    if (b->term == FC_T_BRANCH || b->term == FC_T_SWITCH) {
        /* a branch taken: a free before it is no longer certain here */
        ost *O = OBJS(m, (unsigned char *)state);
        for (unsigned i = 0; i < m->nsure; i++)
            O[m->sure_objs[i]].st &= (uint8_t)~S_SURE;
    }
    if (m->nints && b->term == FC_T_SWITCH && e->kind == FC_E_CASE && e->case_known &&
        m->icond[b->id].kind == IC_CONST && !m->icond[b->id].neg) {
        int64_t off = m->icond[b->id].ox;
        int i = m->icond[b->id].x;
        if (e->lo - off > -(1ll << 40) && e->hi - off < (1ll << 40)) {
            fc_ival v = IVALS(m, (unsigned char *)state)[i];
            if (!fc_iv_restrict(&v, FC_OP_GE, e->lo - off) || !fc_iv_restrict(&v, FC_OP_LE, e->hi - off))
                return false;
            IVALS(m, (unsigned char *)state)[i] = v;
        }
    }
    if (b->term == FC_T_SWITCH && !fc_cursor_null(b->cond) && (e->kind == FC_E_CASE || e->kind == FC_E_DEFAULT)) {
        /* a switch on a truth value (`switch (p != NULL) { case 0: ... }`,
         * QA13 X2 f11): each case, and the default when the cases name
         * one of 0 and 1, is a branch on it */
        CXCursor t = fc_mf_strip(m->mf, b->cond);
        enum CXCursorKind tk = clang_getCursorKind(t);
        fc_op top = tk == CXCursor_BinaryOperator ? fc_mf_binop(m->mf, t) : FC_OP_NONE;
        if (!((tk == CXCursor_UnaryOperator && fc_mf_unop(m->mf, t) == FC_OP_LNOT) ||
              (top >= FC_OP_LT && top <= FC_OP_NE) || top == FC_OP_LAND || top == FC_OP_LOR))
            return true;
        bool can0, can1;
        if (e->kind == FC_E_CASE) {
            if (!e->case_known)
                return true;
            can0 = e->lo <= 0 && e->hi >= 0;
            can1 = e->lo <= 1 && e->hi >= 1;
        } else {
            can0 = can1 = true;
            for (unsigned i = 0; i < b->nsucc; i++) {
                const fc_edge *c = &b->succ[i];
                if (c->kind != FC_E_CASE)
                    continue;
                if (!c->case_known)
                    return true;
                if (c->lo <= 0 && c->hi >= 0)
                    can0 = false;
                if (c->lo <= 1 && c->hi >= 1)
                    can1 = false;
            }
        }
        if (!can0 && !can1)
            return false;
        return can0 && can1 ? true : refine(m, state, b->cond, can1);
    }
    if (b->term != FC_T_BRANCH || fc_cursor_null(b->cond))
        return true;
    if (e->kind != FC_E_TRUE && e->kind != FC_E_FALSE)
        return true;
    if (m->nints) {
        const struct icond *d = &m->icond[b->id];
        if (d->kind == IC_SLOW ? !int_refine(m, state, b->cond, e->kind == FC_E_TRUE, 0)
                               : d->kind != IC_NONE && !int_refine_fast(m, state, d, e->kind == FC_E_TRUE))
            return false;
    }
    return refine(m, state, b->cond, e->kind == FC_E_TRUE);
}

static void reach_from(const mc *m, const unsigned char *S, const val *v, unsigned char *seen)
{
    (void)S;
    for (unsigned i = 0; i < v->n; i++)
        if (v->t[i] < m->nobjs)
            seen[v->t[i]] = 1;
}

static enum CXChildVisitResult mark_outer_decl(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    mc *m = data;
    if (clang_getCursorKind(c) == CXCursor_VarDecl) {
        int v = fc_var_index(m->fn, c);
        if (v >= 0 && !m->fn->var_static[v])
            m->main_outer[v] = 1;
    }
    return CXChildVisit_Continue;
}

static enum CXChildVisitResult find_outer_decls(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_DeclStmt)
        clang_visitChildren(c, mark_outer_decl, data);
    return CXChildVisit_Continue;
}

/* A return from main() ends the program as exit() does: a block that a
 * parameter or a local of main's outermost block still points to (or a
 * field of one) is still reachable then, as valgrind says, not lost
 * (gcc -fanalyzer is silent there too; clang --analyze reports it).  A
 * block lost before (overwritten, or held by a loop body's local that went
 * out of scope) is still a leak. */
static bool main_reachable(mc *m, const unsigned char *S, unsigned o)
{
    if (!m->main_outer) {
        m->main_outer = fc_xcalloc(m->fn->nvars + 1, 1);
        for (unsigned v = 0; v < m->fn->nparams; v++)
            m->main_outer[v] = 1;
        clang_visitChildren(m->fn->body, find_outer_decls, m);
    }
    const val *P = PLACES(S);
    for (unsigned q = 0; q < m->nplaces; q++) {
        int var = q < m->fn->nvars ? (int)q : m->places[q].var;
        if (var >= 0 && (unsigned)var < m->fn->nvars && m->main_outer[var] && v_has(&P[q], o))
            return true;
    }
    return false;
}

/* The address of a local left where the caller gets it when the function
 * returns: through *param or in a parameter's field (QA5 S21: `*out =
 * buf`, `c->name = tmp`).  main's locals live until exit. */
static void kept_local_check(mc *m, unsigned char *S, fc_loc where)
{
    if (!emitting(m) || !fc_check_enabled(m->opts, "return-stack-address") || !m->fn->name ||
        !strcmp(m->fn->name, "main"))
        return;
    const val *P = PLACES(S);
    for (unsigned q = m->fn->nvars; q < m->nplaces; q++) {
        const place *pl = &m->places[q];
        bool param_field = pl->index == -1 && pl->via_ptr && pl->var >= 0 && (unsigned)pl->var < m->fn->nparams &&
                           !fc_cursor_null(pl->field);
        /* not a pointer global: a value left there may never be read
         * again (Juliet's good cases pass a buffer to a sink that way) */
        if (!param_field && pl->index != -2)
            continue;
        const val *v = &P[q];
        if (v->n != 1 || v->fl || v->t[0] >= m->nobjs || m->objs[v->t[0]].kind != O_STACK || m->objs[v->t[0]].var < 0)
            continue;
        if (!m->kept_reported)
            m->kept_reported = fc_xcalloc(m->nplaces, sizeof *m->kept_reported);
        if (m->kept_reported[q])
            continue;
        m->kept_reported[q] = true;
        const char *local = objname(m, v->t[0]);
        char where_kept[160];
        const char *pn = fc_intern_cx(clang_getCursorSpelling(m->fn->vars[pl->var]));
        if (pl->index == -2)
            snprintf(where_kept, sizeof where_kept, "'*%s'", pn);
        else
            snprintf(where_kept, sizeof where_kept, "'%s->%s'", pn, fc_intern_cx(clang_getCursorSpelling(pl->field)));
        fc_finding *f = fc_finding_new("return-stack-address", where, "returns leaving a dangling pointer",
                                       "'%s' returns leaving the address of its local variable '%s' in %s, which "
                                       "outlives it", m->fn->name, local, where_kept);
        fc_finding_note(f, fc_loc_of(m->fn->vars[m->objs[v->t[0]].var]), "declared here", "'%s' is declared here",
                        local);
        fc_diag_emit(m->sink, f);
    }
}

/* A variable whose cleanup function frees what it holds
 * (`__attribute__((cleanup))`, g_autofree, _cleanup_free_), still holding a
 * block freed by hand when its scope ends: the cleanup frees it again
 * (QA5 Q31: `g_autofree gchar *t = g_strdup(s); g_free(t); return;`). */
static void cleanup_twice_check(mc *m, unsigned char *S, fc_loc where)
{
    if (!m->auto_freed || !emitting(m) || !fc_check_enabled(m->opts, "double-free"))
        return;
    ost *O = OBJS(m, S);
    for (unsigned v = 0; v < m->fn->nvars; v++) {
        if (!m->auto_freed[v] || m->fn->var_static[v])
            continue;
        val pv = PLACES(S)[v];
        if (!pv.n || !must_freed(m, O, &pv, false))
            continue;
        const char *name = fc_intern_cx(clang_getCursorSpelling(m->fn->vars[v]));
        fc_finding *f = fc_finding_new("double-free", where, "freed again by its cleanup function here",
                                       "'%s' is freed twice: its cleanup function frees it again when it goes "
                                       "out of scope here", name);
        ost fs = freed_state(O, &pv);
        note_freed(m, f, &fs, false);
        note_alloc(m, f, pv.t[0]);
        fc_diag_emit(m->sink, f);
        mark_reported(O, &pv);
    }
}

/* Summary, at a return: does *param i hold only memory this function made
 * and handed to the caller there (pt_owned)?  Each block it may hold is one
 * of this function's allocations (malloc's family) that escaped only by
 * that store (no E_XESC), is not returned and is in no other *param or
 * field; or
 * the value is NULL or the caller's own (untouched). */
static void pt_owned_at_return(mc *m, const unsigned char *S, unsigned i, const unsigned char *reach)
{
    const ost *O = OBJS(m, S);
    const val *P = PLACES(S);
    unsigned pp = m->pt_place[i], po = m->field_obj[pp - m->fn->nvars];
    const val *pv = &P[pp];
    uint32_t bit = 1u << i;
    /* (nothing at all: forgotten, e.g. after a call) */
    bool ok = !(pv->fl & (F_UNK | F_PART | F_OVF | F_ST_NEG | F_ST_NZ | F_ST_OK)) && (pv->n || (pv->fl & F_NULL));
    for (unsigned j = 0; j < pv->n && ok; j++) {
        unsigned o = pv->t[j];
        if (o == po && pv->off[j] == OFF_ZERO) {
            m->sum_pt_own_same |= bit;
            continue;
        }
        ok = o < m->nobjs && m->objs[o].kind == O_HEAP && m->objs[o].family == FAM_MALLOC &&
             pv->off[j] == OFF_ZERO && !(O[o].esc & E_XESC) && !reach[o] &&
             (O[o].st & (S_LIVE | S_FREED | S_NULL));
        for (unsigned q = m->fn->nvars; ok && q < m->nplaces; q++)   /* no other *param, no field */
            ok = q == pp || !v_has(&P[q], o);
        if (ok && (O[o].st & S_LIVE))
            m->sum_pt_own_seen |= bit;
    }
    if (!ok)
        m->sum_pt_own_ok &= ~bit;
}

/* The integer constant a return gives when *param i (place pp) holds a
 * block (set) and when it does not: `return 0;` (both the same), or
 * `return *out ? 0 : -1;` / `return *out == NULL ? -1 : 0;`. */
static bool ret_consts(mc *m, const unsigned char *S, CXCursor ret, unsigned pp, long long *if_set,
                       long long *if_unset)
{
    CXCursor rk[1], kk[3];
    long long rk_zero;
    if (fc_mf_children(m->mf, ret, rk, 1) != 1)
        return false;
    CXCursor e = fc_mf_strip(m->mf, rk[0]);
    if (fc_mf_const(m->mf, e, if_set)) {
        *if_unset = *if_set;
        return true;
    }
    if (clang_getCursorKind(e) != CXCursor_ConditionalOperator || fc_mf_children(m->mf, e, kk, 3) != 3 ||
        !fc_mf_const(m->mf, fc_mf_strip(m->mf, kk[1]), if_set) ||
        !fc_mf_const(m->mf, fc_mf_strip(m->mf, kk[2]), if_unset))
        return false;
    /* the condition: *out, !*out, *out != NULL, *out == NULL */
    CXCursor c = fc_mf_strip(m->mf, kk[0]);
    bool neg = false;
    for (int d = 0; d < 4; d++) {
        CXCursor a[2];
        long long z;
        if (clang_getCursorKind(c) == CXCursor_UnaryOperator && fc_mf_unop(m->mf, c) == FC_OP_LNOT &&
            fc_mf_children(m->mf, c, a, 1) == 1) {
            neg = !neg;
            c = fc_mf_strip(m->mf, a[0]);
        } else if (clang_getCursorKind(c) == CXCursor_BinaryOperator &&
                   (fc_mf_binop(m->mf, c) == FC_OP_EQ || fc_mf_binop(m->mf, c) == FC_OP_NE) &&
                   fc_mf_children(m->mf, c, a, 2) == 2 && const_or_null(m, fc_mf_strip(m->mf, a[1]), &z) && z == 0) {
            neg = neg != (fc_mf_binop(m->mf, c) == FC_OP_EQ);
            c = fc_mf_strip(m->mf, a[0]);
        } else {
            break;
        }
    }
    /* *out, out[0]: the parameter still points where the caller's does */
    CXCursor a[2];
    enum CXCursorKind ck = clang_getCursorKind(c);
    if (ck == CXCursor_UnaryOperator && fc_mf_unop(m->mf, c) == FC_OP_DEREF && fc_mf_children(m->mf, c, a, 1) == 1)
        c = fc_mf_strip(m->mf, a[0]);
    else if (ck == CXCursor_ArraySubscriptExpr && fc_mf_children(m->mf, c, a, 2) == 2 &&
             fc_mf_const(m->mf, fc_mf_strip(m->mf, a[1]), &rk_zero) && rk_zero == 0)
        c = fc_mf_strip(m->mf, a[0]);
    else
        return false;
    if (clang_getCursorKind(c) != CXCursor_DeclRefExpr)
        return false;
    int v = fc_var_index(m->fn, fc_decl_ref(c));
    if (v < 0 || (unsigned)v >= m->fn->nparams || param_pointee(m, &PLACES(S)[v]) != (int)pp)
        return false;
    if (neg) {
        long long t = *if_set;
        *if_set = *if_unset;
        *if_unset = t;
    }
    return true;
}

/* At a return (summary): record what the result says of *param i. */
static void pt_status_at_return(mc *m, const unsigned char *S, const fc_block *from, unsigned i, const val *rv,
                                bool is_ret)
{
    const ost *O = OBJS(m, S);
    unsigned pp = m->pt_place[i], po = m->field_obj[pp - m->fn->nvars];
    const val *pv = &PLACES(S)[pp];
    uint32_t bit = 1u << i;
    long long rs, ru;
    /* `return mk(out);`: the status of the block *out holds */
    bool passed = !rv->n && (rv->fl & (F_ST_NZ | F_ST_NEG)) && !(rv->fl & F_ST_OK) && rv->off[0] == 0 &&
                  pv->n == 1 && pv->t[0] == rv->t[0] && !(pv->fl & F_NULL);
    CXCursor rk[1];
    /* no result (void, or falling off the end): only "always set" */
    bool novalue = !is_ret || fc_mf_children(m->mf, from->term_cursor, rk, 1) != 1;
    if (passed) {
        rs = 0;
        ru = (rv->fl & F_ST_NEG) ? -1 : 1;
    } else if (novalue) {
        rs = ru = 0;
    } else if (!ret_consts(m, S, from->term_cursor, pp, &rs, &ru)) {
        m->pst_unknown |= bit;
        return;
    }
    /* a block that may be NULL is "unset" where the result tests it
     * (`return *out ? 0 : -1`); with a constant result the caller tests
     * the pointer, as malloc's */
    bool set = false, unset = (pv->fl & F_NULL) != 0;
    for (unsigned j = 0; j < pv->n; j++) {
        unsigned o = pv->t[j];
        if (o < m->nobjs && m->objs[o].kind == O_HEAP && o != po) {
            set = set || (O[o].st & S_LIVE);
            unset = unset || !(O[o].st & S_LIVE) || (rs != ru && (O[o].st & S_NULL));
        } else {
            unset = true;
        }
    }
    if (set) {
        m->pst_set_seen |= bit;
        if (rs != 0)
            m->pst_set_zero &= ~bit;
    }
    if (unset && novalue)
        m->pst_unknown |= bit;
    if (unset) {
        m->pst_unset_seen |= bit;
        if (ru == 0)
            m->pst_unset_nz &= ~bit;
        if (ru >= 0)
            m->pst_unset_neg &= ~bit;
    }
}

static void mc_at_return(void *ctx, void *state, const fc_block *from, bool report)
{
    mc *m = ctx;
    unsigned char *S = state;
    m->report = report;
    bool is_ret = from->term == FC_T_RETURN;
    val rv = is_ret && m->ret_set ? m->ret_val : v_none();
    ost *O = OBJS(m, S);
    unsigned char *reach = fc_xcalloc(m->nobjs, 1);
    reach_from(m, S, &rv, reach);
    if (m->summary_mode) {
        /* summary facts along this path */
        m->sum_any_return = true;
        for (unsigned i = 0; i < m->fn->nparams && i < FC_SUM_MAX_PARAMS; i++) {
            unsigned o = m->param_base + i;
            uint8_t st = O[o].st;
            if ((st & S_LIVE) || !(st & (S_FREED | S_NULL)))
                m->sum_must_free &= ~(1u << i);
            if (st & S_FREED)
                m->sum_may_free |= 1u << i;
            if (O[o].esc & E_STORED)
                m->sum_escape |= 1u << i;
            /* the pointers in the fields of parameter i: freed, read, kept
             * (not on a path where i is NULL: there is no field) */
            for (unsigned f = m->var_fields_start[i]; m->fe_acc && st != S_NULL && f < m->var_fields_start[i + 1]; f++) {
                unsigned q = m->var_fields[f];
                unsigned fo = m->field_obj[q - m->fn->nvars];
                if (!fo || m->places[q].index != -1 || fc_cursor_null(m->places[q].field))
                    continue;
                uint8_t fst = O[fo].st;
                const val *fv = &PLACES(S)[q];
                m->fe_acc[q] |= FE_SEEN;
                if ((fst & S_LIVE) || !(fst & (S_FREED | S_NULL)))
                    m->fe_acc[q] |= FE_NOT_MUST;
                if (fst & S_FREED)
                    m->fe_acc[q] |= FC_FE_MAY_FREE;
                if ((O[fo].esc & E_STORED) || fv->n != 1 || fv->t[0] != fo || (fv->fl & F_UNK))
                    m->fe_acc[q] |= FC_FE_KEEPS;
            }
            /* *param: freed, kept or overwritten here */
            if (m->pt_place && m->pt_place[i] && i < 31) {
                unsigned pp = m->pt_place[i], po = m->field_obj[pp - m->fn->nvars];
                uint8_t pst = O[po].st;
                const val *pv = &PLACES(S)[pp];
                if ((pst & S_LIVE) || !(pst & (S_FREED | S_NULL)))
                    m->sum_pt_must &= ~(1u << i);
                if (pst & S_FREED)
                    m->sum_pt_may |= 1u << i;
                if ((O[po].esc & E_STORED) || pv->n != 1 || pv->t[0] != po || (pv->fl & F_UNK))
                    m->sum_pt_keeps |= 1u << i;
                pt_owned_at_return(m, S, i, reach);
                pt_status_at_return(m, S, from, i, &rv, is_ret);
            }
            /* a struct passed by value: the caller's pointers in its
             * fields, freed or kept here */
            for (unsigned f = m->var_fields_start[i]; f < m->var_fields_start[i + 1]; f++) {
                unsigned fo = m->field_obj[m->var_fields[f] - m->fn->nvars];
                if (!fo || m->places[m->var_fields[f]].via_ptr)
                    continue;
                if (O[fo].st & S_FREED)
                    m->sum_may_free |= 1u << i;
                if (O[fo].esc & E_STORED)
                    m->sum_escape |= 1u << i;
            }
        }
        /* the pointers in globals: freed, read, kept */
        for (unsigned q = m->fn->nvars; m->fe_acc && m->has_gplaces && q < m->nplaces; q++) {
            if (m->places[q].index != -3)
                continue;
            unsigned fo = m->field_obj[q - m->fn->nvars];
            if (!fo)
                continue;
            uint8_t fst = O[fo].st;
            const val *fv = &PLACES(S)[q];
            m->fe_acc[q] |= FE_SEEN;
            if ((fst & S_LIVE) || !(fst & (S_FREED | S_NULL)))
                m->fe_acc[q] |= FE_NOT_MUST;
            if (fst & S_FREED)
                m->fe_acc[q] |= FC_FE_MAY_FREE;
            if ((O[fo].esc & E_STORED) || fv->n != 1 || fv->t[0] != fo || (fv->fl & F_UNK))
                m->fe_acc[q] |= FC_FE_KEEPS;
        }
        if (is_ret) {
            /* what each parameter is left as, split by the integer
             * constant returned: 0 (success) or not (failure) (QA5 S34:
             * `if (l->n >= 8) { free(item); return -1; }`) */
            CXCursor rk[1];
            long long rc;
            if (fc_mf_children(m->mf, from->term_cursor, rk, 1) == 1 && fc_mf_const(m->mf, rk[0], &rc)) {
                uint32_t freed = 0, untouched = 0, stored = 0, any_freed = 0, live = 0;
                for (unsigned i = 0; i < m->fn->nparams && i < 32; i++) {
                    const ost *po = &O[m->param_base + i];
                    /* freed, or NULL (`if (!s) return -1;`: a caller
                     * giving a block does not take that path) */
                    if ((po->st & (S_FREED | S_NULL)) && !(po->st & S_LIVE))
                        freed |= 1u << i;
                    if (po->st & S_FREED)
                        any_freed |= 1u << i;
                    if (po->st & S_LIVE)
                        live |= 1u << i;
                    if (!(po->st & S_FREED) && !(po->esc & E_STORED))
                        untouched |= 1u << i;
                    if (po->esc & E_STORED)
                        stored |= 1u << i;
                }
                if (rc != 0) {
                    m->split_fail_seen = true;
                    m->split_fail_pos |= rc > 0;
                    m->split_fail_freed &= freed;
                    m->split_fail_some_freed |= any_freed;
                    m->split_fail_some_live |= live;
                    m->split_fail_untouched &= untouched;
                } else {
                    m->split_ok_seen = true;
                    m->split_ok_freed |= any_freed;
                    m->split_ok_stored |= stored;
                }
            } else {
                m->split_all_const = false;
            }
            /* the same integer constant on every return? */
            CXCursor kk[1];
            long long cv;
            if (fc_mf_children(m->mf, from->term_cursor, kk, 1) == 1 && fc_mf_const(m->mf, kk[0], &cv) &&
                (!m->sum_const_seen || m->sum_const == cv)) {
                m->sum_const_seen = true;
                m->sum_const = cv;
            } else {
                m->sum_const_ok = false;
            }
            bool owned = rv.n > 0 && !(rv.fl & F_UNK);
            for (unsigned i = 0; i < rv.n; i++) {
                unsigned o = rv.t[i];
                /* one family at every return: a FILE from fopen or fdopen
                 * is the caller's to fclose (QA13 X3) */
                if (m->objs[o].kind == O_HEAP && m->sum_ret_family < 0)
                    m->sum_ret_family = m->objs[o].family;
                if (m->objs[o].kind != O_HEAP || m->objs[o].family != m->sum_ret_family ||
                    (O[o].esc & E_ESC) || (O[o].st & S_FREED) || !(O[o].st & S_LIVE) || rv.off[i] != OFF_ZERO)
                    owned = false;
            }
            bool null_only = rv.n == 0 && (rv.fl & F_NULL) && !(rv.fl & F_UNK);
            /* the address of a global / a string literal at every return
             * (or NULL): free() of the result frees no heap block (J2) */
            int nh = rv.n && !(rv.fl & (F_UNK | F_PART)) ? -1 : 0;
            for (unsigned i = 0; nh && i < rv.n; i++) {
                uint8_t k = m->objs[rv.t[i]].kind;
                int this = k == O_STRLIT ? FC_RET_LITERAL
                           : k == O_GLOBAL && !fc_cursor_null(m->objs[rv.t[i]].site) &&
                                     clang_getCursorKind(m->objs[rv.t[i]].site) == CXCursor_VarDecl
                               ? FC_RET_GLOBAL
                               : 0;
                if (rv.off[i] != OFF_ZERO || !this || (nh > 0 && nh != this))
                    nh = 0;
                else
                    nh = this;
            }
            if (nh > 0 && (m->sum_ret_nonheap < 0 || m->sum_ret_nonheap == nh))
                m->sum_ret_nonheap = nh;
            else if (!null_only)
                m->sum_ret_nonheap = 0;
            bool freed = rv.n == 1 && !(rv.fl & (F_UNK | F_NULL)) && m->objs[rv.t[0]].kind == O_HEAP &&
                         (O[rv.t[0]].st & (S_FREED | S_LIVE | S_UNALLOC)) == S_FREED;
            if (freed)
                m->sum_freed_seen = true;
            else
                m->sum_freed_ok = false;
            if (owned)
                m->sum_ret_owned_seen = true;
            else if (!null_only)
                m->sum_ret_owned_ok = false;
            int param = -1;
            if (rv.n == 1 && !(rv.fl & F_UNK) && m->objs[rv.t[0]].kind == O_PARAM && rv.off[0] == OFF_ZERO)
                param = m->objs[rv.t[0]].var;
            /* `return c->buf;`: the pointer in a field of a parameter that
             * still points where the caller's does (QA5 S11 f2) */
            int rq = -1;
            if (param < 0 && rv.n == 1 && !(rv.fl & F_UNK) && rv.off[0] == OFF_ZERO && m->obj_place &&
                m->objs[rv.t[0]].kind == O_PARAM && !(O[rv.t[0]].st & S_FREED)) {
                unsigned q = m->obj_place[rv.t[0]];
                int pv = q < m->nplaces ? m->places[q].var : -1;
                const val *bv = pv >= 0 && (unsigned)pv < m->fn->nparams ? &PLACES(S)[pv] : NULL;
                if (bv && m->places[q].via_ptr && m->places[q].index == -1 && bv->n == 1 &&
                    bv->t[0] == m->param_base + (unsigned)pv && !(bv->fl & F_UNK) && rv.t[0] == m->field_obj[q - m->fn->nvars])
                    rq = (int)q;
            }
            if (null_only) {
                /* NULL is the field's value only where its struct is NULL
                 * (`if (!c) return NULL;`) */
                uint32_t nulls = 0;
                for (unsigned i = 0; i < m->fn->nparams && i < 32; i++)
                    if (O[m->param_base + i].st == S_NULL)
                        nulls |= 1u << i;
                m->sum_ret_null_params &= nulls;
            }
            if (rq < 0 && !null_only)
                m->sum_ret_field_ok = false;
            else if (rq >= 0) {
                if (m->sum_ret_field >= 0 && m->sum_ret_field != rq)
                    m->sum_ret_field_ok = false;
                m->sum_ret_field = rq;
            }
            if (param < 0 && !null_only)
                m->sum_ret_param_ok = false;
            else if (param >= 0) {
                if (m->sum_ret_param >= 0 && m->sum_ret_param != param)
                    m->sum_ret_param_ok = false;
                m->sum_ret_param = param;
            }
        }
        if (!m->check_too) {
            free(reach);
            return;
        }
    }
    fc_loc where;
    cur_site = is_ret ? site_id(from->term_cursor) : (uint16_t)(0x8000u | from->id);
    if (is_ret)
        where = fc_loc_of(from->term_cursor);
    else {
        /* falling off the end: the closing brace */
        CXSourceLocation end = clang_getRangeEnd(clang_getCursorExtent(m->fn->body));
        CXFile f;
        unsigned line, col;
        clang_getExpansionLocation(end, &f, &line, &col, NULL);
        where.file = f ? fc_intern_cx(clang_getFileName(f)) : NULL;
        where.line = line;
        where.col = col > 1 ? col - 1 : col;
        where.end_col = 0;
    }
    bool is_main = m->fn->name && !strcmp(m->fn->name, "main");
    for (unsigned o = 1; o < m->nobjs; o++) {
        if (m->objs[o].kind != O_HEAP || reach[o] || !must_live(&O[o]) || (is_main && main_reachable(m, S, o)))
            continue;
        /* name a variable that still points to it, if any */
        const char *who = NULL;
        val *P = PLACES(S);
        for (unsigned v = 0; v < m->fn->nvars && !who; v++)
            if (v_has(&P[v], o))
                who = fc_intern_cx(clang_getCursorSpelling(m->fn->vars[v]));
        report_leak(m, S, o, where, is_ret ? "goes out of scope at this return" : "goes out of scope here",
                    who);
    }
    cleanup_twice_check(m, S, where);
    kept_local_check(m, S, where);
    free(reach);
}

/* ---- Pre-scan: objects and places of a function ---- */

typedef struct prescan {
    mc *m;
    unsigned nheap, nglobal;
    unsigned calls_cap;             /* room in m->calls / m->callinfos */
    CXCursor *heap_sites;
    const char **heap_names;
    uint8_t *heap_family;
    CXCursor *globals;
    place *fields;
    unsigned nfields;
    bool too_big;
    unsigned *arr_refs, *arr_subs;  /* [nvars] uses of a local array / constant subscripts of it */
    unsigned *arr_args;             /* [nvars] ... / arguments of calls */
    bool ptr_arrays;                /* the function has local arrays of pointers */
    bool pt_params;                 /* ... parameters with a pointee place (pt_eligible) */
    uint32_t pt_sub_seen, pt_sub_bad;   /* p[k] of those: seen / with two k or a variable one */
    long long pt_sub_k[31];
    CXCursor deferred[64];          /* &x under an implicit conversion ... */
    int deferred_var[64];
    unsigned ndeferred;
    CXCursor *elem_expr;            /* candidate a[k] expressions */
    place *elem_place;
    unsigned nelems;
} prescan;

/* GCC's __attribute__((malloc)) (also malloc(dealloc, n)) on a
 * declaration: the result is new memory the caller owns.  libclang 14
 * shows the attribute as an UnexposedAttr whose first token is its name. */
static enum CXChildVisitResult malloc_attr_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (!clang_isAttribute(k))
        return CXChildVisit_Continue;
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
    CXToken *toks = NULL;
    unsigned nt = 0;
    clang_tokenize(tu, clang_getCursorExtent(c), &toks, &nt);
    for (unsigned i = 0; i < nt && i < 1; i++) {
        CXString sp = clang_getTokenSpelling(tu, toks[i]);
        const char *t = clang_getCString(sp);
        if (t && (!strcmp(t, "malloc") || !strcmp(t, "__malloc__")))
            *(bool *)d = true;
        clang_disposeString(sp);
    }
    if (toks)
        clang_disposeTokens(tu, toks, nt);
    return *(bool *)d ? CXChildVisit_Break : CXChildVisit_Continue;
}

static bool has_malloc_attr(CXCursor decl)
{
    if (!clang_Cursor_hasAttrs(decl))
        return false;
    CXType rt = clang_getCanonicalType(clang_getCursorResultType(decl));
    if (rt.kind != CXType_Pointer)
        return false;
    bool found = false;
    clang_visitChildren(decl, malloc_attr_visit, &found);
    return found;
}


/* ---- Calls through a function pointer whose target is certain ----
 *
 * `void (*fp)(char *) = sink; fp(p);`, `struct ops o = { sink }; o.action(p);`
 * and `void (*fs[2])(char *) = { sink, sink }; fs[1](p);` (QA10 J3): a
 * local pointer, struct or array of pointers initialized with functions of
 * the unit and never written again (every reference to it is a call's
 * callee, so nothing can change it) calls that function: its summary
 * applies as for a direct call. */

typedef struct fp_scan {
    CXCursor var;           /* the local variable (canonical) */
    CXCursor ok[32];        /* its references that are a call's callee */
    unsigned nok;
    bool bad;               /* referenced other than as a callee */
    CXCursor field;         /* s.f called: s.g (g another member) is fine too */
} fp_scan;

/* The reference at the bottom of a callee expression through parentheses,
 * casts, `*`, `.` and the base of `[]`, or a null cursor. */
static CXCursor callee_root(CXCursor e)
{
    for (int depth = 0; depth < 16; depth++) {
        enum CXCursorKind k = clang_getCursorKind(e);
        if (k == CXCursor_DeclRefExpr)
            return e;
        CXCursor kids[2];
        unsigned n = fc_children(e, kids, 2);
        if (k == CXCursor_ArraySubscriptExpr && n == 2) {
            e = kids[0];
            continue;
        }
        if (n != 1 || !(k == CXCursor_ParenExpr || k == CXCursor_UnexposedExpr || k == CXCursor_CStyleCastExpr ||
                        k == CXCursor_MemberRefExpr || k == CXCursor_UnaryOperator))
            break;
        e = kids[0];
    }
    return clang_getNullCursor();
}

static enum CXChildVisitResult fp_scan_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    fp_scan *s = d;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_CallExpr) {
        CXCursor kids[1];
        if (fc_children(c, kids, 1) >= 1) {
            CXCursor r = callee_root(kids[0]);
            if (!fc_cursor_null(r) && s->nok < 32 &&
                clang_equalCursors(clang_getCanonicalCursor(clang_getCursorReferenced(r)), s->var))
                s->ok[s->nok++] = r;
        }
    } else if (k == CXCursor_DeclRefExpr &&
               clang_equalCursors(clang_getCanonicalCursor(clang_getCursorReferenced(c)), s->var)) {
        bool ok = false;
        for (unsigned i = 0; i < s->nok && !ok; i++)
            ok = clang_equalCursors(s->ok[i], c);
        /* `sl.dtor(sl.val)`: reading or writing another member leaves
         * sl.dtor as initialized (QA16 c12) */
        if (!ok && !fc_cursor_null(s->field) && clang_getCursorKind(parent) == CXCursor_MemberRefExpr)
            ok = !clang_equalCursors(clang_getCanonicalCursor(clang_getCursorReferenced(parent)), s->field);
        if (!ok) {
            s->bad = true;
            return CXChildVisit_Break;
        }
    }
    return CXChildVisit_Recurse;
}

/* The function an initializer names (`sink`, `&sink`), or a null cursor. */
static CXCursor init_function(CXCursor e)
{
    e = fc_strip(e);
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator) {
        CXCursor kids[1];
        if (fc_children(e, kids, 1) != 1)
            return clang_getNullCursor();
        e = fc_strip(kids[0]);
    }
    if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
        return clang_getNullCursor();
    CXCursor f = clang_getCursorReferenced(e);
    return clang_getCursorKind(f) == CXCursor_FunctionDecl ? f : clang_getNullCursor();
}

typedef struct field_pos { CXCursor field; int at, n; } field_pos;

static enum CXVisitorResult field_pos_visit(CXCursor c, CXClientData d)
{
    field_pos *fp = d;
    if (clang_equalCursors(clang_getCanonicalCursor(c), fp->field))
        fp->at = fp->n;
    fp->n++;
    return CXVisit_Continue;
}

static CXCursor fptr_target(mc *m, CXCursor call)
{
    CXCursor none = clang_getNullCursor(), kids[2];
    if (fc_children(call, kids, 1) < 1)     /* the callee, then the arguments */
        return none;
    CXCursor e = fc_strip(kids[0]);
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator && fc_children(e, kids, 1) == 1)
        e = fc_strip(kids[0]);     /* (*fp)(x) */
    enum CXCursorKind k = clang_getCursorKind(e);
    CXCursor field = none;
    long long index = -1;
    CXCursor base = e;
    if (k == CXCursor_MemberRefExpr) {
        /* s.f with s a local struct (not s->f) */
        if (fc_children(e, kids, 1) != 1 || clang_getCursorKind(kids[0]) != CXCursor_DeclRefExpr)
            return none;
        CXType bt = clang_getCanonicalType(clang_getCursorType(kids[0]));
        if (bt.kind != CXType_Record)
            return none;
        field = clang_getCanonicalCursor(clang_getCursorReferenced(e));
        base = kids[0];
    } else if (k == CXCursor_ArraySubscriptExpr) {
        if (fc_children(e, kids, 2) != 2)
            return none;
        base = fc_strip(kids[0]);
        if (!fc_mf_const(m->mf, kids[1], &index))
            index = -2;     /* unknown: every element must be the same function */
    } else if (k != CXCursor_DeclRefExpr) {
        return none;
    }
    if (clang_getCursorKind(base) != CXCursor_DeclRefExpr)
        return none;
    CXCursor var = clang_getCanonicalCursor(clang_getCursorReferenced(base));
    int v = fc_var_index(m->fn, var);
    /* a volatile pointer may change under us (`void *(*volatile set)(..) =
     * memset`, written so that the compiler keeps the call) */
    if (v < 0 || (unsigned)v < m->fn->nparams || m->fn->var_static[v] ||
        clang_isVolatileQualifiedType(clang_getCursorType(var)))
        return none;
    CXCursor init = fc_var_init(var);
    if (fc_cursor_null(init))
        return none;
    CXCursor target = none;
    if (fc_cursor_null(field) && index == -1) {
        target = init_function(init);
    } else {
        init = fc_strip(init);
        if (clang_getCursorKind(init) != CXCursor_InitListExpr)
            return none;
        CXCursor el[64];
        unsigned n = fc_children(init, el, 64);
        if (!fc_cursor_null(field)) {
            field_pos fp = { field, -1, 0 };
            clang_Type_visitFields(clang_getCanonicalType(clang_getCursorType(base)), field_pos_visit, &fp);
            /* one initializer per field, in order (no designators) */
            if (fp.at < 0 || (int)n != fp.n || n > 64)
                return none;
            target = init_function(el[fp.at]);
        } else if (index >= 0) {
            if ((unsigned long long)index >= n || n > 64)
                return none;
            target = init_function(el[index]);
        } else {
            for (unsigned i = 0; i < n && n <= 64; i++) {
                CXCursor f = init_function(el[i]);
                if (fc_cursor_null(f) || (i && !clang_equalCursors(clang_getCanonicalCursor(f),
                                                                   clang_getCanonicalCursor(target))))
                    return none;
                target = f;
            }
        }
    }
    if (fc_cursor_null(target))
        return none;
    /* never written: every reference to the variable is a call's callee */
    fp_scan s = { .var = var, .field = field };
    clang_visitChildren(m->fn->body, fp_scan_visit, &s);
    return s.bad ? none : target;
}

static void fill_callinfo(mc *m, CXCursor call, callinfo *ci)
{
    ci->decl = fc_callee_decl(call);
    if (fc_cursor_null(ci->decl))
        ci->decl = fptr_target(m, call);
    ci->name = fc_cursor_null(ci->decl) ? NULL : fc_decl_name(ci->decl);
    ci->md = find_model(ci->name);
    ci->sum = NULL;
    if (!ci->md && !fc_cursor_null(ci->decl) && m->fn->sums) {
        const fc_summary *found = fc_summaries_get(m->fn->sums, fc_decl_usr(ci->decl));
        if (found) {
            ci->sumv = *found;
            ci->sum = &ci->sumv;
        }
    }
    if (!ci->md && !ci->sum && !fc_cursor_null(ci->decl) && has_malloc_attr(ci->decl))
        ci->md = &malloc_attr_model;
}

static bool allocating_call(const callinfo *ci, const char **name, uint8_t *family)
{
    *name = ci->name;
    *family = FAM_MALLOC;
    if (!ci->name)
        return false;
    if (ci->md) {
        *family = ci->md->family;
        return ci->md->kind == M_ALLOC || ci->md->kind == M_REALLOC || ci->md->kind == M_ASPRINTF ||
               ci->md->kind == M_PMEMALIGN || ci->md->kind == M_GETLINE || ci->md->kind == M_ALLOC_IF_NULL ||
               ci->md->kind == M_ALLOCA;
    }
    if (ci->sum && ci->sum->returns_owned)
        *family = ci->sum->ret_family;
    return ci->sum && (ci->sum->returns_owned || ci->sum->returns_freed || ci->sum->pt_owned ||
                       ci->sum->ret_nonheap == FC_RET_GLOBAL);
}

static enum CXChildVisitResult prescan_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    prescan *ps = d;
    mc *m = ps->m;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (ps->too_big)
        return CXChildVisit_Break;
    if (k == CXCursor_CompoundLiteralExpr)
        m->has_complit = true;
    if (k == CXCursor_CallExpr) {
        if (m->ncalls >= 60000) {
            ps->too_big = true;
            return CXChildVisit_Break;
        }
        fc_cmap_put(m->call_id, c, (int)m->ncalls);
        if (m->ncalls == ps->calls_cap) {   /* doubling: a callinfo holds a whole summary */
            ps->calls_cap = ps->calls_cap ? ps->calls_cap * 2 : 16;
            m->calls = fc_xrealloc(m->calls, ps->calls_cap * sizeof *m->calls);
            m->callinfos = fc_xrealloc(m->callinfos, ps->calls_cap * sizeof *m->callinfos);
        }
        fill_callinfo(m, c, &m->callinfos[m->ncalls]);
        m->calls[m->ncalls] = c;
        const callinfo *ci = &m->callinfos[m->ncalls++];
        const char *name;
        uint8_t fam;
        if (allocating_call(ci, &name, &fam)) {
            ps->heap_sites = fc_xrealloc(ps->heap_sites, (ps->nheap + 1) * sizeof *ps->heap_sites);
            ps->heap_names = fc_xrealloc(ps->heap_names, (ps->nheap + 1) * sizeof *ps->heap_names);
            ps->heap_family = fc_xrealloc(ps->heap_family, (ps->nheap + 1) * sizeof *ps->heap_family);
            ps->heap_sites[ps->nheap] = c;
            ps->heap_names[ps->nheap] = name;
            ps->heap_family[ps->nheap] = fam;
            ps->nheap++;
        }
    } else if (k == CXCursor_ArraySubscriptExpr && (ps->ptr_arrays || ps->pt_params)) {
        CXCursor kk[2];
        long long idx;
        if (fc_mf_children(m->mf, c, kk, 2) == 2) {
            CXCursor base = fc_mf_strip(m->mf, kk[0]);
            int v = clang_getCursorKind(base) == CXCursor_DeclRefExpr ? fc_var_index(m->fn, fc_decl_ref(base)) : -1;
            if (v >= 0 && v < (int)m->fn->nparams && v < 31 && ps->pt_params) {
                /* p[k] of a T ** parameter: one constant k only, or none */
                if (!fc_mf_const(m->mf, kk[1], &idx))
                    ps->pt_sub_bad |= 1u << v;
                else if (!((ps->pt_sub_seen >> v) & 1)) {
                    ps->pt_sub_seen |= 1u << v;
                    ps->pt_sub_k[v] = idx;
                } else if (ps->pt_sub_k[v] != idx)
                    ps->pt_sub_bad |= 1u << v;
            }
            if (v >= (int)m->fn->nparams && !m->fn->var_static[v] && fc_mf_kind_is_array(fc_mf_canon(m->mf, m->fn->vars[v]).kind) &&
                (fc_mf_canon(m->mf, c).kind == CXType_Pointer) && fc_mf_const(m->mf, kk[1], &idx) && idx >= 0 &&
                idx < 64 && ps->nelems < 256) {
                ps->arr_subs[v]++;
                ps->elem_expr = fc_xrealloc(ps->elem_expr, (ps->nelems + 1) * sizeof *ps->elem_expr);
                ps->elem_place = fc_xrealloc(ps->elem_place, (ps->nelems + 1) * sizeof *ps->elem_place);
                ps->elem_expr[ps->nelems] = c;
                ps->elem_place[ps->nelems++] = (place){ v, false, clang_getNullCursor(), (int)idx };
            }
        }
    } else if (k == CXCursor_DeclRefExpr) {
        CXCursor dcl = fc_mf_referenced(m->mf, c);
        if (clang_getCursorKind(dcl) == CXCursor_VarDecl) {
            int v = fc_var_index(m->fn, dcl);
            if (v >= 0)
                ps->arr_refs[v]++;
            if (v < 0 || m->fn->var_static[v]) {
                CXCursor canon = clang_getCanonicalCursor(dcl);
                int tmp;
                if (!fc_cmap_get(m->global_obj, canon, &tmp)) {
                    fc_cmap_put(m->global_obj, canon, -1);
                    ps->globals = fc_xrealloc(ps->globals, (ps->nglobal + 1) * sizeof *ps->globals);
                    ps->globals[ps->nglobal++] = canon;
                    /* a pointer global (or static): a place of its own,
                     * holding at entry the pointer someone else stored */
                    if (fc_mf_canon(m->mf, canon).kind == CXType_Pointer &&
                        ps->nfields < 4000) {
                        ps->fields = fc_xrealloc(ps->fields, (ps->nfields + 1) * sizeof *ps->fields);
                        ps->fields[ps->nfields] = (place){ -1, true, canon, -3 };
                        fc_cmap_put(m->member_place, canon, (int)(m->fn->nvars + ps->nfields));
                        ps->nfields++;
                        m->has_gplaces = true;
                    }
                }
            }
        }
    } else if (k == CXCursor_MemberRefExpr) {
        CXCursor kk[1];
        if (fc_mf_children(m->mf, c, kk, 1) == 1) {
            CXCursor base = fc_mf_strip(m->mf, kk[0]);
            int v = clang_getCursorKind(base) == CXCursor_DeclRefExpr ? fc_var_index(m->fn, fc_decl_ref(base)) : -1;
            if (v >= (int)m->fn->nparams && !m->fn->var_static[v] && fc_mf_kind_is_array(fc_mf_canon(m->mf, c).kind) &&
                !(fc_mf_canon(m->mf, base).kind == CXType_Pointer))
                m->needs_stack[v] = true;   /* s.buf decays to a pointer into s, on the stack */
            if (v >= 0 && !m->fn->var_static[v]) {
                CXCursor field = fc_mf_referenced(m->mf, c);
                /* the members of a union share their storage: one place */
                CXCursor owner = clang_getCursorSemanticParent(field);
                if (clang_getCursorKind(owner) == CXCursor_UnionDecl)
                    field = owner;
                CXType bt = fc_mf_canon(m->mf, base);
                bool via = bt.kind == CXType_Pointer;
                int found = -1;
                for (unsigned i = 0; i < ps->nfields; i++)
                    if (ps->fields[i].var == v && ps->fields[i].via_ptr == via &&
                        same_cursor(ps->fields[i].field, field))
                        found = (int)i;
                if (found < 0) {
                    if (ps->nfields >= 4000) {
                        ps->too_big = true;
                        return CXChildVisit_Break;
                    }
                    ps->fields = fc_xrealloc(ps->fields, (ps->nfields + 1) * sizeof *ps->fields);
                    ps->fields[ps->nfields] = (place){ v, via, field, -1 };
                    found = (int)ps->nfields++;
                }
                fc_cmap_put(m->member_place, c, (int)(m->fn->nvars + (unsigned)found));
            }
        }
    } else if (k == CXCursor_UnaryOperator) {
        if (fc_mf_unop(m->mf, c) == FC_OP_ADDR) {
            CXCursor kk[1];
            if (fc_mf_children(m->mf, c, kk, 1) == 1) {
                /* &x passed straight to a call is handled at the call; any
                 * other &x lets x change behind our back */
                CXCursor in = fc_mf_strip(m->mf, kk[0]);
                while (clang_getCursorKind(in) == CXCursor_MemberRefExpr ||
                       clang_getCursorKind(in) == CXCursor_ArraySubscriptExpr) {
                    CXCursor bb[2];
                    if (fc_mf_children(m->mf, in, bb, 2) < 1)
                        break;
                    if ((fc_mf_canon(m->mf, bb[0]).kind == CXType_Pointer))
                        break;
                    in = fc_mf_strip(m->mf, bb[0]);
                }
                int v = fc_var_index(m->fn, fc_decl_ref(in));
                if (v >= 0)
                    m->needs_stack[v] = true;
                CXCursor par = fc_mf_strip(m->mf, parent);
                bool direct_arg = clang_getCursorKind(parent) == CXCursor_CallExpr ||
                                  clang_getCursorKind(par) == CXCursor_CallExpr;
                if (v >= 0 && !direct_arg && !m->addr_taken[v]) {
                    if (clang_getCursorKind(parent) == CXCursor_UnexposedExpr && ps->ndeferred < 64) {
                        /* maybe an argument through an implicit conversion
                         * (&x to void *): decided after the walk */
                        ps->deferred[ps->ndeferred] = c;
                        ps->deferred_var[ps->ndeferred++] = v;
                    } else {
                        m->addr_taken[v] = true;
                    }
                }
            }
        }
    }
    return CXChildVisit_Recurse;
}

/* ---- __attribute__((cleanup(f))) ---- */

typedef struct cleanup_find {
    const char *name;
    CXCursor def;
    int depth;
    bool frees;
} cleanup_find;

static enum CXChildVisitResult find_def(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cleanup_find *cf = d;
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl && clang_isCursorDefinition(c) &&
        !strcmp(fc_intern_cx(clang_getCursorSpelling(c)), cf->name)) {
        cf->def = c;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Continue;
}

static bool function_frees(CXTranslationUnit tu, const char *name, int depth);

static enum CXChildVisitResult find_free_call(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cleanup_find *cf = d;
    if (clang_getCursorKind(c) == CXCursor_CallExpr) {
        const char *callee = fc_callee_name(c);
        const model *md = callee ? find_model(callee) : NULL;
        if ((md && (md->kind == M_FREE || md->kind == M_CLOSE || md->kind == M_REALLOC)) ||
            (callee && cf->depth < 3 && function_frees(clang_Cursor_getTranslationUnit(c), callee, cf->depth + 1))) {
            cf->frees = true;
            return CXChildVisit_Break;
        }
    }
    return CXChildVisit_Recurse;
}

/* The function of this file called `name` calls free (or fclose, ...),
 * directly or through functions of this file (mfree, g_free wrappers). */
static bool function_frees(CXTranslationUnit tu, const char *name, int depth)
{
    cleanup_find cf = { name, clang_getNullCursor(), depth, false };
    clang_visitChildren(clang_getTranslationUnitCursor(tu), find_def, &cf);
    if (fc_cursor_null(cf.def))
        return false;
    fc_visit(cf.def, find_free_call, &cf);
    return cf.frees;
}

typedef struct attr_find {
    CXTranslationUnit tu;
    bool found, frees;
} attr_find;

static enum CXChildVisitResult find_cleanup_attr(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    attr_find *af = d;
    if (clang_getCursorKind(c) != CXCursor_UnexposedAttr)
        return CXChildVisit_Continue;
    /* libclang 14 does not expose the cleanup attribute; its tokens start
     * at the attribute's spelling (inside the macro that wraps it) */
    CXToken *toks = NULL;
    unsigned nt = 0;
    clang_tokenize(af->tu, clang_getCursorExtent(c), &toks, &nt);
    /* `cleanup ( f )`, or C2x's `gnu :: cleanup ( f )` (QA3 Q31) */
    unsigned at = 0;
    if (nt >= 6) {
        CXString g = clang_getTokenSpelling(af->tu, toks[0]);
        const char *gn = clang_getCString(g);
        if (gn && (!strcmp(gn, "gnu") || !strcmp(gn, "__gnu__")))
            at = 2;
        clang_disposeString(g);
    }
    char nm[128] = "";
    if (nt >= at + 4) {
        CXString a = clang_getTokenSpelling(af->tu, toks[at]);
        const char *an = clang_getCString(a);
        if (an && (!strcmp(an, "cleanup") || !strcmp(an, "__cleanup__"))) {
            CXString fnm = clang_getTokenSpelling(af->tu, toks[at + 2]);
            snprintf(nm, sizeof nm, "%s", clang_getCString(fnm) ? clang_getCString(fnm) : "");
            af->found = true;
            clang_disposeString(fnm);
        }
        clang_disposeString(a);
    }
    if (!af->found) {
        /* a macro defined in a header: the extent is the macro's word at
         * the use (g_autofree, _cleanup_free_), read through its
         * definition (QA5 S23) */
        CXFile f = NULL;
        unsigned off = 0;
        size_t size = 0, e;
        clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(c)), &f, NULL, NULL, &off);
        const char *text = f ? clang_getFileContents(af->tu, f, &size) : NULL;
        for (e = off; text && e < size && e - off < 127 &&
                      fc_ident_char(text[e]);
             e++)
            ;
        char word[128];
        if (text && e > off) {
            memcpy(word, text + off, e - off);
            word[e - off] = 0;
            af->found = fc_macro_cleanup(af->tu, word, nm, sizeof nm);
        }
    }
    if (af->found) {
        /* the name of a function of this file that frees; a name that is
         * no function here (a macro's parameter: systemd's _cleanup_(x))
         * is taken as freeing: silence over a false leak */
        cleanup_find cf = { nm, clang_getNullCursor(), 0, false };
        clang_visitChildren(clang_getTranslationUnitCursor(af->tu), find_def, &cf);
        af->frees = fc_cursor_null(cf.def) ? !find_model(nm) || find_model(nm)->kind == M_FREE
                                                : function_frees(af->tu, nm, 0);
    }
    if (toks)
        clang_disposeTokens(af->tu, toks, nt);
    return af->found ? CXChildVisit_Break : CXChildVisit_Continue;
}

/* A local declared with __attribute__((cleanup(f))) where f frees what the
 * variable holds (systemd's _cleanup_free_, glib's g_autofree). */
static bool has_freeing_cleanup(CXTranslationUnit tu, CXCursor var)
{
    if (clang_getCursorKind(var) != CXCursor_VarDecl)
        return false;
    attr_find af = { tu, false, false };
    fc_visit(var, find_cleanup_attr, &af);
    return af.found && af.frees;
}

static bool can_report(const mc *m);

/* Track integer variable d (a VarDecl or ParmDecl the branches test). */
static void want_int(mc *m, CXCursor d)
{
    enum CXCursorKind dk = clang_getCursorKind(d);
    if ((dk != CXCursor_VarDecl && dk != CXCursor_ParmDecl) || m->nints >= FC_MAX_INTS)
        return;
    d = clang_getCanonicalCursor(d);
    if (int_of_decl(m, d) >= 0)
        return;
    CXType t = clang_getCursorType(d);
    if (clang_isVolatileQualifiedType(t))
        return;
    CXType ct = clang_getCanonicalType(t);
    bool integral = (ct.kind >= CXType_Bool && ct.kind <= CXType_Int128) || ct.kind == CXType_Enum;
    /* a pointer local: its value as an address, 0 for NULL, so the tests
     * of it tell paths apart like an integer's (pointer_nullness below) */
    bool pointer = ct.kind == CXType_Pointer && m->want_ptrs;
    if ((!integral && !pointer) || ct.kind == CXType_WChar || ct.kind == CXType_Char16 || ct.kind == CXType_Char32)
        return;
    int v = fc_var_index(m->fn, d);
    if (pointer && (v < 0 || m->fn->var_static[v]))
        return;
    bool global = v < 0;
    if (v >= 0) {
        if (m->needs_stack[v])
            return;     /* its address is taken: writes we cannot see */
        global = m->fn->var_static[v];
    } else if (clang_getCursorKind(clang_getCursorSemanticParent(d)) != CXCursor_TranslationUnit) {
        return;
    }
    int64_t umax = 0;
    long long size = clang_Type_getSizeOf(ct);
    if (pointer)
        umax = INT64_MAX;
    else if (ct.kind == CXType_Bool)
        umax = 1;
    else if (ct.kind == CXType_UChar || ct.kind == CXType_Char_U || ct.kind == CXType_UShort ||
             ct.kind == CXType_UInt || ct.kind == CXType_ULong || ct.kind == CXType_ULongLong || ct.kind == CXType_UInt128)
        umax = size > 0 && size < 8 ? (int64_t)((1ull << (8 * size)) - 1) : INT64_MAX;
    if (v >= 0 && !global) {
        if (!m->int_of_var) {
            m->int_of_var = fc_xmalloc(m->fn->nvars + 1);
            memset(m->int_of_var, -1, m->fn->nvars + 1);
        }
        m->int_of_var[v] = (int8_t)m->nints;
    } else {
        m->int_nglobal++;
    }
    m->int_decl[m->nints] = d;
    m->int_ptrvar[m->nints] = pointer ? v : -1;
    m->int_global[m->nints] = global;
    m->int_umax[m->nints] = umax;
    m->nints++;
}

static void ints_in_cond(mc *m, CXCursor c, int depth, uint16_t *tested)
{
    if (depth > 8)
        return;
    CXCursor e = fc_mf_strip(m->mf, c);
    enum CXCursorKind k = clang_getCursorKind(e);
    CXCursor kk[2];
    if (k == CXCursor_DeclRefExpr) {
        want_int(m, fc_mf_referenced(m->mf, e));
        int i = int_of_decl(m, fc_mf_referenced(m->mf, e));
        if (i >= 0)
            *tested |= (uint16_t)(1u << i);
    } else if (k == CXCursor_UnaryOperator) {
        fc_op op = fc_mf_unop(m->mf, e);
        if ((op == FC_OP_LNOT || op == FC_OP_POSTDEC || op == FC_OP_POSTINC || op == FC_OP_PREDEC ||
             op == FC_OP_PREINC) && fc_mf_children(m->mf, e, kk, 1) == 1)
            ints_in_cond(m, kk[0], depth + 1, tested);
    } else if (k == CXCursor_BinaryOperator && fc_mf_children(m->mf, e, kk, 2) == 2) {
        fc_op op = fc_mf_binop(m->mf, e);
        long long c0;
        if (op >= FC_OP_LT && op <= FC_OP_NE) {
            bool k0 = fc_mf_const(m->mf, kk[0], &c0), k1 = fc_mf_const(m->mf, kk[1], &c0);
            if (!k0)
                ints_in_cond(m, kk[0], depth + 1, tested);
            if (!k1)
                ints_in_cond(m, kk[1], depth + 1, tested);
        } else if (op == FC_OP_ASSIGN) {
            ints_in_cond(m, kk[0], depth + 1, tested);
        } else if ((op == FC_OP_ADD || op == FC_OP_SUB) && fc_mf_const(m->mf, kk[1], &c0)) {
            ints_in_cond(m, kk[0], depth + 1, tested);
        }
    }
}

/* The integers the function's branch and switch conditions test. */
static void collect_ints(mc *m)
{
    const fc_cfg *g = m->fn->cfg;
    m->nints = 0;
    uint16_t *later = fc_xcalloc(g->nblocks + 1, sizeof *later);
    /* integers first, then the pointer locals tested, in the slots left */
    for (int pass = 0; pass < 2 && m->nints < FC_MAX_INTS; pass++) {
        m->want_ptrs = pass == 1;
        for (unsigned r = 0; r < g->nrpo; r++) {
            const fc_block *b = g->blocks[g->rpo[r]];
            if ((b->term == FC_T_BRANCH || b->term == FC_T_SWITCH) && !fc_cursor_null(b->cond))
                ints_in_cond(m, b->cond, 0, &later[b->id]);
        }
    }
    m->want_ptrs = false;
    if (!m->nints) {
        free(later);
        return;
    }
    /* tested from there on: backwards to a fixpoint (12 bits per block) */
    for (bool changed = true; changed;) {
        changed = false;
        for (unsigned r = g->nrpo; r-- > 0;) {
            const fc_block *b = g->blocks[g->rpo[r]];
            uint16_t v = later[b->id];
            for (unsigned i = 0; i < b->nsucc; i++)
                if (b->succ[i].to < g->nblocks)
                    v |= later[b->succ[i].to];
            if (v != later[b->id]) {
                later[b->id] = v;
                changed = true;
            }
        }
    }
    m->int_later = later;
    m->icond = fc_xcalloc(g->nblocks + 1, sizeof *m->icond);
    for (unsigned r = 0; r < g->nrpo; r++) {
        const fc_block *b = g->blocks[g->rpo[r]];
        if (b->term == FC_T_BRANCH && !fc_cursor_null(b->cond))
            icond_decode(m, b->cond, &m->icond[b->id]);
        else if (b->term == FC_T_SWITCH && !fc_cursor_null(b->cond)) {
            int64_t off;
            int x = int_term(m, b->cond, &off);
            if (x >= 0)
                m->icond[b->id] = (struct icond){ IC_CONST, FC_OP_EQ, false, (int8_t)x, 0, off, 0, 0 };
        }
    }
}

static bool mc_setup(mc *m, fc_func *fn)
{
    memset(m, 0, sizeof *m);
    m->fn = fn;
    m->mf = fc_mform_new(fn);
    m->text_place = -1;
    m->member_place = fc_cmap_new();
    m->site_obj = fc_cmap_new();
    m->global_obj = fc_cmap_new();
    m->call_id = fc_cmap_new();
    m->addr_taken = fc_xcalloc(fn->nvars + 1, sizeof *m->addr_taken);
    m->needs_stack = fc_xcalloc(fn->nvars + 1, sizeof *m->needs_stack);
    m->stack_obj = fc_xcalloc(fn->nvars + 1, sizeof *m->stack_obj);
    m->addr_scalar = fc_xcalloc(fn->nvars + 1, sizeof *m->addr_scalar);
    bool *is_array = fc_xcalloc(fn->nvars + 1, sizeof *is_array);
    for (unsigned v = 0; v < fn->nvars; v++)
        m->needs_stack[v] = is_array[v] = fc_mf_kind_is_array(fc_mf_canon(m->mf, fn->vars[v]).kind);
    prescan ps = { .m = m };
    ps.arr_refs = fc_xcalloc(fn->nvars + 1, sizeof *ps.arr_refs);
    ps.arr_subs = fc_xcalloc(fn->nvars + 1, sizeof *ps.arr_subs);
    ps.arr_args = fc_xcalloc(fn->nvars + 1, sizeof *ps.arr_args);
    bool ptr_arrays = false;
    for (unsigned v = fn->nparams; v < fn->nvars && !ptr_arrays; v++)
        ptr_arrays = is_array[v] && !fn->var_static[v] &&
                     clang_getCanonicalType(clang_getArrayElementType(clang_getCanonicalType(
                         clang_getCursorType(fn->vars[v])))).kind == CXType_Pointer;
    ps.ptr_arrays = ptr_arrays;
    for (unsigned i = 0; i < fn->nparams && i < 31 && !ps.pt_params; i++)
        ps.pt_params = pt_eligible(clang_getCursorType(fn->vars[i]));
    fc_visit(fn->body, prescan_visit, &ps);
    /* call arguments: &x converted to void * is still handled at the call;
     * a local array of pointers passed to calls still gets element places */
    if (ps.ndeferred || (ptr_arrays && ps.nelems)) {
        fc_cmap *direct = ps.ndeferred ? fc_cmap_new() : NULL;
        for (unsigned ci = 0; ci < m->ncalls; ci++) {
            int nargs = fc_mf_nargs(m->mf, m->calls[ci]);
            for (int i = 0; i < nargs && i < 64; i++) {
                CXCursor a = fc_mf_strip(m->mf, fc_mf_strip(m->mf, fc_mf_arg(m->mf, m->calls[ci], (unsigned)i)));
                enum CXCursorKind ak = clang_getCursorKind(a);
                if (ak == CXCursor_UnaryOperator && direct) {
                    fc_cmap_put(direct, a, 1);
                } else if (ak == CXCursor_DeclRefExpr && ptr_arrays) {
                    int v = fc_var_index(fn, fc_decl_ref(a));
                    if (v >= (int)fn->nparams && !fn->var_static[v])
                        ps.arr_args[v]++;
                }
            }
        }
        for (unsigned i = 0; i < ps.ndeferred; i++) {
            int da;
            if (!fc_cmap_get(direct, ps.deferred[i], &da))
                m->addr_taken[ps.deferred_var[i]] = true;
        }
        if (direct)
            fc_cmap_free(direct);
    }
    /* element places of the arrays used only as a[constant] */
    for (unsigned i = 0; i < ps.nelems && !ps.too_big; i++) {
        place pl = ps.elem_place[i];
        if (ps.arr_refs[pl.var] != ps.arr_subs[pl.var] + ps.arr_args[pl.var])
            continue;
        int found = -1;
        for (unsigned j = 0; j < ps.nfields; j++)
            if (ps.fields[j].var == pl.var && ps.fields[j].index == pl.index)
                found = (int)j;
        if (found < 0) {
            ps.fields = fc_xrealloc(ps.fields, (ps.nfields + 1) * sizeof *ps.fields);
            ps.fields[ps.nfields] = pl;
            found = (int)ps.nfields++;
        }
        fc_cmap_put(m->member_place, ps.elem_expr[i], (int)(fn->nvars + (unsigned)found));
        m->has_elems = true;
    }
    free(ps.arr_refs);
    free(ps.arr_subs);
    free(ps.arr_args);
    free(ps.elem_expr);
    free(ps.elem_place);
    for (unsigned i = 0; i < m->ncalls; i++)   /* the array moved as it grew */
        if (m->callinfos[i].sum)
            m->callinfos[i].sum = &m->callinfos[i].sumv;
    for (unsigned v = 0; v < fn->nvars; v++) {
        m->addr_scalar[v] = m->needs_stack[v] && !is_array[v];
        m->any_addr_scalar = m->any_addr_scalar || m->addr_scalar[v];
    }
    free(is_array);
    for (unsigned v = fn->nparams; v < fn->nvars; v++)
        if (has_freeing_cleanup(fn->tu, fn->vars[v])) {
            if (!m->auto_freed)
                m->auto_freed = fc_xcalloc(fn->nvars + 1, sizeof *m->auto_freed);
            m->auto_freed[v] = true;
        }
    bool ok = !ps.too_big;
    /* *param places (T **p, void *p): fields of the parameter, so each
     * gets an object of the caller's memory like p->f */
    unsigned pt_first = ps.nfields, npt = 0;
    for (unsigned i = 0; i < fn->nparams && i < 31 && ok; i++)
        if (pt_eligible(clang_getCursorType(fn->vars[i]))) {
            ps.fields = fc_xrealloc(ps.fields, (ps.nfields + 1) * sizeof *ps.fields);
            ps.fields[ps.nfields++] = (place){ (int)i, true, clang_getNullCursor(), -2 };
            npt++;
        }
    /* objects: 0 none, heap sites, stack (one per variable), params, globals, literal */
    /* fields reached from parameters hold the caller's pointers: one object each */
    unsigned nfieldobjs = 0;
    for (unsigned i = 0; i < ps.nfields; i++)
        if (ps.fields[i].var < (int)fn->nparams || ps.fields[i].via_ptr || ps.fields[i].index == -1)
            nfieldobjs++;
    unsigned nstack = 0;
    for (unsigned v = 0; v < fn->nvars; v++)
        nstack += m->needs_stack[v];
    unsigned nobjs = 1 + ps.nheap + nstack + fn->nparams + ps.nglobal + 1 + nfieldobjs;
    if (nobjs > 4096 || fn->nvars + ps.nfields > 4096) {
        ok = false;
        m->skip_reason = "more than 4096 objects or places";
    }
    if (ps.too_big && !m->skip_reason)
        m->skip_reason = "more than 60000 calls or 4000 fields";
    if (ok) {
        m->nobjs = nobjs;
        m->objs = fc_xcalloc(nobjs, sizeof *m->objs);
        unsigned o = 1;
        for (unsigned i = 0; i < ps.nheap; i++, o++) {
            int cid;
            const callinfo *hci = fc_cmap_get(m->call_id, ps.heap_sites[i], &cid) ? &m->callinfos[cid] : NULL;
            /* alloca: the caller's stack (no variable: var -1) */
            bool on_stack = hci && hci->md && hci->md->kind == M_ALLOCA;
            /* a function returning the address of a global (QA10 J2) */
            bool global = hci && !hci->md && hci->sum && hci->sum->ret_nonheap == FC_RET_GLOBAL;
            m->objs[o].kind = on_stack ? O_STACK : global ? O_GLOBAL : O_HEAP;
            m->objs[o].var = on_stack ? -1 : 0;
            m->objs[o].site = ps.heap_sites[i];
            m->objs[o].fname = ps.heap_names[i];
            m->objs[o].family = ps.heap_family[i];
            fc_cmap_put(m->site_obj, ps.heap_sites[i], (int)o);
        }
        for (unsigned i = 0; i < fn->nvars; i++) {
            if (!m->needs_stack[i])
                continue;
            m->objs[o].kind = O_STACK;
            m->objs[o].var = (int)i;
            m->stack_obj[i] = o++;
        }
        m->param_base = o;
        for (unsigned i = 0; i < fn->nparams; i++, o++) {
            m->objs[o].kind = O_PARAM;
            m->objs[o].var = (int)i;
        }
        for (unsigned i = 0; i < ps.nglobal; i++, o++) {
            m->objs[o].kind = O_GLOBAL;
            m->objs[o].site = ps.globals[i];
            fc_cmap_put(m->global_obj, ps.globals[i], (int)o);
        }
        m->strlit_obj = o;
        m->objs[o].kind = O_STRLIT;
        o++;
        m->field_obj = fc_xcalloc(ps.nfields + 1, sizeof *m->field_obj);
        for (unsigned i = 0; i < ps.nfields; i++)
            if (ps.fields[i].var < (int)fn->nparams || ps.fields[i].via_ptr || ps.fields[i].index == -1) {
                m->objs[o].kind = O_PARAM;
                m->objs[o].var = -1;
                m->field_obj[i] = o++;
                if (!m->obj_place)
                    m->obj_place = fc_xcalloc(nobjs + 1, sizeof *m->obj_place);
                m->obj_place[o - 1] = fn->nvars + i;
            }
        m->nplaces = fn->nvars + ps.nfields;
        m->places = fc_xcalloc(m->nplaces + 1, sizeof *m->places);
        m->pt_sub_ok = ps.pt_sub_seen & ~ps.pt_sub_bad;
        if (npt) {
            m->pt_place = fc_xcalloc(fn->nparams + 1, sizeof *m->pt_place);
            for (unsigned i = pt_first; i < ps.nfields; i++)
                m->pt_place[ps.fields[i].var] = fn->nvars + i;
        }
        for (unsigned i = 0; i < fn->nvars; i++)
            m->places[i] = (place){ (int)i, false, clang_getNullCursor(), -1 };
        m->var_fields_start = fc_xcalloc(fn->nvars + 2, sizeof *m->var_fields_start);
        m->var_fields = fc_xcalloc(ps.nfields + 1, sizeof *m->var_fields);
        for (unsigned i = 0; i < ps.nfields; i++) {
            m->places[fn->nvars + i] = ps.fields[i];
            if (ps.fields[i].var >= 0)
                m->var_fields_start[ps.fields[i].var + 1]++;
            if (ps.fields[i].via_ptr)
                m->has_ptr_fields = true;
        }
        for (unsigned v = 0; v < fn->nvars; v++)
            m->var_fields_start[v + 1] += m->var_fields_start[v];
        unsigned *fill = fc_xcalloc(fn->nvars + 1, sizeof *fill);
        for (unsigned i = 0; i < ps.nfields; i++) {
            int v = ps.fields[i].var;
            if (v >= 0)
                m->var_fields[m->var_fields_start[v] + fill[v]++] = fn->nvars + i;
        }
        free(fill);
        m->state_size = (size_t)m->nplaces * sizeof(val) + (size_t)m->nobjs * sizeof(ost);
        if (can_report(m))
            collect_ints(m);    /* integer facts matter only where memory events are */
        if (m->nints) {
            /* the ranges hold int64_t: aligned in every state of the
             * engine's arrays (state i starts at i * state_size) */
            size_t al = _Alignof(fc_ival);
            m->ival_off = (m->state_size + al - 1) / al * al;
            m->state_size = (m->ival_off + (size_t)m->nints * sizeof(fc_ival) + al - 1) / al * al;
        } else {
            m->ival_off = m->state_size;
        }
        /* bound the time one function may cost: a pass over the blocks
         * copies and compares a state per block (the engine shares what
         * the states have in common, so memory grows with what the blocks
         * change: dataflow.c); beyond 1 GiB of states a pass (2,000 blocks
         * of 400 allocations each take 0.8 GiB, 0.2 s) the function is
         * skipped, and skip_note() says so */
        if (m->state_size * (size_t)fn->cfg->nblocks > ((size_t)1 << 30)) {
            ok = false;
            m->skip_reason = "its dataflow states would be more than 1 GiB a pass";
        }
    }
    m->setup_done = ok;
    free(ps.heap_sites);
    free(ps.heap_names);
    free(ps.heap_family);
    free(ps.globals);
    free(ps.fields);
    return ok;
}

static void mc_teardown(mc *m)
{
    fc_mform_free(m->mf);
    free(m->sure_objs);
    free(m->sure_seen);
    free(m->addr_vars);
    free(m->ptr_fields);
    free(m->kept_reported);
    free(m->main_outer);
    fc_cmap_free(m->member_place);
    fc_cmap_free(m->site_obj);
    fc_cmap_free(m->global_obj);
    fc_cmap_free(m->call_id);
    free(m->calls);
    free(m->callinfos);
    free(m->addr_taken);
    free(m->auto_freed);
    free(m->needs_stack);
    free(m->addr_scalar);
    free(m->stack_obj);
    free(m->field_obj);
    free(m->objs);
    free(m->places);
    free(m->int_later);
    free(m->int_of_var);
    free(m->icond);
    free(m->pt_place);
    free(m->obj_place);
    free(m->place_key);
    free(m->fe_acc);
    free(m->var_fields);
    free(m->var_fields_start);
}

/* The bits of a summary that make a call site matter to the checks: it
 * frees, may free or returns memory (fields and *param included). */
static bool sum_frees_or_owns(const fc_summary *s)
{
    if (s->frees || s->may_free || s->pt_frees || s->pt_may_free || s->returns_owned || s->returns_freed ||
        s->pt_owned || s->ret_nonheap)
        return true;
    for (unsigned i = 0; i < s->nfields && i < FC_SUM_FIELDS; i++)
        if (s->fields[i].eff & (FC_FE_FREES | FC_FE_MAY_FREE))
            return true;
    return false;
}

/* Whether nothing in this function can become freed or owned, so that it
 * can report nothing: no heap object (no allocator, no callee returning
 * owned or freed memory), no call of a library model (free, realloc,
 * fclose, alloca, asprintf, ...) or of a function whose summary frees
 * anything (*param and fields included), no cleanup attribute that frees,
 * no stack object that a pointer-returning function could return, no
 * integer facts.  Every finding (use-after-free, double-free,
 * free-nonheap, leak, return-stack-address) needs one of these.  Such a
 * function's report pass needs no transfers (dataflow.h, quiet_report):
 * most functions of a large unit (SQLite: 94% of this pass's dataflow). */
static bool quiet(const mc *m)
{
    if (m->auto_freed || m->nints || m->has_complit)
        return false;
    bool stack = false;
    for (unsigned o = 1; o < m->nobjs; o++) {
        if (m->objs[o].kind == O_HEAP)
            return false;
        stack = stack || m->objs[o].kind == O_STACK;
    }
    for (unsigned i = 0; i < m->ncalls; i++) {
        const callinfo *ci = &m->callinfos[i];
        if (ci->md || (ci->sum && sum_frees_or_owns(ci->sum)))
            return false;
    }
    return !stack || clang_getCanonicalType(clang_getCursorResultType(m->fn->decl)).kind != CXType_Pointer;
}

/* What a block's transfers leave in the context for the report pass's
 * callbacks after them (quiet_report): the return value (at_return), the
 * calls of the last condition (edge refinement), and the report flag. */
typedef struct mc_scratch {
    val ret_val;
    bool ret_set;
    unsigned nlast;
    CXCursor last_call[8];
    val last_val[8];
} mc_scratch;

static void mc_save_scratch(void *ctx, const fc_block *b, void *buf)
{
    (void)b;
    const mc *m = ctx;
    mc_scratch *s = buf;
    s->ret_val = m->ret_val;
    s->ret_set = m->ret_set;
    s->nlast = m->nlast;
    memcpy(s->last_call, m->last_call, sizeof s->last_call);
    memcpy(s->last_val, m->last_val, sizeof s->last_val);
}

static void mc_load_scratch(void *ctx, const fc_block *b, const void *buf)
{
    mc *m = ctx;
    const mc_scratch *s = buf;
    if (b->nelems)
        m->report = true;   /* as the block's transfers would have set it */
    m->ret_val = s->ret_val;
    m->ret_set = s->ret_set;
    m->nlast = s->nlast;
    memcpy(m->last_call, s->last_call, sizeof s->last_call);
    memcpy(m->last_val, s->last_val, sizeof s->last_val);
}

/* The zero-trip path of a loop (dataflow.h): a block the loop stores
 * somewhere on some iteration (head: the loop head's fixpoint state) is
 * not certainly lost when the loop does not run, as for a store under an
 * `if` (QA8 V14: nginx's `for (i = 0; i < n; i++) addrs[i].sa = &sa[i];`). */
static void mc_zero_trip_seed(void *ctx, void *entry, const void *head)
{
    mc *m = ctx;
    ost *E = OBJS(m, entry);
    const ost *H = OBJS(m, head);
    for (unsigned o = 0; o < m->nobjs; o++)
        if ((H[o].esc & E_ESC) && m->objs[o].kind == O_HEAP)
            E[o].esc |= E_ESC | (H[o].esc & E_XESC);
}

static bool run(mc *m, const struct fc_options *opts)
{
    fc_flow_client cl = {
        .state_size = m->state_size,
        .ctx = m,
        .init = mc_init,
        .join = fc__mc_join,
        .transfer = mc_transfer,
        .edge = mc_edge,
        .at_return = mc_at_return,
        .at_scope_end = mc_scope_end,
        .replay_loops = true,
        .zero_trip_seed = mc_zero_trip_seed,
        .distinct = m->nints ? mc_distinct : NULL,
        .max_parts = 2,
        .quiet_report = quiet(m),
        .scratch_size = sizeof(mc_scratch),
        .save_scratch = mc_save_scratch,
        .load_scratch = mc_load_scratch,
    };
    return fc_flow_run(m->fn, &cl, opts);
}

/* ---- Entry points (memcheck.h) ---- */

/* Whether the dataflow could report anything in this function: every
 * finding needs memory obtained here (a heap site: leak, use-after-free of
 * it, double free), a call that releases (free, realloc, fclose, a function
 * summarized as freeing: use-after-free, double-free, free-nonheap), or a
 * local whose address a pointer-returning function could return.  Most
 * functions of a large unit (arithmetic, parsing into caller buffers) have
 * none, and skipping their dataflow halves this pass. */
static bool can_report(const mc *m)
{
    for (unsigned o = 1; o < m->nobjs; o++)
        if (m->objs[o].kind == O_HEAP)
            return true;
    for (unsigned i = 0; i < m->ncalls; i++) {
        const callinfo *ci = &m->callinfos[i];
        if (ci->md && (ci->md->kind == M_FREE || ci->md->kind == M_REALLOC || ci->md->kind == M_CLOSE))
            return true;
        /* (also what it frees through *param or a field: a local array
         * handed to sink_pp(&p) is a free of the stack, QA10 J6/J4) */
        if (ci->sum && sum_frees_or_owns(ci->sum))
            return true;
    }
    bool stack = false;
    for (unsigned o = 1; o < m->nobjs; o++)
        if (m->objs[o].kind == O_STACK)
            stack = true;
    if (!stack && !m->has_complit)
        return false;
    CXType rt = clang_getCanonicalType(clang_getCursorResultType(m->fn->decl));
    if (rt.kind == CXType_Pointer)
        return true;
    /* a local's address may be left in *param */
    for (unsigned i = 0; m->pt_place && i < m->fn->nparams; i++)
        if (m->pt_place[i])
            return true;
    /* ... or in a parameter's field (`c->name = tmp`, QA5 S21 s3) */
    for (unsigned q = m->fn->nvars; q < m->nplaces; q++)
        if (m->places[q].via_ptr && m->places[q].index == -1 && m->places[q].var >= 0 &&
            (unsigned)m->places[q].var < m->fn->nparams)
            return true;
    return false;
}

/* A function the memory checks skip (a size bound, or a dataflow that
 * does not settle within its bound) is named in a remark (diag.h), so that
 * a clean result is not taken for a checked one (QA3 Q10/Q32): main prints
 * it once on stderr (-q keeps quiet), also when the unit's findings come
 * from the cache (QA4 R10). */
static void skip_note(const fc_func *fn, fc_diag_sink *sink, const char *why)
{
    if (!sink || !why)
        return;
    fc_loc l = fc_loc_of(fn->decl);
    l.col = 0;
    fc_diag_emit(sink, fc_remark_new(l, "'%s' not analyzed by the memory checks: %s", fn->name ? fn->name : "?", why));
}

void fc_memcheck_function(fc_func *fn, fc_diag_sink *sink, const struct fc_options *opts)
{
    mc m;
    if (!mc_setup(&m, fn)) {
        skip_note(fn, sink, m.skip_reason);
        mc_teardown(&m);
        return;
    }
    m.sink = sink;
    m.opts = opts;
    if (can_report(&m) && !run(&m, opts))
        skip_note(fn, sink, fc_flow_failure() ? fc_flow_failure() : "its dataflow did not settle within the visit bound");
    mc_teardown(&m);
}

/* A parameter whose fate is told by the integer the function returns
 * (QA5 S34), when every return returns a constant: freed on every path
 * returning nonzero and never freed on those returning 0 ("takes it
 * whatever happens": a caller that frees it again on failure frees it
 * twice), or untouched on every failure path and stored on some success
 * path ("keeps it only on success": a caller that returns on failure
 * without freeing it leaks it).  Written as summary field entries with
 * key 0 (no field has that key), param i, eff FC_SPLIT_*. */
static void split_entries(const mc *m, fc_summary *out)
{
    if (!m->split_all_const || !m->split_fail_seen || !m->split_ok_seen)
        return;
    for (unsigned i = 0; i < m->fn->nparams && i < 32 && out->nfields < FC_SUM_FIELDS; i++) {
        uint32_t bit = 1u << i;
        uint8_t eff = 0;
        if ((m->split_fail_freed & m->split_fail_some_freed & bit) && !(m->split_ok_freed & bit) && !(out->frees & bit))
            eff = FC_SPLIT_TAKES;
        else if ((m->split_fail_untouched & m->split_fail_some_live & bit) && (m->split_ok_stored & bit) &&
                 !(m->split_ok_freed & bit))
            eff = FC_SPLIT_KEEPS;
        if (!eff)
            continue;
        struct fc_sum_field *sf = &out->fields[out->nfields++];
        sf->key = 0;
        sf->param = (uint8_t)i;
        sf->eff = (uint8_t)(eff | (m->split_fail_pos ? 0 : FC_SPLIT_NEG));
    }
}

static bool summarize(fc_func *fn, const struct fc_options *opts, fc_summary *out, fc_diag_sink *sink,
                      bool *checked);

bool fc_memcheck_summarize(fc_func *fn, const struct fc_options *opts, fc_summary *out)
{
    bool checked;
    return summarize(fn, opts, out, NULL, &checked);
}

bool fc_memcheck_summarize_check(fc_func *fn, fc_diag_sink *sink, const struct fc_options *opts, fc_summary *out,
                                 bool *checked)
{
    return summarize(fn, opts, out, sink, checked);
}

/* One dataflow run gives the summary and, with a sink, the function's
 * findings too (the two runs were the same but for what they record). */
static bool summarize(fc_func *fn, const struct fc_options *opts, fc_summary *out, fc_diag_sink *sink,
                      bool *checked)
{
    *checked = false;
    memset(out, 0, sizeof *out);
    if (!fn->cfg || fn->cfg->nrpo == 0)
        return false;
    /* never returns: the exit block is unreachable */
    bool exit_reachable = false;
    for (unsigned i = 0; i < fn->cfg->nrpo; i++)
        if (fn->cfg->rpo[i] == FC_CFG_EXIT)
            exit_reachable = true;
    if (!exit_reachable) {
        out->noreturn = true;
        return true;
    }
    mc m;
    if (!mc_setup(&m, fn)) {
        if (sink) {
            skip_note(fn, sink, m.skip_reason);
            *checked = true;    /* a check would be refused the same way */
        }
        mc_teardown(&m);
        return false;
    }
    m.opts = opts;
    m.summary_mode = true;
    m.check_too = sink != NULL;
    m.sink = sink;
    m.sum_must_free = ~0u;
    m.sum_pt_must = ~0u;
    m.sum_pt_own_ok = ~0u;
    m.pst_set_zero = m.pst_unset_nz = m.pst_unset_neg = ~0u;
    if (m.obj_place)
        m.fe_acc = fc_xcalloc(m.nplaces + 1, 1);
    m.sum_ret_owned_ok = true;
    m.sum_ret_family = -1;
    m.sum_ret_nonheap = -1;
    m.sum_ret_param_ok = true;
    m.sum_ret_param = -1;
    m.sum_ret_field_ok = true;
    m.sum_ret_field = -1;
    m.sum_ret_null_params = ~0u;
    m.split_all_const = true;
    m.split_fail_freed = m.split_fail_untouched = ~0u;
    m.sum_const_ok = true;
    m.sum_freed_ok = true;
    bool ok = run(&m, opts);
    if (!ok && sink)
        skip_note(fn, sink, fc_flow_failure() ? fc_flow_failure() : "its dataflow did not settle within the visit bound");
    *checked = sink != NULL;   /* the findings are in (or the work bound was hit, as in a check) */
    if (ok && m.sum_any_return) {
        uint32_t mask = fn->nparams >= 32 ? ~0u : (1u << fn->nparams) - 1;
        out->frees = m.sum_must_free & mask & m.sum_may_free;
        out->may_free = m.sum_may_free & mask & ~out->frees;
        out->escapes = m.sum_escape & mask;
        /* the parameters this function reads through (a freed argument is
         * a use at the call); bit 31 says the bits come from the body, so
         * a caller may trust a clear bit (FC_DEREFS_KNOWN) */
        if (fn->nparams < 31) {
            out->derefs = (m.sum_uses & mask) | FC_DEREFS_KNOWN;
            out->pt_frees = m.sum_pt_must & m.sum_pt_may & mask;
            out->pt_may_free = m.sum_pt_may & mask & ~out->pt_frees;
            out->pt_uses = m.sum_pt_uses & mask;
            out->pt_keeps = m.sum_pt_keeps & mask;
            out->pt_owned = m.sum_pt_own_ok & m.sum_pt_own_seen & mask;
            out->pt_owned_all = out->pt_owned & ~m.sum_pt_own_same;
            /* what the result says of the first one (the one a caller follows) */
            for (unsigned i = 0; i < 31; i++) {
                uint32_t bit = 1u << i;
                if (!(out->pt_owned & bit))
                    continue;
                if (m.pst_unknown & bit)
                    out->pt_status = FC_PTST_UNKNOWN;
                else if (!(m.pst_unset_seen & bit))
                    out->pt_status = FC_PTST_NONE;
                else if ((m.pst_set_zero & m.pst_unset_nz & bit) && (m.pst_unset_neg & bit))
                    out->pt_status = FC_PTST_NZ | FC_PTST_NEG;
                else if (m.pst_set_zero & m.pst_unset_nz & bit)
                    out->pt_status = FC_PTST_NZ;
                else
                    out->pt_status = FC_PTST_UNKNOWN;
                break;
            }
            int rq = m.sum_ret_field_ok && !m.sum_ret_param_ok ? m.sum_ret_field : -1;
            if (rq >= 0 && (m.places[rq].var >= 32 || !(m.sum_ret_null_params & (1u << m.places[rq].var))))
                rq = -1;
            for (unsigned q = fn->nvars; m.fe_acc && q < m.nplaces && out->nfields < FC_SUM_FIELDS; q++) {
                uint8_t a = m.fe_acc[q];
                if ((int)q == rq)
                    a |= FE_SEEN | FC_FE_RETURNED;
                if (!(a & FE_SEEN) || !(a & (FC_FE_MAY_FREE | FC_FE_USES | FC_FE_RETURNED)))
                    continue;
                uint8_t eff = a & (FC_FE_USES | FC_FE_KEEPS | FC_FE_RETURNED);
                if (a & FC_FE_MAY_FREE)
                    eff |= (a & FE_NOT_MUST) ? FC_FE_MAY_FREE : FC_FE_FREES;
                struct fc_sum_field *sf = &out->fields[out->nfields++];
                sf->key = field_key(&m, q);
                sf->param = m.places[q].var < 0 ? FC_SUM_GLOBAL : (uint8_t)m.places[q].var;
                sf->eff = eff;
            }
        }
        out->returns_owned = m.sum_ret_owned_ok && m.sum_ret_owned_seen;
        out->ret_nonheap = m.sum_ret_nonheap > 0 && !out->returns_owned ? (uint8_t)m.sum_ret_nonheap : 0;
        out->ret_family = out->returns_owned && m.sum_ret_family > 0 ? (uint8_t)m.sum_ret_family : 0;
        out->returns_param = m.sum_ret_param_ok && m.sum_ret_param >= 0;
        out->ret_param = out->returns_param ? (unsigned)m.sum_ret_param : 0;
        CXType rt = clang_getCanonicalType(clang_getCursorResultType(fn->decl));
        bool integral = rt.kind >= CXType_Bool && rt.kind <= CXType_LongLong;
        integral = integral || (rt.kind >= CXType_Char_S && rt.kind <= CXType_Int128) || rt.kind == CXType_Enum;
        out->returns_const = integral && m.sum_const_ok && m.sum_const_seen;
        if (integral)
            split_entries(&m, out);
        out->returns_freed = m.sum_freed_ok && m.sum_freed_seen && !out->returns_owned;
        out->const_val = out->returns_const ? m.sum_const : 0;
    } else {
        ok = false;
    }
    mc_teardown(&m);
    return ok;
}

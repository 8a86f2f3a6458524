/* Operators that come from macros: the analyzer must read `=` and `==`
 * when an operand is a macro (NULL), when a macro stands for the operator,
 * and when a function-like macro builds the expression from its parameters. */
#include <stdlib.h>

/* Allocator hooks the way stb_image_resize.h documents and defines them:
 *     #define CTX_MALLOC(size, context) ...
 * (an example in a comment comes before the real definition). */

#define SET(a, b) a = b
#define CLEAR(x) x = NULL
#define IS_NULL(x) ((x) == NULL)
#define SAME(a, b) ((a) == (b))
#define BECOMES =
#define MYNULL NULL

void set_alias_then_free_twice(void)
{
    char *p = malloc(4);
    char *q;
    SET(q, p);
    free(p);
    free(q);                            /* expect: double-free */
}

void object_macro_operator(void)
{
    char *p = malloc(4);
    char *q;
    q BECOMES p;
    free(q);
    free(p);                            /* expect: double-free */
}

void cleared_by_macros(void)
{
    char *p = malloc(4), *q = malloc(4), *r = malloc(4);
    free(p);
    SET(p, NULL);
    free(p);
    free(q);
    CLEAR(q);
    free(q);
    free(r);
    r BECOMES MYNULL;
    free(r);
}

int null_tests_through_macros(void)
{
    char *p = malloc(4);
    if (IS_NULL(p))
        return -1;
    char *q = malloc(4);
    if (SAME(q, MYNULL)) {
        free(p);
        return -1;
    }
    if (MYNULL == q || p == MYNULL) {
        free(p);
        free(q);
        return -2;
    }
    free(q);
    free(p);
    return 0;
}

void null_tested_then_used_after_free(void)
{
    char *p = malloc(4);
    if (IS_NULL(p))
        return;
    free(p);
    if (!IS_NULL(p))
        *p = 1;                         /* expect: use-after-free */
}

#define CTX_MALLOC(size, c) ((void)(c), malloc(size))
#define CTX_FREE(ptr, c) ((void)(c), free(ptr))

int allocator_hooks_with_a_context(size_t n, void *ctx)
{
    void *extra;
    extra = CTX_MALLOC(n, ctx);
    if (!extra)
        return 0;
    CTX_FREE(extra, ctx);
    return 1;
}

int allocator_hooks_freed_twice(size_t n, void *ctx)
{
    void *extra;
    extra = CTX_MALLOC(n, ctx);
    if (!extra)
        return 0;
    CTX_FREE(extra, ctx);
    CTX_FREE(extra, ctx);               /* expect: double-free */
    return 1;
}

/* A tagged pointer built inside a macro body (stb.h's EncodeBucket): the
 * `+` is at the expansion point for libclang, yet the result still points
 * into the block, which escapes through the return. */
typedef struct tagged tagged;
enum { TAG_BUCKET = 1 };
#define ENCODE_BUCKET(p) ((tagged *) ((char *) (p) + TAG_BUCKET))

tagged *tagged_new(void)
{
    int *n = malloc(sizeof *n);
    return ENCODE_BUCKET(n);
}

#define OFFSET_BY(p, k) ((char *) (p) + (k))

void free_interior_through_macro(void)
{
    char *b = malloc(16);
    free(OFFSET_BY(b, 4));              /* expect: free-nonheap */
}

/* A store written inside a macro body (stb.h's generated hash tables): the
 * block handed to the generated add function escapes into the table. */
struct slot { void *v; };
static struct slot table[8];
#define DEFINE_ADD(name) static void name(int i, void *v) { table[i].v = v; }
DEFINE_ADD(table_add)

void *stored_by_generated_function(int i)
{
    void *d = malloc(8);
    if (!d)
        return NULL;
    table_add(i, d);
    return table[i].v;
}

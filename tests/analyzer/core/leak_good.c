/* leak: ownership that is handed on, or failure paths, must stay silent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf { char *data; size_t len; };
static char *cache;
char *global_slot;

char *returned(size_t n)
{
    char *p = malloc(n);
    if (!p)
        return NULL;
    p[0] = 0;
    return p;
}

void into_struct(struct buf *b)
{
    b->data = malloc(32);
    b->len = 32;
}

void into_global(void)
{
    cache = strdup("x");
    global_slot = malloc(3);
}

void into_out_param(char **out)
{
    char *p = malloc(8);
    *out = p;
}

void handed_to_unknown(void (*keep)(void *))
{
    void *p = malloc(8);
    keep(p);
}

extern void list_push(void *item);

void handed_to_extern(void)
{
    list_push(malloc(10));
    char *s = strdup("y");
    list_push(s);
}

void failure_path(void)
{
    char *p = malloc(8);
    if (p == NULL)
        return;
    free(p);
}

int asprintf_ok(int x)
{
    char *s;
    if (asprintf(&s, "%d", x) < 0)
        return -1;
    puts(s);
    free(s);
    return 0;
}

void getline_ok(FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) > 0)
        fputs(line, stdout);
    free(line);
}

void exits_on_error(void)
{
    char *p = malloc(8);
    if (!p)
        exit(1);
    p[0] = 1;
    abort();
}

void realloc_assign(char **pp, size_t n)
{
    char *p = *pp;
    p = realloc(p, n);
    if (!p)
        return;
    *pp = p;
}

struct buf make_buf(void)
{
    struct buf b;
    b.data = malloc(10);
    b.len = 10;
    return b;
}

void array_of_pointers(void)
{
    char *v[4];
    for (int i = 0; i < 4; i++)
        v[i] = malloc(4);
    for (int i = 0; i < 4; i++)
        free(v[i]);
}

static int opened(const char *path, FILE **out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    *out = f;
    return 0;
}

void fclose_at_end(const char *path)
{
    FILE *f;
    if (opened(path, &f) != 0)
        return;
    fclose(f);
}

void free_via_alias_field(void)
{
    struct buf b;
    b.data = malloc(4);
    char *d = b.data;
    free(d);
}

void while_one(void)
{
    char *p = malloc(4);
    while (1) {
        if (p)
            break;
    }
    free(p);
}

/* Leaving a loop by `break` or `continue` with the block kept elsewhere,
 * freed first, or NULL: no leak at the jump (scope ends on jumps). */
char *break_keeps_in_outer(int n)
{
    char *keep = NULL;
    for (int i = 0; i < n; i++) {
        char *p = malloc(4);
        if (!p)
            continue;
        if (i == 2) {
            keep = p;
            break;
        }
        free(p);
    }
    return keep;
}

void break_after_free(int n)
{
    while (n-- > 0) {
        char *p = malloc(4);
        free(p);
        if (n == 3)
            break;
    }
}

struct node { struct node *next; };

void break_after_linking(struct node **head, int n)
{
    for (int i = 0; i < n; i++) {
        struct node *nd = malloc(sizeof *nd);
        if (!nd)
            break;
        nd->next = *head;
        *head = nd;
        if (i == 5)
            continue;
    }
}

void outer_var_survives_break(int n)
{
    char *buf = malloc(16);
    for (int i = 0; i < n; i++) {
        char *alias = buf;
        if (i == 4)
            break;
        (void)alias;
    }
    free(buf);
}

/* zlib's examples/gznorm.c: an error message stored through an out
 * parameter inside a `do { ... } while (0)` macro.  The `*` and `=` have no
 * file tokens of their own there (they are known from the types): the
 * store is an escape, not a leak at the return in the macro. */
static char *message(const char *s)
{
    char *m = malloc(strlen(s) + 1);
    if (m)
        strcpy(m, s);
    return m;
}

#define FAIL_WITH(msg) \
    do { \
        *err = message(msg); \
        return 1; \
    } while (0)

int store_error_in_macro(int bad, char **err)
{
    if (bad)
        FAIL_WITH("bad input");
    *err = NULL;
    return 0;
}

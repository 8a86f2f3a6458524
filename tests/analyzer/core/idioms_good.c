/* Idioms of real C code that must stay silent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node { char *key; struct node *next; };
struct table { struct node **buckets; size_t n; };
struct vec { int *data; size_t len, cap; };

static unsigned hash(const char *s)
{
    unsigned h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

int table_put(struct table *t, const char *key)
{
    struct node *n = malloc(sizeof *n);
    if (!n)
        return -1;
    n->key = strdup(key);
    if (!n->key) {
        free(n);
        return -1;
    }
    unsigned b = hash(key) % t->n;
    n->next = t->buckets[b];
    t->buckets[b] = n;
    return 0;
}

void table_free(struct table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct node *n = t->buckets[i];
        while (n) {
            struct node *next = n->next;
            free(n->key);
            free(n);
            n = next;
        }
    }
    free(t->buckets);
    t->buckets = NULL;
}

int vec_push(struct vec *v, int x)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        int *d = realloc(v->data, cap * sizeof *d);
        if (!d)
            return -1;
        v->data = d;
        v->cap = cap;
    }
    v->data[v->len++] = x;
    return 0;
}

char *read_all(FILE *f)
{
    size_t cap = 64, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (len + 1 == cap) {
            char *tmp = realloc(buf, cap * 2);
            if (!tmp) {
                free(buf);
                return NULL;
            }
            buf = tmp;
            cap *= 2;
        }
        buf[len++] = (char)c;
    }
    buf[len] = 0;
    return buf;
}

int copy_file(const char *from, const char *to)
{
    int rc = -1;
    FILE *in = NULL, *out = NULL;
    char *buf = NULL;
    in = fopen(from, "rb");
    if (!in)
        goto done;
    out = fopen(to, "wb");
    if (!out)
        goto done;
    buf = malloc(4096);
    if (!buf)
        goto done;
    size_t n;
    while ((n = fread(buf, 1, 4096, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            goto done;
    rc = 0;
done:
    free(buf);
    if (out)
        fclose(out);
    if (in)
        fclose(in);
    return rc;
}

void clear(char **pp)
{
    free(*pp);
    *pp = NULL;
}

void use_clear(void)
{
    char *s = strdup("x");
    clear(&s);
    if (s)
        s[0] = 0;
}

typedef void (*callback)(void *arg);
struct job { callback fn; void *arg; };
static struct job jobs[8];
static int njobs;

void schedule(callback fn, void *arg)
{
    jobs[njobs].fn = fn;
    jobs[njobs++].arg = arg;
}

void submit(void)
{
    char *msg = strdup("hello");
    schedule((callback)free, msg);
}

char **split(const char *s, int *count)
{
    char *copy = strdup(s);
    char **out = calloc(16, sizeof *out);
    int n = 0;
    if (!copy || !out) {
        free(copy);
        free(out);
        return NULL;
    }
    for (char *tok = strtok(copy, " "); tok && n < 16; tok = strtok(NULL, " "))
        out[n++] = strdup(tok);
    free(copy);
    *count = n;
    return out;
}

struct buf { char *p; };

void struct_copy(struct buf *dst)
{
    struct buf tmp;
    tmp.p = malloc(10);
    *dst = tmp;
}

void memcpy_into_struct(struct buf *dst)
{
    char *p = malloc(10);
    memcpy(&dst->p, &p, sizeof p);
}

int ptr_to_int(void)
{
    char *p = malloc(4);
    unsigned long v = (unsigned long)p;
    free((void *)v);
    return 0;
}

struct node *list_prepend(struct node *head, const char *key)
{
    struct node *n = malloc(sizeof *n);
    if (!n)
        return head;
    n->key = NULL;
    n->next = head;
    (void)key;
    return n;
}

void conditional_ownership(int keep, char **out)
{
    char *p = malloc(8);
    if (keep)
        *out = p;
    else
        free(p);
}

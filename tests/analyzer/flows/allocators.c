/* The three flaws of this corpus (double free, use after free, leak) through
 * every allocator the analyzer models and through the wrappers real code
 * puts around them: calloc, realloc, strdup, xmalloc-style wrappers that
 * abort on failure, a free wrapper, and a constructor/destructor pair
 * (new/delete-like) that owns an inner block.  Bad forms are marked, good
 * forms must stay silent.  Written for ferrum in the style of the Juliet
 * suite's allocator variants (malloc_free, calloc_free, realloc_free,
 * strdup_free, new_delete). */
#include <stdlib.h>
#include <string.h>

void printLine(const char *line);

/* ---- calloc / realloc / strdup sources ---- */

void calloc_double_free_bad(void)
{
    int *data = (int *)calloc(100, sizeof(int));
    if (data == NULL)
        exit(-1);
    free(data);
    free(data);                         /* expect: double-free */
}

void calloc_double_free_good(void)
{
    int *data = (int *)calloc(100, sizeof(int));
    if (data == NULL)
        exit(-1);
    free(data);
}

void realloc_use_after_free_bad(void)
{
    char *data = (char *)realloc(NULL, 100);
    if (data == NULL)
        exit(-1);
    strcpy(data, "abc");
    free(data);
    printLine(data);                    /* expect: use-after-free */
}

void realloc_use_after_free_good(void)
{
    char *data = (char *)realloc(NULL, 100);
    if (data == NULL)
        exit(-1);
    strcpy(data, "abc");
    printLine(data);
    free(data);
}

/* After a realloc that succeeded, the old pointer is gone. */
void realloc_old_pointer_bad(void)
{
    char *data = (char *)malloc(10);
    if (data == NULL)
        exit(-1);
    char *bigger = (char *)realloc(data, 200);
    if (bigger == NULL) {
        free(data);
        exit(-1);
    }
    data[0] = 'a';                      /* expect: use-after-free */
    free(bigger);
}

void realloc_old_pointer_good(void)
{
    char *data = (char *)malloc(10);
    if (data == NULL)
        exit(-1);
    char *bigger = (char *)realloc(data, 200);
    if (bigger == NULL) {
        free(data);
        exit(-1);
    }
    data = bigger;
    data[0] = 'a';
    free(data);
}

void strdup_leak_bad(const char *s)
{
    char *copy = strdup(s);
    if (copy == NULL)
        return;
    printLine(copy);
}                                       /* expect: leak */

void strdup_leak_good(const char *s)
{
    char *copy = strdup(s);
    if (copy == NULL)
        return;
    printLine(copy);
    free(copy);
}

void strndup_double_free_bad(const char *s)
{
    char *copy = strndup(s, 4);
    free(copy);
    free(copy);                         /* expect: double-free */
}

/* ---- wrappers that abort on failure ---- */

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL)
        abort();
    return p;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        abort();
    return p;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        abort();
    return p;
}

static void xfree(void *p)
{
    free(p);
}

void xmalloc_double_free_bad(void)
{
    char *data = xmalloc(100);
    data[0] = 'a';
    xfree(data);
    xfree(data);                        /* expect: double-free */
}

void xmalloc_double_free_good(void)
{
    char *data = xmalloc(100);
    data[0] = 'a';
    xfree(data);
    data = NULL;
    xfree(data);
}

void xcalloc_use_after_free_bad(void)
{
    long *data = xcalloc(10, sizeof(long));
    xfree(data);
    data[3] = 7;                        /* expect: use-after-free */
}

void xcalloc_use_after_free_good(void)
{
    long *data = xcalloc(10, sizeof(long));
    data[3] = 7;
    xfree(data);
}

void xstrdup_leak_bad(void)
{
    char *name = xstrdup("name");
    printLine(name);
    name = xstrdup("other");            /* expect: leak */
    xfree(name);
}

void xstrdup_leak_good(void)
{
    char *name = xstrdup("name");
    printLine(name);
    xfree(name);
    name = xstrdup("other");
    xfree(name);
}

/* ---- a constructor and its destructor (new/delete-like) ---- */

struct buffer {
    char *bytes;
    size_t len;
};

static struct buffer *buffer_new(size_t len)
{
    struct buffer *b = malloc(sizeof *b);
    if (!b)
        return NULL;
    b->bytes = malloc(len);
    if (!b->bytes) {
        free(b);
        return NULL;
    }
    b->len = len;
    return b;
}

static void buffer_delete(struct buffer *b)
{
    if (!b)
        return;
    free(b->bytes);
    free(b);
}

void buffer_double_delete_bad(void)
{
    struct buffer *b = buffer_new(16);
    if (!b)
        return;
    buffer_delete(b);
    buffer_delete(b);                   /* expect: double-free */
}

void buffer_use_after_delete_bad(void)
{
    struct buffer *b = buffer_new(16);
    if (!b)
        return;
    buffer_delete(b);
    b->len = 0;                         /* expect: use-after-free */
}

int buffer_leak_bad(size_t n)
{
    struct buffer *b = buffer_new(n);
    if (!b)
        return -1;
    if (n > 100)
        return -1;                      /* expect: leak */
    buffer_delete(b);
    return 0;
}

int buffer_good(size_t n)
{
    struct buffer *b = buffer_new(n);
    if (!b)
        return -1;
    if (n > 100) {
        buffer_delete(b);
        return -1;
    }
    b->bytes[0] = 0;
    buffer_delete(b);
    return 0;
}

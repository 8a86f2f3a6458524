/*
 * analyzer/util.c — allocation wrappers, the string buffer of util.h.
 *
 * The analyzer runs over code it did not write and must never crash: an
 * allocation failure is reported and ends the run with exit status 2 (the
 * tool could not do its job) instead of a NULL dereference later.
 */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("ferrum-check: out of memory\n", stderr);
    exit(2);
}

void *fc_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *fc_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *fc_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *fc_xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        oom();
    return d;
}

char *fc_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        oom();
    va_end(ap);
    return s;
}

static void buf_reserve(fc_buf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return;
    size_t ncap = b->cap ? b->cap * 2 : 64;
    while (ncap < b->len + more + 1)
        ncap *= 2;
    b->data = fc_xrealloc(b->data, ncap);
    b->cap = ncap;
}

void fc_buf_puts(fc_buf *b, const char *s)
{
    size_t n = strlen(s);
    buf_reserve(b, n);
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}

void fc_buf_putc(fc_buf *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = 0;
}

void fc_buf_printf(fc_buf *b, const char *fmt, ...)
{
    if (!fmt)
        return;
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    char probe[1];
    int n = vsnprintf(probe, sizeof probe, fmt, ap);
    va_end(ap);
    if (n > 0) {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

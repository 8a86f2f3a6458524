/* Allocation-failure tests written inside likely/unlikely (the Linux
 * kernel's `__builtin_expect(!!(x), 0)`, glibc's `__builtin_expect((c), 0)`):
 * the hint's value is its first argument, so the failure path holds no
 * block and nothing leaks (QA13 X1: each of these was a false leak).
 * Must stay silent. */
#include <stdlib.h>

#define unlikely(x) __builtin_expect(!!(x), 0)
#define likely(x) __builtin_expect(!!(x), 1)
#define glibc_unlikely(cond) __builtin_expect((cond), 0)

struct buf {
    char *data;
};

int kernel_style(struct buf *b, size_t n)
{
    char *p = malloc(n);
    if (unlikely(p == NULL))
        return -1;
    b->data = p;
    return 0;
}

int glibc_style(struct buf *b, size_t n)
{
    char *p = malloc(n);
    if (glibc_unlikely(p == NULL))
        return -1;
    b->data = p;
    return 0;
}

int bare_builtin(struct buf *b, size_t n)
{
    char *p = malloc(n);
    if (__builtin_expect(!p, 0))
        return -1;
    b->data = p;
    return 0;
}

int likely_branch(struct buf *b, size_t n)
{
    char *p = malloc(n);
    if (likely(p != NULL)) {
        b->data = p;
        return 0;
    }
    return -1;
}

int maybe_null(struct buf *b, size_t n, int k)
{
    char *p;
    if (k)
        p = malloc(n);
    else
        p = NULL;
    if (glibc_unlikely(p == NULL))
        return -1;
    b->data = p;
    return 0;
}

int with_probability(struct buf *b, size_t n)
{
    char *p = malloc(n);
    if (__builtin_expect_with_probability(p == NULL, 0, 0.9))
        return -1;
    b->data = p;
    return 0;
}

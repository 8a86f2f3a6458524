/* A NULL test of a new block made through a flag or a truth value
 * compared with 0 or 1 (QA13 X2: nullforms.c, mem4/good_err_flag.c): the
 * path where the flag says "failed" has no block to leak. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct buf {
    char *data;
};

int flag_ok(struct buf *b, size_t n)
{
    char *p = malloc(n);
    bool ok = p != NULL;
    if (!ok)
        return -1;
    b->data = p;
    return 0;
}

int flag_err(char **out)
{
    char *p = malloc(4);
    int err = (p == NULL);
    if (err)
        return -1;
    *out = p;
    return 0;
}

int flag_not(struct buf *b, const char *s)
{
    char *p;
    int failed;
    p = strdup(s);
    failed = !p;
    if (failed != 0)
        return -1;
    b->data = p;
    return 0;
}

int flag_compared(struct buf *b, size_t n)
{
    char *p = malloc(n);
    bool ok = NULL != p;
    if (ok == false)
        return -1;
    b->data = p;
    return 0;
}

int truth_ne_zero(struct buf *b, size_t n)
{
    char *p = malloc(n);
    if ((p == NULL) != 0)
        return -1;
    b->data = p;
    return 0;
}

int double_not_false(struct buf *b, size_t n)
{
    char *p = malloc(n);
    if (!!p == false)
        return -1;
    b->data = p;
    return 0;
}

int truth_eq_one(struct buf *b, size_t n)
{
    char *p = malloc(n);
    if ((p != NULL) == 1) {
        b->data = p;
        return 0;
    }
    return -1;
}

/* a switch on the NULL test (QA13 X2 f11): each case is a branch on it */
int switch_case0(struct buf *b, size_t n)
{
    char *p = malloc(n);
    switch (p != NULL) {
    case 0:
        return -1;
    }
    b->data = p;
    return 0;
}

int switch_default(struct buf *b, size_t n)
{
    char *p = malloc(n);
    switch (p == NULL) {
    case 1:
        return -1;
    default:
        break;
    }
    b->data = p;
    return 0;
}

/* A flag holding a NULL test of a new block (QA13 X2) tells only whether
 * the block was made: the leaks and frees on the path where it was are
 * still found. */
#include <stdbool.h>
#include <stdlib.h>

int flag_ok_leak(size_t n)
{
    char *p = malloc(n);
    bool ok = p != NULL;
    if (!ok)
        return -1;
    p[0] = 0;
    return 0;                           /* expect: leak */
}

int flag_err_double(void)
{
    char *p = malloc(4);
    int err = (p == NULL);
    if (err)
        return -1;
    free(p);
    free(p);                            /* expect: double-free */
    return 0;
}

int truth_compared_leak(size_t n)
{
    char *p = malloc(n);
    if ((p == NULL) == 0)
        return 1;                       /* expect: leak */
    return 0;
}

int switch_leak(size_t n)
{
    char *p = malloc(n);
    switch (p != NULL) {
    case 0:
        return -1;
    }
    return 0;                           /* expect: leak */
}

int switch_double(size_t n)
{
    char *p = malloc(n);
    switch (p == NULL) {
    case 1:
        return -1;
    default:
        free(p);
        free(p);                        /* expect: double-free */
    }
    return 0;
}

/* A function of the file that returns owned memory or NULL and reports the
 * failure through an integer out-parameter (QA F18, jq's sort_items): the
 * caller's `if (err) return` leaves on the NULL path, no leak there; the
 * success path is still checked. */
#include <stdlib.h>

static int *make(int *err)
{
    int *p = malloc(4);
    if (!p || rand()) {
        free(p);
        *err = 1;
        return NULL;
    }
    *err = 0;
    return p;
}

int flag_checked(void)
{
    int e;
    int *p = make(&e);
    if (e)
        return -1;
    free(p);
    return 0;
}

int flag_compared(void)
{
    int e;
    int *p = make(&e);
    if (e != 0)
        return -1;
    *p = 2;
    free(p);
    return 0;
}

int success_path_leaks(void)
{
    int e;
    int *p = make(&e);
    if (e)
        return -1;
    return *p;                          /* expect: leak */
}

int flag_overwritten(void)
{
    int e;
    int *p = make(&e);
    e = rand();
    if (e)
        return -1;                      /* expect: leak */
    free(p);
    return 0;
}

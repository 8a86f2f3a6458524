/* A NULL-test flag reassigned on one path (`int err = !p; if (!err) err =
 * step();`) tests the later step's result after the join, not p: the
 * leak of p when the step fails is found (QA15 R6: lost for a while when
 * the join kept the flag's tie to p from the other path). */
#include <stdbool.h>
#include <stdlib.h>

int ext(void);

int reassigned(void)
{
    char *p = malloc(10);
    int err = (p == NULL);
    err = ext();
    if (err)
        return -1; /* expect: leak */
    free(p);
    return 0;
}

int reassigned_on_success(void)
{
    char *p = malloc(10);
    int err = (p == NULL);
    if (!err)
        err = ext();
    if (err)
        return -1; /* expect: leak */
    free(p);
    return 0;
}

int ok_flag_reassigned(void)
{
    char *p = malloc(10);
    bool ok = p != NULL;
    if (ok)
        ok = ext() > 0;
    if (!ok)
        return -1; /* expect: leak */
    free(p);
    return 0;
}

int flag_kept(void)   /* not reassigned: the failure path holds no block */
{
    char *p = malloc(10);
    int err = (p == NULL);
    if (err)
        return -1;
    free(p);
    return 0;
}

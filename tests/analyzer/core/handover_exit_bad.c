/* Twin of handover_exit_good.c: the same exit label, but the old name is
 * not set to NULL after the hand-over, so the block is freed through both
 * names on the success path; and one name freed twice. */
#include <stdlib.h>

struct opts { char *cmd; };

int authorise(struct opts *o);

int handed_not_cleared(void)
{
    struct opts *keyopts = NULL, *finalopts = NULL;
    int ret = -1;
    if ((keyopts = calloc(1, sizeof *keyopts)) == NULL)
        return -1;
    if (authorise(keyopts) != 0)
        goto out;
    finalopts = keyopts;
    ret = 0;
 out:
    free(keyopts);
    free(finalopts);                    /* expect: double-free */
    return ret;
}

int same_name_twice(int c)
{
    struct opts *o = NULL;
    if (c)
        o = calloc(1, sizeof *o);
    free(o);
    free(o);                            /* expect: double-free */
    return 0;
}

/* Ownership handed from one local to another (`finalopts = keyopts;
 * keyopts = NULL;`) on one path, the block kept by the first on another,
 * and both freed by a NULL-tolerant destructor at the exit label (QA16
 * Z12, openssh auth2-pubkeyfile.c:401 and auth2-pubkey.c:581): whichever
 * local holds the block, the other is NULL there.  A false double free on
 * c1d2e22. */
#include <stdlib.h>

struct opts { char *cmd; };

void opts_free(struct opts *o)
{
    if (o == NULL)
        return;
    free(o->cmd);
    free(o);
}

int authorise(struct opts *o);

int check_line(struct opts **out)
{
    struct opts *keyopts = NULL, *finalopts = NULL;
    int ret = -1;
    if ((keyopts = calloc(1, sizeof *keyopts)) == NULL)
        goto out;
    if (authorise(keyopts) != 0)
        goto out;
    finalopts = keyopts;
    keyopts = NULL;
    if (out != NULL) {
        *out = finalopts;
        finalopts = NULL;
    }
    ret = 0;
 out:
    opts_free(keyopts);
    opts_free(finalopts);
    return ret;
}

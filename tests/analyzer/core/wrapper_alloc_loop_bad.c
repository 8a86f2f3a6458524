/* A wrapper allocator of the file called in a loop (QA13 X16): its site's
 * object stands for every block it makes, as malloc's does, so a use after
 * free of this iteration's block is still found.  (Unlike malloc's, the
 * previous iteration's block overwritten by the next is not reported for
 * a wrapper: see renew_site in memcheck.c.) */
#include <stdlib.h>

struct ent {
    struct ent *link;
    int v;
};

static struct ent *ent_alloc(void)
{
    return malloc(sizeof(struct ent));
}

int next(void);

/* the entry freed on error, then used */
int use_after_error(void)
{
    struct ent *p;
    while (next()) {
        p = ent_alloc();
        if (!p)
            return -1;
        if (next()) {
            free(p);
            return p->v;                /* expect: use-after-free */
        }
        free(p);
    }
    return 0;
}

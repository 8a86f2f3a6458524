/* A block leaked by an overwrite and a use after free through the same
 * pointer later (QA12 R6, m91b.c): the leak report of the first block
 * must not hide the use after free of what the pointer holds then. */
#include <stdlib.h>

int ext(void);

int two_conditional(void)
{
    char *p = NULL;
    if (ext())
        p = malloc(5);
    if (ext())
        p = malloc(18);                 /* expect: leak */
    free(p);
    if (p)
        p[0] = 1;                       /* expect: use-after-free */
    return 1;
}

int first_unconditional(void)
{
    char *p = malloc(5);
    if (ext())
        p = malloc(18);                 /* expect: leak */
    free(p);
    if (p)
        p[0] = 1;                       /* expect: use-after-free */
    return 1;
}

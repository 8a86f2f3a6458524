/* A loop whose allocation overwrites the block of its previous iteration
 * (an option given twice): the same call's next block replaces the only
 * pointer to the last one (QA5 S10). */
#include <stdlib.h>
#include <string.h>

void last_name_wins(int n)
{
    char *name = NULL;
    for (int i = 0; i < n; i++)
        name = strdup("x");             /* expect: leak */
    free(name);
}

void last_buffer_wins(int n)
{
    char *p = NULL;
    for (int i = 0; i < n; i++)
        p = malloc(8);                  /* expect: leak */
    free(p);
}

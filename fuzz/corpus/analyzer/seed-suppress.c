/* Suppression comments: on the line of the finding or the line above. */
#include <stdlib.h>

void suppressed_same_line(void)
{
    char *p = malloc(4);
    free(p);
    free(p); /* ferrum: allow(double-free) */
}

void suppressed_line_above(void)
{
    char *p = malloc(4);
    free(p);
    // ferrum: allow(use-after-free, double-free)
    free(p);
}

void other_check_named(void)
{
    char *p = malloc(4);
    free(p);
    free(p); /* ferrum: allow(leak) */ /* expect: double-free */
}

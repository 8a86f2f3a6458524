/* A cleanup function of a header macro that does not free: still a leak. */
#include <string.h>
#include "cleanup_macros.h"

int noted(const char *s)
{
    NOTED char *t = strdup(s);
    if (!t)
        return -1;
    return t[0];                        /* expect: leak */
}

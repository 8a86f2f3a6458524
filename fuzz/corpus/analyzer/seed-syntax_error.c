/* A unit that does not parse: the compiler's error, exit 2, no crash.
 * ferrum-test-exit: 2
 * ferrum-test-stderr: syntax_error.c:10:
 */
#include <stdlib.h>

int broken(void)
{
    char *p = malloc(4)
    return 0;
}

/* The address of a local left in an out-parameter when the function
 * returns (QA5 S21). */
#include <stdlib.h>
#include <string.h>

void name_out(char **out)
{
    char buf[8] = "abc";
    *out = buf;
}                                       /* expect: return-stack-address */

int lookup(const char *key, const char **out)
{
    char copy[32];
    strncpy(copy, key, sizeof copy - 1);
    copy[31] = 0;
    *out = copy;
    return 0;                           /* expect: return-stack-address */
}

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

/* in the caller's struct, in a function that allocates nothing (QA5 S21
 * s3: such functions were not checked at all) */
struct ctx { char *name; int *count; };

void name_field(struct ctx *c)
{
    char tmp[16] = "n";
    c->name = tmp;
}                                       /* expect: return-stack-address */

void count_field(struct ctx *c)
{
    int n = 0;
    c->count = &n;
}                                       /* expect: return-stack-address */

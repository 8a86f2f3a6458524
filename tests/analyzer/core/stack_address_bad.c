/* return-stack-address: returning the address of a local. */
#include <alloca.h>
#include <stdio.h>

char *array(void)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d", 3);
    return buf;                         /* expect: return-stack-address */
}

int *scalar(void)
{
    int x = 3;
    return &x;                          /* expect: return-stack-address */
}

int *param_address(int v)
{
    return &v;                          /* expect: return-stack-address */
}

char *through_variable(int c)
{
    char a[8], b[8];
    char *p = a;
    if (c)
        p = b;
    return p;                           /* expect: return-stack-address */
}

struct pt { int x, y; };

int *field_address(void)
{
    struct pt pt = { 1, 2 };
    return &pt.y;                       /* expect: return-stack-address */
}

/* An array member of a local struct decays to a pointer into the struct
 * (QA3 Q28). */
struct with_buf {
    int a;
    char buf[8];
};

char *member_array(void)
{
    struct with_buf v = { 1, "x" };
    return v.buf;                       /* expect: return-stack-address */
}

char *returns_alloca(void)
{
    char *p = alloca(8);
    return p;                           /* expect: return-stack-address */
}

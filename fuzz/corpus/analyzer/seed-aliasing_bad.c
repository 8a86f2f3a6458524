/* strict-aliasing: an object read or written through an incompatible pointer type. */
#include <stdint.h>

uint32_t float_bits(float f)
{
    return *(uint32_t *)&f;            /* expect: strict-aliasing */
}

void zero_doubles(double *out)
{
    double d[4] = {1, 2, 3, 4};
    long *lp = (long *)d;
    lp[1] = 0;                         /* expect: strict-aliasing */
    *out = d[1];
}

int via_void(float f)
{
    return *(int *)(void *)&f;         /* expect: strict-aliasing */
}

void store_int_in_float(float f)
{
    *(int *)&f = 3;                    /* expect: strict-aliasing */
    (void)f;
}

long long_vs_long_long(long long v)
{
    return *(long *)&v;                /* expect: strict-aliasing */
}

struct s { float x; };

int member(struct s *p)
{
    return *(int *)&p->x;              /* expect: strict-aliasing */
}

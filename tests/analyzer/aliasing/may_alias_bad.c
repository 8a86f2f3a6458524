/* The same accesses as may_alias_good.c through types without may_alias
 * stay reported: a plain typedef, a typedef with another attribute, and a
 * typedef whose name merely mentions aliasing. */
#include <stdint.h>

typedef uint32_t plain_u32;
typedef uint32_t aligned_u32 __attribute__((aligned(4)));
typedef uint32_t may_alias_t;                      /* the name is not the attribute */
union magic { uint8_t b8[8]; uint16_t b16[4]; };

uint32_t read32(union magic *m)
{
    return *(plain_u32 *)&m->b16[1];    /* expect: strict-aliasing */
}

uint32_t read32_local(void)
{
    uint16_t h[2] = {1, 2};
    return *(aligned_u32 *)h;           /* expect: strict-aliasing */
}

float readf(uint32_t u)
{
    typedef float af;
    return *(af *)&u;                   /* expect: strict-aliasing */
}

uint32_t named(float f)
{
    return *(may_alias_t *)&f;          /* expect: strict-aliasing */
}

uint32_t in_place(float x)
{
    uint32_t __attribute__((unused)) *p = (uint32_t *)&x;
    return *(uint32_t __attribute__((aligned(4))) *)&x + *p;   /* expect: strict-aliasing, strict-aliasing */
}

/* A macro that expands to another attribute in the branch clang skips is
 * not may_alias. */
#if defined(__GNUC__) && __GNUC__ >= 99
# define NEW_ATTR __attribute__((aligned(4)))
#else
# define NEW_ATTR
#endif
typedef uint32_t attr_u32 NEW_ATTR;

uint32_t branch(union magic *m)
{
    return *(attr_u32 *)&m->b16[1];     /* expect: strict-aliasing */
}

/* Accesses through a type declared __attribute__((may_alias)) are exempt
 * from the effective-type rule, like character types (QA8 V11: busybox's
 * bb__aliased_uint32_t, move_from_unaligned32). */
#include <stdint.h>

typedef uint32_t aliased_u32 __attribute__((__may_alias__));
typedef aliased_u32 aliased_again;                 /* a typedef of one keeps it */
typedef uint16_t __attribute__((may_alias)) aliased_u16;
#define FIX_ALIASING __attribute__((__may_alias__))
typedef uint64_t bb_aliased_u64 FIX_ALIASING;
union magic { uint8_t b8[8]; uint16_t b16[4]; };

uint32_t read32(union magic *m)
{
    return *(aliased_u32 *)&m->b16[1];
}

uint32_t read32_local(void)
{
    uint16_t h[2] = {1, 2};
    return *(aliased_u32 *)h;
}

float readf(uint32_t u)
{
    typedef float __attribute__((may_alias)) af;
    return *(af *)&u;
}

uint32_t more(void)
{
    float f = 1.0f;
    double d = 2.0;
    uint32_t w[2] = {3, 4};
    const aliased_u32 *cp = (const aliased_u32 *)&f;   /* qualified, through a local pointer */
    aliased_again *ap = (aliased_again *)&f;
    *ap = 7;
    *(aliased_u16 *)&w[1] = 5;
    uint64_t x = *(bb_aliased_u64 *)&d;
    return *cp + (uint32_t)x + w[1];
}

uint32_t in_place(float x)
{
    /* the attribute written in the cast, or on the pointer variable (GCC
     * applies it to the type; libclang keeps no trace of it in the type) */
    uint32_t __attribute__((may_alias)) *p = (uint32_t *)&x;
    return *(uint32_t __attribute__((__may_alias__)) *)&x + *p;
}

/* busybox's platform.h: the attribute only for GCC >= 4.4.  libclang claims
 * GCC 4.2.1 and takes the empty branch; the gcc build keeps the attribute. */
#if defined(__GNUC__) && (__GNUC__ > 4 || (__GNUC__ == 4 && __GNUC_MINOR__ >= 4))
# define NEW_FIX_ALIASING __attribute__((__may_alias__))
#else
# define NEW_FIX_ALIASING
#endif
typedef uint32_t bb__aliased_uint32_t NEW_FIX_ALIASING;
#define move_from_unaligned32(v, u32p) ((v) = *(bb__aliased_uint32_t *)(u32p))

struct xstate { int skipped; union magic magic; };

uint32_t open_transformer(struct xstate *xstate)
{
    uint32_t v32;
    move_from_unaligned32(v32, &xstate->magic.b16[1]);
    return v32;
}

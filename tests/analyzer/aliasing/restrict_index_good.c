/* restrict-overlap: elements chosen by a variable index, then a member,
 * are not "the same address" (QA5 S18: zstd's
 * ZSTD_memcpy(opt[cur].rep, opt[cur - 1].rep, ...)). */
#include <string.h>

struct s { char name[16]; };
typedef struct { unsigned rep[3]; int mlen; } opt_t;
#define MY_memcpy(d, s, l) __builtin_memcpy((d), (s), (l))

void unknown_indices(struct s *v, int i, int j)
{
    memcpy(v[i].name, v[j].name, 16);
}

void insertion_shift(struct s *v, int n)
{
    for (int i = n - 1; i > 0; i--)
        memcpy(v[i].name, v[i - 1].name, 16);
}

void previous_element(opt_t *opt, unsigned cur)
{
    memcpy(opt[cur].rep, opt[cur - 1].rep, sizeof(opt[cur].rep));
    MY_memcpy(opt[cur].rep, opt[cur - 1].rep, sizeof(opt[cur].rep));
}

void constant_indices(struct s *v)
{
    memcpy(v[0].name, v[1].name, 16);
}

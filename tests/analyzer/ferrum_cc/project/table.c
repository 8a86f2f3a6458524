/* Clean code: ferrum-cc must stay silent on this unit. */
#include "table.h"
#include <string.h>

int table_sum(const int *v, int n)
{
    int s = 0;
    for (int i = 0; i < n && i < TABLE_SIZE; i++)
        s += v[i];
    return s;
}

void table_shift(int *v, int n)
{
    memmove(v, v + 1, (size_t)(n - 1) * sizeof *v);
}

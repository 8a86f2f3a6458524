/* An ownership bug the analyzer sees (on a path the program never takes). */
#include <ferrum/ferrum.h>
#include <stdio.h>
#include "table.h"

static int never(int argc)
{
    if (argc < 100)
        return 0;
    fr_handle a = fr_own_new(fr_heap_allocator(), 16, NULL);
    fr_handle b = fr_move(&a);
    (void)fr_borrow(a); /* expect: use-after-move */
    fr_drop(&b);
    return 1;
}

int main(int argc, char **argv)
{
    (void)argv;
    int v[TABLE_SIZE] = {1, 2, 3};
    table_shift(v, TABLE_SIZE);
    printf("sum %d\n", table_sum(v, TABLE_SIZE) + never(argc));
    return 0;
}

/* Twins of complit_return_bad.c: a compound literal used inside the call,
 * returned by value, or a file-scope one (static storage). */
#include <string.h>

struct pt {
    int x, y;
};

static int *table = (int[]){4, 5, 6};

int sum3(void)
{
    int *a = (int[]){1, 2, 3};
    return a[0] + a[1] + a[2];
}

struct pt origin(void)
{
    return (struct pt){0, 0};
}

int *shared(void)
{
    return table;
}

void fill(struct pt *p)
{
    memcpy(p, &(struct pt){1, 2}, sizeof *p);
}

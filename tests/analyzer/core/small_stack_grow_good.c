/* git packfile.c's unpack_entry: a small array on the stack, replaced by a
 * heap copy when it fills; later growth reallocs only the heap copy (the
 * counts tell which, through `nr >= alloc && p == small`).  Must stay
 * silent: 19b0a0b kept the path where p is the array apart from the one
 * where it is the block, and the count's correlation is not followed. */
#include <stdlib.h>
#include <string.h>

#define alloc_nr(x) (((x) + 16) * 3 / 2)
#define ALLOC_GROW(x, nr, alloc) \
    do { \
        if ((nr) > alloc) { \
            if (alloc_nr(alloc) < (nr)) \
                alloc = (nr); \
            else \
                alloc = alloc_nr(alloc); \
            x = realloc((x), (alloc) * sizeof(*(x))); \
        } \
    } while (0)

int next_type(int t);
long offset_of(int t);

void unpack(int type)
{
    long small[8];
    long *stack = small;
    int nr = 0, alloc = 8;
    while (type > 5) {
        if (nr >= alloc && stack == small) {
            alloc = nr * 2;
            stack = malloc(alloc * sizeof *stack);
            if (!stack)
                abort();
            memcpy(stack, small, nr * sizeof *stack);
        } else {
            ALLOC_GROW(stack, nr + 1, alloc);
        }
        stack[nr++] = offset_of(type);
        type = next_type(type);
    }
    if (stack != small)
        free(stack);
}

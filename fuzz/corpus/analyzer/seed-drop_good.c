/* Each object dropped once, on every path; fr_is_live after the drop is a question, not a use. */
#include <ferrum/ferrum.h>

struct account { long balance; };
FR_OWN_TYPE(account_own, struct account);

static void finish(fr_handle h)
{
    fr_drop(&h);
}

int main(int argc, char **argv)
{
    (void)argv;
    fr_handle a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle b = a;
    if (argc > 2)
        fr_drop(&a);
    else
        fr_drop(&b);
    account_own t = account_own_new(fr_heap_allocator(), NULL);
    account_own_drop(&t);
    int live = account_own_is_live(t);
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    finish(c);
    fr_handle d = {{0}};
    fr_drop(&d);
    return live + fr_is_live(c);
}

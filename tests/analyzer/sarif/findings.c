/* Input of test_sarif.py: findings with notes, and one suppressed finding. */
#include <ferrum/ferrum.h>
#include <string.h>

void overlap(void)
{
    char buf[16] = "a \"quoted\" \\ x";
    memcpy(buf + 1, buf, 8); /* expect: restrict-overlap */
}

int moved(void)
{
    fr_handle a = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_handle b = fr_move(&a);
    const int *p = fr_borrow(a); /* expect: use-after-move */
    (void)p;
    fr_drop(&b);
    return 0;
}

unsigned silenced(float f)
{
    /* ferrum: allow(strict-aliasing) */
    return *(unsigned *)&f;
}

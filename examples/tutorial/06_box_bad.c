/*
 * examples/tutorial/06_box_bad.c — lesson 6, broken: a Box used after it
 * was dropped, through a copy.
 *
 * `latest` is a copy of the handle kept "for later", as a raw pointer would
 * be kept in a cache.  The typed handle does not change the rule: once the
 * owner drops the point, every copy is stale, and the borrow through the
 * copy is reported instead of reading freed memory.
 */
#include <stdio.h>
#include <ferrum/ferrum.h>

struct point {
    int x, y;
};

FR_OWN_TYPE(point_box, struct point);

int main(void)
{
    point_box b = point_box_new(fr_heap_allocator(), NULL);
    point_box latest = b; /* a copy, not an owner */
    point_box_drop(&b);

    const struct point *p = point_box_borrow(latest); /* the point is gone */
    printf("latest: (%d, %d)\n", p->x, p->y);
    point_box_release(latest);
    return 0;
}

/*
 * examples/tutorial/06_box_good.c — lesson 6: Box<T> as a typed handle.
 *
 * FR_OWN_TYPE(point_box, struct point) defines a handle type that can only
 * hold a struct point, with typed accessors (point_box_new, _borrow,
 * _borrow_mut, _release, _move, _drop, _is_live).  FR_WITH_BORROW and
 * FR_WITH_BORROW_MUT borrow for the length of a block and release at its
 * closing brace.  Rust: `let b: Box<Point> = Box::new(Point { .. });`
 */
#include <stdio.h>
#include <ferrum/ferrum.h>

struct point {
    int x, y;
};

FR_OWN_TYPE(point_box, struct point);

/* Takes ownership (Rust: fn consume(p: Box<Point>)). */
static int manhattan(point_box p)
{
    int d = 0;
    FR_WITH_BORROW(p, q) { /* q is a const struct point * */
        d = (q->x < 0 ? -q->x : q->x) + (q->y < 0 ? -q->y : q->y);
    } /* released here */
    point_box_drop(&p);
    return d;
}

int main(void)
{
    point_box b = point_box_new(fr_heap_allocator(), NULL);
    FR_WITH_BORROW_MUT(b, p) { /* p is a struct point * */
        p->x = 3;
        p->y = -4;
    }
    FR_WITH_BORROW(b, p) {
        printf("point (%d, %d)\n", p->x, p->y);
    }
    printf("distance %d\n", manhattan(point_box_move(&b)));
    printf("b live: %s\n", point_box_is_live(b) ? "yes" : "no");
    return 0;
}

/* Correct borrowing: many readers, or one writer after the readers ended;
 * scoped borrows release at their closing brace. */
#include <ferrum/ferrum.h>

struct counter { int value; };
FR_OWN_TYPE(counter_own, struct counter);

int main(void)
{
    fr_handle c = fr_own_new(fr_heap_allocator(), sizeof(struct counter), NULL);
    const struct counter *a = fr_borrow(c);
    const struct counter *b = fr_borrow(c);
    int sum = a->value + b->value;
    fr_release(c);
    fr_release(c);
    struct counter *w = fr_borrow_mut(c);
    w->value = sum + 1;
    fr_release(c);
    FR_WITH_BORROW_MUT(c, p) {
        ((struct counter *)p)->value++;
    }
    FR_WITH_BORROW(c, p) {
        sum += ((const struct counter *)p)->value;
    }
    for (int i = 0; i < 3; i++) {
        struct counter *m = fr_borrow_mut(c);
        m->value += i;
        fr_release(c);
    }
    fr_drop(&c);

    counter_own t = counter_own_new(fr_heap_allocator(), NULL);
    FR_WITH_BORROW_MUT(t, p) {
        p->value = 7;
    }
    FR_WITH_BORROW(t, p) {
        sum += p->value;
    }
    FR_WITH_BORROW(t, p) {
        FR_WITH_BORROW(t, q) {          /* two readers: fine */
            sum += p->value + q->value;
        }
    }
    struct counter *after = counter_own_borrow_mut(t); /* every scope has ended */
    after->value = 0;
    counter_own_release(t);
    for (int i = 0; i < 2; i++) {
        FR_WITH_BORROW_MUT(t, p) {
            p->value += i;
        }
    }
    counter_own_drop(&t);
    return sum;
}

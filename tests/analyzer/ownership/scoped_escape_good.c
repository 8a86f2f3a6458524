/* FR_WITH_BORROW blocks whose pointer does not outlive them: values
 * copied out, pointers used inside, compared or reset after, nested
 * blocks of two handles; none may be reported. */
#include <ferrum/ferrum.h>
#include <stdio.h>

struct user { char name[16]; int age; };
FR_OWN_TYPE(user_own, struct user);

int value_copied_out(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    int v = 0;
    FR_WITH_BORROW(h, q) { v = *(const int *)q; }
    fr_drop(&h);
    return v;
}

int pointer_used_inside(void)
{
    user_own u = user_own_new(fr_heap_allocator(), NULL);
    const struct user *p = NULL;
    int age = 0;
    FR_WITH_BORROW(u, q) {
        p = q;
        age = p->age;
    }
    if (p == NULL) /* its value only */
        age = -1;
    user_own_drop(&u);
    return age;
}

int returns_a_value(fr_handle h)
{
    FR_WITH_BORROW(h, q) {
        return *(const int *)q;
    }
    return 0;
}

int reset_after(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    static const int zero = 0;
    const int *p = NULL;
    FR_WITH_BORROW(h, q) { p = q; }
    p = &zero;
    int v = *p;
    fr_drop(&h);
    return v;
}

int nested_blocks(void)
{
    user_own a = user_own_new(fr_heap_allocator(), NULL);
    user_own b = user_own_new(fr_heap_allocator(), NULL);
    int sum = 0;
    FR_WITH_BORROW_MUT(a, pa) {
        pa->age = 1;
        FR_WITH_BORROW(b, pb) {
            const struct user *keep = pb;
            sum = pa->age + keep->age;
        }
        pa->age = sum;
    }
    user_own_drop(&b);
    user_own_drop(&a);
    return sum;
}

int rebound_each_round(void)
{
    user_own u = user_own_new(fr_heap_allocator(), NULL);
    int sum = 0;
    for (int i = 0; i < 3; i++) {
        const struct user *p = NULL;
        FR_WITH_BORROW(u, q) { p = q; sum += p->age; }
        if (!p)
            break;
    }
    user_own_drop(&u);
    return sum;
}

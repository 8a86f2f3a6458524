/* Borrows used only while they are live; a pointer re-borrowed after release. */
#include <ferrum/ferrum.h>
#include <stdio.h>

struct user { char name[16]; int age; };

int main(void)
{
    fr_region *r = fr_region_create(NULL);
    fr_handle u = fr_own_new(fr_region_allocator(r), sizeof(struct user), NULL);
    const struct user *p = fr_borrow(u);
    printf("%s\n", p->name);
    fr_release(u);
    p = fr_borrow(u);
    int age = p->age;
    fr_release(u);
    fr_region_destroy(r);

    fr_handle v = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    struct user *w = fr_borrow_mut(v);
    w->age = age;
    fr_release(v);
    w = NULL;
    fr_drop(&v);
    return w ? 1 : 0;
}

/* A copy of a borrowed pointer, used while the borrow is live. */
int copy_used_in_time(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    const struct user *p = fr_borrow(u);
    const struct user *q = p;
    int age = q->age;
    fr_release(u);
    fr_drop(&u);
    return age;
}

/* A released borrow's pointer compared with a new one: its value only. */
int compare_after_release(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    const struct user *p = fr_borrow(u);
    fr_release(u);
    struct user *m = fr_borrow_mut(u);
    int same = m == p;
    same += p != m;
    fr_release(u);
    fr_drop(&u);
    return same;
}

/* A released borrow printed as an address or tested for null: its value
 * only (QA6 T16). */
int print_and_test_after_release(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    const struct user *p = fr_borrow(u);
    fr_release(u);
    printf("borrowed at %p (%s)\n", (const void *)p, "released");
    fprintf(stderr, "%d%% at %*d %p\n", 1, 4, 2, p);
    int n = !p ? 0 : 1;
    if (p && n)
        n++;
    fr_drop(&u);
    return n;
}

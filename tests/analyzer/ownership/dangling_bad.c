/* dangling-borrow: a pointer from a borrow used after the borrow ended. */
#include <ferrum/ferrum.h>
#include <stdio.h>

struct user { char name[16]; int age; };

int after_release(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    const struct user *p = fr_borrow(u);
    fr_release(u);
    int age = p->age; /* expect: dangling-borrow */
    fr_drop(&u);
    return age;
}

void after_drop(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    struct user *w = fr_borrow_mut(u);
    fr_drop(&u); /* expect: dangling-borrow */
    w->age = 3;
}

void after_region(void)
{
    fr_region *r = fr_region_create(NULL);
    fr_handle u = fr_own_new(fr_region_allocator(r), sizeof(struct user), NULL);
    const struct user *p = fr_borrow(u);
    fr_region_destroy(r);
    printf("%s\n", p->name); /* expect: dangling-borrow */
}

void most_recent(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    const struct user *a = fr_borrow(u);
    const struct user *b = fr_borrow(u);
    fr_release(u); /* ends b, the most recent */
    printf("%d\n", a->age);
    printf("%d\n", b->age); /* expect: dangling-borrow */
    fr_release(u);
    fr_drop(&u);
}

void copy_of_the_pointer(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    const struct user *p = fr_borrow(u);
    const struct user *q = p; /* q carries p's borrow */
    fr_release(u);
    printf("%d\n", q->age); /* expect: dangling-borrow */
    fr_drop(&u);
}

void printed_after_release(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    const struct user *p = fr_borrow(u);
    fr_release(u);
    printf("%p %s\n", (const void *)p, p->name); /* expect: dangling-borrow */
    fr_drop(&u);
}

void printed_as_string_after_release(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), 16, NULL);
    const char *s = fr_borrow(u);
    fr_release(u);
    printf("%p: %s\n", (const void *)&u, s); /* expect: dangling-borrow */
    fr_drop(&u);
}

void tested_then_read_after_release(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    const struct user *p = fr_borrow(u);
    fr_release(u);
    if (p && p->age) /* expect: dangling-borrow */
        puts("adult");
    fr_drop(&u);
}

int compared_field_after_release(void)
{
    fr_handle u = fr_own_new(fr_heap_allocator(), sizeof(struct user), NULL);
    const struct user *p = fr_borrow(u);
    fr_release(u);
    int adult = 18 <= p->age || 0 == p->age; /* expect: dangling-borrow */
    fr_drop(&u);
    return adult;
}

/* Pointers taken out of an FR_WITH_BORROW block: the block's cleanup
 * releases the borrow at its closing brace (or at a return that leaves
 * it), so a pointer kept past the block dangles (QA5 S29 c3/c4, b1). */
#include <ferrum/ferrum.h>
#include <stdio.h>

struct user { char name[16]; int age; };
FR_OWN_TYPE(user_own, struct user);

int kept_past_the_block(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    const int *p = NULL;
    FR_WITH_BORROW(h, q) { p = q; }
    int v = *p; /* expect: dangling-borrow */
    fr_drop(&h);
    return v;
}

int used_after_the_drop(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    const int *p = NULL;
    FR_WITH_BORROW(h, q) { p = q; }
    fr_drop(&h);
    return *p; /* expect: dangling-borrow */
}

const int *returned_from_the_block(fr_handle h)
{
    FR_WITH_BORROW(h, p) {
        return p; /* expect: dangling-borrow */
    }
    return NULL;
}

int typed_mut_kept(void)
{
    user_own u = user_own_new(fr_heap_allocator(), NULL);
    struct user *w = NULL;
    FR_WITH_BORROW_MUT(u, q) {
        q->age = 3;
        w = q;
    }
    w->age = 4; /* expect: dangling-borrow */
    user_own_drop(&u);
    return 0;
}

int through_a_copy_in_the_block(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(int), NULL);
    const int *p = NULL;
    FR_WITH_BORROW(h, q) {
        const int *r = q;
        p = r;
    }
    printf("%d\n", *p); /* expect: dangling-borrow */
    fr_drop(&h);
    return 0;
}

/* Handles kept in struct fields and array elements with constant indices:
 * followed like variables (moves, drops, borrows, leaks). */
#include <ferrum/ferrum.h>

struct account { long balance; };
FR_OWN_TYPE(account_own, struct account);

struct pair { fr_handle a, b; };
struct bank { account_own main; account_own spare; };

void field_double_drop(struct pair *p)
{
    p->a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_drop(&p->a);
    fr_drop(&p->a); /* expect: double-free */
}

void field_use_after_move(struct pair *p)
{
    fr_handle t = fr_move(&p->b);
    const struct account *acc = fr_borrow(p->b); /* expect: use-after-move */
    (void)acc;
    fr_drop(&t);
}

long local_struct_dangling(void)
{
    struct pair pr;
    pr.a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    const struct account *acc = fr_borrow(pr.a);
    fr_release(pr.a);
    long v = acc->balance; /* expect: dangling-borrow */
    fr_drop(&pr.a);
    return v;
}

void local_struct_leak(void)
{
    struct pair pr;
    pr.a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    const struct account *acc = fr_borrow(pr.a);
    (void)acc;
    fr_release(pr.a);
} /* expect: leak */

void array_double_drop(void)
{
    fr_handle hs[3];
    hs[0] = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    hs[1] = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_drop(&hs[0]);
    fr_drop(&hs[1]);
    fr_drop(&hs[0]); /* expect: double-free */
}

void array_leak(void)
{
    fr_handle hs[2];
    hs[0] = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    hs[1] = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_drop(&hs[0]);
} /* expect: leak */

void typed_field_conflict(struct bank *bk)
{
    struct account *w = account_own_borrow_mut(bk->main);
    const struct account *r = account_own_borrow(bk->main); /* expect: borrow-conflict */
    w->balance = r->balance;
    account_own_release(bk->main);
}

void copy_into_field_then_drop_both(struct pair *p)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    p->a = h;
    fr_drop(&h);
    fr_drop(&p->a); /* expect: double-free */
}

/* A callee that drops a field of what its parameter points to. */
static void pair_drop_a(struct pair *q)
{
    fr_drop(&q->a);
}

void callee_drops_field(void)
{
    struct pair pr;
    pr.a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    pair_drop_a(&pr);
    fr_drop(&pr.a); /* expect: double-free */
}

void scoped_borrow_of_field(struct pair *s)
{
    FR_WITH_BORROW_MUT(s->a, p) {
        struct account *q = fr_borrow_mut(s->a); /* expect: borrow-conflict */
        (void)q;
        (void)p;
    }
}

/* Handles in struct fields and array elements used correctly: no finding. */
#include <stdlib.h>
#include <ferrum/ferrum.h>

struct account { long balance; };
FR_OWN_TYPE(account_own, struct account);

struct pair { fr_handle a, b; };
struct bank { account_own main; account_own spare; };

void field_new_drop(struct pair *p)
{
    p->a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    struct account *acc = fr_borrow_mut(p->a);
    acc->balance = 1;
    fr_release(p->a);
    fr_drop(&p->a);
}

/* Stored in a field of memory the caller owns: not a leak here. */
void field_store(struct pair *p)
{
    p->b = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
}

void field_move_out_and_back(struct pair *p)
{
    fr_handle t = fr_move(&p->a);
    p->a = fr_move(&t);
    const struct account *acc = fr_borrow(p->a);
    (void)acc;
    fr_release(p->a);
}

long local_struct(void)
{
    struct pair pr;
    pr.a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    pr.b = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    const struct account *x = fr_borrow(pr.a), *y = fr_borrow(pr.b);
    long v = x->balance + y->balance;
    fr_release(pr.b);
    fr_release(pr.a);
    fr_drop(&pr.a);
    fr_drop(&pr.b);
    return v;
}

void array_all_dropped(void)
{
    fr_handle hs[2];
    hs[0] = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    hs[1] = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_drop(&hs[1]);
    fr_drop(&hs[0]);
}

void array_loop(fr_handle *hs, int n)
{
    for (int i = 0; i < n; i++)
        fr_drop(&hs[i]);
}

void walk_and_drop(struct pair *ps, int n)
{
    for (struct pair *p = ps; p < ps + n; p++) {
        fr_drop(&p->a);
        fr_drop(&p->b);
    }
}

static void pair_free(struct pair *q)
{
    fr_drop(&q->a);
    fr_drop(&q->b);
}

void callee_drops_fields(void)
{
    struct pair pr;
    pr.a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    pr.b = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    pair_free(&pr);
}

struct pair make_pair(void)
{
    struct pair pr;
    pr.a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    pr.b = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    return pr;
}

void unknown_callee_takes_fields(void (*sink)(struct pair *))
{
    struct pair pr;
    pr.a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    pr.b = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    sink(&pr);
}

void typed_fields(struct bank *bk)
{
    bk->main = account_own_new(fr_heap_allocator(), NULL);
    struct account *w = account_own_borrow_mut(bk->main);
    w->balance = 10;
    account_own_release(bk->main);
    const struct account *r = account_own_borrow(bk->main);
    long v = r->balance;
    (void)v;
    account_own_release(bk->main);
}

void reassigned_base(struct pair *ps)
{
    struct pair *p = &ps[0];
    fr_drop(&p->a);
    p = &ps[1];
    fr_drop(&p->a);
}

void heap_struct(void)
{
    struct pair *p = malloc(sizeof *p);
    if (!p)
        return;
    p->a = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_drop(&p->a);
    free(p);
}

void init_list(void (*sink)(struct pair *))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    fr_handle g = fr_own_new(fr_heap_allocator(), sizeof(struct account), NULL);
    struct pair pr = {h, g};
    sink(&pr);
}

/* Elements reached in ways the analysis does not follow (a variable index,
 * pointer arithmetic, an alias of the whole aggregate): not followed, so
 * no false leak. */
void loop_drop(void)
{
    fr_handle hs[2];
    hs[0] = fr_own_new(fr_heap_allocator(), 8, NULL);
    hs[1] = fr_own_new(fr_heap_allocator(), 8, NULL);
    for (int i = 0; i < 2; i++)
        fr_drop(&hs[i]);
}
void arith_drop(void)
{
    fr_handle hs[2];
    hs[0] = fr_own_new(fr_heap_allocator(), 8, NULL);
    hs[1] = fr_own_new(fr_heap_allocator(), 8, NULL);
    fr_drop(hs);
    fr_drop(hs + 1);
}
void structs_loop(void)
{
    struct pair ps[2];
    ps[0].a = fr_own_new(fr_heap_allocator(), 8, NULL);
    for (int i = 0; i < 1; i++)
        fr_drop(&ps[i].a);
}
void through_alias(void)
{
    struct pair pr;
    pr.a = fr_own_new(fr_heap_allocator(), 8, NULL);
    struct pair *q = &pr;
    fr_drop(&q->a);
}

long scoped_then_exclusive(struct pair *s)
{
    long v = 0;
    FR_WITH_BORROW(s->a, p) {
        const struct account *acc = p;
        v = acc->balance;
    }
    struct account *w = fr_borrow_mut(s->a);
    w->balance = v + 1;
    fr_release(s->a);
    return v;
}

/*
 * Suppression comments that must NOT silence a finding (QA F17): the
 * directive is read from comments only, names checks exactly and
 * case-sensitively, and "the line above" means a comment alone on its line.
 * suppress_good.c holds the forms that do suppress.
 */
#include <ferrum/ferrum.h>

struct point { int x, y; };

void in_string_literal(void (*sink)(fr_handle, const char *))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h), "x"); fr_borrow(h); (void)"ferrum: allow(use-after-move)"; /* expect: use-after-move */
}

void prefix_of_a_name(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h));
    (void)fr_borrow(h); /* ferrum: allow(use-after) */ /* expect: use-after-move */
}

void upper_case(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h));
    (void)fr_borrow(h); /* FERRUM: ALLOW(USE-AFTER-MOVE) */ /* expect: use-after-move */
}

void empty_list(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h));
    (void)fr_borrow(h); /* ferrum: allow() */ /* expect: use-after-move */
}

void mentioned_in_prose(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h));
    (void)fr_borrow(h); /* TODO drop the ferrum: allow(use-after-move) */ /* expect: use-after-move */
}

void trailing_comment_above(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h)); // ferrum: allow(use-after-move)
    (void)fr_borrow(h); /* expect: use-after-move */
}

void other_check_named(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h));
    // ferrum: allow(borrow-conflict, dangling-borrow)
    (void)fr_borrow(h); /* expect: use-after-move */
}

void two_lines_above(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h));
    // ferrum: allow(use-after-move)

    (void)fr_borrow(h); /* expect: use-after-move */
}

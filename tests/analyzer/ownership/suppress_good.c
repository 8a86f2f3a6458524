/*
 * Suppression comments that DO silence a finding: `ferrum: allow(LIST)` at
 * the start of a comment on the finding's line, or in a comment alone on the
 * line above; LIST holds exact check names (bare or ferrum-prefixed),
 * comma-separated, or `all`.  suppress_bad.c holds the near misses.
 */
#include <ferrum/ferrum.h>

struct point { int x, y; };

void same_line_block(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h));
    (void)fr_borrow(h); /* ferrum: allow(use-after-move) */
}

void same_line_no_blank(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h));
    (void)fr_borrow(h); //ferrum:allow(use-after-move)
}

void line_above_alone(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h));
    // ferrum: allow(leak, use-after-move) -- handed over on purpose
    (void)fr_borrow(h);
}

void prefixed_name(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h));
    /* ferrum: allow(ferrum-use-after-move) */
    (void)fr_borrow(h);
}

void all_checks(void (*sink)(fr_handle))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h));
    (void)fr_borrow(h); // ferrum: allow(all)
}

void string_with_quote_before(void (*sink)(fr_handle, const char *))
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct point), NULL);
    sink(fr_move(&h), "\"/*"); (void)fr_borrow(h); // ferrum: allow(use-after-move)
}

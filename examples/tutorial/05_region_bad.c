/*
 * examples/tutorial/05_region_bad.c — lesson 5, broken: a borrow that
 * outlives its region.
 *
 * The header lives in the request region, a borrow of it is still live,
 * and the region is destroyed.  ferrum refuses to destroy the region: the
 * borrow would dangle.  Rust: "`request` does not live long enough".
 */
#include <stdio.h>
#include <string.h>
#include <ferrum/ferrum.h>

struct header {
    char key[16];
    char value[16];
};

int main(void)
{
    fr_region *request = fr_region_create(NULL);
    fr_handle host = fr_own_new(fr_region_allocator(request), sizeof(struct header), NULL);
    struct header *w = fr_borrow_mut(host);
    strcpy(w->key, "Host");
    strcpy(w->value, "example.org");
    fr_release(host);

    const struct header *h = fr_borrow(host);
    fr_region_destroy(request); /* h is still borrowed */
    printf("%s: %s\n", h->key, h->value);
    return 0;
}

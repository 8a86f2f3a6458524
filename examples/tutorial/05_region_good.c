/*
 * examples/tutorial/05_region_good.c — lesson 5: lifetimes as regions.
 *
 * A region is a lifetime you can see: everything allocated in it, handles
 * included, dies when the region is destroyed, and a child region dies
 * before its parent.  One request = one region; nothing to free one by one.
 * Rust: the lifetime 'req of everything borrowed while serving a request.
 */
#include <stdio.h>
#include <string.h>
#include <ferrum/ferrum.h>

struct header {
    char key[16];
    char value[16];
};

static void say_dropped(void *obj)
{
    const struct header *h = obj;
    printf("drop header %s\n", h->key);
}

static fr_handle add_header(fr_region *r, const char *key, const char *value)
{
    fr_handle h = fr_own_new(fr_region_allocator(r), sizeof(struct header), say_dropped);
    struct header *w = fr_borrow_mut(h);
    snprintf(w->key, sizeof w->key, "%s", key);
    snprintf(w->value, sizeof w->value, "%s", value);
    fr_release(h);
    return h;
}

int main(void)
{
    fr_region *server = fr_region_create(NULL);
    fr_region *request = fr_region_create(server); /* 'request: 'server */

    fr_handle host = add_header(request, "Host", "example.org");
    add_header(request, "Accept", "*/*");

    const struct header *h = fr_borrow(host);
    printf("%s: %s\n", h->key, h->value);
    fr_release(host); /* the borrow ends inside the request's lifetime */

    fr_region_destroy(request); /* drops both headers */
    printf("host live after the request: %s\n", fr_is_live(host) ? "yes" : "no");
    fr_region_destroy(server);
    return 0;
}

/* leak of handles: neither dropped, moved, returned nor stored on some path. */
#include <ferrum/ferrum.h>
#include <string.h>

struct player { char name[16]; };

int early_return(const char *name)
{
    fr_handle p = fr_own_new(fr_heap_allocator(), sizeof(struct player), NULL);
    if (strlen(name) >= sizeof(struct player))
        return -1; /* expect: leak */
    fr_drop(&p);
    return 0;
}

void overwritten(void)
{
    fr_handle p = fr_own_new(fr_heap_allocator(), sizeof(struct player), NULL);
    p = fr_own_new(fr_heap_allocator(), sizeof(struct player), NULL); /* expect: leak */
    fr_drop(&p);
}

void forgotten(void)
{
    fr_handle p = fr_own_new(fr_heap_allocator(), sizeof(struct player), NULL);
    struct player *w = fr_borrow_mut(p);
    w->name[0] = 0;
    fr_release(p);
} /* expect: leak */

/* A block stored somewhere that outlives the function, but only inside a
 * loop: on the path where the loop does not run the block is lost, but
 * that holds only on that path, as for the same store under an `if`, which
 * is not reported either (QA8 V14, nginx ngx_resolver.c:3067: the loop runs
 * at least once because the count was tested before). */
#include <stdlib.h>

int *g;
struct addr { int *sa; };
struct srv { struct addr *addrs; unsigned n; };
struct ctx { unsigned naddrs; };

void fill(struct srv *srv, struct ctx *c)
{
    struct addr *addrs;
    int *sockaddr;
    unsigned i;

    if (c->naddrs) {
        addrs = calloc(c->naddrs, sizeof *addrs);
        if (addrs == NULL)
            return;
        sockaddr = malloc(c->naddrs * sizeof *sockaddr);
        if (sockaddr == NULL) {
            free(addrs);
            return;
        }
        for (i = 0; i < c->naddrs; i++)
            addrs[i].sa = &sockaddr[i];
        srv->addrs = addrs;
        srv->n = c->naddrs;
    }
}

void cond_escape(int flag)
{
    int *p = malloc(4);
    if (flag)
        g = p;
}

void loop_escape_heap(struct addr *a, unsigned n)
{
    int *p = malloc(4 * n);
    for (unsigned i = 0; i < n; i++)
        a[i].sa = &p[i];
}

void loop_escape_glob(unsigned n)
{
    int *p = malloc(4);
    for (unsigned i = 0; i < n; i++)
        g = p;
}

void loop_escape_then_clear(unsigned n)
{
    int *p = malloc(4);
    for (unsigned i = 0; i < n; i++) {
        g = p;
    }
    p = NULL;
}

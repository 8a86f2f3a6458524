/* A list built in a loop from an allocator of the file (QA13 X16, NetBSD's
 * fts_build in gawk's extension/gawkfts.c:805): each iteration takes one
 * entry from the wrapper and appends it; on an error the current entry and
 * then the list of the earlier ones are freed.  One object stands for every
 * block of the wrapper's call site, as for malloc's, so freeing this
 * iteration's entry does not free the ones `head` holds: silent, like the
 * same code with malloc. */
#include <stdlib.h>
#include <string.h>

struct ent {
    struct ent *link;
    char *name;
};

static struct ent *ent_alloc(void)
{
    return malloc(sizeof(struct ent));
}

static struct ent *ent_new(const char *name)
{
    struct ent *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->name = strdup(name);
    return e;
}

static void ent_free(struct ent *e)
{
    free(e->name);
    free(e);
}

static void lfree(struct ent *head)
{
    struct ent *p;
    while ((p = head) != NULL) {
        head = head->link;
        free(p);
    }
}

int next(void);
const char *next_name(void);

struct ent *build_list(void)
{
    struct ent *head = NULL, *tail = NULL, *p;
    while (next()) {
        p = ent_alloc();
        if (p == NULL || next()) {
            free(p);
            lfree(head);
            return NULL;
        }
        p->link = NULL;
        if (head == NULL)
            head = tail = p;
        else {
            tail->link = p;
            tail = p;
        }
    }
    return head;
}

/* the same with a wrapper that frees, and the entry pushed at the head */
struct ent *build_stack(void)
{
    struct ent *head = NULL, *p;
    const char *n;
    while ((n = next_name()) != NULL) {
        p = ent_new(n);
        if (!p)
            goto fail;
        if (!p->name) {
            ent_free(p);
            goto fail;
        }
        p->link = head;
        head = p;
    }
    return head;
fail:
    while (head) {
        p = head->link;
        ent_free(head);
        head = p;
    }
    return NULL;
}

/* the previous entry kept aside, the new one freed on error */
int pairs(void)
{
    struct ent *prev = NULL, *cur;
    while (next()) {
        cur = ent_alloc();
        if (!cur)
            break;
        if (next()) {
            free(cur);
            break;
        }
        free(prev);
        prev = cur;
    }
    free(prev);
    return 0;
}

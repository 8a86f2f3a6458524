/* A pointer into a block tested for NULL (QA8 V20, git diff.c:4154):
 * `info.contentp = &s->data` on one path only, then `if (!info.contentp)`
 * is true where it was never set, which says nothing of s.  The build
 * before took s as NULL there, and a callee that may free its argument
 * then "freed" it: a false use after free at hex(&s->oid).  Must stay
 * silent. */
#include <stdlib.h>
struct obj { int oid; int size; char *data; };
struct info { int *sizep; char **contentp; };
int lookup(int *oid, struct info *oi);
void die(const char *fmt, ...) __attribute__((noreturn));
const char *hex(const int *oid);
static int get_direct(int *oids, int to_free)
{
    int r = lookup(oids, NULL);
    if (to_free)
        free(oids);
    return r;
}
static int info_ext(int *oid, struct info *oi, unsigned flags)
{
    if (flags & 2)
        return get_direct(oid, flags & 4);
    return lookup(oid, oi);
}
int populate(struct obj *s, int size_only)
{
    struct info info = { .sizep = &s->size };
    if (!size_only)
        info.contentp = &s->data;
    if (info_ext(&s->oid, &info, 1))
        die("unable to read %s", hex(&s->oid));
    if (!info.contentp) {
        info.contentp = &s->data;
        if (info_ext(&s->oid, &info, 1))
            die("unable to read %s", hex(&s->oid));
    }
    return 0;
}

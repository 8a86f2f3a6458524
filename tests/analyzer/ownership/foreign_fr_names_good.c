/* A project with fr_ functions of its own (French locale helpers,
 * FreeRADIUS...), unrelated to ferrum: its fr_move copies and leaves the
 * source valid.  The ownership rules apply to ferrum's declarations only
 * (QA5 S22: a false use-after-move here). */
#include <stdlib.h>
#include <string.h>
typedef struct { char *text; } fr_handle;
fr_handle fr_own_new(const char *s) { fr_handle h = { strdup(s) }; return h; }
const char *fr_borrow(fr_handle h) { return h.text; }
fr_handle fr_move(fr_handle *h) { fr_handle r = *h; return r; }   /* copies, keeps the source valid */
void fr_drop(fr_handle *h) { free(h->text); h->text = NULL; }
void fr_release(fr_handle h) { (void)h; }
int main(void)
{
    fr_handle h = fr_own_new("bonjour");
    fr_handle c = fr_move(&h);           /* a copy, not a move */
    const char *s = fr_borrow(h);        /* fine in this API */
    int n = (int)strlen(s);
    fr_drop(&h);
    (void)c;
    return n;
}

/* One pointer that holds, on different paths, blocks of more allocation
 * sites than a value can name (FC_VT): the blocks the join cannot add to
 * the full value escape instead of falling out of sight.  On c1d2e22 the
 * first site's block was called leaked at both returns, though free(v)
 * frees whichever block v holds (it surfaced in tmux format.c once the
 * `marker != NULL` branch of format_replace was no longer dead). */
#include <stdlib.h>
#include <string.h>

int eight_sites(int k)
{
    char *v;
    if (k == 0)
        v = strdup("a");
    else if (k == 1)
        v = strdup("b");
    else if (k == 2)
        v = strdup("c");
    else if (k == 3)
        v = strdup("d");
    else if (k == 4)
        v = strdup("e");
    else if (k == 5)
        v = strdup("f");
    else if (k == 6)
        v = strdup("g");
    else
        v = strdup("h");
    if (!v)
        return -1;
    int n = (int)strlen(v);
    free(v);
    return n;
}

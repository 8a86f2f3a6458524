/* A cleanup attribute written through a macro of a header frees the
 * variable at scope exit (QA5 S23: every g_autofree / _cleanup_free_ was
 * reported as leaked). */
#include <string.h>
#include "cleanup_macros.h"

int plain(const char *s)
{
    AUTO char *t = strdup(s);
    if (!t)
        return -1;
    return t[0];
}

int glib_style(const char *s)
{
    my_autofree char *t = strdup(s);
    if (!s[0])
        return 0;
    return t ? t[0] : -1;
}

int systemd_style(const char *s)
{
    _cleanup_free_ char *t = strdup(s);
    if (!t)
        return -1;
    return t[0];
}

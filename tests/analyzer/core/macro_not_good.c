/* `!p` written in a macro (a CHECK macro, curl's GetStr): the NULL path
 * returns with nothing allocated, so no leak.  libclang 14 gives no tokens
 * for a macro body's operators; `!` is told from the types (a pointer in,
 * an int out).  And `*&x` is x. */
#include <stdlib.h>
#include <string.h>

#define CHECK_ALLOC(s) do { if (!s) return 1; } while (0)
#define CHECK_ALLOC2(s) do { if (!(s)) return 1; } while (0)
#define NOT(s) (!s)
#define NOT_D (!d)
#define ID(s) s
#define GET_STR(str, val) do {           \
        if (*(str)) {                    \
            free(*(str));                \
            *(str) = NULL;               \
        }                                \
        if ((val)) {                     \
            *(str) = strdup((val));      \
            if (!(*(str)))               \
                return 1;                \
        }                                \
    } while (0)

int check_macro(const char *p, char **out)
{
    char *d = strdup(p);
    CHECK_ALLOC(d);
    *out = d;
    return 0;
}

int check_macro_parens(const char *p, char **out)
{
    char *d = strdup(p);
    CHECK_ALLOC2(d);
    *out = d;
    return 0;
}

int not_macro(const char *p, char **out)
{
    char *d = strdup(p);
    if (NOT(d))
        return 1;
    *out = d;
    return 0;
}

int not_no_args(const char *p, char **out)
{
    char *d = strdup(p);
    if (NOT_D)
        return 1;
    *out = d;
    return 0;
}

int not_in_argument(const char *p, char **out)
{
    char *d = strdup(p);
    if (ID(!d))
        return 1;
    *out = d;
    return 0;
}

int get_str(const char *p, char **out)
{
    char *postdata = NULL;
    GET_STR(&postdata, p);
    *out = postdata;
    return 0;
}

int deref_addr(const char *p, char **out)
{
    char *d = NULL;
    *(&d) = strdup(p);
    if (!*(&d))
        return 1;
    *out = d;
    return 0;
}

/* Pointer comparisons against a known address (a local or global array,
 * &x) prune the path where the pointer is that address: these must stay
 * silent (QA5 S6: Bison's stack, gnulib's gettext.h). */
#include <stdlib.h>
#include <string.h>

/* gettext.h's pgettext with NLS off: the translation is the argument */
const char *translate(const char *msgid)
{
    char buf[64];
    strncpy(buf, msgid, sizeof buf - 1);
    buf[63] = 0;
    const char *translation = buf;
    if (translation != buf)
        return translation;
    return msgid;
}

/* the same through an int flag (dcpgettext_expr) */
const char *translate_flag(const char *msgid)
{
    char buf[64];
    const char *translation;
    int found;
    strncpy(buf, msgid, sizeof buf - 1);
    buf[63] = 0;
    translation = buf;
    found = (translation != buf);
    if (found)
        return translation;
    return msgid;
}

/* Bison: the stack starts in a local array and moves to the heap */
void parse(int n)
{
    short yyssa[16];
    short *yyss = yyssa;
    if (n > 16) {
        short *yyss1 = yyss;
        yyss = malloc(n * sizeof *yyss);
        if (!yyss)
            return;
        memcpy(yyss, yyss1, 16 * sizeof *yyss);
        if (yyss1 != yyssa)
            free(yyss1);
    }
    yyss[0] = 1;
    if (yyss != yyssa)
        free(yyss);
}

/* the same test written the other way round, and with == */
void parse_eq(int n)
{
    short yyssa[16];
    short *yyss = n > 16 ? malloc(n * sizeof *yyss) : yyssa;
    if (!yyss)
        return;
    yyss[0] = 1;
    if (yyssa == yyss)
        return;
    free(yyss);
}

/* a scalar's address */
void scalar(int c)
{
    int local = 0;
    int *p = &local;
    if (c)
        p = malloc(sizeof *p);
    if (!p)
        return;
    *p = 1;
    if (p != &local)
        free(p);
}

/* a global array */
static char gbuf[32];
void global_buf(int n)
{
    char *p = gbuf;
    if (n > 32)
        p = malloc(n);
    if (!p)
        return;
    p[0] = 0;
    if (p != gbuf)
        free(p);
}

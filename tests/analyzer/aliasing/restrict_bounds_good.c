/* String copies and prints between parts of one object that cannot overlap
 * (QA8 V1, V10): a string read from a member array, a row of a 2-D array or
 * the first half of a local array ends inside that array (or the copy would
 * overflow the destination first), so a destination at or past the end of
 * the source's array is never reached.  Two members of one struct are two
 * objects, not one array. */
#include <stdio.h>
#include <string.h>

struct display { char curr[256]; char best[256]; };
struct d8 { char a[8]; char b[8]; };
struct two { char a[16]; char b[16]; };
struct user { char name[32]; char login[32]; int uid; };

void keep_best(struct display *dp)
{
    strcpy(dp->best, dp->curr);            /* libpng pngcp.c: 256 bytes apart, each 256 */
    strcpy(dp->curr, dp->best);            /* the other way round */
    memcpy(dp->best, dp->curr, sizeof dp->best);
}

void halves(void)
{
    char buf[512];
    strcpy(buf, "abc");
    strcpy(buf + 256, buf);                /* at most 256 bytes fit at buf + 256 */
    stpcpy(&buf[256], &buf[0]);
    puts(buf + 256);
}

void small_members(struct d8 *p, struct two *t)
{
    strcpy(p->b, p->a);
    strcat(t->a, t->b);                    /* the appended bytes stay in t->a */
    strcat(t->b, t->a);
    strncat(t->a, t->b, 4);
}

void rows(char (*r)[32])
{
    strcpy(r[1], r[0]);                    /* rows of a 2-D array are separate arrays */
    strcpy(r[0], r[2]);
    char m[2][32] = {"x", ""};
    strcpy(m[1], m[0]);
    strcpy(&m[1][0], m[0]);
    puts(m[1]);
}

void printed_member(struct user *u)
{
    snprintf(u->name, sizeof u->name, "%s", u->login);       /* QA8 V10 */
    sprintf(u->login, "%s", u->name);
    struct user l = {"", "root", 0};
    snprintf(l.name, sizeof l.name, "user %s (%d)", l.login, l.uid);
    puts(l.name);
}

void printed_far(char *p)
{
    snprintf(p, 10, "%s", p + 20);         /* at most 10 bytes written, 20 bytes before the string */
}

struct ent { char name[32]; };

void declared_structs(void)
{
    struct ent v[4] = {{"a"}, {"b"}};
    strcpy(v[1].name, v[0].name);          /* a trailing member, but of a declared array's element */
    struct d8 l = {"x", "y"};
    strcpy(l.b + 0, l.a);
    strcat(l.a, l.b);
    puts(v[1].name);
}

/* Overlaps that the bound of the source's array does not rule out (the
 * companions of restrict_bounds_good.c): a string copied closer than the
 * room its arrays leave, the same member printed into itself, and the
 * trailing array of a struct reached through a pointer (the flexible member
 * idiom: `char data[1]` in a block allocated larger), whose declared size
 * bounds nothing, so it is reported like strcpy(s + 4, s) on a plain
 * pointer. */
#include <stdio.h>
#include <string.h>

struct display { char curr[256]; char best[256]; };
struct user { char name[32]; char login[32]; int uid; };
struct msg { int len; char data[1]; };

void near(struct display *dp)
{
    strcpy(dp->curr + 8, dp->curr);        /* expect: restrict-overlap */
    strcpy(dp->best, dp->best + 1);        /* expect: restrict-overlap */
    strcat(dp->curr + 4, dp->curr);        /* expect: restrict-overlap */
}

void halves(void)
{
    char buf[512] = "abc";
    strcpy(buf + 100, buf);                /* expect: restrict-overlap */
    strcat(buf, buf + 16);                 /* expect: restrict-overlap */
    char m[2][32] = {"x", ""};
    strcpy(&m[0][4], m[0]);                /* expect: restrict-overlap */
    puts(buf);
}

struct ent { char name[32]; };
struct wrap { int n; struct ent e; };

void flexible(struct msg *m, struct ent *e, struct wrap *w)
{
    strcpy(m->data + 4, m->data);          /* expect: restrict-overlap */
    strcpy(e[0].name + 32, e[0].name);     /* expect: restrict-overlap */
    strcpy((*e).name + 32, e->name);       /* expect: restrict-overlap */
    strcpy(w->e.name + 32, w->e.name);     /* expect: restrict-overlap */
}

void printed(struct user *u, char *p)
{
    snprintf(u->name, sizeof u->name, "x%s", u->name);   /* expect: restrict-overlap */
    sprintf(u->login + 4, "%s", u->login);               /* expect: restrict-overlap */
    sprintf(u->name, "%d %s", u->uid, u->name + 2);      /* expect: restrict-overlap */
    sprintf(p, "%s!", p);                                /* expect: restrict-overlap */
    snprintf(p, 64, "%s", p + 20);                       /* expect: restrict-overlap */
}

void true_bugs(char *p, char *s)
{
    char a[8] = "abc";
    memcpy(a + 1, a, 4);                   /* expect: restrict-overlap */
    memcpy(p, p, 4);                       /* expect: restrict-overlap */
    strcpy(s, s + 1);                      /* expect: restrict-overlap */
    puts(a);
}

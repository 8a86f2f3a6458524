/* Out-parameters that do not keep a local's address past the return. */
#include <stdlib.h>
#include <string.h>

static char saved[16];
void use(const char *s);

void reset_before_return(char **out)
{
    char buf[8] = "abc";
    *out = buf;
    use(*out);
    *out = NULL;
}

void static_buffer(char **out)
{
    char buf[8] = "abc";
    strcpy(saved, buf);
    *out = saved;
}

void heap_copy(char **out)
{
    char buf[8] = "abc";
    *out = strdup(buf);
}

static int *current;
void pass_to_sink(void)
{
    int x = 1;
    current = &x;   /* a global: not reported (a sink may read it before the return) */
    use((const char *)current);
}

/* the caller's struct points to a local only while a callee runs */
struct ctx { char *name; int *count; };
void run(struct ctx *c);

void field_reset(struct ctx *c)
{
    int n = 0;
    c->count = &n;
    run(c);
    c->count = NULL;
}

void field_static(struct ctx *c)
{
    static int n;
    c->count = &n;
}

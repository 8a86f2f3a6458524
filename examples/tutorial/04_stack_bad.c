/*
 * examples/tutorial/04_stack_bad.c — lesson 4, broken: returning the
 * address of a local.  Analyzed by ferrum-check, compiled but never linked
 * or run: the array dies when greeting() returns, so the caller holds a
 * dangling pointer (gcc even replaces it by NULL at -O2).  Rust rejects this
 * as E0106/E0515.
 */
#include <stdio.h>

static const char *greeting(const char *who)
{
    char buf[32];
    snprintf(buf, sizeof buf, "hello, %s", who);
    return buf;
}

int main(void)
{
    puts(greeting("bob"));
    return 0;
}

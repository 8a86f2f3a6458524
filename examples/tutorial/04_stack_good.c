/*
 * examples/tutorial/04_stack_good.c — lesson 4: the caller owns the buffer.
 *
 * Instead of returning the address of its own local, greeting() writes
 * into storage that the caller provides and that lives as long as the
 * caller needs it.  Rust: return an owned String, or take `&mut String`.
 */
#include <stdio.h>

static const char *greeting(const char *who, char *buf, size_t n)
{
    snprintf(buf, n, "hello, %s", who);
    return buf;
}

int main(void)
{
    char buf[32];
    puts(greeting("bob", buf, sizeof buf));
    return 0;
}

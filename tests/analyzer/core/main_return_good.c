/* A return from main() ends the program as exit() does (C17 5.1.2.2.3):
 * what main's parameters and outermost locals still point to then is
 * reclaimed by the exit (streams flushed and closed), not lost before it.
 * libyaml 0.2.5's test programs: a FILE opened in the argument loop and
 * left open on `return usage(1)`.  Must stay silent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int usage(int ret);
int work(FILE *in, char *buf);

int main(int argc, char *argv[])
{
    FILE *input = NULL;
    char *buf = malloc(1024);
    int found = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0)
            return usage(0);
        else if (!found) {
            input = fopen(argv[i], "rb");
            found = 1;
        }
    }
    if (!input)
        input = stdin;
    if (!buf)
        return 1;
    if (work(input, buf) < 0)
        return 2;
    free(buf);
    fclose(input);
    return 0;
}

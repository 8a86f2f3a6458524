/* Leaks in main() that a return from main does not excuse: blocks lost
 * before the program ends (main_return_good.c has the ones still held at
 * the return). */
#include <stdio.h>
#include <stdlib.h>

int use(const char *s);

int main(int argc, char *argv[])
{
    char *last = NULL;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f)
            continue;
        if (use(argv[i]) < 0)
            break;                      /* expect: leak */
        fclose(f);
    }
    last = malloc(16);
    last = malloc(32);                  /* expect: leak */
    if (!last)
        return 1;
    free(last);
    return 0;
}

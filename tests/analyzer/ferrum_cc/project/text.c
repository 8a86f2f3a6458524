/* A restrict-overlap bug, in a function the program never calls. */
#include <stdio.h>
#include <string.h>

void text_bang(char *buf)
{
    sprintf(buf, "%s!", buf); /* expect: restrict-overlap */
}

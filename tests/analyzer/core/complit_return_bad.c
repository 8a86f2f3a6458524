/* A compound literal in a function body has automatic storage: returning
 * its address returns a dangling pointer (QA13 X7; clang --analyze reports
 * it, gcc -fanalyzer does not). */
struct pt {
    int x, y;
};

int *three(void)
{
    return (int[]){1, 2, 3};            /* expect: return-stack-address */
}

struct pt *origin(void)
{
    return &(struct pt){0, 0};          /* expect: return-stack-address */
}

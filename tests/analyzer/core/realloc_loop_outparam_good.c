/* A growth loop that takes malloc or realloc and stores every new block
 * through an out-parameter at once: when realloc fails, the previous block
 * is still the caller's (QA16 Z9, pv 1.6.20 watchpid.c:257: a false leak
 * of 'arr' on c1d2e22, where the realloc's own block of the previous
 * iteration lost its "stored" mark when the call made the next one). */
#include <stdlib.h>

int grow(int **arr_ptr, int *len_ptr, int k)
{
    int len = *len_ptr;
    int *arr = *arr_ptr;
    for (int i = 0; i < k; i++) {
        int *n;
        len++;
        if (arr == NULL)
            n = malloc(len * sizeof *n);
        else
            n = realloc(arr, len * sizeof *n);
        if (n == NULL)
            return 2;
        arr = n;
        *arr_ptr = arr;
    }
    *len_ptr = len;
    return 0;
}

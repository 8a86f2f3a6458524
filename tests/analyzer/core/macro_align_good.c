/* Pointer rounding written in a function-like macro (nginx's ngx_align_ptr,
 * the kernel's PTR_ALIGN): libclang 14 shows no operator tokens inside a
 * macro body, but the result still points into the block, as when the same
 * expression is written out (QA8 V13, nginx ngx_crc32.c:122). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern unsigned long cacheline_size;
uint32_t *table_short;
char *keep;

#define align_ptr(p, a) (unsigned char *) (((uintptr_t) (p) + ((uintptr_t) a - 1)) & ~((uintptr_t) a - 1))
#define ALIGN16(p) ((char *)(((uintptr_t)(p) + 15) & ~(uintptr_t)15))
#define UP15(x) ((uintptr_t)(x) + 15)
#define ALIGN16B(p) ((char *)(UP15(p) & ~(uintptr_t)15))

int table_init(const uint32_t *src)
{
    void *p;
    p = malloc(16 * sizeof(uint32_t) + cacheline_size);
    if (p == NULL)
        return -1;
    p = align_ptr(p, cacheline_size);
    memcpy(p, src, 16 * sizeof(uint32_t));
    table_short = p;
    return 0;
}

void same_var(void)
{
    char *p = malloc(100);
    if (!p)
        return;
    p = ALIGN16(p);
    keep = p;
}

void other_var(void)
{
    char *p = malloc(100);
    if (!p)
        return;
    char *q = ALIGN16(p);
    keep = q;
}

void nested_macros(void)
{
    char *p = malloc(100);
    if (!p)
        return;
    p = ALIGN16B(p);
    keep = p;
}

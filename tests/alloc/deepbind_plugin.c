/*
 * tests/alloc/deepbind_plugin.c — a plugin as PHP's extensions are: opened
 * with RTLD_DEEPBIND, it frees and reallocates blocks its host allocated
 * and hands back blocks of its own (test_malloc_api.c, case "deepbind").
 */
#include <stdlib.h>
#include <string.h>

__attribute__((visibility("default"))) void plugin_free(void *p)
{
    free(p);
}

__attribute__((visibility("default"))) void *plugin_realloc(void *p, size_t n)
{
    return realloc(p, n);
}

__attribute__((visibility("default"))) char *plugin_strdup(const char *s)
{
    return strdup(s);
}

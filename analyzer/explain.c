/*
 * analyzer/explain.c — the texts of `ferrum-check --explain CHECK` for the
 * memory-state checks (memcheck.c), like `rustc --explain`: what the rule
 * is, why it matters, and how to fix it, with a wrong and a right example.
 *
 * The table is registered at start-up (constructor); other check modules
 * register their own rows the same way (checks.h, fc_register_explain).
 * docs/checks.md carries the same texts.
 */
#include "checks.h"

static const fc_explain rows[] = {
    { "use-after-free", "memory is used after it was freed (or a FILE after fclose)",
      "A pointer is dereferenced, or passed to a function, after the memory it points\n"
      "to was released with free() (or realloc() moved it, or fclose() closed the FILE).\n"
      "\n"
      "Why it matters: the allocator may already have handed the block to someone\n"
      "else. Reading it returns another object's data; writing it corrupts that object\n"
      "or the allocator's own metadata, which is how most heap exploits start. The bug\n"
      "is silent until it is not: it depends on what else was allocated in between.\n"
      "\n"
      "Wrong:\n"
      "    free(node);\n"
      "    next = node->next;      /* node is gone */\n"
      "\n"
      "Right: read what you need before freeing, and forget the pointer after:\n"
      "    next = node->next;\n"
      "    free(node);\n"
      "    node = NULL;\n"
      "\n"
      "ferrum reports this only when the memory is freed on every path that reaches\n"
      "the use. Passing a freed pointer to any function counts as a use.\n" },
    { "double-free", "the same memory is freed twice",
      "free() (or fclose(), or a function of this codebase that frees its argument)\n"
      "is called on memory that was already freed on every path reaching the call.\n"
      "\n"
      "Why it matters: the second free() corrupts the allocator's free lists; glibc\n"
      "aborts when it notices, and when it does not, two later allocations can return\n"
      "the same block.\n"
      "\n"
      "Wrong:\n"
      "    if (err) { free(buf); goto out; }\n"
      "    ...\n"
      "  out:\n"
      "    free(buf);\n"
      "\n"
      "Right: give the block exactly one owner that frees it, and set the pointer to\n"
      "NULL after free() (free(NULL) does nothing):\n"
      "    if (err) goto out;\n"
      "  out:\n"
      "    free(buf);\n" },
    { "leak", "allocated memory (or an open FILE) is never released",
      "The last pointer to a block from malloc(), strdup(), asprintf(), getline(), a\n"
      "function of this codebase that returns owned memory, or a FILE from fopen(),\n"
      "is lost (overwritten, or goes out of scope at a return) while the block is\n"
      "still live, and the pointer was not stored anywhere else (a global, a struct\n"
      "reachable from outside, an unknown function, the return value).\n"
      "\n"
      "Why it matters: a leak in a loop or a long-running process grows without bound;\n"
      "leaked FILEs also run out of file descriptors and lose buffered output.\n"
      "\n"
      "Wrong:\n"
      "    char *s = strdup(name);\n"
      "    if (!valid(s))\n"
      "        return -1;          /* s leaks */\n"
      "\n"
      "Right: release on every path, for instance with one cleanup label:\n"
      "    if (!valid(s)) { rc = -1; goto out; }\n"
      "  out:\n"
      "    free(s);\n"
      "\n"
      "realloc() returns NULL and keeps the block when it fails, so p = realloc(p, n)\n"
      "loses the only pointer to it on that path. Keep the result apart:\n"
      "    char *t = realloc(p, n);\n"
      "    if (!t) { free(p); return -1; }\n"
      "    p = t;\n"
      "\n"
      "The path where the allocation itself failed (NULL) is not a leak.\n"
      "\n"
      "A return from main() ends the program as exit() does: what main's parameters\n"
      "and outermost locals still point to then is released by the exit (FILEs are\n"
      "flushed and closed) and is not reported. A block lost before that, in a loop\n"
      "of main (overwritten, or held by a loop body's local), still is.\n" },
    { "free-nonheap", "free() of memory that malloc did not return",
      "free() receives a pointer to a local (stack) variable, a global, a string\n"
      "literal, or into the middle of an allocated block (p + 1, or p after p++).\n"
      "\n"
      "Why it matters: free() only accepts the exact pointers malloc() returned.\n"
      "Anything else corrupts the heap or aborts the program.\n"
      "\n"
      "Wrong:\n"
      "    char buf[64];\n"
      "    char *p = cond ? buf : \"default\";\n"
      "    free(p);\n"
      "\n"
      "Right: free only what you allocated, and keep the original pointer if you\n"
      "walk the block with another one:\n"
      "    char *p = malloc(n), *q = p;\n"
      "    while (*q) q++;\n"
      "    free(p);\n" },
    { "return-stack-address", "a function returns the address of its own local variable",
      "The returned pointer points to a local variable (or a local array) of the\n"
      "function, whose storage ends when the function returns.\n"
      "\n"
      "Why it matters: the caller gets a dangling pointer into the stack; the next call\n"
      "overwrites what it points to, and the compiler may assume it is never used.\n"
      "\n"
      "Wrong:\n"
      "    char *name(void) { char buf[32]; snprintf(buf, sizeof buf, \"x\"); return buf; }\n"
      "\n"
      "Right: let the caller provide the buffer, or return owned memory:\n"
      "    void name(char *buf, size_t n) { snprintf(buf, n, \"x\"); }\n"
      "    char *name(void) { return strdup(\"x\"); }\n"
      "\n"
      "A `static` local is not on the stack and is not reported.\n" },
};

static void reg(void) __attribute__((constructor));
static void reg(void)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        fc_register_explain(&rows[i]);
}

/*
 * analyzer/compdb.h — compile_commands.json, read by a tolerant reader of
 * our own (compdb.c) instead of libclang's CXCompilationDatabase, which
 * rejects the whole file for one malformed entry.  Private to analyzer/.
 */
#ifndef FC_COMPDB_H
#define FC_COMPDB_H

#include <stdio.h>

typedef struct fc_compdb_entry {
    char *dir;      /* "directory", absolute */
    char *file;     /* "file", as written */
    char *output;   /* "output", or NULL */
    char *path;     /* the source file's absolute path (realpath when it exists) */
    char **args;    /* "arguments", or "command" split like a POSIX shell; args[0] is the compiler */
    int nargs;
} fc_compdb_entry;

typedef struct fc_compdb {
    char *name;            /* the file read, for messages */
    fc_compdb_entry *v;
    size_t n;
    unsigned bad;          /* malformed entries, each reported and skipped */
} fc_compdb;

/* Reads BUILD_DIR/compile_commands.json (or `where` itself when it names a
 * file).  Every malformed entry is reported on err as
 * "NAME:LINE: entry K: what is wrong; entry skipped" and counted in bad;
 * the others are kept.  Returns 0, or 2 after a clear message when the
 * file cannot be read or holds no JSON array at all. */
int fc_compdb_load(const char *where, fc_compdb *db, FILE *err);
void fc_compdb_free(fc_compdb *db);

/* Splits a "command" string as clang does (POSIX shell words: blanks
 * separate, '...' is literal, "..." and a backslash escape).  Returns the
 * number of words and sets *out (NULL-terminated), or -1 on an unterminated
 * quote. */
int fc_split_command(const char *cmd, char ***out);

#endif /* FC_COMPDB_H */

/* A block allocated together with another variable's value and freed
 * under a test of that variable (QA12 R7: git setup.c:1314/1315 and its
 * minimal form): the paths on which the other pointer is NULL never made
 * the block, so no path leaks it.  The checker keeps the paths on which a
 * pointer tested later is NULL apart from those on which it is not; each
 * form below must stay silent. */
#include <stdlib.h>
#include <string.h>

const char *probe(int *err);
const char *read_link(const char *path, int *err);
int ok(void);
int valid(const char *file, const char *dir);

/* the minimal form: env = "x" and path = strdup() in the same branch */
int discover(char *buf)
{
    for (;;) {
        const char *env;
        char *path = NULL;
        env = probe(NULL);
        if (!env) {
            if (ok()) {
                env = "x";
                path = strdup(buf);
            }
        }
        if (env) {
            free(path);
            return 1;
        }
        if (ok())
            return 0;
    }
}

/* git's setup_git_directory_gently_1: two blocks, each made only where
 * the candidate is set (by a call or to a literal) */
int discover_two(const char *dir)
{
    for (;;) {
        int error_code = 0;
        char *dir_path = NULL;
        char *file = NULL;
        const char *env = read_link(dir, &error_code);
        if (!env) {
            if (error_code == 1) {
                if (ok()) {
                    env = ".git";
                    dir_path = strdup(dir);
                }
            } else if (error_code != 2) {
                return -1;
            }
        } else {
            file = strdup(dir);
        }
        if (env) {
            int ret = valid(file, dir_path ? dir_path : env) ? 1 : 2;
            free(dir_path);
            free(file);
            return ret;
        }
        if (!ok())
            return 0;
    }
}

/* no loop: the path with name NULL returns before any free */
int named(const char *s)
{
    const char *name = probe(NULL);
    char *copy = NULL;
    if (!name && ok()) {
        name = "default";
        copy = strdup(s);
    }
    if (!name)
        return 0;
    free(copy);
    return 1;
}

/* git worktree.c:683: the copy of a result that is NULL whenever the call
 * sets its error flag, overwritten only when the flag says so */
static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static char *infer(const char *path)
{
    return ok() ? strdup(path) : NULL;
}

void report(const char *);

void repair(const char *path)
{
    char *backlink = NULL;
    int err;
    backlink = dup_or_null(read_link(path, &err));
    if (err == 1) {
        report(path);
        goto done;
    } else if (err == 2) {
        if (!(backlink = infer(path))) {
            report(path);
            goto done;
        }
    } else if (err) {
        goto done;
    }
    report(backlink);
done:
    free(backlink);
}

/* git apply.c:2035: several integers written through their addresses, one
 * of them named as the status: nonzero means the result is NULL */
struct frag {
    char *data;
};

static struct frag *parse_hunk(char **buf, unsigned long *size, int *status, int *used)
{
    *status = 0;
    *used = 0;
    if (!*buf || !*size) {
        *status = -1;
        return NULL;
    }
    struct frag *f = calloc(1, sizeof *f);
    if (!f)
        exit(1);
    return f;
}

int parse_binary(char *buffer, unsigned long size, struct frag **out)
{
    int status, used;
    struct frag *forward = parse_hunk(&buffer, &size, &status, &used);
    if (!forward && !status)
        return -2;
    if (status)
        return status;
    *out = forward;
    return used;
}

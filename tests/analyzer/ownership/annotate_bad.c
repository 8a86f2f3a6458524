/* Annotations make any C API checkable: FR_TAKES moves, FR_BORROWS_MUT borrows. */
#include <ferrum/ferrum.h>
#include <ferrum/annotate.h>
#include <stdlib.h>

struct job { int id; };

void submit(FR_TAKES struct job *j);
void fill(FR_BORROWS_MUT fr_handle h);
void queue_handle(FR_TAKES fr_handle h);
FR_RETURNS_OWNED struct job *job_new(void);
int peek(FR_BORROWS const struct job *j);

int pointer_after_takes(void)
{
    struct job *job = malloc(sizeof *job);
    if (!job)
        return 1;
    job->id = 1;
    submit(job);
    return job->id; /* expect: use-after-move */
}

void handle_after_takes(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct job), NULL);
    queue_handle(h);
    fr_drop(&h); /* expect: use-after-move */
}

void borrows_mut_while_borrowed(void)
{
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct job), NULL);
    const struct job *r = fr_borrow(h);
    fill(h); /* expect: borrow-conflict */
    (void)r;
    fr_release(h);
    fr_drop(&h);
}

int owned_result_leaks(void)
{
    struct job *j = job_new();
    if (!j)
        return 1;
    return peek(j); /* expect: leak */
}

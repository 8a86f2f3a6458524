/* Annotated APIs used correctly stay quiet. */
#include <ferrum/ferrum.h>
#include <ferrum/annotate.h>
#include <stdlib.h>

struct job { int id; };

void submit(FR_TAKES struct job *j);
int peek(FR_BORROWS const struct job *j);
void fill(FR_BORROWS_MUT fr_handle h);
void queue_handle(FR_TAKES fr_handle h);
FR_RETURNS_OWNED struct job *job_new(void);

int main(void)
{
    struct job *job = job_new();
    if (!job)
        return 1;
    int id = peek(job);
    submit(job);
    job = NULL;
    fr_handle h = fr_own_new(fr_heap_allocator(), sizeof(struct job), NULL);
    fill(h);
    queue_handle(h);
    return id;
}

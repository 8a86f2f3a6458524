/* A stack push the way libyaml's yaml_private.h writes it (QA F8): the
 * macro lives in a header, the calls in the .c files, and its body is a
 * conditional whose branches hold the store and an error assignment. */
#ifndef MACRO_STORE_H
#define MACRO_STORE_H

struct ctx { int error; };
int stack_extend(void **start, void **top, void **end);

#define STACK_PUSH(context, stack, value)                                     \
    (((stack).top != (stack).end                                            \
      || stack_extend((void **)&(stack).start,                              \
              (void **)&(stack).top, (void **)&(stack).end)) ?              \
        (*((stack).top++) = value,                                          \
         1) :                                                               \
        ((context)->error = 1,                                              \
         0))

#endif

/*
 * ferrum/annotate.h — ownership annotations read by ferrum-check.
 *
 * They cost nothing at run time: each is a clang/gcc `annotate` attribute
 * (ignored by gcc with a -Wattributes-free spelling) that the analyzer reads
 * from the AST.
 *
 *   FR_RETURNS_OWNED   on a function: the caller owns what it returns
 *   FR_TAKES           on a parameter: the callee consumes (frees/keeps) it
 *   FR_BORROWS         on a parameter: the callee reads it, shared borrow
 *   FR_BORROWS_MUT     on a parameter: the callee may write it, exclusive borrow
 */
#ifndef FERRUM_ANNOTATE_H
#define FERRUM_ANNOTATE_H

#if defined(__clang__)
#define FR__ANNOTATE(s) __attribute__((annotate(s)))
#else
#define FR__ANNOTATE(s)
#endif

#define FR_RETURNS_OWNED FR__ANNOTATE("ferrum::returns_owned")
#define FR_TAKES FR__ANNOTATE("ferrum::takes")
#define FR_BORROWS FR__ANNOTATE("ferrum::borrows")
#define FR_BORROWS_MUT FR__ANNOTATE("ferrum::borrows_mut")

#endif /* FERRUM_ANNOTATE_H */

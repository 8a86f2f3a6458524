/*
 * ferrum/ferrum.h — the umbrella header: everything public in ferrum.
 */
#ifndef FERRUM_H
#define FERRUM_H

#include <ferrum/common.h>
#include <ferrum/allocator.h>
#include <ferrum/alloc.h>
#include <ferrum/arena.h>
#include <ferrum/slab.h>
#include <ferrum/region.h>
#include <ferrum/owner.h>
#include <ferrum/annotate.h>

#endif /* FERRUM_H */

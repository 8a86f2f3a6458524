/*
 * ferrum/common.h — definitions shared by every public ferrum header.
 *
 * FR_API marks a symbol exported from libferrum.  The library is built with
 * -fvisibility=hidden, so anything without FR_API stays private to the
 * shared object.  FR_VERSION_* give the version of the headers.
 */
#ifndef FERRUM_COMMON_H
#define FERRUM_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FR_VERSION_MAJOR 0
#define FR_VERSION_MINOR 1
#define FR_VERSION_PATCH 0

/* Default visibility on the declarations too, not only when building: code
 * compiled with -fvisibility=hidden that uses an exported data symbol (the
 * owner layer's inline fast paths read its handle table) must not assume the
 * symbol is local to its own object. */
#if defined(__GNUC__)
#define FR_API __attribute__((visibility("default")))
#else
#define FR_API
#endif

#if defined(__GNUC__)
#define FR_NODISCARD __attribute__((warn_unused_result))
#define FR_MALLOC_LIKE __attribute__((malloc))
#define FR_ALLOC_SIZE(...) __attribute__((alloc_size(__VA_ARGS__)))
#else
#define FR_NODISCARD
#define FR_MALLOC_LIKE
#define FR_ALLOC_SIZE(...)
#endif

#ifdef __cplusplus
extern "C" {
#endif


#ifdef __cplusplus
}
#endif

#endif /* FERRUM_COMMON_H */

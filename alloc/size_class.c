/*
 * alloc/size_class.c — the size classes and how many slices a page of each
 * class spans.
 *
 * Classes: 16..128 in steps of 16, then four classes per power of two
 * (160 192 224 256, 320 384 448 512, ...) up to 128 KiB.  The worst
 * internal waste is below 20% (a request one byte above a class boundary),
 * 12.5% on average for sizes spread evenly.  Powers of two are classes of
 * their own, so aligned_alloc(2^k, 2^k) usually needs no padding.
 *
 * Pages: one 64 KiB slice for blocks up to 8 KiB; larger blocks get pages of
 * enough slices for at least 8 blocks (at most 16 slices, 1 MiB).
 * fr__size_class() (internal.h) maps a size to its class in a few
 * instructions (a shift for small sizes, a count-leading-zeros above 128);
 * the tables below were generated from the same formula and checked against
 * it for every size from 1 to 128 KiB (tests/alloc/test_alloc.c checks it
 * again).
 */
#include "internal.h"

const uint32_t fr__class_size[FR_CLASSES] = {
    16, 32, 48, 64, 80, 96, 112, 128,
    160, 192, 224, 256, 320, 384, 448, 512,
    640, 768, 896, 1024, 1280, 1536, 1792, 2048,
    2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192,
    10240, 12288, 14336, 16384, 20480, 24576, 28672, 32768,
    40960, 49152, 57344, 65536, 81920, 98304, 114688, 131072,
};

const uint8_t fr__class_slices[FR_CLASSES] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    2, 2, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 10, 12, 14, 16,
};

/* 2^40 / size + 1 per class: see fr__block_index (internal.h). */
#define M(s) ((((uint64_t)1 << 40) / (s)) + 1)
const uint64_t fr__class_magic[FR_CLASSES] = {
    M(16), M(32), M(48), M(64), M(80), M(96), M(112), M(128),
    M(160), M(192), M(224), M(256), M(320), M(384), M(448), M(512),
    M(640), M(768), M(896), M(1024), M(1280), M(1536), M(1792), M(2048),
    M(2560), M(3072), M(3584), M(4096), M(5120), M(6144), M(7168), M(8192),
    M(10240), M(12288), M(14336), M(16384), M(20480), M(24576), M(28672), M(32768),
    M(40960), M(49152), M(57344), M(65536), M(81920), M(98304), M(114688), M(131072),
};
#undef M

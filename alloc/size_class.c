/*
 * alloc/size_class.c — the size classes and how many slices a page of each
 * class spans.
 *
 * Classes: 16..128 in steps of 16, then four classes per power of two
 * (160 192 224 256, 320 384 448 512, ...) up to 1 MiB.  The worst
 * internal waste is below 20% (a request one byte above a class boundary),
 * 12.5% on average for sizes spread evenly.  Powers of two are classes of
 * their own, so aligned_alloc(2^k, 2^k) usually needs no padding.
 *
 * Pages: one 64 KiB slice for blocks up to 8 KiB; larger blocks up to 128
 * KiB get pages of enough slices for at least 8 blocks (at most 16 slices,
 * 1 MiB).  Blocks above 128 KiB ("large", from FR_LARGE_CLASS on) get a
 * page of their own, of enough slices for the block even at the start of a
 * segment, after its header: up to 17 slices for 1 MiB.  Such a page costs
 * no system call when it comes from free slices of a segment, and returns
 * to them when its block is freed, to be purged after the purge delay like
 * any free slice.  Before, each of them was a mapping of its own (huge.c):
 * mstress, with 0.4% of its blocks between 128 KiB and 1 MiB, made 780
 * mmap, 1,476 munmap and 728 madvise calls, and the TLB shootdowns those
 * send to the other core took 5% of its time.  The part of a large page
 * past its block is never written, so it takes address space, not memory.
 * fr__size_class() (internal.h) maps a size to its class in a few
 * instructions (a shift for small sizes, a count-leading-zeros above 128);
 * the tables below were generated from the same formula and checked against
 * it for every size from 1 to 1 MiB (tests/alloc/test_alloc.c checks it
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
    163840, 196608, 229376, 262144, 327680, 393216, 458752, 524288,
    655360, 786432, 917504, 1048576,
};

/* a large class's page holds its block after the segment header too */
const uint8_t fr__class_slices[FR_CLASSES] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    2, 2, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 10, 12, 14, 16,
    3, 4, 4, 5, 6, 7, 8, 9, 11, 13, 15, 17,
};
_Static_assert(FR_HDR_SIZE <= 16 * 1024, "large pages leave room for the segment header");
/* and at slice 0 for their block from the first 4 KiB boundary past it
 * (page.c, large_steps): 160 KiB in 3 slices is the tightest, 20 KiB spare */
_Static_assert(FR_LARGE_BASE0 <= 3 * FR_OS_PAGE, "large blocks fit their pages at slice 0");

/* 2^40 / size + 1 per class: see fr__block_index (internal.h). */
#define M(s) ((((uint64_t)1 << 40) / (s)) + 1)
const uint64_t fr__class_magic[FR_CLASSES] = {
    M(16), M(32), M(48), M(64), M(80), M(96), M(112), M(128),
    M(160), M(192), M(224), M(256), M(320), M(384), M(448), M(512),
    M(640), M(768), M(896), M(1024), M(1280), M(1536), M(1792), M(2048),
    M(2560), M(3072), M(3584), M(4096), M(5120), M(6144), M(7168), M(8192),
    M(10240), M(12288), M(14336), M(16384), M(20480), M(24576), M(28672), M(32768),
    M(40960), M(49152), M(57344), M(65536), M(81920), M(98304), M(114688), M(131072),
    M(163840), M(196608), M(229376), M(262144), M(327680), M(393216), M(458752), M(524288),
    M(655360), M(786432), M(917504), M(1048576),
};
#undef M

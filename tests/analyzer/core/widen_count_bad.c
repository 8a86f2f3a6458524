/* git pack-write.c's write_idx_file (QA8 V21): an unsigned count
 * incremented inside a `?:` in a loop and counted down in another; the
 * build before never settled (the ranges had stopped moving, the widening
 * count went round the loop for ever: "not analyzed"), so the leak of
 * `note` below was missed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
struct ent { unsigned char hash[32]; uint64_t offset; uint32_t crc32; };
struct opts { unsigned flags; unsigned version; };
struct hf;
int need_large(uint64_t off, const struct opts *o);
struct hf *hashfd(int fd, const char *name);
void put32(struct hf *f, uint32_t v);
void put64(struct hf *f, uint64_t v);
void put(struct hf *f, const void *p, size_t n);
int mkfile(char **name);
void finish(struct hf *f);

const char *write_idx(const char *index_name, struct ent **objects, int nr_objects, const struct opts *opts)
{
    struct hf *f;
    struct ent **sorted, **list, **last;
    uint64_t last_off = 0;
    int i, fd;
    uint32_t index_version;
    char *note = malloc(16);

    if (nr_objects) {
        sorted = objects;
        list = sorted;
        last = sorted + nr_objects;
        for (i = 0; i < nr_objects; ++i)
            if (objects[i]->offset > last_off)
                last_off = objects[i]->offset;
    } else
        sorted = list = last = NULL;
    if (!index_name) {
        char *tmp = NULL;
        fd = mkfile(&tmp);
        index_name = tmp;
    } else {
        fd = 3;
    }
    f = hashfd(fd, index_name);
    index_version = need_large(last_off, opts) ? 2 : opts->version;
    if (index_version >= 2)
        put32(f, index_version);
    for (i = 0; i < 256; i++) {
        struct ent **next = list;
        while (next < last) {
            struct ent *obj = *next;
            if (obj->hash[0] != i)
                break;
            next++;
        }
        put32(f, (uint32_t)(next - sorted));
        list = next;
    }
    list = sorted;
    for (i = 0; i < nr_objects; i++) {
        struct ent *obj = *list++;
        if (index_version < 2)
            put32(f, (uint32_t)obj->offset);
        put(f, obj->hash, 32);
    }
    if (index_version >= 2) {
        unsigned int nr_large = 0;
        list = sorted;
        for (i = 0; i < nr_objects; i++) {
            struct ent *obj = *list++;
            put32(f, obj->crc32);
        }
        list = sorted;
        for (i = 0; i < nr_objects; i++) {
            struct ent *obj = *list++;
            uint32_t offset;
            offset = (need_large(obj->offset, opts) ? (0x80000000 | nr_large++) : (uint32_t)obj->offset);
            put32(f, offset);
        }
        list = sorted;
        while (nr_large) {
            struct ent *obj = *list++;
            uint64_t offset = obj->offset;
            if (!need_large(offset, opts))
                continue;
            put64(f, offset);
            nr_large--;
        }
    }
    finish(f);
    return index_name;                  /* expect: leak */
}

/* arena/region_owner.h — private hook between regions and the owner layer. */
#pragma once
#include <ferrum/region.h>
typedef struct fr__region_owner_hooks {
    /* Called at the start of fr_region_destroy(r) for r and then each descendant, before anything is
       freed. Return false to refuse the whole destruction (the owner layer has reported
       FR_V_REGION_OUTLIVED); destroy then does nothing. */
    bool (*may_destroy)(fr_region *r);
    /* Called while destroying r (children already destroyed), before r's deferred functions run and
       before its memory is released: the owner layer drops the handles r owns. */
    void (*destroying)(fr_region *r);
} fr__region_owner_hooks;
void fr__region_set_owner_hooks(const fr__region_owner_hooks *h); /* NULL: none */
void *fr__region_owner_data(fr_region *r);
void fr__region_set_owner_data(fr_region *r, void *data);
fr_region *fr__allocator_region(fr_allocator a);  /* the region behind fr_region_allocator(r), else NULL */

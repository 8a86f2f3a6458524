/* Third link: passes the pointer on. */
#include "order.h"

void u3_pass(char *p)
{
    u4_release(p);
}

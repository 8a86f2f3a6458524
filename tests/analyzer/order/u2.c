/* Second link: passes the pointer on. */
#include "order.h"

void u2_pass(char *p)
{
    u3_pass(p);
}

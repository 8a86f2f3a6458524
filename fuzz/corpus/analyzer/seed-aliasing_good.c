/* Allowed accesses: character types, signed/unsigned twins, unions, memcpy,
 * void * round trips back to the real type, structs (common initial member). */
#include <stdint.h>
#include <string.h>

union pun { float f; uint32_t u; };
struct base { int kind; };
struct derived { struct base b; int extra; };
enum color { RED, GREEN };

int main(void)
{
    float f = 1.5f;
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    union pun p;
    p.f = f;
    u += p.u;
    const unsigned char *bytes = (const unsigned char *)&f;
    u += bytes[0];
    int i = -1;
    u += *(unsigned *)&i;
    void *v = &i;
    u += (uint32_t)*(int *)v;
    u += (uint32_t)*(int *)(void *)&i;
    struct derived d = {{1}, 2};
    u += (uint32_t)((struct base *)&d)->kind;
    enum color c = GREEN;
    u += *(unsigned *)&c;
    static char raw[16];
    *(int *)raw = 1;
    int *ip = &i;
    u += (uint32_t)**(int **)&ip;
    return (int)u;
}

/* The control-flow variants of the NIST Juliet suite (double free, use after
 * free, leak), each in a bad and a good form: constant conditions of every
 * kind, loops that run once, goto, switch, helper functions. */
#include <stdlib.h>
#include <string.h>

#define STATIC_CONST_TRUE_M 1
static const int STATIC_CONST_TRUE = 1;
static const int STATIC_CONST_FALSE = 0;
static const int STATIC_CONST_FIVE = 5;
static int staticTrue = 1;
static int staticFalse = 0;
static int staticFive = 5;

static int staticReturnsTrue(void) { return 1; }
static int staticReturnsFalse(void) { return 0; }

void bad_02(void)
{
    char *data = malloc(100);
    if (1)
        free(data);
    if (1)
        free(data);                     /* expect: double-free */
}

void good_02(void)
{
    char *data = malloc(100);
    if (1)
        free(data);
    if (0)
        free(data);
}

void bad_03(void)
{
    char *data = malloc(100);
    if (5 == 5)
        free(data);
    if (5 == 5)
        free(data);                     /* expect: double-free */
}

void bad_04(void)
{
    char *data = malloc(100);
    if (STATIC_CONST_TRUE)
        free(data);
    if (STATIC_CONST_TRUE)
        data[0] = 'a';                  /* expect: use-after-free */
}

void good_04(void)
{
    char *data = malloc(100);
    if (STATIC_CONST_TRUE)
        free(data);
    if (STATIC_CONST_FALSE)
        data[0] = 'a';
}

void bad_05(void)
{
    char *data = malloc(100);
    if (staticTrue)
        free(data);
    if (staticTrue)
        free(data);                     /* expect: double-free */
}

void good_05(void)
{
    char *data = malloc(100);
    if (staticTrue)
        free(data);
    if (staticFalse)
        free(data);
}

void bad_06(void)
{
    char *data = malloc(100);
    if (STATIC_CONST_FIVE == 5)
        free(data);
    if (STATIC_CONST_FIVE == 5)
        free(data);                     /* expect: double-free */
}

void bad_07(void)
{
    char *data = malloc(100);
    if (staticFive == 5)
        free(data);
    if (staticFive == 5)
        free(data);                     /* expect: double-free */
}

void bad_08(void)
{
    char *data = malloc(100);
    if (staticReturnsTrue())
        free(data);
    if (staticReturnsTrue())
        free(data);                     /* expect: double-free */
}

void good_08(void)
{
    char *data = malloc(100);
    if (staticReturnsTrue())
        free(data);
    if (staticReturnsFalse())
        free(data);
}

void bad_15(void)
{
    char *data = malloc(100);
    switch (6) {
    case 6:
        free(data);
        break;
    default:
        break;
    }
    switch (7) {
    case 7:
        free(data);                     /* expect: double-free */
        break;
    default:
        break;
    }
}

void bad_16(void)
{
    char *data;
    while (1) {
        data = malloc(100);
        free(data);
        break;
    }
    while (1) {
        free(data);                     /* expect: double-free */
        break;
    }
}

void bad_17(void)
{
    int i, j;
    char *data = NULL;
    for (i = 0; i < 1; i++) {
        data = malloc(100);
        free(data);
    }
    for (j = 0; j < 1; j++)
        free(data);                     /* expect: double-free */
}

void good_17(void)
{
    int i;
    char *data = NULL;
    for (i = 0; i < 1; i++) {
        data = malloc(100);
        free(data);
    }
    data = NULL;
    for (i = 0; i < 1; i++)
        free(data);
}

void bad_18(void)
{
    char *data = malloc(100);
    goto source;
source:
    free(data);
    goto sink;
sink:
    free(data);                         /* expect: double-free */
}

static void sink_41(char *data)
{
    free(data);
}

void bad_41(void)
{
    char *data = malloc(100);
    free(data);
    sink_41(data);                      /* expect: double-free */
}

static char *source_42(char *data)
{
    data = malloc(100);
    free(data);
    return data;
}

void bad_42(void)
{
    char *data = NULL;
    data = source_42(data);
    data[0] = 'a';                      /* expect: use-after-free */
}

void bad_leak_01(void)
{
    char *data = malloc(100);
    if (data == NULL)
        exit(-1);
    strcpy(data, "A String");
}                                       /* expect: leak */

void good_leak_01(void)
{
    char *data = malloc(100);
    if (data == NULL)
        exit(-1);
    strcpy(data, "A String");
    free(data);
}

void bad_leak_17(void)
{
    int i;
    char *data;
    for (i = 0; i < 1; i++) {
        data = calloc(100, 1);
        if (data == NULL)
            exit(-1);
    }
    data[0] = 'a';
}                                       /* expect: leak */

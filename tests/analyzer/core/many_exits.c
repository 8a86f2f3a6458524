/* Functions with many exits: 30 returns, a switch of 30 cases that return,
 * a 26-step goto-cleanup ladder, a loop of 26 continues.  Each edge into
 * the exit (or the label) is not a new evaluation of it: these functions
 * are analyzed like small ones (QA3 Q10: they were skipped silently). */
#include <stdlib.h>

int many_returns(int k)
{
    char *p = malloc(4);
    if (!p)
        return -1;
    free(p);
    p[0] = 1;                           /* expect: use-after-free */
    if (k == 0)
        return 0;
    if (k == 1)
        return 1;
    if (k == 2)
        return 2;
    if (k == 3)
        return 3;
    if (k == 4)
        return 4;
    if (k == 5)
        return 5;
    if (k == 6)
        return 6;
    if (k == 7)
        return 7;
    if (k == 8)
        return 8;
    if (k == 9)
        return 9;
    if (k == 10)
        return 10;
    if (k == 11)
        return 11;
    if (k == 12)
        return 12;
    if (k == 13)
        return 13;
    if (k == 14)
        return 14;
    if (k == 15)
        return 15;
    if (k == 16)
        return 16;
    if (k == 17)
        return 17;
    if (k == 18)
        return 18;
    if (k == 19)
        return 19;
    if (k == 20)
        return 20;
    if (k == 21)
        return 21;
    if (k == 22)
        return 22;
    if (k == 23)
        return 23;
    if (k == 24)
        return 24;
    if (k == 25)
        return 25;
    if (k == 26)
        return 26;
    if (k == 27)
        return 27;
    if (k == 28)
        return 28;
    if (k == 29)
        return 29;
    return 0;
}

const char *many_cases(int k)
{
    char *p = malloc(4);
    free(p);
    free(p);                            /* expect: double-free */
    switch (k) {
    case 0:
        return "n0";
    case 1:
        return "n1";
    case 2:
        return "n2";
    case 3:
        return "n3";
    case 4:
        return "n4";
    case 5:
        return "n5";
    case 6:
        return "n6";
    case 7:
        return "n7";
    case 8:
        return "n8";
    case 9:
        return "n9";
    case 10:
        return "n10";
    case 11:
        return "n11";
    case 12:
        return "n12";
    case 13:
        return "n13";
    case 14:
        return "n14";
    case 15:
        return "n15";
    case 16:
        return "n16";
    case 17:
        return "n17";
    case 18:
        return "n18";
    case 19:
        return "n19";
    case 20:
        return "n20";
    case 21:
        return "n21";
    case 22:
        return "n22";
    case 23:
        return "n23";
    case 24:
        return "n24";
    case 25:
        return "n25";
    case 26:
        return "n26";
    case 27:
        return "n27";
    case 28:
        return "n28";
    case 29:
        return "n29";
    default:
        return "?";
    }
}

int goto_ladder(void)
{
    char *p0 = NULL;
    char *p1 = NULL;
    char *p2 = NULL;
    char *p3 = NULL;
    char *p4 = NULL;
    char *p5 = NULL;
    char *p6 = NULL;
    char *p7 = NULL;
    char *p8 = NULL;
    char *p9 = NULL;
    char *p10 = NULL;
    char *p11 = NULL;
    char *p12 = NULL;
    char *p13 = NULL;
    char *p14 = NULL;
    char *p15 = NULL;
    char *p16 = NULL;
    char *p17 = NULL;
    char *p18 = NULL;
    char *p19 = NULL;
    char *p20 = NULL;
    char *p21 = NULL;
    char *p22 = NULL;
    char *p23 = NULL;
    char *p24 = NULL;
    char *p25 = NULL;
    int rc = -1;
    p0 = malloc(8);
    if (!p0)
        goto out;
    p1 = malloc(8);
    if (!p1)
        goto out;
    p2 = malloc(8);
    if (!p2)
        goto out;
    p3 = malloc(8);
    if (!p3)
        goto out;
    p4 = malloc(8);
    if (!p4)
        goto out;
    p5 = malloc(8);
    if (!p5)
        goto out;
    p6 = malloc(8);
    if (!p6)
        goto out;
    p7 = malloc(8);
    if (!p7)
        goto out;
    p8 = malloc(8);
    if (!p8)
        goto out;
    p9 = malloc(8);
    if (!p9)
        goto out;
    p10 = malloc(8);
    if (!p10)
        goto out;
    p11 = malloc(8);
    if (!p11)
        goto out;
    p12 = malloc(8);
    if (!p12)
        goto out;
    p13 = malloc(8);
    if (!p13)
        goto out;
    p14 = malloc(8);
    if (!p14)
        goto out;
    p15 = malloc(8);
    if (!p15)
        goto out;
    p16 = malloc(8);
    if (!p16)
        goto out;
    p17 = malloc(8);
    if (!p17)
        goto out;
    p18 = malloc(8);
    if (!p18)
        goto out;
    p19 = malloc(8);
    if (!p19)
        goto out;
    p20 = malloc(8);
    if (!p20)
        goto out;
    p21 = malloc(8);
    if (!p21)
        goto out;
    p22 = malloc(8);
    if (!p22)
        goto out;
    p23 = malloc(8);
    if (!p23)
        goto out;
    p24 = malloc(8);
    if (!p24)
        goto out;
    p25 = malloc(8);
    if (!p25)
        goto out;
    free(p3);
    p3[0] = 1;                          /* expect: use-after-free */
    p3 = NULL;
    rc = 0;
out:
    free(p0);
    free(p1);
    free(p2);
    free(p3);
    free(p4);
    free(p5);
    free(p6);
    free(p7);
    free(p8);
    free(p9);
    free(p10);
    free(p11);
    free(p12);
    free(p13);
    free(p14);
    free(p15);
    free(p16);
    free(p17);
    free(p18);
    free(p19);
    free(p20);
    free(p21);
    free(p22);
    free(p23);
    free(p24);
    free(p25);
    return rc;
}

int loop_of_continues(const int *v, int n)
{
    char *p = malloc(4);
    if (!p)
        return -1;
    free(p);
    p[0] = 0;                           /* expect: use-after-free */
    int s = 0;
    for (int i = 0; i < n; i++) {
        if (v[i] == 0)
            continue;
        if (v[i] == 1)
            continue;
        if (v[i] == 2)
            continue;
        if (v[i] == 3)
            continue;
        if (v[i] == 4)
            continue;
        if (v[i] == 5)
            continue;
        if (v[i] == 6)
            continue;
        if (v[i] == 7)
            continue;
        if (v[i] == 8)
            continue;
        if (v[i] == 9)
            continue;
        if (v[i] == 10)
            continue;
        if (v[i] == 11)
            continue;
        if (v[i] == 12)
            continue;
        if (v[i] == 13)
            continue;
        if (v[i] == 14)
            continue;
        if (v[i] == 15)
            continue;
        if (v[i] == 16)
            continue;
        if (v[i] == 17)
            continue;
        if (v[i] == 18)
            continue;
        if (v[i] == 19)
            continue;
        if (v[i] == 20)
            continue;
        if (v[i] == 21)
            continue;
        if (v[i] == 22)
            continue;
        if (v[i] == 23)
            continue;
        if (v[i] == 24)
            continue;
        if (v[i] == 25)
            continue;
        s += v[i];
    }
    return s;
}

/* The same shapes, correct. */
int goto_ladder_good(void)
{
    char *p0 = NULL;
    char *p1 = NULL;
    char *p2 = NULL;
    char *p3 = NULL;
    char *p4 = NULL;
    char *p5 = NULL;
    char *p6 = NULL;
    char *p7 = NULL;
    char *p8 = NULL;
    char *p9 = NULL;
    char *p10 = NULL;
    char *p11 = NULL;
    char *p12 = NULL;
    char *p13 = NULL;
    char *p14 = NULL;
    char *p15 = NULL;
    char *p16 = NULL;
    char *p17 = NULL;
    char *p18 = NULL;
    char *p19 = NULL;
    char *p20 = NULL;
    char *p21 = NULL;
    char *p22 = NULL;
    char *p23 = NULL;
    char *p24 = NULL;
    char *p25 = NULL;
    int rc = -1;
    p0 = malloc(8);
    if (!p0)
        goto out;
    p1 = malloc(8);
    if (!p1)
        goto out;
    p2 = malloc(8);
    if (!p2)
        goto out;
    p3 = malloc(8);
    if (!p3)
        goto out;
    p4 = malloc(8);
    if (!p4)
        goto out;
    p5 = malloc(8);
    if (!p5)
        goto out;
    p6 = malloc(8);
    if (!p6)
        goto out;
    p7 = malloc(8);
    if (!p7)
        goto out;
    p8 = malloc(8);
    if (!p8)
        goto out;
    p9 = malloc(8);
    if (!p9)
        goto out;
    p10 = malloc(8);
    if (!p10)
        goto out;
    p11 = malloc(8);
    if (!p11)
        goto out;
    p12 = malloc(8);
    if (!p12)
        goto out;
    p13 = malloc(8);
    if (!p13)
        goto out;
    p14 = malloc(8);
    if (!p14)
        goto out;
    p15 = malloc(8);
    if (!p15)
        goto out;
    p16 = malloc(8);
    if (!p16)
        goto out;
    p17 = malloc(8);
    if (!p17)
        goto out;
    p18 = malloc(8);
    if (!p18)
        goto out;
    p19 = malloc(8);
    if (!p19)
        goto out;
    p20 = malloc(8);
    if (!p20)
        goto out;
    p21 = malloc(8);
    if (!p21)
        goto out;
    p22 = malloc(8);
    if (!p22)
        goto out;
    p23 = malloc(8);
    if (!p23)
        goto out;
    p24 = malloc(8);
    if (!p24)
        goto out;
    p25 = malloc(8);
    if (!p25)
        goto out;
    rc = 0;
out:
    free(p0);
    free(p1);
    free(p2);
    free(p3);
    free(p4);
    free(p5);
    free(p6);
    free(p7);
    free(p8);
    free(p9);
    free(p10);
    free(p11);
    free(p12);
    free(p13);
    free(p14);
    free(p15);
    free(p16);
    free(p17);
    free(p18);
    free(p19);
    free(p20);
    free(p21);
    free(p22);
    free(p23);
    free(p24);
    free(p25);
    return rc;
}


/* A flat else-if ladder of 300 arms (generated dispatchers, option parsers):
 * its arms are not nested statements, so the function stays within the
 * nesting bound and the use after free below it is found (QA6 T6: 257+
 * arms skipped the whole function). */
#include <stdlib.h>

int dispatch(int x)
{
    char *p = malloc(4);
    if (!p)
        return 0;
    free(p);
    if (x == 0)
        x++;
    else if (x == 1)
        x += 2;
    else if (x == 2)
        x += 3;
    else if (x == 3)
        x += 4;
    else if (x == 4)
        x += 5;
    else if (x == 5)
        x += 6;
    else if (x == 6)
        x += 7;
    else if (x == 7)
        x += 1;
    else if (x == 8)
        x += 2;
    else if (x == 9)
        x += 3;
    else if (x == 10)
        x += 4;
    else if (x == 11)
        x += 5;
    else if (x == 12)
        x += 6;
    else if (x == 13)
        x += 7;
    else if (x == 14)
        x += 1;
    else if (x == 15)
        x += 2;
    else if (x == 16)
        x += 3;
    else if (x == 17)
        x += 4;
    else if (x == 18)
        x += 5;
    else if (x == 19)
        x += 6;
    else if (x == 20)
        x += 7;
    else if (x == 21)
        x += 1;
    else if (x == 22)
        x += 2;
    else if (x == 23)
        x += 3;
    else if (x == 24)
        x += 4;
    else if (x == 25)
        x += 5;
    else if (x == 26)
        x += 6;
    else if (x == 27)
        x += 7;
    else if (x == 28)
        x += 1;
    else if (x == 29)
        x += 2;
    else if (x == 30)
        x += 3;
    else if (x == 31)
        x += 4;
    else if (x == 32)
        x += 5;
    else if (x == 33)
        x += 6;
    else if (x == 34)
        x += 7;
    else if (x == 35)
        x += 1;
    else if (x == 36)
        x += 2;
    else if (x == 37)
        x += 3;
    else if (x == 38)
        x += 4;
    else if (x == 39)
        x += 5;
    else if (x == 40)
        x += 6;
    else if (x == 41)
        x += 7;
    else if (x == 42)
        x += 1;
    else if (x == 43)
        x += 2;
    else if (x == 44)
        x += 3;
    else if (x == 45)
        x += 4;
    else if (x == 46)
        x += 5;
    else if (x == 47)
        x += 6;
    else if (x == 48)
        x += 7;
    else if (x == 49)
        x += 1;
    else if (x == 50)
        x += 2;
    else if (x == 51)
        x += 3;
    else if (x == 52)
        x += 4;
    else if (x == 53)
        x += 5;
    else if (x == 54)
        x += 6;
    else if (x == 55)
        x += 7;
    else if (x == 56)
        x += 1;
    else if (x == 57)
        x += 2;
    else if (x == 58)
        x += 3;
    else if (x == 59)
        x += 4;
    else if (x == 60)
        x += 5;
    else if (x == 61)
        x += 6;
    else if (x == 62)
        x += 7;
    else if (x == 63)
        x += 1;
    else if (x == 64)
        x += 2;
    else if (x == 65)
        x += 3;
    else if (x == 66)
        x += 4;
    else if (x == 67)
        x += 5;
    else if (x == 68)
        x += 6;
    else if (x == 69)
        x += 7;
    else if (x == 70)
        x += 1;
    else if (x == 71)
        x += 2;
    else if (x == 72)
        x += 3;
    else if (x == 73)
        x += 4;
    else if (x == 74)
        x += 5;
    else if (x == 75)
        x += 6;
    else if (x == 76)
        x += 7;
    else if (x == 77)
        x += 1;
    else if (x == 78)
        x += 2;
    else if (x == 79)
        x += 3;
    else if (x == 80)
        x += 4;
    else if (x == 81)
        x += 5;
    else if (x == 82)
        x += 6;
    else if (x == 83)
        x += 7;
    else if (x == 84)
        x += 1;
    else if (x == 85)
        x += 2;
    else if (x == 86)
        x += 3;
    else if (x == 87)
        x += 4;
    else if (x == 88)
        x += 5;
    else if (x == 89)
        x += 6;
    else if (x == 90)
        x += 7;
    else if (x == 91)
        x += 1;
    else if (x == 92)
        x += 2;
    else if (x == 93)
        x += 3;
    else if (x == 94)
        x += 4;
    else if (x == 95)
        x += 5;
    else if (x == 96)
        x += 6;
    else if (x == 97)
        x += 7;
    else if (x == 98)
        x += 1;
    else if (x == 99)
        x += 2;
    else if (x == 100)
        x += 3;
    else if (x == 101)
        x += 4;
    else if (x == 102)
        x += 5;
    else if (x == 103)
        x += 6;
    else if (x == 104)
        x += 7;
    else if (x == 105)
        x += 1;
    else if (x == 106)
        x += 2;
    else if (x == 107)
        x += 3;
    else if (x == 108)
        x += 4;
    else if (x == 109)
        x += 5;
    else if (x == 110)
        x += 6;
    else if (x == 111)
        x += 7;
    else if (x == 112)
        x += 1;
    else if (x == 113)
        x += 2;
    else if (x == 114)
        x += 3;
    else if (x == 115)
        x += 4;
    else if (x == 116)
        x += 5;
    else if (x == 117)
        x += 6;
    else if (x == 118)
        x += 7;
    else if (x == 119)
        x += 1;
    else if (x == 120)
        x += 2;
    else if (x == 121)
        x += 3;
    else if (x == 122)
        x += 4;
    else if (x == 123)
        x += 5;
    else if (x == 124)
        x += 6;
    else if (x == 125)
        x += 7;
    else if (x == 126)
        x += 1;
    else if (x == 127)
        x += 2;
    else if (x == 128)
        x += 3;
    else if (x == 129)
        x += 4;
    else if (x == 130)
        x += 5;
    else if (x == 131)
        x += 6;
    else if (x == 132)
        x += 7;
    else if (x == 133)
        x += 1;
    else if (x == 134)
        x += 2;
    else if (x == 135)
        x += 3;
    else if (x == 136)
        x += 4;
    else if (x == 137)
        x += 5;
    else if (x == 138)
        x += 6;
    else if (x == 139)
        x += 7;
    else if (x == 140)
        x += 1;
    else if (x == 141)
        x += 2;
    else if (x == 142)
        x += 3;
    else if (x == 143)
        x += 4;
    else if (x == 144)
        x += 5;
    else if (x == 145)
        x += 6;
    else if (x == 146)
        x += 7;
    else if (x == 147)
        x += 1;
    else if (x == 148)
        x += 2;
    else if (x == 149)
        x += 3;
    else if (x == 150)
        x += 4;
    else if (x == 151)
        x += 5;
    else if (x == 152)
        x += 6;
    else if (x == 153)
        x += 7;
    else if (x == 154)
        x += 1;
    else if (x == 155)
        x += 2;
    else if (x == 156)
        x += 3;
    else if (x == 157)
        x += 4;
    else if (x == 158)
        x += 5;
    else if (x == 159)
        x += 6;
    else if (x == 160)
        x += 7;
    else if (x == 161)
        x += 1;
    else if (x == 162)
        x += 2;
    else if (x == 163)
        x += 3;
    else if (x == 164)
        x += 4;
    else if (x == 165)
        x += 5;
    else if (x == 166)
        x += 6;
    else if (x == 167)
        x += 7;
    else if (x == 168)
        x += 1;
    else if (x == 169)
        x += 2;
    else if (x == 170)
        x += 3;
    else if (x == 171)
        x += 4;
    else if (x == 172)
        x += 5;
    else if (x == 173)
        x += 6;
    else if (x == 174)
        x += 7;
    else if (x == 175)
        x += 1;
    else if (x == 176)
        x += 2;
    else if (x == 177)
        x += 3;
    else if (x == 178)
        x += 4;
    else if (x == 179)
        x += 5;
    else if (x == 180)
        x += 6;
    else if (x == 181)
        x += 7;
    else if (x == 182)
        x += 1;
    else if (x == 183)
        x += 2;
    else if (x == 184)
        x += 3;
    else if (x == 185)
        x += 4;
    else if (x == 186)
        x += 5;
    else if (x == 187)
        x += 6;
    else if (x == 188)
        x += 7;
    else if (x == 189)
        x += 1;
    else if (x == 190)
        x += 2;
    else if (x == 191)
        x += 3;
    else if (x == 192)
        x += 4;
    else if (x == 193)
        x += 5;
    else if (x == 194)
        x += 6;
    else if (x == 195)
        x += 7;
    else if (x == 196)
        x += 1;
    else if (x == 197)
        x += 2;
    else if (x == 198)
        x += 3;
    else if (x == 199)
        x += 4;
    else if (x == 200)
        x += 5;
    else if (x == 201)
        x += 6;
    else if (x == 202)
        x += 7;
    else if (x == 203)
        x += 1;
    else if (x == 204)
        x += 2;
    else if (x == 205)
        x += 3;
    else if (x == 206)
        x += 4;
    else if (x == 207)
        x += 5;
    else if (x == 208)
        x += 6;
    else if (x == 209)
        x += 7;
    else if (x == 210)
        x += 1;
    else if (x == 211)
        x += 2;
    else if (x == 212)
        x += 3;
    else if (x == 213)
        x += 4;
    else if (x == 214)
        x += 5;
    else if (x == 215)
        x += 6;
    else if (x == 216)
        x += 7;
    else if (x == 217)
        x += 1;
    else if (x == 218)
        x += 2;
    else if (x == 219)
        x += 3;
    else if (x == 220)
        x += 4;
    else if (x == 221)
        x += 5;
    else if (x == 222)
        x += 6;
    else if (x == 223)
        x += 7;
    else if (x == 224)
        x += 1;
    else if (x == 225)
        x += 2;
    else if (x == 226)
        x += 3;
    else if (x == 227)
        x += 4;
    else if (x == 228)
        x += 5;
    else if (x == 229)
        x += 6;
    else if (x == 230)
        x += 7;
    else if (x == 231)
        x += 1;
    else if (x == 232)
        x += 2;
    else if (x == 233)
        x += 3;
    else if (x == 234)
        x += 4;
    else if (x == 235)
        x += 5;
    else if (x == 236)
        x += 6;
    else if (x == 237)
        x += 7;
    else if (x == 238)
        x += 1;
    else if (x == 239)
        x += 2;
    else if (x == 240)
        x += 3;
    else if (x == 241)
        x += 4;
    else if (x == 242)
        x += 5;
    else if (x == 243)
        x += 6;
    else if (x == 244)
        x += 7;
    else if (x == 245)
        x += 1;
    else if (x == 246)
        x += 2;
    else if (x == 247)
        x += 3;
    else if (x == 248)
        x += 4;
    else if (x == 249)
        x += 5;
    else if (x == 250)
        x += 6;
    else if (x == 251)
        x += 7;
    else if (x == 252)
        x += 1;
    else if (x == 253)
        x += 2;
    else if (x == 254)
        x += 3;
    else if (x == 255)
        x += 4;
    else if (x == 256)
        x += 5;
    else if (x == 257)
        x += 6;
    else if (x == 258)
        x += 7;
    else if (x == 259)
        x += 1;
    else if (x == 260)
        x += 2;
    else if (x == 261)
        x += 3;
    else if (x == 262)
        x += 4;
    else if (x == 263)
        x += 5;
    else if (x == 264)
        x += 6;
    else if (x == 265)
        x += 7;
    else if (x == 266)
        x += 1;
    else if (x == 267)
        x += 2;
    else if (x == 268)
        x += 3;
    else if (x == 269)
        x += 4;
    else if (x == 270)
        x += 5;
    else if (x == 271)
        x += 6;
    else if (x == 272)
        x += 7;
    else if (x == 273)
        x += 1;
    else if (x == 274)
        x += 2;
    else if (x == 275)
        x += 3;
    else if (x == 276)
        x += 4;
    else if (x == 277)
        x += 5;
    else if (x == 278)
        x += 6;
    else if (x == 279)
        x += 7;
    else if (x == 280)
        x += 1;
    else if (x == 281)
        x += 2;
    else if (x == 282)
        x += 3;
    else if (x == 283)
        x += 4;
    else if (x == 284)
        x += 5;
    else if (x == 285)
        x += 6;
    else if (x == 286)
        x += 7;
    else if (x == 287)
        x += 1;
    else if (x == 288)
        x += 2;
    else if (x == 289)
        x += 3;
    else if (x == 290)
        x += 4;
    else if (x == 291)
        x += 5;
    else if (x == 292)
        x += 6;
    else if (x == 293)
        x += 7;
    else if (x == 294)
        x += 1;
    else if (x == 295)
        x += 2;
    else if (x == 296)
        x += 3;
    else if (x == 297)
        x += 4;
    else if (x == 298)
        x += 5;
    else if (x == 299)
        x += 6;
    return p[0] + x; /* expect: use-after-free */
}

/* Values at the edges of gdb's formatting: repeats, the 200-element limit, embedded NULs,
   escapes, float exponents, NaN and infinities, long double, 64-bit extremes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct pair { short a; char b; };

int show(int unused)
{
    int ten[10], eleven[11], mixed[14];
    for (int i = 0; i < 10; i++) ten[i] = 7;
    for (int i = 0; i < 11; i++) eleven[i] = 7;
    for (int i = 0; i < 14; i++) mixed[i] = i < 3 ? i : 9;
    int many[300];
    for (int i = 0; i < 300; i++) many[i] = i / 3;
    char embedded[12] = "ab\0cd";
    char escapes[10] = "\t\n\r\\'\"\001\177";
    char longtext[260];
    memset(longtext, 'x', sizeof longtext - 1);
    longtext[259] = 0;
    unsigned char raw[4] = {200, 1, 255, 0};
    double big = 1e20, tiny = 1e-5, third = 1.0 / 3, neg_zero = -0.0;
    double not_a_number = NAN, minus_inf = -INFINITY;
    float f = 0.1f, fbig = 3.4e38f;
    long double ld = 1.5L, ld_tenth = 0.1L, ld_huge = 1e300L * 1e300L, ld_small = -2.5e-10L;
    int64_t min64 = INT64_MIN;
    uint64_t max64 = UINT64_MAX;
    struct pair pairs[12];
    for (int i = 0; i < 12; i++) { pairs[i].a = 1; pairs[i].b = 'z'; }
    const char *empty = "";
    char *null_text = NULL;
    int total = (int)(ld_tenth + ld_huge * 0 + ld_small) + ten[0] + eleven[0] + mixed[13] + many[299] + embedded[0] + escapes[0] + longtext[0] + raw[0]; /* break: show */
    printf("%d %f %f %f %f %f %f %f %f %Lf %lld %llu %d %s %p %d\n", total, big, tiny, third, neg_zero, not_a_number,
           minus_inf, f, fbig, ld, (long long)min64, (unsigned long long)max64, pairs[0].a, empty, (void *)null_text, unused);
    return total;
}

int main(void)
{
    return show(5) > 0 ? 0 : 1;
}

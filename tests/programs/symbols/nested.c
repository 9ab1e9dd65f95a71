/* Nested calls with scalar parameters and locals: the backtrace and values at the leaf. */
#include <stdio.h>

static int leaf(int depth, double scale, const char *label)
{
    int twice = depth * 2;
    double scaled = scale * depth;
    char tag[8] = "leaf";
    printf("%s %d %f %s\n", label, twice, scaled, tag); /* break: leaf */
    return twice + (int)scaled;
}

static int middle(int n, long big)
{
    unsigned short small = 65535;
    char letter = 'M';
    int result = leaf(n + 1, 1.5, "from middle");
    return result + (int)big + small + letter; /* break: after_leaf */
}

int outer(int x)
{
    int local_in_outer = x * 10;
    for (int i = 0; i < 1; i++) {
        int inner_block = i + 7;
        local_in_outer += middle(inner_block, -1234567890123L);
    }
    return local_in_outer;
}

int main(void)
{
    int answer = outer(3);
    printf("%d\n", answer);
    return 0;
}

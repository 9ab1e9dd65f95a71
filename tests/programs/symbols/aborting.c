/* abort() from a nested call: the stop is in libc, with no debug information. */
#include <stdlib.h>

static int check(int value)
{
    int limit = 10;
    if (value > limit)
        abort();
    return value;
}

int main(int argc, char **argv)
{
    (void)argv;
    return check(argc + 41);
}

// Exits with status 3 from a nested call.
#include <stdio.h>
#include <stdlib.h>

static void give_up(void)
{
    printf("giving up\n");
    fprintf(stderr, "exit3: exiting with status 3\n");
    exit(3);
}

int main(void)
{
    printf("starting\n");
    give_up();
    return 0;
}

// Killed by SIGABRT from abort().
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("about to abort\n");
    fprintf(stderr, "abort: calling abort()\n");
    fflush(stdout);
    abort();
}

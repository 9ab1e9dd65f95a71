// The first process ends (status 5) while its child runs on, printing now and then: the
// recording goes on until the child ends, and its status is the first process's. The child
// sleeps a millisecond every 100 rounds: the parent leaves while it sleeps, whichever of the two
// a recorder running one at a time starts with.
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    if (fork() == 0) {
        for (int i = 0; i < 3000; i++) {
            for (volatile int spin = 0; spin < 20000; spin++)
                ;
            if (i % 100 == 0)
                usleep(1000);
            if (i % 500 == 0)
                dprintf(1, "child: round %d\n", i);
        }
        dprintf(1, "child: done\n");
        return 0;
    }
    dprintf(1, "parent: leaving\n");
    return 5;
}

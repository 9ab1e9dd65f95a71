/* A parent and its child take turns incrementing one counter in an anonymous MAP_SHARED page,
 * passing the turn through two pipes: the child finds 1, 3, 5, ... and makes it 2, 4, 6, ...
 * Going back in the child must show the counter as it was then, in the page both share. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define TURNS 6

int main(void)
{
    int *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int to_child[2], to_parent[2];
    char token = 't';
    if (counter == MAP_FAILED || pipe(to_child) != 0 || pipe(to_parent) != 0)
        return 1;
    if (fork() == 0) {
        for (int i = 0; i < TURNS; i++) {
            read(to_child[0], &token, 1);
            int seen = ++*counter; // L:child_increment
            printf("child saw %d\n", seen);
            fflush(stdout);
            write(to_parent[1], &token, 1);
        }
        return 0;
    }
    for (int i = 0; i < TURNS; i++) {
        ++*counter;
        write(to_child[1], &token, 1);
        read(to_parent[0], &token, 1);
    }
    wait(NULL);
    printf("parent: counter %d\n", *counter);
    return 0;
}

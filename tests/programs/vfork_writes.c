// A vfork child writes into its parent's memory beyond the stack (a global, the heap) and into
// a local of the parent's frame, then execs; the parent prints what it finds. vfork(2): the child
// runs in the parent's address space, which replay gives it no more (it is a process of its own).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char note[64] = "untouched";

int main(void)
{
    char *heap = malloc(4096);
    strcpy(heap, "heap untouched");
    volatile int local = 1;
    pid_t child = vfork();
    if (child == 0) {
        strcpy(note, "written by the vfork child");
        strcpy(heap, "heap written by the vfork child");
        local = 2;
        execl("/bin/echo", "echo", "the child exec'd", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    printf("note: %s\nheap: %s\nlocal: %d\nchild exited %d\n", note, heap, local, WEXITSTATUS(status));
    return 0;
}

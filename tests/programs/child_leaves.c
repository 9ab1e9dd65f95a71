// A child does what Rewind cannot record (asynchronous I/O, whose completions the kernel writes
// outside any syscall): it leaves the recording and runs on unrecorded, printing what it got and
// exiting 5, while its parent is recorded on to its end.
#include <linux/aio_abi.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    printf("parent: before the child\n");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        aio_context_t context = 0;
        long r = syscall(SYS_io_setup, 8, &context);
        printf("child: io_setup returned %ld, %s\n", r, context != 0 ? "a context set up" : "no context");
        fflush(stdout);
        syscall(SYS_io_destroy, context);
        _exit(5);
    }
    int status;
    waitpid(child, &status, 0);
    printf("parent: the child exited %d\n", WEXITSTATUS(status));
    return 0;
}

// Syscalls Rewind withholds (answers ENOSYS, as a kernel built without them): the program asks
// for asynchronous I/O, io_uring, userfaultfd, bpf and a perf counter, and falls back as a
// program does on such a kernel. Natively each may exist; under Rewind each says ENOSYS.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long ask(const char *name, long result)
{
    printf("%s: %s\n", name, result >= 0 ? "available" : errno == ENOSYS ? "not available, falling back" : strerror(errno));
    return result;
}

int main(void)
{
    unsigned long ctx = 0;
    char params[120] = { 0 };
    struct perf_event_attr attr = { .type = PERF_TYPE_SOFTWARE, .size = sizeof attr, .config = PERF_COUNT_SW_TASK_CLOCK };
    char bpf[128] = { 0 };
    if (ask("io_setup", syscall(__NR_io_setup, 8, &ctx)) == 0)
        syscall(__NR_io_destroy, ctx);
    long fd;
    if ((fd = ask("io_uring_setup", syscall(__NR_io_uring_setup, 8, params))) >= 0)
        close((int)fd);
    if ((fd = ask("userfaultfd", syscall(__NR_userfaultfd, 0))) >= 0)
        close((int)fd);
    ask("bpf", syscall(__NR_bpf, 0, bpf, sizeof bpf));
    if ((fd = ask("perf_event_open", syscall(__NR_perf_event_open, &attr, 0, -1, -1, 0))) >= 0)
        close((int)fd);
    printf("done\n");
    return 0;
}

/* A debuggee for the gdb and DAP tests of one process of a trace: the parent forks a worker,
 * which crashes (SIGSEGV, a write through a null pointer) two frames below its entry, while the
 * parent goes on and reports it. Debugged with --pid / "pid": the worker's own session. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int total;

static void add(int *slot, int value)
{
    total += value; // L:add_total
    *slot = value; // L:add_write
}

static void work(int *slots[], int n)
{
    for (int i = 0; i < n; i++) {
        add(slots[i], i * 10); // L:work_call
    }
}

int main(void)
{
    int a = 0, b = 0;
    int *slots[] = { &a, &b, NULL };
    pid_t worker = fork();
    if (worker == 0) {
        work(slots, 3); // L:worker_work
        return 0;
    }
    int status;
    waitpid(worker, &status, 0);
    printf("worker ended by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 0;
}

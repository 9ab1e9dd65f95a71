// A child does what Rewind cannot record (System V shared memory): it leaves the recording and
// runs on unrecorded, printing what it wrote there and exiting 5, while its parent is recorded
// on to its end.
#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    printf("parent: before the child\n");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
        char *shared = shmat(id, NULL, 0);
        strcpy(shared, "written to System V shared memory");
        printf("child: %s\n", shared);
        fflush(stdout);
        shmdt(shared);
        shmctl(id, IPC_RMID, NULL);
        _exit(5);
    }
    int status;
    waitpid(child, &status, 0);
    printf("parent: the child exited %d\n", WEXITSTATUS(status));
    return 0;
}

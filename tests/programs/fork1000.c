// Forks 1000 children that exit at once; waits for each and sums their statuses.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int forked = 0, waited = 0, sum = 0;
    for (int i = 0; i < 1000; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            break;
        }
        if (pid == 0)
            _exit(i % 7);
        forked++;
        int status;
        if (waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
            waited++;
            sum += WEXITSTATUS(status);
        }
    }
    printf("forked: %d\n", forked);
    printf("waited: %d\n", waited);
    printf("status_sum: %d\n", sum);
    fprintf(stderr, "fork1000: done\n");
    return 0;
}

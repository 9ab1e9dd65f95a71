/* A parent and its child write to the same stdout, interleaved: replay must show the lines in
 * the order they were written (the run decides it; the recording keeps it). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t child = fork();
    for (int i = 0; i < 20; i++) {
        printf("%s %d\n", child ? "parent" : "child", i);
        usleep(child ? 1000 : 1300);
    }
    if (child) {
        waitpid(child, NULL, 0);
        fprintf(stderr, "both done\n");
    }
    return 0;
}

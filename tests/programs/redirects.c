/* Moves its own stdout and stderr around and writes through every kind of descriptor: replay
 * must show exactly what reached the real stdout and stderr, each on its own stream, also
 * through the streams opened again by name (/dev/stdout, /proc/self/fd/2). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(int fd, const char *text) { write(fd, text, strlen(text)); }

int main(void)
{
    say(1, "1: plain stdout\n");
    say(2, "2: plain stderr\n");

    int copy = dup(1);
    say(copy, "3: through dup(1)\n");
    int high = fcntl(2, F_DUPFD_CLOEXEC, 40);
    say(high, "4: through F_DUPFD_CLOEXEC of stderr\n");

    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    say(1, "never shown: stdout on /dev/null\n");
    struct iovec parts[] = { { "never ", 6 }, { "shown\n", 6 } };
    writev(1, parts, 2);
    dup2(copy, 1);
    say(1, "5: stdout back\n");

    dup2(2, 1);
    say(1, "6: fd 1 onto stderr\n");
    dup2(copy, 1);

    close(2);
    int reused = open("/dev/null", O_WRONLY);
    say(reused, "never shown: fd 2 reused for /dev/null\n");
    dup2(high, 2);
    say(2, "7: stderr back\n");

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        execl("/bin/sh", "sh", "-c", "echo 8: child stdout; echo 9: child stderr >&2; echo never shown >/dev/null", (char *)0);
        _exit(127);
    }
    waitpid(child, NULL, 0);

    struct iovec tail[] = { { "10: ", 4 }, { "writev ", 7 }, { "on a dup\n", 9 } };
    writev(copy, tail, 3);

    int byname = open("/dev/stdout", O_WRONLY | O_APPEND);
    say(byname, "11: through /dev/stdout\n");
    int proc = open("/proc/self/fd/2", O_WRONLY | O_APPEND);
    say(proc, "12: through /proc/self/fd/2\n");
    say(1, "13: ");
    for (const char *c = "one open for every letter"; *c; c++) {
        int once = open("/dev/stdout", O_WRONLY | O_APPEND);
        write(once, c, 1);
        close(once);
    }
    say(byname, "\n14: the first /dev/stdout again\n");
    return 0;
}

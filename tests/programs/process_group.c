/* Its process group and session as it finds them, then setsid: a process run by a script or
 * another program is in its parent's group, not leading one, and setsid makes it a session
 * leader; one run as a shell's job, or as a session leader, leads its group, and setsid answers
 * EPERM. Its child is in its group. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *yes(int b) { return b ? "yes" : "no"; }

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pid_t pid = getpid();
    int group = getpgrp() == pid, session = getsid(0) == pid;
    printf("leads its group: %s, its session: %s\n", yes(group), yes(session));
    pid_t s = setsid();
    printf("setsid: %s\n", s == pid ? "a session of its own" : strerror(errno));
    group = getpgrp() == pid;
    session = getsid(0) == pid;
    printf("now leads its group: %s, its session: %s\n", yes(group), yes(session));
    if (fork() == 0) {
        int joined = getpgrp() == pid && getsid(0) == getsid(pid);
        printf("child: in its parent's group and session: %s\n", yes(joined));
        return 0;
    }
    wait(NULL);
    return 0;
}

// A job that works relative to its working directory with its own umask: resumed from
// anywhere, it must still be in its directory, and create files with the same mode.
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

int main(int argc, char **argv)
{
    if (argc < 2 || chdir(argv[1]) != 0) {
        perror("chdir");
        return 1;
    }
    umask(027);
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 150; i++) {
        printf("step %d\n", i);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    int fd = open("made-here", O_CREAT | O_WRONLY | O_TRUNC, 0666);
    struct stat st;
    fstat(fd, &st);
    char cwd[4096];
    getcwd(cwd, sizeof cwd);
    printf("created made-here with mode %o in %s\n", st.st_mode & 0777, cwd);
    return 0;
}

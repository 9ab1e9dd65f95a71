// Changes the file system in its working directory: creates, renames, unlinks, makes a
// directory and a symlink. Replay must do none of it again.
// Usage: fsops   (expects old.txt and doomed.txt in the working directory)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char *what, int rc)
{
    printf("%s: %s\n", what, rc == 0 ? "ok" : strerror(errno));
}

int main(void)
{
    int fd = open("created.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
    report("create created.txt", fd >= 0 ? 0 : -1);
    if (fd >= 0) {
        report("write created.txt", write(fd, "new file\n", 9) == 9 ? 0 : -1);
        close(fd);
    }
    report("rename old.txt renamed.txt", rename("old.txt", "renamed.txt"));
    report("unlink doomed.txt", unlink("doomed.txt"));
    report("mkdir newdir", mkdir("newdir", 0755));
    report("symlink newlink", symlink("renamed.txt", "newlink"));
    report("truncate renamed.txt", truncate("renamed.txt", 3));
    fprintf(stderr, "fsops: done\n");
    return 0;
}

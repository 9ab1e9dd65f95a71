// Appends one line to the file named on the command line. Replay must not append again.
// Usage: append FILE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: append FILE\n");
        return 2;
    }
    const char *line = "appended by rewind test\n";
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    ssize_t n = write(fd, line, strlen(line));
    close(fd);
    printf("appended: %zd bytes to %s\n", n, argv[1]);
    fprintf(stderr, "append: done\n");
    return 0;
}

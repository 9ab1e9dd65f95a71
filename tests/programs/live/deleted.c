// A job that keeps its scratch data in a temporary file it deleted at once: only its open
// descriptor keeps the data alive. Resumed, the file's bytes and offset must be there.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    char name[] = "/tmp/rewind-deleted-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) {
        perror("mkstemp");
        return 1;
    }
    unlink(name);
    for (int i = 0; i < 150; i++) {
        char record[16];
        snprintf(record, sizeof record, "record %05d\n", i * 7);
        write(fd, record, strlen(record));
    }
    lseek(fd, 0, SEEK_SET);
    struct timespec pause = {0, 20 * 1000 * 1000};
    long sum = 0;
    for (int i = 0; i < 150; i++) {
        char record[14] = {0};
        if (read(fd, record, 13) != 13) {
            perror("read");
            return 1;
        }
        sum += atol(record + 7);
        printf("step %d %s", i, record);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    printf("sum %ld\n", sum);
    return 0;
}

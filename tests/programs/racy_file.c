// Two threads append lines to one file, without a lock, through write and writev; each line
// carries a counter both bump without a lock. What reaches the file is the interleaving: its
// bytes are checked in replay write by write. Prints the file's line count and hash.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#define LINES 1500

static volatile int counter;
static int fd;

static void *appender(void *arg)
{
    char c = *(char *)arg;
    char line[64];
    for (int i = 0; i < LINES; i++) {
        int n = counter;
        counter = n + 1;
        int length = snprintf(line, sizeof line, " %d\n", n);
        if (c == 'a') {
            char both[80];
            both[0] = c;
            for (int j = 0; j < length; j++)
                both[j + 1] = line[j];
            write(fd, both, (size_t)length + 1);
        } else {
            struct iovec parts[2] = { { &c, 1 }, { line, (size_t)length } };
            writev(fd, parts, 2);
        }
    }
    return NULL;
}

int main(void)
{
    char path[] = "/tmp/racy_file_XXXXXX";
    fd = mkstemp(path);
    if (fd < 0)
        return 2;
    unlink(path);
    pthread_t a, b;
    char ca = 'a', cb = 'b';
    pthread_create(&a, NULL, appender, &ca);
    pthread_create(&b, NULL, appender, &cb);
    pthread_join(a, NULL);
    pthread_join(b, NULL);

    static char back[LINES * 2 * 16];
    ssize_t n = pread(fd, back, sizeof back, 0);
    unsigned long hash = 5381;
    int lines = 0;
    for (ssize_t i = 0; i < n; i++) {
        hash = hash * 33 + (unsigned char)back[i];
        lines += back[i] == '\n';
    }
    printf("%d lines, hash %lx\n", lines, hash);
    return 0;
}

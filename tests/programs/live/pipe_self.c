// A job that talks to itself through a pipe: it writes a few messages ahead and reads one per
// step, so the pipe always holds unread bytes; resumed, the same messages must come out in order.
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int ends[2];
    if (pipe(ends) != 0) {
        perror("pipe");
        return 1;
    }
    char message[32];
    int written = 0;
    for (; written < 5; written++) {
        int n = snprintf(message, sizeof message, "message %03d|", written);
        write(ends[1], message, n);
    }
    struct timespec pause = {0, 20 * 1000 * 1000};
    unsigned long digest = 5381;
    for (int i = 0; i < 150; i++) {
        char got[13] = {0};
        if (read(ends[0], got, 12) != 12) {
            perror("read");
            return 1;
        }
        for (int j = 0; j < 12; j++)
            digest = digest * 33 + (unsigned char)got[j];
        int n = snprintf(message, sizeof message, "message %03d|", written++);
        write(ends[1], message, n);
        printf("step %d got %s\n", i, got);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    printf("digest %lu\n", digest);
    return 0;
}

// A job that talks to itself through named pipes: one FIFO opened at both ends, a reader and a
// writer, and one opened read-write on a single descriptor, both always holding unread
// messages (each step reads one and writes one more). Resumed, both must be open on their
// paths again, holding the same messages in order.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static unsigned long digest = 5381;

int main(void)
{
    unlink("job.fifo");
    unlink("both.fifo");
    if (mkfifo("job.fifo", 0600) != 0 || mkfifo("both.fifo", 0600) != 0) {
        perror("mkfifo");
        return 1;
    }
    // A reader opened without O_NONBLOCK would wait for a writer (fifo(7)).
    int reader = open("job.fifo", O_RDONLY | O_NONBLOCK), writer = open("job.fifo", O_WRONLY);
    fcntl(reader, F_SETFL, 0);
    int both = open("both.fifo", O_RDWR | O_CLOEXEC);
    char message[32];
    int written = 0;
    for (; written < 5; written++) {
        int n = snprintf(message, sizeof message, "named %03d|", written);
        write(writer, message, n);
        n = snprintf(message, sizeof message, "both %03d|", written);
        write(both, message, n);
    }
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 150; i++) {
        char named[16] = {0}, self[16] = {0};
        if (read(reader, named, 10) != 10 || read(both, self, 9) != 9) {
            perror("read");
            return 1;
        }
        for (int j = 0; j < 10; j++)
            digest = digest * 33 + (unsigned char)named[j];
        int n = snprintf(message, sizeof message, "named %03d|", written);
        write(writer, message, n);
        n = snprintf(message, sizeof message, "both %03d|", written++);
        write(both, message, n);
        printf("step %d got %s %s\n", i, named, self);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    printf("reader blocking %d, both close-on-exec %d\n", (fcntl(reader, F_GETFL) & O_NONBLOCK) == 0, (fcntl(both, F_GETFD) & FD_CLOEXEC) != 0);
    printf("digest %lu\n", digest);
    unlink("job.fifo");
    unlink("both.fifo");
    return 0;
}

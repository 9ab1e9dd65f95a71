// Standard input: whatever arrives on fd 0 during the recording must come back in replay
// from the trace, with nothing on stdin.
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char buf[5];
    ssize_t n;
    long total = 0;
    unsigned long sum = 0;
    int reads = 0;
    printf("stdin: ");
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            sum = sum * 33 + (unsigned char)buf[i];
            putchar(buf[i] == '\n' ? '|' : buf[i]);
        }
        total += n;
        reads++;
    }
    printf("\n");
    printf("bytes: %ld\n", total);
    printf("checksum: %lu\n", sum);
    printf("last_read: %zd\n", n);
    fprintf(stderr, "stdin: got %ld bytes\n", total);
    return 0;
}

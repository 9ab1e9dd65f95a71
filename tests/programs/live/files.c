// A job that reads its input a line per step, at the file offset it has reached, and appends a
// line per step to a log opened with O_APPEND: resumed, it must go on at the same line and
// neither lose nor repeat a log line.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: files INPUT LOG STEPS\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    FILE *log = fopen(argv[2], "a");
    if (!in || !log) {
        perror("fopen");
        return 1;
    }
    setvbuf(in, NULL, _IONBF, 0);
    int steps = atoi(argv[3]);
    struct timespec pause = {0, 20 * 1000 * 1000};
    unsigned long total = 0;
    char line[256];
    for (int i = 0; i < steps && fgets(line, sizeof line, in); i++) {
        total += strlen(line);
        fprintf(log, "step %d read %zu bytes\n", i, strlen(line));
        fflush(log);
        printf("step %d\n", i);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    printf("read %lu bytes in all, input at offset %ld\n", total, ftell(in));
    return 0;
}

// Rewind.Core.Tests end-to-end debuggee: copies a file into another, upper-cased, through write
// and writev, and prints only the byte count. What it read decides what it writes to the file and
// nothing else: a replay fed other bytes (a tampered trace) writes other bytes there.
// usage: transform IN OUT
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    char text[4096];
    int in = open(argv[1], O_RDONLY);
    ssize_t n = in < 0 ? -1 : read(in, text, sizeof text);
    if (n < 2)
        return 3;
    close(in);
    for (ssize_t i = 0; i < n; i++)
        text[i] = (char)toupper((unsigned char)text[i]);
    int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    struct iovec halves[2] = { { text, (size_t)n / 2 }, { text + n / 2, (size_t)(n - n / 2) } };
    if (out < 0 || write(out, text, (size_t)n) != n || writev(out, halves, 2) != n)
        return 4;
    close(out);
    printf("copied %zd bytes twice\n", n);
    return 0;
}

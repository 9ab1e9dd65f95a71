/* Syscalls whose outputs are easy to miss: a socket address's size asked for with a NULL
 * buffer (the kernel writes only the length), and a file's write-life hint. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef F_GET_RW_HINT
#define F_GET_RW_HINT 1035
#define F_SET_RW_HINT 1036
#endif

int main(void)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof addr.sun_path, "@rewind-kw-%d", (int)getpid() % 7);
    addr.sun_path[0] = 0; /* abstract: nothing on disk */
    socklen_t bound = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 12);
    bind(fd, (struct sockaddr *)&addr, bound);
    socklen_t len = 0;
    int r = getsockname(fd, NULL, &len);
    printf("getsockname(NULL) = %d, length %u\n", r, (unsigned)len);

    int file = open("hint.txt", O_CREAT | O_RDWR | O_TRUNC, 0600);
    uint64_t hint = 2; /* RWH_WRITE_LIFE_SHORT */
    fcntl(file, F_SET_RW_HINT, &hint);
    uint64_t got = 99;
    r = fcntl(file, F_GET_RW_HINT, &got);
    printf("F_GET_RW_HINT = %d, hint %llu\n", r, (unsigned long long)got);
    unlink("hint.txt");
    return 0;
}

// Randomness from the kernel: getrandom() and reads of /dev/urandom.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

static void hex(const char *name, const unsigned char *p, size_t n)
{
    printf("%s: ", name);
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

int main(void)
{
    unsigned char buf[32];
    ssize_t n = getrandom(buf, 16, 0);
    printf("getrandom_count: %zd\n", n);
    hex("getrandom", buf, 16);
    n = getrandom(buf, 32, GRND_NONBLOCK);
    printf("getrandom_nonblock_count: %zd\n", n);
    hex("getrandom_nonblock", buf, 32);

    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0) {
        perror("open /dev/urandom");
        return 1;
    }
    n = read(fd, buf, 24);
    close(fd);
    printf("urandom_count: %zd\n", n);
    hex("urandom", buf, 24);

    // Seed the libc generator from the kernel's bytes: its whole sequence must replay.
    srandom(buf[0] | buf[1] << 8 | buf[2] << 16);
    printf("random: %ld %ld %ld\n", random(), random(), random());
    fprintf(stderr, "random: drew %d bytes\n", 16 + 32 + 24);
    return 0;
}

/* Mappings of three pages of a 5000-byte file: private and shared through a descriptor open for
 * reading only (mapped first: replay maps copies of the file), then private and shared through
 * one open for writing (replay maps its stand-in). The tail of the last file page reads as zeros;
 * the page past it raises SIGBUS (caught, left with siglongjmp) until the file grows by ftruncate,
 * then shows what is written there with pwrite; what a shared mapping wrote past the old end
 * shows once the file grows over it on tmpfs, not on ext4; a write through the shared mapping
 * shows in the private one that has not written that page; when the file shrinks again, the
 * pages past its end raise SIGBUS again, even one the private mapping wrote. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static sigjmp_buf escape;

static void on_sigbus(int sig)
{
    (void)sig;
    siglongjmp(escape, 1);
}

static unsigned sum(const unsigned char *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s = s * 31 + p[i];
    return s;
}

/* Reads one byte through a mapping, or says that the read raised SIGBUS. */
static void touch(const char *what, const volatile unsigned char *p)
{
    if (sigsetjmp(escape, 1) == 0) {
        unsigned char c = *p;
        printf("%s: reads %d\n", what, c);
    } else {
        printf("%s: SIGBUS\n", what);
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGBUS, on_sigbus);
    int fd = open("data.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
    unsigned char content[5000];
    for (int i = 0; i < 5000; i++)
        content[i] = (unsigned char)(i * 7 + 1);
    write(fd, content, sizeof content);
    int fd_read = open("data.bin", O_RDONLY);
    unsigned char *copy = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd_read, 0);
    unsigned char *copy_shared = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd_read, 0);
    unsigned char *priv = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    unsigned char *shared = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (priv == MAP_FAILED || shared == MAP_FAILED || copy == MAP_FAILED || copy_shared == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    const char *names[] = {"read-only private", "read-only shared", "private", "shared"};
    unsigned char *maps[] = {copy, copy_shared, priv, shared};
    for (int i = 0; i < 4; i++)
        printf("%s: file bytes sum %u, the rest of the last page sum %u\n", names[i], sum(maps[i], 5000),
               sum(maps[i] + 5000, 2 * PAGE - 5000));

    copy[300] = 41;
    priv[100] = 42;
    priv[6000] = 43;
    shared[4500] = 44;
    shared[7000] = 45;
    printf("read-only private wrote %d; private wrote %d, and %d past the end\n", copy[300], priv[100], priv[6000]);
    printf("byte 4500 through shared: %d, through private (which wrote that page): %d\n", shared[4500], priv[4500]);
    for (int i = 0; i < 4; i++) {
        char what[64];
        snprintf(what, sizeof what, "%s, page past the end", names[i]);
        touch(what, maps[i] + 2 * PAGE + 10);
    }

    ftruncate(fd, 3 * PAGE);
    pwrite(fd, "grown", 5, 2 * PAGE + 10);
    for (int i = 0; i < 4; i++) {
        char what[64];
        snprintf(what, sizeof what, "%s, grown page", names[i]);
        touch(what, maps[i] + 2 * PAGE + 10);
        printf("%s: \"%.5s\" there; byte 7000, past the old end, %d\n", names[i], (const char *)maps[i] + 2 * PAGE + 10, maps[i][7000]);
    }

    pwrite(fd, "rewritten", 9, 200);
    for (int i = 0; i < 4; i++)
        printf("%s after a pwrite of its first page: sum %u\n", names[i], sum(maps[i] + 200, 9));

    ftruncate(fd, PAGE);
    touch("shared, page 1 after the file shrank", shared + PAGE);
    touch("private, page 1 (written) after the file shrank", priv + PAGE);
    touch("private, page 0 after the file shrank", priv + 100);
    unlink("data.bin");
    return 0;
}

/* Memory the kernel changes by itself: pages dropped by madvise read back as zero (anonymous)
 * or as the file (private file mapping); mremap growing in place, moving, to a fixed address and
 * with sizes that are not whole pages; mprotect with PROT_GROWSDOWN; mlock, which makes
 * MADV_DONTNEED fail on the locked pages. Each result is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static unsigned long sum(const unsigned char *p, size_t n)
{
    unsigned long s = 0;
    for (size_t i = 0; i < n; i++)
        s = s * 31 + p[i];
    return s;
}

static void dropped_pages(void)
{
    unsigned char *anon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(anon, 0x5a, 4 * PAGE);
    int r = madvise(anon + PAGE, 2 * PAGE, MADV_DONTNEED);
    printf("anonymous DONTNEED = %d: bytes %d %d %d\n", r, anon[0], anon[PAGE], anon[3 * PAGE]);

    char name[] = "kernel_memory.dat";
    int fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0600);
    for (int i = 0; i < 3 * PAGE; i++)
        write(fd, &(char){ 'a' + i % 26 }, 1);
    unsigned char *file = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memset(file, '#', 3 * PAGE);
    r = madvise(file, 2 * PAGE, MADV_DONTNEED);
    printf("file DONTNEED = %d: %.8s %.8s, sum %lu\n", r, file + 5, file + 2 * PAGE, sum(file, 3 * PAGE));

    /* A private file mapping grown past its first size: the new pages come from the file too. */
    unsigned char *grown = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    grown = mremap(grown, PAGE, 3 * PAGE, MREMAP_MAYMOVE);
    printf("file mapping grown: %.6s, sum %lu\n", grown + 2 * PAGE + 7, sum(grown, 3 * PAGE));
    close(fd);
    unlink(name);
}

static void remaps(void)
{
    unsigned char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 7, PAGE);
    /* Grow with room to move, then to a fixed place, with sizes that are not whole pages. */
    unsigned char *q = mremap(p, PAGE, 5 * PAGE + 123, MREMAP_MAYMOVE);
    q[5 * PAGE + 100] = 9;
    printf("grown by MAYMOVE: %s, bytes %d %d %d\n", q == MAP_FAILED ? strerror(errno) : "ok", q[0], q[4 * PAGE], q[5 * PAGE + 100]);
    unsigned char *target = mmap(NULL, 16 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *f = mremap(q, 6 * PAGE, 8 * PAGE - 1, MREMAP_MAYMOVE | MREMAP_FIXED, target + 4 * PAGE);
    printf("moved to a fixed place: %s, bytes %d %d %d\n", f == target + 4 * PAGE ? "ok" : "elsewhere", f[0], f[5 * PAGE + 100], f[7 * PAGE]);
    unsigned char *s = mremap(f, 8 * PAGE, PAGE + 1, 0);
    printf("shrunk: %s, byte %d\n", s == f ? "in place" : "moved", s[PAGE]);
    unsigned char *bad = mremap(s, PAGE + 1, 3 * PAGE, 0);
    printf("grown in place without room: %s\n", bad == MAP_FAILED ? strerror(errno) : "ok");
}

static void grows_down(void)
{
    unsigned char *stack = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
    int r = mprotect(stack + 3 * PAGE, PAGE, PROT_READ | PROT_GROWSDOWN);
    printf("mprotect PROT_GROWSDOWN = %d (%s)\n", r, r ? strerror(errno) : "ok");
    int w = mprotect(stack + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE);
    printf("mprotect after = %d\n", w);
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[256];
    char want[32];
    snprintf(want, sizeof want, "%lx-", (unsigned long)stack);
    while (fgets(line, sizeof line, maps))
        if (strncmp(line, want, strlen(want)) == 0)
            printf("growsdown region: %.4s\n", line + strcspn(line, " ") + 1);
    fclose(maps);
}

static void locked(void)
{
    unsigned char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 3, 2 * PAGE);
    int r = mlock(p, PAGE);
    int d = madvise(p, 2 * PAGE, MADV_DONTNEED);
    printf("mlock = %d, DONTNEED on a locked page = %d (%s), bytes %d %d\n", r, d, d ? strerror(errno) : "ok", p[0], p[PAGE]);
    r = munlock(p, PAGE);
    d = madvise(p, 2 * PAGE, MADV_DONTNEED);
    printf("munlock = %d, DONTNEED then = %d, bytes %d %d\n", r, d, p[0], p[PAGE]);
    r = mlockall(MCL_CURRENT | MCL_FUTURE);
    unsigned char *later = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    later[0] = 1;
    d = madvise(later, PAGE, MADV_DONTNEED);
    printf("mlockall = %d, DONTNEED on a later mapping = %d, byte %d\n", r, d, later[0]);
    printf("munlockall = %d\n", munlockall());
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* a line per write: a divergence shows where */
    dropped_pages();
    remaps();
    grows_down();
    locked();
    return 0;
}

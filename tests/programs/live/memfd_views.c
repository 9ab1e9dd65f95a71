// A job that keeps code as a JIT does (.NET's "doublemapper"): a sparse memfd of 8 GiB mapped
// twice, shared, where it writes code through a read-write view and runs it through an
// executable one, plus a pair of views far into the file (read-write and read-only), one range
// reserved PROT_NONE and made writable later (mprotect), and its descriptor, through which it maps
// a new view at the end; and a second memfd mapped twice (read-write and read-only) whose
// descriptor it closed, so only its mappings hold it. Resumed, the views must still be one file: each step's code, written
// through one view, runs from the other; the file keeps its size and stays sparse.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GiB (1L << 30)

static void *view(int fd, long offset, int protection)
{
    void *at = mmap(NULL, 4096, protection, MAP_SHARED, fd, offset);
    if (at == MAP_FAILED) {
        perror("mmap");
        _exit(1);
    }
    return at;
}

int main(void)
{
    int fd = memfd_create("views", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, 8 * GiB) != 0) {
        perror("memfd");
        return 1;
    }
    unsigned char *code_rw = view(fd, 0, PROT_READ | PROT_WRITE);
    int (*code)(void) = (int (*)(void))view(fd, 0, PROT_READ | PROT_EXEC);
    long *far_rw = view(fd, 6 * GiB, PROT_READ | PROT_WRITE);
    const long *far_r = view(fd, 6 * GiB, PROT_READ);
    long *reserved = view(fd, 7 * GiB, PROT_NONE);
    int lone = memfd_create("lone", MFD_CLOEXEC);
    if (lone < 0 || ftruncate(lone, 2 * GiB) != 0) {
        perror("memfd");
        return 1;
    }
    long *lone_rw = view(lone, GiB, PROT_READ | PROT_WRITE);
    const long *lone_r = view(lone, GiB, PROT_READ);
    close(lone);
    struct timespec pause = {0, 20 * 1000 * 1000};
    long sum = 0;
    for (int step = 0; step < 150; step++) {
        // mov eax, step*3; ret
        uint32_t value = (uint32_t)step * 3;
        code_rw[0] = 0xb8;
        memcpy(code_rw + 1, &value, 4);
        code_rw[5] = 0xc3;
        __builtin___clear_cache((char *)code, (char *)code + 6);
        far_rw[step] = (long)step * step;
        lone_rw[step] = step + 7;
        sum += code() + far_r[step] + lone_r[step];
        printf("step %d code %d far %ld lone %ld\n", step, code(), far_r[step], lone_r[step]);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    if (mprotect(reserved, 4096, PROT_READ | PROT_WRITE) != 0) {
        perror("mprotect");
        return 1;
    }
    reserved[0] = sum;
    const long *again = view(fd, 7 * GiB, PROT_READ);
    struct stat st;
    fstat(fd, &st);
    printf("sum %ld, read again %ld, size %ld GiB, sparse %s\n", sum, again[0], (long)(st.st_size / GiB), st.st_blocks * 512 < (1 << 20) ? "yes" : "no");
    return 0;
}

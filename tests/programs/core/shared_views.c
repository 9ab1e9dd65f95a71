// Two views of one file, as a JIT keeps them (.NET's W^X double mapping): code is written
// through a read-write view of a memfd and run through an executable view of the same pages,
// and a read-only view shows every write. The memfd is a gigabyte of holes around one page.
// Prints the read-only view's address, then one line per round: the value the code returned
// and the byte the read-only view shows.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    int fd = memfd_create("jit", 0);
    long offset = 1 << 20;
    if (fd < 0 || ftruncate(fd, 1L << 30) != 0)
        return 1;
    unsigned char *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
    unsigned char *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, offset);
    unsigned char *rx = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, offset);
    if (rw == MAP_FAILED || ro == MAP_FAILED || rx == MAP_FAILED)
        return 2;
    printf("view %p\n", (void *)ro);
    fflush(stdout);
    for (int round = 1; round <= 3; round++)
    {
        // mov eax, imm32; ret
        unsigned char code[] = {0xb8, (unsigned char)(round * 7), 0, 0, 0, 0xc3};
        memcpy(rw + 64, code, sizeof code);
        rw[0] = (unsigned char)round;
        int value = ((int (*)(void))(rx + 64))();
        printf("round %d: code %d, view %d\n", round, value, ro[0]);
        fflush(stdout);
    }
    return 0;
}

/* Code in a memfd, run from a shared read-execute view and written through read-write views, as
 * a W^X JIT does (.NET's doublemapper): five functions at 16-byte steps, each returning its
 * number, called in three rounds, back and forth. Between rounds the program maps a fresh read-write view of
 * the code, patches one byte nowhere near the functions and unmaps it, as the runtime does
 * whenever it writes code. Replay writes a view's recorded bytes into the file it stands in with
 * at each such mapping, under every view of the file: five breakpoints on the functions (four
 * in debug registers, the fifth an int3 in the file) must each hit every round, backward too. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CODE_ADDRESS ((void *)0x610000000000)
#define FUNCTIONS 5

int main(void)
{
    int fd = memfd_create("code", 0);
    if (fd < 0 || ftruncate(fd, 4096) != 0)
        return 1;
    unsigned char *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void *rx = mmap(CODE_ADDRESS, 4096, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    if (rw == MAP_FAILED || rx != CODE_ADDRESS)
        return 1;
    for (int i = 0; i < FUNCTIONS; i++)
    {
        // mov eax, i; ret
        unsigned char function[] = {0xb8, (unsigned char)i, 0, 0, 0, 0xc3};
        memcpy(rw + 16 * i, function, sizeof function);
    }
    munmap(rw, 4096);
    int sum = 0;
    for (int round = 0; round < 3; round++)
    {
        // Back and forth: each round starts with the function the last one ended with, whose
        // breakpoint gdb inserts last when it goes on from there, so that one takes the int3.
        for (int k = 0; k < FUNCTIONS; k++)
        {
            int i = round % 2 == 0 ? k : FUNCTIONS - 1 - k;
            sum += ((int (*)(void))((unsigned char *)rx + 16 * i))();
        }
        unsigned char *view = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (view == MAP_FAILED)
            return 1;
        view[2048] = (unsigned char)round;
        munmap(view, 4096);
    }
    printf("sum %d\n", sum);
    return 0;
}

// Code run from a shared read-execute view of a memfd that the program writes through a
// read-write view, as a W^X JIT does (.NET's doublemapper): two threads spin in it, so the
// recorder preempts them there, and replay must find those places in memory it cannot write.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef unsigned long (*spin_fn)(unsigned long);
static spin_fn spin;

// rdi: iterations; returns a mix of them (x = x * 5 + i + 0x12345, 64-bit). The add of an
// immediate is long enough for replay's probe, as a JIT's code has such instructions.
static const unsigned char code[] = {
    0x31, 0xc0,                         // xor eax, eax
    0x31, 0xc9,                         // xor ecx, ecx
    0x48, 0x8d, 0x04, 0x80,             // loop: lea rax, [rax + rax*4]
    0x48, 0x01, 0xc8,                   // add rax, rcx
    0x48, 0x05, 0x45, 0x23, 0x01, 0x00, // add rax, 0x12345
    0x48, 0xff, 0xc1,                   // inc rcx
    0x48, 0x39, 0xf9,                   // cmp rcx, rdi
    0x72, 0xeb,                         // jb loop
    0xc3,                               // ret
};

static void *worker(void *arg)
{
    unsigned long r = spin((unsigned long)arg);
    return (void *)r;
}

int main(void)
{
    int fd = memfd_create("jit", 0);
    if (fd < 0 || ftruncate(fd, 4096) != 0)
        return 1;
    unsigned char *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void *rx = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    if (rw == MAP_FAILED || rx == MAP_FAILED)
        return 1;
    memcpy(rw, code, sizeof code);
    spin = (spin_fn)rx;
    pthread_t a, b;
    pthread_create(&a, NULL, worker, (void *)300000000UL);
    pthread_create(&b, NULL, worker, (void *)200000000UL);
    void *ra, *rb;
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    printf("a %lx b %lx\n", (unsigned long)ra, (unsigned long)rb);
    return 0;
}

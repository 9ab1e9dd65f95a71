// The memory layout: addresses of a stack variable, heap blocks, a big mmap, code,
// data, TLS and libc. Replay must put everything at the same place.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int global_data = 42;
static int global_bss;

int main(void)
{
    int local = 1;
    void *small = malloc(64);
    void *large = malloc(1 << 20);
    void *map = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("stack: %p\n", (void *)&local);
    printf("malloc_small: %p\n", small);
    printf("malloc_large: %p\n", large);
    printf("mmap_64m: %p\n", map);
    printf("main: %p\n", (void *)main);
    printf("data: %p\n", (void *)&global_data);
    printf("bss: %p\n", (void *)&global_bss);
    printf("brk: %p\n", sbrk(0));
    printf("libc_printf: %p\n", (void *)printf);
    printf("tls_errno: %p\n", (void *)&errno);

    // Touch the mapping so its pages exist; the sum must replay too.
    unsigned char *p = map;
    for (size_t i = 0; i < (64u << 20); i += 4096)
        p[i] = (unsigned char)(i / 4096);
    unsigned long sum = 0;
    for (size_t i = 0; i < (64u << 20); i += 4096)
        sum += p[i];
    printf("mapped_sum: %lu\n", sum + (unsigned long)global_data + (unsigned long)global_bss);
    fprintf(stderr, "layout: stack at %p\n", (void *)&local);
    munmap(map, 64 << 20);
    free(large);
    free(small);
    return 0;
}

/* Writes machine code into anonymous memory at run time, as a JIT does, and calls it twice,
 * writing it again between the calls. As a runtime's code heap, the memory is reserved first
 * (PROT_NONE) and made writable and executable later, when the code is written. A breakpoint on
 * that code must hit both calls going forward and going back, whether set from a moment before
 * the memory exists or while it is only reserved: a debug register, since an int3 would have no
 * memory to go into, or would be written over with the code. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define CODE_ADDRESS ((void *)0x600000000000)

int main(void)
{
    printf("before the code\n"); // L:before
    // mov eax, edi; add eax, eax; ret: twice its argument.
    static const unsigned char twice[] = {0x89, 0xf8, 0x01, 0xc0, 0xc3};
    unsigned char *code = mmap(CODE_ADDRESS, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (code != CODE_ADDRESS)
        return 1;
    printf("code reserved\n"); // L:reserved
    if (mprotect(code, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
        return 1;
    memcpy(code, twice, sizeof twice);
    int (*call)(int) = (int (*)(int))code;
    int first = call(3); // L:first
    memcpy(code, twice, sizeof twice);
    int second = call(18); // L:second
    printf("%d %d\n", first, second);
    return 0;
}

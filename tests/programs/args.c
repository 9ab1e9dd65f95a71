// What the kernel hands a new program: argv, envp and the auxiliary vector
// (including the 16 random bytes at AT_RANDOM).
#include <elf.h>
#include <stdio.h>
#include <sys/auxv.h>

int main(int argc, char **argv, char **envp)
{
    printf("argc: %d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]: [%s]\n", i, argv[i]);
    char **e = envp;
    int n = 0;
    for (; *e != NULL; e++, n++)
        printf("env[%d]: %s\n", n, *e);
    printf("envc: %d\n", n);

    // The auxv follows envp's terminating NULL on the initial stack.
    Elf64_auxv_t *aux = (Elf64_auxv_t *)(e + 1);
    int a = 0;
    for (; aux->a_type != AT_NULL; aux++, a++)
        printf("auxv[%d]: type=%lu value=0x%lx\n", a, (unsigned long)aux->a_type,
               (unsigned long)aux->a_un.a_val);
    printf("auxc: %d\n", a);

    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    printf("at_random: ");
    for (int i = 0; i < 16; i++)
        printf("%02x", rnd[i]);
    printf("\n");
    printf("at_pagesz: %lu\n", getauxval(AT_PAGESZ));
    printf("at_execfn: %s\n", (const char *)getauxval(AT_EXECFN));
    printf("at_platform: %s\n", (const char *)getauxval(AT_PLATFORM));
    fprintf(stderr, "args: %d args, %d env, %d auxv\n", argc, n, a);
    return 0;
}

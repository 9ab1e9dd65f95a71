/* Reads the vDSO's ELF dynamic symbols the way the kernel's parse_vdso.c does (auxv's
 * AT_SYSINFO_EHDR, PT_DYNAMIC, DT_HASH, DT_SYMTAB, DT_STRTAB, DT_VERSYM, DT_VERDEF) and calls the
 * functions it finds, then glibc's, which call them too; /proc/self/maps names it [vdso]. */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/time.h>
#include <time.h>

static const char *strtab;
static const Elf64_Sym *symtab;
static const Elf64_Word *hash;
static const Elf64_Versym *versym;
static const Elf64_Verdef *verdef;
static unsigned long bias;

static int version_is(int index, const char *name)
{
    if (!versym)
        return 1;
    int want = versym[index] & 0x7fff;
    for (const Elf64_Verdef *d = verdef;; d = (const Elf64_Verdef *)((const char *)d + d->vd_next)) {
        if (!(d->vd_flags & VER_FLG_BASE) && (d->vd_ndx & 0x7fff) == want) {
            const Elf64_Verdaux *aux = (const Elf64_Verdaux *)((const char *)d + d->vd_aux);
            return strcmp(strtab + aux->vda_name, name) == 0;
        }
        if (!d->vd_next)
            return 0;
    }
}

static void *lookup(const char *name)
{
    unsigned long h = 0;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        h = (h << 4) + *c;
        unsigned long g = h & 0xf0000000;
        if (g)
            h ^= g >> 24;
        h &= ~g;
    }
    Elf64_Word nbucket = hash[0];
    const Elf64_Word *bucket = hash + 2, *chain = bucket + nbucket;
    for (Elf64_Word i = bucket[h % nbucket]; i; i = chain[i]) {
        const Elf64_Sym *s = symtab + i;
        if (ELF64_ST_TYPE(s->st_info) == STT_FUNC && s->st_shndx != SHN_UNDEF &&
            strcmp(strtab + s->st_name, name) == 0 && version_is(i, "LINUX_2.6"))
            return (void *)(bias + s->st_value);
    }
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const Elf64_Ehdr *ehdr = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
    if (!ehdr) {
        puts("no vDSO");
        return 1;
    }
    printf("vDSO: ELF %s\n", memcmp(ehdr->e_ident, ELFMAG, SELFMAG) == 0 ? "yes" : "no");
    char line[512];
    unsigned long start = 0;
    FILE *maps = fopen("/proc/self/maps", "r");
    while (maps && fgets(line, sizeof line, maps))
        if (strstr(line, "[vdso]"))
            sscanf(line, "%lx", &start);
    printf("[vdso] in /proc/self/maps at AT_SYSINFO_EHDR: %s\n", start == (unsigned long)ehdr ? "yes" : "no");
    const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)ehdr + ehdr->e_phoff);
    const Elf64_Dyn *dyn = NULL;
    int loaded = 0;
    for (int i = 0; i < ehdr->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !loaded) {
            bias = (unsigned long)ehdr + ph[i].p_offset - ph[i].p_vaddr;
            loaded = 1;
        } else if (ph[i].p_type == PT_DYNAMIC) {
            dyn = (const Elf64_Dyn *)((const char *)ehdr + ph[i].p_offset);
        }
    }
    for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
        void *p = (void *)(bias + dyn->d_un.d_ptr);
        switch (dyn->d_tag) {
        case DT_STRTAB: strtab = p; break;
        case DT_SYMTAB: symtab = p; break;
        case DT_HASH: hash = p; break;
        case DT_VERSYM: versym = p; break;
        case DT_VERDEF: verdef = p; break;
        }
    }
    if (!strtab || !symtab || !hash) {
        puts("vDSO: no dynamic symbols");
        return 1;
    }
    int (*vgettime)(clockid_t, struct timespec *) = lookup("__vdso_clock_gettime");
    int (*vgettimeofday)(struct timeval *, void *) = lookup("__vdso_gettimeofday");
    time_t (*vtime)(time_t *) = lookup("__vdso_time");
    long (*vgetcpu)(unsigned *, unsigned *, void *) = lookup("__vdso_getcpu");
    int (*vgetres)(clockid_t, struct timespec *) = lookup("__vdso_clock_getres");
    printf("found: clock_gettime %d, gettimeofday %d, time %d, getcpu %d, clock_getres %d\n",
           !!vgettime, !!vgettimeofday, !!vtime, !!vgetcpu, !!vgetres);
    if (!vgettime || !vgettimeofday || !vtime || !vgetcpu || !vgetres)
        return 1;

    struct timespec a, b, res;
    struct timeval tv;
    int r1 = vgettime(CLOCK_MONOTONIC, &a);
    int r2 = vgettime(CLOCK_REALTIME, &b);
    int r3 = vgettimeofday(&tv, NULL);
    time_t t = vtime(NULL);
    unsigned cpu = ~0u, node = ~0u;
    long r4 = vgetcpu(&cpu, &node, NULL);
    int r5 = vgetres(CLOCK_MONOTONIC, &res);
    printf("results: %d %d %d %ld %d\n", r1, r2, r3, r4, r5);
    printf("realtime after 2020: %d %d %d\n", b.tv_sec > 1577836800, tv.tv_sec > 1577836800, t > 1577836800);
    printf("cpu plausible: %d, resolution positive: %d\n", cpu < 4096, res.tv_sec > 0 || res.tv_nsec > 0);

    struct timespec c;
    clock_gettime(CLOCK_MONOTONIC, &c);
    long long ns = (c.tv_sec - a.tv_sec) * 1000000000LL + (c.tv_nsec - a.tv_nsec);
    printf("glibc after vDSO monotonic: %d\n", ns >= 0);
    printf("recorded values: %lld.%09ld %ld %ld\n", (long long)a.tv_sec, a.tv_nsec, (long)t, (long)tv.tv_usec);
    return 0;
}

// Syscalls the kernel answers for the program alone, once refused by Rewind: kernel keys
// (keyctl), disk quotas, an LDT entry and a TLS descriptor of the thread's own (loaded into a
// segment register, which faults if replay lacks them), port access asked for and given up, and
// ptrace of a process the program does not trace. Each prints what the kernel answered.
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <errno.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/quota.h>
#include <sys/syscall.h>
#include <unistd.h>

static void keys(void)
{
    long id = syscall(__NR_add_key, "user", "rewind-test", "payload", 7, KEY_SPEC_PROCESS_KEYRING);
    if (id < 0) {
        printf("add_key: %s\n", strerror(errno));
        return;
    }
    char buf[128] = { 0 };
    long n = syscall(__NR_keyctl, KEYCTL_DESCRIBE, id, buf, sizeof buf - 1);
    // "type;uid;gid;perm;description": the uid and gid are the user's, the same in every run.
    printf("describe: %ld bytes, ends %s\n", n, strrchr(buf, ';'));
    memset(buf, 0, sizeof buf);
    n = syscall(__NR_keyctl, KEYCTL_READ, id, buf, sizeof buf);
    printf("read: %ld bytes \"%s\"\n", n, buf);
    n = syscall(__NR_keyctl, KEYCTL_READ, id, buf, 3);
    printf("read into 3 bytes: %ld\n", n);
    printf("revoke: %ld\n", syscall(__NR_keyctl, KEYCTL_REVOKE, id));
    errno = 0;
    n = syscall(__NR_keyctl, KEYCTL_READ, id, buf, sizeof buf);
    printf("read revoked: %ld %s\n", n, strerror(errno));
}

static void descriptors(void)
{
    struct user_desc ldt = { .entry_number = 0, .base_addr = 0, .limit = 0xfffff, .seg_32bit = 1, .limit_in_pages = 1, .useable = 1 };
    printf("modify_ldt write: %ld\n", syscall(__NR_modify_ldt, 1, &ldt, sizeof ldt));
    unsigned char table[16];
    memset(table, 0xaa, sizeof table);
    long n = syscall(__NR_modify_ldt, 0, table, sizeof table);
    printf("modify_ldt read: %ld bytes:", n);
    for (long i = 0; i < n; i++)
        printf(" %02x", table[i]);
    printf("\n");
    unsigned short selector = 0 << 3 | 4 | 3, loaded; // LDT entry 0, RPL 3
    __asm__ volatile("mov %1, %%gs; mov %%gs, %0; mov %2, %%gs" : "=r"(loaded) : "r"(selector), "r"(0));
    printf("loaded LDT selector 0x%x\n", loaded);

    struct user_desc tls = { .entry_number = -1, .base_addr = 0, .limit = 0xfffff, .seg_32bit = 1, .limit_in_pages = 1, .useable = 1 };
    errno = 0;
    long set = syscall(__NR_set_thread_area, &tls);
    printf("set_thread_area: %ld %s, entry %d\n", set, strerror(errno), (int)tls.entry_number);
    if (set == 0) {
        selector = tls.entry_number << 3 | 3;
        __asm__ volatile("mov %1, %%gs; mov %%gs, %0; mov %2, %%gs" : "=r"(loaded) : "r"(selector), "r"(0));
        printf("loaded TLS selector 0x%x\n", loaded);
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    keys();
    int format;
    errno = 0;
    long quota = syscall(__NR_quotactl, QCMD(Q_GETFMT, USRQUOTA), "/nonexistent", 0, &format);
    printf("quotactl Q_GETFMT: %ld %s\n", quota, strerror(errno));
    descriptors();
    printf("iopl(0): %ld\n", syscall(__NR_iopl, 0));
    printf("ioperm off: %ld\n", syscall(__NR_ioperm, 0x80, 1, 0));
    errno = 0;
    long word = ptrace(PTRACE_PEEKDATA, getppid(), (void *)0x1000, 0);
    printf("ptrace of an untraced process: %ld %s\n", word, strerror(errno));
    return 0;
}

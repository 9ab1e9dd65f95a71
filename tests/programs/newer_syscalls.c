// Syscalls of Linux 6.5 to 6.17, which the installed headers may not name: cachestat of a file,
// mseal of a page (after which mprotect and munmap of it fail with EPERM, in replay as well),
// listmount and statmount, the LSM ids, the *xattrat family and file_getattr. Each prints what
// the kernel answered, read from the memory it wrote, or the error where this kernel refuses.
//     newer_syscalls               all of them
//     newer_syscalls seal MS       mseal only, sleeping MS milliseconds in 1 ms naps between the
//                                  seal and the mprotect, for checkpoints to fall between them
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { Cachestat = 451, Statmount = 457, Listmount = 458, LsmGetSelfAttr = 459, LsmListModules = 461, Mseal = 462,
       Setxattrat = 463, Getxattrat = 464, Listxattrat = 465, Removexattrat = 466, FileGetattr = 468 };

// linux/mman.h, linux/mount.h, linux/xattr.h, linux/fs.h of Linux 6.17.
struct cachestat_range { uint64_t off, len; };
struct cachestat { uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted; };
struct mnt_id_req { uint32_t size, spare; uint64_t mnt_id, param; };
struct statmount {
    uint32_t size, mnt_opts;
    uint64_t mask;
    uint32_t sb_dev_major, sb_dev_minor;
    uint64_t sb_magic;
    uint32_t sb_flags, fs_type;
    uint64_t mnt_id, mnt_parent_id;
    uint32_t mnt_id_old, mnt_parent_id_old;
    uint64_t mnt_attr, mnt_propagation, mnt_peer_group, mnt_master, propagate_from;
    uint32_t mnt_root, mnt_point;
    uint64_t mnt_ns_id, spare2[49];
    char str[];
};
struct xattr_args { uint64_t value; uint32_t size, flags; };
struct file_attr { uint64_t fa_xflags; uint32_t fa_extsize, fa_nextents, fa_projid, fa_cowextsize; };

#define LSMT_ROOT 0xffffffffffffffffULL
#define STATMOUNT_MNT_BASIC 0x2
#define STATMOUNT_MNT_POINT 0x10
#define LSM_ATTR_CURRENT 100

static const char *error(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static void page_cache(void)
{
    int fd = open("cached.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char page[4096];
    memset(page, 'c', sizeof page);
    for (int i = 0; i < 3; i++)
        write(fd, page, sizeof page);
    struct cachestat_range range = { 0, 0 };
    struct cachestat stat;
    memset(&stat, 0xee, sizeof stat);
    long r = syscall(Cachestat, fd, &range, &stat, 0);
    printf("cachestat: %s, %llu of 3 pages cached\n", error(r), (unsigned long long)stat.nr_cache);
    close(fd);
}

static void sealing(long nap_ms)
{
    char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(p, "sealed");
    long r = syscall(Mseal, p, 4096, 0);
    printf("mseal: %s\n", error(r));
    for (long i = 0; i < nap_ms; i++)
        usleep(1000);
    r = mprotect(p, 4096, PROT_READ);
    printf("mprotect of the sealed page: %s\n", error(r));
    r = munmap(p, 4096);
    printf("munmap of the sealed page: %s\n", error(r));
    r = mprotect(p + 4096, 4096, PROT_READ);
    printf("mprotect of the page beside it: %s\n", error(r));
    strcpy(p, "still writable");
    printf("the sealed page holds \"%s\"\n", p);
}

static void mounts(void)
{
    struct mnt_id_req req = { .size = 24, .mnt_id = LSMT_ROOT };
    uint64_t ids[256];
    memset(ids, 0xee, sizeof ids);
    long n = syscall(Listmount, &req, ids, 256, 0);
    if (n <= 0) {
        printf("listmount: %ld %s\n", n, error(n));
        return;
    }
    printf("listmount: some mounts\n");
    static union { struct statmount sm; char bytes[8192]; } buf;
    memset(&buf, 0xee, sizeof buf);
    req = (struct mnt_id_req){ .size = 24, .mnt_id = ids[0], .param = STATMOUNT_MNT_BASIC | STATMOUNT_MNT_POINT };
    long r = syscall(Statmount, &req, &buf, sizeof buf, 0);
    if (r < 0) {
        printf("statmount of the first: %s\n", error(r));
        return;
    }
    printf("statmount of the first: %s, its id %s, mounted at %s\n", error(r),
        buf.sm.mnt_id == ids[0] ? "the listed one" : "another", buf.sm.str + buf.sm.mnt_point);
}

static void lsm(void)
{
    uint64_t ids[32];
    uint32_t size = sizeof ids;
    memset(ids, 0xee, sizeof ids);
    long n = syscall(LsmListModules, ids, &size, 0);
    printf("lsm_list_modules: %ld modules (%s), %u bytes, first id %llu\n", n, error(n), size, n > 0 ? (unsigned long long)ids[0] : 0ULL);
    char ctx[4096];
    size = sizeof ctx;
    n = syscall(LsmGetSelfAttr, LSM_ATTR_CURRENT, ctx, &size, 0);
    printf("lsm_get_self_attr: %ld (%s)\n", n, error(n));
}

static void xattrs(void)
{
    close(open("attributed.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600));
    struct xattr_args set = { .value = (uintptr_t)"a value", .size = 7 };
    long r = syscall(Setxattrat, AT_FDCWD, "attributed.txt", 0, "user.rewind", &set, sizeof set);
    printf("setxattrat: %s\n", error(r));
    char value[64];
    memset(value, 0, sizeof value);
    struct xattr_args get = { .value = (uintptr_t)value, .size = sizeof value };
    r = syscall(Getxattrat, AT_FDCWD, "attributed.txt", 0, "user.rewind", &get, sizeof get);
    printf("getxattrat: %ld (%s) \"%s\"\n", r, error(r), value);
    char list[256];
    memset(list, 0, sizeof list);
    r = syscall(Listxattrat, AT_FDCWD, "attributed.txt", 0, list, sizeof list);
    printf("listxattrat: %ld (%s) \"%s\"\n", r, error(r), list);
    r = syscall(Removexattrat, AT_FDCWD, "attributed.txt", 0, "user.rewind");
    printf("removexattrat: %s\n", error(r));
    struct file_attr attr;
    memset(&attr, 0xee, sizeof attr);
    r = syscall(FileGetattr, AT_FDCWD, "attributed.txt", &attr, sizeof attr, 0);
    printf("file_getattr: %s, xflags %#llx\n", error(r), r == 0 ? (unsigned long long)attr.fa_xflags : 0ULL);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "seal") == 0) {
        sealing(atol(argv[2]));
        return 0;
    }
    page_cache();
    sealing(0);
    mounts();
    lsm();
    xattrs();
    return 0;
}

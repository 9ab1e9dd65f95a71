// File metadata: stat, lstat, readlink and access of every path on the command line.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *kind, const char *path, int rc, const struct stat *st)
{
    if (rc != 0) {
        printf("%s %s: error %s\n", kind, path, strerror(errno));
        return;
    }
    printf("%s %s: size=%lld mode=%o nlink=%lu ino=%llu uid=%d mtime=%lld.%09ld ctime=%lld.%09ld\n",
           kind, path, (long long)st->st_size, (unsigned)st->st_mode, (unsigned long)st->st_nlink,
           (unsigned long long)st->st_ino, (int)st->st_uid, (long long)st->st_mtim.tv_sec,
           st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        struct stat st;
        int rc = stat(argv[i], &st);
        show("stat", argv[i], rc, &st);
        rc = lstat(argv[i], &st);
        show("lstat", argv[i], rc, &st);
        char target[256];
        ssize_t n = readlink(argv[i], target, sizeof target - 1);
        if (n >= 0) {
            target[n] = '\0';
            printf("readlink %s: %s\n", argv[i], target);
        }
        printf("access %s: %d\n", argv[i], access(argv[i], R_OK));
    }
    fprintf(stderr, "stat: looked at %d paths\n", argc - 1);
    return 0;
}

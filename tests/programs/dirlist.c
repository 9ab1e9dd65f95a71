// Directory listing (getdents64): names and order come from the file system.
// Usage: dirlist DIR
#include <dirent.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: dirlist DIR\n");
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (d == NULL) {
        perror(argv[1]);
        return 1;
    }
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        printf("entry[%d]: %s type=%d ino=%llu\n", n, e->d_name, (int)e->d_type,
               (unsigned long long)e->d_ino);
        n++;
    }
    closedir(d);
    printf("count: %d\n", n);
    fprintf(stderr, "dirlist: %d entries in %s\n", n, argv[1]);
    return 0;
}

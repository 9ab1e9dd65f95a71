/* Naps for MS milliseconds (argv[1], 1 ms at a time: checkpoints fall between the naps), then
 * counts the children /proc shows it, and those of them that are zombies: a recorder's snapshots
 * are forked from the program, and each one it ended is a zombie child of it until reaped. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long naps = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
    for (long i = 0; i < naps; i++)
        usleep(1000);
    int children = 0, zombies = 0;
    DIR *proc = opendir("/proc");
    struct dirent *e;
    while ((e = readdir(proc)) != NULL) {
        char path[300], line[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *stat = e->d_name[0] >= '0' && e->d_name[0] <= '9' ? fopen(path, "r") : NULL;
        if (stat == NULL)
            continue;
        /* pid (comm) state ppid: the name may hold anything but the last ')'. */
        char state;
        int parent;
        char *end = fgets(line, sizeof line, stat) ? strrchr(line, ')') : NULL;
        if (end != NULL && sscanf(end + 2, "%c %d", &state, &parent) == 2 && parent == getpid()) {
            children++;
            zombies += state == 'Z';
        }
        fclose(stat);
    }
    closedir(proc);
    printf("children %d, zombies %d\n", children, zombies);
    return 0;
}

// A job that watches itself work through inotify: a watch on a directory it creates files in,
// one on a log file it appends to, and, between them, many it removed again, so the watch
// numbers have a gap. Each step reads what happened and prints each event with its watch
// number; resumed, the watches must be there again under the same numbers, and no other event.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    mkdir("watched", 0755);
    int log = open("watched.log", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    int notify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    int directory = inotify_add_watch(notify, "watched", IN_CREATE | IN_DELETE);
    for (int i = 0; i < 300; i++)
        inotify_rm_watch(notify, inotify_add_watch(notify, ".", IN_ATTRIB));
    int file = inotify_add_watch(notify, "watched.log", IN_MODIFY);
    // The IN_IGNORED events of the removed watches.
    char buffer[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    while (read(notify, buffer, sizeof buffer) > 0)
        ;
    printf("watches %d and %d\n", directory, file);
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 150; i++) {
        char name[64];
        snprintf(name, sizeof name, "watched/file-%d", i);
        close(open(name, O_WRONLY | O_CREAT, 0644));
        if (i % 2)
            unlink(name);
        dprintf(log, "step %d\n", i);
        printf("step %d:", i);
        long n = read(notify, buffer, sizeof buffer);
        for (char *at = buffer; n > 0 && at < buffer + n;) {
            struct inotify_event *e = (struct inotify_event *)at;
            printf(" wd %d %s %s", e->wd, e->mask & IN_CREATE ? "created" : e->mask & IN_DELETE ? "deleted" : "modified", e->len ? e->name : "-");
            at += sizeof *e + e->len;
        }
        printf("%s\n", n > 0 ? "" : " nothing");
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    for (int i = 0; i < 150; i += 2) {
        char name[64];
        snprintf(name, sizeof name, "watched/file-%d", i);
        unlink(name);
    }
    rmdir("watched");
    unlink("watched.log");
    return 0;
}

// A job that counts with its child in a page they share (MAP_SHARED): the child adds one to a
// counter every millisecond, the parent checks at each step that it moved. Shared anonymous
// memory (the default), a System V segment ("sysv") or a memfd whose descriptor is closed
// ("memfd") is shared with the child by the kernel alone: hibernating the parent must refuse it
// by name, or with --close-lost resume it as a page of the parent's own, in which the counter
// stops. With "named" the page is a shm_open object, a file in /dev/shm that resume maps again:
// the child, left running while its parent is hibernated, counts on in it, and the resumed
// parent sees it move to the end.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

struct page {
    volatile long counter;
    volatile int done;
};

static struct page *share(const char *how, const char *name)
{
    if (strcmp(how, "sysv") == 0) {
        // Removed at once: it goes when its last attach does.
        int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
        void *at = id < 0 ? (void *)-1 : shmat(id, NULL, 0);
        if (id >= 0)
            shmctl(id, IPC_RMID, NULL);
        return at == (void *)-1 ? MAP_FAILED : at;
    }
    int fd = -1;
    if (strcmp(how, "named") == 0)
        fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    else if (strcmp(how, "memfd") == 0)
        fd = memfd_create("shared_page", 0);
    if (fd >= 0 && ftruncate(fd, 4096) != 0)
        return MAP_FAILED;
    void *at = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | (fd < 0 ? MAP_ANONYMOUS : 0), fd, 0);
    if (fd >= 0)
        close(fd);
    return at;
}

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "anonymous";
    int named = strcmp(how, "named") == 0;
    char name[64];
    snprintf(name, sizeof name, "/rewind-shared-page-%d", getpid());
    struct page *page = share(how, name);
    if (page == MAP_FAILED) {
        perror(how);
        return 1;
    }
    struct timespec millisecond = {0, 1000 * 1000};
    if (fork() == 0) {
        // Its output is not the job's, which the test reads to its end.
        int null = open("/dev/null", O_RDWR);
        dup2(null, 1);
        dup2(null, 2);
        close(null);
        // It goes with its parent, but for a named page's, which outlives it for a minute at most.
        if (!named)
            prctl(PR_SET_PDEATHSIG, SIGKILL);
        for (int i = 0; !page->done && i < 60000; i++) {
            page->counter++;
            nanosleep(&millisecond, NULL);
        }
        _exit(0);
    }
    struct timespec step = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 150; i++) {
        // A second without a count: nobody else adds to this page any more.
        long seen = page->counter;
        for (int waited = 0; page->counter == seen && waited < 1000; waited++)
            nanosleep(&millisecond, NULL);
        if (page->counter == seen) {
            printf("the counter stopped at step %d\n", i);
            return 3;
        }
        printf("step %d\n", i);
        fflush(stdout);
        nanosleep(&step, NULL);
    }
    page->done = 1;
    if (named)
        shm_unlink(name);
    printf("the counter moved at every step\n");
    return 0;
}

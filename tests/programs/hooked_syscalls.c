/* Syscalls that Rewind answers in the program once their sites are patched (its page of hooked
 * syscalls, docs/decisions.md "Syscalls answered in the program"), under every pressure on their
 * log (log_pressure.h): threads making them past the recorder's slice, mixed with time reads that
 * share the log (the order of both is the order of the log), a 1 ms timer's handler making them
 * too, and a forked child going on with the patched code; then futex wakes of a thread waiting
 * in the kernel; the calls that take the kernel's way (a buffer larger than the log takes);
 * failures, null and bad pointers, a path longer than the log keeps; opens that the page makes (a
 * file, a directory, nothing there) and those it leaves to the kernel (for writing, a FIFO whose
 * open waits for a writer thread), reads of a file it makes and of the FIFO it leaves; mmaps of anonymous memory it makes, of a file and of shared
 * memory it leaves. Every figure printed must come back in replay. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log_pressure.h"

static unsigned long mix(unsigned long sum, unsigned long value)
{
    return sum * 31 + value;
}

/* One round of the hooked calls, mixed into sum in the order they answer. */
static unsigned long round_of_calls(unsigned long sum)
{
    struct stat st;
    char link[256];
    struct timespec ts;
    if (stat("/proc/self/exe", &st) == 0)
        sum = mix(sum, (unsigned long)st.st_ino);
    sum = mix(sum, (unsigned long)stat("/nonexistent/hooked", &st));
    clock_gettime(CLOCK_MONOTONIC, &ts);
    sum = mix(sum, (unsigned long)ts.tv_nsec);
    ssize_t n = readlink("/proc/self/exe", link, sizeof link);
    sum = mix(sum, n > 0 ? (unsigned long)link[n - 1] + (unsigned long)n : 0);
    sum = mix(sum, (unsigned long)getpid() ^ (unsigned long)getppid());
    sum = mix(sum, (unsigned long)access("/etc/passwd", R_OK));
    if (fstat(1, &st) == 0)
        sum = mix(sum, (unsigned long)st.st_mode);
    sum = mix(sum, (unsigned long)lseek(0, 0, SEEK_CUR));
    /* Private anonymous memory, mapped in the page, where replay maps it again. */
    unsigned char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page != MAP_FAILED) {
        page[4096] = (unsigned char)sum;
        sum = mix(sum, (unsigned long)page ^ page[4096] ^ page[0]);
        munmap(page, 8192);
    }
    return sum;
}

/* Rounds of calls until ms milliseconds have passed; returns how many rounds that took. */
static long spin(long ms, unsigned long *sum)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long rounds = 0;
    do {
        *sum = round_of_calls(*sum);
        rounds++;
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (ns_between(&start, &now) < ms * 1000000L);
    return rounds;
}

/* Two threads taking turns through a condition variable: each signal is a futex wake, of a thread waiting in the kernel. */
static pthread_mutex_t turn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int turn, turns;

static void take_turns(int me)
{
    for (int i = 0; i < 200; i++) {
        pthread_mutex_lock(&turn_lock);
        while (turn != me)
            pthread_cond_wait(&turn_changed, &turn_lock);
        turn = 1 - me;
        turns++;
        pthread_cond_signal(&turn_changed);
        pthread_mutex_unlock(&turn_lock);
    }
}

static void *second_player(void *arg)
{
    (void)arg;
    take_turns(1);
    return NULL;
}

/* Opens FIFO for writing once its reader waits in its open, and writes a line to it once the reader waits in its read. */
static void *fifo_writer(void *path)
{
    usleep(100000);
    int fd = open(path, O_WRONLY);
    usleep(100000);
    static const char line[] = "through the FIFO\n";
    write(fd, line, sizeof line - 1);
    close(fd);
    return NULL;
}

/* Opens through one site, once patched: those the page makes, and one that waits for a writer thread. */
static void opens(void)
{
    const char *fifo = "hooked.fifo";
    unlink(fifo);
    if (mkfifo(fifo, 0600) != 0) {
        perror("mkfifo");
        exit(1);
    }
    pthread_t writer;
    pthread_create(&writer, NULL, fifo_writer, (void *)fifo);
    for (int i = 0; i < 3; i++) {
        int fd = open("/etc/passwd", O_RDONLY);
        char first[5] = "";
        ssize_t n = read(fd, first, 4);
        printf("open of a file: %s, read %zd: %.4s, close %d\n", fd >= 0 ? "opened" : "failed", n, first, close(fd));
    }
    int dir = open("/etc", O_RDONLY | O_DIRECTORY);
    printf("open of a directory: %s, close %d\n", dir >= 0 ? "opened" : "failed", close(dir));
    int none = open("/nonexistent/hooked", O_RDONLY);
    printf("open of nothing: %d %s\n", none, strerror(errno));
    /* A file's mapping and shared memory, through the site an anonymous mapping patched. */
    void *anonymous = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int passwd = open("/etc/passwd", O_RDONLY);
    const char *mapped = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, passwd, 0);
    close(passwd);
    int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    *shared = 42;
    printf("mmaps: anonymous %s, a file's: %.4s, shared: %d\n", anonymous != MAP_FAILED ? "mapped" : "failed", mapped, *shared);
    munmap(anonymous, 4096);
    munmap((void *)mapped, 4096);
    munmap(shared, 4096);
    int made = open("hooked.made", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ssize_t wrote = write(made, "x", 1);
    printf("open to write: %s, wrote %zd, close %d\n", made >= 0 ? "opened" : "failed", wrote, close(made));
    unlink("hooked.made");
    int fd = open(fifo, O_RDONLY);
    char line[64] = "";
    ssize_t n = fd >= 0 ? read(fd, line, sizeof line - 1) : -1;
    printf("open of a FIFO: %s, read %zd: %s", fd >= 0 ? "opened" : strerror(errno), n, line);
    close(fd);
    pthread_join(writer, NULL);
    unlink(fifo);
}

static void edges(void)
{
    opens();
    pthread_t player;
    pthread_create(&player, NULL, second_player, NULL);
    take_turns(0);
    pthread_join(player, NULL);
    printf("turns taken: %d\n", turns);

    struct stat st;
    char link[8192];
    /* A buffer larger than the log takes: the kernel's way. */
    ssize_t n = readlink("/proc/self/exe", link, sizeof link);
    printf("readlink into 8 KiB: %s\n", n > 0 ? "read" : strerror(errno));
    /* A path longer than the log keeps, and one the kernel cannot read. */
    char longer[600];
    strcpy(longer, "/");
    while (strlen(longer) < 500)
        strcat(longer, "./");
    strcat(longer, "etc/passwd");
    printf("a long path: %d\n", stat(longer, &st));
    int r = stat((const char *)8, &st);
    printf("a bad path: %d %s\n", r, strerror(errno));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnonnull"
    r = stat("/etc/passwd", NULL);
#pragma GCC diagnostic pop
    printf("no buffer: %d %s\n", r, strerror(errno));
    r = close(999);
    printf("close of no descriptor: %d %s\n", r, strerror(errno));
    int fd = open("/etc/passwd", O_RDONLY);
    off_t end = lseek(fd, 0, SEEK_END);
    printf("lseek to the end: %s, close: %d\n", end > 0 ? "past 0" : "at 0", close(fd));
    char cwd[4096];
    printf("getcwd: %s\n", getcwd(cwd, sizeof cwd) ? "read" : strerror(errno));
    struct utsname u;
    uname(&u);
    printf("uname: %s\n", u.sysname);
    struct sysinfo info;
    r = sysinfo(&info);
    printf("sysinfo: %d, %s\n", r, info.totalram > 0 ? "memory" : "none");
    struct rusage usage;
    printf("getrusage: %d\n", getrusage(RUSAGE_SELF, &usage));
    struct rlimit limit;
    printf("getrlimit: %d, prlimit: %d\n", getrlimit(RLIMIT_NOFILE, &limit), prlimit(0, RLIMIT_STACK, NULL, &limit));
    struct timespec resolution;
    printf("clock_getres: %d %d\n", clock_getres(CLOCK_MONOTONIC, &resolution), clock_getres(CLOCK_MONOTONIC, NULL));
    struct statfs fs;
    printf("statfs: %d\n", statfs("/", &fs));
    struct statx sx;
    printf("statx: %d\n", statx(AT_FDCWD, "/etc/passwd", 0, STATX_SIZE, &sx));
    printf("faccessat: %d, getuid %s\n", faccessat(AT_FDCWD, "/etc/passwd", R_OK, 0), getuid() == geteuid() ? "is euid" : "is not euid");
}

int main(void)
{
    edges();
    return log_pressure(spin, round_of_calls, "rounds");
}

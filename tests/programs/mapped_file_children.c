/* A parent and its child share a file that the child changes with syscalls while the parent
 * reads it through its mappings: through a descriptor open for reading only, privately and
 * shared (mapped first: replay maps copies of the file, and from its stand-in the page past the
 * file's last one), then through one open for writing, privately (after the parent writes its
 * first page) and shared. For 40 rounds, in strict turns over two pipes, the child pwrites the
 * round into the file's first two pages, writes through its own shared mapping, and from round
 * 20 on writes the file's third page, which grows it; the parent prints what each mapping shows
 * there, the third page raising SIGBUS until then. The values are the output: a replay (and one
 * from a checkpoint of both processes) prints them again only if every change reached every
 * mapping as it did. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define ROUNDS 40
#define GROWS 20

static sigjmp_buf escape;

static void on_sigbus(int sig)
{
    (void)sig;
    siglongjmp(escape, 1);
}

/* What the mapping shows at the third page's start (8 bytes), or that reading it raised SIGBUS. */
static const char *third_page(const volatile char *p, char *text)
{
    if (sigsetjmp(escape, 1) != 0)
        return "SIGBUS";
    for (int i = 0; i < 8; i++)
        text[i] = p[i] ? p[i] : '0';
    text[8] = 0;
    return text;
}

static void child(int fd, char *shared, int turn, int done)
{
    char round[16], buf[16];
    for (int r = 0; r < ROUNDS; r++) {
        if (read(turn, buf, 1) != 1)
            _exit(1);
        snprintf(round, sizeof round, "round %02d", r);
        pwrite(fd, round, 8, 100);
        pwrite(fd, round, 8, PAGE + 100);
        memcpy(shared + 200, round, 8);
        if (r >= GROWS)
            pwrite(fd, round, 8, 2 * PAGE);
        for (volatile int spin = 0; spin < 4000000; spin++)
            ;
        write(done, "x", 1);
    }
    _exit(0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGBUS, on_sigbus);
    int fd = open("children.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char start[2 * PAGE];
    memset(start, '.', sizeof start);
    write(fd, start, sizeof start);
    int fd_read = open("children.bin", O_RDONLY);
    char *copy = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd_read, 0);
    char *copy_shared = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd_read, 0);
    char *priv = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    char *shared = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int turn[2], done[2];
    if (copy == MAP_FAILED || copy_shared == MAP_FAILED || priv == MAP_FAILED || shared == MAP_FAILED || pipe(turn) != 0 || pipe(done) != 0) {
        perror("children.bin");
        return 1;
    }
    memcpy(priv + 100, "parent's", 8);
    memcpy(copy + PAGE + 100, "parent's", 8);
    pid_t pid = fork();
    if (pid == 0) {
        close(turn[1]);
        close(done[0]);
        child(fd, shared, turn[0], done[1]);
    }
    close(turn[0]);
    close(done[1]);
    char buf[1], a[16], b[16], c[16], d[16];
    for (int r = 0; r < ROUNDS; r++) {
        write(turn[1], "x", 1);
        if (read(done[0], buf, 1) != 1)
            return 1;
        printf("round %02d: shared %.8s %.8s %.8s; private %.8s %.8s %.8s; read-only private %.8s %.8s; read-only shared %.8s %.8s\n", r,
               shared + 100, shared + PAGE + 100, shared + 200, priv + 100, priv + PAGE + 100, priv + 200, copy + 100, copy + PAGE + 100,
               copy_shared + 100, copy_shared + PAGE + 100);
        printf("round %02d, third page: shared %s, private %s, read-only private %s, read-only shared %s\n", r, third_page(shared + 2 * PAGE, a),
               third_page(priv + 2 * PAGE, b), third_page(copy + 2 * PAGE, c), third_page(copy_shared + 2 * PAGE, d));
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    unlink("children.bin");
    return 0;
}

/* System V shared memory: a segment attached where the kernel likes and again elsewhere (two
 * views of one memory), read-only, over a mapping (SHM_REMAP), at a rounded address (SHM_RND);
 * detached, attached again with what it held, inspected and removed with shmctl; a keyed segment
 * a child fills before its parent attaches it; and a segment attached before a fork, which parent
 * and child write in turn. Each line says what was read there, so the output proves the contents.
 * The argument sets the rounds of the turns and the work between them (a checkpoint test wants
 * many): rounds, spins per round. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAILED ((void *)-1)

/* The parent and the child take turns: each waits for its turn (a syscall each time it looks),
 * reads what the other left, adds to it and hands the turn over. */
struct turns {
    int turn;
    long sum;
    char last[48];
};

static void take_turns(struct turns *t, int me, int rounds, int spins)
{
    const char *who = me == 0 ? "parent" : "child";
    for (int i = 0; i < rounds; i++) {
        while (__atomic_load_n(&t->turn, __ATOMIC_ACQUIRE) != me)
            sched_yield();
        if (i < 3 || i == rounds - 1 || i % 100 == 0)
            printf("%s, round %d: sum %ld, last written by %s\n", who, i, t->sum, t->last);
        t->sum = t->sum * 3 + i + me;
        snprintf(t->last, sizeof t->last, "the %s in round %d", who, i);
        for (volatile int spin = 0; spin < spins; spin++)
            ;
        __atomic_store_n(&t->turn, 1 - me, __ATOMIC_RELEASE);
    }
}

static int index_of(int id, int command, int top)
{
    struct shmid_ds ds;
    for (int i = 0; i <= top; i++)
        if (shmctl(i, command, &ds) == id)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int rounds = argc > 1 ? atoi(argv[1]) : 4, spins = argc > 2 ? atoi(argv[2]) : 0;
    long page = sysconf(_SC_PAGESIZE);

    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    char *a = shmat(id, NULL, 0), *b = shmat(id, NULL, 0);
    if (id < 0 || a == FAILED || b == FAILED) {
        perror("shmget/shmat");
        return 1;
    }
    strcpy(a, "written through the first view");
    printf("the second view, at %s address, reads: %s\n", a != b ? "another" : "the same", b);
    strcpy(b + 5000, "and through the second");
    printf("the first view reads: %s\n", a + 5000);
    char *r = shmat(id, NULL, SHM_RDONLY);
    printf("a read-only view reads: %s\n", r);

    struct shmid_ds ds;
    shmctl(id, IPC_STAT, &ds);
    printf("IPC_STAT: %zu bytes, %lu attaches, mode %o\n", ds.shm_segsz, (unsigned long)ds.shm_nattch, ds.shm_perm.mode & 0777);
    ds.shm_perm.mode = 0640;
    printf("IPC_SET: %d; ", shmctl(id, IPC_SET, &ds));
    shmctl(id, IPC_STAT, &ds);
    printf("mode now %o\n", ds.shm_perm.mode & 0777);
    printf("SHM_LOCK: %d, SHM_UNLOCK: %d\n", shmctl(id, SHM_LOCK, NULL), shmctl(id, SHM_UNLOCK, NULL));
    struct shminfo limits;
    int top = shmctl(0, IPC_INFO, (struct shmid_ds *)&limits);
    struct shm_info usage;
    int used = shmctl(0, SHM_INFO, (struct shmid_ds *)&usage);
    printf("IPC_INFO: %s; SHM_INFO: %s; found by SHM_STAT: %s, by SHM_STAT_ANY: %s\n",
           top >= 0 && limits.shmmni > 0 ? "answered" : "failed", used >= 0 && usage.used_ids > 0 ? "answered" : "failed",
           index_of(id, SHM_STAT, top) ? "yes" : "no", index_of(id, SHM_STAT_ANY, top) ? "yes" : "no");

    printf("shmdt of the first view: %d; the second still reads: %.7s\n", shmdt(a), b);
    shmdt(r);

    // Given addresses: over an anonymous mapping (refused without SHM_REMAP), then rounded down.
    char *anon = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(anon + 3 * page, "the mapping's last page");
    printf("over a mapping without SHM_REMAP: %s\n", shmat(id, anon, 0) == FAILED ? "refused" : "attached");
    char *over = shmat(id, anon, SHM_REMAP);
    printf("with SHM_REMAP, %s: %s\n", over == anon ? "in its place" : "elsewhere", over);
    shmdt(over);
    printf("at an unaligned address: %s\n", shmat(id, anon + 123, 0) == FAILED ? "refused" : "attached");
    char *rounded = shmat(id, anon + 123, SHM_RND);
    printf("with SHM_RND, %s: %s; the mapping's last page: %s\n", rounded == anon ? "rounded down" : "elsewhere", rounded + 5000, anon + 3 * page);

    // What an earlier attach wrote is there when attached again.
    shmdt(rounded);
    shmdt(b);
    char *again = shmat(id, NULL, 0);
    printf("attached again: %s / %s\n", again, again + 5000);

    // A segment found by its key, which a child fills and leaves before its parent attaches it.
    key_t key = 0x5e000000 | getpid();
    int keyed = shmget(key, 8192, IPC_CREAT | IPC_EXCL | 0600);
    printf("found again by its key: %s\n", keyed >= 0 && shmget(key, 0, 0) == keyed ? "yes" : "no");
    pid_t child = fork();
    if (child == 0) {
        char *mine = shmat(shmget(key, 0, 0), NULL, 0);
        strcpy(mine + 4096, "left by the child");
        shmdt(mine);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    char *left = shmat(keyed, NULL, SHM_RDONLY);
    printf("after the child: %s\n", left + 4096);
    shmdt(left);
    shmctl(keyed, IPC_RMID, NULL);

    // The segment attached before this fork is the child's too: they write it in turn.
    struct turns *turns = (struct turns *)(again + 8192);
    turns->turn = 0;
    strcpy(turns->last, "nobody");
    child = fork();
    if (child == 0) {
        take_turns(turns, 1, rounds, spins);
        shmdt(again);
        _exit(0);
    }
    take_turns(turns, 0, rounds, spins);
    waitpid(child, NULL, 0);
    printf("in the end: sum %ld, last written by %s\n", turns->sum, turns->last);

    // Removed while attached: still there, and attachable, until the last detach.
    shmctl(id, IPC_STAT, &ds);
    printf("IPC_RMID with %lu attach(es): %d\n", (unsigned long)ds.shm_nattch, shmctl(id, IPC_RMID, NULL));
    char *late = shmat(id, NULL, SHM_RDONLY);
    printf("attached after IPC_RMID: %s\n", late == FAILED ? "refused" : late);
    shmdt(late);
    shmdt(again);
    printf("after the last detach, IPC_STAT: %s\n", shmctl(id, IPC_STAT, &ds) == 0 ? "still there" : "gone");
    return 0;
}

/* System V semaphores and message queues, and process_vm_readv/writev on the program's own
 * memory: the kernel answers them, and they record and replay. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/uio.h>
#include <unistd.h>

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

struct message {
    long type;
    char text[64];
};

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int sem = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    if (sem < 0) {
        perror("semget");
        return 1;
    }
    unsigned short values[3] = {4, 5, 6};
    semctl(sem, 0, SETALL, (union semun){.array = values});
    struct sembuf ops[2] = {{0, -1, 0}, {2, 2, 0}};
    int r = semop(sem, ops, 2);
    unsigned short after[3] = {0};
    semctl(sem, 0, GETALL, (union semun){.array = after});
    struct semid_ds ds;
    semctl(sem, 0, IPC_STAT, (union semun){.buf = &ds});
    printf("semop %d: values %u %u %u, GETVAL(1) %d, nsems %lu\n", r, after[0], after[1], after[2],
           semctl(sem, 1, GETVAL), (unsigned long)ds.sem_nsems);
    printf("semctl IPC_RMID: %d\n", semctl(sem, 0, IPC_RMID));

    int queue = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    struct message out = {7, "through a System V queue"}, in = {0, ""};
    msgsnd(queue, &out, strlen(out.text) + 1, 0);
    struct msqid_ds qs;
    msgctl(queue, IPC_STAT, &qs);
    printf("queued: %lu message(s)\n", (unsigned long)qs.msg_qnum);
    ssize_t n = msgrcv(queue, &in, sizeof in.text, 0, 0);
    printf("msgrcv %zd: type %ld, %s\n", n, in.type, in.text);
    printf("msgrcv with nothing queued: %zd\n", msgrcv(queue, &in, sizeof in.text, 0, IPC_NOWAIT));
    printf("msgctl IPC_RMID: %d\n", msgctl(queue, IPC_RMID, NULL));

    char source[32] = "read by process_vm_readv", copy[32] = "", target[32] = "";
    struct iovec local = {copy, sizeof copy}, remote = {source, sizeof source};
    n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    printf("process_vm_readv %zd: %s\n", n, copy);
    char written[32] = "written by process_vm_writev";
    struct iovec from = {written, sizeof written}, to = {target, sizeof target};
    n = process_vm_writev(getpid(), &from, 1, &to, 1, 0);
    printf("process_vm_writev %zd: %s\n", n, target);
    return 0;
}

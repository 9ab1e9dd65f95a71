// The machine: uname, hostname, sysinfo (uptime and memory change every second).
#include <stdio.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(void)
{
    struct utsname u;
    if (uname(&u) != 0) {
        perror("uname");
        return 1;
    }
    printf("sysname: %s\n", u.sysname);
    printf("nodename: %s\n", u.nodename);
    printf("release: %s\n", u.release);
    printf("version: %s\n", u.version);
    printf("machine: %s\n", u.machine);

    char host[256] = "";
    gethostname(host, sizeof host);
    printf("hostname: %s\n", host);

    struct sysinfo si;
    if (sysinfo(&si) == 0) {
        printf("uptime: %ld\n", si.uptime);
        printf("freeram: %lu\n", si.freeram);
        printf("procs: %u\n", (unsigned)si.procs);
    }
    printf("nprocs: %d\n", get_nprocs());
    fprintf(stderr, "uname: running on %s\n", u.release);
    return 0;
}

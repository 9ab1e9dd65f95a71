/* ioctl requests whose number carries no size (they predate _IOR), and two whose answer runs
 * past the struct the number names: each fills memory set to 0x55 first, and the program prints
 * what it finds there, which replay must have written back as the kernel wrote it. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

static void interfaces(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0x55, sizeof ifr);
    ifr.ifr_ifindex = 1;
    int r = ioctl(s, SIOCGIFNAME, &ifr);
    printf("SIOCGIFNAME(1) = %d: %s\n", r, r == 0 ? ifr.ifr_name : strerror(errno));
    char name[IFNAMSIZ];
    snprintf(name, sizeof name, "%s", r == 0 ? ifr.ifr_name : "lo");

    memset(&ifr, 0x55, sizeof ifr);
    strcpy(ifr.ifr_name, name);
    r = ioctl(s, SIOCGIFINDEX, &ifr);
    printf("SIOCGIFINDEX = %d: %d\n", r, ifr.ifr_ifindex);
    memset(&ifr.ifr_ifru, 0x55, sizeof ifr.ifr_ifru);
    r = ioctl(s, SIOCGIFFLAGS, &ifr);
    printf("SIOCGIFFLAGS = %d: %#x\n", r, (unsigned short)ifr.ifr_flags);
    memset(&ifr.ifr_ifru, 0x55, sizeof ifr.ifr_ifru);
    r = ioctl(s, SIOCGIFMTU, &ifr);
    printf("SIOCGIFMTU = %d: %d\n", r, ifr.ifr_mtu);
    memset(&ifr.ifr_ifru, 0x55, sizeof ifr.ifr_ifru);
    r = ioctl(s, SIOCGIFADDR, &ifr);
    printf("SIOCGIFADDR = %d: %s\n", r, r == 0 ? inet_ntoa(((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr) : strerror(errno));
    memset(&ifr.ifr_ifru, 0x55, sizeof ifr.ifr_ifru);
    r = ioctl(s, SIOCGIFHWADDR, &ifr);
    printf("SIOCGIFHWADDR = %d: family %d\n", r, ifr.ifr_hwaddr.sa_family);

    char buf[4096];
    memset(buf, 0x55, sizeof buf);
    struct ifconf ifc = { .ifc_len = sizeof buf, .ifc_buf = buf };
    r = ioctl(s, SIOCGIFCONF, &ifc);
    printf("SIOCGIFCONF = %d: %d bytes, first %.*s\n", r, ifc.ifc_len, IFNAMSIZ, ((struct ifreq *)buf)->ifr_name);
    // With no buffer, the kernel answers only the length it needs.
    struct ifconf size = { .ifc_len = 0, .ifc_buf = NULL };
    r = ioctl(s, SIOCGIFCONF, &size);
    printf("SIOCGIFCONF(NULL) = %d: %d bytes\n", r, size.ifc_len);

    char datagram[] = "seven b";
    struct sockaddr_in self = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof self;
    bind(s, (struct sockaddr *)&self, sizeof self);
    getsockname(s, (struct sockaddr *)&self, &len);
    sendto(s, datagram, 7, 0, (struct sockaddr *)&self, sizeof self);
    int n = 0x55555555;
    r = ioctl(s, SIOCINQ, &n);
    printf("SIOCINQ = %d: %d\n", r, n);
    int tcp = socket(AF_INET, SOCK_STREAM, 0);
    n = 0x55555555;
    r = ioctl(tcp, SIOCOUTQ, &n);
    printf("SIOCOUTQ = %d: %d\n", r, n);
    close(tcp);
    close(s);
}

static void files(void)
{
    int p[2];
    pipe(p);
    write(p[1], "abc", 3);
    int n = 0x55555555;
    int r = ioctl(p[0], FIONREAD, &n);
    printf("FIONREAD = %d: %d\n", r, n);

    int fd = open("extents.dat", O_CREAT | O_RDWR | O_TRUNC, 0600);
    char block[8192];
    memset(block, 'x', sizeof block);
    write(fd, block, sizeof block);
    fsync(fd);
    n = 0x55555555;
    r = ioctl(fd, FIGETBSZ, &n);
    printf("FIGETBSZ = %d: %s\n", r, r == 0 && n > 0 ? "a block size" : strerror(errno));
    struct {
        struct fiemap map;
        struct fiemap_extent extents[8];
    } fm;
    memset(&fm, 0x55, sizeof fm);
    fm.map.fm_start = 0;
    fm.map.fm_length = FIEMAP_MAX_OFFSET;
    fm.map.fm_flags = FIEMAP_FLAG_SYNC;
    fm.map.fm_extent_count = 8;
    fm.map.fm_reserved = 0;
    r = ioctl(fd, FS_IOC_FIEMAP, &fm);
    if (r == 0) {
        unsigned long long mapped = 0;
        for (unsigned i = 0; i < fm.map.fm_mapped_extents && i < 8; i++)
            mapped += fm.extents[i].fe_length;
        printf("FIEMAP = 0: %u extents, %llu bytes, the last flagged %s\n", fm.map.fm_mapped_extents, mapped,
            fm.map.fm_mapped_extents > 0 && (fm.extents[fm.map.fm_mapped_extents - 1].fe_flags & FIEMAP_EXTENT_LAST) ? "last" : "not last");
    } else {
        printf("FIEMAP = %d: %s\n", r, strerror(errno));
    }
    close(fd);
    unlink("extents.dat");
}

static void terminal(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        printf("no pseudo-terminal: %s\n", strerror(errno));
        return;
    }
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    struct winsize set = { .ws_row = 33, .ws_col = 101 }, got;
    ioctl(master, TIOCSWINSZ, &set);
    memset(&got, 0x55, sizeof got);
    int r = ioctl(slave, TIOCGWINSZ, &got);
    printf("TIOCGWINSZ = %d: %dx%d\n", r, got.ws_row, got.ws_col);
    struct termios t;
    memset(&t, 0x55, sizeof t);
    r = ioctl(slave, TCGETS, &t);
    printf("TCGETS = %d: echo %s, VEOF %d\n", r, (t.c_lflag & ECHO) ? "on" : "off", t.c_cc[VEOF]);
    write(master, "typed\n", 6);
    // The line reaches the terminal's reader on the kernel's own time: wait for it.
    struct pollfd ready = { .fd = slave, .events = POLLIN };
    poll(&ready, 1, -1);
    int n = 0x55555555;
    r = ioctl(slave, FIONREAD, &n);
    printf("FIONREAD on the terminal = %d: %d\n", r, n);
    close(slave);
    close(master);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    interfaces();
    files();
    terminal();
    return 0;
}

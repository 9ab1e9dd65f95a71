namespace Rewind.Syscalls;

/// <summary>x86-64 syscall numbers the engine itself names.</summary>
public static class Nr
{
    public const int read = 0, write = 1, open = 2, close = 3, mmap = 9, mprotect = 10, munmap = 11, brk = 12, rt_sigaction = 13,
        rt_sigprocmask = 14, rt_sigreturn = 15, writev = 20, sched_yield = 24, mremap = 25, madvise = 28,
        poll = 7, pread64 = 17, readv = 19, select = 23, accept = 43, recvfrom = 45, recvmsg = 47, rt_sigtimedwait = 128, epoll_wait = 232,
        mq_timedreceive = 243, waitid = 247, accept4 = 288, preadv = 295, recvmmsg = 299, preadv2 = 327,
        pwrite64 = 18, sendfile = 40, sendto = 44, sendmsg = 46, sendmmsg = 307, mq_timedsend = 242, getpid = 39, clone = 56, fork = 57, vfork = 58, execve = 59, execveat = 322, exit = 60, kill = 62,
        rt_sigsuspend = 130, pselect6 = 270, ppoll = 271, epoll_pwait = 281, epoll_pwait2 = 441, sigaltstack = 131, prctl = 157, arch_prctl = 158, personality = 135, gettid = 186,
        exit_group = 231, tgkill = 234, pwritev = 296, pwritev2 = 328, seccomp = 317, rseq = 334, clone3 = 435, close_range = 436,
        pkey_mprotect = 329, set_tid_address = 218, restart_syscall = 219, splice = 275, copy_file_range = 326, set_robust_list = 273, get_robust_list = 274,
        memfd_create = 319, membarrier = 324, lseek = 8, getitimer = 36, setitimer = 38, wait4 = 61, socketpair = 53, fcntl = 72, chdir = 80, fchdir = 81, umask = 95, setpgid = 109, dup3 = 292, pipe2 = 293,
        socket = 41, bind = 49, listen = 50, setsockopt = 54, epoll_ctl = 233, timerfd_create = 283, timerfd_settime = 286, signalfd4 = 289, eventfd2 = 290, epoll_create1 = 291, openat = 257,
        inotify_add_watch = 254, inotify_rm_watch = 255, inotify_init1 = 294, pause = 34, nanosleep = 35, clock_nanosleep = 230, flock = 73, futex = 202,
        gettimeofday = 96, time = 201, clock_gettime = 228, pkey_alloc = 330, timer_create = 222, timer_settime = 223, timer_gettime = 224, timer_delete = 226, iopl = 172, ioperm = 173, shmat = 30, shmdt = 67,
        sched_setaffinity = 203, sched_getaffinity = 204, mseal = 462, unshare = 272, mount = 165, setsid = 112, pidfd_open = 434, capset = 126,
        truncate = 76, ftruncate = 77, creat = 85, fallocate = 285, openat2 = 437,
        stat = 4, fstat = 5, lstat = 6, access = 21, getcwd = 79, readlink = 89, getrusage = 98, sysinfo = 99, getuid = 102, getgid = 104,
        geteuid = 107, getegid = 108, getppid = 110, uname = 63, statfs = 137, fstatfs = 138, clock_getres = 229, newfstatat = 262,
        readlinkat = 267, faccessat = 269, statx = 332, faccessat2 = 439, getrlimit = 97, prlimit64 = 302;
}

using static Rewind.Syscalls.ReplayKind;

namespace Rewind.Syscalls;

/// <summary>
/// Every x86-64 syscall Rewind knows, with its replay kind and its outputs (syscalls(2) and the
/// kernel's uapi structs give the sizes). A syscall missing here is refused while recording: a
/// trace never holds a call replay would not reproduce.
/// </summary>
public static partial class SyscallTable
{
    /// <summary>Syscalls that are no events: replay executes them again with the same effect on the
    /// tracee alone (memory protection, signal masks and handlers, fs_base). They run without a
    /// stop, but where the tracer follows what they set (<see cref="Linux.SeccompFilter"/>).</summary>
    public static readonly IReadOnlyList<int> Untraced =
    [
        Nr.munmap, Nr.mprotect, Nr.madvise, Nr.rt_sigaction, Nr.rt_sigprocmask, Nr.rt_sigreturn,
        Nr.sigaltstack, Nr.arch_prctl, Nr.pkey_mprotect,
    ];

    private static readonly Dictionary<int, string> UntracedNames = new()
    {
        [Nr.munmap] = "munmap", [Nr.mprotect] = "mprotect", [Nr.madvise] = "madvise", [Nr.rt_sigaction] = "rt_sigaction",
        [Nr.rt_sigprocmask] = "rt_sigprocmask", [Nr.rt_sigreturn] = "rt_sigreturn", [Nr.sigaltstack] = "sigaltstack",
        [Nr.arch_prctl] = "arch_prctl", [Nr.pkey_mprotect] = "pkey_mprotect",
    };

    // Initialized after the lists above: static initializers run in text order.
    private static readonly Dictionary<int, SyscallSpec> Specs = Build();

    public static SyscallSpec? Find(int number) => Specs.GetValueOrDefault(number);

    /// <summary>
    /// Whether <paramref name="number"/> names a syscall of x86-64 Linux up to 6.18 (0-336 and
    /// 424-469; the numbers between were never used). Any other number (a program probing, or
    /// using -1 as a marker) is answered -ENOSYS by the kernel, and by Rewind in record and replay
    /// alike, with no event.
    /// </summary>
    public static bool IsLinuxSyscall(int number) => number is >= 0 and <= 336 or >= 424 and <= 469;

    /// <summary>fork, vfork, clone or clone3: the syscalls that create a thread or a process.</summary>
    public static bool CreatesTask(int number) => number is Nr.fork or Nr.vfork or Nr.clone or Nr.clone3;

    /// <summary>
    /// madvise advice skipped with success in record and replay alike: MADV_DONTFORK and
    /// MADV_WIPEONFORK would leave a fork snapshot without those pages (V8 marks its heap so); the
    /// program's own children get them too, harmlessly.
    /// </summary>
    public static bool IsSkippedAdvice(ulong advice) => advice is 10 or 18;

    public static string Name(int number) => Specs.TryGetValue(number, out var s) ? s.Name : $"syscall_{number}";

    // The commands of semctl(2), msgctl(2) and shmctl(2) (linux/ipc.h, linux/sem.h, linux/msg.h, linux/shm.h) whose answers are written to memory.
    private const ulong IpcStat = 2, IpcInfo = 3, SemGetAll = 13, SemStat = 18, SemInfo = 19, SemStatAny = 20, MsgStat = 11, MsgInfo = 12, MsgStatAny = 13,
        ShmStat = 13, ShmInfo = 14, ShmStatAny = 15;

    private const int StatSize = 144, StatxSize = 256, StatfsSize = 120, RusageSize = 144, TimespecSize = 16,
        ItimerSize = 32, SiginfoSize = 128, UtsnameSize = 390, SysinfoSize = 112, TimexSize = 208, CachestatSize = 40;

    /// <summary>The largest struct of the caller's size a syscall fills: one page, a larger size is refused with E2BIG.</summary>
    private const int MaxStructSize = 4096;

    private static Dictionary<int, SyscallSpec> Build()
    {
        var d = new Dictionary<int, SyscallSpec>();
        void Add(int nr, string name, ReplayKind kind, Action<OutputCapture>? outputs = null) => d.Add(nr, new SyscallSpec(nr, name, kind, outputs));
        void E(int nr, string name, Action<OutputCapture>? outputs = null) => Add(nr, name, Emulated, outputs);
        void U(string why, params (int Nr, string Name)[] calls)
        {
            foreach (var (nr, name) in calls)
            {
                d.Add(nr, new SyscallSpec(nr, name, Unsupported, Refusal: why));
            }
        }

        // Files and descriptors.
        E(0, "read", c => c.ResultBytes(1));
        E(1, "write");
        E(2, "open");
        E(3, "close");
        E(4, "stat", c => c.Fixed(1, StatSize));
        E(5, "fstat", c => c.Fixed(1, StatSize));
        E(6, "lstat", c => c.Fixed(1, StatSize));
        E(7, "poll", c => c.At(c.Args[0], (long)Math.Min(c.Args[1], 65536) * 8));
        E(8, "lseek");
        E(16, "ioctl", Ioctl);
        E(17, "pread64", c => c.ResultBytes(1));
        E(18, "pwrite64");
        E(19, "readv", c => c.Scatter(c.Args[1], c.Args[2], c.Result));
        E(20, "writev");
        E(21, "access");
        E(22, "pipe", c => c.Fixed(0, 8));
        E(23, "select", c => FdSets(c, 4, 16));
        E(26, "msync");
        E(27, "mincore", c => c.At(c.Args[2], (long)((c.Args[1] + 4095) / 4096)));
        E(32, "dup");
        E(33, "dup2");
        E(40, "sendfile", c => c.Fixed(2, 8));
        E(72, "fcntl", Fcntl);
        E(73, "flock");
        E(74, "fsync");
        E(75, "fdatasync");
        E(76, "truncate");
        E(77, "ftruncate");
        E(78, "getdents", c => c.ResultBytes(1));
        E(79, "getcwd", c => c.ResultBytes(0));
        E(80, "chdir");
        E(81, "fchdir");
        E(82, "rename");
        E(83, "mkdir");
        E(84, "rmdir");
        E(85, "creat");
        E(86, "link");
        E(87, "unlink");
        E(88, "symlink");
        E(89, "readlink", c => c.ResultBytes(1));
        E(90, "chmod");
        E(91, "fchmod");
        E(92, "chown");
        E(93, "fchown");
        E(94, "lchown");
        E(95, "umask");
        E(132, "utime");
        E(133, "mknod");
        E(137, "statfs", c => c.Fixed(1, StatfsSize));
        E(138, "fstatfs", c => c.Fixed(1, StatfsSize));
        E(161, "chroot");
        E(162, "sync");
        E(187, "readahead");
        E(188, "setxattr");
        E(189, "lsetxattr");
        E(190, "fsetxattr");
        E(191, "getxattr", c => c.ResultBytes(2));
        E(192, "lgetxattr", c => c.ResultBytes(2));
        E(193, "fgetxattr", c => c.ResultBytes(2));
        E(194, "listxattr", c => c.ResultBytes(1));
        E(195, "llistxattr", c => c.ResultBytes(1));
        E(196, "flistxattr", c => c.ResultBytes(1));
        E(197, "removexattr");
        E(198, "lremovexattr");
        E(199, "fremovexattr");
        // The *xattrat calls take a directory, a path and AT_ flags before the xattr arguments;
        // getxattrat's value and size come in a struct xattr_args (value pointer, size, flags).
        E(463, "setxattrat");
        E(464, "getxattrat", c => { if (c.Result > 0) c.At(c.ReadU64(c.Args[4]), c.Result); });
        E(465, "listxattrat", c => c.ResultBytes(3));
        E(466, "removexattrat");
        E(217, "getdents64", c => c.ResultBytes(1));
        E(221, "fadvise64");
        E(235, "utimes");
        E(253, "inotify_init");
        E(254, "inotify_add_watch");
        E(255, "inotify_rm_watch");
        E(257, "openat");
        E(258, "mkdirat");
        E(259, "mknodat");
        E(260, "fchownat");
        E(261, "futimesat");
        E(262, "newfstatat", c => c.Fixed(2, StatSize));
        E(263, "unlinkat");
        E(264, "renameat");
        E(265, "linkat");
        E(266, "symlinkat");
        E(267, "readlinkat", c => c.ResultBytes(2));
        E(268, "fchmodat");
        E(269, "faccessat");
        E(270, "pselect6", c => FdSets(c, 4, TimespecSize));
        E(271, "ppoll", c => { c.At(c.Args[0], (long)Math.Min(c.Args[1], 65536) * 8); c.Fixed(2, TimespecSize); });
        E(275, "splice", c => { c.Fixed(1, 8); c.Fixed(3, 8); });
        E(276, "tee");
        E(277, "sync_file_range");
        E(280, "utimensat");
        E(282, "signalfd");
        E(283, "timerfd_create");
        E(284, "eventfd");
        E(285, "fallocate");
        E(286, "timerfd_settime", c => c.Fixed(3, ItimerSize));
        E(287, "timerfd_gettime", c => c.Fixed(1, ItimerSize));
        E(289, "signalfd4");
        E(290, "eventfd2");
        E(292, "dup3");
        E(293, "pipe2", c => c.Fixed(0, 8));
        E(294, "inotify_init1");
        E(295, "preadv", c => c.Scatter(c.Args[1], c.Args[2], c.Result));
        E(296, "pwritev");
        E(306, "syncfs");
        E(316, "renameat2");
        E(319, "memfd_create");
        E(326, "copy_file_range", c => { c.Fixed(1, 8); c.Fixed(3, 8); });
        E(327, "preadv2", c => c.Scatter(c.Args[1], c.Args[2], c.Result));
        E(328, "pwritev2");
        E(332, "statx", c => c.Fixed(4, StatxSize));
        E(436, "close_range");
        E(437, "openat2");
        E(439, "faccessat2");
        E(452, "fchmodat2");
        // cachestat(fd, range, cstat, flags): a struct cachestat, five u64 page counts.
        E(451, "cachestat", c => c.Fixed(2, CachestatSize));
        // file_getattr(dfd, path, attr, size, at_flags): a struct file_attr of the caller's size,
        // what the kernel's struct lacks zeroed (copy_struct_to_user).
        E(468, "file_getattr", c => { if (c.Succeeded) c.At(c.Args[2], (long)Math.Min(c.Args[3], MaxStructSize)); });
        E(469, "file_setattr");

        // Polling and events.
        E(213, "epoll_create");
        E(232, "epoll_wait", c => c.ResultElements(1, 12));
        E(233, "epoll_ctl");
        E(281, "epoll_pwait", c => c.ResultElements(1, 12));
        E(291, "epoll_create1");
        E(441, "epoll_pwait2", c => c.ResultElements(1, 12));

        // Sockets.
        E(41, "socket");
        E(42, "connect");
        E(43, "accept", c => c.SocketAddress(c.Args[1], c.Args[2]));
        E(44, "sendto");
        E(45, "recvfrom", c => { c.ResultBytes(1); c.SocketAddress(c.Args[4], c.Args[5]); });
        E(46, "sendmsg");
        // A failed receive writes nothing of the header (___sys_recvmsg).
        E(47, "recvmsg", c => { if (c.Succeeded) c.ReceivedMessage(c.Args[1], c.Result); });
        E(48, "shutdown");
        E(49, "bind");
        E(50, "listen");
        E(51, "getsockname", c => c.SocketAddress(c.Args[1], c.Args[2]));
        E(52, "getpeername", c => c.SocketAddress(c.Args[1], c.Args[2]));
        E(53, "socketpair", c => c.Fixed(3, 8));
        E(54, "setsockopt");
        E(55, "getsockopt", c => { c.Fixed(4, 4); c.At(c.Args[3], Math.Min(c.ReadU32(c.Args[4]), 4096)); });
        E(288, "accept4", c => c.SocketAddress(c.Args[1], c.Args[2]));
        E(299, "recvmmsg", ReceivedMessages);
        E(307, "sendmmsg", c => c.ResultElements(1, 64));

        // Time.
        E(35, "nanosleep", c => c.Fixed(1, TimespecSize));
        E(36, "getitimer", c => c.Fixed(1, ItimerSize));
        E(37, "alarm");
        E(38, "setitimer", c => c.Fixed(2, ItimerSize));
        E(96, "gettimeofday", c => { c.Fixed(0, 16); c.Fixed(1, 8); });
        E(100, "times", c => c.Fixed(0, 32));
        E(159, "adjtimex", c => c.Fixed(0, TimexSize));
        E(201, "time", c => c.Fixed(0, 8));
        E(222, "timer_create", c => c.Fixed(2, 4));
        E(223, "timer_settime", c => c.Fixed(3, ItimerSize));
        E(224, "timer_gettime", c => c.Fixed(1, ItimerSize));
        E(225, "timer_getoverrun");
        E(226, "timer_delete");
        E(228, "clock_gettime", c => c.Fixed(1, TimespecSize));
        E(229, "clock_getres", c => c.Fixed(1, TimespecSize));
        E(230, "clock_nanosleep", c => c.Fixed(3, TimespecSize));
        E(305, "clock_adjtime", c => c.Fixed(1, TimexSize));

        // Processes, identity and limits.
        E(39, "getpid");
        Add(56, "clone", Clone, CloneIds);
        E(57, "fork");
        E(58, "vfork");
        E(59, "execve");
        // fexecve(3) and exec relative to a directory: the same exec event as execve.
        E(322, "execveat");
        // The status and usage are written only when a child was found (kernel_wait4): not by WNOHANG's 0.
        E(61, "wait4", c => { if (c.Result > 0) { c.Fixed(1, 4); c.Fixed(3, RusageSize); } });
        E(62, "kill");
        E(63, "uname", c => c.Fixed(0, UtsnameSize));
        E(97, "getrlimit", c => c.Fixed(1, 16));
        E(98, "getrusage", c => c.Fixed(1, RusageSize));
        E(99, "sysinfo", c => c.Fixed(0, SysinfoSize));
        E(102, "getuid");
        E(104, "getgid");
        E(105, "setuid");
        E(106, "setgid");
        E(107, "geteuid");
        E(108, "getegid");
        E(109, "setpgid");
        E(110, "getppid");
        E(111, "getpgrp");
        E(112, "setsid");
        E(113, "setreuid");
        E(114, "setregid");
        E(115, "getgroups", c => c.ResultElements(1, 4));
        E(116, "setgroups");
        E(117, "setresuid");
        E(118, "getresuid", c => { c.Fixed(0, 4); c.Fixed(1, 4); c.Fixed(2, 4); });
        E(119, "setresgid");
        E(120, "getresgid", c => { c.Fixed(0, 4); c.Fixed(1, 4); c.Fixed(2, 4); });
        E(121, "getpgid");
        E(122, "setfsuid");
        E(123, "setfsgid");
        E(124, "getsid");
        E(125, "capget", Capget);
        E(126, "capset");
        E(135, "personality");
        E(140, "getpriority");
        E(141, "setpriority");
        E(142, "sched_setparam");
        E(143, "sched_getparam", c => c.Fixed(1, 4));
        E(24, "sched_yield");
        E(144, "sched_setscheduler");
        E(145, "sched_getscheduler");
        E(146, "sched_get_priority_max");
        E(147, "sched_get_priority_min");
        E(148, "sched_rr_get_interval", c => c.Fixed(1, TimespecSize));
        E(157, "prctl", Prctl);
        E(160, "setrlimit");
        E(170, "sethostname");
        E(171, "setdomainname");
        E(186, "gettid");
        E(200, "tkill");
        E(202, "futex");
        E(203, "sched_setaffinity");
        E(204, "sched_getaffinity", c => c.ResultBytes(2));
        Add(218, "set_tid_address", ThreadSetup);
        E(219, "restart_syscall");
        E(234, "tgkill");
        E(237, "mbind");
        E(238, "set_mempolicy");
        E(247, "waitid", c => { c.Fixed(2, SiginfoSize); c.Fixed(4, RusageSize); });
        E(251, "ioprio_set");
        E(252, "ioprio_get");
        E(272, "unshare");
        Add(273, "set_robust_list", ThreadSetup);
        E(302, "prlimit64", c => c.Fixed(3, 16));
        E(309, "getcpu", c => { c.Fixed(0, 4); c.Fixed(1, 4); });
        E(312, "kcmp");
        E(314, "sched_setattr");
        E(315, "sched_getattr", c => c.At(c.Args[1], (long)Math.Min(c.Args[2], 4096)));
        E(318, "getrandom", c => c.ResultBytes(0));
        E(324, "membarrier");
        E(334, "rseq");
        E(424, "pidfd_send_signal");
        E(434, "pidfd_open");
        Add(435, "clone3", Clone, Clone3);
        E(438, "pidfd_getfd");
        E(444, "landlock_create_ruleset");
        E(445, "landlock_add_rule");
        E(446, "landlock_restrict_self");
        E(449, "futex_waitv");
        E(454, "futex_wake");
        E(455, "futex_wait");
        E(456, "futex_requeue");
        // The LSM attributes of the calling process (lsm_get_self_attr(2)): the size word is
        // written even when the buffer is too small (E2BIG), the lsm_ctx entries, that many bytes, on success.
        E(459, "lsm_get_self_attr", c => { c.Fixed(2, 4); if (c.Succeeded) c.At(c.Args[1], c.ReadU32(c.Args[2])); });
        E(460, "lsm_set_self_attr");
        // lsm_list_modules(ids, size, flags): the size word, then one u64 id per module, as many as the result.
        E(461, "lsm_list_modules", c => { c.Fixed(1, 4); c.ResultElements(0, 8); });

        // Signals that interact with the world (the mask and handlers are untraced, above).
        E(34, "pause");
        E(127, "rt_sigpending", c => c.Fixed(0, 8));
        E(128, "rt_sigtimedwait", c => c.Fixed(1, SiginfoSize));
        E(129, "rt_sigqueueinfo");
        E(130, "rt_sigsuspend");
        E(297, "rt_tgsigqueueinfo");

        // The tracee's own address space and life.
        Add(9, "mmap", Mmap);
        Add(12, "brk", Brk);
        Add(25, "mremap", Mremap);
        Add(60, "exit", Executed);
        Add(231, "exit_group", Executed);
        // Locked pages refuse MADV_DONTNEED (madvise(2), EINVAL): the locks must be real in replay too.
        Add(149, "mlock", Executed);
        Add(150, "munlock", Executed);
        Add(151, "mlockall", Executed);
        Add(152, "munlockall", Executed);
        Add(325, "mlock2", Executed);
        // A sealed mapping refuses mprotect, munmap, mremap and MAP_FIXED over it (EPERM, mseal(2)),
        // and mprotect and munmap run again in replay untraced: the seal must be real there too.
        Add(Nr.mseal, "mseal", Executed);
        // The kernel's own calls from its uprobe trampolines; from anywhere else uretprobe raises
        // SIGILL and uprobe fails with ENXIO (arch/x86/kernel/uprobes.c), again when run in replay.
        Add(335, "uretprobe", Executed);
        Add(336, "uprobe", Executed);
        // Protection keys: the key number the kernel picks is the lowest free one, the same again.
        Add(330, "pkey_alloc", Executed);
        Add(331, "pkey_free", Executed);
        // Stops only for ARCH_GET_CPUID and ARCH_SET_CPUID (SeccompFilter), which replay must not
        // run: its own CPUID trap would be told or undone. The recorder answers them where it traps CPUID.
        E(158, "arch_prctl");
        foreach (int nr in Untraced)
        {
            d.TryAdd(nr, new SyscallSpec(nr, UntracedNames[nr], Executed));
        }

        // The system's administration: they act on the machine, not on the program's memory; the
        // result is all it sees. Those the kernel no longer has answer ENOSYS alike.
        foreach (var (nr, name) in new[]
        {
            (134, "uselib"), (153, "vhangup"), (155, "pivot_root"), (156, "_sysctl"), (163, "acct"), (164, "settimeofday"),
            (165, "mount"), (166, "umount2"), (167, "swapon"), (168, "swapoff"), (169, "reboot"), (174, "create_module"),
            (175, "init_module"), (176, "delete_module"), (177, "get_kernel_syms"), (178, "query_module"), (180, "nfsservctl"),
            (181, "getpmsg"), (182, "putpmsg"), (183, "afs_syscall"), (184, "tuxcall"), (185, "security"),
            (214, "epoll_ctl_old"), (215, "epoll_wait_old"), (227, "clock_settime"), (236, "vserver"), (246, "kexec_load"),
            (248, "add_key"), (249, "request_key"), (256, "migrate_pages"), (300, "fanotify_init"), (301, "fanotify_mark"),
            (304, "open_by_handle_at"), (308, "setns"), (313, "finit_module"), (320, "kexec_file_load"), (428, "open_tree"),
            (429, "move_mount"), (430, "fsopen"), (431, "fsconfig"), (432, "fsmount"), (433, "fspick"), (440, "process_madvise"),
            (442, "mount_setattr"), (448, "process_mrelease"), (450, "set_mempolicy_home_node"), (467, "open_tree_attr"),
            (240, "mq_open"), (241, "mq_unlink"), (242, "mq_timedsend"), (244, "mq_notify"),
        })
        {
            E(nr, name);
        }
        // syslog: SYSLOG_ACTION_READ, READ_ALL and READ_CLEAR copy the log into the buffer.
        E(103, "syslog", c => { if (c.Args[0] is 2 or 3 or 4) c.ResultBytes(1); });
        E(136, "ustat", c => c.Fixed(1, 32));
        // statmount(req, buf, bufsize, flags): a struct statmount and its strings, whose size
        // field says how many bytes were written; listmount(req, ids, count, flags): u64 mount ids.
        E(457, "statmount", c => { if (c.Succeeded) c.At(c.Args[1], Math.Min(c.ReadU32(c.Args[1]), (long)c.Args[2])); });
        E(458, "listmount", c => c.ResultElements(1, 8));
        // sysfs(2, index, buf): a file system's name.
        E(139, "sysfs", c => { if (c.Args[0] == 2) c.At(c.Args[2], 256); });
        E(211, "get_thread_area", c => c.Fixed(0, 16));
        E(212, "lookup_dcookie", c => c.ResultBytes(1));
        E(239, "get_mempolicy", c => { c.Fixed(0, 4); c.At(c.Args[1], (long)((Math.Min(c.Args[2], 1 << 16) + 63) / 64 * 8)); });
        E(243, "mq_timedreceive", c => { c.ResultBytes(1); c.Fixed(3, 4); });
        E(245, "mq_getsetattr", c => c.Fixed(2, 64));
        E(274, "get_robust_list", c => { c.Fixed(1, 8); c.Fixed(2, 8); });
        E(279, "move_pages", c => c.At(c.Args[4], (long)Math.Min(c.Args[1], 1 << 20) * 4));
        // struct file_handle: its size word, its type, then that many bytes.
        E(303, "name_to_handle_at", c => { c.At(c.Args[2], 8 + Math.Min(c.ReadU32(c.Args[2]), 128)); c.Fixed(3, 4); });

        // System V semaphores and message queues: other processes change them, but the program
        // sees them only through these syscalls, whose results and outputs are logged
        // (semctl(2), msgctl(2); the cmd's IPC_64 bit masked off).
        E(64, "semget");
        E(65, "semop");
        E(220, "semtimedop");
        E(66, "semctl", c =>
        {
            switch (c.Args[2] & 0xff)
            {
                case IpcStat or SemStat or SemStatAny: c.At(c.Args[3], 104); break; // struct semid64_ds
                case IpcInfo or SemInfo: c.At(c.Args[3], 40); break; // struct seminfo
                // An array of sem_nsems unsigned shorts, at most SEMMSL (32000): what lies past the
                // set's own is the program's, rewritten in replay as it was then.
                case SemGetAll: c.At(c.Args[3], 2 * 32000); break;
            }
        });
        E(68, "msgget");
        E(69, "msgsnd");
        // The message: its long mtype, then the text, the result's length of it.
        E(70, "msgrcv", c => { if (c.Result >= 0) c.At(c.Args[1], 8 + c.Result); });
        E(71, "msgctl", c =>
        {
            switch (c.Args[1] & 0xff)
            {
                case IpcStat or MsgStat or MsgStatAny: c.At(c.Args[2], 120); break; // struct msqid64_ds
                case IpcInfo or MsgInfo: c.At(c.Args[2], 32); break; // struct msginfo
            }
        });
        // System V shared memory: the segments are the kernel's, and their ids the recording
        // machine's; what the program sees of them comes through these calls, and their memory is
        // mapped again from one stand-in per segment, which every attach maps (docs/decisions.md).
        E(29, "shmget");
        Add(30, "shmat", Mmap);
        Add(67, "shmdt", Detach);
        E(31, "shmctl", c =>
        {
            switch (c.Args[1] & 0xff)
            {
                case IpcStat or ShmStat or ShmStatAny: c.At(c.Args[2], 112); break; // struct shmid64_ds
                case IpcInfo: c.At(c.Args[2], 72); break; // struct shminfo64
                case ShmInfo: c.At(c.Args[2], 48); break; // struct shm_info
            }
        });
        // process_vm_readv fills the caller's local iovecs. process_vm_writev changes the caller's
        // memory only when it names the caller's own process: its remote iovecs are read back in the
        // caller's memory after the call, which holds the bytes written there, or else the bytes
        // that were already there, which replay rewrites unchanged.
        E(310, "process_vm_readv", c => c.Scatter(c.Args[1], c.Args[2], c.Result));
        E(311, "process_vm_writev", c => c.Scatter(c.Args[3], c.Args[4], c.Result));

        // A filter the program installs goes in through the recorder (ProgramFilter); the kernel
        // answers anything else: SECCOMP_GET_ACTION_AVAIL, and SECCOMP_GET_NOTIF_SIZES's three u16.
        E(317, "seccomp", c => { if (c.Args[0] == 3) c.Fixed(2, 6); });

        // The program's ptrace of a process Rewind does not record (Rewind traces every recorded
        // one, so the kernel answers EPERM for those, as for PTRACE_TRACEME): what it reads.
        E(101, "ptrace", Ptrace);
        // Kernel keys: the ids are numbers the program learns from results (keyctl(2)).
        E(250, "keyctl", Keyctl);
        // Disk quotas: the answers of the Q_GET* commands (quotactl(2)).
        E(179, "quotactl", c => Quota(c, c.Args[0], c.Args[3]));
        E(443, "quotactl_fd", c => Quota(c, c.Args[1], c.Args[3]));
        // Segment descriptors are the thread's own, and change what its later instructions do:
        // executed again (the kernel writes the same answers: modify_ldt's reads, set_thread_area's entry number).
        Add(154, "modify_ldt", Executed);
        Add(205, "set_thread_area", Executed);
        // I/O port access is the thread's own too; what its port reads return is not recorded,
        // so a grant ends the recording (RecordSession's PortAccessGranted), a refusal is logged.
        Add(172, "iopl", Executed);
        Add(173, "ioperm", Executed);

        // What the program is told does not exist (ENOSYS, as by a kernel built without it): it
        // does without, as programs do where such a kernel runs; the recording tells the user.
        void W(string why, params (int Nr, string Name)[] calls)
        {
            foreach (var (nr, name) in calls)
            {
                d.Add(nr, new SyscallSpec(nr, name, Emulated, Withheld: why));
            }
        }
        W("asynchronous I/O completes outside any syscall, in memory the kernel fills later",
            (206, "io_setup"), (207, "io_destroy"), (208, "io_getevents"), (209, "io_submit"), (210, "io_cancel"),
            (333, "io_pgetevents"), (425, "io_uring_setup"), (426, "io_uring_enter"), (427, "io_uring_register"));
        W("the kernel fills its buffers asynchronously", (298, "perf_event_open"));
        W("kernel programs and their maps outlive the syscall and change behind the recorder's back", (321, "bpf"));
        W("the program would handle its own page faults", (323, "userfaultfd"));
        W("its memory is hidden from the tracer", (447, "memfd_secret"));
        W("shadow stacks are not recorded", (453, "map_shadow_stack"));

        // What a faithful recording cannot hold yet, and why.
        U("the pipe would hold the program's own pages, which it may change after the call", (278, "vmsplice"));
        U("the mapping's pages move without a record of where", (216, "remap_file_pages"));
        return d;
    }


    private static void FdSets(OutputCapture c, int timeoutArg, int timeoutSize)
    {
        long setBytes = (long)((Math.Min(c.Args[0], 65536) + 63) / 64 * 8);
        c.At(c.Args[1], setBytes);
        c.At(c.Args[2], setBytes);
        c.At(c.Args[3], setBytes);
        c.Fixed(timeoutArg, timeoutSize);
    }

    private static void Fcntl(OutputCapture c)
    {
        switch (c.Args[1])
        {
            case 5 or 36: c.Fixed(2, 32); break;   // F_GETLK, F_OFD_GETLK: struct flock
            case 16: c.Fixed(2, 8); break;         // F_GETOWN_EX
            case 1035 or 1037: c.Fixed(2, 8); break; // F_GET_RW_HINT, F_GET_FILE_RW_HINT: a u64
        }
    }

    /// <summary>
    /// prctl(option, arg2, …): the options that answer through a pointer (prctl(2)); the others
    /// answer in the result, or write nothing.
    /// </summary>
    private static void Prctl(OutputCapture c)
    {
        switch (c.Args[0])
        {
            case 16: c.Fixed(1, 16); break;        // PR_GET_NAME
            // PR_GET_PDEATHSIG, PR_GET_UNALIGN, PR_GET_FPEMU, PR_GET_FPEXC, PR_GET_ENDIAN, PR_GET_TSC, PR_GET_CHILD_SUBREAPER: an int
            case 2 or 5 or 9 or 11 or 19 or 25 or 37: c.Fixed(1, 4); break;
            case 40: c.Fixed(1, 8); break;         // PR_GET_TID_ADDRESS
            case 35 when c.Args[1] == 15: c.Fixed(2, 4); break; // PR_SET_MM, PR_SET_MM_MAP_SIZE: the size of struct prctl_mm_map
            case 62 when c.Args[1] == 0: c.Fixed(4, 8); break;  // PR_SCHED_CORE, PR_SCHED_CORE_GET: the cookie
            case 74: c.Fixed(1, 8); break;         // PR_GET_SHADOW_STACK_STATUS
            // PR_GET_AUXV: as much of the auxiliary vector as fits; the result is its whole size.
            case 0x41555856 when c.Succeeded: c.At(c.Args[1], Math.Min(c.Result, (long)c.Args[2])); break;
        }
    }

    /// <summary>
    /// capget(hdrp, datap) (capget(2), kernel/capability.c): a version the kernel does not know is
    /// answered with its own in hdrp->version (EINVAL, or success where datap is NULL: a probe);
    /// a known one gets one struct __user_cap_data_struct (version 1) or two.
    /// </summary>
    private static void Capget(OutputCapture c)
    {
        const uint Version1 = 0x19980330;
        c.Fixed(0, 4);
        if (c.Succeeded)
        {
            c.Fixed(1, c.ReadU32(c.Args[0]) == Version1 ? 12 : 24);
        }
    }

    /// <summary>
    /// ptrace(request, pid, addr, data) as the raw syscall writes it (ptrace(2), linux/ptrace.h):
    /// a peeked word, registers, siginfo, an event message, a regset through its iovec, signals
    /// peeked, a signal mask, a filter, a syscall's info, an rseq configuration.
    /// </summary>
    private static void Ptrace(OutputCapture c)
    {
        if (!c.Succeeded)
        {
            return;
        }
        ulong addr = c.Args[2], data = c.Args[3];
        switch (c.Args[0])
        {
            case 1 or 2 or 3: c.At(data, 8); break;                          // PEEKTEXT, PEEKDATA, PEEKUSER
            case 12: c.At(data, Registers.Size); break;                      // GETREGS
            case 14: c.At(data, 512); break;                                 // GETFPREGS
            case 25: c.At(data, 16); break;                                  // GET_THREAD_AREA
            case 0x4201: c.At(data, 8); break;                               // GETEVENTMSG
            case 0x4202: c.At(data, SiginfoSize); break;                     // GETSIGINFO
            case 0x4204: c.At(data, 16); c.At(c.ReadU64(data), (long)c.ReadU64(data + 8)); break; // GETREGSET: the iovec, its length set
            case 0x4209: c.At(data, c.Result * SiginfoSize); break;          // PEEKSIGINFO
            case 0x420a: c.At(data, 8); break;                               // GETSIGMASK
            case 0x420c: c.At(data, c.Result * 8); break;                    // SECCOMP_GET_FILTER
            case 0x420d: c.At(data, (long)Math.Min(addr, 16)); break;        // SECCOMP_GET_METADATA
            case 0x420e or 0x420f: c.At(data, Math.Min((long)addr, c.Result)); break; // GET_SYSCALL_INFO, GET_RSEQ_CONFIGURATION
        }
    }

    /// <summary>keyctl(cmd, …): the commands that fill a buffer the program gave (keyctl(2)).</summary>
    private static void Keyctl(OutputCapture c)
    {
        if (!c.Succeeded)
        {
            return;
        }
        switch (c.Args[0])
        {
            // DESCRIBE, READ, GET_SECURITY, DH_COMPUTE: (buffer, length); the result is the whole answer's size.
            case 6 or 11 or 17 or 23: c.At(c.Args[2], Math.Min(c.Result, (long)c.Args[3])); break;
            case 24: c.At(c.Args[4], 56); break;                             // PKEY_QUERY: struct keyctl_pkey_query
            case 25 or 26 or 27: c.At(c.Args[4], c.Result); break;           // PKEY_ENCRYPT, DECRYPT, SIGN: the output
            case 31: c.At(c.Args[1], Math.Min(c.Result, (long)c.Args[2])); break; // CAPABILITIES
        }
    }

    /// <summary>quotactl's Q_GET* answers at <paramref name="addr"/>, by command (linux/quota.h, linux/dqblk_xfs.h).</summary>
    private static void Quota(OutputCapture c, ulong cmd, ulong addr)
    {
        if (!c.Succeeded)
        {
            return;
        }
        long size = (cmd >> 8) switch
        {
            0x800004 => 4,                 // Q_GETFMT
            0x800005 => 24,                // Q_GETINFO: struct if_dqinfo
            0x800007 or 0x800009 => 72,    // Q_GETQUOTA, Q_GETNEXTQUOTA: struct if_dqblk, if_nextdqblk
            0x5803 or 0x5809 => 112,       // Q_XGETQUOTA, Q_XGETNEXTQUOTA: struct fs_disk_quota
            0x5805 => 80,                  // Q_XGETQSTAT: struct fs_quota_stat
            0x5808 => 160,                 // Q_XGETQSTATV: struct fs_quota_statv
            _ => 0,
        };
        c.At(addr, size);
    }

    /// <summary>
    /// clone(flags, stack, parent_tid, child_tid, tls): the new tid where the flags ask for it, and
    /// the pidfd of CLONE_PIDFD, which the kernel stores at parent_tid too (clone(2)).
    /// </summary>
    private static void CloneIds(OutputCapture c)
    {
        if ((c.Args[0] & (CloneFlags.ParentSetTid | CloneFlags.PidFd)) != 0)
        {
            c.Fixed(2, 4);
        }
        if ((c.Args[0] & CloneFlags.ChildSetTid) != 0)
        {
            c.Fixed(3, 4);
        }
    }

    /// <summary>clone3's struct clone_args: flags, pidfd, child_tid, parent_tid, … (linux/sched.h).</summary>
    private static void Clone3(OutputCapture c)
    {
        ulong args = c.Args[0];
        ulong flags = c.ReadU64(args);
        if ((flags & CloneFlags.PidFd) != 0)
        {
            c.At(c.ReadU64(args + 8), 4);
        }
        if ((flags & CloneFlags.ChildSetTid) != 0)
        {
            c.At(c.ReadU64(args + 16), 4);
        }
        if ((flags & CloneFlags.ParentSetTid) != 0)
        {
            c.At(c.ReadU64(args + 24), 4);
        }
    }

    private static void ReceivedMessages(OutputCapture c)
    {
        for (long i = 0; i < Math.Min(c.Result, 1024); i++)
        {
            ulong entry = c.Args[1] + (ulong)i * 64;
            c.ReceivedMessage(entry, c.ReadU32(entry + 56));
            c.At(entry + 56, 4);
        }
        c.Fixed(4, TimespecSize);
    }
}

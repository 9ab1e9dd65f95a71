using System.Runtime.InteropServices;
using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// A pid namespace where resumed processes have their own pids and tids back when ours cannot
/// give them (docs/hibernation.md, "Pids and tids"). A stub is moved into new pid and mount
/// namespaces (unshare(2)), and, where rewind lacks CAP_SYS_ADMIN, into a new user namespace too,
/// mapping rewind's own uid and gid to themselves, in which the stub holds the capabilities that
/// the other two need (user_namespaces(7)). Its children are born in the pid namespace, where
/// clone3's set_tid gives each process and thread its own id. The first is the namespace's init
/// (pid 1), which mounts a /proc of the namespace, so that /proc/self and /proc/PID name a process
/// as getpid does. A pid namespace ends with its init (pid_namespaces(7)): the init reaps the
/// processes orphaned to it, and ends once the first resumed process has, and every process left
/// in the namespace with it.
/// </summary>
internal sealed class PidNamespace : IDisposable
{
    private const int CAP_SYS_ADMIN = 21, PR_SET_NAME = 15, POLLIN = 1, SIG_IGN = 1;
    private const ulong MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REC = 0x4000, MS_SLAVE = 0x80000;

    /// <summary>
    /// What the init runs once let go, with r12 pointing at a struct pollfd for the pidfd of the
    /// first resumed process: it waits for that process to end, then for its own children to,
    /// and exits. Its SIGCHLD is ignored, so they end without becoming zombies, and wait4 returns
    /// ECHILD only once none is left (wait(2), NOTES).
    /// </summary>
    private static readonly byte[] Reaper =
    [
        0x4c, 0x89, 0xe7,                   // root:  mov rdi, r12             the pollfd
        0xbe, 0x01, 0x00, 0x00, 0x00,       //        mov esi, 1
        0xba, 0xff, 0xff, 0xff, 0xff,       //        mov edx, -1              no timeout
        0xb8, 0x07, 0x00, 0x00, 0x00,       //        mov eax, 7               poll
        0x0f, 0x05,                         //        syscall
        0x48, 0x83, 0xf8, 0x01,             //        cmp rax, 1
        0x75, 0xe6,                         //        jne root
        0xbf, 0xff, 0xff, 0xff, 0xff,       // left:  mov edi, -1              any child
        0x31, 0xf6,                         //        xor esi, esi
        0xba, 0x00, 0x00, 0x00, 0x40,       //        mov edx, 0x40000000      __WALL
        0x45, 0x31, 0xd2,                   //        xor r10d, r10d
        0xb8, 0x3d, 0x00, 0x00, 0x00,       //        mov eax, 61              wait4
        0x0f, 0x05,                         //        syscall
        0x48, 0x83, 0xf8, 0xf6,             //        cmp rax, -ECHILD
        0x75, 0xe4,                         //        jne left
        0x31, 0xff,                         //        xor edi, edi
        0xb8, 0xe7, 0x00, 0x00, 0x00,       //        mov eax, 231             exit_group(0)
        0x0f, 0x05,                         //        syscall
    ];

    private readonly Tracee _origin;
    private readonly Tracee _init;
    private readonly bool _ownUsers;
    private bool _started;

    private PidNamespace(Tracee origin, Tracee init, bool ownUsers) => (_origin, _init, _ownUsers) = (origin, init, ownUsers);

    /// <summary>A new namespace, its init stopped; null, with why, where the kernel or a container refuses one.</summary>
    public static PidNamespace? Make(out string? refusal)
    {
        bool ownUsers = (ProcStatus.Capabilities(Environment.ProcessId) & 1UL << CAP_SYS_ADMIN) == 0;
        if (ownUsers && File.ReadAllText("/proc/sys/user/max_user_namespaces").Trim() == "0")
        {
            refusal = "no pid namespace can be made here: user namespaces are off (/proc/sys/user/max_user_namespaces is 0)";
            return null;
        }
        var origin = CheckpointRestore.SpawnStub();
        Tracee? init = null;
        string step = ownUsers ? "unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS)" : "unshare(CLONE_NEWPID | CLONE_NEWNS)";
        try
        {
            origin.InjectSyscallChecked(step, Nr.unshare, CloneFlags.NewPids | CloneFlags.NewMounts | (ownUsers ? CloneFlags.NewUsers : 0));
            if (ownUsers)
            {
                step = "mapping rewind's uid and gid to themselves";
                MapOwnIds(origin.Pid);
            }
            step = "clone";
            init = origin.ForkChild(1);
            step = "mounting a /proc of its own";
            MountProc(init);
            refusal = null;
            return new PidNamespace(origin, init, ownUsers);
        }
        catch (Exception e) when (e is ErrnoException or IOException or UnauthorizedAccessException)
        {
            init?.Dispose();
            origin.Dispose();
            refusal = $"no pid namespace can be made here: {step}: {(e is ErrnoException errno ? Marshal.GetPInvokeErrorMessage(errno.Errno) : e.Message)}";
            return null;
        }
    }

    /// <summary>Why no pid namespace can be made here, found by making one (and ending it at once); null where one can.</summary>
    public static string? Refusal()
    {
        using var tried = Make(out string? refusal);
        return refusal;
    }

    /// <summary>
    /// A stopped stub in the namespace, under <paramref name="pid"/> where the kernel allows it:
    /// the <paramref name="first"/> resumed process is `rewind resume`'s child (CLONE_PARENT), which
    /// it waits for and gives the terminal to; the others are the init's, which outlives them.
    /// </summary>
    public Tracee ForkRoot(int pid, bool first) => first ? _origin.ForkSibling(pid) : _init.ForkChild(pid);

    /// <summary>
    /// Takes from a resumed thread the capabilities its stub held in the namespace's own user
    /// namespace (every one: user_namespaces(7)) to choose ids: it goes on with those of `rewind
    /// resume`, none. A namespace made with rewind's own CAP_SYS_ADMIN gives none to take.
    /// </summary>
    public void GiveUpCapabilities(Tracee thread)
    {
        if (!_ownUsers)
        {
            return;
        }
        // struct __user_cap_header_struct (_LINUX_CAPABILITY_VERSION_3, this thread), then two
        // struct __user_cap_data_struct of effective, permitted and inheritable sets, all empty.
        var caps = new byte[32];
        BitConverter.TryWriteBytes(caps, 0x20080522);
        thread.InjectSyscallWithBuffer("capset", Nr.capset, caps, at => [at, at + 8]);
    }

    /// <summary>
    /// Lets the init go, to wait for the first resumed process, <paramref name="root"/> by its own
    /// pid, and then for those it adopted: it holds none of rewind's descriptors (a pipe it held
    /// open would keep a reader from its end of file) nor its terminal (a session of its own), nor
    /// a directory busy, blocks every signal, and is named "rewind init" in ps.
    /// </summary>
    public void Start(int root)
    {
        var t = _init;
        t.CloseDescriptors();
        t.InjectSyscallChecked("setsid", Nr.setsid);
        t.InjectSyscallWithBuffer("chdir(/)", Nr.chdir, "/\0"u8.ToArray(), at => [at]);
        t.InjectSyscallWithBuffer("prctl(PR_SET_NAME)", Nr.prctl, "rewind init\0"u8.ToArray(), at => [PR_SET_NAME, at]);
        int pidfd = (int)t.InjectSyscallChecked("pidfd_open", Nr.pidfd_open, (ulong)root, 0);
        // struct sigaction as the kernel takes it: handler, flags, restorer, mask.
        var ignore = new byte[32];
        BitConverter.TryWriteBytes(ignore, (ulong)SIG_IGN);
        t.InjectSyscallWithBuffer("rt_sigaction(SIGCHLD)", Nr.rt_sigaction, ignore, at => [Signal.SIGCHLD, at, 0, 8]);
        t.SetSignalMask(ulong.MaxValue);
        var code = new RemotePtr((ulong)t.InjectSyscallChecked("mmap", Nr.mmap, 0, AddressSpace.PageSize, Interop.PROT_READ | Interop.PROT_EXEC,
            Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS, ulong.MaxValue, 0));
        t.Write(code, Reaper);
        var regs = t.GetRegisters();
        // The struct pollfd on the stack, below its red zone.
        var pollfd = new RemotePtr((regs.Rsp - 128 - 16) & ~15UL);
        t.Write(pollfd, [.. BitConverter.GetBytes(pidfd), .. BitConverter.GetBytes((short)POLLIN), 0, 0]);
        (regs.Rip, regs.R12, regs.OrigRax) = (code.Value, pollfd.Value, ulong.MaxValue);
        t.SetRegisters(regs);
        LiveProcess.Of(t.Pid, [t]).Release();
        _started = true;
        _origin.Dispose();
    }

    /// <summary>
    /// Maps rewind's own uid and gid to themselves in the user namespace of process <paramref name="pid"/>,
    /// as a user may (user_namespaces(7), "Defining user and group ID mappings"): one line each, from
    /// the namespace's parent, the gid only once setgroups(2) is denied in it.
    /// </summary>
    private static void MapOwnIds(int pid)
    {
        File.WriteAllText($"/proc/{pid}/setgroups", "deny");
        File.WriteAllText($"/proc/{pid}/uid_map", $"{Interop.geteuid()} {Interop.geteuid()} 1");
        File.WriteAllText($"/proc/{pid}/gid_map", $"{Interop.getegid()} {Interop.getegid()} 1");
    }

    /// <summary>
    /// Mounts a /proc of the namespace over ours, in its mount namespace alone: its mounts are made
    /// slaves first, so that what is mounted there stays there while mounts made outside still show.
    /// </summary>
    private static void MountProc(Tracee init)
    {
        byte[] names = "/\0proc\0/proc\0"u8.ToArray();
        init.InjectSyscallWithBuffer("mount(MS_REC | MS_SLAVE)", Nr.mount, names, at => [0, at, 0, MS_REC | MS_SLAVE, 0]);
        init.InjectSyscallWithBuffer("mount(proc)", Nr.mount, names, at => [at + 2, at + 7, at + 2, MS_NOSUID | MS_NODEV | MS_NOEXEC, 0]);
    }

    public void Dispose()
    {
        _origin.Dispose();
        if (!_started)
        {
            _init.Dispose();
        }
    }
}

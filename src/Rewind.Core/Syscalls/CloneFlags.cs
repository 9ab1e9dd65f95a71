namespace Rewind.Syscalls;

/// <summary>clone(2) flags the recorder must look at.</summary>
public static class CloneFlags
{
    public const ulong Vm = 0x100, Fs = 0x200, Files = 0x400, SigHand = 0x800, SysVSem = 0x40000, Vfork = 0x4000, Thread = 0x10000, PidFd = 0x1000, ParentSetTid = 0x100000,
        ChildClearTid = 0x200000, ChildSetTid = 0x1000000, Untraced = 0x800000, Parent = 0x8000, SetTls = 0x80000;

    /// <summary>New namespaces, for clone or unshare(2): of mounts, user ids, pids.</summary>
    public const ulong NewMounts = 0x20000, NewUsers = 0x10000000, NewPids = 0x20000000;

    /// <summary>CLONE_CLEAR_SIGHAND (clone3 only): the child's handlers are reset, as by execve.</summary>
    public const ulong ClearSigHand = 0x100000000;

    /// <summary>
    /// The flags of a fork, vfork, clone (its first argument) or clone3 (the first field of its
    /// struct clone_args, read from <paramref name="t"/>'s memory); 0 for any other syscall.
    /// </summary>
    public static ulong Of(int number, ulong firstArg, Tracee t) => number switch
    {
        Nr.vfork => Vm | Vfork,
        Nr.clone => firstArg,
        Nr.clone3 => t.ReadUInt64(new RemotePtr(firstArg)),
        _ => 0,
    };

    /// <summary>
    /// The clear-child-tid word a clone gives its child: its ctid argument (the fourth of clone,
    /// the child_tid field of clone3's struct), when it has CLONE_CHILD_CLEARTID; null otherwise.
    /// </summary>
    public static RemotePtr ClearChildTid(int number, ulong[] args, Tracee t) =>
        (Of(number, args[0], t) & ChildClearTid) == 0 ? RemotePtr.Null
        : new RemotePtr(number == Nr.clone3 ? t.ReadUInt64(new RemotePtr(args[0] + 16)) : args[3]);
}

namespace Rewind.Syscalls;

/// <summary>clone(2) flags the recorder must look at.</summary>
public static class CloneFlags
{
    public const ulong Vm = 0x100, Fs = 0x200, Files = 0x400, SigHand = 0x800, SysVSem = 0x40000, Vfork = 0x4000, Thread = 0x10000, PidFd = 0x1000, ParentSetTid = 0x100000,
        ChildClearTid = 0x200000, ChildSetTid = 0x1000000;

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
}

namespace Rewind.Syscalls;

/// <summary>clone(2) flags the recorder must look at.</summary>
public static class CloneFlags
{
    public const ulong Vm = 0x100, Vfork = 0x4000, Thread = 0x10000, PidFd = 0x1000, ParentSetTid = 0x100000;
}

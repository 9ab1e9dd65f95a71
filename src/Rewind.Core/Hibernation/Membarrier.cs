using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// The membarrier(2) commands a process registered for, which the kernel keeps with its memory
/// (mm->membarrier_state), not in anything a restored process would otherwise get back. .NET
/// registers MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED at start and stops the process
/// (FlushProcessWriteBuffers, at each GC) if the expedited barrier then fails with EPERM. Read with
/// MEMBARRIER_CMD_GET_REGISTRATIONS (Linux 6.3; an older kernel answers EINVAL and none are kept).
/// </summary>
internal static class Membarrier
{
    private const ulong GetRegistrations = 1 << 9;

    /// <summary>The MEMBARRIER_CMD_REGISTER_* commands: global expedited, private expedited, and its sync-core and rseq kinds.</summary>
    private static readonly ulong[] Registrations = [1 << 2, 1 << 4, 1 << 6, 1 << 8];

    /// <summary>The registrations of the process <paramref name="t"/> is a thread of, as MEMBARRIER_CMD_REGISTER_* bits.</summary>
    public static ulong Read(Tracee t) => t.InjectSyscall(Nr.membarrier, GetRegistrations, 0) is var mask and > 0 ? (ulong)mask : 0;

    /// <summary>Registers the process <paramref name="t"/> is a thread of for each command of <paramref name="registrations"/>.</summary>
    public static void Register(Tracee t, ulong registrations)
    {
        foreach (ulong command in Registrations.Where(c => (registrations & c) != 0))
        {
            t.InjectSyscallChecked($"membarrier(register 0x{command:x})", Nr.membarrier, command, 0);
        }
    }
}

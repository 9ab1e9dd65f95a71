using Rewind.Syscalls;

namespace Rewind.Trace;

/// <summary>
/// The recorder patched code of the thread's process (a syscall site now jumping to
/// <see cref="SyscallHookPage"/>): <see cref="Mapped"/> are pages it mapped for the stubs first
/// (anonymous, read and execute), <see cref="Writes"/> the bytes it wrote. Replay does the same at
/// this point of the log, so the program runs the code it ran when recorded.
/// </summary>
public sealed record CodePatchEvent(Tid Tid, long Time, IReadOnlyList<RemotePtr> Mapped, IReadOnlyList<MemoryWrite> Writes) : TraceEvent(Tid, Time)
{
    /// <summary>The size of each page mapped.</summary>
    public const int PageLength = AddressSpace.PageSize;
}

using Rewind.Syscalls;

namespace Rewind.Trace;

/// <summary>A syscall the tracee made, its result and the memory the kernel wrote.</summary>
/// <param name="Output">For writes to stdout or stderr, the bytes written: replay shows them.</param>
/// <param name="Mapping">For an mmap of a file, which file content the mapping holds.</param>
/// <param name="Shared">For an mmap of a file the program can write through, the file shared by its mappings.</param>
public sealed record SyscallEvent(
    Tid Tid, long Time, int Number, ulong[] Args, long Result, RemotePtr Pc,
    IReadOnlyList<MemoryWrite> Writes, FileMapping? Mapping = null, StandardStream? Output = null,
    SharedFileMapping? Shared = null) : TraceEvent(Tid, Time)
{
    public string Name => SyscallTable.Name(Number);
}

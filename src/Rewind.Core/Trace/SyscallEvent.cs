using Rewind.Syscalls;

namespace Rewind.Trace;

/// <summary>A syscall the tracee made, its result and the memory the kernel wrote.</summary>
/// <param name="Output">For writes to stdout or stderr, the bytes written: replay shows them.</param>
/// <param name="Mapping">For an mmap of a file, which file content the mapping holds.</param>
/// <param name="Shared">For an mmap of a file the program can write through, the file shared by its mappings.</param>
/// <param name="Sent">For a syscall that handed the kernel bytes of the program's memory (<see cref="Syscalls.SentBytes"/>) other than <paramref name="Output"/>, their XxHash64: replay checks it; null in traces made before it.</param>
/// <param name="Paths">For a syscall that takes paths (<see cref="Syscalls.SyscallPaths"/>), the strings the program passed; null in traces made before format 3.</param>
public sealed record SyscallEvent(
    Tid Tid, long Time, int Number, ulong[] Args, long Result, RemotePtr Pc,
    IReadOnlyList<MemoryWrite> Writes, FileMapping? Mapping = null, StandardStream? Output = null,
    SharedFileMapping? Shared = null, IReadOnlyList<string>? Paths = null, ulong? Sent = null) : TraceEvent(Tid, Time)
{
    public string Name => SyscallTable.Name(Number);
}

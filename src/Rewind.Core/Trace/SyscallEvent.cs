using Rewind.Syscalls;

namespace Rewind.Trace;

/// <summary>A syscall the tracee made, its result and the memory the kernel wrote.</summary>
/// <param name="Output">For writes to stdout or stderr, the bytes written: replay shows them.</param>
/// <param name="Mapping">For an mmap of a file, which file content the mapping holds.</param>
/// <param name="Shared">For an mmap replay makes from a stand-in of the file, the file shared by those mappings.</param>
/// <param name="Sent">For a syscall that handed the kernel bytes of the program's memory (<see cref="Syscalls.SentBytes"/>) other than <paramref name="Output"/>, their XxHash64: replay checks it; null in traces made before it.</param>
/// <param name="Paths">For a syscall that takes paths (<see cref="Syscalls.SyscallPaths"/>), the strings the program passed; null in traces made before format 3.</param>
/// <param name="Change">For a syscall that changed a file the program maps, the change (<see cref="FileChange"/>).</param>
/// <param name="PastEnd">For an mmap that replay makes a private copy of a file's bytes and that reaches past the file's last page, the file (device, inode): replay maps its stand-in there, whose size makes those pages raise SIGBUS until the file grows.</param>
public sealed record SyscallEvent(
    Tid Tid, long Time, int Number, ulong[] Args, long Result, RemotePtr Pc,
    IReadOnlyList<MemoryWrite> Writes, FileMapping? Mapping = null, StandardStream? Output = null,
    SharedFileMapping? Shared = null, IReadOnlyList<string>? Paths = null, ulong? Sent = null, FileChange? Change = null,
    (ulong Device, ulong Inode)? PastEnd = null) : TraceEvent(Tid, Time)
{
    public string Name => SyscallTable.Name(Number);
}

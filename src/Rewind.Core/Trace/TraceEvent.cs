using Rewind.Syscalls;

namespace Rewind.Trace;

/// <summary>
/// One nondeterministic input the recording logged. Events are numbered from 0 in trace order;
/// Time is microseconds since the recording started.
/// </summary>
public abstract record TraceEvent(Tid Tid, long Time);

/// <summary>A syscall the tracee made, its result and the memory the kernel wrote.</summary>
/// <param name="Output">For writes to stdout or stderr, the bytes written: replay shows them.</param>
/// <param name="Mapping">For an mmap of a file, which file content the mapping holds.</param>
public sealed record SyscallEvent(
    Tid Tid, long Time, int Number, ulong[] Args, long Result, RemotePtr Pc,
    IReadOnlyList<MemoryWrite> Writes, FileMapping? Mapping = null, StandardStream? Output = null) : TraceEvent(Tid, Time)
{
    public string Name => SyscallTable.Name(Number);
}

/// <summary>A signal delivered to the tracee.</summary>
/// <param name="Synchronous">Raised by the instruction at the pc (a fault): replay raises it by itself.</param>
/// <param name="Registers">The registers at delivery: where an asynchronous signal is delivered again.</param>
/// <param name="StackDigest">A digest of the top of the stack, the rest of that place's identity.</param>
public sealed record SignalEvent(Tid Tid, long Time, int Signal, byte[] SigInfo, bool Synchronous, Registers Registers, ulong StackDigest)
    : TraceEvent(Tid, Time);

/// <summary>An rdtsc or rdtscp the kernel trapped (PR_TSC_SIGSEGV) and the value it returned.</summary>
public sealed record RdtscEvent(Tid Tid, long Time, RemotePtr Pc, ulong Counter, uint Aux, bool IsRdtscp) : TraceEvent(Tid, Time);

/// <summary>The process replaced its image (execve); the new image is checkpoint <see cref="Checkpoint"/>.</summary>
public sealed record ExecEvent(Tid Tid, long Time, int Checkpoint) : TraceEvent(Tid, Time);

/// <summary>The end of the recorded process.</summary>
public sealed record ExitEvent(Tid Tid, long Time, ExitStatus Status) : TraceEvent(Tid, Time);

/// <summary>Bytes the program wrote to its stdout (1) or stderr (2).</summary>
public sealed record StandardStream(int Fd, byte[] Data);

/// <summary>A file mapped into memory: its content is the blob, deduplicated by content.</summary>
public sealed record FileMapping(string Path, BlobId Blob, ulong FileOffset, ulong FileSize);

/// <summary>How a process ended: an exit code, or the signal that killed it.</summary>
public readonly record struct ExitStatus(int Code, int Signal, bool CoreDumped)
{
    /// <summary>The status a shell reports: the code, or 128 plus the signal.</summary>
    public int ShellCode => Signal != 0 ? 128 + Signal : Code;

    public override string ToString() => Signal != 0 ? $"killed by {Linux.Signal.Name(Signal)}" : $"exit {Code}";
}

namespace Rewind.Syscalls;

/// <summary>
/// One syscall: its name, what replay does with it, where the kernel writes its results, and,
/// for one Rewind refuses, why; for one it withholds (answers ENOSYS, as a kernel built without
/// it would, for the program to do without), why.
/// <see cref="Outputs"/> lists the memory to capture at syscall exit; capturing more than the
/// kernel wrote is harmless, since replay writes back what a faithful replay already holds.
/// </summary>
public sealed record SyscallSpec(int Number, string Name, ReplayKind Replay, Action<OutputCapture>? Outputs = null, string? Refusal = null, string? Withheld = null);

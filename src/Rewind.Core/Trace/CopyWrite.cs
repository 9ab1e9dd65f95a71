using Rewind.Syscalls;

namespace Rewind.Trace;

/// <summary>Bytes of process <paramref name="Pid"/>'s memory in a mapping replay holds as a copy of a file that changed (<see cref="FileChange"/>).</summary>
public sealed record CopyWrite(int Pid, MemoryWrite Write);

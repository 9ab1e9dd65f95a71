namespace Rewind.Trace;

/// <summary>
/// A thread entered a syscall that may block, and other threads ran before it returned: replay
/// runs the thread to this syscall's entry here, so its code before the call runs in its recorded
/// place among the other threads'. The syscall's result follows later as its <see cref="SyscallEvent"/>.
/// </summary>
public sealed record SyscallEntryEvent(Tid Tid, long Time, int Number, ulong[] Args, RemotePtr Pc) : TraceEvent(Tid, Time);

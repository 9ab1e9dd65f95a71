namespace Rewind.Trace;

/// <summary>A signal delivered to the tracee.</summary>
/// <param name="Synchronous">Raised by the instruction at the pc (a fault): replay raises it by itself.</param>
/// <param name="Registers">The registers at delivery: where an asynchronous signal is delivered again.</param>
/// <param name="StackDigest">A digest of the top of the stack, the rest of that place's identity.</param>
/// <param name="RunNanos">
/// For an asynchronous signal, the CPU time its thread used since its previous event, in ns
/// (<see cref="ThreadCpu"/>), as a preemption has it: replay runs that much, less a margin, before
/// it looks for the place. Null for a fault, and in traces written before it was recorded.
/// </param>
/// <param name="StackTop">
/// For an asynchronous signal, the bytes <paramref name="StackDigest"/> was taken of: where every
/// register repeats at each pass of a loop, replay's probe tells the passes apart by comparing them.
/// Null where <paramref name="RunNanos"/> is.
/// </param>
public sealed record SignalEvent(Tid Tid, long Time, int Signal, byte[] SigInfo, bool Synchronous, Registers Registers, ulong StackDigest,
    ulong? RunNanos = null, byte[]? StackTop = null)
    : TraceEvent(Tid, Time);

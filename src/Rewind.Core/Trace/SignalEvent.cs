namespace Rewind.Trace;

/// <summary>A signal delivered to the tracee.</summary>
/// <param name="Synchronous">Raised by the instruction at the pc (a fault): replay raises it by itself.</param>
/// <param name="Registers">The registers at delivery: where an asynchronous signal is delivered again.</param>
/// <param name="StackDigest">A digest of the top of the stack, the rest of that place's identity.</param>
public sealed record SignalEvent(Tid Tid, long Time, int Signal, byte[] SigInfo, bool Synchronous, Registers Registers, ulong StackDigest)
    : TraceEvent(Tid, Time);

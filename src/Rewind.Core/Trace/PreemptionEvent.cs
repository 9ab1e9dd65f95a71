namespace Rewind.Trace;

/// <summary>
/// The recorder stopped a thread that had run its time slice while others waited, and switched
/// to another. The place is a fuzzy point (shared/DESIGN.md §4): replay runs the thread to the
/// first moment its registers and top of stack are these.
/// </summary>
/// <param name="RunNanos">CPU time the thread used since its previous event, in ns (<see cref="ThreadCpu"/>): replay runs that much, less a margin, before it looks for the place.</param>
public sealed record PreemptionEvent(Tid Tid, long Time, Registers Registers, ulong StackDigest, ulong RunNanos) : TraceEvent(Tid, Time);

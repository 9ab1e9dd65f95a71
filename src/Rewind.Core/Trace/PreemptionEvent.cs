namespace Rewind.Trace;

/// <summary>
/// The recorder stopped a thread that had run its time slice while others waited, and switched
/// to another. The place is a fuzzy point (shared/DESIGN.md §4): replay runs the thread to the
/// first moment its registers and top of stack are these.
/// </summary>
/// <param name="RunNanos">CPU time the thread used since its previous event, in ns (<see cref="ThreadCpu"/>): replay runs that much, less a margin, before it looks for the place.</param>
/// <param name="LoopWords">
/// Where the place is in a loop (a lap came back to it within a few hundred instructions), the
/// words of memory a lap writes, as they are at the place: where the laps come back with the same
/// registers and top of stack (a counter kept in memory), replay's search tells them apart by
/// these, and stops at the recorded lap, not the first. Null where no lap came back, or what it
/// wrote is not known.
/// </param>
public sealed record PreemptionEvent(Tid Tid, long Time, Registers Registers, ulong StackDigest, ulong RunNanos, IReadOnlyList<MemoryWord>? LoopWords = null)
    : TraceEvent(Tid, Time);

/// <summary>Eight bytes of the program's memory at <paramref name="Address"/>, read as a little-endian word.</summary>
public readonly record struct MemoryWord(RemotePtr Address, ulong Value);

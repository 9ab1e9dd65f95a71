namespace Rewind.Timeline;

/// <summary>
/// A moment of a replay without a hardware counter (shared/DESIGN.md §4): the event index (the
/// events before it, exact) and, inside the interval after it, the state the thread had there:
/// every register and a digest of the top of the stack. Going back to it runs the interval with a
/// breakpoint on its pc and takes the first hit in that state; where the whole state is equal,
/// the two hits are the same moment as far as the program can tell.
/// </summary>
/// <param name="Event">The index of the next event to be reproduced.</param>
/// <param name="IsBoundary">Right after an event was reproduced, before any instruction of the interval.</param>
/// <param name="Thread">The thread whose registers these are: the one that stopped, or that runs up to the next event.</param>
public sealed record Position(long Event, Registers Registers, ulong StackDigest, bool IsBoundary, Tid Thread = default)
{
    public RemotePtr Pc => Registers.Pc;

    /// <summary>Whether the replay at event <paramref name="nextEvent"/> with these registers is at this position.</summary>
    public bool Matches(long nextEvent, in Registers registers, IMemoryReader memory) =>
        nextEvent == Event && registers.SameUserState(Registers) && Rewind.StackDigest.Of(memory, registers.Sp) == StackDigest;

    public override string ToString() => $"event {Event} at {Pc}";
}

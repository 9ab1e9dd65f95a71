namespace Rewind.Replay;

/// <summary>What a stop inside a place probe's trampoline was (<see cref="PlaceProbe.Leave"/>).</summary>
internal enum ProbeStop
{
    /// <summary>Not the probe's: the caller handles it as it comes.</summary>
    Other,

    /// <summary>The probe's int3: the place's registers match, the search checks the rest.</summary>
    Hit,

    /// <summary>
    /// A word the place's loop writes, readable when the place was recorded, cannot be read now.
    /// Nothing but the searched thread runs until its place, and only a syscall or a signal,
    /// each an event before the place, could map it: the place cannot be reached.
    /// </summary>
    WordUnreadable,
}

namespace Rewind.Replay;

/// <summary>What a stop inside a place probe's trampoline was (<see cref="PlaceProbe.Leave"/>).</summary>
internal enum ProbeStop
{
    /// <summary>Not the probe's: the caller handles it as it comes.</summary>
    Other,

    /// <summary>The probe's int3: the place's registers match, the search checks the rest.</summary>
    Hit,

    /// <summary>
    /// A fault of the probe's load of a word the place's loop writes: the word cannot be read at
    /// this pass, and could at the place, so this pass is not the place. The thread itself can
    /// make it readable before the place without an event (mprotect runs untraced: glibc grows
    /// a thread's malloc arena so, and the loop's word may lie in the part not yet grown).
    /// </summary>
    Missed,
}

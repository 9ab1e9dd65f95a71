namespace Rewind.Checkpoints;

/// <summary>
/// How a restored process gets its shared file mappings: replay maps stand-ins of the recorded
/// files (<see cref="Replay.SharedFiles"/>), a resumed live process the files themselves
/// (<see cref="Hibernation.LiveMappings"/>).
/// </summary>
internal interface ISharedMappings
{
    /// <summary>
    /// Maps <paramref name="region"/>, shared or a private view (<see cref="SavedRegion.IsPrivateView"/>,
    /// whose bytes <paramref name="trace"/> holds); <paramref name="scratch"/> lends memory the
    /// kernel may write (the stub has no stack then).
    /// </summary>
    void MapRegion(Tracee t, SavedRegion region, Trace.TraceFile trace, RemotePtr scratch);

    /// <summary>A saved page of <paramref name="region"/>, a shared one mapped by <see cref="MapRegion"/>.</summary>
    void Write(Tracee t, SavedRegion region, SavedPage page);
}

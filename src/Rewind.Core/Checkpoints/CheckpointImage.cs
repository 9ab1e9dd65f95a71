using Rewind.Trace;

namespace Rewind.Checkpoints;

/// <summary>
/// A process's state at one moment, enough to recreate it in a new process with nothing from
/// the recording machine: memory regions with the pages that differ from their base (the mapped
/// file's bytes, or zeros), registers, FPU/AVX state, signal state and the program break.
/// </summary>
public sealed record CheckpointImage(
    int Index,
    long EventIndex,
    long Time,
    Registers Registers,
    byte[] ExtendedState,
    ulong BlockedSignals,
    IReadOnlyList<SignalAction> SignalActions,
    ulong ProgramBreak,
    IReadOnlyList<SavedRegion> Regions)
{
    /// <summary>Bytes of page data stored (not counting the mapped files' bytes).</summary>
    public long StoredBytes => Regions.Sum(r => r.Pages.Sum(p => (long)p.Data.Length));
}

/// <summary>A mapping of the checkpointed process; <see cref="Pages"/> hold only what differs from its base.</summary>
public sealed record SavedRegion(RemotePtr Start, RemotePtr End, Protection Protection, bool Shared, string Name, FileMapping? File, IReadOnlyList<SavedPage> Pages)
{
    public ulong Length => End - Start;
}

/// <summary>A run of whole pages at <see cref="Address"/>.</summary>
public sealed record SavedPage(RemotePtr Address, byte[] Data);

/// <summary>A signal disposition other than the default, as rt_sigaction's kernel struct holds it.</summary>
public sealed record SignalAction(int Signal, ulong Handler, ulong Flags, ulong Restorer, ulong Mask);

using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Checkpoints;

/// <summary>
/// A process's state at one moment, enough to recreate it in a new process with nothing from
/// the recording machine: memory regions with the pages that differ from their base (the mapped
/// file's bytes, or zeros), registers, FPU/AVX state, signal state and the program break.
/// As stored, an incremental checkpoint names its <see cref="Base"/> and keeps its pages in
/// <see cref="Parts"/> CheckpointPages chunks; <see cref="TraceFile.Checkpoint"/> returns the
/// merged, complete image (no base, no parts), and <see cref="TraceFile.CheckpointLayout"/> the same
/// without pages, which <see cref="CheckpointRestore"/> fills from the trace.
/// <see cref="Threads"/> holds every thread, the one whose <see cref="Registers"/>,
/// <see cref="ExtendedState"/> and <see cref="BlockedSignals"/> these are first; empty in
/// checkpoints of one thread written before threads were recorded (that thread is the main one).
/// <see cref="Moment"/> says which processes the checkpoint's moment holds (format 5); null in
/// checkpoints written before it.
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
    IReadOnlyList<SavedRegion> Regions,
    int? Base = null,
    int Parts = 0,
    IReadOnlyList<CheckpointThread>? Threads = null,
    CheckpointMoment? Moment = null)
{
    public IReadOnlyList<CheckpointThread> Threads { get; init; } = Threads ?? [];

    /// <summary>
    /// The seccomp filters the program installed, oldest first, guarded as Rewind installs them
    /// (format 6): every thread of the process has these, the recorder checkpoints no other case.
    /// </summary>
    public IReadOnlyList<ProgramFilter> Filters { get; init; } = [];

    /// <summary>Bytes of page data stored (not counting the mapped files' bytes).</summary>
    public long StoredBytes => Regions.Sum(r => r.Pages.Sum(p => (long)p.Data.Length));
}

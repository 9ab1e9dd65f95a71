using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Checkpoints;

/// <summary>
/// What the tracer thread reads from a fresh snapshot process with ptrace, so the rest of its
/// checkpoint (memory) can be persisted from other threads.
/// </summary>
internal sealed record SnapshotState(
    int Index,
    long EventIndex,
    long Time,
    Registers Registers,
    byte[] ExtendedState,
    ulong BlockedSignals,
    IReadOnlyList<SignalAction> SignalActions,
    ulong ProgramBreak,
    IReadOnlyList<MemoryRegion> Regions)
{
    /// <summary>Every thread, the snapshot's own first (<see cref="CheckpointImage.Threads"/>); the recorder knows them, not the snapshot.</summary>
    public IReadOnlyList<CheckpointThread> Threads { get; init; } = [];

    /// <summary>The seccomp filters the program installed, which every thread of the process has (<see cref="CheckpointImage.Filters"/>).</summary>
    public IReadOnlyList<ProgramFilter> Filters { get; init; } = [];

    /// <summary>The ranges the program sealed (mseal(2)), whose regions are saved sealed (<see cref="SavedRegion.Sealed"/>).</summary>
    public IReadOnlyList<(RemotePtr Start, RemotePtr End)> Sealed { get; init; } = [];

    /// <summary>
    /// Whether <paramref name="region"/> is sealed: a seal is a flag of the mapping (VM_SEALED), so
    /// the kernel splits a mapping where a seal starts or ends, and a region is sealed whole or not at all.
    /// </summary>
    public bool IsSealed(MemoryRegion region) => Sealed.Any(s => s.Start <= region.Start && region.Start < s.End);

    /// <summary>Which process it is, among those of its moment (<see cref="CheckpointImage.Moment"/>).</summary>
    public CheckpointMoment? Moment { get; init; }

    /// <summary>
    /// Copies, made before the program ran on, of the memory it shares between mappings, by
    /// (device, inode): files it writes through shared mappings, and shared anonymous memory. The
    /// snapshot shares those pages with the program, so its memory no longer holds the moment's
    /// bytes. The persister reads these instead; the snapshots of one moment share them.
    /// </summary>
    public IReadOnlyDictionary<(ulong Device, ulong Inode), Microsoft.Win32.SafeHandles.SafeFileHandle> FrozenFiles { get; init; } =
        new Dictionary<(ulong, ulong), Microsoft.Win32.SafeHandles.SafeFileHandle>();

    /// <summary>
    /// Files, by (device, inode), whose bytes the image keeps whole elsewhere: a deleted file the
    /// process holds a descriptor of, saved sparse as that descriptor's content. Their shared
    /// mappings store no pages (the restorer maps them from the file made again): a JIT's memfd
    /// mapped twice, once to write code and once to run it, would store each page twice, and a
    /// read of a hole through a mapping would fill it.
    /// </summary>
    public IReadOnlySet<(ulong Device, ulong Inode)> KeptFiles { get; init; } = new HashSet<(ulong, ulong)>();

    /// <summary>
    /// Reads a stopped snapshot, its regions those <paramref name="saved"/> keeps; must run on the
    /// tracer thread (it injects rt_sigaction into the snapshot).
    /// </summary>
    public static SnapshotState Read(Tracee snapshot, int index, long eventIndex, long time, ulong programBreak, Func<MemoryRegion, bool> saved)
    {
        var status = ProcStatus.Read(snapshot.Pid);
        var regions = AddressSpace.Read(snapshot.Pid).Regions.Where(saved).ToList();
        return new SnapshotState(index, eventIndex, time, snapshot.GetRegisters(), snapshot.GetExtendedState(),
            status.Blocked, ReadSignalActions(snapshot, status), programBreak, regions);
    }

    /// <summary>
    /// The state with <paramref name="segments"/>, regions of the program's the snapshot was forked
    /// without (<see cref="Tracee.ForkSnapshotWithoutSegments"/>): their bytes come from <see cref="FrozenFiles"/>.
    /// </summary>
    public SnapshotState WithSegments(IReadOnlyList<MemoryRegion> segments) =>
        segments.Count == 0 ? this : this with { Regions = [.. Regions.Concat(segments).OrderBy(r => r.Start)] };

    private static List<SignalAction> ReadSignalActions(Tracee t, ProcStatus status)
    {
        var actions = new List<SignalAction>();
        for (int sig = 1; sig <= 64; sig++)
        {
            ulong bit = 1UL << (sig - 1);
            if ((status.Ignored & bit) != 0)
            {
                actions.Add(new SignalAction(sig, SignalAction.Ignore, 0, 0, 0));
            }
            else if ((status.Caught & bit) != 0)
            {
                actions.Add(QueryAction(t, sig));
            }
        }
        return actions;
    }

    /// <summary>rt_sigaction(sig, NULL, &amp;old) run in the tracee.</summary>
    private static SignalAction QueryAction(Tracee t, int sig)
    {
        byte[] act = t.InjectSyscallWithBuffer("rt_sigaction", Nr.rt_sigaction, new byte[SignalAction.Size], at => [(ulong)sig, 0, at, 8]).Buffer;
        return SignalAction.Of(sig, act);
    }
}

/// <summary>The snapshot an incremental checkpoint is compared with: a live, stopped process holding exactly checkpoint <paramref name="Index"/>.</summary>
internal sealed record BaseSnapshot(int Index, int Pid, IReadOnlyList<MemoryRegion> Regions);

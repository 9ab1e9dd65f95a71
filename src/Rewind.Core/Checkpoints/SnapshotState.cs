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
    /// <summary>Reads a stopped snapshot; must run on the tracer thread (it injects rt_sigaction into the snapshot).</summary>
    public static SnapshotState Read(Tracee snapshot, int index, long eventIndex, long time, ulong programBreak)
    {
        var status = ProcStatus.Read(snapshot.Pid);
        var regions = AddressSpace.Read(snapshot.Pid).Regions.Where(r => !r.IsKernelProvided).ToList();
        return new SnapshotState(index, eventIndex, time, snapshot.GetRegisters(), snapshot.GetExtendedState(),
            status.Blocked, CheckpointCapture.SignalActions(snapshot, status), programBreak, regions);
    }
}

/// <summary>The snapshot an incremental checkpoint is compared with: a live, stopped process holding exactly checkpoint <paramref name="Index"/>.</summary>
internal sealed record BaseSnapshot(int Index, int Pid, IReadOnlyList<MemoryRegion> Regions);

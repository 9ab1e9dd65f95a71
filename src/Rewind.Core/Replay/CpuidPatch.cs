using System.Collections.Concurrent;
using Rewind.Checkpoints;
using Rewind.Cpu;
using Rewind.Trace;

namespace Rewind.Replay;

/// <summary>
/// CPUID answered from the recorded table on a CPU that cannot fault it (no CPUID faulting: AMD
/// CPUs, most hypervisors on them). The first byte of each CPUID instruction in the code of the
/// files the program maps executable (<see cref="CpuidSites"/>) becomes an int3, and replay
/// completes the instruction from the table at its trap, as it does a faulting one. So glibc
/// and the program take the code paths they took when recorded, on any CPU with those
/// instructions. Code made at run time (a JIT's) is not patched: it reads this CPU. Only where
/// the table differs from this CPU's: a trace replayed on the machine that recorded it needs none.
/// </summary>
internal sealed class CpuidPatch(TraceFile trace)
{
    // The sites of each file's code, by its content's hash: a library is decoded once, whatever
    // the trace or session (a debugger starts sessions at checkpoints again and again).
    private static readonly ConcurrentDictionary<BlobId, IReadOnlyList<ulong>> Sites = [];

    /// <summary>
    /// The patch replay of <paramref name="trace"/> needs on the calling thread's core, which the
    /// replayed program shares: null where CPUID faults (the trap answers it), the trace has no
    /// table, or this core answers as recorded, its APIC ids included (<see cref="CpuPinning.PinTo"/>
    /// puts replay on the recorded core where it can).
    /// </summary>
    public static CpuidPatch? For(TraceFile trace) =>
        trace.Header.Machine.Cpuid is { } recorded && !CpuidInstruction.Traps
        && !recorded.SequenceEqual(CpuidTable.ThisCore().Leaves) ? new CpuidPatch(trace) : null;

    /// <summary>The CPUID instructions of the code <paramref name="file"/> maps at <paramref name="start"/>, executable, for <paramref name="length"/> bytes.</summary>
    public IEnumerable<RemotePtr> In(RemotePtr start, ulong length, Protection protection, FileMapping? file)
    {
        if (file == null || !protection.HasFlag(Protection.Execute) || file.FileSize > TraceFile.LargeBlob)
        {
            return [];
        }
        var offsets = Sites.GetOrAdd(file.Blob, blob => CpuidSites.In(trace.Blob(blob)));
        return offsets.Where(o => o >= file.FileOffset && o - file.FileOffset + CpuidInstruction.Length <= length).Select(o => start + (o - file.FileOffset));
    }

    /// <summary>The CPUID instructions of a restored image's executable file regions (copies: a private view's blob holds only its part of the file).</summary>
    public IEnumerable<RemotePtr> In(CheckpointImage image) =>
        image.Regions.Where(r => !r.IsPrivateView).SelectMany(r => In(r.Start, r.Length, r.Protection, r.File));
}

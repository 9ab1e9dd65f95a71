using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Checkpoints;

/// <summary>
/// Recreates a checkpointed process from its trace alone (shared/DESIGN.md §5): a stub process
/// is stopped under ptrace and, by injected syscalls, unmaps its own memory but one page holding
/// a syscall instruction, maps the image's regions at their addresses and fills them (the pages
/// streamed from the trace, each written once), sets the signal state and the registers. The
/// image's other threads are the caller's to add (<see cref="Tracee.CloneThread"/>). Replay's
/// process runs under the same seccomp filter and rdtsc trap as the recording did, and with CPUID
/// trapped where this machine can and the trace has the recorded answers; a resumed
/// hibernation image (<see cref="Hibernation.Resumer"/>) runs free.
/// </summary>
public static class CheckpointRestore
{
    private const int PageSize = AddressSpace.PageSize;

    /// <summary>
    /// Restores checkpoint <paramref name="image"/>, a layout from <see cref="TraceFile.CheckpointLayout"/>,
    /// with its pages from <paramref name="trace"/>, for replay: under the recording's seccomp
    /// filter and rdtsc trap, its shared file mappings on stand-ins of <paramref name="sharedFiles"/>.
    /// </summary>
    internal static Tracee Restore(TraceFile trace, CheckpointImage image, Replay.SharedFiles sharedFiles)
    {
        var t = SpawnStub();
        try
        {
            TracingSetup.InstallSeccompFilter(t, SyscallTable.Untraced);
            TracingSetup.TrapTimeStampCounter(t);
            if (trace.Header.Machine.Cpuid != null)
            {
                TracingSetup.TrapCpuid(t);
            }
            RestoreImage(t, trace, image, sharedFiles, []);
            return t;
        }
        catch
        {
            t.Dispose();
            throw;
        }
    }

    /// <summary>A stopped process, in a process group of its own, to restore an image into.</summary>
    internal static Tracee SpawnStub() => Tracee.SpawnShellStopped("kill -STOP $$; exit 127", [], [], processGroup: 0, inheritedMask: false);

    /// <summary>
    /// Replaces the memory of stub <paramref name="t"/> by the image's, sets the signal
    /// dispositions and gives its thread the state of the image's first thread. The stub's
    /// kernel-provided mappings named in <paramref name="kernelPlaces"/> (the vDSO and its data)
    /// are moved there; the others go, as its own memory does.
    /// </summary>
    internal static void RestoreImage(Tracee t, TraceFile trace, CheckpointImage image, ISharedMappings shared, IReadOnlyList<(string Name, RemotePtr Start)> kernelPlaces)
    {
        // The kernel writes to a registered rseq area on every return to user mode: with the
        // stub's memory gone, that would be a SIGSEGV.
        t.UnregisterRseq();
        var stub = AddressSpace.Read(t.Pid).Regions;
        var gadget = PlaceGadget(t, stub, image.Regions);
        var scratch = gadget + PageSize;
        var moved = stub.Where(r => kernelPlaces.Any(p => p.Name == r.Name)).ToList();
        foreach (var region in stub.Where(r => r.Name != "[vsyscall]" && !r.Contains(gadget) && !moved.Contains(r)))
        {
            t.InjectSyscallChecked("munmap", Nr.munmap, region.Start.Value, region.Length);
        }
        foreach (var region in moved)
        {
            var to = kernelPlaces.First(p => p.Name == region.Name).Start;
            t.InjectSyscallChecked($"mremap({region.Name})", Nr.mremap, region.Start.Value, region.Length, region.Length,
                Interop.MREMAP_MAYMOVE | Interop.MREMAP_FIXED, to.Value);
        }
        // A library is mapped as several regions of one file: its content is read once.
        var files = new Dictionary<BlobId, byte[]>();
        foreach (var region in image.Regions)
        {
            if (region.SharedFile != null)
            {
                shared.MapRegion(t, region, trace, scratch);
            }
            else
            {
                MapRegion(t, region, trace, id => files.TryGetValue(id, out var content) ? content : files[id] = trace.Blob(id));
            }
        }
        // A private view's pages are the process's own, written over its file's.
        var sharedRegions = image.Regions.Where(r => r.SharedFile != null && !r.IsPrivateView).ToList();
        trace.ReadCheckpointPages(image.Index, page =>
        {
            if (sharedRegions.Find(r => r.Start <= page.Address && page.Address < r.End) is { } region)
            {
                shared.Write(t, region, page);
            }
            else
            {
                t.Write(page.Address, page.Data.Span);
            }
        });
        // Once its pages are written: a seal leaves writes through /proc/PID/mem alone, but not
        // the mprotect and munmap the program makes later, which fail as recorded.
        foreach (var region in image.Regions.Where(r => r.Sealed))
        {
            t.InjectSyscallChecked("mseal", Nr.mseal, region.Start.Value, region.Length, 0);
        }
        RestoreSignalActions(t, image, scratch);
        t.Become(StateOfFirstThread(image));
        foreach (var filter in image.Filters)
        {
            // Last: from here on the program's filters judge the syscalls injected (from its page, which it lets through).
            long result = filter.Restored.Install(t, []);
            if (result != 0)
            {
                throw new RewindException($"cannot install the program's seccomp filter of checkpoint {image.Index} again: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage((int)-result)}");
            }
        }
        // The gadget page goes last, with its scratch page; their munmap returns to a ptrace stop, not to the page.
        t.InjectSyscallChecked("munmap", Nr.munmap, gadget.Value, 2 * PageSize);
        t.UseSyscallGadget(RemotePtr.Null);
    }

    /// <summary>
    /// Maps a page holding <c>syscall</c> where neither the stub nor the image has anything, and
    /// after it a page of scratch memory the kernel may write into: the stub has no stack while
    /// its memory is replaced.
    /// </summary>
    private static RemotePtr PlaceGadget(Tracee t, IReadOnlyList<MemoryRegion> stub, IReadOnlyList<SavedRegion> image)
    {
        var taken = stub.Select(r => (r.Start.Value, r.End.Value)).Concat(image.Select(r => (r.Start.Value, r.End.Value))).OrderBy(r => r.Item1).ToList();
        ulong candidate = 0x10000;
        foreach (var (start, end) in taken)
        {
            if (candidate + (2 * PageSize) <= start)
            {
                break;
            }
            candidate = Math.Max(candidate, AddressSpace.PageUp(end));
        }
        long page = t.InjectSyscallChecked("mmap", Nr.mmap, candidate, 2 * PageSize, Interop.PROT_READ | Interop.PROT_EXEC,
            Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS | Interop.MAP_FIXED_NOREPLACE, ulong.MaxValue, 0);
        var gadget = new RemotePtr((ulong)page);
        t.InjectSyscallChecked("mprotect", Nr.mprotect, (gadget + PageSize).Value, PageSize, Interop.PROT_READ | Interop.PROT_WRITE);
        t.Write(gadget, [0x0f, 0x05]);
        t.UseSyscallGadget(gadget);
        return gadget;
    }

    private static void MapRegion(Tracee t, SavedRegion region, TraceFile trace, Func<BlobId, byte[]> blobs)
    {
        int flags = Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS | Interop.MAP_FIXED | (region.Name == "[stack]" ? Interop.MAP_GROWSDOWN : 0);
        long at = t.InjectSyscallChecked("mmap", Nr.mmap, region.Start.Value, region.Length, (ulong)region.Protection, (ulong)flags, ulong.MaxValue, 0);
        if ((ulong)at != region.Start.Value)
        {
            throw new RewindException($"cannot restore the region {region.Start}-{region.End} ({region.Name}): mapped at 0x{at:x}");
        }
        if (region.File is { } file)
        {
            WriteFileBytes(t, region.Start, region.Length, file, trace, blobs);
        }
    }

    /// <summary>
    /// Maps a private view (<see cref="SavedRegion.IsPrivateView"/>) as a private copy of the bytes
    /// its file had under it, as a copy of the file is mapped: for a process resumed live, which
    /// keeps no stand-ins.
    /// </summary>
    internal static void MapViewAsCopy(Tracee t, SavedRegion region, TraceFile trace)
    {
        var file = region.File!;
        MapRegion(t, region with { File = null }, trace, trace.Blob);
        ulong window = Math.Clamp(file.FileSize - Math.Min(file.FileSize, file.FileOffset), 0, region.Length);
        trace.ReadBlobRange(file.Blob, window, 0, window, (offset, bytes) => WriteData(t, region.Start + offset, bytes));
    }

    /// <summary>
    /// Writes the recorded bytes of <paramref name="file"/> under a mapping of <paramref name="length"/>
    /// bytes at <paramref name="at"/>, just mapped anonymous (zeros) in its place. A large file is
    /// read by range, and only its pages that are not zeros are written: a 3 GB sparse file's
    /// mapping then costs its few pages of data, not 3 GB of memory.
    /// </summary>
    internal static void WriteFileBytes(Tracee t, RemotePtr at, ulong length, FileMapping file, TraceFile trace, Func<BlobId, byte[]> blobs)
    {
        if (file.FileOffset >= file.FileSize)
        {
            return;
        }
        length = Math.Min(length, file.FileSize - file.FileOffset);
        if (file.FileSize <= TraceFile.LargeBlob)
        {
            t.Write(at, blobs(file.Blob).AsSpan((int)file.FileOffset, (int)length));
            return;
        }
        trace.ReadBlobRange(file.Blob, file.FileSize, file.FileOffset, length, (offset, bytes) => WriteData(t, at + offset, bytes));
    }

    /// <summary>Writes the pages of <paramref name="bytes"/> that are not zeros at <paramref name="at"/>, just mapped anonymous (zeros).</summary>
    private static void WriteData(Tracee t, RemotePtr at, ReadOnlySpan<byte> bytes)
    {
        for (int page = 0; page < bytes.Length; page += PageSize)
        {
            var part = bytes[page..Math.Min(bytes.Length, page + PageSize)];
            if (part.ContainsAnyExcept((byte)0))
            {
                t.Write(at + (ulong)page, part);
            }
        }
    }

    /// <summary>The state of the thread the restored process starts with (the image's first), resumed outside any syscall.</summary>
    private static ThreadState StateOfFirstThread(CheckpointImage image)
    {
        var regs = image.Registers;
        regs.OrigRax = ulong.MaxValue;
        return image.Threads.Count > 0
            ? image.Threads[0].State with { Registers = regs }
            : new ThreadState(regs, image.ExtendedState, image.BlockedSignals, ThreadState.NoAltStack(), 0, 0, RemotePtr.Null);
    }

    private static void RestoreSignalActions(Tracee t, CheckpointImage image, RemotePtr scratch)
    {
        // Every disposition is set, the default where the image has none: the stub's own
        // handlers (a shell catches SIGCHLD, SIGINT…) must not survive into the restored process.
        var actions = image.SignalActions.ToDictionary(a => a.Signal);
        for (int sig = 1; sig <= 64; sig++)
        {
            if (sig is Signal.SIGKILL or Signal.SIGSTOP)
            {
                continue;
            }
            var a = actions.GetValueOrDefault(sig) ?? new SignalAction(sig, SignalAction.Default, 0, 0, 0);
            t.Write(scratch, a.ToKernel());
            t.InjectSyscallChecked($"rt_sigaction({Signal.Name(sig)})", Nr.rt_sigaction, (ulong)sig, scratch.Value, 0, 8);
        }
    }
}

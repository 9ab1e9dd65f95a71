using System.Diagnostics;
using System.Text.Json;
using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Recording;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Hibernation;

/// <param name="LeaveRunning">let the process go on once its state is captured, instead of ending it.</param>
/// <param name="CloseLost">save what cannot come back instead of refusing: lost descriptors as dead ones, memory shared with another process as the process's own.</param>
public sealed record HibernateOptions(bool LeaveRunning = false, bool CloseLost = false);

/// <param name="PauseMicros">how long the process was stopped (all of the hibernation, unless it was left running).</param>
public sealed record HibernateResult(int Pid, long ImageBytes, long StoredBytes, long PauseMicros, IReadOnlyList<string> Degraded);

/// <summary>
/// Freezes a running process into an image file (shared/DESIGN.md §10): the same container and
/// checkpoint as a recording's (docs/trace-format.md), plus a Process chunk with the kernel state
/// a live process needs again (<see cref="ProcessResources"/>). Its memory is written from a
/// copy-on-write snapshot (an injected fork), so a process left running is stopped only while
/// its state is read. The image is written under a temporary name and renamed when complete and
/// on the disk; until then the process is untouched (the previous image too), and if anything
/// fails it goes on as if nothing happened. So a power cut loses neither the process nor both images.
/// </summary>
public static class Hibernator
{
    /// <param name="interrupt">stops a hibernation under way (the user's ^C) as if writing had
    /// failed: the process goes on untouched, and nothing is left of the image or the snapshot.</param>
    public static HibernateResult Hibernate(int pid, string imagePath, HibernateOptions options, CancellationToken interrupt = default) =>
        TracerThread.Run(() => Freeze(pid, imagePath, options, interrupt));

    private static HibernateResult Freeze(int pid, string imagePath, HibernateOptions options, CancellationToken interrupt)
    {
        string partial = imagePath + ".partial";
        var pause = Stopwatch.StartNew();
        var process = LiveProcess.Seize(pid);
        Tracee? snapshot = null;
        CheckpointSummary checkpoint;
        ProcessResources resources;
        long pauseMicros;
        try
        {
            using var writer = TraceWriter.Create(partial, Header(pid));
            var blobs = new BlobStore(writer, FileCache.OfThisUser());
            // The ids the process knows itself by, which resume gives back: in a pid namespace (one
            // a resume made to keep them, say) not those /proc names it by here.
            var own = process.Threads.ToDictionary(t => t.Pid, t => t.OwnTid);
            resources = OwnIds(Capture(process, blobs, options), own);
            var main = process.Threads[0];
            var threads = process.Threads.Select(t => new CheckpointThread(new Tid(own[t.Pid]), ProcStatus.NameOf(pid, t.Pid), t.CaptureState(t.ClearChildTidAddress()))).ToList();
            var marked = ForkAdvice.Read(pid);
            marked.ForEach(m => m.Lift(main));
            try
            {
                snapshot = main.ForkSnapshot();
            }
            finally
            {
                marked.ForEach(m => m.Apply(main));
            }
            // Its memory is read from the snapshot: ending the snapshot ends the writing, at once.
            int snapshotPid = snapshot.Pid;
            using var interruption = interrupt.Register(() => Interop.kill(snapshotPid, Signal.SIGKILL));
            // An image of its process alone, the first of a moment of one (which a filter list needs, CheckpointCodec).
            var state = SnapshotState.Read(snapshot, 0, 0, 0, resources.Layout.Brk, r => !r.IsKernelProvided)
                with { Threads = threads, Filters = FiltersOf(process), Moment = new CheckpointMoment(own[pid], 0, 1), KeptFiles = KeptFiles(resources) };
            resources = ProcessCapture.WithPendingSignals(resources, pid, process.Threads) with { ForkAdvice = marked };
            if (options.LeaveRunning)
            {
                process.Release();
            }
            pauseMicros = (long)pause.Elapsed.TotalMicroseconds;
            writer.WriteChunk(ChunkKind.Process, 0, JsonSerializer.SerializeToUtf8Bytes(resources, TraceJsonContext.Default.ProcessResources));
            checkpoint = CheckpointPersister.Persist(writer, blobs, state, snapshot.Pid, null, pauseMicros);
            interrupt.ThrowIfCancellationRequested();
            var summary = new TraceSummary(0, 0, null, [checkpoint], blobs.Files.ToList(), checkpoint.StoredBytes + blobs.StoredBytes, null);
            writer.Complete(JsonSerializer.SerializeToUtf8Bytes(summary, TraceJsonContext.Default.TraceSummary), durable: true);
        }
        catch (Exception e)
        {
            process.Release();
            if (snapshot != null)
            {
                EndSnapshot(pid, snapshot);
            }
            File.Delete(partial);
            // Interrupted, or a full disk most likely: said in one line, with what became of the process.
            if (interrupt.IsCancellationRequested || e is IOException)
            {
                string why = interrupt.IsCancellationRequested ? "interrupted" : e.Message;
                throw new RewindException($"process {pid} was not hibernated: {why}. It goes on untouched, and the partial image was removed", e);
            }
            throw;
        }
        Publish(partial, imagePath);
        if (options.LeaveRunning)
        {
            EndSnapshot(pid, snapshot);
        }
        else
        {
            snapshot.Dispose();
            process.Kill();
            pauseMicros = (long)pause.Elapsed.TotalMicroseconds;
        }
        return new HibernateResult(pid, new FileInfo(imagePath).Length, checkpoint.StoredBytes, pauseMicros, resources.Degraded);
    }

    /// <summary>
    /// The process's seccomp filters, which every thread must share (the one list a resumed
    /// process installs again, CheckpointImage.Filters); refused where they cannot be read or
    /// brought back: without CAP_SYS_ADMIN, in strict mode, or different from thread to thread.
    /// </summary>
    private static IReadOnlyList<ProgramFilter> FiltersOf(LiveProcess process)
    {
        int mode = ProcStatus.SeccompMode(process.Pid);
        if (mode == 0)
        {
            return [];
        }
        if (mode == 1)
        {
            throw new RewindException($"process {process.Pid} is in seccomp strict mode, which cannot be brought back. Nothing was changed");
        }
        IReadOnlyList<ProgramFilter> filters;
        try
        {
            filters = ProgramFilter.Held(process.Threads[0]);
        }
        catch (ErrnoException e) when (e.Errno == 1 || e.Errno == 13)
        {
            throw new RewindException($"process {process.Pid} has seccomp filters, which only a tracer with CAP_SYS_ADMIN can read to save them (run rewind hibernate as root). Nothing was changed");
        }
        static bool Same(IReadOnlyList<ProgramFilter> a, IReadOnlyList<ProgramFilter> b) =>
            a.Count == b.Count && a.Zip(b).All(p => p.First.Program.AsSpan().SequenceEqual(p.Second.Program));
        if (process.Threads.Skip(1).Any(t => !Same(ProgramFilter.Held(t), filters)))
        {
            throw new RewindException($"the threads of process {process.Pid} have different seccomp filters, which cannot be brought back yet. Nothing was changed");
        }
        return filters;
    }

    /// <summary>The deleted files whose bytes their descriptors keep (<see cref="SnapshotState.KeptFiles"/>).</summary>
    private static HashSet<(ulong Device, ulong Inode)> KeptFiles(ProcessResources resources) =>
        [.. resources.Descriptors.Where(d => d.Content != null).Select(d => (d.Device, d.Inode))];

    private static TraceHeader Header(int pid)
    {
        static string[] Strings(string path) => File.ReadAllText(path).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        return TraceHeader.ForThisMachine(Strings($"/proc/{pid}/cmdline"), ProcessCapture.LinkOf($"/proc/{pid}/cwd"), Strings($"/proc/{pid}/environ")) with { Hibernation = true };
    }

    /// <summary>The process's kernel state beyond memory and threads but its pending signals; refuses what cannot come back unless told to degrade it.</summary>
    private static ProcessResources Capture(LiveProcess process, BlobStore blobs, HibernateOptions options)
    {
        int pid = process.Pid;
        ulong brk = (ulong)process.Threads[0].InjectSyscallChecked("brk", Nr.brk, 0);
        var resources = ProcessCapture.Read(pid, process.Threads, rseq: true, brk, ProcessCapture.KernelMappings(pid), blobs);
        var lost = resources.Descriptors.Where(d => d.Kind == DescriptorKind.Lost).ToList();
        var shared = SharedMemory.Find(pid);
        if ((lost.Count > 0 || shared.Count > 0) && !options.CloseLost)
        {
            throw new RewindException($"process {pid} holds what cannot come back: {string.Join("; ", [.. lost.Select(d => d.Describe()), .. shared.Select(s => s.Describe())])}. " +
                "Nothing was changed; --close-lost saves each descriptor as a dead one, and shared memory as the process's own");
        }
        if (resources.Unsaved.Count > 0)
        {
            throw new RewindException($"process {pid} has {string.Join("; ", resources.Unsaved)}. Nothing was changed");
        }
        return resources with { Degraded = [.. lost.Select(d => d.ClosedNote), .. shared.Select(s => s.CopiedNote)] };
    }

    /// <summary>
    /// <paramref name="resources"/>, read through /proc here, with the ids of the process and its
    /// threads, and of the thread a timer signals, as the process knows them (<paramref name="own"/>,
    /// by our ids).
    /// </summary>
    private static ProcessResources OwnIds(ProcessResources resources, Dictionary<int, int> own) => resources with
    {
        Pid = own[resources.Pid],
        Threads = [.. resources.Threads.Select(t => t with { Tid = own[t.Tid] })],
        PosixTimers = [.. resources.PosixTimers.Select(t => t.Thread != 0 && own.TryGetValue(t.Thread, out int tid) ? t with { Thread = tid } : t)],
    };

    /// <summary>
    /// Ends the snapshot of a process that goes on. The snapshot was its child (with no exit
    /// signal): once it is gone, the process is stopped again for a moment to reap it, so no
    /// zombie is left in it.
    /// </summary>
    private static void EndSnapshot(int pid, Tracee snapshot)
    {
        int snapshotPid = snapshot.Pid;
        snapshot.Dispose();
        try
        {
            using var process = LiveProcess.Seize(pid);
            process.Threads[0].ReapSnapshots([snapshotPid]);
        }
        catch (RewindException)
        {
            // The process ended or exec'd meanwhile: its snapshot went with it.
        }
    }

    /// <summary>
    /// Renames the complete image (already on the disk) over <paramref name="imagePath"/>, and
    /// puts the rename on the disk too (fsync of the directory) before the process is ended.
    /// </summary>
    private static void Publish(string partial, string imagePath)
    {
        File.Move(partial, imagePath, overwrite: true);
        using var directory = Interop.OpenDirectory(Path.GetDirectoryName(Path.GetFullPath(imagePath))!);
        Interop.fsync(directory);
    }
}

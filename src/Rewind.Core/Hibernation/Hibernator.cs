using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Recording;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Hibernation;

/// <param name="LeaveRunning">let the process go on once its state is captured, instead of ending it.</param>
/// <param name="CloseLost">save what cannot come back as dead descriptors instead of refusing.</param>
public sealed record HibernateOptions(bool LeaveRunning = false, bool CloseLost = false);

/// <param name="PauseMicros">how long the process was stopped (all of the hibernation, unless it was left running).</param>
public sealed record HibernateResult(int Pid, long ImageBytes, long StoredBytes, long PauseMicros, IReadOnlyList<string> Degraded);

/// <summary>
/// Freezes a running process into an image file (shared/DESIGN.md §10): the same container and
/// checkpoint as a recording's (docs/trace-format.md), plus a Process chunk with the kernel state
/// a live process needs again (<see cref="ProcessResources"/>). Its memory is written from a
/// copy-on-write snapshot (an injected fork), so a process left running is stopped only while
/// its state is read. The image is written under a temporary name and renamed when complete;
/// until then the process is untouched, and if anything fails it goes on as if nothing happened.
/// </summary>
public static class Hibernator
{
    public static HibernateResult Hibernate(int pid, string imagePath, HibernateOptions options) => TracerThread.Run(() => Freeze(pid, imagePath, options));

    private static HibernateResult Freeze(int pid, string imagePath, HibernateOptions options)
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
            var blobs = new BlobStore(writer);
            resources = Capture(process, blobs, options);
            var main = process.Threads[0];
            var threads = process.Threads.Select(t => new CheckpointThread(t.Tid, NameOf(pid, t.Pid), t.CaptureState(t.ClearChildTidAddress()))).ToList();
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
            // An image of its process alone, the first of a moment of one (which a filter list needs, CheckpointCodec).
            var state = SnapshotState.Read(snapshot, 0, 0, 0, resources.Layout.Brk, r => !r.IsKernelProvided)
                with { Threads = threads, Filters = FiltersOf(process), Moment = new CheckpointMoment(pid, 0, 1) };
            resources = WithPendingSignals(resources, process) with { ForkAdvice = marked };
            if (options.LeaveRunning)
            {
                process.Release();
            }
            pauseMicros = (long)pause.Elapsed.TotalMicroseconds;
            writer.WriteChunk(ChunkKind.Process, 0, JsonSerializer.SerializeToUtf8Bytes(resources, TraceJsonContext.Default.ProcessResources));
            checkpoint = CheckpointPersister.Persist(writer, blobs, state, snapshot.Pid, null, pauseMicros);
            var summary = new TraceSummary(0, 0, null, [checkpoint], blobs.Files.ToList(), checkpoint.StoredBytes + blobs.StoredBytes, null);
            writer.Complete(JsonSerializer.SerializeToUtf8Bytes(summary, TraceJsonContext.Default.TraceSummary));
        }
        catch
        {
            snapshot?.Dispose();
            process.Release();
            File.Delete(partial);
            throw;
        }
        File.Move(partial, imagePath, overwrite: true);
        int snapshotPid = snapshot.Pid;
        snapshot.Dispose();
        if (options.LeaveRunning)
        {
            ReapSnapshot(pid, snapshotPid);
        }
        else
        {
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
        string mode = File.ReadLines($"/proc/{process.Pid}/status").First(l => l.StartsWith("Seccomp:", StringComparison.Ordinal))[8..].Trim();
        if (mode == "0")
        {
            return [];
        }
        if (mode == "1")
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

    private static TraceHeader Header(int pid)
    {
        static string[] Strings(string path) => File.ReadAllText(path).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        return TraceHeader.ForThisMachine(Strings($"/proc/{pid}/cmdline"), LinkOf($"/proc/{pid}/cwd"), Strings($"/proc/{pid}/environ"));
    }

    private static string LinkOf(string path) => new FileInfo(path).LinkTarget ?? throw new RewindException($"cannot read {path}");

    private static string NameOf(int pid, int tid) => File.ReadAllText($"/proc/{pid}/task/{tid}/comm").TrimEnd('\n');

    /// <summary>The process's kernel state beyond memory and threads; refuses what cannot come back unless told to degrade it.</summary>
    private static ProcessResources Capture(LiveProcess process, BlobStore blobs, HibernateOptions options)
    {
        int pid = process.Pid;
        var descriptors = DescriptorCapture.Capture(pid, blobs);
        var lost = descriptors.Where(d => d.Kind == DescriptorKind.Lost).Select(d => d.Describe()).ToList();
        if (lost.Count > 0 && !options.CloseLost)
        {
            throw new RewindException($"process {pid} holds what cannot come back: {string.Join("; ", lost)}. Nothing was changed; --close-lost saves each as a dead descriptor");
        }
        var posixTimers = PosixTimer.Read(process);
        var main = process.Threads[0];
        var status = File.ReadAllLines($"/proc/{pid}/status");
        int umask = Convert.ToInt32(status.First(l => l.StartsWith("Umask:", StringComparison.Ordinal))[6..].Trim(), 8);
        var threads = process.Threads.Select(t =>
        {
            var (area, length, signature) = t.RseqConfiguration();
            return new ThreadExtras(t.Pid, area, length, signature, 0);
        }).ToList();
        // Pending signals are read last (WithPendingSignals).
        return new ProcessResources(pid, LinkOf($"/proc/{pid}/exe"), LinkOf($"/proc/{pid}/cwd"), umask, Limits(pid), Layout(main),
            threads, IntervalTimers(main), 0, descriptors, lost.Select(l => $"{l} is closed: reads see end of file, writes fail").ToList())
        {
            PosixTimers = posixTimers,
        };
    }

    /// <summary>
    /// The signals pending for the process and for each thread, read once nothing more is
    /// injected into it: an injected syscall takes a thread's unblocked signals off its queue
    /// (held back then, with their siginfo), so that masks or queues read before would have
    /// such a signal twice, once by number. Those held back are pending in the image.
    /// </summary>
    private static ProcessResources WithPendingSignals(ProcessResources resources, LiveProcess process) => resources with
    {
        PendingSignals = ProcStatus.Read(process.Pid).SharedPending,
        QueuedSignals = QueuedSignals.Peek(process.Threads[0], shared: true),
        Threads = resources.Threads.Select((extras, i) =>
        {
            var thread = process.Threads[i];
            return extras with
            {
                PendingSignals = ProcStatus.ReadThread(process.Pid, thread.Pid).Pending | LiveProcess.HeldSignals(thread),
                QueuedSignals = [.. thread.DeferredSignals.Where(QueuedSignals.Resendable), .. QueuedSignals.Peek(thread, shared: false)],
            };
        }).ToList(),
    };

    private static unsafe List<ResourceLimit> Limits(int pid)
    {
        const int Count = 16;
        var limits = new List<ResourceLimit>();
        ulong* old = stackalloc ulong[2];
        for (int resource = 0; resource < Count; resource++)
        {
            Interop.Check(Interop.syscall(Interop.SYS_prlimit64, pid, resource, 0, (long)old), "prlimit64");
            limits.Add(new ResourceLimit(resource, old[0], old[1]));
        }
        return limits;
    }

    /// <summary>The memory layout from /proc/PID/stat (proc(5)'s field numbers), the break asked of the process itself, and its auxv.</summary>
    private static MemoryLayout Layout(Tracee main)
    {
        var f = ProcStatus.StatFields(File.ReadAllText($"/proc/{main.Tgid}/stat"));
        ulong Field(int number) => ulong.Parse(f[number - 3], CultureInfo.InvariantCulture);
        ulong brk = (ulong)main.InjectSyscallChecked("brk", Nr.brk, 0);
        return new MemoryLayout(Field(26), Field(27), Field(45), Field(46), Field(47), brk, Field(28), Field(48), Field(49), Field(50), Field(51),
            File.ReadAllBytes($"/proc/{main.Tgid}/auxv"),
            AddressSpace.Read(main.Tgid).Regions.Where(r => r.IsKernelProvided && r.Name != "[vsyscall]").Select(r => new KernelMapping(r.Name, r.Start.Value, r.End.Value)).ToList());
    }

    /// <summary>ITIMER_REAL, VIRTUAL and PROF, those that are armed or periodic, read with getitimer in the process.</summary>
    private static List<IntervalTimer> IntervalTimers(Tracee main)
    {
        var timers = new List<IntervalTimer>();
        for (int which = 0; which < 3; which++)
        {
            byte[] value = main.InjectSyscallWithBuffer("getitimer", Nr.getitimer, new byte[32], at => [(ulong)which, at]).Buffer;
            long Micros(int at) => BitConverter.ToInt64(value, at) * 1_000_000 + BitConverter.ToInt64(value, at + 8);
            // A periodic ITIMER_REAL whose signal is pending shows no time left: the kernel arms it
            // again only when that signal is taken (dequeue_signal). It is kept by its interval.
            if (Micros(16) != 0 || Micros(0) != 0)
            {
                timers.Add(new IntervalTimer(which, Micros(16), Micros(0)));
            }
        }
        return timers;
    }

    /// <summary>
    /// The snapshot was the process's child (with no exit signal): once it is gone, the process,
    /// left running, is stopped again for a moment to reap it, so no zombie is left in it.
    /// </summary>
    private static void ReapSnapshot(int pid, int snapshotPid)
    {
        try
        {
            using var process = LiveProcess.Seize(pid);
            process.Threads[0].InjectSyscall(Nr.wait4, (ulong)snapshotPid, 0, Interop.__WALL, 0);
        }
        catch (RewindException)
        {
            // The process ended or exec'd meanwhile: its snapshot went with it.
        }
    }
}

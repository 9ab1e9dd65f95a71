using Rewind.Cpu;
using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Hibernation;

/// <summary>
/// Whether a hibernation image, or a recording's checkpoint, can resume on this machine, found
/// without starting anything (`rewind check`, and resume before it starts): what refuses it
/// (<see cref="Refusals"/>) and what would come back only approximately (<see cref="Degraded"/>).
/// </summary>
public sealed record ImageCheck(ResumePoint Point, IReadOnlyList<string> Refusals, IReadOnlyList<string> Degraded)
{
    public ProcessResources Process => Point.Process;

    /// <summary>Checks what <paramref name="options"/> would resume from <paramref name="image"/>: every process of it, each named where there are several.</summary>
    public static ImageCheck Of(TraceFile image, string path, ResumeOptions options)
    {
        var point = ResumePoint.Of(image, path, options.Checkpoint);
        var refusals = new List<string>();
        var degraded = new List<string>();
        if (!options.AnyCpu && CpuFeatures.Missing(image.Header.Machine) is { Count: > 0 } missing)
        {
            refusals.Add($"this CPU lacks {string.Join(", ", missing)}, which the process's CPU ({image.Header.Machine.CpuModel}) had and its code may use (--any-cpu resumes it anyway: an instruction it lacks kills the process with SIGILL)");
        }
        var processes = point.Processes;
        // Pipes between the processes come back as pipes between them (TreePipes), whatever each alone made of them.
        var treePipes = TreePipes.Shared(processes.Select(p => p.Process));
        foreach (var each in processes)
        {
            string of = processes.Count > 1 ? $"process {each.Process.Pid}: " : "";
            var (refused, noted) = Judge(each, treePipes, options);
            refusals.AddRange(refused.Select(r => of + r));
            degraded.AddRange(noted.Select(d => of + d));
        }
        return new ImageCheck(point, refusals, degraded);
    }

    /// <summary>What refuses one process of <paramref name="point"/>, and what would come back of it only approximately.</summary>
    private static (List<string> Refusals, List<string> Degraded) Judge(ResumePoint point, IReadOnlySet<ulong> treePipes, ResumeOptions options)
    {
        var process = point.Process;
        var refusals = new List<string>();
        var degraded = process.Degraded.ToList();
        if (!Directory.Exists(process.WorkingDirectory))
        {
            refusals.Add($"its working directory {process.WorkingDirectory} is missing");
        }
        foreach (var d in process.Descriptors.Where(d => d.SameAs == null))
        {
            if (FileProblem(d, point.Moment, options.AllowChangedFiles) is { } problem)
            {
                refusals.Add(problem);
            }
            refusals.AddRange((d.Watches ?? []).Where(w => Interop.Stat(w.Path) is null).Select(w => $"{d.Describe()}: its watched {w.Path} is missing"));
        }
        if (point.FromRecording)
        {
            refusals.AddRange(Unsaved(process, treePipes, options.CloseLost, degraded));
        }
        refusals.AddRange(KernelMappingProblems(process.Layout.Kernel));
        if (!File.Exists(process.Executable))
        {
            degraded.Add($"its program file {process.Executable} is gone: /proc/PID/exe will not name it");
        }
        return (refusals, degraded);
    }

    /// <summary>
    /// What a recording's checkpoint held that cannot come back, which hibernation would have
    /// refused at once: each lost descriptor (or, with <paramref name="closeLost"/>, a dead one,
    /// added to <paramref name="degraded"/>), and the rest it could not save (a POSIX timer); a pipe
    /// to another process is none where that process is resumed with it (<paramref name="treePipes"/>).
    /// </summary>
    private static IEnumerable<string> Unsaved(ProcessResources process, IReadOnlySet<ulong> treePipes, bool closeLost, List<string> degraded)
    {
        var lost = process.Descriptors.Where(d => d.Kind == DescriptorKind.Lost && !treePipes.Contains(d.PipeId)).ToList();
        if (closeLost)
        {
            degraded.AddRange(lost.Select(d => d.ClosedNote));
        }
        IEnumerable<string> refusals = closeLost ? [] : lost.Select(d => $"{d.Describe()} cannot come back (--close-lost resumes with it closed)");
        return refusals.Concat(process.Unsaved.Select(u => $"it had {u}"));
    }

    /// <summary>What keeps a saved file from opening again as it was; null when nothing does.</summary>
    private static string? FileProblem(SavedDescriptor d, string moment, bool allowChanged)
    {
        if (d.Kind is not (DescriptorKind.File or DescriptorKind.Directory or DescriptorKind.Device or DescriptorKind.Fifo) || d.Content != null)
        {
            return null;
        }
        if (Interop.Stat(d.Path) is not { } now)
        {
            return $"{d.Describe()} is missing";
        }
        // A file the process only reads must be as it left it; one it appends to may have grown.
        bool reads = d.Kind == DescriptorKind.File && !d.Writes && (d.Flags & SavedDescriptor.O_APPEND) == 0;
        if (!reads || allowChanged)
        {
            return null;
        }
        if (now.Size != d.Size)
        {
            return $"{d.Describe()} changed: {now.Size} bytes, {d.Size} {moment} (--allow-changed-files resumes anyway)";
        }
        if (now.ModifiedNanos != d.ModifiedNanos)
        {
            return $"{d.Describe()} changed: modified {Time(now.ModifiedNanos)}, {Time(d.ModifiedNanos)} {moment} (--allow-changed-files resumes anyway)";
        }
        return null;
    }

    private static string Time(long nanos) => DateTimeOffset.FromUnixTimeMilliseconds(nanos / 1_000_000).ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The program calls into the vDSO at the address it was given: resume moves this kernel's
    /// there, which works only when it is laid out as the saved one was.
    /// </summary>
    private static IEnumerable<string> KernelMappingProblems(IReadOnlyList<KernelMapping> saved)
    {
        var here = AddressSpace.Read(Environment.ProcessId).Regions.Where(r => r.IsKernelProvided).ToList();
        foreach (var mapping in saved)
        {
            ulong size = mapping.End - mapping.Start;
            var mine = here.FirstOrDefault(r => r.Name == mapping.Name);
            if (mine == null || mine.Length != size)
            {
                yield return $"this kernel's {mapping.Name} is {(mine == null ? "absent" : $"{mine.Length / 1024} KiB")}, the hibernated process's was {size / 1024} KiB: it resumes only on a kernel with the same layout";
            }
        }
    }
}

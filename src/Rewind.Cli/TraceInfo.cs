using System.Text.Json.Serialization;
using Rewind.Hibernation;
using Rewind.Trace;

namespace Rewind.Cli;

/// <summary>What `rewind info --json` prints: one object.</summary>
internal sealed record TraceInfo(
    string Path,
    int FormatVersion,
    string RewindVersion,
    DateTime RecordedUtc,
    IReadOnlyList<string> CommandLine,
    string WorkingDirectory,
    string Hostname,
    string Kernel,
    string Cpu,
    TraceCpu Processor,
    long Events,
    double DurationSeconds,
    string Ended,
    ExitInfo? Exit,
    bool Complete,
    string? RecoveryNote,
    long RawBytes,
    long FileBytes,
    IReadOnlyList<CheckpointSummary> Checkpoints,
    IReadOnlyList<FileSummary> Files,
    IReadOnlyList<FileSummary> DebugFiles,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OpenedFile>? Opened,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Timers)
{
    public static TraceInfo Of(string path, TraceFile trace)
    {
        var h = trace.Header;
        var s = trace.Summary;
        string ended = s.Exit is { } x
            ? x.Signal != 0 ? $"killed by {Linux.Signal.Name(x.Signal)}" : $"exit status {x.Code}"
            : trace.Process is var image && (image != null || h.Hibernation) ? ImageEnd(trace, image)
            : s.EndNote ?? trace.RecoveryNote ?? "unknown";
        return new TraceInfo(path, h.FormatVersion, h.RewindVersion, h.CreatedUtc, h.CommandLine, h.WorkingDirectory,
            h.Machine.Hostname, h.Machine.KernelRelease, h.Machine.CpuModel, TraceCpu.Of(h.Machine), s.EventCount, s.DurationMicros / 1e6, ended, ExitInfo.Of(s.Exit),
            trace.RecoveryNote == null, trace.RecoveryNote, s.RawBytes, trace.Reader.FileLength, s.Checkpoints, s.Files,
            [.. trace.DebugFiles.Select(f => new FileSummary(f.Path, f.Blob.Hex, f.Size))], OpenedFile.Of(trace), trace.Process?.DescribeTimers().ToList());
    }

    /// <summary>What became of a hibernated process: nothing yet; and whether its image resumes.</summary>
    private static string ImageEnd(TraceFile trace, ProcessResources? image) =>
        ResumePoint.Incompleteness(trace, image) is { } why ? $"not yet: a hibernation image that cannot resume: {why}"
            : $"not yet: a hibernation image of process {image!.Pid}, which rewind resume continues";
}

/// <summary>How the process ended: an exit code, or a signal with its name (no code: a killed process has none).</summary>
internal sealed record ExitInfo(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Signal,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? CoreDumped)
{
    public static ExitInfo? Of(ExitSummary? exit) => exit switch
    {
        null => null,
        { Signal: not 0 } x => new ExitInfo(null, x.Signal, Linux.Signal.Name(x.Signal), x.CoreDumped),
        { } x => new ExitInfo(x.Code, null, null, null),
    };

    public static ExitInfo? Of(ExitStatus? exit) => Of(exit is { } x ? new ExitSummary(x.Code, x.Signal, x.CoreDumped) : null);
}

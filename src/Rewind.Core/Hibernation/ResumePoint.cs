using Rewind.Trace;

namespace Rewind.Hibernation;

/// <summary>
/// What resume restores from a container (docs/hibernation.md): a hibernation image's checkpoint
/// with its Process chunk, or a recording's checkpoint with the process state the recorder kept
/// beside it. Both are one process image and one <see cref="ProcessResources"/>, restored alike;
/// a recording's moment of several processes is one such point for each, restored together.
/// </summary>
/// <param name="Checkpoint">the checkpoint whose memory and threads come back.</param>
/// <param name="FromRecording">
/// a recording's checkpoint, whose state was kept whatever the process held: what cannot come
/// back is refused at resume (<see cref="ImageCheck"/>), where hibernation refused it at once.
/// </param>
public sealed record ResumePoint(int Checkpoint, ProcessResources Process, bool FromRecording)
{
    /// <summary>The other processes of the moment, each its own image, when it held several; none otherwise.</summary>
    public IReadOnlyList<ResumePoint> Others { get; init; } = [];

    /// <summary>Every process to resume: this one, the moment's first, then <see cref="Others"/>.</summary>
    public IReadOnlyList<ResumePoint> Processes => [this, .. Others];

    /// <summary>How the check names the moment a file is compared with.</summary>
    public string Moment => FromRecording ? $"at checkpoint {Checkpoint}" : "when hibernated";

    /// <summary>
    /// The image of <paramref name="trace"/>, or with <paramref name="checkpoint"/> that checkpoint
    /// of a recording, with every process of its moment; a container that has none to resume is
    /// refused in one line.
    /// </summary>
    public static ResumePoint Of(TraceFile trace, string path, int? checkpoint)
    {
        var image = trace.Process;
        if (checkpoint is not { } n)
        {
            if (image == null && !trace.Header.Hibernation)
            {
                throw new RewindException($"{path} is a recording, not a hibernation image: rewind replay plays it back, rewind resume --checkpoint N continues it live from checkpoint N");
            }
            return Incompleteness(trace, image) is { } why
                ? throw new RewindException($"{path} cannot resume: {why}")
                : new ResumePoint(trace.CheckpointIndexes.Min(), image!, FromRecording: false);
        }
        if (image != null || trace.Header.Hibernation)
        {
            throw new RewindException($"{path} is a hibernation image, not a recording: it resumes without --checkpoint");
        }
        var checkpoints = trace.Summary.Checkpoints;
        if (checkpoints.Count == 0)
        {
            throw new RewindException($"{path} has no checkpoints");
        }
        if (checkpoints.FirstOrDefault(c => c.Index == n) is not { } chosen)
        {
            throw new RewindException($"{path} has no checkpoint {n}: its checkpoints are {checkpoints.Min(c => c.Index)} to {checkpoints.Max(c => c.Index)} (rewind info lists them)");
        }
        if (chosen.Process is { } pid)
        {
            throw new RewindException(chosen.With is { } start
                ? $"checkpoint {n} of {path} is process {pid} of the moment of checkpoint {start}: rewind resume --checkpoint {start} resumes every process of that moment"
                : $"checkpoint {n} of {path} holds process {pid} alone, at its exec while the program was several processes: it alone would miss the others");
        }
        var others = checkpoints.Where(c => c.With == n).Select(c => c.Index).ToList();
        var states = others.Prepend(n).Select(trace.ProcessAt).ToList();
        if (states.Any(s => s is null))
        {
            throw new RewindException(others.Count == 0
                ? $"{path} was recorded before checkpoints kept what a live resume needs (descriptors, working directory, limits): rewind replay --from-checkpoint {n} replays it"
                : $"{path} was recorded before checkpoints of several processes kept what a live resume needs (descriptors, working directory, limits): rewind replay --from-checkpoint {n} replays them");
        }
        return new ResumePoint(n, states[0]!, FromRecording: true)
        {
            Others = [.. others.Select((index, i) => new ResumePoint(index, states[i + 1]!, FromRecording: true))],
        };
    }

    /// <summary>
    /// Why hibernation image <paramref name="trace"/>, whose Process chunk is <paramref name="process"/>,
    /// cannot resume as it is: its footer is missing (the .partial of a hibernation that was
    /// killed, a copy cut short) or damaged, with what it lacks; null when it is whole. The footer
    /// is written last: no image resumes without it, whatever chunks are there.
    /// </summary>
    public static string? Incompleteness(TraceFile trace, ProcessResources? process)
    {
        string? lacks = (process != null, trace.CheckpointIndexes.Count > 0) switch
        {
            (false, _) => "it lacks the process's state, memory and threads",
            (true, false) => "it lacks the process's memory and threads",
            _ => null,
        };
        return trace.RecoveryNote == null && lacks == null ? null : string.Join("; ", new[] { trace.RecoveryNote, lacks }.OfType<string>());
    }
}

using Rewind.Trace;

namespace Rewind.Hibernation;

/// <summary>
/// What resume restores from a container (docs/hibernation.md): a hibernation image's checkpoint
/// with its Process chunk, or a recording's checkpoint with the process state the recorder kept
/// beside it. Both are one process image and one <see cref="ProcessResources"/>, restored alike.
/// </summary>
/// <param name="Checkpoint">the checkpoint whose memory and threads come back.</param>
/// <param name="FromRecording">
/// a recording's checkpoint, whose state was kept whatever the process held: what cannot come
/// back is refused at resume (<see cref="ImageCheck"/>), where hibernation refused it at once.
/// </param>
public sealed record ResumePoint(int Checkpoint, ProcessResources Process, bool FromRecording)
{
    /// <summary>How the check names the moment a file is compared with.</summary>
    public string Moment => FromRecording ? $"at checkpoint {Checkpoint}" : "when hibernated";

    /// <summary>
    /// The image of <paramref name="trace"/>, or with <paramref name="checkpoint"/> that checkpoint
    /// of a recording; a container that has none to resume is refused in one line.
    /// </summary>
    public static ResumePoint Of(TraceFile trace, string path, int? checkpoint)
    {
        var image = trace.Process;
        if (checkpoint is not { } n)
        {
            return image is { } process ? new ResumePoint(trace.CheckpointIndexes.Min(), process, FromRecording: false)
                : throw new RewindException($"{path} is a recording, not a hibernation image: rewind replay plays it back, rewind resume --checkpoint N continues it live from checkpoint N");
        }
        if (image != null)
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
        if (SeveralProcesses(trace, chosen) is { } several)
        {
            throw new RewindException($"checkpoint {n} of {path} {several}: resuming several processes live is not built yet, and one of them alone would miss the others");
        }
        var kept = trace.ProcessAt(n)
            ?? throw new RewindException($"{path} was recorded before checkpoints kept what a live resume needs (descriptors, working directory, limits): rewind replay --from-checkpoint {n} replays it");
        return new ResumePoint(n, kept, FromRecording: true);
    }

    /// <summary>How <paramref name="chosen"/> holds more than the whole program as one process; null when it does not.</summary>
    private static string? SeveralProcesses(TraceFile trace, CheckpointSummary chosen)
    {
        if (chosen.Process is { } pid)
        {
            return chosen.With is { } start ? $"is process {pid} of the moment of checkpoint {start}, when the program was several processes"
                : $"holds process {pid} alone, at its exec while the program was several processes";
        }
        var others = trace.Summary.Checkpoints.Where(c => c.With == chosen.Index).Select(c => c.Process).ToList();
        return others.Count == 0 ? null
            : $"holds the {others.Count + 1} processes of its moment ({string.Join(", ", [trace.CheckpointLayout(chosen.Index).Moment?.Pid, .. others])})";
    }
}

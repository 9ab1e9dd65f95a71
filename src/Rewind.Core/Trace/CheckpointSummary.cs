using Rewind.Checkpoints;

namespace Rewind.Trace;

/// <summary>A checkpoint stored in the trace.</summary>
/// <param name="StoredBytes">Page bytes this checkpoint stores itself (before compression).</param>
/// <param name="Base">The checkpoint whose pages it does not store again; null for a full one.</param>
/// <param name="PauseMicros">How long the program was stopped to take it.</param>
/// <param name="PersistMicros">How long writing it into the trace took, in the background.</param>
/// <param name="Process">
/// Set where a replay cannot start from it: the recorded pid of the one process it images, alone
/// while others lived (a child's new image at its execve, or, before format 5, the first process's
/// while it had children; replay restores it only at that exec), or as one of the processes of the
/// checkpoint <paramref name="With"/> (restored with it). Null for a checkpoint a replay starts from.
/// </param>
/// <param name="With">For the image of a process other than the first of its moment: the checkpoint a replay starts from, which restores this one too.</param>
public sealed record CheckpointSummary(int Index, long EventIndex, long TimeMicros, long StoredBytes, int? Base = null, long PauseMicros = 0, long PersistMicros = 0, int? Process = null,
    int? With = null)
{
    /// <summary>The summary's start and process fields for an image of <paramref name="moment"/> (format 5).</summary>
    public CheckpointSummary In(CheckpointMoment moment) => moment.IsStart(Index) ? this with { Process = null, With = null }
        : this with { Process = moment.Pid, With = moment.Count > 0 ? moment.First : null };
}

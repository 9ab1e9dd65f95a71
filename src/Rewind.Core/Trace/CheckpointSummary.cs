namespace Rewind.Trace;

/// <summary>A checkpoint stored in the trace.</summary>
/// <param name="StoredBytes">Page bytes this checkpoint stores itself (before compression).</param>
/// <param name="Base">The checkpoint whose pages it does not store again; null for a full one.</param>
/// <param name="PauseMicros">How long the program was stopped to take it.</param>
/// <param name="PersistMicros">How long writing it into the trace took, in the background.</param>
/// <param name="Process">
/// Set where a replay cannot start from it: the recorded pid of the one process it images while
/// others lived (a child's new image at its execve, or the first process's while it had children).
/// Replay restores it only at that exec; null for a checkpoint of the whole program.
/// </param>
public sealed record CheckpointSummary(int Index, long EventIndex, long TimeMicros, long StoredBytes, int? Base = null, long PauseMicros = 0, long PersistMicros = 0, int? Process = null);

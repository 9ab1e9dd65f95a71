namespace Rewind.Trace;

/// <summary>A checkpoint stored in the trace.</summary>
/// <param name="StoredBytes">Page bytes this checkpoint stores itself (before compression).</param>
/// <param name="Base">The checkpoint whose pages it does not store again; null for a full one.</param>
/// <param name="PauseMicros">How long the program was stopped to take it.</param>
/// <param name="PersistMicros">How long writing it into the trace took, in the background.</param>
public sealed record CheckpointSummary(int Index, long EventIndex, long TimeMicros, long StoredBytes, int? Base = null, long PauseMicros = 0, long PersistMicros = 0);

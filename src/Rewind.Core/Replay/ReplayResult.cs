using Rewind.Trace;

namespace Rewind.Replay;

/// <summary>How a replay ended.</summary>
/// <param name="Exit">The recorded process's end, reproduced; null when the trace ends before it.</param>
/// <param name="EndNote">Where and why the replay stopped early (a trace cut short), else null.</param>
public sealed record ReplayResult(ExitStatus? Exit, long Events, string? EndNote);

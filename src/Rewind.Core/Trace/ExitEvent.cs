namespace Rewind.Trace;

/// <summary>The end of the recorded process.</summary>
public sealed record ExitEvent(Tid Tid, long Time, ExitStatus Status) : TraceEvent(Tid, Time);

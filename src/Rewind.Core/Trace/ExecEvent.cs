namespace Rewind.Trace;

/// <summary>The process replaced its image (execve); the new image is checkpoint <see cref="Checkpoint"/>.</summary>
public sealed record ExecEvent(Tid Tid, long Time, int Checkpoint) : TraceEvent(Tid, Time);

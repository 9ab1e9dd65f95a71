namespace Rewind.Trace;

/// <summary>
/// The process replaced its image (execve); the new image is checkpoint <see cref="Checkpoint"/>.
/// <see cref="CommandLine"/> is the argv it was given, for the trace's readers (<c>rewind ps</c>);
/// null in traces written before processes were recorded.
/// </summary>
public sealed record ExecEvent(Tid Tid, long Time, int Checkpoint, IReadOnlyList<string>? CommandLine = null) : TraceEvent(Tid, Time);

namespace Rewind.Trace;

/// <summary>
/// A process other than the first did what Rewind cannot record (<see cref="Reason"/>): it left
/// the recording there and ran on unrecorded, the others recorded on; what it wrote to the
/// program's stdout and stderr afterwards is in child output events. Its tid is its pid.
/// </summary>
public sealed record ProcessLeftEvent(Tid Tid, long Time, string Reason) : TraceEvent(Tid, Time);

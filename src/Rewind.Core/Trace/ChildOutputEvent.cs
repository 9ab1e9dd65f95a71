namespace Rewind.Trace;

/// <summary>
/// What a child of the program (not recorded itself) wrote to the program's own stdout or
/// stderr: replay shows it at the same place among the program's output.
/// </summary>
public sealed record ChildOutputEvent(Tid Tid, long Time, StandardStream Output) : TraceEvent(Tid, Time);

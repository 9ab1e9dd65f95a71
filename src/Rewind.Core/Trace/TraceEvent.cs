namespace Rewind.Trace;

/// <summary>
/// One nondeterministic input the recording logged. Events are numbered from 0 in trace order;
/// Time is microseconds since the recording started.
/// </summary>
public abstract record TraceEvent(Tid Tid, long Time);

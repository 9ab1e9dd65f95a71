namespace Rewind.Trace;

/// <summary>An rdtsc or rdtscp the kernel trapped (PR_TSC_SIGSEGV) and the value it returned.</summary>
public sealed record RdtscEvent(Tid Tid, long Time, RemotePtr Pc, ulong Counter, uint Aux, bool IsRdtscp) : TraceEvent(Tid, Time);

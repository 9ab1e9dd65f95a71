namespace Rewind.Checkpoints;

/// <summary>A signal disposition other than the default, as rt_sigaction's kernel struct holds it.</summary>
public sealed record SignalAction(int Signal, ulong Handler, ulong Flags, ulong Restorer, ulong Mask);

namespace Rewind.Bench;

/// <summary>
/// One program to time: natively, under <c>rewind record</c>, and replayed. <paramref name="Build"/>
/// makes the program first where it is built by the harness and slow to build (only for workloads
/// that run).
/// </summary>
internal sealed record Workload(string Name, string Description, string Program, IReadOnlyList<string> Args, Action? Build = null);

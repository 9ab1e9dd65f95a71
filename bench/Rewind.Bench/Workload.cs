namespace Rewind.Bench;

/// <summary>One program to time: natively, under <c>rewind record</c>, and replayed.</summary>
internal sealed record Workload(string Name, string Description, string Program, IReadOnlyList<string> Args);

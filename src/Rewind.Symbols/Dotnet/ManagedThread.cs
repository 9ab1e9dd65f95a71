namespace Rewind.Symbols.Dotnet;

/// <summary>A thread the .NET runtime knows: its OS thread id, its managed id, and the name the program gave it (Thread.Name), if any.</summary>
public sealed record ManagedThread(Tid Tid, int ManagedId, string? Name);

namespace Rewind.Symbols.Dotnet;

/// <summary>A type's static fields with their values at a moment, as SOS's DumpClass lists them.</summary>
public sealed record ManagedStatics(string Type, ulong MethodTable, IReadOnlyList<ManagedField> Fields);

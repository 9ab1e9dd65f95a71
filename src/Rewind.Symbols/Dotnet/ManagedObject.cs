namespace Rewind.Symbols.Dotnet;

/// <summary>
/// An object of the managed heap as SOS's dumpobj shows it: its type, method table and size;
/// a string's text or an array's length; its instance fields with their values.
/// </summary>
public sealed record ManagedObject(ulong Address, string Type, ulong MethodTable, ulong Size, string? Text, int? Length, IReadOnlyList<ManagedField> Fields);

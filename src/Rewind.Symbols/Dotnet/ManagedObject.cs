namespace Rewind.Symbols.Dotnet;

/// <summary>
/// An object of the managed heap as SOS's dumpobj shows it: its type, method table and size;
/// a string's text or an array's length; its instance fields with their values; an array's first
/// elements (at most <see cref="ElementsShown"/>, each a field named by its index).
/// </summary>
public sealed record ManagedObject(ulong Address, string Type, ulong MethodTable, ulong Size, string? Text, int? Length, IReadOnlyList<ManagedField> Fields, IReadOnlyList<ManagedField> Elements)
{
    public const int ElementsShown = 100;
}

namespace Rewind.Symbols.Dotnet;

/// <summary>An instance field: its type, name, offset in the object and its value as text (an object reference as its address, a string's text after it).</summary>
public sealed record ManagedField(string Type, string Name, int Offset, string Value);

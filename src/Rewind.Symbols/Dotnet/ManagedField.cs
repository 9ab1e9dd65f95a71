namespace Rewind.Symbols.Dotnet;

/// <summary>
/// An instance field: its type, name, offset in the object and its value as text (an object
/// reference as its address, a string's text after it); <paramref name="Object"/> is the address
/// of the object a reference to something other than a string points to, to look into it;
/// <paramref name="Fields"/> a struct's own fields, where it lies in place.
/// </summary>
public sealed record ManagedField(string Type, string Name, int Offset, string Value, ulong? Object = null, IReadOnlyList<ManagedField>? Fields = null);

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// An argument or a local of a managed frame: its name, its declared type where known, and its
/// value as text (as a field's: a reference as the object's address, a string's text after it;
/// <see cref="ManagedRuntime.Unavailable"/> where the JIT's code keeps it nowhere at the frame's
/// pc). <paramref name="Object"/> is the address of the object a reference to something other
/// than a string points to, to look into it; <paramref name="Fields"/> a struct's fields, where it
/// lies in memory.
/// </summary>
public sealed record ManagedVariable(string Name, string? Type, string Value, ulong? Object = null, IReadOnlyList<ManagedField>? Fields = null);

namespace Rewind.Symbols.Dotnet;

/// <summary>An exception object: its type, message and HRESULT, the stack it was thrown through, and its inner exception.</summary>
public sealed record ManagedException(ulong Address, string Type, string? Message, int HResult, IReadOnlyList<ManagedFrame> Stack, ManagedException? Inner);

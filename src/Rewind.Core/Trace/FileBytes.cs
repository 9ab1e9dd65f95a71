namespace Rewind.Trace;

/// <summary>The <paramref name="Length"/> bytes of a file from <paramref name="Offset"/> on: <paramref name="Data"/>, then zeros.</summary>
public sealed record FileBytes(ulong Offset, ulong Length, byte[] Data);

namespace Rewind.Trace;

/// <summary>Bytes the program wrote to its stdout (1) or stderr (2).</summary>
public sealed record StandardStream(int Fd, byte[] Data);

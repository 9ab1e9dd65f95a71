namespace Rewind.Cli.Gdb;

/// <summary>A packet the server cannot make sense of: answered with an error reply, never fatal.</summary>
internal sealed class GdbProtocolException(string message) : RewindException(message);

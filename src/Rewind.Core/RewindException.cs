namespace Rewind;

/// <summary>
/// The one exception base of Rewind. Its message is a single line meant for the user:
/// the CLI, the DAP server and the gdb server show it as it is.
/// </summary>
public class RewindException : Exception
{
    public RewindException(string message) : base(message) { }

    public RewindException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A trace file that cannot be read: not a trace, truncated, corrupt or from a newer version.</summary>
public sealed class TraceFormatException(string message) : RewindException(message);

/// <summary>A replay that no longer follows the recording.</summary>
public sealed class DivergenceException(long eventIndex, string detail)
    : RewindException($"diverged at event {eventIndex}{(detail.StartsWith('(') ? " " : ": ")}{detail}")
{
    public long EventIndex { get; } = eventIndex;
}

/// <summary>Something the program did that Rewind cannot record faithfully yet.</summary>
public sealed class UnsupportedException(string message) : RewindException(message);

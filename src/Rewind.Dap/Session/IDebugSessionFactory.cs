namespace Rewind.Dap.Session;

/// <summary>Opens debug sessions for the launch request: a trace, or a program recorded first.</summary>
public interface IDebugSessionFactory
{
    /// <summary>
    /// Opens a trace file to debug its process <paramref name="pid"/> (a recorded pid, <c>rewind ps</c>;
    /// the first process by default); throws a <see cref="RewindException"/> naming what is wrong with it.
    /// </summary>
    IDebugSession OpenTrace(string tracePath, IDebugEventSink events, int? pid = null);

    /// <summary>Records the program to a new trace (its output goes to <paramref name="events"/>), then opens that trace.</summary>
    IDebugSession RecordAndOpen(RecordOptions options, IDebugEventSink events);
}

/// <summary>What to record: the program, its arguments, working directory and extra environment.</summary>
public sealed record RecordOptions(
    string Program,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment);

using Rewind.Dap.Protocol;
using Rewind.Dap.Session;

namespace Rewind.Dap;

/// <summary>
/// The state of one DAP conversation shared by the handlers: the connection, what the client
/// said about itself, the open session. Handlers run one at a time on the request loop.
/// </summary>
public sealed class DapContext
{
    private readonly List<Action> _afterResponse = [];

    public DapContext(DapConnection connection, TextWriter log, IDebugSessionFactory? sessionFactory)
    {
        Connection = connection;
        Log = log;
        SessionFactory = sessionFactory;
    }

    public DapConnection Connection { get; }

    public TextWriter Log { get; }

    /// <summary>Opens traces; null in a build without the replay engine.</summary>
    public IDebugSessionFactory? SessionFactory { get; }

    /// <summary>What the client said in <c>initialize</c>; null before it.</summary>
    public InitializeRequestArguments? Client { get; set; }

    /// <summary>The open trace, once <c>launch</c> succeeded.</summary>
    public IDebugSession? Session { get; set; }

    /// <summary>Set by <c>disconnect</c>: the loop ends after this response.</summary>
    public bool ShutdownRequested { get; set; }

    /// <summary>Where to stop first, from the launch arguments; used by <c>configurationDone</c>.</summary>
    public StartAt StartAt { get; set; }

    /// <summary>DAP frame ids of the current stop.</summary>
    public HandleTable<FrameRef> Frames { get; } = new();

    /// <summary>DAP variablesReference values of the current stop.</summary>
    public HandleTable<VariablesRef> Variables { get; } = new();

    /// <summary>DAP goto target ids of the last gotoTargets request.</summary>
    public HandleTable<JumpTargetId> JumpTargets { get; } = new();

    /// <summary>Lines as the client counts them (initialize's linesStartAt1, true unless it says otherwise).</summary>
    public int ToClientLine(int line) => Client?.LinesStartAt1 == false ? line - 1 : line;

    public int FromClientLine(int line) => Client?.LinesStartAt1 == false ? line + 1 : line;

    public int ToClientColumn(int column) => Client?.ColumnsStartAt1 == false ? column - 1 : column;

    /// <summary>Forgets the references of the previous stop: the specification makes them die when execution resumes.</summary>
    public void ResetReferences()
    {
        Frames.Clear();
        Variables.Clear();
    }

    public FrameRef RequireFrame(int frameId) =>
        Frames.TryGet(frameId, out var frame) ? frame : throw new DapException($"unknown or stale frame id {frameId}");

    public VariablesRef RequireVariables(int reference) =>
        Variables.TryGet(reference, out var v) ? v : throw new DapException($"unknown or stale variablesReference {reference}");

    public IDebugSession RequireSession() =>
        Session ?? throw new DapException("no trace is open: start a 'rewind' launch configuration first");

    /// <summary>
    /// Runs <paramref name="action"/> once the current response is written: the specification
    /// orders some events after a response (e.g. <c>initialized</c> after <c>launch</c>).
    /// </summary>
    public void AfterResponse(Action action) => _afterResponse.Add(action);

    internal List<Action> TakeAfterResponse()
    {
        var actions = new List<Action>(_afterResponse);
        _afterResponse.Clear();
        return actions;
    }
}

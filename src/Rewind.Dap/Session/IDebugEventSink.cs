namespace Rewind.Dap.Session;

/// <summary>What the engine tells the debugger without being asked; may be called from any thread.</summary>
public interface IDebugEventSink
{
    /// <summary>A motion ended (or the session started) at a new position.</summary>
    void Stopped(StopInfo stop);

    /// <summary>Text for the user: the program's recorded output at replay, a logpoint's message, a note from the engine.</summary>
    void Output(OutputKind kind, string text);

    /// <summary>A breakpoint's status changed without being set again (a .NET line bound once the JIT compiled its method, or unbound before that).</summary>
    void BreakpointChanged(BreakpointStatus status);

    void ThreadStarted(Tid thread);

    void ThreadExited(Tid thread);

    /// <summary>The session cannot go on (e.g. replay diverged); the client should end it.</summary>
    void Ended(string reason);
}

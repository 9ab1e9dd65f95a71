using Rewind.Syscalls;

namespace Rewind.Trace;

/// <summary>
/// Which recorded process each event of a trace belongs to, followed in trace order: the first
/// process's main thread is the trace's process id; a new process event names a process; a
/// thread belongs to the process whose clone returned its tid (a clone a new process event did
/// not name first).
/// </summary>
public sealed class ProcessMap(Tid first)
{
    private readonly Dictionary<int, int> _byTid = new() { [first.Value] = first.Value };
    // Tids clones returned, by the process that made them, until their thread's first event.
    private readonly Dictionary<int, int> _cloned = [];

    /// <summary>The recorded pid of <paramref name="e"/>'s process; null for a task the recording did not follow (an unrecorded child's output).</summary>
    public int? Follow(TraceEvent e)
    {
        if (e is ChildOutputEvent)
        {
            return null;
        }
        if (!_byTid.TryGetValue(e.Tid.Value, out int pid))
        {
            if (!_cloned.Remove(e.Tid.Value, out pid))
            {
                return null;
            }
            _byTid[e.Tid.Value] = pid;
        }
        switch (e)
        {
            case NewProcessEvent created:
                _byTid[created.Pid] = created.Pid;
                break;
            case SyscallEvent { Number: Nr.clone or Nr.clone3, Result: > 0 } clone when !_byTid.ContainsKey((int)clone.Result):
                _cloned[(int)clone.Result] = pid;
                break;
        }
        return pid;
    }
}

using Rewind.Syscalls;

namespace Rewind.Trace;

/// <summary>
/// A process of a recorded program, as its trace tells it (<c>rewind ps</c>): its pid and its
/// parent's when recorded, the command line it last exec'd (its parent's, if it never did), how
/// it ended, and how many events it has.
/// </summary>
public sealed record ProgramProcess(int Pid, int? Parent, IReadOnlyList<string> CommandLine, ExitStatus? Exit, long Events, long FirstEvent)
{
    /// <summary>
    /// The processes of <paramref name="trace"/>, in the order they were created. One pass over
    /// the events: a process is the first one or a new process event's; a thread belongs to the
    /// process whose clone returned its tid. Traces recorded with children unrecorded (or before
    /// processes were) list the first process alone.
    /// </summary>
    public static IReadOnlyList<ProgramProcess> ListOf(TraceFile trace)
    {
        int root = trace.ProcessId.Value;
        var processes = new List<Builder> { new(root, null, trace.Header.CommandLine, 0) };
        var byTid = new Dictionary<int, Builder> { [root] = processes[0] };
        // Tids a clone returned, by the process that made them: a thread's, unless a new process event named it first.
        var cloned = new Dictionary<int, Builder>();
        foreach (var (index, e) in trace.Events())
        {
            if (e is ChildOutputEvent)
            {
                continue;
            }
            if (!byTid.TryGetValue(e.Tid.Value, out var process))
            {
                if (!cloned.Remove(e.Tid.Value, out process))
                {
                    continue;
                }
                byTid[e.Tid.Value] = process;
            }
            process.Events++;
            switch (e)
            {
                case NewProcessEvent created:
                    var child = new Builder(created.Pid, process.Pid, process.CommandLine, index);
                    processes.Add(child);
                    byTid[created.Pid] = child;
                    break;
                case SyscallEvent { Number: Nr.clone or Nr.clone3, Result: > 0 } clone when !byTid.ContainsKey((int)clone.Result):
                    cloned[(int)clone.Result] = process;
                    break;
                case ExecEvent { CommandLine: { } argv }:
                    process.CommandLine = argv;
                    break;
                case ExitEvent ended when ended.Tid.Value == process.Pid:
                    process.Exit = ended.Status;
                    break;
            }
        }
        return [.. processes.Select(p => new ProgramProcess(p.Pid, p.Parent, p.CommandLine, p.Exit, p.Events, p.FirstEvent))];
    }

    private sealed class Builder(int pid, int? parent, IReadOnlyList<string> commandLine, long firstEvent)
    {
        public int Pid { get; } = pid;

        public int? Parent { get; } = parent;

        public long FirstEvent { get; } = firstEvent;

        public IReadOnlyList<string> CommandLine { get; set; } = commandLine;

        public ExitStatus? Exit { get; set; }

        public long Events { get; set; }
    }
}

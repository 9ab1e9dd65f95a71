namespace Rewind.Trace;

/// <summary>
/// A process of a recorded program, as its trace tells it (<c>rewind ps</c>): its pid and its
/// parent's when recorded, the command line it last exec'd (its parent's, if it never did), how
/// it ended, and how many events it has. <see cref="Image"/> is the checkpoint of the program it
/// last ran (its last exec's, or the one it was forked running), <see cref="Start"/> the event
/// boundary where a debugger starts on it (right after that exec, or after its fork), and
/// <see cref="End"/> the index of its exit event (null when the trace ends first), or of the event
/// where it left the recording (<see cref="Left"/>: why).
/// </summary>
public sealed record ProgramProcess(int Pid, int? Parent, IReadOnlyList<string> CommandLine, ExitStatus? Exit, long Events, long FirstEvent, int Image, long Start, long? End, string? Left)
{
    /// <summary>
    /// The processes of <paramref name="trace"/>, in the order they were created, in one pass over
    /// its events (<see cref="ProcessMap"/>). Traces recorded with children unrecorded (or before
    /// processes were) list the first process alone.
    /// </summary>
    public static IReadOnlyList<ProgramProcess> ListOf(TraceFile trace)
    {
        var processes = new List<Builder> { new(trace.ProcessId.Value, null, trace.Header.CommandLine, 0) };
        var byPid = processes.ToDictionary(p => p.Pid);
        var map = new ProcessMap(trace.ProcessId);
        foreach (var (index, e) in trace.Events())
        {
            if (map.Follow(e) is not { } pid)
            {
                continue;
            }
            var process = byPid[pid];
            process.Events++;
            switch (e)
            {
                case NewProcessEvent created:
                    var child = new Builder(created.Pid, pid, process.CommandLine, index) { Image = process.Image, Start = index + 1 };
                    processes.Add(child);
                    byPid[created.Pid] = child;
                    break;
                case ExecEvent exec:
                    process.CommandLine = exec.CommandLine ?? process.CommandLine;
                    process.Image = exec.Checkpoint;
                    process.Start = index + 1;
                    break;
                case ExitEvent ended when ended.Tid.Value == pid:
                    process.Exit = ended.Status;
                    process.End = index;
                    break;
                case ProcessLeftEvent left:
                    process.Left = left.Reason;
                    process.End = index;
                    break;
            }
        }
        return [.. processes.Select(p => new ProgramProcess(p.Pid, p.Parent, p.CommandLine, p.Exit, p.Events, p.FirstEvent, p.Image, p.Start, p.End, p.Left))];
    }

    private sealed class Builder(int pid, int? parent, IReadOnlyList<string> commandLine, long firstEvent)
    {
        public int Pid { get; } = pid;

        public int? Parent { get; } = parent;

        public long FirstEvent { get; } = firstEvent;

        public IReadOnlyList<string> CommandLine { get; set; } = commandLine;

        public ExitStatus? Exit { get; set; }

        public long Events { get; set; }

        public int Image { get; set; }

        public long Start { get; set; }

        public long? End { get; set; }

        public string? Left { get; set; }
    }
}

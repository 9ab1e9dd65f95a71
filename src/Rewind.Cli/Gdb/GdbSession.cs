using Rewind.Replay;
using Rewind.Timeline;

namespace Rewind.Cli.Gdb;

/// <summary>
/// The state one gdb connection works on: the timeline (all of it on the thread that runs the
/// server: ptrace), the recorded process's fixed facts, gdb's breakpoints and watchpoints, and
/// whether the session is over.
/// </summary>
internal sealed class GdbSession(ReplayTimeline timeline, RecordedProcess process, TargetDescription description, PacketConnection connection)
{
    public ReplayTimeline Timeline { get; } = timeline;

    public RecordedProcess Process { get; } = process;

    public TargetDescription Description { get; } = description;

    public PacketConnection Connection { get; } = connection;

    public GdbBreakpoints Breakpoints { get; } = new();

    public List<GdbWatch> Watches { get; } = [];

    /// <summary>
    /// gdb asked for thread events (QThreadEvents:1): a motion that a thread's end passes answers
    /// first with that thread's exit (w), as gdbserver does.
    /// </summary>
    public bool ThreadEvents { get; set; }

    /// <summary>
    /// Whether gdb prints "[Thread … exited]" itself when a thread leaves the list of a remote
    /// target. gdb 13 does not (only its native targets print it); the gdb that offers
    /// QThreadOptions in qSupported came with the change that prints it for every target.
    /// </summary>
    public bool GdbAnnouncesExits { get; set; }

    /// <summary>Stop replies of the last motion not yet sent: gdb's next resume gets the next one, without moving.</summary>
    public Queue<string> PendingStops { get; } = new();

    /// <summary>Set by k, D and vKill: the server ends after answering.</summary>
    public bool Ended { get; set; }

    private volatile bool _interrupted;

    /// <summary>gdb's Ctrl-C, from the thread that reads the connection: the motion under way stops where it is.</summary>
    public void Interrupt()
    {
        _interrupted = true;
        Timeline.Interrupt();
    }

    /// <summary>Whether an interrupt came since the last call.</summary>
    public bool TakeInterrupt()
    {
        bool interrupted = _interrupted;
        _interrupted = false;
        return interrupted;
    }

    /// <summary>The thread whose registers gdb reads (its Hg), until the next motion; null for the present thread.</summary>
    public Tid? Selected { get; set; }

    /// <summary>The thread gdb's steps act on (its Hc); null, or the present thread, for the present thread.</summary>
    public Tid? Stepped { get; set; }

    /// <summary>A thread as the multiprocess extension writes it: p(pid).(tid), with the recorded ids.</summary>
    public string IdOf(Tid thread) => $"p{Process.Pid:x}.{thread.Value:x}";

    /// <summary>A thread as gdb names it to the user: "Thread 2996.3002" (pid and tid in decimal).</summary>
    public string NameOf(Tid thread) => $"Thread {Process.Pid}.{thread.Value}";

    /// <summary>The thread of the present: the one every stop reply names.</summary>
    public string ThreadId => IdOf(Timeline.Thread);

    /// <summary>The threads alive at the present (the present one alone when the process is gone).</summary>
    public IReadOnlyList<ProgramThread> Threads => Timeline.Threads is { Count: > 0 } all ? all : [new ProgramThread(Timeline.Thread, "")];

    /// <summary>
    /// The thread a thread-id names: p(pid).(tid) or (tid); -1 and 0 ("all", "any") name none,
    /// which the caller reads as the present thread.
    /// </summary>
    public Tid? Parse(string id)
    {
        string tid = id.StartsWith('p') && id.IndexOf('.') is > 0 and var dot ? id[(dot + 1)..] : id;
        long value = GdbHex.ParseSigned(tid);
        return value > 0 ? new Tid((int)value) : null;
    }

    public bool IsAlive(Tid thread) => Threads.Any(t => t.Tid == thread);

    public RegisterFile ReadRegisters()
    {
        var thread = Selected is { } t && IsAlive(t) && t != Timeline.Thread ? t : (Tid?)null;
        return thread is { } other
            ? RegisterFile.Of(Description, Timeline.RegistersOf(other), Timeline.ExtendedStateOf(other))
            : RegisterFile.Of(Description, Timeline.Registers, Timeline.ExtendedState);
    }

    public string StopReplyNow() => StopReply.For(Timeline.Stop, ThreadId, Breakpoints, Watches);

    /// <summary>Sends console output to gdb: allowed while it waits for a stop reply or a monitor command's answer.</summary>
    public void Print(string text) => Connection.Send("O" + GdbHex.EncodeText(text));
}

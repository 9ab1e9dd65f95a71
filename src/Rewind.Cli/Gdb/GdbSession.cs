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

    /// <summary>The one thread, as the multiprocess extension writes it: p(pid).(tid).</summary>
    public string ThreadId => $"p{Process.Pid:x}.{Process.Pid:x}";

    public RegisterFile ReadRegisters() => RegisterFile.Of(Description, Timeline.Registers, Timeline.ExtendedState);

    public string StopReplyNow() => StopReply.For(Timeline.Stop, ThreadId, Breakpoints, Watches);

    /// <summary>Sends console output to gdb: allowed while it waits for a stop reply or a monitor command's answer.</summary>
    public void Print(string text) => Connection.Send("O" + GdbHex.EncodeText(text));
}

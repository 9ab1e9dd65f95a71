using Rewind.Timeline;

namespace Rewind.Cli.Gdb;

/// <summary>
/// Run control: vCont (c, C, s, S), c, C, s, S forward and bc, bs backward. The signal gdb
/// passes with C and S is ignored: the replay delivers the recorded signals, when they were.
/// Each motion answers with the stop reply of where the timeline stopped.
/// </summary>
internal sealed class ResumePackets(GdbSession session) : IPacketHandler
{
    public string? Handle(string packet)
    {
        if (packet == "vCont?")
        {
            return "vCont;c;C;s;S";
        }
        if (packet.StartsWith("vCont;", StringComparison.Ordinal))
        {
            return FromVCont(packet);
        }
        return packet[0] switch
        {
            'c' or 'C' => Run(() => session.Timeline.Continue(Direction.Forward)),
            's' or 'S' => Step(session.Stepped, Direction.Forward),
            'b' when packet == "bc" => Run(ReverseContinue),
            'b' when packet == "bs" => Step(session.Stepped, Direction.Backward),
            _ => null,
        };
    }

    /// <summary>
    /// One instruction of <paramref name="thread"/>, or of the present thread (Hc0, Hc-1: "any").
    /// Another thread is made the present one first: forward, the others run until it runs;
    /// backward, back to where it last ran. gdb names the thread with Hc only when it resumes that
    /// thread alone (scheduler-locking on or step, or its own step over a breakpoint).
    /// </summary>
    private string Step(Tid? thread, Direction direction) =>
        Run(() =>
        {
            if (thread is { } t && session.IsAlive(t))
            {
                if (direction == Direction.Forward)
                {
                    session.Timeline.RunUntilRunning(t);
                }
                else
                {
                    session.Timeline.GoToLastRunOf(t);
                }
            }
            return session.Timeline.StepInstruction(direction);
        });

    /// <summary>
    /// vCont;ACTION[:THREAD];…: the first action is the one that matters, since every thread but a
    /// stepped one runs as recorded. A step of a thread other than the present one first runs the
    /// others until it is about to run.
    /// </summary>
    private string FromVCont(string packet)
    {
        var first = packet.Split(';')[1].Split(':');
        string action = first[0];
        var thread = first.Length > 1 ? session.Parse(first[1]) : null;
        return action switch
        {
            "c" or ['C', _, _] => Run(() => session.Timeline.Continue(Direction.Forward)),
            "s" or ['S', _, _] => Step(thread, Direction.Forward),
            _ => throw new GdbProtocolException($"vCont action '{action}' is not supported"),
        };
    }

    /// <summary>
    /// A watchpoint found backward stops right after the instruction that accessed the memory;
    /// gdb, like in a forward run, must see that instruction still to come, with the old value in
    /// memory: one instruction back. (A write by the kernel: back before the syscall's instruction.)
    /// When the present is just after an access that stopped a forward run, that access is the
    /// first thing executing backward meets: one instruction back is the whole motion.
    /// </summary>
    private TimelineStop ReverseContinue()
    {
        var timeline = session.Timeline;
        var stop = timeline.Stop.Reason == StopReason.Watchpoint ? timeline.Stop : timeline.Continue(Direction.Backward);
        if (stop.Reason != StopReason.Watchpoint)
        {
            return stop;
        }
        var before = timeline.StepInstruction(Direction.Backward);
        return before.Reason == StopReason.StartOfTrace ? before : stop;
    }

    /// <summary>
    /// A motion, and the threads whose end it passed: alive before, gone after (forward, a
    /// thread's exit; backward, its creation undone). With thread events on (QThreadEvents:1)
    /// each is a w stop reply first, as gdbserver stops at a thread's exit, and gdb's next resumes
    /// get the rest, the motion's own stop last, without moving again. Otherwise gdb drops such a
    /// thread from its list silently (gdb 13 announces exits of native threads only), so the
    /// server prints gdb's own notice as console output while gdb waits for the stop.
    /// </summary>
    private string Run(Func<TimelineStop> motion)
    {
        if (session.PendingStops.TryDequeue(out var pending))
        {
            return pending;
        }
        var before = session.Threads.Select(t => t.Tid).ToList();
        string reply = Move(motion);
        var gone = before.Where(t => !session.IsAlive(t)).ToList();
        if (gone.Count == 0 || reply.StartsWith('E'))
        {
            return reply;
        }
        if (session.ThreadEvents)
        {
            foreach (var exit in gone.Skip(1).Select(ExitReply).Append(reply))
            {
                session.PendingStops.Enqueue(exit);
            }
            return ExitReply(gone[0]);
        }
        if (!session.GdbAnnouncesExits)
        {
            session.Print(string.Concat(gone.Select(t => $"[{session.NameOf(t)} exited]\n")));
        }
        return reply;
    }

    /// <summary>w(status);(thread): a thread's end. A thread of a program ends by exit(0) from its start routine's return or pthread_exit.</summary>
    private string ExitReply(Tid thread) => $"w0;{session.IdOf(thread)}";

    private string Move(Func<TimelineStop> motion)
    {
        TimelineStop stop;
        session.TakeInterrupt();
        session.Selected = null;
        try
        {
            stop = motion();
        }
        catch (RewindException e)
        {
            // gdb prints console output while it waits for the stop, then reads 'E' as
            // "Remote failure reply" and stays where the timeline is.
            session.Print($"rewind: {e.Message}\n");
            return Replies.Error(1);
        }
        // Stopped by Ctrl-C: gdb shows "Program received signal SIGINT" where the run paused.
        return session.TakeInterrupt() && stop.Reason == StopReason.Arrived
            ? StopReply.Interrupted(session.ThreadId)
            : StopReply.For(stop, session.ThreadId, session.Breakpoints, session.Watches);
    }
}

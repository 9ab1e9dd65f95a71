using System.Runtime.InteropServices;
using Rewind.Linux;

namespace Rewind;

/// <summary>
/// The recorded program's own process group, so that a program signalling its group
/// (<c>kill(0, …)</c>, <c>killpg</c>, a shell's <c>kill 0</c>) reaches itself and its children,
/// never the recorder. The program stays where a user expects it: when the recorder owns the
/// terminal's foreground, the program's group gets it (^C, ^\ and ^Z go to the program, which
/// reads the terminal as it would alone); the signals a user sends the recorder itself
/// (SIGINT, SIGQUIT, SIGTERM, SIGHUP) are passed on to the program, which decides, and the
/// recording goes on to its end. A stop of the program stops the recorder too, so the shell sees
/// its job stopped and <c>fg</c> resumes both.
/// </summary>
internal sealed class ProgramGroup : IDisposable
{
    private static readonly PosixSignal[] Passed = [PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];
    private readonly int _pgid;
    private int _terminal = -1;
    private readonly List<PosixSignalRegistration> _handlers = [];

    /// <param name="pgid">the group the program's first process is in, leading it or not (<see cref="GroupAnchor"/>); it has not run anything yet.</param>
    public ProgramGroup(int pgid)
    {
        _pgid = pgid;
        Handle(signal => _ = Interop.kill(-_pgid, SignalNumber(signal)));
        int tty = Interop.open("/dev/tty", Interop.O_RDWR | Interop.O_NOCTTY | Interop.O_CLOEXEC, 0);
        if (tty >= 0 && Interop.tcgetpgrp(tty) == Interop.getpgrp())
        {
            _terminal = tty;
            GiveTerminal(_pgid);
        }
        else if (tty >= 0)
        {
            Interop.close(tty);
        }
    }

    /// <summary>
    /// The program's first process ended while processes it started run on: the terminal comes
    /// back to the recorder's group, as a shell takes it back when its job ends, and the signals
    /// a user sends the recorder (^C on the terminal among them) call <paramref name="stop"/>
    /// instead of going to the program's group, which those processes may have left (a daemon's setsid).
    /// </summary>
    public void ProgramEnded(Action stop)
    {
        TakeTerminalBack();
        Handle(_ => stop());
    }

    /// <summary>Handles the <see cref="Passed"/> signals with <paramref name="handler"/> from now on, and not as the runtime would (it ends the process).</summary>
    private void Handle(Action<PosixSignal> handler)
    {
        RemoveHandlers();
        foreach (var signal in Passed)
        {
            _handlers.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                handler(context.Signal);
            }));
        }
    }

    private void RemoveHandlers()
    {
        foreach (var registration in _handlers)
        {
            registration.Dispose();
        }
        _handlers.Clear();
    }

    /// <summary>Gives the terminal back to the recorder's group, if it gave it to the program's.</summary>
    private void TakeTerminalBack()
    {
        if (_terminal >= 0)
        {
            GiveTerminal(Interop.getpgrp());
            Interop.close(_terminal);
            _terminal = -1;
        }
    }

    /// <summary>
    /// The program stopped (^Z, SIGSTOP, a background read): stop the recorder as well, with the
    /// terminal back in its group as the shell expects; once continued, give the terminal back to
    /// the program and continue it.
    /// </summary>
    public void StopWithProgram()
    {
        if (_terminal < 0)
        {
            return;
        }
        GiveTerminal(Interop.getpgrp());
        _ = Interop.kill(Interop.getpid(), Signal.SIGSTOP);
        GiveTerminal(_pgid);
        _ = Interop.kill(-_pgid, Signal.SIGCONT);
    }

    /// <summary>
    /// Takes the next change of state of process <paramref name="pid"/>, our child (with
    /// <paramref name="block"/>, waits for one): its status when it ended, else null. A stop of it
    /// stops us too (<see cref="StopWithProgram"/>), as a shell's job.
    /// </summary>
    public Trace.ExitStatus? Reap(int pid, bool block)
    {
        int r = Interop.waitpid(pid, out int raw, Interop.WUNTRACED | (block ? 0 : Interop.WNOHANG));
        if (r < 0 && Marshal.GetLastPInvokeError() != Errno.EINTR)
        {
            throw Interop.Error("waitpid");
        }
        if (r != pid)
        {
            return null;
        }
        var status = new WaitStatus(raw);
        if (status.Stopped)
        {
            StopWithProgram();
            return null;
        }
        return Trace.ExitStatus.Of(status);
    }

    /// <summary>Makes <paramref name="pgid"/> the terminal's foreground group, ours or not.</summary>
    private void GiveTerminal(int pgid) => _ = Interop.OutsideForeground(() => Interop.tcsetpgrp(_terminal, pgid));

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => Signal.SIGINT,
        PosixSignal.SIGQUIT => Signal.SIGQUIT,
        PosixSignal.SIGTERM => Signal.SIGTERM,
        _ => Signal.SIGHUP,
    };

    public void Dispose()
    {
        RemoveHandlers();
        TakeTerminalBack();
    }
}

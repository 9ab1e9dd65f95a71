using Rewind.Linux;

namespace Rewind;

public sealed partial class Tracee
{
    internal const int TraceOptions = Interop.PTRACE_O_TRACESYSGOOD | Interop.PTRACE_O_TRACEEXEC
        | Interop.PTRACE_O_TRACESECCOMP | Interop.PTRACE_O_TRACEFORK | Interop.PTRACE_O_TRACEVFORK
        | Interop.PTRACE_O_TRACECLONE | Interop.PTRACE_O_EXITKILL;

    /// <summary>
    /// The ptrace options this thread is traced with: <see cref="TraceOptions"/>, those it was
    /// seized with (<see cref="Attached"/>), or a snapshot's (<see cref="ForkSnapshot"/>). A child
    /// the kernel attached for us has its parent's (<see cref="Adopt"/>: a child of Rewind's own tracees).
    /// </summary>
    private int _options = TraceOptions;

    /// <summary>
    /// Starts <c>/bin/sh -c SCRIPT ARGS…</c> and takes it over when the script stops itself.
    /// The runtime must never fork (shared/DESIGN.md §8), so the child comes from posix_spawn and
    /// the shell's <c>kill -STOP $$</c> gives us a stopped process to PTRACE_SEIZE before it
    /// runs anything of interest. Returns the tracee in a ptrace-stop, in process group
    /// <paramref name="processGroup"/> (0: a new one it leads). The program's launcher keeps
    /// rewind's signal mask (<paramref name="inheritedMask"/>, <see cref="ProcessSpawn.Start"/>).
    /// </summary>
    internal static Tracee SpawnShellStopped(string script, IReadOnlyList<string> args, IReadOnlyList<string> environment, int processGroup, bool inheritedMask)
    {
        var argv = new List<string> { "sh", "-c", script };
        argv.AddRange(args);
        int pid = ProcessSpawn.Start("/bin/sh", argv, environment, processGroup, inheritedMask);

        int r = Interop.waitpid(pid, out int raw, Interop.WUNTRACED);
        var status = new WaitStatus(raw);
        if (r != pid || !status.Stopped)
        {
            throw new RewindException($"the launcher shell did not stop as expected ({status})");
        }
        var tracee = new Tracee(new Tid(pid), pid);
        Interop.Check(Interop.ptrace(Interop.PTRACE_SEIZE, pid, 0, TraceOptions), "ptrace(SEIZE)");
        // Seizing a process in group-stop re-reports the stop as a PTRACE_EVENT_STOP trap, after
        // which it is in a ptrace-stop we can work in.
        status = tracee.Wait();
        if (!status.IsEvent(WaitStatus.EventStop))
        {
            tracee.Kill();
            throw new RewindException($"the launcher shell did not reach its ptrace stop ({status})");
        }
        // The process stays marked group-stopped until a SIGCONT (SIGNAL_STOP_STOPPED), and while it
        // is, every PTRACE_INTERRUPT of its threads reports SIGSTOP, as a group-stop would. A SIGCONT
        // clears the mark; it is caught at its signal-delivery-stop and dropped there, so the shell
        // never runs on, and stays in a ptrace-stop for us.
        Interop.Check(Interop.kill(pid, Signal.SIGCONT), "kill(SIGCONT)");
        do
        {
            tracee.Resume(Rewind.Resume.Continue);
            status = tracee.Wait();
        }
        while (status.Stopped && (status.PtraceEvent != 0 || status.StopSignal != Signal.SIGCONT));
        if (!status.Stopped)
        {
            throw new RewindException($"the launcher shell did not stay stopped ({status})");
        }
        return tracee;
    }

    /// <summary>Adopts a process the kernel attached for us (a fork child of a tracee).</summary>
    internal static Tracee Adopt(int pid) => new(new Tid(pid), pid);

    /// <summary>A thread of process <paramref name="tgid"/> that the caller has just seized with <paramref name="options"/>.</summary>
    internal static Tracee Attached(int tid, int tgid, int options) => new(new Tid(tid), tgid) { _options = options };

    /// <summary>Adopts a new thread of this tracee's process, which the kernel attached for us (PTRACE_O_TRACECLONE).</summary>
    internal Tracee AdoptThread(int tid) => new(new Tid(tid), Tgid) { _syscallGadget = _syscallGadget, _options = _options };

    /// <summary>Traces this stopped thread with <paramref name="options"/> from now on (PTRACE_SETOPTIONS: they belong to each tracee, ptrace(2)).</summary>
    private void SetOptions(int options)
    {
        Interop.Check(Interop.ptrace(Interop.PTRACE_SETOPTIONS, Pid, 0, options), "ptrace(SETOPTIONS)");
        _options = options;
    }
}

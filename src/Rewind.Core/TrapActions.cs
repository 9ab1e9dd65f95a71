using Rewind.Checkpoints;
using Rewind.Linux;

namespace Rewind;

/// <summary>
/// A process's own actions (rt_sigaction(2)) for the signals Rewind's traps raise in its threads
/// (<see cref="ThreadSignals"/>), as the program set them. Its threads share them
/// (CLONE_SIGHAND); a new process starts with a copy.
/// </summary>
internal sealed class TrapActions
{
    /// <summary>The signals of Rewind's traps: SIGSEGV (rdtsc, CPUID, a place probe's load) and SIGTRAP (a step, an int3, a debug register).</summary>
    public static readonly IReadOnlyList<int> Signals = [Signal.SIGSEGV, Signal.SIGTRAP];

    private const ulong SA_RESETHAND = 0x80000000;

    // The actions other than the default (SIG_DFL, no flags), by signal.
    private readonly Dictionary<int, SignalAction> _actions;

    private TrapActions(IEnumerable<SignalAction> actions) => _actions = actions.Where(a => Signals.Contains(a.Signal)).ToDictionary(a => a.Signal);

    /// <summary>Those among <paramref name="actions"/>, a checkpoint's dispositions.</summary>
    public static TrapActions From(IEnumerable<SignalAction> actions) => new(actions);

    /// <summary>
    /// Those of a process about to exec, whose ignored signals are <paramref name="ignored"/>
    /// (/proc's SigIgn): what it catches does not matter, as its exec resets it (<see cref="Flushed"/>).
    /// </summary>
    public static TrapActions Ignoring(ulong ignored) =>
        new(Signals.Where(s => (ignored & 1UL << (s - 1)) != 0).Select(s => new SignalAction(s, SignalAction.Ignore, 0, 0, 0)));

    public SignalAction Of(int signal) => _actions.GetValueOrDefault(signal) ?? new SignalAction(signal, SignalAction.Default, 0, 0, 0);

    /// <summary>The program's rt_sigaction set <paramref name="action"/>.</summary>
    public void Set(SignalAction action) => _actions[action.Signal] = action;

    public TrapActions Copy() => new(_actions.Values);

    /// <summary>
    /// After execve, or for a child of clone3 with CLONE_CLEAR_SIGHAND (flush_signal_handlers in
    /// kernel/signal.c): a handler becomes SIG_DFL, an ignored signal stays ignored, and every
    /// flag, mask and restorer is cleared.
    /// </summary>
    public TrapActions Flushed() => new(_actions.Values.Where(a => a.Handler == SignalAction.Ignore).Select(a => a with { Flags = 0, Restorer = 0, Mask = 0 }));

    /// <summary><paramref name="signal"/> is delivered to its handler: one set with SA_RESETHAND becomes SIG_DFL (get_signal).</summary>
    public void Delivering(int signal)
    {
        if (_actions.TryGetValue(signal, out var a) && a.Handler > SignalAction.Ignore && (a.Flags & SA_RESETHAND) != 0)
        {
            _actions[signal] = a with { Handler = SignalAction.Default };
        }
    }
}

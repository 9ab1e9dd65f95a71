using Rewind.Checkpoints;
using Rewind.Linux;

namespace Rewind.Core.Tests.Values;

/// <summary>The program's actions for the signals of Rewind's traps follow the kernel's rules for execve, clone and delivery.</summary>
public sealed class TrapActionsTests
{
    private const ulong Handler = 0x401136, Restorer = 0x7ffff7c42520, SA_RESETHAND = 0x80000000, SA_SIGINFO = 4, SA_RESTORER = 0x04000000;

    [Fact]
    public void Only_the_signals_of_the_traps_are_kept()
    {
        var actions = TrapActions.From([new SignalAction(Signal.SIGINT, Handler, 0, 0, 0), new SignalAction(Signal.SIGTRAP, SignalAction.Ignore, 0, 0, 0)]);

        Assert.Equal(SignalAction.Default, actions.Of(Signal.SIGINT).Handler);
        Assert.Equal(SignalAction.Ignore, actions.Of(Signal.SIGTRAP).Handler);
        Assert.Equal(new SignalAction(Signal.SIGSEGV, SignalAction.Default, 0, 0, 0), actions.Of(Signal.SIGSEGV));
    }

    [Fact]
    public void Execve_resets_a_handler_and_keeps_an_ignored_signal_ignored_with_no_flags()
    {
        var actions = TrapActions.From(
        [
            new SignalAction(Signal.SIGSEGV, Handler, SA_SIGINFO | SA_RESTORER, Restorer, 1UL << (Signal.SIGUSR2 - 1)),
            new SignalAction(Signal.SIGTRAP, SignalAction.Ignore, SA_RESTORER, Restorer, 0),
        ]);

        var flushed = actions.Flushed();

        Assert.Equal(new SignalAction(Signal.SIGSEGV, SignalAction.Default, 0, 0, 0), flushed.Of(Signal.SIGSEGV));
        Assert.Equal(new SignalAction(Signal.SIGTRAP, SignalAction.Ignore, 0, 0, 0), flushed.Of(Signal.SIGTRAP));
        Assert.Equal(Handler, actions.Of(Signal.SIGSEGV).Handler);
    }

    [Fact]
    public void Delivery_resets_only_a_handler_set_with_sa_resethand()
    {
        var actions = TrapActions.From(
        [
            new SignalAction(Signal.SIGSEGV, Handler, SA_RESETHAND | SA_RESTORER, Restorer, 0),
            new SignalAction(Signal.SIGTRAP, Handler, SA_RESTORER, Restorer, 0),
        ]);

        actions.Delivering(Signal.SIGSEGV);
        actions.Delivering(Signal.SIGTRAP);

        Assert.Equal(new SignalAction(Signal.SIGSEGV, SignalAction.Default, SA_RESETHAND | SA_RESTORER, Restorer, 0), actions.Of(Signal.SIGSEGV));
        Assert.Equal(Handler, actions.Of(Signal.SIGTRAP).Handler);
    }

    [Fact]
    public void A_copy_is_a_new_process_own_and_the_ignored_signals_come_from_the_mask()
    {
        var actions = TrapActions.Ignoring(1UL << (Signal.SIGSEGV - 1) | 1UL << (Signal.SIGPIPE - 1));
        var copy = actions.Copy();

        copy.Set(new SignalAction(Signal.SIGSEGV, Handler, 0, 0, 0));

        Assert.Equal(SignalAction.Ignore, actions.Of(Signal.SIGSEGV).Handler);
        Assert.Equal(Handler, copy.Of(Signal.SIGSEGV).Handler);
        Assert.Equal(SignalAction.Default, actions.Of(Signal.SIGTRAP).Handler);
    }

    [Fact]
    public void A_kernel_struct_reads_back_as_written()
    {
        var action = new SignalAction(Signal.SIGSEGV, Handler, SA_SIGINFO | SA_RESTORER, Restorer, 1UL << (Signal.SIGUSR2 - 1));

        Assert.Equal(action, SignalAction.Of(Signal.SIGSEGV, action.ToKernel()));
        Assert.Equal(SignalAction.Size, action.ToKernel().Length);
    }
}

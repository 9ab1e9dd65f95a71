using Rewind.Linux;

namespace Rewind.Core.Tests.Values;

/// <summary>Raw statuses as the kernel builds them (kernel/exit.c, kernel/ptrace.c), decoded as wait(2)'s macros do.</summary>
public sealed class WaitStatusTests
{
    [Theory]
    [InlineData(0x0000, 0)]
    [InlineData(0x0300, 3)]
    [InlineData(0xff00, 255)]
    [InlineData(0x8000, 128)]
    public void Exited(int raw, int code)
    {
        var s = new WaitStatus(raw);
        Assert.True(s.Exited);
        Assert.False(s.Signaled);
        Assert.False(s.Stopped);
        Assert.False(s.CoreDumped);
        Assert.Equal(code, s.ExitCode);
        Assert.Equal($"exited {code}", s.ToString());
    }

    [Fact]
    public void Signaled_with_and_without_core()
    {
        var segv = new WaitStatus(0x80 | Signal.SIGSEGV);
        Assert.True(segv.Signaled);
        Assert.False(segv.Exited);
        Assert.False(segv.Stopped);
        Assert.Equal(Signal.SIGSEGV, segv.TermSignal);
        Assert.True(segv.CoreDumped);
        Assert.Equal("killed by SIGSEGV", segv.ToString());

        var kill = new WaitStatus(Signal.SIGKILL);
        Assert.True(kill.Signaled);
        Assert.False(kill.CoreDumped);
        Assert.Equal(Signal.SIGKILL, kill.TermSignal);

        var rt = new WaitStatus(64);
        Assert.True(rt.Signaled);
        Assert.Equal(64, rt.TermSignal);
    }

    [Theory]
    [InlineData(Signal.SIGSTOP)]
    [InlineData(Signal.SIGTSTP)]
    [InlineData(Signal.SIGSEGV)]
    [InlineData(Signal.SIGTRAP)]
    public void Stopped_by_a_signal(int signal)
    {
        var s = new WaitStatus((signal << 8) | 0x7f);
        Assert.True(s.Stopped);
        Assert.False(s.Exited);
        Assert.False(s.Signaled);
        Assert.False(s.IsSyscallStop);
        Assert.Equal(0, s.PtraceEvent);
        Assert.Equal(signal, s.StopSignal);
        Assert.Equal($"stopped by {Signal.Name(signal)}", s.ToString());
    }

    [Theory]
    [InlineData(WaitStatus.EventFork)]
    [InlineData(WaitStatus.EventVfork)]
    [InlineData(WaitStatus.EventClone)]
    [InlineData(WaitStatus.EventExec)]
    [InlineData(WaitStatus.EventVforkDone)]
    [InlineData(WaitStatus.EventExit)]
    [InlineData(WaitStatus.EventSeccomp)]
    public void Ptrace_event_stops(int ptraceEvent)
    {
        // status>>8 == (SIGTRAP | PTRACE_EVENT_foo << 8)
        var s = new WaitStatus((((ptraceEvent << 8) | Signal.SIGTRAP) << 8) | 0x7f);
        Assert.True(s.Stopped);
        Assert.Equal(Signal.SIGTRAP, s.StopSignal);
        Assert.Equal(ptraceEvent, s.PtraceEvent);
        Assert.True(s.IsEvent(ptraceEvent));
        Assert.False(s.IsEvent(ptraceEvent + 1));
        Assert.False(s.IsSyscallStop);
        Assert.Equal($"event {ptraceEvent}", s.ToString());
    }

    [Theory]
    [InlineData(Signal.SIGSTOP)]
    [InlineData(Signal.SIGTRAP)]
    public void Group_stop_after_seize_is_event_stop(int signal)
    {
        var s = new WaitStatus((((WaitStatus.EventStop << 8) | signal) << 8) | 0x7f);
        Assert.True(s.IsEvent(WaitStatus.EventStop));
        Assert.Equal(signal, s.StopSignal);
    }

    [Fact]
    public void Syscall_stop_has_0x80_in_its_signal()
    {
        var s = new WaitStatus(0x857f);
        Assert.True(s.Stopped);
        Assert.True(s.IsSyscallStop);
        Assert.Equal(0, s.PtraceEvent);
        Assert.Equal(0x85, s.StopSignal);
        Assert.False(new WaitStatus(0x057f).IsSyscallStop);
        Assert.False(new WaitStatus(0x0085).IsSyscallStop); // killed by SIGTRAP with core, not a stop
        Assert.Equal("stopped by SIGTRAP", s.ToString());
    }
}

using Rewind.Hibernation;

namespace Rewind.Core.Tests.Hibernation;

/// <summary>/proc/PID/timers as the kernel writes it (fs/proc/base.c show_timer), and hand-made bad lines.</summary>
public sealed class PosixTimerTests
{
    [Fact]
    public void Each_timer_is_read_with_its_signal_value_notification_and_clock()
    {
        string[] lines =
        [
            "ID: 5", "signal: 35/000000000000004d", "notify: signal/pid.25429", "ClockID: -6",
            "ID: 4", "signal: 32/0000563e3808a460", "notify: signal/tid.25431", "ClockID: 1",
            "ID: 3", "signal: 0/0000000000000000", "notify: none/pid.25429", "ClockID: 7",
        ];

        var timers = PosixTimer.Parse(lines);

        Assert.Equal(
            [
                new PosixTimer(5, -6, 0, 35, 0x4d, 0, 0, 0),
                new PosixTimer(4, 1, PosixTimer.SIGEV_THREAD_ID, 32, 0x563e3808a460, 25431, 0, 0),
                new PosixTimer(3, 7, PosixTimer.SIGEV_NONE, 0, 0, 0, 0, 0),
            ],
            timers);
        Assert.Equal(0, timers[0].CpuClockOwner);
        Assert.Null(timers[1].CpuClockOwner);
    }

    [Fact]
    public void A_timer_is_described_with_its_clock_signal_and_time_left()
    {
        Assert.Equal("POSIX timer 1 on CLOCK_MONOTONIC, SIGRT0 with value 0x4d, every 10 ms, 2.5 ms left",
            new PosixTimer(1, 1, 0, 34, 0x4d, 0, 2_500_000, 10_000_000).Describe());
        Assert.Equal("POSIX timer 2 on the CPU time of its own process, SIGUSR1 with value 0x0 to thread 77, 3600 s left",
            new PosixTimer(2, -6, PosixTimer.SIGEV_THREAD_ID, 10, 0, 77, 3_600_000_000_000, 0).Describe());
        Assert.Equal("POSIX timer 3 on the CPU time of thread 4242, no signal, disarmed",
            new PosixTimer(3, (~4242 << 3) | 6, PosixTimer.SIGEV_NONE, 0, 0, 0, 0, 0).Describe());
    }

    [Theory]
    [InlineData("signal: 35/0x4d")]
    [InlineData("notify: later/pid.1")]
    [InlineData("notify: signal/pgid.1")]
    [InlineData("ClockID: one")]
    [InlineData("overrun: 3")]
    public void A_line_this_rewind_does_not_know_is_refused_with_it(string line)
    {
        var e = Assert.Throws<RewindException>(() => PosixTimer.Parse(["ID: 1", line]));

        Assert.Contains(line, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_before_any_id_is_refused()
    {
        Assert.Throws<RewindException>(() => PosixTimer.Parse(["ClockID: 1"]));
    }
}

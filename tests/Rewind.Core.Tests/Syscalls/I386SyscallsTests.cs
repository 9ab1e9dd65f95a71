using Rewind.Syscalls;

namespace Rewind.Core.Tests.Syscalls;

/// <summary>An int $0x80 is refused under its i386 name, which its number means nothing like in the 64-bit table.</summary>
public sealed class I386SyscallsTests
{
    [Theory]
    [InlineData(0, "restart_syscall")]
    [InlineData(4, "write")]
    [InlineData(20, "getpid")]
    [InlineData(102, "socketcall")]
    [InlineData(192, "mmap2")]
    [InlineData(423, "sched_rr_get_interval_time64")]
    [InlineData(424, "pidfd_send_signal")] // numbered alike on every architecture from here on
    [InlineData(462, "mseal")]
    public void Numbers_have_their_i386_names(int nr, string name) => Assert.Equal(name, I386Syscalls.Name(nr));

    [Theory]
    [InlineData(222)] // never given
    [InlineData(387)]
    [InlineData(-1)]
    [InlineData(1000)]
    public void Numbers_without_a_syscall_are_named_by_number(int nr) => Assert.Equal($"syscall_{nr}", I386Syscalls.Name(nr));
}

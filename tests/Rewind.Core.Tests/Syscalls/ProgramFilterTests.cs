using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Core.Tests.Syscalls;

/// <summary>The program's own seccomp filters as Rewind installs them: behind a guard for its injected syscalls (<see cref="ProgramFilter"/>).</summary>
public sealed class ProgramFilterTests
{
    private const uint Allow = 0x7fff0000, Errno = 0x00050000, ActionMask = 0xffff0000, Trace = 0x7ff00000;
    private static readonly ulong PageIp = (SyscallPage.Address + 2).Value;

    /// <summary>A program's filter: getppid fails with EACCES, everything else is killed.</summary>
    private static readonly byte[] Denying = SeccompFilter.Encode(
    [
        (0x20, 0, 0, 0),
        (0x15, 0, 1, 110),
        (0x06, 0, 0, Errno | 13),
        (0x06, 0, 0, 0),
    ]);

    [Theory]
    [InlineData(Nr.clone)]
    [InlineData(Nr.mmap)]
    [InlineData(110)]
    public void Syscalls_injected_from_rewinds_page_pass(int nr) =>
        Assert.Equal(Allow, ClassicBpf.Run(ProgramFilter.Guarded(Denying), ClassicBpf.SeccompDataAt(nr, PageIp)));

    [Theory]
    [InlineData(110, Errno | 13)]
    [InlineData(Nr.clone, 0u)]
    [InlineData(Nr.mmap, 0u)]
    public void The_programs_own_syscalls_meet_its_filter(int nr, uint expected)
    {
        Assert.Equal(expected, ClassicBpf.Run(ProgramFilter.Guarded(Denying), ClassicBpf.SeccompData(nr)));
        // The same address in the other half of the instruction pointer is not the page.
        Assert.Equal(expected, ClassicBpf.Run(ProgramFilter.Guarded(Denying), ClassicBpf.SeccompDataAt(nr, (PageIp << 32) | (PageIp >> 32))));
        Assert.Equal(expected, ClassicBpf.Run(ProgramFilter.Guarded(Denying), ClassicBpf.SeccompDataAt(nr, PageIp + 2)));
    }

    [Fact]
    public void The_programs_filter_starts_with_a_zero_accumulator()
    {
        // "ret A" first returns 0, SECCOMP_RET_KILL_THREAD, as the kernel starts a filter; not what the guard loaded.
        byte[] returnsA = SeccompFilter.Encode([(0x16, 0, 0, 0)]);
        Assert.Equal(0u, ClassicBpf.Run(ProgramFilter.Guarded(returnsA), ClassicBpf.SeccompData(39)));
    }

    [Theory]
    [InlineData(Nr.read)]
    [InlineData(Nr.write)]
    [InlineData(15)] // rt_sigreturn
    [InlineData(60)] // exit
    public void Strict_mode_allows_its_four_syscalls(int nr) =>
        Assert.Equal(Allow, ClassicBpf.Run(ProgramFilter.Guarded(ProgramFilter.Strict()), ClassicBpf.SeccompData(nr)));

    [Theory]
    [InlineData(Nr.exit_group)]
    [InlineData(Nr.mmap)]
    [InlineData(39)] // getpid
    public void Strict_mode_traces_anything_else_for_rewind_to_kill(int nr)
    {
        uint answer = ClassicBpf.Run(ProgramFilter.Guarded(ProgramFilter.Strict()), ClassicBpf.SeccompData(nr));
        Assert.Equal(Trace, answer & ActionMask);
        Assert.NotEqual(SeccompFilter.TraceData, answer & ~ActionMask);
    }
}

using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Core.Tests.Syscalls;

public sealed class SeccompFilterTests
{
    private const uint Allow = 0x7fff0000, Trace = 0x7ff00000 | SeccompFilter.TraceData, Trap = 0x00030000;

    private static readonly byte[] Filter = SeccompFilter.Build(SyscallTable.Untraced);

    public static TheoryData<int> UntracedNumbers() => [.. SyscallTable.Untraced.Except(SeccompFilter.TracedAlways)];

    [Theory]
    [MemberData(nameof(UntracedNumbers))]
    public void Untraced_syscalls_are_allowed(int nr) => Assert.Equal(Allow, ClassicBpf.Run(Filter, ClassicBpf.SeccompData(nr)));

    [Theory]
    [InlineData(Nr.read)]
    [InlineData(Nr.write)]
    [InlineData(Nr.mmap)]
    [InlineData(257)] // openat
    [InlineData(Nr.clone3)]
    [InlineData(Nr.execve)]
    [InlineData(Nr.exit_group)]
    [InlineData(Nr.brk)]
    [InlineData(500)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Other_syscalls_stop_the_tracee(int nr) => Assert.Equal(Trace, ClassicBpf.Run(Filter, ClassicBpf.SeccompData(nr)));

    [Fact]
    public void Every_number_outside_the_untraced_set_is_traced()
    {
        var untraced = SyscallTable.Untraced.Except(SeccompFilter.TracedAlways).ToHashSet();
        for (int nr = 0; nr < 1024; nr++)
            Assert.Equal(untraced.Contains(nr) ? Allow : Trace, ClassicBpf.Run(Filter, ClassicBpf.SeccompData(nr)));
    }

    [Theory]
    [InlineData(4u, Trace)]   // MADV_DONTNEED: a private file mapping reads back from its file
    [InlineData(24u, Trace)]  // MADV_DONTNEED_LOCKED: likewise
    [InlineData(8u, Allow)]   // MADV_FREE
    [InlineData(14u, Allow)]  // MADV_HUGEPAGE
    [InlineData(10u, Trace)]  // MADV_DONTFORK: a fork snapshot would lose the pages
    [InlineData(18u, Trace)]  // MADV_WIPEONFORK: a fork snapshot would see zeros
    public void Madvise_stops_only_for_advice_replay_cannot_repeat_alone(uint advice, uint expected) =>
        Assert.Equal(expected, ClassicBpf.Run(Filter, ClassicBpf.SeccompData(Nr.madvise, 0xc000003e, 0x7f0000000000, 4096, advice)));

    [Theory]
    [InlineData(0x1002u, Allow)] // ARCH_SET_FS: every new thread's TLS
    [InlineData(0x1003u, Allow)] // ARCH_GET_FS
    [InlineData(0x1011u, Trace)] // ARCH_GET_CPUID: answered with the program's own choice
    [InlineData(0x1012u, Trace)] // ARCH_SET_CPUID: would undo the CPUID trap
    public void Arch_prctl_stops_only_for_the_cpuid_switch(uint code, uint expected) =>
        Assert.Equal(expected, ClassicBpf.Run(Filter, ClassicBpf.SeccompData(Nr.arch_prctl, 0xc000003e, code, 0)));

    [Theory]
    [InlineData(0x7ffd12345670ul, Trace)] // SIG_BLOCK with a set: the tracer follows the thread's mask
    [InlineData(0x7fff00000000ul, Trace)] // a set whose low half is 0 is no null pointer
    [InlineData(0ul, Allow)]              // no set: it only reads the mask (sigsetjmp)
    public void Rt_sigprocmask_stops_only_where_it_is_given_a_set(ulong set, uint expected) =>
        Assert.Equal(expected, ClassicBpf.Run(Filter, ClassicBpf.SeccompData(Nr.rt_sigprocmask, 0xc000003e, 0, set, 0x7ffd12345680, 8)));

    [Theory]
    [InlineData(11u, Trace)] // SIGSEGV: rdtsc and CPUID trap to it
    [InlineData(5u, Trace)]  // SIGTRAP: steps and breakpoints
    [InlineData(2u, Allow)]  // SIGINT
    [InlineData(34u, Allow)] // SIGRTMIN
    public void Rt_sigaction_stops_only_for_the_signals_of_the_traps(uint signal, uint expected) =>
        Assert.Equal(expected, ClassicBpf.Run(Filter, ClassicBpf.SeccompData(Nr.rt_sigaction, 0xc000003e, signal, 0x7ffd12345670, 0, 8)));

    [Fact]
    public void Rt_sigreturn_always_stops_although_replay_runs_it() =>
        Assert.Equal(Trace, ClassicBpf.Run(Filter, ClassicBpf.SeccompData(Nr.rt_sigreturn)));

    [Theory]
    [InlineData(0x40000003u)] // AUDIT_ARCH_I386: an int 0x80 syscall from a 64-bit process
    [InlineData(0xc00000b7u)] // AUDIT_ARCH_AARCH64
    [InlineData(0u)]
    public void Another_architecture_is_trapped_even_for_an_untraced_number(uint arch) =>
        Assert.Equal(Trap, ClassicBpf.Run(Filter, ClassicBpf.SeccompData(Nr.munmap, arch)));

    [Theory]
    [InlineData(Nr.write)]
    [InlineData(Nr.munmap)]
    [InlineData(Nr.rt_sigreturn)]
    [InlineData(int.MaxValue & ~0x40000000)]
    public void X32_numbers_are_traced_even_for_an_untraced_number(int nr) =>
        Assert.Equal(Trace, ClassicBpf.Run(Filter, ClassicBpf.SeccompData(0x40000000 | nr)));

    [Fact]
    public void An_empty_untraced_set_traces_everything()
    {
        byte[] filter = SeccompFilter.Build([]);
        foreach (int nr in new[] { 0, Nr.munmap, 435 })
            Assert.Equal(Trace, ClassicBpf.Run(filter, ClassicBpf.SeccompData(nr)));
    }

    [Fact]
    public void A_large_untraced_set_still_jumps_within_reach()
    {
        // Jump offsets are one byte: 255 entries is the most the layout can reach.
        int[] many = [.. Enumerable.Range(1000, 250)];
        byte[] filter = SeccompFilter.Build(many);
        Assert.Equal(Allow, ClassicBpf.Run(filter, ClassicBpf.SeccompData(1000)));
        Assert.Equal(Allow, ClassicBpf.Run(filter, ClassicBpf.SeccompData(1249)));
        Assert.Equal(Trace, ClassicBpf.Run(filter, ClassicBpf.SeccompData(1250)));
    }
}

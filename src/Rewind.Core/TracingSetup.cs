using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind;

/// <summary>
/// Puts a stopped process in the state both recording and replay run in: the seccomp filter
/// that stops it at every syscall that matters, and rdtsc/rdtscp trapping to SIGSEGV.
/// </summary>
internal static class TracingSetup
{
    private const long EACCES = 13;

    /// <summary>
    /// Before the program's exec: no address randomization and the seccomp filter (which exec
    /// keeps). The recorder also stops at sigaltstack, which replay lets run: a checkpoint of a
    /// thread waiting in the kernel needs its alternate stack, which nothing else tells. And it
    /// does not stop at the time reads <see cref="TimeReadPage"/> logs, which replay answers.
    /// </summary>
    public static void BeforeExec(Tracee t)
    {
        long persona = t.InjectSyscallChecked("personality", Nr.personality, 0xffffffff);
        t.InjectSyscallChecked("personality", Nr.personality, (ulong)persona | Interop.ADDR_NO_RANDOMIZE);
        InstallSeccompFilter(t, [.. SyscallTable.Untraced.Where(nr => nr != Nr.sigaltstack)], [.. TimeReadPage.FastCalls, .. SyscallHookPage.FastCalls]);
    }

    /// <summary>PR_SET_TSC: rdtsc and rdtscp fault, so their values can be logged and replayed.</summary>
    public static void TrapTimeStampCounter(Tracee t) =>
        t.InjectSyscallChecked("prctl(PR_SET_TSC)", Nr.prctl, Interop.PR_SET_TSC, Interop.PR_TSC_SIGSEGV);

    /// <summary>
    /// ARCH_SET_CPUID 0: CPUID faults (SIGSEGV, si_code SI_KERNEL) until the next execve, so replay
    /// can answer it from the trace (<see cref="Cpu.CpuidInstruction"/>). False where the CPU or the
    /// hypervisor has no CPUID faulting (arch_prctl(2): ENODEV), as on our AMD machines; then the
    /// program reads this CPU's own answers.
    /// </summary>
    public static bool TrapCpuid(Tracee t) => t.InjectSyscall(Nr.arch_prctl, Interop.ARCH_SET_CPUID, 0) == 0;

    /// <summary>The filter that stops the tracee at every syscall but <paramref name="untraced"/> (replay's: <see cref="SyscallTable.Untraced"/>) and <paramref name="unseen"/> (<see cref="SeccompFilter.Build"/>).</summary>
    public static void InstallSeccompFilter(Tracee t, IReadOnlyList<int> untraced, IEnumerable<(int Nr, RemotePtr Return)>? unseen = null)
    {
        byte[] filter = SeccompFilter.Build(untraced, unseen);
        // Scratch space below the red zone of the stopped thread's stack: struct sock_fprog, then the filter.
        var regs = t.GetRegisters();
        var fprog = new RemotePtr(AddressSpace.PageDown(regs.Rsp - 128 - (ulong)filter.Length - 64));
        var program = fprog + 16;
        Span<byte> header = stackalloc byte[16];
        header.Clear();
        BitConverter.TryWriteBytes(header, (ushort)(filter.Length / 8));
        BitConverter.TryWriteBytes(header[8..], program.Value);
        t.Write(fprog, header);
        t.Write(program, filter);
        // Without CAP_SYS_ADMIN, seccomp(2) requires no_new_privs (seccomp(2), "EACCES"), which keeps
        // a set-user-ID program from its owner's privileges: set only where it must be.
        long result = t.InjectSyscall(Nr.seccomp, Interop.SECCOMP_SET_MODE_FILTER, 0, fprog.Value);
        if (result < 0 && result != -EACCES)
        {
            throw new ErrnoException("seccomp", (int)-result);
        }
        if (result == -EACCES)
        {
            t.InjectSyscallChecked("prctl(PR_SET_NO_NEW_PRIVS)", Nr.prctl, Interop.PR_SET_NO_NEW_PRIVS, 1);
            t.InjectSyscallChecked("seccomp", Nr.seccomp, Interop.SECCOMP_SET_MODE_FILTER, 0, fprog.Value);
        }
    }
}

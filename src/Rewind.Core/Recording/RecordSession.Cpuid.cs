using Rewind.Cpu;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    // The CPUID table the program is shown, each CPUID trapped and answered from it; null where
    // this machine has no CPUID faulting and the program reads the CPU itself.
    private readonly CpuidTable? _shownCpu;

    /// <summary>
    /// The table the program is shown where this machine can trap CPUID: its own answers, or the
    /// baseline, less what replay cannot reproduce. Null without CPUID faulting, where a baseline
    /// cannot be shown at all.
    /// </summary>
    private static CpuidTable? ShownCpu(CpuidTrap wanted, TraceMachine machine)
    {
        if (!CpuidInstruction.Traps)
        {
            return wanted == CpuidTrap.Baseline
                ? throw new RewindException($"a baseline CPU can only be shown to the program where CPUID faults, and this machine cannot make it fault ({(machine.CpuFlags.Contains("cpuid_fault") ? "arch_prctl(ARCH_SET_CPUID) is refused here" : $"its CPU, {machine.CpuModel}, has no CPUID faulting: no cpuid_fault in /proc/cpuinfo")})")
                : null;
        }
        var cpu = new CpuidTable(machine.Cpuid ?? throw new InvalidOperationException("this machine's CPUID is read with its description"));
        return wanted == CpuidTrap.Baseline ? cpu.Baseline() : cpu.Deterministic();
    }

    /// <summary>
    /// A new image's CPUID faults again (execve clears the trap, arch_prctl(2)), and so does the
    /// program's own request for the fault.
    /// </summary>
    private void TrapCpuid(RecordedThread thread)
    {
        thread.CpuidFaults = false;
        if (_shownCpu != null && !TracingSetup.TrapCpuid(thread.Tracee))
        {
            throw new RewindException("arch_prctl(ARCH_SET_CPUID) failed although this CPU has CPUID faulting");
        }
    }

    /// <summary>
    /// The program's own ARCH_SET_CPUID must not reach the kernel where the recorder traps CPUID:
    /// the thread's choice is kept instead (the kernel keeps it per thread and copies it to a new
    /// one), and a trapped CPUID faults for the program where it chose the fault. ARCH_GET_CPUID
    /// answers that choice. Without the trap both run in the kernel, which answers ENODEV. Returns
    /// true when the syscall was answered.
    /// </summary>
    private bool SetCpuidMode(Registers entry)
    {
        if (_shownCpu == null || entry.SyscallNumber != Nr.arch_prctl || entry.Arg(0) is not (Interop.ARCH_GET_CPUID or Interop.ARCH_SET_CPUID))
        {
            return false;
        }
        if (entry.Arg(0) == Interop.ARCH_SET_CPUID)
        {
            _current.CpuidFaults = entry.Arg(1) == 0;
            Emulate(entry, 0);
        }
        else
        {
            Emulate(entry, _current.CpuidFaults ? 0 : 1);
        }
        return true;
    }

    /// <summary>
    /// If <paramref name="code"/>, at the pc of a thread stopped by a trapped instruction, is CPUID,
    /// completes it from the shown table. No event: replay answers it from the same table, the
    /// header's, whatever the moment.
    /// </summary>
    private bool AnswerCpuid(Tracee t, Registers regs, ReadOnlySpan<byte> code)
    {
        if (_shownCpu is not { } cpu || !CpuidInstruction.Is(code))
        {
            return false;
        }
        CpuidInstruction.Complete(ref regs, cpu);
        t.SetRegisters(regs);
        return true;
    }
}

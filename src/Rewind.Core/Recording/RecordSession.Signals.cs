using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    private const uint AuditArchX86_64 = 0xc000003e;

    /// <summary>
    /// A signal is about to be delivered. A CPUID or rdtsc trap is ours: answer it, unless the
    /// thread asked for the fault itself (ARCH_SET_CPUID, PR_TSC_SIGSEGV). Anything else is logged with the registers
    /// that place it, then delivered.
    /// </summary>
    private void OnSignal(int signal)
    {
        // A signal held back (during an injected syscall, or while its thread stepped on), sent again: it is the original one.
        _current.Redelivered.GiveBack(_current.Tracee, signal);
        if (signal == Signal.SIGSEGV && TrappedInstruction(_current.Tracee, _current.Signals.Blocks(signal)) is (var trapped, var instruction, var pending))
        {
            if (!_current.CpuidFaults && AnswerCpuid(_current.Tracee, trapped, instruction))
            {
                GoOnFromTrap(Signal.SIGSEGV, pending);
                return;
            }
            if (!_current.TimeStampFaults && CompleteTimeStampRead(_current.Tracee, trapped, instruction) is { } read)
            {
                Append(new RdtscEvent(_current.Tid, Now, read.Pc, read.Counter, read.Aux, read.Instruction.IsRdtscp));
                GoOnFromTrap(Signal.SIGSEGV, pending);
                return;
            }
        }
        var info = _current.Tracee.GetSignalInfo();
        int code = BitConverter.ToInt32(info, 8);
        if (I386Call(info) is int i386)
        {
            throw new UnsupportedException($"the program made a 32-bit syscall (int $0x80), {I386Syscalls.Name(i386)} (i386 number {i386}); Rewind records 64-bit syscalls only");
        }
        var regs = _current.Tracee.GetRegisters();
        if (Signal.IsSynchronousFault(signal, code))
        {
            ReleaseHeldSignals();
            Append(new SignalEvent(_current.Tid, Now, signal, info, true, regs, StackDigest.Of(_current.Tracee, regs.Sp)));
            Deliver(signal, code);
            return;
        }
        // An asynchronous signal is held back while the thread steps on to a place replay's probe
        // fits (ptrace(2): resuming with no signal suppresses it), and delivered there, after those
        // held before it; not as a syscall returns.
        _current.HeldSignals.Add((signal, info));
        if (AfterSyscall(_current.Tracee, regs) || !StepTowardsPlace(regs))
        {
            DeliverHeldSignal(regs);
        }
    }

    /// <summary>
    /// The i386 number of the 32-bit syscall (int $0x80) whose trap by our filter (<see cref="SeccompFilter"/>)
    /// <paramref name="info"/> describes: SIGSYS, SYS_SECCOMP, and in _sigsys the number at 24 and
    /// an ABI other than x86-64's at 28. Null for any other signal.
    /// </summary>
    private static int? I386Call(byte[] info) =>
        BitConverter.ToInt32(info, 0) == Signal.SIGSYS && BitConverter.ToInt32(info, 8) == Signal.SysSeccomp && BitConverter.ToUInt32(info, 28) != AuditArchX86_64
            ? BitConverter.ToInt32(info, 24) : null;

    /// <summary>
    /// Fails the 32-bit syscall that <paramref name="t"/> stopped at with ENOSYS, and returns true;
    /// false where it stopped for another signal. Recording refuses such a syscall, and the filter
    /// that traps it cannot be taken off: every later one, of the threads let go and of the
    /// children never recorded alike, fails so instead of the SIGSYS killing the program.
    /// </summary>
    private static bool FailI386Call(Tracee t)
    {
        if (I386Call(t.GetSignalInfo()) == null)
        {
            return false;
        }
        var regs = t.GetRegisters();
        regs.Rax = unchecked((ulong)-Errno.ENOSYS);
        t.SetRegisters(regs);
        return true;
    }

    /// <summary>A step's stop on the way to a place for the asynchronous signals held back from the thread in hand: it steps on, or they are delivered here.</summary>
    private void OnStepTowardsSignalPlace()
    {
        var regs = _current.Tracee.GetRegisters();
        if (!StepTowardsPlace(regs))
        {
            DeliverHeldSignal(regs);
        }
    }

    /// <summary>
    /// Delivers the first asynchronous signal held back from the thread in hand where it stopped
    /// (ptrace(2): a tracer may deliver any signal at a signal-delivery-stop, with the siginfo it set),
    /// logged with the place, the CPU time since the thread's last event and the top of its stack.
    /// Any others are sent again, to come one after another as without the recorder.
    /// </summary>
    private void DeliverHeldSignal(in Registers regs)
    {
        var held = _current.HeldSignals;
        var (signal, info) = held[0];
        held.RemoveAt(0);
        ReleaseHeldSignals();
        _current.Tracee.SetSignalInfo(info);
        byte[] top = StackDigest.Top(_current.Tracee, regs.Sp);
        Append(new SignalEvent(_current.Tid, Now, signal, info, false, regs, StackDigest.Of(top), (ulong)_current.Process.Cpu.SinceEvent(_current.Tid), top));
        Deliver(signal, BitConverter.ToInt32(info, 8));
    }

    /// <summary>
    /// Resumes the thread in hand with <paramref name="signal"/>. Where a handler runs, the thread
    /// steps into it (ptrace_notify from signal_setup_done stops it at the handler's first
    /// instruction), where <see cref="OnHandlerEntered"/> reads the mask the handler runs with,
    /// and, where the frame does not describe the signal's cause (<see cref="SignalFrame"/>),
    /// clears the frame's CPU state, as replay does. A signal that ends the process is delivered
    /// before any other thread runs: the log names it where the process ended, and replay, where
    /// it ends the process at once, would find the others' later events never come.
    /// </summary>
    private void Deliver(int signal, int siCode)
    {
        var t = _current.Tracee;
        var status = ProcStatus.ReadThread(t.Tgid, t.Pid);
        _current.EnteringHandler = status.Catches(signal);
        _current.Dying = status.Kills(signal);
        _current.ClearingFrame = _current.EnteringHandler && !SignalFrame.DescribesItsFault(signal, siCode);
        _current.Signals.Delivering(signal);
        Go(_current.EnteringHandler ? Resume.Step : Resume.Continue, signal);
    }

    /// <summary>
    /// Whether <paramref name="status"/> is the thread's arrival at the handler it stepped into
    /// (SIGTRAP with si_code SIGTRAP, not a step's TRAP_TRACE): the mask is read, the frame's CPU
    /// state cleared where it must be, and the thread runs on. Any other stop (the frame could
    /// not be written, and the kernel forced a SIGSEGV) is handled as it comes.
    /// </summary>
    private bool OnHandlerEntered(WaitStatus status)
    {
        _current.EnteringHandler = false;
        if (status.PtraceEvent != 0 || status.IsSyscallStop || status.StopSignal != Signal.SIGTRAP
            || BitConverter.ToInt32(_current.Tracee.GetSignalInfo(), 8) != Signal.SIGTRAP)
        {
            return false;
        }
        _current.Signals.EnteredHandler(_current.Tracee);
        if (_current.ClearingFrame)
        {
            SignalFrame.ClearCpuState(_current.Tracee, _current.Tracee.GetRegisters().Sp);
        }
        Go(Resume.Continue);
        return true;
    }

    /// <summary>
    /// The thread in hand goes on from a trap of the recorder's, which raised
    /// <paramref name="signal"/>, not delivered: what forcing it changed of the program's signal
    /// state is put back first (<see cref="ThreadSignals"/>), which may run a syscall in it; the
    /// instance of the program's that came in the trap's place, if one was <paramref name="pending"/>,
    /// is pending again.
    /// </summary>
    private void GoOnFromTrap(int signal, byte[]? pending = null)
    {
        _current.Signals.PutBack(_current.Tracee, signal);
        if (pending != null)
        {
            _current.Redelivered.Send(_current.Tracee, pending);
        }
        ResumeAfterInjection();
    }

    /// <summary>
    /// Whether the thread stopped as a syscall returned: its handler must run before the code after
    /// the syscall (and a restart code would restart it if the signal were held back), so it is not
    /// stepped on. orig_rax alone does not say: after an interrupt it may hold the vector. Not after
    /// a time read <see cref="TimeReadPage"/> logs: the code after it is Rewind's, making the read's
    /// entry, and the thread is stepped past it (those reads never restart).
    /// </summary>
    private static bool AfterSyscall(Tracee tracee, in Registers regs)
    {
        if ((long)regs.OrigRax < 0 || TimeReadPage.IsInEntry(regs.Pc.Value))
        {
            return false;
        }
        Span<byte> before = stackalloc byte[2];
        return tracee.Read(regs.Pc - 2, before) < 2 || before[0] == 0x0f && before[1] == 0x05 || Errno.IsRestart(regs.Result);
    }

    /// <summary>Sends again the asynchronous signals held back from the thread in hand while it stepped (they come at its next stops); the stepping is over.</summary>
    private void ReleaseHeldSignals()
    {
        foreach (var (_, info) in _current.HeldSignals)
        {
            _current.Redelivered.Send(_current.Tracee, info);
        }
        _current.HeldSignals.Clear();
        _stepsTowardsPlace = 0;
        _interruptSent = false;
    }

    /// <summary>Resumes the program after syscalls of ours ran in it, sending again the signals that arrived meanwhile.</summary>
    private void ResumeAfterInjection()
    {
        RedeliverDeferred(_current);
        Go(Resume.Continue);
    }

    /// <summary>Sends <paramref name="thread"/> again the signals that came while syscalls were injected into it.</summary>
    private static void RedeliverDeferred(RecordedThread thread)
    {
        foreach (var info in thread.Tracee.TakeDeferredSignals())
        {
            thread.Redelivered.Send(thread.Tracee, info);
        }
    }

    /// <summary>
    /// The registers and code of <paramref name="t"/> stopped by the fault of a trapped instruction
    /// (SIGSEGV with si_code SI_KERNEL: rdtsc, rdtscp, CPUID); null for any other SIGSEGV. Where
    /// the program <paramref name="blocks"/> SIGSEGV, one sent to it (si_code SI_USER, SI_TKILL…)
    /// can only come so: the kernel forced the trap's, found one pending and dropped the second
    /// (legacy_queue), and the pending one came instead; its siginfo is returned with the code.
    /// </summary>
    private static (Registers Regs, byte[] Code, byte[]? Pending)? TrappedInstruction(Tracee t, bool blocks)
    {
        var info = t.GetSignalInfo();
        int siCode = BitConverter.ToInt32(info, 8);
        if (siCode != Signal.SiKernel && !(blocks && siCode <= 0))
        {
            return null;
        }
        var regs = t.GetRegisters();
        var code = new byte[TimeStampInstruction.MaxLength];
        return (regs, code[..t.Read(regs.Pc, code)], siCode == Signal.SiKernel ? null : info);
    }

    /// <summary>If <paramref name="code"/> is rdtsc/rdtscp, completes it with this CPU's counter.</summary>
    private static (RemotePtr Pc, ulong Counter, uint Aux, TimeStampInstruction Instruction)? CompleteTimeStampRead(Tracee t, Registers regs, ReadOnlySpan<byte> code)
    {
        if (TimeStampInstruction.Of(code) is not { } instruction)
        {
            return null;
        }
        var (counter, aux) = TimeStampCounter.Read();
        var pc = regs.Pc;
        TimeStampInstruction.Complete(ref regs, instruction, counter, aux);
        t.SetRegisters(regs);
        return (pc, counter, aux, instruction);
    }
}

using Rewind.Checkpoints;
using Rewind.Cpu;
using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Replay;

public sealed partial class ReplaySession
{
    private const int TrapBreakpoint = 1, TrapHardware = 4;

    /// <summary>
    /// A signal-delivery stop: a debugger trap (breakpoint, step, watchpoint), our rdtsc trap, the
    /// signal we injected, a fault the program raised again, or noise from outside. The kernel
    /// forced the signal of a trap of ours on the thread, and the probe's steps forced theirs:
    /// what that changed of the program's signal state is put back (<see cref="ThreadSignals"/>),
    /// not where the fault is the program's own, delivered as recorded.
    /// </summary>
    private ReplayStop? OnSignal(int signal, bool step)
    {
        var thread = _thread;
        bool probed = _probe != null;
        bool forced = ThreadSignals.IsForced(signal, BitConverter.ToInt32(_tracee.GetSignalInfo(), 8));
        var stop = OnSignalStop(signal, step);
        bool delivered = _pendingDelivery != null;
        if (forced && _pendingDelivery?.Signal != signal)
        {
            thread.Signals.PutBack(thread.Tracee, signal, delivered);
        }
        if (probed)
        {
            thread.Signals.PutBack(thread.Tracee, Signal.SIGTRAP, delivered);
        }
        return stop;
    }

    private ReplayStop? OnSignalStop(int signal, bool step)
    {
        switch (_probe?.Leave(_tracee, signal))
        {
            case ProbeStop.Hit:
                // The probe found the registers of the place it searches: the search checks the rest.
                return null;
            case ProbeStop.Missed:
                // Not the place, nor any pass until the word can be read: the fault is the probe's,
                // and the search goes on without it (AwaitsWord). The faulting address is read
                // first: taking the probe out runs a syscall in the thread.
                var unreadable = new RemotePtr(BitConverter.ToUInt64(_tracee.GetSignalInfo(), 16));
                DisarmProbe();
                _awaitedWord = (NextEvent, unreadable);
                return null;
        }
        var info = _tracee.GetSignalInfo();
        int code = BitConverter.ToInt32(info, 8);
        var regs = _tracee.GetRegisters();
        if (signal == Signal.SIGTRAP && OnTrap(code, regs, step) is { } trap)
        {
            return trap.Kind == ReplayStopKind.Event ? null : trap;
        }
        // An rdtsc or CPUID trap is ours, unless the program asked for the fault itself (PR_TSC_SIGSEGV,
        // ARCH_SET_CPUID): then the log has the fault next, at this instruction, and it is delivered
        // as any fault. A CPUID answered from the table leaves no event: the program's next fault
        // may come later, at another instruction.
        bool ours = signal == Signal.SIGSEGV && code == Signal.SiKernel
            && !(_next?.Event is SignalEvent { Signal: Signal.SIGSEGV, Synchronous: true } own && own.Registers.Rip == regs.Rip);
        // One read of the faulting instruction serves both questions (each read is a syscall, at every rdtsc).
        Span<byte> faulting = stackalloc byte[TimeStampInstruction.MaxLength];
        faulting = ours ? faulting[.._tracee.Read(regs.Pc, faulting)] : [];
        if (ours && _recordedCpu is { } cpu && CpuidInstruction.Is(faulting))
        {
            // Answered from the trace header: no event, since the answers are the recording CPU's whatever the moment.
            CpuidInstruction.Complete(ref regs, cpu);
            _tracee.SetRegisters(regs);
            return step ? new ReplayStop(ReplayStopKind.Step) : null;
        }
        if (ours && TimeStampInstruction.Of(faulting) is { } instruction)
        {
            var e = Expect<RdtscEvent>("rdtsc");
            if (e.Pc != regs.Pc)
            {
                throw Diverged($"expected rdtsc at {e.Pc}, got it at {regs.Pc}");
            }
            TimeStampInstruction.Complete(ref regs, instruction, e.Counter, e.Aux);
            _tracee.SetRegisters(regs);
            Advance();
            // The instruction is done: for a step, that was the step.
            return new ReplayStop(step ? ReplayStopKind.Step : ReplayStopKind.Event);
        }
        if (_injected is { } injected && signal == injected.Signal)
        {
            _injected = null;
            _pendingDelivery = injected;
            return new ReplayStop(ReplayStopKind.Signal, regs.Pc, signal);
        }
        if (Signal.IsSynchronousFault(signal, code))
        {
            // A fault names the address it touched (siginfo's si_addr), which says what went wrong.
            string fault = $"signal {Signal.Name(signal)} at {regs.Pc}" + (signal is Signal.SIGSEGV or Signal.SIGBUS ? $" touching 0x{BitConverter.ToUInt64(info, 16):x}" : "");
            var e = Expect<SignalEvent>(fault);
            if (e.Signal != signal || !e.Synchronous || e.Registers.Rip != regs.Rip)
            {
                throw Diverged($"expected {Describe(e)}, got {fault}");
            }
            _pendingDelivery = e;
            return new ReplayStop(ReplayStopKind.Signal, regs.Pc, signal);
        }
        if (signal == Signal.SIGSTOP)
        {
            // Our free run's kick (RunsFreely) or our watchdog's (BoundRun): dropped; the search
            // for the place, or the run's bound, decides what follows.
            CheckRunTime();
            return null;
        }
        // Sent from outside the replay (nothing inside it sends signals: kill and tgkill are
        // emulated). It is not part of the recorded history: drop it, and let the caller see that
        // the run was interrupted (a debugger's pause sends one).
        return step ? null : new ReplayStop(ReplayStopKind.Interrupted);
    }

    /// <summary>
    /// A SIGTRAP of ours: the end of a single step, a hardware watchpoint, or an int3 we inserted.
    /// Returns null for a trap that is the program's own (a recorded signal), and an Event stop
    /// for a trap that only serves the replay (stepping off a breakpoint, a signal's place not yet reached).
    /// </summary>
    private ReplayStop? OnTrap(int code, Registers regs, bool step)
    {
        int triggered = _watchpoints.Count + _hardware.Count > 0 ? DebugRegisters.TakeTriggered(_tracee) : 0;
        if (triggered != 0)
        {
            EndSteppingOver();
            int slot = System.Numerics.BitOperations.TrailingZeroCount(triggered);
            // An instruction breakpoint is a fault: the pc is its address, the instruction not run yet.
            return slot < _watchpoints.Count ? new ReplayStop(ReplayStopKind.Watchpoint, _watchpoints[slot].Address)
                : slot - _watchpoints.Count < _hardware.Count ? new ReplayStop(ReplayStopKind.Breakpoint, _hardware[slot - _watchpoints.Count])
                : new ReplayStop(ReplayStopKind.Event);
        }
        if (_delivering)
        {
            // The signal's handler frame is set up (or, without a handler, one instruction ran): its
            // event is done. Entering a handler reports SIGTRAP with si_code SIGTRAP
            // (ptrace_notify from signal_setup_done), not TRAP_TRACE.
            _delivering = false;
            _thread.Signals.PutBackOwed(_tracee);
            if (code == Signal.SIGTRAP)
            {
                _thread.Signals.EnteredHandler(_tracee);
                regs = _foreignFrames?.ToRecorded(_tracee, regs) ?? regs;
            }
            if (_clearingFrame && code == Signal.SIGTRAP)
            {
                SignalFrame.ClearCpuState(_tracee, regs.Sp);
            }
            EndSteppingOver();
            return new ReplayStop(step ? ReplayStopKind.Step : ReplayStopKind.Event);
        }
        // A single step over a `syscall` instruction ends at the syscall's exit, which x86 reports
        // as TRAP_BRKPT (user_single_step_report in arch/x86/kernel/step.c), not TRAP_TRACE.
        if (code == Signal.TrapTrace || code == TrapBreakpoint && (step || _steppingOver != null))
        {
            bool wasSteppingOver = EndSteppingOver();
            if (step)
            {
                return new ReplayStop(ReplayStopKind.Step);
            }
            // Stepping off one breakpoint onto the next: the step stopped before the second int3
            // ran, so that breakpoint is hit here or never.
            if (wasSteppingOver && Breakpoints.IsUser(regs.Pc))
            {
                return new ReplayStop(ReplayStopKind.Breakpoint, regs.Pc);
            }
            return wasSteppingOver ? new ReplayStop(ReplayStopKind.Event) : null;
        }
        var at = regs.Pc - 1;
        if (code != Signal.SiKernel || !Breakpoints.Contains(at))
        {
            return null;
        }
        if (Breakpoints.IsCpuidAlone(at) || _steppingOver == at && Breakpoints.IsCpuid(at))
        {
            // Left by a step (a user's breakpoint or a place searched there too): its int3 stayed.
            EndSteppingOver();
            regs.Rip = at.Value;
            if (_next?.Event is SignalEvent { Signal: Signal.SIGSEGV, Synchronous: true } fault && fault.Registers.Rip == regs.Rip)
            {
                // The program made its CPUID fault (ARCH_SET_CPUID): the SIGSEGV is delivered here, as recorded.
                _tracee.SetRegisters(regs);
                _pendingDelivery = fault;
                return new ReplayStop(ReplayStopKind.Signal, at, Signal.SIGSEGV);
            }
            // A patched CPUID (CpuidPatch): done as the recording CPU did it.
            CpuidInstruction.Complete(ref regs, _recordedCpu!);
            _tracee.SetRegisters(regs);
            return new ReplayStop(step ? ReplayStopKind.Step : ReplayStopKind.Event);
        }
        regs.Rip = at.Value;
        _tracee.SetRegisters(regs);
        return Breakpoints.IsUser(at) ? new ReplayStop(ReplayStopKind.Breakpoint, at) : new ReplayStop(ReplayStopKind.Event);
    }

    /// <summary>
    /// Leaving a hardware breakpoint's address: RF (the resume flag, EFLAGS bit 16) lets its
    /// instruction run once without the fault again (Intel SDM vol. 3, 17.3.1.1). The kernel sets
    /// it at a hit (hw_breakpoint_handler); a thread that came here another way (a step, a
    /// snapshot's copy) gets it here, as an int3 is lifted to leave it.
    /// </summary>
    private void LeaveHardwareBreakpoint()
    {
        const ulong ResumeFlag = 1UL << 16;
        var regs = _tracee.GetRegisters();
        if (_hardware.Contains(regs.Pc) && (regs.Eflags & ResumeFlag) == 0)
        {
            regs.Eflags |= ResumeFlag;
            _tracee.SetRegisters(regs);
        }
    }

    private bool EndSteppingOver()
    {
        if (_steppingOver is not { } pc)
        {
            return false;
        }
        Breakpoints.Lift(_tracee, pc, lifted: false);
        _steppingOver = null;
        return true;
    }

    /// <summary>Delivers a logged signal with its recorded siginfo and syscall-restart context.</summary>
    private void Deliver(SignalEvent e)
    {
        var regs = _tracee.GetRegisters();
        _tracee.SetSignalInfo(e.SigInfo);
        regs.OrigRax = e.Registers.OrigRax;
        _tracee.SetRegisters(regs);
        _foreignFrames?.Delivering(_tracee, regs, e.SigInfo);
        _resumeSignal = e.Signal;
        _delivering = true;
        _thread.Signals.Delivering(e.Signal);
        _clearingFrame = _framesCleared && !SignalFrame.DescribesItsFault(e.Signal, BitConverter.ToInt32(e.SigInfo, 8));
        Advance();
    }

    /// <summary>
    /// Whether delivering <paramref name="signal"/> changes nothing in the program now: it is
    /// ignored, or not caught and its default action ignores, stops or continues. The program's
    /// dispositions are its own in replay too (rt_sigaction runs again).
    /// </summary>
    private bool LeavesProgramAsItWas(int signal) => ProcStatus.ReadThread(_tracee.Tgid, _tracee.Pid).LeavesAsItWas(signal);

    /// <summary>
    /// A signal that left the program as it was (<see cref="LeavesProgramAsItWas"/>) is not sent
    /// again. All its delivery did was restart the syscall it interrupted, if any; replay restarts
    /// it as the kernel does when no handler runs (arch_do_signal_or_restart): back onto the
    /// syscall instruction, with the syscall's number again, or restart_syscall for
    /// ERESTART_RESTARTBLOCK.
    /// </summary>
    private void PassOver(SignalEvent e)
    {
        var regs = _tracee.GetRegisters();
        if (Errno.IsRestart(e.Registers.Result) && regs.Rip == e.Registers.Rip && regs.Rax == e.Registers.Rax && (long)regs.OrigRax >= 0)
        {
            _tracee.SetRegisters(regs.Restarted());
        }
        Advance();
    }

    /// <summary>
    /// An asynchronous signal is next: it was delivered the first time the pc, every register and
    /// the top of the stack were as recorded (shared/DESIGN.md §4). When the process is there, send
    /// it; otherwise a breakpoint on that pc brings it back here at each pass.
    /// </summary>
    private void PlaceSignal(SignalEvent e, bool step)
    {
        if (ReachPlace(e.Registers, e.StackDigest, e.StackTop, step))
        {
            _tracee.SendSignal(e.Signal);
            _injected = e;
        }
    }
}

using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Replay;

public sealed partial class ReplaySession
{
    private const int MaxPlacementHits = 10_000_000;

    /// <summary>A signal-delivery stop: our rdtsc trap, the signal we injected, a fault the program raised again, or noise from outside.</summary>
    private void OnSignal(int signal)
    {
        var info = _tracee.GetSignalInfo();
        int code = BitConverter.ToInt32(info, 8);
        var regs = _tracee.GetRegisters();
        if (signal == Signal.SIGSEGV && code == Signal.SiKernel && TimeStampInstruction.At(_tracee, regs.Pc) is { } instruction)
        {
            var e = Expect<RdtscEvent>("rdtsc");
            if (e.Pc != regs.Pc)
            {
                throw Diverged($"expected rdtsc at {e.Pc}, got it at {regs.Pc}");
            }
            TimeStampInstruction.Complete(ref regs, instruction, e.Counter, e.Aux);
            _tracee.SetRegisters(regs);
            Advance();
            return;
        }
        if (_injected is { } injected && signal == injected.Signal)
        {
            Deliver(injected, regs);
            _injected = null;
            return;
        }
        if (Signal.IsSynchronousFault(signal, code))
        {
            var e = Expect<SignalEvent>($"signal {Signal.Name(signal)} at {regs.Pc}");
            if (e.Signal != signal || !e.Synchronous || e.Registers.Rip != regs.Rip)
            {
                throw Diverged($"expected {Describe(e)}, got signal {Signal.Name(signal)} at {regs.Pc}");
            }
            Deliver(e, regs);
            return;
        }
        // Sent from outside the replay (nothing inside it sends signals: kill and tgkill are
        // emulated). It is not part of the recorded history: drop it.
    }

    /// <summary>Delivers a logged signal with its recorded siginfo and syscall-restart context.</summary>
    private void Deliver(SignalEvent e, Registers regs)
    {
        _tracee.SetSignalInfo(e.SigInfo);
        regs.OrigRax = e.Registers.OrigRax;
        _tracee.SetRegisters(regs);
        _resumeSignal = e.Signal;
        Advance();
    }

    /// <summary>
    /// Brings the tracee to where an asynchronous signal arrived when recorded, then sends it.
    /// The place is the first time the pc, every register and the top of the stack are as
    /// recorded (shared/DESIGN.md §4): a breakpoint on the pc, checked at each hit.
    /// </summary>
    private void InjectAt(SignalEvent e)
    {
        for (int hits = 0; !IsAt(e); hits++)
        {
            if (hits == MaxPlacementHits)
            {
                throw Diverged($"signal {Signal.Name(e.Signal)} was recorded at {e.Registers.Pc}, which replay passed {hits} times without matching");
            }
            RunToBreakpoint(e.Registers.Pc, e);
        }
        _tracee.SendSignal(e.Signal);
        _injected = e;
    }

    private bool IsAt(SignalEvent e)
    {
        var regs = _tracee.GetRegisters();
        return regs.SameUserState(e.Registers) && StackDigest.Of(_tracee, regs.Sp) == e.StackDigest;
    }

    /// <summary>Runs until the instruction at <paramref name="pc"/> is about to execute (again).</summary>
    private void RunToBreakpoint(RemotePtr pc, SignalEvent e)
    {
        var regs = _tracee.GetRegisters();
        if (regs.Pc == pc)
        {
            // Already here but not matching: get past this instruction first.
            _tracee.Resume(Resume.Step);
            ExpectTrap(e);
        }
        Span<byte> original = stackalloc byte[1];
        _tracee.ReadExactly(pc, original);
        _tracee.Write(pc, [0xcc]);
        _tracee.Resume(Resume.Continue);
        ExpectTrap(e);
        _tracee.Write(pc, original);
        regs = _tracee.GetRegisters();
        if (regs.Rip != pc.Value + 1)
        {
            throw Diverged($"signal {Signal.Name(e.Signal)}: stopped at 0x{regs.Rip:x} on the way to {pc}");
        }
        regs.Rip = pc.Value;
        _tracee.SetRegisters(regs);
    }

    private void ExpectTrap(SignalEvent e)
    {
        var status = _tracee.Wait();
        if (!status.Stopped || status.StopSignal != Signal.SIGTRAP || status.PtraceEvent != 0)
        {
            throw Diverged($"the program went on ({status}) before reaching the place signal {Signal.Name(e.Signal)} was recorded at ({e.Registers.Pc})");
        }
    }
}

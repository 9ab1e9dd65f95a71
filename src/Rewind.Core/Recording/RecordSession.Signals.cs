using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    private const int SysSeccomp = 1;
    private const uint AuditArchX86_64 = 0xc000003e, AuditArchI386 = 0x40000003;
    private const int X32Bit = 0x40000000;

    /// <summary>
    /// A signal is about to be delivered. An rdtsc trap is ours: emulate it, unless the thread
    /// asked for the fault itself (PR_TSC_SIGSEGV). Anything else is logged with the registers
    /// that place it, then delivered.
    /// </summary>
    private void OnSignal(int signal)
    {
        if (_current.Redelivered.Remove(signal, out var original))
        {
            // A signal held back during an injected syscall, sent again: it is the original one.
            _current.Tracee.SetSignalInfo(original);
        }
        if (signal == Signal.SIGSEGV && !_current.TimeStampFaults && CompleteTimeStampRead(_current.Tracee) is { } read)
        {
            Append(new RdtscEvent(_current.Tid, Now, read.Pc, read.Counter, read.Aux, read.Instruction.IsRdtscp));
            Go(Resume.Continue);
            return;
        }
        var info = _current.Tracee.GetSignalInfo();
        int code = BitConverter.ToInt32(info, 8);
        // Our filter's trap (SeccompFilter): siginfo's _sigsys holds the number at 24 and the ABI at 28.
        if (signal == Signal.SIGSYS && code == SysSeccomp
            && (BitConverter.ToUInt32(info, 28) != AuditArchX86_64 || (BitConverter.ToInt32(info, 24) & X32Bit) != 0))
        {
            string abi = BitConverter.ToUInt32(info, 28) == AuditArchI386 ? "a 32-bit syscall (int $0x80)" : "an x32 syscall";
            throw new UnsupportedException($"the program made {abi}, number {BitConverter.ToInt32(info, 24) & ~X32Bit}; Rewind records 64-bit syscalls only");
        }
        var regs = _current.Tracee.GetRegisters();
        bool synchronous = Signal.IsSynchronousFault(signal, code);
        Append(new SignalEvent(_current.Tid, Now, signal, info, synchronous, regs, StackDigest.Of(_current.Tracee, regs.Sp)));
        Go(Resume.Continue, signal);
    }

    /// <summary>Resumes the program after syscalls of ours ran in it, sending again the signals that arrived meanwhile.</summary>
    private void ResumeAfterInjection()
    {
        foreach (var info in _current.Tracee.TakeDeferredSignals())
        {
            int signal = BitConverter.ToInt32(info, 0);
            if (_current.Redelivered.TryAdd(signal, info))
            {
                _current.Tracee.SendSignal(signal);
            }
        }
        Go(Resume.Continue);
    }

    /// <summary>If <paramref name="t"/> stopped for a trapped rdtsc/rdtscp, completes it with this CPU's counter.</summary>
    private static (RemotePtr Pc, ulong Counter, uint Aux, TimeStampInstruction Instruction)? CompleteTimeStampRead(Tracee t)
    {
        var info = t.GetSignalInfo();
        var regs = t.GetRegisters();
        if (BitConverter.ToInt32(info, 8) != Signal.SiKernel || TimeStampInstruction.At(t, regs.Pc) is not { } instruction)
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

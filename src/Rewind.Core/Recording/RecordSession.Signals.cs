using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    /// <summary>
    /// A signal is about to be delivered. An rdtsc trap is ours: emulate it. Anything else is
    /// logged with the registers that place it, then delivered.
    /// </summary>
    private void OnSignal(int signal)
    {
        if (_redelivered.Remove(signal, out var original))
        {
            // A signal held back during an injected syscall, sent again: it is the original one.
            _tracee.SetSignalInfo(original);
        }
        if (signal == Signal.SIGSEGV && CompleteTimeStampRead(_tracee) is { } read)
        {
            _log.Append(new RdtscEvent(_tracee.Tid, Now, read.Pc, read.Counter, read.Aux, read.Instruction.IsRdtscp));
            _tracee.Resume(Resume.Continue);
            return;
        }
        var info = _tracee.GetSignalInfo();
        int code = BitConverter.ToInt32(info, 8);
        var regs = _tracee.GetRegisters();
        if (signal == Signal.SIGSTOP)
        {
            // Cannot be caught: it only stops the process, which a replay need not repeat.
            _tracee.Resume(Resume.Continue, signal);
            return;
        }
        bool synchronous = Signal.IsSynchronousFault(signal, code);
        _log.Append(new SignalEvent(_tracee.Tid, Now, signal, info, synchronous, regs, StackDigest.Of(_tracee, regs.Sp)));
        _tracee.Resume(Resume.Continue, signal);
    }

    /// <summary>Resumes the program after syscalls of ours ran in it, sending again the signals that arrived meanwhile.</summary>
    private void ResumeAfterInjection()
    {
        foreach (var info in _tracee.TakeDeferredSignals())
        {
            int signal = BitConverter.ToInt32(info, 0);
            if (_redelivered.TryAdd(signal, info))
            {
                _tracee.SendSignal(signal);
            }
        }
        _tracee.Resume(Resume.Continue);
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

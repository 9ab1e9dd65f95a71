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
        var info = _tracee.GetSignalInfo();
        int code = BitConverter.ToInt32(info, 8);
        var regs = _tracee.GetRegisters();
        if (signal == Signal.SIGSEGV && code == Signal.SiKernel && TimeStampInstruction.At(_tracee, regs.Pc) is { } instruction)
        {
            var (counter, aux) = TimeStampCounter.Read();
            _log.Append(new RdtscEvent(_tracee.Tid, Now, regs.Pc, counter, aux, instruction.IsRdtscp));
            TimeStampInstruction.Complete(ref regs, instruction, counter, aux);
            _tracee.SetRegisters(regs);
            _tracee.Resume(Resume.Continue);
            return;
        }
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
}

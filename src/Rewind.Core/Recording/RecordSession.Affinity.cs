using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    /// <summary>
    /// The recorder runs the program on its own CPU (<see cref="CpuPinning"/>), which the program
    /// must not see: sched_getaffinity of one of its threads shows the CPUs the thread would have
    /// had, the recorder's (<see cref="CpuPinning.Allowed"/>), or those it asked for itself with
    /// sched_setaffinity, which the kernel gave it (the thread leaves our CPU then). Written over
    /// the kernel's answer at the exit, before the output is captured, so replay gives it back.
    /// </summary>
    private void ShowOwnCpus(in Registers entry, long result)
    {
        if (entry.SyscallNumber is not (Nr.sched_getaffinity or Nr.sched_setaffinity) || result < 0
            || (entry.Arg(0) == 0 ? _current : Thread((int)entry.Arg(0))) is not { } target)
        {
            return;
        }
        if (entry.SyscallNumber == Nr.sched_setaffinity)
        {
            target.OwnCpus = CpuPinning.MaskOf(target.Tracee.Pid);
            return;
        }
        var shown = target.OwnCpus ?? CpuPinning.Allowed;
        _current.Tracee.Write(new RemotePtr(entry.Arg(2)), shown.AsSpan(0, (int)Math.Min(result, shown.Length)));
    }
}

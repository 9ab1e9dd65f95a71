using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    private const ulong PR_GET_TSC = 25, PR_SET_TSC = 26, PR_TSC_ENABLE = 1, PR_TSC_SIGSEGV = 2;

    /// <summary>
    /// The program's own PR_SET_TSC (prctl(2)) must not reach the kernel: the recorder traps rdtsc
    /// in every thread to log it. The thread's choice is kept instead, and a trapped rdtsc faults
    /// for the program where it chose PR_TSC_SIGSEGV (<see cref="OnSignal"/>). Returns true when
    /// the syscall was answered.
    /// </summary>
    private bool SetTimeStampMode(Registers entry)
    {
        if (entry.SyscallNumber != Nr.prctl || entry.Arg(0) != PR_SET_TSC)
        {
            return false;
        }
        bool valid = entry.Arg(1) is PR_TSC_ENABLE or PR_TSC_SIGSEGV;
        if (valid)
        {
            _current.TimeStampFaults = entry.Arg(1) == PR_TSC_SIGSEGV;
        }
        Emulate(entry, valid ? 0 : -Errno.EINVAL);
        return true;
    }

    /// <summary>
    /// PR_GET_TSC ran in the kernel, which checked the pointer and wrote the recorder's mode:
    /// the program's own goes there instead, before the output is captured.
    /// </summary>
    private void AnswerTimeStampMode(in Registers entry, long result)
    {
        if (entry.SyscallNumber == Nr.prctl && entry.Arg(0) == PR_GET_TSC && result == 0)
        {
            _current.Tracee.Write(new RemotePtr(entry.Arg(1)), BitConverter.GetBytes((int)(_current.TimeStampFaults ? PR_TSC_SIGSEGV : PR_TSC_ENABLE)));
        }
    }
}

using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind;

public sealed partial class Tracee
{
    /// <summary>
    /// A copy-on-write snapshot of this process (shared/DESIGN.md §5): an injected fork (a clone
    /// with no exit signal, so the program is never told of it and no wait(2) of its finds it), whose
    /// child is kept stopped with this tracee's registers as they are now. It costs milliseconds
    /// whatever the memory size. The child inherits the seccomp filter and the rdtsc trap; resume
    /// a snapshot by forking it again, so that it stays intact for the next time.
    /// The tracee must be stopped where no syscall is half done (not at a seccomp stop whose
    /// syscall is still to run).
    /// </summary>
    public Tracee ForkSnapshot()
    {
        Registers regs = GetRegisters();
        long pid = InjectSyscall(Nr.clone, 0, 0, 0, 0, 0);
        if (pid <= 0)
        {
            throw new ErrnoException($"fork in {this}", (int)-pid);
        }
        var child = Adopt((int)pid);
        // A child of a seized tracee starts in a PTRACE_EVENT_STOP (ptrace(2), "Attaching and detaching").
        var status = child.Wait();
        if (!status.Stopped)
        {
            throw new RewindException($"the snapshot process {pid} did not stop ({status})");
        }
        regs.OrigRax = ulong.MaxValue;
        child.SetRegisters(regs);
        child.UseSyscallGadget(_syscallGadget);
        return child;
    }
}

using Rewind.Cpu;
using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// The signal handlers a process was frozen inside, resumed on a CPU whose signal frames lay the
/// FPU/vector state out otherwise (docs/decisions.md, "Signal frames across CPUs"). At each
/// handler's rt_sigreturn this kernel reads the state in its own layout: it would take a bigger
/// foreign one for x87 and SSE alone, and read a smaller one's components at the wrong places. So
/// before the process runs, each state is laid out as here: in place where it fits, else in a
/// mapping of its own that the frame's sigcontext then points at (which the resume names).
/// </summary>
internal static class FrozenHandlers
{
    /// <summary>
    /// Lays out as here the states of the handlers <paramref name="threads"/> (of the process whose
    /// first thread is <paramref name="t"/>) were frozen inside, recorded on <paramref name="recorded"/>
    /// (null where not known, as this CPU's). Returns what the resume says of it, if anything.
    /// </summary>
    public static string? LayOutHere(Tracee t, IReadOnlyList<Tracee> threads, CpuidTable? recorded) =>
        recorded == null ? null : LayOutHere(t, threads, XsaveLayout.OfSignalFrames(recorded), XsaveLayout.OfSignalFrames(CpuidTable.ThisCpu()));

    /// <summary>The same, from layout <paramref name="recorded"/> to <paramref name="here"/>.</summary>
    public static string? LayOutHere(Tracee t, IReadOnlyList<Tracee> threads, XsaveLayout recorded, XsaveLayout here)
    {
        if (recorded.SameAs(here))
        {
            return null;
        }
        var frames = threads.SelectMany(thread => HandlerFrame.Above(thread, thread.GetRegisters().Rsp, recorded)).ToList();
        if (frames.Count == 0)
        {
            return null;
        }
        ulong slot = (ulong)(here.Size + 4 + 63) & ~63ul, room = 0;
        if (here.Size > recorded.Size)
        {
            ulong bytes = AddressSpace.PageUp(slot * (ulong)frames.Count);
            room = (ulong)t.InjectSyscallChecked("mmap", Nr.mmap, 0, bytes, Interop.PROT_READ | Interop.PROT_WRITE, Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS, ulong.MaxValue, 0);
        }
        for (int i = 0; i < frames.Count; i++)
        {
            frames[i].WriteState(t, room == 0 ? frames[i].StateAt : room + (ulong)i * slot, here, here.Translate(frames[i].State, recorded));
        }
        return room == 0 ? null
            : $"the process was frozen inside {frames.Count} signal handler(s), whose saved FPU/vector state does not fit its frame here ({recorded.Size} bytes on the CPU it was frozen on, {here.Size} here): it is laid out for this CPU in a mapping of its own at 0x{room:x}";
    }
}

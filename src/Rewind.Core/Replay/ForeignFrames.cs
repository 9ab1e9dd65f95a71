using Rewind.Cpu;
using Rewind.Linux;

namespace Rewind.Replay;

/// <summary>
/// Signal frames as the recording CPU's kernel built them, in the replay of a trace recorded on a
/// CPU whose signal frames hold the FPU/vector state in another layout (docs/decisions.md, "Signal
/// frames across CPUs"). The state's size decides where a handler's frame starts
/// (<see cref="HandlerFrame"/>): left where this kernel builds it, the handler would run at other
/// stack addresses than recorded, and every place and stack pointer in it would be off. So each
/// frame is moved, at the handler's first instruction, to where the recording's kernel built it,
/// its state laid out as there, the stack around it as before the signal; and at rt_sigreturn to
/// where this kernel reads one, laid out as here, with whatever the handler changed in it, and put
/// back once read.
/// </summary>
internal sealed class ForeignFrames
{
    private readonly XsaveLayout _recorded, _here;

    /// <summary>The signal being delivered: its siginfo, and the stack below the interrupted stack pointer's red zone as it was before (null where it could not be read).</summary>
    private (byte[] SigInfo, ulong Start, byte[]? Stack)? _delivering;

    /// <summary>Frames recorded in layout <paramref name="recorded"/>, replayed where they are laid out as <paramref name="here"/>.</summary>
    public ForeignFrames(XsaveLayout recorded, XsaveLayout here) => (_recorded, _here) = (recorded, here);

    /// <summary>For a trace recorded on <paramref name="recorded"/>; null where its frames are laid out as this CPU's, or it is not known.</summary>
    public static ForeignFrames? For(CpuidTable? recorded)
    {
        if (recorded == null)
        {
            return null;
        }
        var there = XsaveLayout.OfSignalFrames(recorded);
        var here = XsaveLayout.OfSignalFrames(CpuidTable.ThisCpu());
        return there.SameAs(here) ? null : new ForeignFrames(there, here);
    }

    /// <summary>
    /// A signal with <paramref name="sigInfo"/> is about to be delivered to the thread, at
    /// <paramref name="regs"/>: what the stack holds where either kernel would build its frame is kept.
    /// </summary>
    public void Delivering(Tracee t, in Registers regs, byte[] sigInfo)
    {
        ulong top = HandlerFrame.BelowRedZone(regs.Rsp);
        ulong start = Math.Min(HandlerFrame.StartBelow(top, _here.Size), HandlerFrame.StartBelow(top, _recorded.Size));
        var stack = new byte[top - start];
        _delivering = (sigInfo, start, t.Read(new RemotePtr(start), stack) == stack.Length ? stack : null);
    }

    /// <summary>
    /// At a handler's first instruction, <paramref name="regs"/> its registers: its frame is moved
    /// where the recording's kernel built it, and the handler starts there (the stack pointer, and
    /// the siginfo and ucontext arguments, move with it). Returns the registers it starts with.
    /// </summary>
    public Registers ToRecorded(Tracee t, Registers regs)
    {
        var delivering = _delivering ?? throw new InvalidOperationException("a handler entered with no signal delivered");
        _delivering = null;
        var frame = HandlerFrame.Read(t, regs.Sp, _here)
            ?? throw new RewindException($"the signal frame at {regs.Sp} does not hold the FPU/vector state this CPU's kernel saves ({_here.Size} bytes): it cannot be laid out as the recording CPU's");
        ulong top = frame.Top;
        if (HandlerFrame.StateBelow(top, _here.Size) != frame.StateAt)
        {
            throw new RewindException($"this kernel put a signal frame's state at 0x{frame.StateAt:x}, not below 0x{top:x} where Linux puts it: it cannot be laid out as the recording CPU's");
        }
        ulong stateAt = HandlerFrame.StateBelow(top, _recorded.Size);
        // Below the interrupted stack, the stack as it was before: the frame's unwritten bytes, and
        // those this kernel's frame covered, are the recording's. On an alternate stack, nothing was
        // kept: its unwritten bytes are what this kernel's frame left.
        var (start, window) = delivering.Stack is { } stack && delivering.Start + (ulong)stack.Length == top
            ? (delivering.Start, stack)
            : (stateAt - HandlerFrame.HeadLength, t.ReadBytes(new RemotePtr(stateAt - HandlerFrame.HeadLength), (int)(top - stateAt) + HandlerFrame.HeadLength));
        ulong moved = frame.LayInto(window, start, stateAt, _recorded, _recorded.Translate(frame.State, _here), frame.HoldsInfo(delivering.SigInfo)) - frame.At.Value;
        t.Write(new RemotePtr(start), window);
        regs.Rsp += moved;
        regs.Rsi += moved;
        regs.Rdx += moved;
        t.SetRegisters(regs);
        return regs;
    }

    /// <summary>
    /// At rt_sigreturn's entry, <paramref name="entry"/> its registers: a frame laid out as the
    /// recording CPU's is moved where this kernel reads one (as high as it fits below the recorded
    /// frame's top, so no live byte is touched), its state laid out as here. Returns the stack it
    /// overwrote, to be put back once rt_sigreturn has read the frame.
    /// </summary>
    public (RemotePtr At, byte[] Bytes)? ToHere(Tracee t, Registers entry)
    {
        if (HandlerFrame.Read(t, entry.Sp - 8, _recorded) is not { } frame)
        {
            return null;
        }
        ulong stateAt = HandlerFrame.StateBelow(frame.StateEnd, _here.Size);
        var start = new RemotePtr(Math.Min(stateAt - HandlerFrame.HeadLength, frame.At.Value));
        var overwritten = t.ReadBytes(start, (int)(frame.StateEnd - start.Value));
        var window = overwritten.ToArray();
        ulong laid = frame.LayInto(window, start.Value, stateAt, _here, _here.Translate(frame.State, _recorded), withInfo: true);
        t.Write(start, window);
        // rt_sigreturn reads the frame below the stack pointer, where the handler's return popped pretcode.
        entry.Rsp = laid + 8;
        t.SetRegisters(entry);
        return (start, overwritten);
    }
}

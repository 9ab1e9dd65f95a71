namespace Rewind.Symbols.Dotnet;

/// <summary>
/// A thread's stack with native and managed frames together. The native unwinder (call-frame
/// information, else the frame-pointer chain, which the JIT keeps) walks through managed code
/// too; a frame whose pc the runtime knows as a managed method takes that method's name and C#
/// line. The runtime's own walk finds managed frames the native one stepped over (methods
/// without a frame pointer): they go in by stack pointer, since the stack grows down and inner
/// frames lie lower.
/// </summary>
public static class MixedStack
{
    /// <param name="native">The native unwinder's frames of thread <paramref name="tid"/>, innermost first.</param>
    /// <param name="runtime">The runtime at the same moment; null where there is none: the stack is then <paramref name="native"/>'s.</param>
    public static IReadOnlyList<MixedFrame> Of(Tid tid, IReadOnlyList<StackFrame> native, ManagedRuntime? runtime)
    {
        var managed = runtime?.StackOf(tid).Where(f => f.Method != null).ToList() ?? [];
        var frames = new List<MixedFrame>();
        int next = 0;
        foreach (var frame in native)
        {
            ulong sp = frame.Registers.Sp ?? 0, pc = frame.Pc.Value;
            for (; next < managed.Count && managed[next].StackPointer < sp; next++)
            {
                frames.Add(Managed(managed[next]));
            }
            if (next < managed.Count && managed[next].InstructionPointer == pc)
            {
                frames.Add(Managed(managed[next++]));
            }
            else if (frame.Module == null && runtime?.FrameAt(sp, pc, frame.PcIsExact) is { } method)
            {
                // The runtime's walk may place the same method a little further out (the return
                // address an InlinedCallFrame keeps for a call out of it): one frame, the runtime's.
                frames.Add(Managed(next < managed.Count && managed[next].Method == method.Method ? managed[next++] : method));
            }
            else
            {
                frames.Add(new MixedFrame(sp, pc, frame.FunctionName, frame.Line, frame.Module?.Path, frame, null));
            }
        }
        frames.AddRange(managed.Skip(next).Select(Managed));
        return frames;
    }

    private static MixedFrame Managed(ManagedFrame f) => new(f.StackPointer, f.InstructionPointer, f.Method!, f.Line, null, null, f);
}

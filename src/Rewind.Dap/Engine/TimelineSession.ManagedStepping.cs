using Rewind.Dap.Session;
using Rewind.Symbols.Dotnet;
using Rewind.Timeline;
using StopReason = Rewind.Timeline.StopReason;
using SessionDirection = Rewind.Dap.Session.Direction;
using SessionStopReason = Rewind.Dap.Session.StopReason;

namespace Rewind.Dap.Engine;

internal sealed partial class TimelineSession
{
    // A stub between a managed call and its callee is a few instructions; past this, the step stops where it is.
    private const int MaxStubInstructions = 64;

    /// <summary>Whether <paramref name="pc"/> is the call instruction that returns to <paramref name="returnAddress"/> (an x86 instruction is at most 15 bytes).</summary>
    private static bool IsCallBefore(RemotePtr pc, RemotePtr returnAddress) => pc.Value < returnAddress.Value && returnAddress.Value - pc.Value <= 15;

    /// <summary>
    /// A line step in a managed frame, by C# statements: the JIT's code of each sequence point of
    /// the method (ManagedCode) stands for the line table native code has. Null where the
    /// innermost frame is not managed code with a kept PDB: the step is then native.
    /// </summary>
    private StopInfo? ManagedStep(StepKind kind, SessionDirection direction)
    {
        var frames = Stack(_timeline.Thread);
        if (frames.Count < 2 || frames[0].Managed is not { } top || Runtime()?.CodeAt(top.InstructionPointer) is not { Statements.Count: > 0 } code)
        {
            return null;
        }
        var caller = frames[1];
        var regs = _timeline.Registers;
        int line = frames[0].Line?.Line ?? -1;
        return direction == SessionDirection.Forward
            ? kind == StepKind.Into ? ManagedStepInto(code, line, regs.Rsp, new RemotePtr(caller.Pc)) : ManagedStepForward(kind, code, line, regs.Rsp, new RemotePtr(caller.Pc))
            // At the method's entry the return address is pushed just below the caller's stack pointer.
            : ManagedStepBackward(kind, code, line, regs, caller.StackPointer - 8, new RemotePtr(caller.Pc));
    }

    /// <summary>
    /// Into: instruction by instruction through the line; a call is followed through its stub into
    /// managed code the JIT has compiled, where the step stops at the callee's first statement. A
    /// call that reaches native code (a runtime helper, or the prestub that compiles the callee
    /// now) is run over. Else as over: another line's start in this activation, or the caller.
    /// </summary>
    private StopInfo ManagedStepInto(ManagedCode code, int line, ulong sp, RemotePtr returnAddress)
    {
        var starts = code.Statements.Where(s => s.Line.Line != line).Select(s => s.Address).ToHashSet();
        for (int i = 0; i < MaxInstructionsPerLineStep; i++)
        {
            var regs = _timeline.Registers;
            var after = CallAt(regs.Pc);
            var step = _timeline.StepInstruction(Timeline.Direction.Forward);
            if (step.Reason is not (StopReason.Step or StopReason.Arrived))
            {
                return ReportStep(step);
            }
            if (after is { } returnHere && EnterCallee(returnHere, regs.Rsp) is { } entered)
            {
                return entered;
            }
            // After a step, or back from a call run over (which may have been its line's last instruction).
            var here = _timeline.Stop;
            var p = here.Position;
            if (p.Pc == returnAddress && p.Registers.Rsp > sp || starts.Contains(p.Pc.Value) && p.Registers.Rsp >= sp)
            {
                return Report(here, SessionStopReason.Step);
            }
        }
        throw new RewindException($"the step ran more than {MaxInstructionsPerLineStep:N0} instructions without reaching another line");
    }

    /// <summary>
    /// Just after a call: follows the stub it went through to the callee; a managed one with lines
    /// runs to its first statement (the stop). Null when the call is run over and the present is
    /// back after it.
    /// </summary>
    private StopInfo? EnterCallee(RemotePtr returnAddress, ulong callerSp)
    {
        for (int i = 0; i < MaxStubInstructions; i++)
        {
            var pc = _timeline.Registers.Pc;
            if (Runtime()?.CodeAt(pc.Value) is { Statements.Count: > 0 } callee)
            {
                var first = new RemotePtr(callee.Statements.Min(s => s.Address));
                var entered = pc == first ? _timeline.Stop : RunTo(first, r => r.Rsp < callerSp);
                return entered.Reason is StopReason.Arrived or StopReason.Step ? Report(entered, SessionStopReason.Step) : ReportStep(entered);
            }
            if (_symbols.ModuleAt(pc) != null)
            {
                break;
            }
            var step = _timeline.StepInstruction(Timeline.Direction.Forward);
            if (step.Reason is not (StopReason.Step or StopReason.Arrived))
            {
                return ReportStep(step);
            }
        }
        var back = RunTo(returnAddress, r => r.Rsp >= callerSp);
        return back.Reason == StopReason.Arrived ? null : ReportStep(back);
    }

    /// <summary>
    /// Over: to the start of another line of this
    /// activation (same stack pointer or above it, so not a recursive call's), or back into the
    /// caller; out: back into the caller. The caller's line then shows where the call returned.
    /// </summary>
    private StopInfo ManagedStepForward(StepKind kind, ManagedCode code, int line, ulong sp, RemotePtr returnAddress)
    {
        var targets = kind == StepKind.Out ? [] : code.Statements.Where(s => s.Line.Line != line).Select(s => new RemotePtr(s.Address)).ToHashSet();
        targets.Add(returnAddress);
        var stop = RunToAny(targets, r => r.Pc == returnAddress ? r.Rsp > sp : r.Rsp >= sp);
        return stop.Reason == StopReason.Arrived ? Report(stop, SessionStopReason.Step) : ReportStep(stop);
    }

    /// <summary>
    /// Back to the start of the line (from mid-line) or of the line before, in this activation; from
    /// its first line, back to the call in the caller and to the start of that line. Out: back to
    /// the call.
    /// </summary>
    private StopInfo ManagedStepBackward(StepKind kind, ManagedCode code, int line, Registers regs, ulong entrySp, RemotePtr returnAddress)
    {
        var entry = new RemotePtr(code.Start);
        bool atLineStart = code.Statements.Any(s => s.Address == regs.Pc.Value);
        var targets = kind == StepKind.Out ? [] : code.Statements
            .Where(s => atLineStart ? s.Line.Line != line : s.Line.Line == line && s.Address != regs.Pc.Value)
            .Select(s => new RemotePtr(s.Address)).ToHashSet();
        targets.Add(entry);
        // The statements of this activation run with its stack pointer; its entry with the caller's, less the return address.
        var stop = _timeline.ReverseToAddresses(targets, OnThisThread(r => r.Pc == entry ? r.Rsp == entrySp : r.Rsp == regs.Rsp));
        if (stop.Reason != StopReason.Breakpoint || !targets.Contains(stop.Address) && IsUserBreakpoint(stop.Address))
        {
            return ReportStep(stop);
        }
        if (stop.Address != entry)
        {
            return Report(stop, SessionStopReason.Step);
        }
        // Back at this call's entry: the call in the caller is a few instructions back, past the
        // stub the call went through (a precode's jump, until the runtime patches the call's cell).
        var call = _timeline.StepInstruction(Timeline.Direction.Backward);
        for (int i = 0; i < MaxStubInstructions && call.Reason == StopReason.Step && !IsCallBefore(call.Position.Pc, returnAddress); i++)
        {
            call = _timeline.StepInstruction(Timeline.Direction.Backward);
        }
        ForgetHandles();
        return call.Reason == StopReason.Step && kind != StepKind.Out && ManagedStep(StepKind.Over, SessionDirection.Backward) is { } callerLine
            ? callerLine : ReportStep(call);
    }
}

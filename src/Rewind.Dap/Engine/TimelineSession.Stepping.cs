using Iced.Intel;
using Rewind.Dap.Session;
using Rewind.Symbols;
using Rewind.Timeline;
using StopReason = Rewind.Timeline.StopReason;
using SessionDirection = Rewind.Dap.Session.Direction;
using SessionStopReason = Rewind.Dap.Session.StopReason;

namespace Rewind.Dap.Engine;

internal sealed partial class TimelineSession
{
    // A line step gives up past this many instructions (a line that loops forever in one interval).
    private const int MaxInstructionsPerLineStep = 1_000_000;

    public void Step(Tid thread, StepKind kind, SessionDirection direction, StepGranularity granularity) => Motion(() =>
    {
        if (thread != _timeline.Thread)
        {
            // Another thread than the one that stopped: forward, the others run as recorded until it
            // runs; backward, back to where it last ran. Either way it is the present thread then.
            if (direction == SessionDirection.Forward)
            {
                _timeline.RunUntilRunning(thread);
            }
            else
            {
                _timeline.GoToLastRunOf(thread);
            }
            ForgetHandles();
        }
        if (granularity == StepGranularity.Instruction)
        {
            var stop = _timeline.StepInstruction(Map(direction));
            return ReportStep(stop);
        }
        if (ManagedStep(kind, direction) is { } managed)
        {
            return managed;
        }
        return direction == SessionDirection.Forward ? StepForward(kind) : StepBackward(kind);
    });

    private StopInfo ReportStep(TimelineStop stop) => stop.Reason switch
    {
        StopReason.StartOfTrace => Report(stop, SessionStopReason.StartOfTrace, "the start of the recording"),
        StopReason.EndOfTrace => Report(stop, SessionStopReason.EndOfTrace, EndDescription(stop)),
        StopReason.Signal => SignalStop(stop),
        StopReason.Breakpoint when BreakpointHit(stop) is { } hit => hit,
        StopReason.Watchpoint when DataBreakpointHit(stop) is { } data => data,
        _ => Report(stop, SessionStopReason.Step),
    };

    /// <summary>The innermost frame with source, its function and the statements where line steps stop.</summary>
    private (StackFrame Frame, Function? Function, IReadOnlyList<SourceLine> Statements) CurrentFrame()
    {
        var frames = Frames();
        var frame = frames.Count > 0 ? frames[0] : throw new RewindException("no stack frame here");
        var function = frame.Function;
        var statements = function is { HasDebugInfo: true } f ? f.Module.StatementsIn(f.Start, f.End) : [];
        return (frame, function, statements);
    }

    private StopInfo StepForward(StepKind kind)
    {
        var (frame, function, statements) = CurrentFrame();
        if (kind == StepKind.Out || statements.Count == 0)
        {
            return StepOut(frame);
        }
        ulong frameSp = _timeline.Registers.Rsp;
        int startLine = frame.Line?.Line ?? -1;
        var starts = statements.Select(s => s.Address).ToHashSet();
        for (int i = 0; i < MaxInstructionsPerLineStep; i++)
        {
            var regs = _timeline.Registers;
            if (CallAt(regs.Pc) is { } next && (kind == StepKind.Over || !HasSource(CallTarget(regs))))
            {
                // Over a call: run to the instruction after it, in this frame.
                var stop = RunTo(next, r => r.Rsp >= regs.Rsp);
                if (stop.Reason != StopReason.Arrived)
                {
                    return ReportStep(stop);
                }
                if (starts.Contains(next) && _symbols.LineFor(next)?.Line != startLine)
                {
                    // The call was its line's last instruction: the return lands on the next line.
                    return Report(stop, SessionStopReason.Step);
                }
                continue;
            }
            var step = _timeline.StepInstruction(Timeline.Direction.Forward);
            if (step.Reason is not (StopReason.Step or StopReason.Arrived))
            {
                return ReportStep(step);
            }
            var pc = step.Position.Pc;
            if (function != null && !function.Contains(pc))
            {
                if (step.Position.Registers.Rsp > frameSp)
                {
                    // Returned to the caller, in the middle of its line: finish that line's statement.
                    return SettleOnStatement(step);
                }
                if (kind == StepKind.Into && HasSource(pc))
                {
                    return SkipPrologue(step);
                }
                continue;
            }
            if (starts.Contains(pc) && (_symbols.LineFor(pc)?.Line != startLine || pc == statements[0].Address))
            {
                return Report(step, SessionStopReason.Step);
            }
        }
        throw new RewindException($"the step ran more than {MaxInstructionsPerLineStep:N0} instructions without reaching another line");
    }

    /// <summary>
    /// Runs to the return into the caller. A caller without source (main's, in libc; a library
    /// calling back) is no place to stop at: the step goes on out of it, up to code with source,
    /// or to the end of the recording (main's caller calls exit).
    /// </summary>
    private StopInfo StepOut(StackFrame frame)
    {
        var frames = FramesPastMain();
        if (frames.Count < 2 || frame.Cfa is not { } cfa)
        {
            return ReportStep(_timeline.StepInstruction(Timeline.Direction.Forward));
        }
        var stop = RunTo(frames[1].Pc, r => r.Rsp >= cfa.Value);
        return stop.Reason != StopReason.Arrived ? ReportStep(stop) : SettleOnStatement(stop);
    }

    /// <summary>After a return into the caller (mid-line): a stop there when it has source, else out of it too.</summary>
    private StopInfo SettleOnStatement(TimelineStop stop)
    {
        if (HasSource(stop.Position.Pc))
        {
            return Report(stop, SessionStopReason.Step);
        }
        ForgetHandles();
        return StepOut(FramesPastMain()[0]);
    }

    /// <summary>The call stack at the present past main, to step out of it; not kept (the stack view stops at main).</summary>
    private IReadOnlyList<StackFrame> FramesPastMain()
    {
        return _symbols.Unwind(FrameRegistersOf(_timeline.Registers), _timeline.Memory, pastMain: true);
    }

    /// <summary>Stepped into a function with source: go on to its first statement after the prologue.</summary>
    private StopInfo SkipPrologue(TimelineStop entry)
    {
        var target = AfterPrologue(entry.Position.Pc);
        if (target == entry.Position.Pc)
        {
            return Report(entry, SessionStopReason.Step);
        }
        var stop = RunTo(target, r => r.Rsp <= entry.Position.Registers.Rsp);
        return stop.Reason == StopReason.Arrived ? Report(stop, SessionStopReason.Step) : ReportStep(stop);
    }

    private StopInfo StepBackward(StepKind kind)
    {
        var (frame, function, statements) = CurrentFrame();
        if (function == null || statements.Count == 0 || frame.Cfa is not { } cfa)
        {
            return ReportStep(_timeline.StepInstruction(Timeline.Direction.Backward));
        }
        ulong entrySp = cfa.Value - 8;
        if (kind == StepKind.Out)
        {
            return ReverseStepOut(function, entrySp);
        }
        var pc = _timeline.Registers.Pc;
        int line = frame.Line?.Line ?? -1;
        // From the middle of a line, its own start is the step back; from its start, the line before.
        bool atLineStart = statements.Any(s => s.Address == pc);
        var targets = statements.Where(s => atLineStart ? s.Line != line : s.Line == line && s.Address != pc).Select(s => s.Address).ToHashSet();
        targets.Add(function.Start);
        if (kind == StepKind.Into)
        {
            foreach (var callee in CalleesWithSource(function))
            {
                targets.Add(callee);
            }
        }
        ulong sp = _timeline.Registers.Rsp;
        // A line start counts in this activation (same CFA; the stack pointer moves inside a line,
        // e.g. across an epilogue's pop), a callee's only below it.
        var stop = _timeline.ReverseToAddresses(targets, OnThisThread(r => FrameAddress(r) is { } a
            ? a == cfa.Value || kind == StepKind.Into && a < cfa.Value
            : r.Rsp >= sp || kind == StepKind.Into && r.Rsp < sp));
        if (stop.Reason == StopReason.Breakpoint && stop.Position.Pc == function.Start && stop.Position.Registers.Rsp == entrySp)
        {
            // Back at this call's entry: the step back goes on to the call in the caller, and to
            // the start of its line there, so that one step back is one line.
            var call = _timeline.StepInstruction(Timeline.Direction.Backward);
            ForgetHandles();
            return call.Reason == StopReason.Step && HasSource(call.Position.Pc) && !IsStatementStart(call.Position.Pc)
                ? StepBackward(StepKind.Over) : ReportStep(call);
        }
        if (stop.Reason == StopReason.Breakpoint && kind == StepKind.Into && stop.Position.Registers.Rsp < sp)
        {
            // Back into a callee: its last line is where stepping back enters it.
            return Report(stop, SessionStopReason.Step);
        }
        // Arriving at the step's own destination is a step, even where a breakpoint is set.
        return stop.Reason == StopReason.Breakpoint && (targets.Contains(stop.Address) || !IsUserBreakpoint(stop.Address))
            ? Report(stop, SessionStopReason.Step) : ReportStep(stop);
    }

    /// <summary>Back to the call of this function: its entry in this frame, then one instruction back.</summary>
    private StopInfo ReverseStepOut(Function function, ulong entrySp)
    {
        var stop = _timeline.ReverseToAddresses([function.Start], OnThisThread(r => r.Rsp == entrySp));
        if (stop.Reason != StopReason.Breakpoint)
        {
            return ReportStep(stop);
        }
        return ReportStep(_timeline.StepInstruction(Timeline.Direction.Backward));
    }

    /// <summary>Functions with source this one calls directly: where a reverse step-in may land at their last line.</summary>
    private IEnumerable<RemotePtr> CalleesWithSource(Function function)
    {
        foreach (var target in CallTargets(function))
        {
            if (_symbols.FunctionAt(target) is { HasDebugInfo: true } callee)
            {
                var statements = callee.Module.StatementsIn(callee.Start, callee.End);
                foreach (var s in statements)
                {
                    yield return s.Address;
                }
            }
        }
    }

    /// <summary>A condition on the registers of the present thread: other threads pass the same code with their own stacks.</summary>
    private Func<Position, bool> OnThisThread(Func<Registers, bool> condition)
    {
        var thread = _timeline.Thread;
        return p => p.Thread == thread && condition(p.Registers);
    }

    /// <summary>
    /// Runs forward to <paramref name="address"/> reached by the present thread with
    /// <paramref name="condition"/> true; a user's breakpoint on the way wins, in any thread.
    /// </summary>
    private TimelineStop RunTo(RemotePtr address, Func<Registers, bool> condition) => RunToAny(new HashSet<RemotePtr> { address }, condition);

    /// <summary>
    /// Runs forward to one of <paramref name="addresses"/> reached by the present thread with
    /// <paramref name="condition"/> true; a user's breakpoint on the way wins, in any thread.
    /// </summary>
    private TimelineStop RunToAny(IReadOnlySet<RemotePtr> addresses, Func<Registers, bool> condition)
    {
        var arrived = OnThisThread(condition);
        var temporary = addresses.Where(a => !_timeline.Breakpoints.Contains(a)).ToList();
        var added = new List<RemotePtr>();
        try
        {
            foreach (var address in temporary)
            {
                _timeline.AddBreakpoint(address);
                added.Add(address);
            }
            while (true)
            {
                var stop = _timeline.Continue(Timeline.Direction.Forward);
                if (stop.Reason == StopReason.Breakpoint && addresses.Contains(stop.Address) && arrived(stop.Position))
                {
                    return stop with { Reason = StopReason.Arrived };
                }
                if (stop.Reason == StopReason.Breakpoint && !addresses.Contains(stop.Address) && BreakpointWouldStop(stop))
                {
                    return stop;
                }
                if (stop.Reason is StopReason.Watchpoint or StopReason.EndOfTrace or StopReason.StartOfTrace
                    || stop.Reason == StopReason.Signal && stop.Signal == _timeline.Exit?.Signal)
                {
                    return stop;
                }
            }
        }
        finally
        {
            foreach (var address in added)
            {
                _timeline.RemoveBreakpoint(address);
            }
        }
    }

    private ulong? FrameAddress(Registers registers) => _symbols.FrameAddress(FrameRegistersOf(registers));

    private bool IsStatementStart(RemotePtr pc) =>
        _symbols.FunctionAt(pc) is { HasDebugInfo: true } f && f.Module.StatementsIn(f.Start, f.End).Any(s => s.Address == pc);

    private bool HasSource(RemotePtr pc) => _symbols.FunctionAt(pc) is { HasDebugInfo: true };

    /// <summary>The address after a call instruction at <paramref name="pc"/>, or null when it is not a call.</summary>
    private RemotePtr? CallAt(RemotePtr pc)
    {
        var instruction = Decode(pc);
        return instruction.Mnemonic == Mnemonic.Call ? new RemotePtr(instruction.NextIP) : null;
    }

    /// <summary>Where the call at the present pc goes, when it can be told without running it.</summary>
    private RemotePtr CallTarget(Registers regs)
    {
        var instruction = Decode(regs.Pc);
        return instruction.Op0Kind is OpKind.NearBranch64 ? new RemotePtr(instruction.NearBranch64) : default;
    }

    private IEnumerable<RemotePtr> CallTargets(Function function) =>
        InstructionsIn(function.Start, function.End, Mnemonic.Call).Where(c => c.Op0Kind == OpKind.NearBranch64).Select(c => new RemotePtr(c.NearBranch64));

    /// <summary>The <paramref name="mnemonic"/> instructions (calls, returns) of the code from <paramref name="start"/> up to <paramref name="end"/>, decoded in order.</summary>
    private IEnumerable<Instruction> InstructionsIn(RemotePtr start, RemotePtr end, Mnemonic mnemonic)
    {
        var code = new byte[Math.Min(end - start, 1UL << 20)];
        int n = _timeline.ReadMemory(start, code);
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code, 0, n), start.Value);
        while (decoder.IP < start.Value + (ulong)n)
        {
            var instruction = decoder.Decode();
            if (instruction.Mnemonic == mnemonic)
            {
                yield return instruction;
            }
        }
    }

    private Instruction Decode(RemotePtr pc)
    {
        var code = new byte[16];
        int n = _timeline.ReadMemory(pc, code);
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code, 0, n), pc.Value);
        return decoder.Decode();
    }
}

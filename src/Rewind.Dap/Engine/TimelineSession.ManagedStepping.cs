using System.Buffers.Binary;
using Iced.Intel;
using Rewind.Cpu;
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
    /// managed code, where the step stops at the callee's first statement, compiled before the
    /// call or by it (<see cref="EnterCallee"/>). A call into native code (a runtime helper) is
    /// run over. Else as over: another line's start in this activation, or the caller.
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
            if (after is { } returnHere && EnterCallee(returnHere, regs) is { } entered)
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
    /// Just after the call made with <paramref name="call"/>: follows the stub it went through to
    /// the callee; a managed one with lines runs to its first statement (the stop). A stub that
    /// leads into native code is the runtime's prestub compiling the callee now, or a helper: the
    /// call is run over, and if the call would now go to managed code (the JIT has patched the
    /// callee's entry cell or precode), the step goes back into the call and on to that code's
    /// first statement. Null when the call is run over and the present is back after it.
    /// </summary>
    private StopInfo? EnterCallee(RemotePtr returnAddress, Registers call)
    {
        var called = _timeline.Stop.Position;
        ulong callerSp = call.Rsp;
        for (int i = 0; i < MaxStubInstructions; i++)
        {
            var pc = _timeline.Registers.Pc;
            if (Runtime()?.CodeAt(pc.Value) is { Statements.Count: > 0 } callee)
            {
                return RunIntoCallee(callee, returnAddress, callerSp);
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
        if (back.Reason != StopReason.Arrived)
        {
            return ReportStep(back);
        }
        // The runtime as this motion found it knows no code the call compiled.
        ForgetHandles();
        if (CallTargetNow(call) is not { } target || StubTarget(target) is not { } compiled)
        {
            return null;
        }
        _timeline.GoToPosition(called);
        ForgetHandles();
        return RunIntoCallee(compiled, returnAddress, callerSp);
    }

    /// <summary>
    /// From inside a call, on to <paramref name="callee"/>'s first statement in this call (its
    /// stack below the caller's). Null when the call returns without reaching it.
    /// </summary>
    private StopInfo? RunIntoCallee(ManagedCode callee, RemotePtr returnAddress, ulong callerSp)
    {
        var first = new RemotePtr(callee.Statements.Min(s => s.Address));
        var entered = _timeline.Registers.Pc == first ? _timeline.Stop
            : RunToAny(new HashSet<RemotePtr> { first, returnAddress }, r => r.Pc == first ? r.Rsp < callerSp : r.Rsp >= callerSp);
        if (entered.Reason == StopReason.Arrived && entered.Address == returnAddress)
        {
            return null;
        }
        return entered.Reason is StopReason.Arrived or StopReason.Step ? Report(entered, SessionStopReason.Step) : ReportStep(entered);
    }

    /// <summary>
    /// Where the call at <paramref name="call"/>'s pc would go if made now: its operand computed
    /// with the registers it was made with, the cell it names read as it is at the present.
    /// </summary>
    private RemotePtr? CallTargetNow(Registers call)
    {
        var instruction = Decode(call.Pc);
        return BranchTargetNow(instruction) ?? instruction.Op0Kind switch
        {
            OpKind.Register when OperandRegisters.TryGetValue(call, instruction.Op0Register, out ulong target) => new RemotePtr(target),
            OpKind.Memory when instruction.TryGetVirtualAddress(0, 0, out ulong cell, (Register r, int _, int _, out ulong value) => OperandRegisters.TryGetValue(call, r, out value)) => PointerAt(cell),
            _ => null,
        };
    }

    /// <summary>
    /// Where <paramref name="branch"/> (a call or a jump) would go now, where that needs no
    /// registers: a direct one's target, or the pointer in its RIP-relative cell at the present.
    /// </summary>
    private RemotePtr? BranchTargetNow(Instruction branch) => branch switch
    {
        { Op0Kind: OpKind.NearBranch64 } => new RemotePtr(branch.NearBranch64),
        { IsIPRelativeMemoryOperand: true } => PointerAt(branch.IPRelativeMemoryAddress),
        _ => null,
    };

    /// <summary>The 8-byte pointer at <paramref name="address"/> at the present; null where it cannot be read.</summary>
    private RemotePtr? PointerAt(ulong address)
    {
        Span<byte> bytes = stackalloc byte[8];
        return _timeline.ReadMemory(new RemotePtr(address), bytes) == bytes.Length ? new RemotePtr(BinaryPrimitives.ReadUInt64LittleEndian(bytes)) : null;
    }

    /// <summary>The managed code with lines that the stub at <paramref name="stub"/> leads to now (<see cref="StubEnd"/>).</summary>
    private ManagedCode? StubTarget(RemotePtr stub) =>
        StubEnd(stub) is { } end && Runtime()?.CodeAt(end.At.Value) is { Statements.Count: > 0 } code ? code : null;

    /// <summary>
    /// Where the stub at <paramref name="stub"/> leads now, read without running it: unconditional
    /// jumps followed (direct, or through a RIP-relative cell as a precode's and a call-counting
    /// stub's), other instructions passed, to the first address in a managed method's code or a
    /// module's; null at a return, a call or a jump through a register before that. With it the
    /// method descriptor a precode loaded on the way for the runtime's prestub (in r10, the amd64
    /// runtime's METHODDESC_REGISTER), where the method has no code the precode jumps to yet.
    /// </summary>
    private (RemotePtr At, RemotePtr? MethodDesc)? StubEnd(RemotePtr stub)
    {
        RemotePtr? pc = stub;
        RemotePtr? methodDesc = null;
        for (int i = 0; i < MaxStubInstructions && pc is { } at; i++)
        {
            if (_symbols.ModuleAt(at) != null || Runtime()?.CodeAt(at.Value) != null)
            {
                return (at, methodDesc);
            }
            var instruction = Decode(at);
            if (instruction is { Mnemonic: Mnemonic.Mov, Op0Register: Register.R10, IsIPRelativeMemoryOperand: true })
            {
                methodDesc = PointerAt(instruction.IPRelativeMemoryAddress);
            }
            pc = instruction switch
            {
                { Mnemonic: Mnemonic.Jmp } => BranchTargetNow(instruction),
                { FlowControl: FlowControl.Next or FlowControl.ConditionalBranch } => new RemotePtr(instruction.NextIP),
                _ => null,
            };
        }
        return null;
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
    /// its first line, back to the call in the caller and to the start of that line. A MoveNext that
    /// an await's continuation entered ran from the middle of the await's line (its resume point):
    /// that is the line before its first. Into: where a call of this activation returned on the way
    /// into managed code with lines, back into that callee's last line that ran instead
    /// (<see cref="BackIntoCallee"/>). Out: back to the call.
    /// </summary>
    private StopInfo ManagedStepBackward(StepKind kind, ManagedCode code, int line, Registers regs, ulong entrySp, RemotePtr returnAddress)
    {
        var entry = new RemotePtr(code.Start);
        bool atLineStart = code.Statements.Any(s => s.Address == regs.Pc.Value);
        var targets = kind == StepKind.Out ? [] : code.Statements
            .Where(s => atLineStart ? s.Line.Line != line : s.Line.Line == line && s.Address != regs.Pc.Value)
            .Concat(code.Resumes)
            .Select(s => new RemotePtr(s.Address)).ToHashSet();
        targets.Add(entry);
        var calls = kind == StepKind.Into ? CallsByReturn(code) : [];
        var returns = calls.Keys.Except(targets).ToHashSet();
        // The statements of this activation run with its stack pointer, as its calls return to it;
        // its entry with the caller's, less the return address.
        var inThisActivation = OnThisThread(r => r.Pc == entry ? r.Rsp == entrySp : r.Rsp == regs.Rsp);
        if (returns.Contains(regs.Pc) && BackIntoCallee(calls[regs.Pc], regs.Rsp) is { } fromHere)
        {
            return fromHere;
        }
        var stop = _timeline.ReverseToAddresses([.. targets, .. returns], inThisActivation);
        while (stop.Reason == StopReason.Breakpoint && returns.Contains(stop.Address) && inThisActivation(stop.Position))
        {
            if (BackIntoCallee(calls[stop.Address], regs.Rsp) is { } callee)
            {
                return callee;
            }
            stop = _timeline.ReverseToAddresses([.. targets, .. returns], inThisActivation);
        }
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

    /// <summary>
    /// At the return address of <paramref name="call"/>, in the activation whose stack pointer is
    /// <paramref name="sp"/>: one instruction back is the ret the call came back by (run below
    /// <paramref name="sp"/>, with the return address still on the stack; a jump there ran in the
    /// activation), found by <see cref="ReturnOf"/> where it can, else by stepping back. Where that
    /// ret is managed code with lines, the callee's, back to the start of its last line that ran, in
    /// its activation or below it, as native reverse step into lands; no further back than the
    /// callee's entry in this call (with the ret's stack pointer: the return address pushed). Null
    /// where it is not (a runtime helper, code without a PDB, a jump), the present back where it was.
    /// </summary>
    private StopInfo? BackIntoCallee(Instruction call, ulong sp)
    {
        if (ReturnOf(call, sp) is not { } ret)
        {
            var step = _timeline.StepInstruction(Timeline.Direction.Backward);
            if (step.Reason != StopReason.Step)
            {
                return ReportStep(step);
            }
            ret = step.Position;
        }
        ForgetHandles();
        ulong returnSlot = ret.Registers.Rsp;
        if (returnSlot < sp && Runtime()?.CodeAt(ret.Pc.Value) is { Statements.Count: > 0 } callee)
        {
            var entry = new RemotePtr(callee.Start);
            var targets = callee.Statements.Select(s => new RemotePtr(s.Address)).Append(entry).ToHashSet();
            var last = _timeline.ReverseToAddresses(targets, OnThisThread(r => r.Pc == entry ? r.Rsp == returnSlot : r.Rsp < returnSlot));
            return last.Reason == StopReason.Breakpoint && targets.Contains(last.Address) ? Report(last, SessionStopReason.Step) : ReportStep(last);
        }
        var back = _timeline.StepInstruction(Timeline.Direction.Forward);
        ForgetHandles();
        return back.Reason is StopReason.Step or StopReason.Arrived ? null : ReportStep(back);
    }

    /// <summary>
    /// Back from the present, the return address of <paramref name="call"/> in the activation whose
    /// stack pointer is <paramref name="sp"/>, to the ret the call came back by, without stepping
    /// back (which single-steps the present's interval from its start): where the code the call
    /// entered is known without registers (<see cref="CalleeReturns"/>), its returns are
    /// breakpoints. The last of them to run before the present with the return address in its slot
    /// (just below <paramref name="sp"/>), where no return here and no call in this activation came
    /// after it, returned to the present: the instruction right before it. Null, the present back
    /// where it was, where the call came back by another code's ret (a tail call, a loop the JIT
    /// replaced while it ran, a code version the JIT made during the call) or the present was
    /// reached by a jump.
    /// </summary>
    private Position? ReturnOf(Instruction call, ulong sp)
    {
        if (CalleeReturns(call) is not { Count: > 0 } rets)
        {
            return null;
        }
        var present = _timeline.Stop.Position;
        var (returnAddress, callPc) = (new RemotePtr(call.NextIP), new RemotePtr(call.IP));
        ulong slot = sp - 8;
        var returned = OnThisThread(r => rets.Contains(r.Pc) && r.Rsp == slot);
        var inActivation = OnThisThread(r => (r.Pc == returnAddress || r.Pc == callPc) && r.Rsp == sp);
        var found = _timeline.ReverseToAddresses([.. rets, returnAddress, callPc], p => returned(p) || inActivation(p));
        if (found.Reason == StopReason.Breakpoint && returned(found.Position) && PointerAt(slot) == returnAddress)
        {
            return found.Position;
        }
        _timeline.GoToPosition(present);
        return null;
    }

    /// <summary>
    /// The returns of the code that <paramref name="call"/> enters, where that is known without its
    /// registers: its target (<see cref="BranchTargetNow"/>) through the stub there
    /// (<see cref="StubEnd"/>), to a managed method's code version, the code the prestub ran of the
    /// method a precode named (compiled by this call or an earlier one), or a module's function.
    /// Null where it is not known.
    /// </summary>
    private HashSet<RemotePtr>? CalleeReturns(Instruction call)
    {
        if (BranchTargetNow(call) is not { } target || StubEnd(target) is not { } stub)
        {
            return null;
        }
        var managed = Runtime()?.CodeAt(stub.At.Value) ?? (stub.MethodDesc is { } md ? Runtime()?.CodeOfMethod(md.Value) : null);
        (RemotePtr Start, RemotePtr End)? code = managed != null ? (new RemotePtr(managed.Start), new RemotePtr(managed.End))
            : _symbols.FunctionAt(stub.At) is { } function ? (function.Start, function.End) : null;
        return code is { } c ? InstructionsIn(c.Start, c.End, Mnemonic.Ret).Select(r => new RemotePtr(r.IP)).ToHashSet() : null;
    }

    /// <summary>The calls of <paramref name="code"/>, by where each returns to: the instruction after it.</summary>
    private Dictionary<RemotePtr, Instruction> CallsByReturn(ManagedCode code) =>
        InstructionsIn(new RemotePtr(code.Start), new RemotePtr(code.End), Mnemonic.Call).ToDictionary(c => new RemotePtr(c.NextIP));
}

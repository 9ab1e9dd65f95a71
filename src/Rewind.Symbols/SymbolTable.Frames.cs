using Rewind.Symbols.Dwarf;
using Rewind.Symbols.Unwinding;

namespace Rewind.Symbols;

public sealed partial class SymbolTable
{
    /// <summary>
    /// The canonical frame address of the innermost frame from its registers alone (the CFI
    /// rule's register plus offset): it tells activations of a function apart where no memory is
    /// at hand, e.g. hits met while a copy of the replay runs. Null without CFI, or when the rule
    /// is a DWARF expression.
    /// </summary>
    public ulong? FrameAddress(FrameRegisters registers)
    {
        if (registers.Pc is not { } pc || ModuleAt(new RemotePtr(pc)) is not { } module
            || module.UnwindRowAt(pc - module.LoadBias) is not { } row || row.Cfa.IsExpression)
        {
            return null;
        }
        return registers[row.Cfa.Register] is { } b ? b + (ulong)row.Cfa.Offset : null;
    }

    /// <summary>
    /// The backtrace from a thread's registers: machine frames found with CFI (or frame
    /// pointers), each expanded into its inlined calls, innermost first. Like gdb, it stops
    /// after main unless <paramref name="pastMain"/>.
    /// </summary>
    public IReadOnlyList<StackFrame> Unwind(FrameRegisters registers, IMemoryReader memory, int maxFrames = 256, bool pastMain = false)
    {
        var frames = new List<StackFrame>();
        PhysicalFrame? callee = null;
        foreach (var phys in Unwinder.Walk(registers, memory, a => ModuleAt(new RemotePtr(a)), maxFrames))
        {
            if (callee is not null)
                AddTailCallFrames(frames, callee, phys);
            callee = phys;
            if (phys.IsSignalTrampoline)
            {
                frames.Add(new StackFrame(frames.Count, phys, "<signal handler called>", null, null, false, null, [], 0));
                continue;
            }
            string outermost = AddFrames(frames, phys);
            if (!pastMain && outermost == "main")
                break;
            if (frames.Count >= maxFrames)
                break;
        }
        return frames;
    }

    private void AddTailCallFrames(List<StackFrame> frames, PhysicalFrame callee, PhysicalFrame phys)
    {
        int count = frames.Count;
        try
        {
            var inner = callee;
            foreach (var (tailModule, site, function) in TailCalls(callee, phys))
            {
                var regs = phys.Registers.Clone();
                regs.Pc = (Module.ReturnPc(site) ?? 0) + tailModule.LoadBias;
                var tail = new PhysicalFrame(regs, null, tailModule, false, false) { Caller = phys };
                // Entry values of the callee come from the tail call's parameters.
                inner.Caller = tail;
                inner = tail;
                AddTailCallFrame(frames, tail, tailModule, function, regs.Pc.Value - 1);
            }
        }
        catch (Exception e) when (e is DebugInfoException or InvalidDataException)
        {
            // Bad DWARF around a tail call: show the machine frames only.
            frames.RemoveRange(count, frames.Count - count);
        }
    }

    /// <summary>Adds a machine frame (expanded into its inlined calls); returns the outermost function's name.</summary>
    private static string AddFrames(List<StackFrame> frames, PhysicalFrame phys)
    {
        ulong pc = phys.Registers.Pc ?? 0;
        ulong lookup = phys.PcIsExact ? pc : pc - 1;
        var module = phys.Module;
        if (module is not null)
        {
            int count = frames.Count;
            try
            {
                if (module.SubprogramAt(lookup - module.LoadBias) is { } sub)
                {
                    AddInlineFrames(frames, phys, module, sub, lookup);
                    return frames[^1].FunctionName;
                }
            }
            catch (Exception e) when (e is DebugInfoException or InvalidDataException)
            {
                // The module's DWARF is bad here: show the frame from its ELF symbols.
                module.NoteError($"bad debug information at 0x{lookup:x}: {e.Message}");
                frames.RemoveRange(count, frames.Count - count);
            }
        }
        string name = module?.SymbolAt(new RemotePtr(lookup), functionsOnly: true)?.Name ?? "??";
        Function? function = null;
        try
        {
            function = module?.FunctionAt(new RemotePtr(lookup));
        }
        catch (DebugInfoException)
        {
            // Keep the symbol's name without a Function.
        }
        frames.Add(new StackFrame(frames.Count, phys, name, function, null, false, null, [], lookup - (module?.LoadBias ?? 0)));
        return name;
    }


    /// <summary>
    /// A function left by a tail call: gdb shows one frame named after the innermost function
    /// (inlined or not) at the call site, without expanding its inlined callers.
    /// </summary>
    private static void AddTailCallFrame(List<StackFrame> frames, PhysicalFrame phys, Module module, Die sub, ulong lookup)
    {
        ulong a = lookup - module.LoadBias;
        var chain = module.ScopesAt(sub, a);
        var scope = chain.LastOrDefault(d => d.Tag == DwTag.InlinedSubroutine) ?? sub;
        var blocks = chain.SkipWhile(d => !ReferenceEquals(d, scope)).Skip(1).ToList();
        string name = scope.Unit.FunctionName(scope) ?? "??";
        frames.Add(new StackFrame(frames.Count, phys, name, null, module.LineFor(new RemotePtr(lookup)), false, scope, blocks, a));
    }

    private static void AddInlineFrames(List<StackFrame> frames, PhysicalFrame phys, Module module, Die sub, ulong lookup)
    {
        ulong a = lookup - module.LoadBias;
        var chain = module.ScopesAt(sub, a);
        // Split the chain into levels: the subprogram, then one level per inlined call.
        var levels = new List<(Die Scope, List<Die> Blocks)> { (sub, []) };
        foreach (var die in chain.Skip(1))
        {
            if (die.Tag == DwTag.InlinedSubroutine)
                levels.Add((die, []));
            else
                levels[^1].Blocks.Add(die);
        }
        var line = module.LineFor(new RemotePtr(lookup));
        var function = module.FunctionAt(new RemotePtr(lookup));
        for (int i = levels.Count - 1; i >= 0; i--)
        {
            var (scope, blocks) = levels[i];
            string name = scope.Unit.FunctionName(scope) ?? "??";
            SourceLine? shown = line;
            if (i < levels.Count - 1)
            {
                var call = levels[i + 1].Scope;
                var u = call.Unit;
                string? file = u.Unsigned(call, DwAt.CallFile) is { } f ? module.FileName(u, f) : null;
                int callLine = (int)(u.Unsigned(call, DwAt.CallLine) ?? 0);
                shown = file is null ? null : new SourceLine(file, callLine, (int)(u.Unsigned(call, DwAt.CallColumn) ?? 0), true, new RemotePtr(lookup));
            }
            frames.Add(new StackFrame(frames.Count, phys, name, i == 0 ? function : null, shown, i > 0, scope, blocks, a));
        }
    }
}

using Iced.Intel;
using Rewind.Dap.Session;
using Rewind.Symbols;
using Rewind.Symbols.Dotnet;
using Rewind.Timeline;
using StopReason = Rewind.Timeline.StopReason;
using Rewind.Trace;

namespace Rewind.Dap.Engine;

internal sealed partial class TimelineSession
{
    // Handles to scopes and expandable values, valid until the next motion: each gives the values
    // from a start, so many (0: all of them).
    private readonly Dictionary<long, Func<int, int, IReadOnlyList<ValueInfo>>> _containers = [];
    private readonly Dictionary<long, IReadOnlyList<Variable>> _variableLists = [];
    private readonly Dictionary<Tid, IReadOnlyList<StackFrame>> _frames = [];
    private long _nextHandle = 1;

    private void ForgetHandles()
    {
        _containers.Clear();
        _variableLists.Clear();
        _frames.Clear();
        ForgetRuntime();
    }

    /// <summary>The present thread's call stack.</summary>
    private IReadOnlyList<StackFrame> Frames() => Frames(_timeline.Thread);

    /// <summary>A thread's call stack at the present, unwound once per stop.</summary>
    private IReadOnlyList<StackFrame> Frames(Tid thread)
    {
        if (!_frames.TryGetValue(thread, out var frames))
        {
            frames = _symbols.Unwind(FrameRegistersOf(_timeline.RegistersOf(thread)), _timeline.Memory);
            _frames[thread] = frames;
        }
        return frames;
    }

    /// <summary>ptrace's registers as the unwinder's register file (DWARF numbering).</summary>
    private static FrameRegisters FrameRegistersOf(Registers regs) => FrameRegisters.Of(regs);

    public StackInfo GetStack(Tid thread, int startFrame, int count) => _engine.Invoke(() =>
    {
        var frames = Stack(thread);
        var slice = frames.Skip(startFrame).Take(count > 0 ? count : int.MaxValue)
            .Select(f => new FrameInfo(f.Function, new RemotePtr(f.Pc), Location(f.Line), f.Module is { } m ? Path.GetFileName(m) : null))
            .ToList();
        return new StackInfo(slice, frames.Count);
    });

    private static SourceLocation? Location(SourceLine? line) => line is null ? null : new SourceLocation(line.File, line.Line, Math.Max(1, line.Column));

    private MixedFrame FrameAt(FrameRef frame)
    {
        var frames = Stack(frame.Thread);
        return frame.Depth >= 0 && frame.Depth < frames.Count ? frames[frame.Depth] : throw new RewindException($"there is no frame {frame.Depth} here");
    }

    /// <summary>A frame of native code, whose variables DWARF describes.</summary>
    private StackFrame NativeFrameAt(FrameRef frame) => FrameAt(frame).Native
        ?? throw new RewindException($"frame {frame.Depth} is .NET code ({FrameAt(frame).Function}): C expressions are evaluated in native frames");

    public IReadOnlyList<ScopeInfo> GetScopes(FrameRef frame) => _engine.Invoke(() =>
    {
        if (FrameAt(frame).IsManaged)
        {
            return ManagedScopes(frame);
        }
        var f = NativeFrameAt(frame);
        var scopes = _symbols.Scopes(f, _timeline.Memory);
        var result = new List<ScopeInfo>
        {
            new("Arguments", ScopeKind.Arguments, Container(scopes.Parameters), NamedVariables: scopes.Parameters.Count),
            new("Locals", ScopeKind.Locals, Container(scopes.Locals), NamedVariables: scopes.Locals.Count),
        };
        if (frame.Depth == 0)
        {
            result.Add(new ScopeInfo("Registers", ScopeKind.Registers, Container(() => RegisterValues(frame.Thread))));
        }
        result.Add(new ScopeInfo("Globals", ScopeKind.Globals, Container(scopes.Globals), Expensive: true, NamedVariables: scopes.Globals.Count));
        return (IReadOnlyList<ScopeInfo>)result;
    });

    private VariablesRef Container(IReadOnlyList<Variable> variables)
    {
        var container = Container(() => variables.Select(ValueOf).ToList());
        _variableLists[container.Value] = variables;
        return container;
    }

    private VariablesRef Container(Func<IReadOnlyList<ValueInfo>> values) =>
        Container((start, count) => values().Skip(start).Take(count > 0 ? count : int.MaxValue).ToList());

    /// <summary>A container that reads only the values asked for (a large array's elements, paged by VS Code).</summary>
    private VariablesRef Container(Func<int, int, IReadOnlyList<ValueInfo>> page)
    {
        long handle = _nextHandle++;
        _containers[handle] = page;
        return new VariablesRef(handle);
    }

    private ValueInfo ValueOf(Variable v) => new(
        v.Name,
        v.Value,
        v.TypeName,
        v.HasChildren ? Container(v.Children) : null,
        v.Address,
        v.Name,
        NamedChildren: v.HasChildren && v.Type.Resolved.Kind is not Symbols.TypeKind.Array ? v.Children.Count : null,
        IndexedChildren: v.HasChildren && v.Type.Resolved.Kind is Symbols.TypeKind.Array ? v.Children.Count : null);

    private IReadOnlyList<ValueInfo> RegisterValues(Tid thread)
    {
        var r = _timeline.RegistersOf(thread);
        (string, ulong)[] values =
        [
            ("rip", r.Rip), ("rsp", r.Rsp), ("rbp", r.Rbp), ("rax", r.Rax), ("rbx", r.Rbx), ("rcx", r.Rcx), ("rdx", r.Rdx),
            ("rsi", r.Rsi), ("rdi", r.Rdi), ("r8", r.R8), ("r9", r.R9), ("r10", r.R10), ("r11", r.R11), ("r12", r.R12),
            ("r13", r.R13), ("r14", r.R14), ("r15", r.R15), ("eflags", r.Eflags), ("fs_base", r.FsBase), ("gs_base", r.GsBase),
        ];
        return values.Select(v => new ValueInfo(v.Item1, $"0x{v.Item2:x16}", "uint64_t", EvaluateName: "$" + v.Item1)).ToList();
    }

    public IReadOnlyList<ValueInfo> GetVariables(VariablesRef container, int start, int count) => _engine.Invoke(() =>
    {
        if (!_containers.TryGetValue(container.Value, out var values))
        {
            throw new RewindException("those variables are from an earlier stop; they are gone");
        }
        return values(start, count);
    });

    public ValueInfo Evaluate(string expression, FrameRef? frame, EvaluationContext context) => _engine.Invoke(() =>
    {
        if (frame is { } at && FrameAt(at).IsManaged)
        {
            return ManagedValue(at, expression);
        }
        var result = Evaluator(frame).Evaluate(expression);
        return result.Variable is { } v ? ValueOf(v) with { Name = expression, EvaluateName = expression } : new ValueInfo(expression, result.Text, result.Type);
    });

    /// <summary>An evaluator of expressions in a frame (the present thread's innermost when null) at the present.</summary>
    private ExpressionEvaluator Evaluator(FrameRef? frame)
    {
        var at = frame ?? new FrameRef(_timeline.Thread, 0);
        // Without a frame (a breakpoint's condition or logpoint): the innermost native one, which needs no runtime opened.
        var native = frame is { } f ? NativeFrameAt(f)
            : Frames(at.Thread) is { Count: > 0 } frames ? frames[0] : throw new RewindException("there is no frame 0 here");
        return Evaluator(native, _timeline.RegistersOf(at.Thread), _timeline.Memory);
    }

    /// <summary>
    /// An evaluator in a frame over some memory (the present's, or a past hit's while scanning):
    /// names are its locals and parameters, then globals.
    /// </summary>
    private ExpressionEvaluator Evaluator(StackFrame frame, Registers registers, IMemoryReader memory)
    {
        var scopes = _symbols.Scopes(frame, memory);
        return new ExpressionEvaluator(
            name => scopes.Locals.FirstOrDefault(v => v.Name == name) ?? scopes.Parameters.FirstOrDefault(v => v.Name == name)
                ?? scopes.Globals.FirstOrDefault(v => v.Name == name),
            registers,
            (name, type, address) => _symbols.ValueAt(frame, memory, name, type, address));
    }

    public SignalInfo? GetSignal(Tid thread) => _engine.Invoke(() =>
    {
        var stop = _timeline.Stop;
        if (stop.Signal == 0)
        {
            return null;
        }
        var e = _trace.Events(stop.Position.Event).Select(x => x.Event).FirstOrDefault() as SignalEvent;
        RemotePtr? fault = e is { Synchronous: true } ? new RemotePtr(BitConverter.ToUInt64(e.SigInfo, 16)) : null;
        string where = fault is { } a ? $" at address {a}" : "";
        return new SignalInfo(Linux.Signal.Name(stop.Signal), $"{Linux.Signal.Description(stop.Signal)}{where}", fault,
            stop.Reason == StopReason.EndOfTrace ? "the recorded run ended with this signal" : null);
    });

    public int ReadMemory(RemotePtr address, Span<byte> buffer)
    {
        var bytes = new byte[buffer.Length];
        int n = _engine.Invoke(() => _timeline.ReadMemory(address, bytes));
        bytes.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    public IReadOnlyList<DisassembledLine> Disassemble(RemotePtr address, int instructionOffset, int count) => _engine.Invoke(() =>
    {
        // Instructions before an address cannot be decoded backward: start at its function (or
        // well before it) and decode forward to find where it falls.
        ulong from = _symbols.FunctionAt(address)?.Start.Value is { } s && s <= address.Value && address.Value - s < 1 << 16
            ? s : address.Value - (ulong)Math.Max(0, -instructionOffset) * 15;
        var code = new byte[(int)(address.Value - from) + Math.Max(1, count + Math.Max(0, instructionOffset)) * 15 + 16];
        int n = _timeline.ReadMemory(new RemotePtr(from), code);
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code, 0, n), from);
        var all = new List<Instruction>();
        while (decoder.IP < from + (ulong)n)
        {
            all.Add(decoder.Decode());
        }
        int at = Math.Max(0, all.FindIndex(i => i.IP >= address.Value));
        var formatter = new IntelFormatter();
        var output = new StringOutput();
        var lines = new List<DisassembledLine>();
        for (int k = at + instructionOffset; k < at + instructionOffset + count; k++)
        {
            if (k < 0 || k >= all.Count)
            {
                lines.Add(new DisassembledLine(new RemotePtr(k < 0 ? from : from + (ulong)n), [], "??"));
                continue;
            }
            var i = all[k];
            formatter.Format(i, output);
            var ip = new RemotePtr(i.IP);
            lines.Add(new DisassembledLine(ip, code.AsSpan((int)(i.IP - from), i.Length).ToArray(), output.ToStringAndReset(),
                _symbols.SymbolicName(ip), Location(_symbols.LineFor(ip))));
        }
        return (IReadOnlyList<DisassembledLine>)lines;
    });
}

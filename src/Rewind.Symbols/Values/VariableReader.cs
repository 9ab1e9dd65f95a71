using System.Buffers.Binary;
using Rewind.Symbols.Dwarf;
using Rewind.Symbols.Expressions;
using Rewind.Symbols.Unwinding;

namespace Rewind.Symbols.Values;

/// <summary>Reads the variables of one frame: locations, then bytes, then gdb-style text.</summary>
internal sealed partial class VariableReader
{
    private const int MaxChildren = 10_000;
    private const int MaxCopiedBytes = 1 << 16;

    private readonly Module _module;
    private readonly PhysicalFrame _frame;
    private readonly IMemoryReader _memory;
    private readonly FormatContext _format;
    private readonly FrameContext _context;
    private readonly ulong _pc;

    public VariableReader(Module module, PhysicalFrame frame, ulong lookupPc, Die? subprogram, IMemoryReader memory, Func<ulong, string?> symbolAt)
    {
        _module = module;
        _frame = frame;
        _memory = memory;
        _pc = lookupPc;
        _format = new FormatContext(memory, symbolAt);
        _context = ContextFor(module, frame, subprogram, memory, depth: 0);
    }

    private FrameContext ContextFor(Module module, PhysicalFrame frame, Die? subprogram, IMemoryReader memory, int depth)
    {
        ulong lookup = (frame.Registers.Pc ?? 0) - (frame.PcIsExact ? 0UL : 1UL) - module.LoadBias;
        FrameContext? self = null;
        self = new FrameContext(frame.Registers, memory, module.LoadBias)
        {
            Cfa = frame.Cfa,
            AddressIndex = subprogram is null ? null : subprogram.Unit.AddressAtIndex,
            FrameBaseProvider = () => subprogram is null ? null : FrameBase(subprogram, lookup, self!),
            EntryValues = depth > 2 ? null : expr => EntryValue(frame, expr, depth),
        };
        return self;
    }

    private static ulong? FrameBase(Die subprogram, ulong pc, FrameContext context)
    {
        if (subprogram.Find(DwAt.FrameBase) is not { } fb)
            return null;
        var expr = Expression(subprogram.Unit, fb, pc);
        return expr is null ? null : DwarfExpression.Compute(expr.Value.Span, context);
    }


    /// <summary>The location expression of an attribute at a pc: an exprloc, or the matching location-list entry.</summary>
    internal static ReadOnlyMemory<byte>? Expression(DwarfUnit unit, AttributeValue a, ulong pc)
    {
        if (a.IsBlock)
            return unit.Block(a);
        if (a.Form is DwForm.SecOffset or DwForm.Loclistx || a.IsSectionOffset(unit.Version))
            return unit.LocationListEntry(a, pc);
        return null;
    }

    /// <summary>One variable; a malformed location or type shows as &lt;error: ...&gt; on that variable alone.</summary>
    public Variable Read(Die die)
    {
        var unit = die.Unit;
        string name = unit.InheritedName(die) ?? "?";
        var type = _module.Types.Read(unit.InheritedReference(die, DwAt.Type));
        ValueData data;
        try
        {
            data = Locate(die, type);
        }
        catch (InvalidDataException e)
        {
            _module.NoteError($"bad location of {name}: {e.Message}");
            return new Variable(name, type, $"<error: {e.Message}>", null, false, null);
        }
        var v = Make(name, type, data);
        return die.Find(DwAt.Location) is null && data.Bytes is not null
            ? new Variable(v.Name, v.Type, v.Value, null, false, v.HasChildren ? () => v.Children : null) { IsConstant = true, IsConstantBlock = unit.Inherited(die, DwAt.ConstValue) is { } cv && (cv.Value.IsBlock || cv.Value.Form == DwForm.Data16) }
            : v;
    }

    private ValueData Locate(Die die, DebugType type)
    {
        var unit = die.Unit;
        ulong size = type.ByteSize;
        if (die.Find(DwAt.Location) is { } loc)
        {
            var expr = Expression(unit, loc, _pc);
            if (expr is null)
                return ValueData.OptimizedOut;
            var pieces = DwarfExpression.Locate(expr.Value.Span, _context, unit.AddressSize);
            return Materialize(pieces, size);
        }
        if (unit.Inherited(die, DwAt.ConstValue) is { } c)
        {
            var (owner, value) = c;
            if (value.IsBlock || value.Form == DwForm.Data16)
                return new ValueData(owner.Unit.Block(value).ToArray(), null);
            var bytes = new byte[Math.Max(size, 8)];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, value.Form == DwForm.Sdata ? value.Value : (ulong)(owner.Unit.Signed(owner, DwAt.ConstValue) ?? 0));
            return new ValueData(bytes, null);
        }
        return ValueData.OptimizedOut;
    }

    private ValueData Materialize(List<LocationPiece> pieces, ulong size)
    {
        if (pieces.Count == 1 && pieces[0].Kind == LocationKind.Memory)
        {
            ulong address = pieces[0].Value;
            if (size > MaxCopiedBytes)
                return new ValueData(null, address);
            var bytes = new byte[size];
            if (_memory.Read(new RemotePtr(address), bytes) != bytes.Length)
                return new ValueData(null, address, $"Cannot access memory at address 0x{address:x}");
            return new ValueData(bytes, address);
        }
        if (pieces.Count == 1 && pieces[0].Kind == LocationKind.ImplicitPointer)
            return ValueData.SyntheticPointer;
        var result = new List<byte>();
        var unavailable = new List<bool>();
        Span<byte> word = stackalloc byte[8];
        foreach (var p in pieces)
        {
            int pieceSize = p.Size > 0 ? p.Size : (int)Math.Min(size, MaxCopiedBytes);
            var chunk = new byte[pieceSize];
            switch (p.Kind)
            {
                case LocationKind.None or LocationKind.ImplicitPointer:
                    if (pieces.Count == 1)
                        return ValueData.OptimizedOut;
                    result.AddRange(chunk);
                    unavailable.AddRange(Enumerable.Repeat(true, chunk.Length));
                    continue;
                case LocationKind.Memory:
                    if (_memory.Read(new RemotePtr(p.Value), chunk) != chunk.Length)
                        return new ValueData(null, null, $"Cannot access memory at address 0x{p.Value:x}");
                    break;
                case LocationKind.Register:
                    if (_frame.Registers[(int)Math.Min(p.Value, int.MaxValue)] is not { } reg)
                        return ValueData.OptimizedOut;
                    BinaryPrimitives.WriteUInt64LittleEndian(word, reg);
                    word[..Math.Min(8, pieceSize)].CopyTo(chunk);
                    break;
                case LocationKind.Value:
                    BinaryPrimitives.WriteUInt64LittleEndian(word, p.Value);
                    word[..Math.Min(8, pieceSize)].CopyTo(chunk);
                    break;
                case LocationKind.Bytes:
                    p.Bytes.Span[..Math.Min(p.Bytes.Length, pieceSize)].CopyTo(chunk);
                    break;
            }
            result.AddRange(chunk);
            unavailable.AddRange(Enumerable.Repeat(false, chunk.Length));
        }
        if (unavailable.All(u => u))
            return ValueData.OptimizedOut;
        // Bytes no piece describes read as zeros, as gdb's pieced values do (only empty pieces are optimized out).
        while (result.Count < (int)Math.Min(size, MaxCopiedBytes))
        {
            result.Add(0);
            unavailable.Add(false);
        }
        return new ValueData([.. result], null, null, unavailable.Contains(true) ? [.. unavailable] : null);
    }

    /// <summary>A value of a type read from an address (an element through a pointer, pointer arithmetic).</summary>
    public Variable At(string name, DebugType type, ulong address)
    {
        var bytes = new byte[Math.Min(type.ByteSize, MaxCopiedBytes)];
        var data = _memory.Read(new RemotePtr(address), bytes) == bytes.Length
            ? new ValueData(bytes, address)
            : new ValueData(null, address, $"Cannot access memory at address 0x{address:x}");
        return Make(name, type, data);
    }

    private Variable Make(string name, DebugType type, ValueData data, string? text = null)
    {
        text ??= ValueFormatter.Format(type, data, _format);
        var t = type.Resolved;
        Func<IReadOnlyList<Variable>>? children = null;
        if (!data.IsOptimizedOut && data.Error is null)
        {
            if (t.Kind is TypeKind.Struct or TypeKind.Union or TypeKind.Class && t.Members.Count > 0)
                children = () => t.Members.Take(MaxChildren).Select(m =>
                    Make(m.Name ?? "<anonymous>", m.Type, data.Slice(m.ByteOffset), m.BitSize > 0 ? ValueFormatter.FormatMember(m, data, _format, 0) : null)).ToList();
            else if (t.Kind == TypeKind.Array && t.Dimensions.Count > 0 && t.Dimensions[0] > 0)
                children = () => ArrayElements(t, data);
            else if (t.Kind == TypeKind.Pointer && (t.Target ?? DebugType.Void).Resolved.Kind is not (TypeKind.Void or TypeKind.Function)
                && data.TryRead(0, stackalloc byte[8], _memory))
                children = () => [Deref(name, t, data)];
        }
        return new Variable(name, type, text, data.Address is { } a ? new RemotePtr(a) : null, data.IsOptimizedOut, children);
    }

    private Variable Deref(string name, DebugType pointer, ValueData data)
    {
        Span<byte> raw = stackalloc byte[8];
        data.TryRead(0, raw, _memory);
        ulong target = BinaryPrimitives.ReadUInt64LittleEndian(raw);
        var targetType = pointer.Target ?? DebugType.Void;
        ulong size = Math.Min(targetType.ByteSize, MaxCopiedBytes);
        var bytes = new byte[size];
        var value = _memory.Read(new RemotePtr(target), bytes) == bytes.Length
            ? new ValueData(bytes, target)
            : new ValueData(null, target, $"Cannot access memory at address 0x{target:x}");
        return Make("*" + name, targetType, value);
    }

    private List<Variable> ArrayElements(DebugType t, ValueData data)
    {
        var element = t.Target ?? DebugType.Void;
        if (t.Dimensions.Count > 1)
            element = new DebugType(TypeKind.Array) { Target = t.Target, Dimensions = t.Dimensions.Skip(1).ToList() };
        ulong size = element.ByteSize;
        var list = new List<Variable>();
        for (long i = 0; i < Math.Min(t.Dimensions[0], MaxChildren); i++)
            list.Add(Make($"[{i}]", element, data.Slice((ulong)i * size)));
        return list;
    }
}

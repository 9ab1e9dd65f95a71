namespace Rewind.Symbols.Dwarf;

/// <summary>
/// Builds <see cref="DebugType"/>s from type DIEs, one per DIE. A type is cached before its
/// parts are read, so self-referencing and hostile circular types end instead of recursing.
/// </summary>
internal sealed class TypeReader
{
    private const int MaxMembers = 100_000;
    private readonly Dictionary<ulong, DebugType> _cache = [];
    private int _depth;

    public DebugType Read(Die? die)
    {
        if (die is null)
            return DebugType.Void;
        // A stub that names a type unit (-fdebug-types-section): read the definition there.
        for (int i = 0; i < 4 && die.Unit.Reference(die, DwAt.Signature) is { } definition; i++)
            die = definition;
        lock (_cache)
        {
            if (_cache.TryGetValue(die.Offset, out var cached))
                return cached;
            if (_depth > 256)
                return new DebugType(TypeKind.Unknown) { Name = "<type nested too deeply>" };
            _depth++;
            try
            {
                return Build(die);
            }
            finally
            {
                _depth--;
            }
        }
    }

    private DebugType Build(Die die)
    {
        var u = die.Unit;
        var kind = die.Tag switch
        {
            DwTag.BaseType => TypeKind.Base,
            DwTag.PointerType => TypeKind.Pointer,
            DwTag.ReferenceType or DwTag.RvalueReferenceType => TypeKind.Reference,
            DwTag.StructureType => TypeKind.Struct,
            DwTag.UnionType => TypeKind.Union,
            DwTag.ClassType => TypeKind.Class,
            DwTag.ArrayType => TypeKind.Array,
            DwTag.EnumerationType => TypeKind.Enum,
            DwTag.Typedef => TypeKind.Typedef,
            DwTag.ConstType => TypeKind.Const,
            DwTag.VolatileType => TypeKind.Volatile,
            DwTag.RestrictType => TypeKind.Restrict,
            DwTag.AtomicType => TypeKind.Atomic,
            DwTag.SubroutineType or DwTag.Subprogram => TypeKind.Function,
            DwTag.UnspecifiedType => TypeKind.Void,
            _ => TypeKind.Unknown,
        };
        var t = new DebugType(kind)
        {
            Name = die.Name,
            DeclaredSize = u.Unsigned(die, DwAt.ByteSize) ?? 0,
            Encoding = (int)(u.Unsigned(die, DwAt.Encoding) ?? 0),
        };
        _cache[die.Offset] = t;
        var targetDie = u.Reference(die, DwAt.Type);
        t.Target = targetDie is null ? (kind == TypeKind.Enum ? null : DebugType.Void) : Read(targetDie);
        switch (kind)
        {
            case TypeKind.Struct or TypeKind.Union or TypeKind.Class:
                t.Members = ReadMembers(die);
                break;
            case TypeKind.Array:
                var dims = new List<long>();
                foreach (var c in die.Children)
                {
                    if (c.Tag != DwTag.SubrangeType)
                        continue;
                    long? count = c.Unit.Signed(c, DwAt.Count);
                    if (count is null && c.Unit.Signed(c, DwAt.UpperBound) is { } upper && c.Find(DwAt.UpperBound) is { IsBlock: false, IsReference: false })
                        count = upper - (c.Unit.Signed(c, DwAt.LowerBound) ?? 0) + 1;
                    dims.Add(count is { } n && n >= 0 ? n : -1);
                }
                t.Dimensions = dims.Count > 0 ? dims : [-1];
                break;
            case TypeKind.Enum:
                var values = new List<(string, long)>();
                bool unsigned = t.Target?.Resolved is { } under && !under.IsSigned && under.Kind == TypeKind.Base;
                foreach (var c in die.Children)
                    if (c.Tag == DwTag.Enumerator && values.Count < MaxMembers)
                    {
                        long v = c.Unit.Signed(c, DwAt.ConstValue) ?? 0;
                        if (unsigned && c.Find(DwAt.ConstValue) is { } cv && !cv.IsSigned)
                            v = (long)cv.Value;
                        values.Add((c.Name ?? "?", v));
                    }
                t.Enumerators = values;
                break;
            case TypeKind.Function:
                var ps = new List<DebugType>();
                foreach (var c in die.Children)
                {
                    if (c.Tag == DwTag.FormalParameter && ps.Count < MaxMembers)
                        ps.Add(Read(c.Unit.Reference(c, DwAt.Type)));
                    else if (c.Tag == DwTag.UnspecifiedParameters)
                        t.IsVariadic = true;
                }
                t.Parameters = ps;
                break;
        }
        return t;
    }

    private List<TypeMember> ReadMembers(Die die)
    {
        var members = new List<TypeMember>();
        foreach (var c in die.Children)
        {
            if (c.Tag != DwTag.Member || members.Count >= MaxMembers)
                continue;
            var u = c.Unit;
            var type = Read(u.Reference(c, DwAt.Type));
            ulong byteOffset = 0;
            if (c.Find(DwAt.DataMemberLocation) is { } loc)
            {
                if (loc.IsBlock)
                {
                    // DWARF 2 style: DW_OP_plus_uconst N.
                    var block = u.Block(loc).Span;
                    if (block.Length > 1 && block[0] == 0x23)
                    {
                        var r = new SpanReader(block, 1);
                        byteOffset = r.Uleb();
                    }
                }
                else
                {
                    byteOffset = loc.Value;
                }
            }
            int bitSize = (int)Math.Min(u.Unsigned(c, DwAt.BitSize) ?? 0, 64);
            ulong bitOffset = 0;
            if (bitSize > 0)
            {
                if (u.Unsigned(c, DwAt.DataBitOffset) is { } dbo)
                {
                    bitOffset = dbo;
                }
                else if (u.Unsigned(c, DwAt.BitOffset) is { } bo)
                {
                    // DWARF 2/3: bit offset from the most significant bit of the storage unit.
                    ulong storage = u.Unsigned(c, DwAt.ByteSize) ?? type.ByteSize;
                    bitOffset = byteOffset * 8 + storage * 8 - bo - (ulong)bitSize;
                }
                else
                {
                    bitOffset = byteOffset * 8;
                }
            }
            members.Add(new TypeMember(c.Name, type, bitSize > 0 ? bitOffset / 8 : byteOffset, bitSize, bitOffset));
        }
        return members;
    }
}

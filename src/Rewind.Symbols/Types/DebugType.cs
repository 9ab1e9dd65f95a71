namespace Rewind.Symbols;

/// <summary>
/// A C type read from DWARF. Types can be recursive (a list node points to itself), so every
/// walk over them is capped in depth.
/// </summary>
public sealed partial class DebugType
{
    internal const int MaxDepth = 64;

    public static readonly DebugType Void = new(TypeKind.Void) { Name = "void" };

    internal DebugType(TypeKind kind) => Kind = kind;

    public TypeKind Kind { get; }

    /// <summary>The type's own name (tag name for structs), null when anonymous.</summary>
    public string? Name { get; internal set; }

    /// <summary>Size in bytes as DWARF states it (0 when unknown); see <see cref="ByteSize"/>.</summary>
    public ulong DeclaredSize { get; internal set; }

    /// <summary>The pointee, element, aliased, qualified, underlying or return type.</summary>
    public DebugType? Target { get; internal set; }

    /// <summary>DW_ATE_* encoding of a base type.</summary>
    public int Encoding { get; internal set; }

    public IReadOnlyList<TypeMember> Members { get; internal set; } = [];

    public IReadOnlyList<(string Name, long Value)> Enumerators { get; internal set; } = [];

    /// <summary>Element counts of an array, outermost first; -1 where unknown (flexible arrays).</summary>
    public IReadOnlyList<long> Dimensions { get; internal set; } = [];

    /// <summary>Parameter types of a function type.</summary>
    public IReadOnlyList<DebugType> Parameters { get; internal set; } = [];

    public bool IsVariadic { get; internal set; }

    public bool IsSigned => Encoding is DwarfEncoding.Signed or DwarfEncoding.SignedChar
        || (Kind == TypeKind.Enum && (Target?.Resolved.IsSigned ?? Enumerators.Any(e => e.Value < 0)));

    /// <summary>This type without typedefs and qualifiers.</summary>
    public DebugType Resolved
    {
        get
        {
            var t = this;
            for (int i = 0; i < MaxDepth && t.Kind is TypeKind.Typedef or TypeKind.Const or TypeKind.Volatile or TypeKind.Restrict or TypeKind.Atomic; i++)
                t = t.Target ?? Void;
            return t;
        }
    }

    /// <summary>The size in bytes (arrays: element size times counts; pointers: 8).</summary>
    public ulong ByteSize => SizeOf(this, 0);

    private static ulong SizeOf(DebugType t, int depth)
    {
        if (depth > MaxDepth)
            return 0;
        if (t.DeclaredSize != 0)
            return t.DeclaredSize;
        return t.Kind switch
        {
            TypeKind.Pointer or TypeKind.Reference => 8,
            TypeKind.Typedef or TypeKind.Const or TypeKind.Volatile or TypeKind.Restrict or TypeKind.Atomic or TypeKind.Enum
                => t.Target is null ? (t.Kind == TypeKind.Enum ? 4UL : 0) : SizeOf(t.Target, depth + 1),
            TypeKind.Array => t.Target is null ? 0 : SizeOf(t.Target, depth + 1) * (ulong)t.Dimensions.Aggregate(1L, (a, d) => a * Math.Max(d, 0)),
            _ => 0,
        };
    }

    public override string ToString() => DisplayName;
}

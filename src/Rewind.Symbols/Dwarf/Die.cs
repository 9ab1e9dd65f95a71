namespace Rewind.Symbols.Dwarf;

/// <summary>A debugging information entry, with its decoded attributes and its children.</summary>
internal sealed class Die(DwarfUnit unit, ulong offset, ushort tag, AttributeValue[] attributes, Die? parent)
{
    private static readonly List<Die> NoChildren = [];

    public DwarfUnit Unit { get; } = unit;

    /// <summary>Offset in .debug_info.</summary>
    public ulong Offset { get; } = offset;

    public ushort Tag { get; } = tag;

    public AttributeValue[] Attributes { get; } = attributes;

    public Die? Parent { get; } = parent;

    public List<Die> Children { get; private set; } = NoChildren;

    internal void AddChild(Die child)
    {
        if (ReferenceEquals(Children, NoChildren))
            Children = [];
        Children.Add(child);
    }

    public bool Has(ushort name) => Find(name) is not null;

    public AttributeValue? Find(ushort name)
    {
        foreach (var a in Attributes)
            if (a.Name == name)
                return a;
        return null;
    }

    public string? Name => Unit.String(this, DwAt.Name);

    public override string ToString() => $"DIE 0x{Offset:x} tag 0x{Tag:x} {Name}";
}

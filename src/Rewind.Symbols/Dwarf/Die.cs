namespace Rewind.Symbols.Dwarf;

/// <summary>
/// A debugging information entry and its children. Attributes are decoded from .debug_info
/// on first use and then kept: most DIEs of a large program are never looked at.
/// </summary>
internal sealed class Die
{
    private static readonly List<Die> NoChildren = [];
    private readonly Abbreviation _abbrev;
    private AttributeValue[]? _attributes;

    public Die(DwarfUnit unit, ulong offset, Abbreviation abbrev, Die? parent, AttributeValue[]? attributes = null)
    {
        Unit = unit;
        Offset = offset;
        _abbrev = abbrev;
        Parent = parent;
        _attributes = attributes;
    }

    public DwarfUnit Unit { get; }

    /// <summary>Offset in .debug_info.</summary>
    public ulong Offset { get; }

    public ushort Tag => _abbrev.Tag;

    public AttributeValue[] Attributes => _attributes ??= Unit.ReadAttributes(Offset, _abbrev);

    public Die? Parent { get; }

    public List<Die> Children { get; private set; } = NoChildren;

    internal void AddChild(Die child)
    {
        if (ReferenceEquals(Children, NoChildren))
            Children = [];
        Children.Add(child);
    }

    public bool Has(ushort name)
    {
        foreach (var spec in _abbrev.Attributes)
            if (spec.Name == name)
                return true;
        return false;
    }

    public AttributeValue? Find(ushort name)
    {
        if (!Has(name))
            return null;
        foreach (var a in Attributes)
            if (a.Name == name)
                return a;
        return null;
    }

    public string? Name => Unit.String(this, DwAt.Name);

    public override string ToString() => $"DIE 0x{Offset:x} tag 0x{Tag:x} {Name}";
}

using System.Buffers.Binary;
using System.Text;

namespace Rewind.Symbols.Dwarf;

internal sealed partial class DwarfUnit
{
    private const int MaxOriginChain = 16;

    public string? String(Die die, ushort name)
    {
        var a = die.Find(name);
        return a is null ? null : String(a.Value);
    }

    public string? String(AttributeValue a)
    {
        var s = Info.Sections;
        switch (a.Form)
        {
            case DwForm.String:
                return Encoding.UTF8.GetString(s.Info.Span.Slice(a.DataOffset, a.DataLength));
            case DwForm.Strp:
                return SpanReader.CStringAt(s.Str.Span, a.Value);
            case DwForm.LineStrp:
                return SpanReader.CStringAt(s.LineStr.Span, a.Value);
            case DwForm.Strx or DwForm.Strx1 or DwForm.Strx2 or DwForm.Strx3 or DwForm.Strx4 or DwForm.GnuStrIndex:
                var r = new SpanReader(s.StrOffsets.Span);
                r.Seek(StrOffsetsBase + a.Value * (ulong)OffsetSize);
                return SpanReader.CStringAt(s.Str.Span, r.Sized(OffsetSize));
            default:
                return null;
        }
    }

    /// <summary>An address attribute (DW_FORM_addr or an index into .debug_addr).</summary>
    public ulong? Address(Die die, ushort name)
    {
        var a = die.Find(name);
        if (a is null)
            return null;
        return a.Value.Form switch
        {
            DwForm.Addr => a.Value.Value,
            DwForm.Addrx or DwForm.Addrx1 or DwForm.Addrx2 or DwForm.Addrx3 or DwForm.Addrx4 or DwForm.GnuAddrIndex
                => AddressAtIndex(a.Value.Value),
            _ => null,
        };
    }

    public ulong AddressAtIndex(ulong index)
    {
        var r = new SpanReader(Info.Sections.Addr.Span);
        r.Seek(AddrBase + index * (ulong)AddressSize);
        return r.Sized(AddressSize);
    }

    public ulong? Unsigned(Die die, ushort name)
    {
        var a = die.Find(name);
        if (a is null || a.Value.IsBlock || a.Value.Form == DwForm.String)
            return null;
        if (a.Value.Form == DwForm.Data16)
            return BinaryPrimitives.ReadUInt64LittleEndian(Info.Sections.Info.Span.Slice(a.Value.DataOffset, 8));
        return a.Value.Value;
    }

    /// <summary>A constant read as signed: sdata is signed, dataN forms are sign-extended from their size.</summary>
    public long? Signed(Die die, ushort name)
    {
        var a = die.Find(name);
        if (a is null || a.Value.IsBlock)
            return null;
        return a.Value.Form switch
        {
            DwForm.Data1 => (sbyte)a.Value.Value,
            DwForm.Data2 => (short)a.Value.Value,
            DwForm.Data4 => (int)a.Value.Value,
            _ => (long)a.Value.Value,
        };
    }

    public bool Flag(Die die, ushort name) => die.Find(name) is { } a && a.Value != 0;

    public ReadOnlyMemory<byte> Block(AttributeValue a) =>
        a.IsBlock || a.Form == DwForm.Data16 ? Info.Sections.Info.Slice(a.DataOffset, a.DataLength) : ReadOnlyMemory<byte>.Empty;

    /// <summary>The DIE a reference attribute points at, in this unit or another.</summary>
    public Die? Reference(Die die, ushort name)
    {
        var a = die.Find(name);
        if (a is null)
            return null;
        if (a.Value.Form == DwForm.RefSig8)
            return Info.TypeBySignature(a.Value.Value);
        return a.Value.IsReference ? Info.DieAt(a.Value.Value) : null;
    }

    /// <summary>
    /// An attribute of the DIE, or of the DIE it refines (DW_AT_abstract_origin,
    /// DW_AT_specification), as an inlined instance or an out-of-line definition inherits them.
    /// </summary>
    public (Die Owner, AttributeValue Value)? Inherited(Die die, ushort name)
    {
        var d = die;
        for (int i = 0; i < MaxOriginChain && d is not null; i++)
        {
            if (d.Find(name) is { } a)
                return (d, a);
            d = d.Unit.Reference(d, DwAt.AbstractOrigin) ?? d.Unit.Reference(d, DwAt.Specification);
        }
        return null;
    }

    public string? InheritedName(Die die) =>
        Inherited(die, DwAt.Name) is { } x ? x.Owner.Unit.String(x.Value) : null;

    /// <summary>
    /// The name gdb shows for a function: its linkage name where it has one (glibc's
    /// <c>__GI_raise</c>, an asm label), else its name.
    /// </summary>
    public string? FunctionName(Die die) =>
        Inherited(die, DwAt.LinkageName) is { } l ? l.Owner.Unit.String(l.Value) : InheritedName(die);

    public Die? InheritedReference(Die die, ushort name) =>
        Inherited(die, name) is { } x ? x.Owner.Unit.Reference(x.Owner, name) : null;
}

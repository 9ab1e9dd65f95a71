using Rewind.Symbols.Dwarf;
using Rewind.Symbols.Expressions;
using Rewind.Symbols.Unwinding;

namespace Rewind.Symbols.Values;

internal sealed partial class VariableReader
{
    /// <summary>
    /// DW_OP_entry_value(DW_OP_regN): the register's value at function entry, found the way gdb
    /// finds it: the caller's call site whose return address is our return address, and its
    /// DW_TAG_call_site_parameter for that register, evaluated in the caller's frame.
    /// </summary>
    private ulong? EntryValue(PhysicalFrame frame, ReadOnlyMemory<byte> expression, int depth)
    {
        var span = expression.Span;
        int register;
        if (span.Length == 1 && span[0] is >= 0x50 and <= 0x6f)
            register = span[0] - 0x50;
        else
            return null;
        if (frame.Caller is not { Module: { } module } caller || caller.Registers.Pc is not { } returnAddress || caller.IsSignalTrampoline)
            return null;
        ulong ra = returnAddress - module.LoadBias;
        var subprogram = module.SubprogramAt(ra - 1);
        if (subprogram is null || Module.CallSiteAt(subprogram, ra) is not { } site)
            return null;
        foreach (var p in site.Children)
        {
            if (p.Tag is not (DwTag.CallSiteParameter or DwTag.GnuCallSiteParameter))
                continue;
            if (p.Find(DwAt.Location) is not { IsBlock: true } loc)
                continue;
            var locBytes = p.Unit.Block(loc).Span;
            if (locBytes.Length != 1 || locBytes[0] != 0x50 + register)
                continue;
            var valueAttr = p.Find(DwAt.CallValue) ?? p.Find(DwAt.GnuCallSiteValue);
            if (valueAttr is not { IsBlock: true } v)
                return null;
            var callerContext = ContextFor(module, caller, subprogram, _memory, depth + 1);
            return DwarfExpression.Compute(p.Unit.Block(v).Span, callerContext);
        }
        return null;
    }
}

using Rewind.Symbols.Unwinding;

namespace Rewind.Symbols;

public sealed partial class Module
{
    private CallFrameTable? _ehFrame, _debugFrame;
    private bool _cfiTried;

    /// <summary>The CFI row for an unrelocated pc: .eh_frame first, then .debug_frame.</summary>
    internal UnwindRow? UnwindRowAt(ulong pc)
    {
        lock (_gate)
        {
            if (!_cfiTried)
            {
                _cfiTried = true;
                _ehFrame = TryTable(Elf, ".eh_frame", true);
                _debugFrame = TryTable(Elf, ".debug_frame", false)
                    ?? (DebugElf is not null && !ReferenceEquals(DebugElf, Elf) ? TryTable(DebugElf, ".debug_frame", false) : null);
            }
        }
        foreach (var table in new[] { _ehFrame, _debugFrame })
        {
            if (table?.Find(pc) is { } fde)
            {
                try
                {
                    return CallFrameTable.RowFor(fde, pc);
                }
                catch (InvalidDataException e)
                {
                    _debugInfoError ??= $"{Path}: bad call frame information: {e.Message}";
                }
            }
        }
        return null;
    }

    private CallFrameTable? TryTable(ElfFile elf, string name, bool isEh)
    {
        if (elf.FindSection(name) is not { } section || section.Type == ElfSection.SHT_NOBITS)
            return null;
        try
        {
            return new CallFrameTable(elf.SectionData(section), section.Address, isEh);
        }
        catch (Exception e) when (e is InvalidDataException or DebugInfoException)
        {
            _debugInfoError ??= $"{Path}: bad {name}: {e.Message}";
            return null;
        }
    }
}

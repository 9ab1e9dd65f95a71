namespace Rewind.Symbols;

/// <summary>One entry of an ELF program header table.</summary>
public sealed record ElfSegment(uint Type, uint Flags, ulong FileOffset, ulong VirtualAddress, ulong FileSize, ulong MemorySize, ulong Align)
{
    public const uint PT_LOAD = 1;
    public const uint PT_NOTE = 4;
    public const uint PF_X = 1;
}

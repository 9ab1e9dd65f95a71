namespace Rewind.Symbols.Unwinding;

/// <summary>An FDE: the CFI program of one address range [Start, End), unrelocated.</summary>
internal sealed record FrameDescriptionEntry(ulong Start, ulong End, CommonInformationEntry Cie, ReadOnlyMemory<byte> Instructions);

namespace Rewind.Symbols.Unwinding;

/// <summary>A CIE of .eh_frame or .debug_frame: what all its FDEs share.</summary>
internal sealed record CommonInformationEntry(
    ulong CodeAlignment, long DataAlignment, int ReturnAddressRegister, byte FdeEncoding, byte LsdaEncoding,
    bool HasAugmentationData, bool IsSignalFrame, int AddressSize, ReadOnlyMemory<byte> Instructions);

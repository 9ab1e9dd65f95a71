namespace Rewind.Symbols.Unwinding;

/// <summary>A machine frame found by the unwinder, before inlined calls are expanded.</summary>
internal sealed record PhysicalFrame(FrameRegisters Registers, ulong? Cfa, Module? Module, bool IsSignalTrampoline, bool PcIsExact)
{
    /// <summary>The frame that called this one, once the unwinder has found it (for entry values).</summary>
    public PhysicalFrame? Caller { get; set; }
}

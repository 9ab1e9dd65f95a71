namespace Rewind.Symbols.Unwinding;

/// <summary>A machine frame found by the unwinder, before inlined calls are expanded.</summary>
internal sealed record PhysicalFrame(FrameRegisters Registers, ulong? Cfa, Module? Module, bool IsSignalTrampoline, bool PcIsExact);

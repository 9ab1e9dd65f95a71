namespace Rewind.Dap.Protocol;

// Arguments and response bodies of the requests that read the tracee's memory and code.
// Memory references are addresses written as "0x…" hexadecimal strings.

public sealed record ReadMemoryArguments(string MemoryReference, int Count, int? Offset = null);

/// <summary><c>Data</c> is base64; bytes past the readable range are counted in <c>UnreadableBytes</c>.</summary>
public sealed record ReadMemoryResponseBody(string Address, int? UnreadableBytes = null, string? Data = null);

public sealed record DisassembleArguments(
    string MemoryReference,
    int InstructionCount,
    int? Offset = null,
    int? InstructionOffset = null,
    bool? ResolveSymbols = null);

public sealed record DisassembleResponseBody(IReadOnlyList<DisassembledInstruction> Instructions);

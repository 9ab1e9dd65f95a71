using System.Buffers;
using System.Text.Json.Serialization.Metadata;
using Rewind.Dap.Protocol;

namespace Rewind.Dap.Handlers;

// readMemory and disassemble, at the current position.

public sealed class ReadMemoryHandler : RequestHandler<ReadMemoryArguments, ReadMemoryResponseBody>
{
    /// <summary>VS Code's memory view reads a few KiB at a time; more is a client bug, not a need.</summary>
    internal const int MaxCount = 1024 * 1024;

    public override string Command => "readMemory";

    protected override JsonTypeInfo<ReadMemoryArguments> ArgumentsType => DapJsonContext.Default.ReadMemoryArguments;

    protected override JsonTypeInfo<ReadMemoryResponseBody> BodyType => DapJsonContext.Default.ReadMemoryResponseBody;

    protected override ReadMemoryResponseBody Handle(ReadMemoryArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        if (arguments.Count is < 0 or > MaxCount)
            throw new DapException($"readMemory count {arguments.Count} is outside 0 to {MaxCount}");
        var address = Mapping.Offset(Mapping.ParseReference(arguments.MemoryReference), arguments.Offset ?? 0);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, arguments.Count));
        try
        {
            var read = session.ReadMemory(address, buffer.AsSpan(0, arguments.Count));
            return new ReadMemoryResponseBody(
                Mapping.ToReference(address),
                UnreadableBytes: arguments.Count - read,
                Data: Convert.ToBase64String(buffer, 0, read));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

public sealed class DisassembleHandler : RequestHandler<DisassembleArguments, DisassembleResponseBody>
{
    internal const int MaxCount = 10_000;

    public override string Command => "disassemble";

    protected override JsonTypeInfo<DisassembleArguments> ArgumentsType => DapJsonContext.Default.DisassembleArguments;

    protected override JsonTypeInfo<DisassembleResponseBody> BodyType => DapJsonContext.Default.DisassembleResponseBody;

    protected override DisassembleResponseBody Handle(DisassembleArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        if (arguments.InstructionCount is < 0 or > MaxCount)
            throw new DapException($"disassemble instructionCount {arguments.InstructionCount} is outside 0 to {MaxCount}");
        var address = Mapping.Offset(Mapping.ParseReference(arguments.MemoryReference), arguments.Offset ?? 0);
        var lines = session.Disassemble(address, arguments.InstructionOffset ?? 0, arguments.InstructionCount);
        var instructions = lines.Select(l => new DisassembledInstruction(
            Mapping.ToReference(l.Address),
            l.Text,
            InstructionBytes: Convert.ToHexStringLower(l.Bytes),
            Symbol: l.Symbol,
            Location: l.Location is null ? null : Mapping.ToSource(l.Location.Path),
            Line: l.Location is null ? null : context.ToClientLine(l.Location.Line))).ToList();

        // The specification wants exactly instructionCount entries: pad unreadable ones.
        var next = lines.Count > 0 ? lines[^1].Address + (ulong)Math.Max(1, lines[^1].Bytes.Length) : address;
        while (instructions.Count < arguments.InstructionCount)
        {
            instructions.Add(new DisassembledInstruction(Mapping.ToReference(next), "??", PresentationHint: "invalid"));
            next += 1;
        }

        return new DisassembleResponseBody(instructions);
    }
}

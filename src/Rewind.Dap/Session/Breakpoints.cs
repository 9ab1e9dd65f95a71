namespace Rewind.Dap.Session;

// Breakpoint requests and what became of them. Conditions are C expressions; hit conditions
// are the DAP forms ("5", ">= 5", "% 5"); a log message makes a logpoint, whose "{expr}"
// parts are evaluated at each hit, past hits included.

public sealed record LineBreakpointSpec(int Line, int? Column = null, string? Condition = null, string? HitCondition = null, string? LogMessage = null);

public sealed record FunctionBreakpointSpec(string Name, string? Condition = null, string? HitCondition = null);

public sealed record InstructionBreakpointSpec(RemotePtr Address, string? Condition = null, string? HitCondition = null);

public enum DataAccess
{
    Write,
    Read,
    ReadWrite,
}

public sealed record DataBreakpointSpec(string DataId, DataAccess Access, string? Condition = null, string? HitCondition = null);

/// <summary><c>DataId</c> is null when the target cannot be watched; <c>Description</c> then says why.</summary>
public sealed record DataBreakpointTarget(string? DataId, string Description, IReadOnlyList<DataAccess> AccessTypes);

public sealed record BreakpointStatus(
    BreakpointId Id,
    bool Verified,
    string? Message = null,
    SourceLocation? Location = null,
    RemotePtr? Address = null);

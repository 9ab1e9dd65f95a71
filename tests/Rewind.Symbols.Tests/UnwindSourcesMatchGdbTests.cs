using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests;

/// <summary>
/// The gdb comparison with the program's own frames unwound from .debug_frame (no .eh_frame:
/// -fno-asynchronous-unwind-tables), and with no CFI at all (frame pointers only).
/// </summary>
public sealed class UnwindSourcesMatchGdbTests
{
    public static TheoryData<string, string?, string> Cases() =>
        MatchesGdb.Cases("-O0 -fno-asynchronous-unwind-tables -fno-unwind-tables", "-O0 -fno-asynchronous-unwind-tables -fno-unwind-tables +nocfi");

    [GdbTheory]
    [MemberData(nameof(Cases))]
    public void Gcc(string program, string? marker, string optimization) => MatchesGdb.Compare(program, marker, "gcc", optimization);
}

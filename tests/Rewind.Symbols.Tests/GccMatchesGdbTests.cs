using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests;

/// <summary>
/// At a stop of each test program built by gcc, the backtrace (function, file, line) and the
/// parameters and locals of the first two frames that Rewind computes from gdb's core file
/// equal what gdb printed for the same binary at the same place.
/// </summary>
public sealed class GccMatchesGdbTests
{
    public static TheoryData<string, string?, string> Cases() => MatchesGdb.Cases("-O0", "-O2", "-O0 -fdebug-types-section");

    [GdbTheory]
    [MemberData(nameof(Cases))]
    public void Gcc(string program, string? marker, string optimization) => MatchesGdb.Compare(program, marker, "gcc", optimization);
}

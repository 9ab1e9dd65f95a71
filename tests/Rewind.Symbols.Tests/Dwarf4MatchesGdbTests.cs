using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests;

/// <summary>
/// The gdb comparison on DWARF 4 output (both compilers default to DWARF 5): .debug_loc,
/// .debug_ranges, version 4 line tables and GNU call sites, as older toolchains emit them.
/// </summary>
public sealed class Dwarf4MatchesGdbTests
{
    public static TheoryData<string, string?, string> Cases() => MatchesGdb.Cases("-O0 -gdwarf-4", "-O2 -gdwarf-4");

    [GdbTheory]
    [MemberData(nameof(Cases))]
    public void Gcc(string program, string? marker, string optimization) => MatchesGdb.Compare(program, marker, "gcc", optimization);
}

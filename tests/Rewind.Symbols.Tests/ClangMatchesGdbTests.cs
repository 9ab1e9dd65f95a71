using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests;

/// <summary>The gdb comparison on clang's output; skipped where clang is not installed.</summary>
public sealed class ClangMatchesGdbTests
{
    public static TheoryData<string, string?, string> Cases() => MatchesGdb.Cases("-O0", "-O2");

    [ClangTheory]
    [MemberData(nameof(Cases))]
    public void Clang(string program, string? marker, string optimization) => MatchesGdb.Compare(program, marker, "clang", optimization);
}

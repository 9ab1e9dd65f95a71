using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests;

/// <summary>
/// Optimized builds with a breakpoint on every source line: at each of the first 40 stops,
/// the backtrace and the variables Rewind computes equal gdb's (see <see cref="MatchesGdb"/>).
/// </summary>
public sealed class EveryLineMatchesGdbTests
{
    [GdbTheory]
    [InlineData("nested", "gcc", "-O1")]
    [InlineData("nested", "gcc", "-O2")]
    [InlineData("types", "gcc", "-O1")]
    [InlineData("types", "gcc", "-O2")]
    [InlineData("inlined", "gcc", "-O2")]
    [InlineData("globals", "gcc", "-O2")]
    [InlineData("formats", "gcc", "-O2")]
    [InlineData("qsort_callback", "gcc", "-O2")]
    [InlineData("signal_handler", "gcc", "-O2")]
    [InlineData("types", "gcc", "-O2 -gdwarf-4")]
    [InlineData("nested", "gcc", "-O0")]
    [InlineData("nested", "clang", "-O2")]
    [InlineData("qsort_callback", "clang", "-O2")]
    [InlineData("formats", "clang", "-O2", Skip = "Known difference: which abstract lexical blocks gdb 13 inherits into an inlined call when clang's concrete blocks lack DW_AT_abstract_origin (docs/symbols.md)")]
    [InlineData("types", "clang", "-O2")]
    [InlineData("inlined", "clang", "-O2")]
    public void Every_line(string program, string compiler, string optimization)
    {
        if (compiler == "clang" && !Toolchain.Has("clang"))
            return; // clang is optional; the gcc cases cover the code
        string binary = Toolchain.Build(program, compiler, optimization);
        int lines = File.ReadAllLines(Toolchain.SourceOf(program)).Length;
        var locations = Enumerable.Range(1, lines).Select(l => $"{program}.c:{l}").ToList();
        var stops = GdbRunner.RunToStops(binary, locations, 40);
        var failures = new List<string>();
        for (int i = 0; i < stops.Count; i++)
        {
            try
            {
                MatchesGdb.CompareStop(stops[i], $"stop {i + 1}");
            }
            catch (Xunit.Sdk.XunitException e)
            {
                failures.Add(e.Message);
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {stops.Count} stops differ:\n" + string.Join("\n----\n", failures.Take(3)));
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests;

/// <summary>
/// Breakpoint addresses match gdb's before the program runs: "break FUNCTION" (after the
/// prologue) and "info line FILE:LINE" (start and end of the line's first block), at -O0.
/// </summary>
public sealed partial class LinesMatchGdbTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var functions = new Dictionary<string, string>
        {
            ["nested"] = "leaf middle outer main",
            ["types"] = "twice inspect main",
            ["globals"] = "use_globals main",
            ["qsort_callback"] = "compare main",
            ["signal_handler"] = "on_signal send_it main",
            ["aborting"] = "check main",
        };
        var data = new TheoryData<string, string, string>();
        foreach (var compiler in new[] { "gcc", "clang" })
            foreach (var (program, names) in functions)
                data.Add(compiler, program, names);
        return data;
    }

    [GeneratedRegex(@"^Breakpoint \d+ at 0x([0-9a-f]+): file (\S+), line (\d+)\.$", RegexOptions.Multiline)]
    private static partial Regex BreakpointLine();

    [GeneratedRegex(@"^Line (\d+) of ""(\S+)"" starts at address 0x([0-9a-f]+) <\S+> and ends at 0x([0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex InfoLine();

    [GdbTheory]
    [MemberData(nameof(Cases))]
    public void Breakpoints_and_lines(string compiler, string program, string functions)
    {
        if (compiler == "clang" && !Toolchain.Has("clang"))
            return; // covered by the gcc cases; clang is optional on CI machines
        string binary = Toolchain.Build(program, compiler, "-O0");
        var names = functions.Split(' ');
        int lineCount = File.ReadAllLines(Toolchain.SourceOf(program)).Length;
        var lines = Enumerable.Range(1, lineCount).ToArray();
        var commands = names.Select(n => $"break {n}").Concat(lines.Select(l => $"info line {program}.c:{l}")).ToList();
        var arguments = new List<string> { "-q", "-batch", "-nx" };
        foreach (var c in commands)
            arguments.AddRange(["-ex", c]);
        arguments.Add(binary);
        var (_, output) = Toolchain.Run("gdb", arguments, 60);

        var module = Module.Load(binary, new RemotePtr(0), new RemotePtr(ulong.MaxValue), 0);
        var symbols = new SymbolTable([module]);

        var breakpoints = BreakpointLine().Matches(output).ToList();
        Assert.Equal(names.Length, breakpoints.Count);
        for (int i = 0; i < names.Length; i++)
        {
            ulong expected = ulong.Parse(breakpoints[i].Groups[1].Value, NumberStyles.HexNumber);
            var ours = symbols.FunctionBreakpoints(names[i]);
            Assert.True(ours.Count == 1 && ours[0].Value == expected,
                $"break {names[i]}: gdb 0x{expected:x}, rewind {string.Join(", ", ours)}");
            Assert.Equal(int.Parse(breakpoints[i].Groups[3].Value), symbols.LineFor(ours[0])?.Line);
        }

        int compared = 0;
        foreach (Match m in InfoLine().Matches(output))
        {
            int line = int.Parse(m.Groups[1].Value);
            ulong start = ulong.Parse(m.Groups[3].Value, NumberStyles.HexNumber);
            ulong end = ulong.Parse(m.Groups[4].Value, NumberStyles.HexNumber);
            var ours = symbols.AddressesFor($"{program}.c", line);
            Assert.True(ours.Count > 0 && ours[0].Address.Value == start,
                $"info line {line}: gdb 0x{start:x}, rewind {string.Join(", ", ours.Select(o => o.Address))}");
            var range = symbols.LineRangeAt(new RemotePtr(start));
            Assert.Equal((start, end), (range?.Start.Value ?? 0, range?.End.Value ?? 0));
            compared++;
        }
        Assert.True(compared >= 5, $"only {compared} lines compared:\n{output}");
    }
}

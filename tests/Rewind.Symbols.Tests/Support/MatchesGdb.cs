using System.Text;

namespace Rewind.Symbols.Tests.Support;

/// <summary>
/// At a stop of each test program, the backtrace (function, file, line) and the values of the
/// parameters and locals of the first two frames that Rewind computes from gdb's core file
/// equal what gdb printed for the same binary at the same place.
/// </summary>
internal static class MatchesGdb
{
    public static TheoryData<string, string?, string> Cases(params string[] optimizations)
    {
        var data = new TheoryData<string, string?, string>();
        foreach (var opt in optimizations)
        {
            data.Add("nested", "leaf|after_leaf", opt);
            data.Add("types", "inspect", opt);
            data.Add("qsort_callback", "compare|compare|compare", opt);
            data.Add("signal_handler", "on_signal", opt);
            data.Add("aborting", null, opt);
            data.Add("inlined", "square|through", opt);
            data.Add("globals", "use_globals|after_use", opt);
            data.Add("formats", "show", opt);
        }
        return data;
    }

    /// <param name="markers">"a|b": stop at the "break: a" marker, then continue to the next stop, and so on; null: run to a signal.</param>
    public static void Compare(string program, string? markers, string compiler, string optimization)
    {
        string binary = Toolchain.Build(program, compiler, optimization);
        var names = markers?.Split('|') ?? [];
        var locations = names.Distinct().Select(m => $"{program}.c:{Toolchain.MarkerLine(program, m)}").ToList();
        var stops = GdbRunner.RunToStops(binary, locations, Math.Max(1, names.Length));
        for (int i = 0; i < stops.Count; i++)
            CompareStop(stops[i], $"stop {i + 1} of {stops.Count}");
    }

    internal static void CompareStop(GdbStop gdb, string stopName)
    {
        Assert.True(gdb.Backtrace.Count > 0, $"{stopName}: gdb printed no backtrace:\n{gdb.Transcript}");

        var core = new CoreFile(gdb.CorePath);
        var symbols = SymbolTable.Load(core.Map);
        var frames = symbols.Unwind(core.Registers, core);

        var expected = new StringBuilder();
        var actual = new StringBuilder();
        foreach (var f in gdb.Backtrace)
            expected.AppendLine(f.File is null ? $"#{f.Index} {f.Function}" : $"#{f.Index} {f.Function} at {f.File}:{f.Line}");
        foreach (var f in frames)
            actual.AppendLine(f.Line is null ? $"#{f.Index} {f.FunctionName}" : $"#{f.Index} {f.FunctionName} at {f.Line.FileName}:{f.Line.Line}");
        Assert.True(expected.ToString() == actual.ToString(), $"{stopName}: backtrace differs\ngdb:\n{expected}\nrewind:\n{actual}");

        // Every frame of the test program further out: its locals as "bt full" shows them.
        for (int i = 2; i < frames.Count && i < gdb.FrameLocals.Count; i++)
        {
            if (gdb.Backtrace[i].File is not { } file || !File.Exists(Path.Combine(Toolchain.ProgramsDirectory, file)))
                continue;
            var scopes = symbols.Scopes(frames[i], core);
            string gl = Text(gdb.FrameLocals[i]), rl = Text(scopes.Locals.Where(v => !v.IsConstantBlock).Select(v => (v.Name, v.Value)));
            Assert.True(gl == rl, $"{stopName}: frame {i} locals differ\ngdb:\n{gl}\nrewind:\n{rl}");
        }

        for (int i = 0; i < 2 && i < frames.Count; i++)
        {
            var scopes = symbols.Scopes(frames[i], core);
            var gdbArgs = i == 0 ? gdb.Arguments : gdb.CallerArguments;
            var gdbLocals = i == 0 ? gdb.Locals : gdb.CallerLocals;
            string ga = Text(gdbArgs), ra = Text(scopes.Parameters.Select(v => (v.Name, v.Value)));
            Assert.True(ga == ra, $"{stopName}: frame {i} arguments differ\ngdb:\n{ga}\nrewind:\n{ra}");
            // gdb 13's "info locals" leaves out constants given as byte blocks (LOC_CONST_BYTES); Rewind shows them.
            string gl = Text(gdbLocals), rl = Text(scopes.Locals.Where(v => !v.IsConstantBlock).Select(v => (v.Name, v.Value)));
            Assert.True(gl == rl, $"{stopName}: frame {i} locals differ\ngdb:\n{gl}\nrewind:\n{rl}");
        }
    }

    private static string Text(IEnumerable<(string Name, string Value)> values) =>
        string.Join("\n", values.Where(v => !v.Name.EndsWith("@entry", StringComparison.Ordinal)).Select(v => $"{v.Name} = {v.Value}"));
}

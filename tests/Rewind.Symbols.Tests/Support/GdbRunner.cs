using System.Text;
using System.Text.RegularExpressions;

namespace Rewind.Symbols.Tests.Support;

/// <summary>Runs the machine's gdb in batch mode to a stop, and parses what it prints there.</summary>
internal static partial class GdbRunner
{
    private static int _cores;

    /// <summary>
    /// Sets breakpoints at <paramref name="locations"/> (none: run until a signal stops the
    /// program), then at each of <paramref name="stops"/> stops prints the backtrace and the
    /// variables of frames 0 and 1 and writes a core file.
    /// </summary>
    public static List<GdbStop> RunToStops(string binary, IReadOnlyList<string> locations, int stops)
    {
        string run = Path.Combine(Toolchain.Directory_, $"run.{Interlocked.Increment(ref _cores)}");
        // -ex commands, not a script: gdb goes on after a failing -ex ("Initial frame selected").
        var script = new List<string>
        {
            "set debuginfod enabled off", "set width 0", "set height 0", "set confirm off", "handle SIGUSR1 nostop noprint pass",
        };
        foreach (var location in locations)
            script.Add($"break {location}");
        for (int stop = 0; stop < stops; stop++)
        {
            script.Add(stop == 0 ? "run" : "continue");
            script.Add($"echo @@STOP {stop}\n");
            foreach (var (marker, command) in new[] { ("BT", "bt"), ("ARGS", "info args"), ("LOCALS", "info locals"), ("UP", "up"),
                         ("CARGS", "info args"), ("CLOCALS", "info locals"), ("BTFULL", "bt full") })
            {
                script.Add($"echo @@{marker}\n");
                script.Add(command);
            }
            script.Add($"gcore {run}.core.{stop}");
            script.Add("echo @@END\n");
        }
        var arguments = new List<string> { "-q", "-batch", "-nx" };
        foreach (var command in script)
            arguments.AddRange(["-ex", command]);
        arguments.Add(binary);
        var (_, output) = Toolchain.Run("gdb", arguments, 120);
        var result = new List<GdbStop>();
        var parts = output.Split("@@STOP ");
        for (int stop = 0; stop < stops; stop++)
        {
            // Optimized code may never reach a later breakpoint (its line moved or merged): compare the stops reached.
            string core = $"{run}.core.{stop}";
            if (!File.Exists(core) || stop + 1 >= parts.Length)
                break;
            result.Add(Parse(parts[stop + 1], core));
        }
        return result.Count > 0 ? result : throw new InvalidOperationException($"gdb did not stop:\n{output}");
    }

    /// <summary>
    /// Runs to the first stop at <paramref name="location"/>, runs each command there and
    /// writes a core; returns each command's output (trimmed) and the core's path.
    /// </summary>
    public static (List<string> Outputs, string Core) RunCommands(string binary, string location, IReadOnlyList<string> commands)
    {
        string core = Path.Combine(Toolchain.Directory_, $"commands.{Interlocked.Increment(ref _cores)}.core");
        var script = new List<string> { "set debuginfod enabled off", "set width 0", "set height 0", "set confirm off", $"break {location}", "run" };
        for (int i = 0; i < commands.Count; i++)
        {
            script.Add($"echo @@{i}\n");
            script.Add(commands[i]);
        }
        script.Add($"echo @@{commands.Count}\n");
        script.Add($"gcore {core}");
        var arguments = new List<string> { "-q", "-batch", "-nx" };
        foreach (var c in script)
            arguments.AddRange(["-ex", c]);
        arguments.Add(binary);
        var (_, output) = Toolchain.Run("gdb", arguments, 120);
        var outputs = new List<string>();
        for (int i = 0; i < commands.Count; i++)
        {
            int from = output.IndexOf($"@@{i}\n", StringComparison.Ordinal);
            int to = output.IndexOf($"@@{i + 1}\n", StringComparison.Ordinal);
            if (from < 0 || to < 0)
                throw new InvalidOperationException($"gdb output has no section {i}:\n{output}");
            from += $"@@{i}\n".Length;
            outputs.Add(output[from..to].Trim());
        }
        return (outputs, core);
    }

    private static GdbStop Parse(string output, string core)
    {
        var sections = Split(output);
        return new GdbStop(
            sections.GetValueOrDefault("BT", []).Select(ParseFrame).OfType<GdbFrame>().ToList(),
            ParseValues(sections.GetValueOrDefault("ARGS", [])),
            ParseValues(sections.GetValueOrDefault("LOCALS", [])),
            ParseValues(sections.GetValueOrDefault("CARGS", [])),
            ParseValues(sections.GetValueOrDefault("CLOCALS", [])),
            ParseFullBacktrace(sections.GetValueOrDefault("BTFULL", [])),
            core,
            output);
    }

    private static Dictionary<string, List<string>> Split(string output)
    {
        var result = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                result[line[2..].Trim()] = current = [];
                continue;
            }
            current?.Add(line.TrimEnd('\r'));
        }
        return result;
    }

    [GeneratedRegex(@"^#(\d+)\s+(?:0x[0-9a-f]+ in )?(.*)$")]
    private static partial Regex FrameLine();

    [GeneratedRegex(@" at (\S+):(\d+)$")]
    private static partial Regex AtFileLine();

    private static GdbFrame? ParseFrame(string line)
    {
        var m = FrameLine().Match(line);
        if (!m.Success)
            return null;
        int index = int.Parse(m.Groups[1].Value);
        string rest = m.Groups[2].Value;
        if (rest.StartsWith("<signal handler called>", StringComparison.Ordinal))
            return new GdbFrame(index, "<signal handler called>", null, 0, "");
        int paren = rest.IndexOf(" (", StringComparison.Ordinal);
        string function = paren < 0 ? rest : rest[..paren];
        var at = AtFileLine().Match(rest);
        string args = paren < 0 ? "" : rest[(paren + 2)..];
        return at.Success
            ? new GdbFrame(index, function, Path.GetFileName(at.Groups[1].Value), int.Parse(at.Groups[2].Value), args)
            : new GdbFrame(index, function, null, 0, args);
    }

    /// <summary>The locals "bt full" prints under each frame line (indented "name = value" lines).</summary>
    private static List<IReadOnlyList<(string, string)>> ParseFullBacktrace(List<string> lines)
    {
        var frames = new List<IReadOnlyList<(string, string)>>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            if (line.StartsWith('#'))
            {
                if (current is not null)
                    frames.Add(ParseValues(current));
                current = [];
            }
            else if (line.StartsWith("        ", StringComparison.Ordinal))
            {
                current?.Add(line.Trim());
            }
        }
        if (current is not null)
            frames.Add(ParseValues(current));
        return frames;
    }

    /// <summary>"name = value" lines; gdb's "x@entry = v" lines are kept under their own name.</summary>
    private static List<(string, string)> ParseValues(List<string> lines)
    {
        var values = new List<(string, string)>();
        foreach (var line in lines)
        {
            int eq = line.IndexOf(" = ", StringComparison.Ordinal);
            if (eq <= 0 || line.StartsWith('#') || line.Contains(' ', StringComparison.Ordinal) && line.IndexOf(' ', StringComparison.Ordinal) < eq)
                continue;
            values.Add((line[..eq], line[(eq + 3)..]));
        }
        return values;
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace Rewind.Symbols.Tests.Support;

/// <summary>Runs the machine's gdb in batch mode to a stop, and parses what it prints there.</summary>
internal static partial class GdbRunner
{
    private static int _cores;

    /// <param name="location">A breakpoint location, or null to run until the program stops by itself (a signal).</param>
    public static GdbStop RunToStop(string binary, string? location)
    {
        string core = Path.Combine(Toolchain.Directory_, $"core.{Interlocked.Increment(ref _cores)}");
        var script = new StringBuilder();
        script.AppendLine("set debuginfod enabled off");
        script.AppendLine("set width 0");
        script.AppendLine("set height 0");
        script.AppendLine("set confirm off");
        script.AppendLine("handle SIGUSR1 nostop noprint pass");
        if (location is not null)
            script.AppendLine($"break {location}");
        script.AppendLine("run");
        foreach (var (marker, command) in new[] { ("BT", "bt"), ("ARGS", "info args"), ("LOCALS", "info locals"), ("UP", "up"),
                     ("CARGS", "info args"), ("CLOCALS", "info locals") })
        {
            script.AppendLine($"echo @@{marker}\\n");
            script.AppendLine(command);
        }
        script.AppendLine($"gcore {core}");
        script.AppendLine("echo @@END\\n");
        string scriptPath = core + ".gdb";
        File.WriteAllText(scriptPath, script.ToString());
        var (_, output) = Toolchain.Run("gdb", $"-q -batch -nx -x {scriptPath} {binary}", 120);
        if (!File.Exists(core))
            throw new InvalidOperationException($"gdb wrote no core:\n{output}");
        var sections = Split(output);
        return new GdbStop(
            sections.GetValueOrDefault("BT", []).Select(ParseFrame).OfType<GdbFrame>().ToList(),
            ParseValues(sections.GetValueOrDefault("ARGS", [])),
            ParseValues(sections.GetValueOrDefault("LOCALS", [])),
            ParseValues(sections.GetValueOrDefault("CARGS", [])),
            ParseValues(sections.GetValueOrDefault("CLOCALS", [])),
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

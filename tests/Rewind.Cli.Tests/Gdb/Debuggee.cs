using System.Text.RegularExpressions;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>
/// A C program of tests/programs/gdb compiled with -g -O0, and its source lines by marker: a
/// line ending in "// L:name" is line <c>Lines["name"]</c>, so tests name lines, not numbers.
/// </summary>
internal sealed partial class Debuggee
{
    private Debuggee(string binary, string source, IReadOnlyDictionary<string, int> lines)
    {
        Binary = binary;
        Source = source;
        Lines = lines;
    }

    public string Binary { get; }

    public string Source { get; }

    public IReadOnlyDictionary<string, int> Lines { get; }

    public int Line(string marker) => Lines.TryGetValue(marker, out int n) ? n : throw new ArgumentException($"no line marked L:{marker} in {Source}");

    public static Debuggee Build(string name, string directory)
    {
        string source = Path.Combine(GdbEnvironment.ProgramsDirectory, name + ".c");
        string binary = Path.Combine(directory, name);
        var gcc = ChildProcess.Run(GdbEnvironment.Gcc!, ["-g", "-O0", "-o", binary, source]);
        if (gcc.ExitCode != 0)
        {
            throw new InvalidOperationException($"gcc failed on {source}: {gcc.Stderr}");
        }
        var lines = new Dictionary<string, int>();
        var text = File.ReadAllLines(source);
        for (int i = 0; i < text.Length; i++)
        {
            if (Marker().Match(text[i]) is { Success: true } m)
            {
                lines[m.Groups[1].Value] = i + 1;
            }
        }
        return new Debuggee(binary, source, lines);
    }

    [GeneratedRegex(@"// L:([\w-]+)\s*$")]
    private static partial Regex Marker();
}

namespace Rewind.Cli.Tests.Dotnet;

/// <summary>The test programs mark the lines tests name with "// line: NAME", so edits move no test.</summary>
public static class MarkedLines
{
    /// <summary>The line of <paramref name="source"/> marked "// line: <paramref name="name"/>".</summary>
    public static int Line(string source, string name)
    {
        var lines = File.ReadAllLines(source);
        int index = Array.FindIndex(lines, l => l.TrimEnd().EndsWith($"// line: {name}", StringComparison.Ordinal));
        return index >= 0 ? index + 1 : throw new ArgumentException($"no '// line: {name}' in {Path.GetFileName(source)}", nameof(name));
    }
}

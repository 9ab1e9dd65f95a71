using System.Text.RegularExpressions;

namespace Rewind.Cli.Tests.Harness;

/// <summary>Assertions phrased as what a user of <c>rewind</c> would see.</summary>
internal static partial class Expect
{
    /// <summary>
    /// The contract for bad input: a non-zero exit status and exactly one line on stderr,
    /// "rewind: ...", with no stack trace.
    /// </summary>
    public static void OneLineError(ProcessResult r)
    {
        NoStackTrace(r);
        if (r.ExitCode == 0)
            Assert.Fail($"expected a non-zero exit status\n{r}");
        string[] lines = r.StderrLines;
        if (lines.Length != 1 || !lines[0].StartsWith("rewind: ", StringComparison.Ordinal))
            Assert.Fail($"expected exactly one stderr line starting with \"rewind: \"\n{r}");
    }

    public static void NoStackTrace(ProcessResult r)
    {
        foreach (string text in new[] { r.Stdout, r.Stderr })
        {
            if (StackFrame().IsMatch(text) || text.Contains("Unhandled exception", StringComparison.Ordinal))
                Assert.Fail($"a stack trace reached the user\n{r}");
        }
    }

    /// <summary>Equal texts, or a failure naming the first differing line and showing both runs.</summary>
    public static void SameText(string what, string expected, string actual, ProcessResult expectedRun, ProcessResult actualRun)
    {
        if (expected == actual)
            return;
        string[] e = ProcessResult.SplitLines(expected), a = ProcessResult.SplitLines(actual);
        int i = 0;
        while (i < e.Length && i < a.Length && e[i] == a[i])
            i++;
        string want = i < e.Length ? e[i] : "(end)";
        string got = i < a.Length ? a[i] : "(end)";
        Assert.Fail($"{what} differs at line {i + 1}:\n  expected: {want}\n  got:      {got}\n\n{expectedRun}\n\n{actualRun}");
    }

    public static void SameExit(string what, int expected, ProcessResult expectedRun, ProcessResult actualRun)
    {
        if (expected != actualRun.ExitCode)
            Assert.Fail($"{what}: expected exit status {expected}, got {actualRun.ExitCode}\n\n{expectedRun}\n\n{actualRun}");
    }

    /// <summary>
    /// The shape of a program's output: each line's key (the text before ": "), or the line
    /// with its digits masked. Two runs of a program reading the world have the same shape
    /// and different values.
    /// </summary>
    public static string Shape(string text) =>
        string.Join('\n', ProcessResult.SplitLines(text).Select(line =>
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            return colon >= 0 ? line[..colon] : Digits().Replace(line, "#");
        }));

    /// <summary>A .NET stack frame line: "   at Namespace.Type.Method(Args)".</summary>
    [GeneratedRegex(@"(?m)^\s+at [\w.`<>\[\],|+]+\(")]
    private static partial Regex StackFrame();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}

namespace Rewind.Cli.Tests.Harness;

/// <summary>The <c>rewind</c> verbs, run as a user runs them: a subprocess with a time limit.</summary>
internal static class RewindCli
{
    /// <summary><c>rewind record -o TRACE -- PROGRAM ARGS...</c> in <paramref name="workingDirectory"/>, optionally in a session of its own.</summary>
    public static Task<ProcessResult> RecordAsync(
        string trace, string workingDirectory, string program, IEnumerable<string> args, byte[]? stdin = null, bool ownSession = false,
        IReadOnlyList<string>? launcher = null)
    {
        string[] record = [.. launcher ?? [], RepoPaths.Rewind, "record", "-o", trace, "--", program, .. args];
        return ownSession
            ? ProcessRunner.RunAsync("setsid", ["-w", .. record], workingDirectory, stdin)
            : ProcessRunner.RunAsync(record[0], record[1..], workingDirectory, stdin);
    }

    /// <summary><c>rewind replay TRACE</c> with stdin closed: replay must need nothing from outside.</summary>
    public static Task<ProcessResult> ReplayAsync(string trace, string workingDirectory) =>
        ProcessRunner.RunAsync(RepoPaths.Rewind, ["replay", trace], workingDirectory);

    /// <summary><c>rewind replay --from-checkpoint N TRACE</c> with stdin closed.</summary>
    public static Task<ProcessResult> ReplayFromAsync(string trace, int checkpoint, string workingDirectory) =>
        ProcessRunner.RunAsync(RepoPaths.Rewind, ["replay", "--from-checkpoint", checkpoint.ToString(System.Globalization.CultureInfo.InvariantCulture), trace], workingDirectory);

    public static Task<ProcessResult> InfoAsync(string trace, string workingDirectory, bool json = false) =>
        ProcessRunner.RunAsync(RepoPaths.Rewind, json ? ["info", trace, "--json"] : ["info", trace], workingDirectory);

    public static Task<ProcessResult> PsAsync(string trace, string workingDirectory, bool json = false) =>
        ProcessRunner.RunAsync(RepoPaths.Rewind, json ? ["ps", "--json", trace] : ["ps", trace], workingDirectory);

    public static Task<ProcessResult> DumpAsync(string trace, string workingDirectory, bool json = false) =>
        ProcessRunner.RunAsync(RepoPaths.Rewind, json ? ["dump", "--json", trace] : ["dump", trace], workingDirectory);
}

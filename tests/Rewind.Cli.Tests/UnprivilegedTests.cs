using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>
/// Rewind run by a user without privileges, as on most CI runners: it records and replays (the
/// mapped files read by name where /proc/PID/map_files needs a capability), and says when a
/// set-user-ID program ran without its privileges, as the kernel runs it under such a tracer.
/// Needs a root test run to become user nobody (setpriv).
/// </summary>
public sealed class UnprivilegedTests
{
    [UnprivilegedFact]
    public async Task A_user_records_and_replays_and_is_told_of_a_set_user_id_program_run_without_its_privileges()
    {
        using var dir = new TempDirectory("unprivileged");
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ff);
        // id, set-user-ID root: run by nobody alone, its effective uid is 0.
        string id = dir.File("id");
        File.Copy("/usr/bin/id", id);
        File.SetUnixFileMode(id, (UnixFileMode)0x9ed);
        Assert.Equal("0\n", (await Nobody.RunAsync(dir, id, "-u")).Stdout);

        var recorded = await Nobody.RunAsync(dir, RepoPaths.Rewind, "record", "-o", dir.File("id.rwd"), "--", id, "-u");
        Expect.NoStackTrace(recorded);
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        Assert.Equal($"{Nobody.Id}\n", recorded.Stdout);
        Assert.Contains($"exec'd {id} without its privileges", recorded.Stderr, StringComparison.Ordinal);

        var replayed = await Nobody.RunAsync(dir, RepoPaths.Rewind, "replay", dir.File("id.rwd"));
        Assert.True(replayed.ExitCode == 0, replayed.ToString());
        Assert.Equal(recorded.Stdout, replayed.Stdout);
    }
}

/// <summary>A fact that needs a root test run, which setpriv can turn into user nobody: skipped otherwise.</summary>
public sealed class UnprivilegedFactAttribute : FactAttribute
{
    public UnprivilegedFactAttribute()
    {
        if (Environment.UserName != "root")
            Skip = "the tests do not run as root, which can become user nobody";
        else if (Unreachable(RepoPaths.Rewind) is { } directory)
            Skip = $"user nobody cannot reach rewind: {directory} is closed to others";
    }

    /// <summary>The first directory above <paramref name="path"/> that others may not search, if any.</summary>
    private static string? Unreachable(string path)
    {
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (!File.GetUnixFileMode(dir).HasFlag(UnixFileMode.OtherExecute))
                return dir;
        }
        return null;
    }
}

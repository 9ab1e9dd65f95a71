namespace Rewind.Cli.Tests.Gdb;

/// <summary>What the gdb end-to-end tests need from the machine, and why they skip without it.</summary>
internal static class GdbEnvironment
{
    public static string? Gcc { get; } = ChildProcess.Find("gcc");

    public static string? GdbPath { get; } = ChildProcess.Find("gdb");

    /// <summary>The rewind command built next to the tests (the project references Rewind.Cli).</summary>
    public static string Rewind { get; } = Path.Combine(AppContext.BaseDirectory, "rewind");

    /// <summary>tests/programs/gdb, found upward from the test assembly (the sources stay in the repository).</summary>
    public static string ProgramsDirectory { get; } = FindPrograms();

    private static readonly Lazy<string?> Probe = new(FindWhyUnavailable);

    public static string? Unavailable => Probe.Value;

    private static string FindPrograms()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "programs", "gdb");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return "";
    }

    private static string? FindWhyUnavailable()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            return "Rewind records Linux x86-64 programs only";
        if (Gcc == null)
            return "gcc is not installed: the debuggees cannot be compiled";
        if (GdbPath == null)
            return "gdb is not installed";
        if (ProgramsDirectory.Length == 0)
            return "tests/programs/gdb is not found above the test assembly";
        string dir = Path.Combine(Path.GetTempPath(), "rewind-gdb-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var r = ChildProcess.Run(Rewind, ["record", "-o", Path.Combine(dir, "true.rwd"), "--", "/bin/true"]);
            return r.ExitCode == 0 ? null : $"recording /bin/true does not work here: {r.Stderr.Trim()}";
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>A fact that needs gdb, gcc and ptrace: skipped, with the reason, where they are missing.</summary>
public sealed class GdbFactAttribute : FactAttribute
{
    public GdbFactAttribute()
    {
        if (GdbEnvironment.Unavailable is { } reason)
            Skip = reason;
    }
}

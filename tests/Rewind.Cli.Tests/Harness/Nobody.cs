namespace Rewind.Cli.Tests.Harness;

/// <summary>
/// Runs programs as user nobody, from a root test run (setpriv, with no supplementary groups),
/// as most CI runners run rewind: its home, and the .NET CLI's, the test's directory.
/// </summary>
internal static class Nobody
{
    public const string Id = "65534";

    public static Task<ProcessResult> RunAsync(TempDirectory dir, string program, params string[] args) =>
        ProcessRunner.RunAsync("setpriv", ["--reuid", Id, "--regid", Id, "--clear-groups", "env", $"HOME={dir.Path}", $"DOTNET_CLI_HOME={dir.Path}", program, .. args], dir.Path);
}

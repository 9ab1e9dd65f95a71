namespace Rewind.Cli.Tests.Harness;

/// <summary>
/// A fact that needs a process of the test run to make a pid namespace, alone (as root) or in a
/// user namespace of its own (unshare -Urpf): skipped where neither is allowed (a container's seccomp profile, user namespaces off).
/// </summary>
public sealed class PidNamespaceFactAttribute : FactAttribute
{
    public PidNamespaceFactAttribute()
    {
        if (!Unshares("--pid", "--fork", "true") && !Unshares("--user", "--map-root-user", "--pid", "--fork", "true"))
            Skip = "no pid namespace can be made here (unshare --pid, or with --user)";
    }

    private static bool Unshares(params string[] args) =>
        ProcessRunner.RunAsync("unshare", args, Path.GetTempPath()).GetAwaiter().GetResult().ExitCode == 0;
}

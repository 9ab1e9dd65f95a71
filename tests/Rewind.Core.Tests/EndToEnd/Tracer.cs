using Rewind.Recording;

namespace Rewind.Core.Tests.EndToEnd;

/// <summary>
/// Runs engine work on a tracer thread (ptrace belongs to a thread) and gives up after a time
/// limit, so a hanging engine fails its test instead of the whole run.
/// </summary>
internal static class Tracer
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>A small environment: the recorded program sees the same one on every machine.</summary>
    public static readonly IReadOnlyList<string> Environment = ["PATH=/usr/bin:/bin", "LC_ALL=C"];

    public static T Run<T>(string what, Func<T> work)
    {
        var task = Task.Factory.StartNew(() => TracerThread.Run(work), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // WaitAny, not Wait: a tracer's exception comes out as it was thrown, not wrapped.
        if (Task.WaitAny([task], Limit) < 0)
            throw new TimeoutException($"{what} did not finish within {Limit.TotalSeconds:0} s");
        return task.GetAwaiter().GetResult();
    }

    private static readonly Lazy<string?> Probe = new(FindWhyUnavailable);

    /// <summary>Why end-to-end tests cannot run here, or null when they can.</summary>
    public static string? Unavailable => Probe.Value;

    private static string? FindWhyUnavailable()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            return "Rewind records Linux x86-64 programs only";
        if (Gcc is null)
            return "gcc is not installed: the debuggees cannot be compiled";
        const string Yama = "/proc/sys/kernel/yama/ptrace_scope";
        if (File.Exists(Yama) && File.ReadAllText(Yama).Trim() == "3")
            return "ptrace is disabled (kernel.yama.ptrace_scope = 3)";
        string dir = Path.Combine(Path.GetTempPath(), "rewind-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var result = Run("recording /bin/true", () => RecordSession.Record(new RecordOptions("/bin/true", [], Environment, dir, Path.Combine(dir, "true.rwd"))));
            return result.Exit is { Code: 0 } ? null : $"recording /bin/true did not work here ({result.Error ?? result.Exit?.ToString()})";
        }
        catch (Exception e)
        {
            return $"ptrace is not permitted here: recording /bin/true failed ({e.GetType().Name}: {e.Message})";
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static string? Gcc => (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
        .Split(':').Select(d => Path.Combine(d, "gcc")).FirstOrDefault(File.Exists);
}

/// <summary>A fact that needs ptrace and gcc: skipped, with the reason, where they are missing.</summary>
public sealed class TracerFactAttribute : FactAttribute
{
    public TracerFactAttribute()
    {
        if (Tracer.Unavailable is { } reason)
            Skip = reason;
    }
}

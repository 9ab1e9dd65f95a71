namespace Rewind.Cli.Tests.Gdb;

/// <summary>
/// The debuggees of tests/programs/gdb, compiled once, and their traces recorded once with
/// `rewind record`: travel (5 iterations, exits normally) and its crashing run.
/// </summary>
public sealed class GdbFixture : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rewind-gdb-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly Lazy<(Debuggee Travel, string Exits, string Crashes)> _built;
    private readonly Lazy<(Debuggee Workers, string Joined, string Crashed)> _workers;

    public GdbFixture()
    {
        Directory.CreateDirectory(_directory);
        _built = new(() =>
        {
            var travel = Debuggee.Build("travel", _directory);
            return (travel, Record(travel.Binary, "exits.rwd", "5"), Record(travel.Binary, "crashes.rwd", "5", "crash"));
        });
        _workers = new(() =>
        {
            var workers = Debuggee.Build("workers", _directory);
            return (workers, Record(workers.Binary, "workers.rwd"), Record(workers.Binary, "workers-crash.rwd", "crash"));
        });
    }

    internal Debuggee Workers => _workers.Value.Workers;

    /// <summary>workers: four named threads add 1..4 to shared_counter, main joins them and prints 10.</summary>
    internal string WorkersTrace => _workers.Value.Joined;

    /// <summary>workers crash: worker 3 dies of SIGSEGV while main waits in pthread_join.</summary>
    internal string WorkersCrashTrace => _workers.Value.Crashed;

    internal Debuggee Travel => _built.Value.Travel;

    /// <summary>travel 5: bump(1..5), prints, exits 0.</summary>
    internal string ExitsTrace => _built.Value.Exits;

    /// <summary>travel 5 crash: the same, then a SIGSEGV in crash().</summary>
    internal string CrashesTrace => _built.Value.Crashes;

    public string NewScratch()
    {
        string dir = Path.Combine(_directory, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    internal string Record(string binary, string name, params string[] args)
    {
        string trace = Path.Combine(Path.GetDirectoryName(binary)!, name);
        var r = ChildProcess.Run(GdbEnvironment.Rewind, ["record", "-o", trace, "--", binary, .. args]);
        if (!File.Exists(trace))
        {
            throw new InvalidOperationException($"rewind record failed ({r.ExitCode}): {r.Stderr}");
        }
        return trace;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition("gdb")]
public sealed class GdbCollection : ICollectionFixture<GdbFixture>;

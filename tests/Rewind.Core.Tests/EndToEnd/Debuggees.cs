using System.Diagnostics;

namespace Rewind.Core.Tests.EndToEnd;

/// <summary>The C debuggees of tests/programs/core (and prof_loop.c and spin_counter.c), compiled once for the "tracer" collection.</summary>
public sealed class Debuggees : IDisposable
{
    private readonly Dictionary<string, string> _built = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rewind-core-e2e-" + Guid.NewGuid().ToString("N"));
    private int _scratch;

    public Debuggees()
    {
        Directory.CreateDirectory(_directory);
        if (Tracer.Unavailable != null)
            return;
        Build("effects");
        Build("thread", "-pthread");
        Build("spin");
        Build("shared_views");
        Build("transform");
        Build("prof_loop", "-O0");
        Build("spin_counter", "-pthread");
        Build("same_pid");
        Build("frames");
        Build("altstack_flags");
    }

    public string Effects => _built["effects"];

    public string Thread => _built["thread"];

    public string Spin => _built["spin"];

    public string Frames => _built["frames"];

    public string AltStackFlags => _built["altstack_flags"];

    public string SharedViews => _built["shared_views"];

    public string Transform => _built["transform"];

    public string ProfLoop => _built["prof_loop"];

    public string SpinCounter => _built["spin_counter"];

    public string SamePid => _built["same_pid"];

    /// <summary>A fresh directory for one test's files and trace.</summary>
    public string NewScratch()
    {
        string dir = Path.Combine(_directory, "t" + Interlocked.Increment(ref _scratch));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private void Build(string name, params string[] flags)
    {
        string source = Path.Combine(AppContext.BaseDirectory, "programs", name + ".c");
        string output = Path.Combine(_directory, name);
        var start = new ProcessStartInfo(Tracer.Gcc!, ["-O1", "-g", "-o", output, source, .. flags]) { RedirectStandardError = true };
        using var gcc = Process.Start(start)!;
        string errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode != 0)
            throw new InvalidOperationException($"gcc failed on {source}: {errors}");
        _built[name] = output;
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

[CollectionDefinition("tracer")]
public sealed class TracerCollection : ICollectionFixture<Debuggees>;

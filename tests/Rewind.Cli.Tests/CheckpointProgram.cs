using System.Diagnostics;

namespace Rewind.Cli.Tests;

/// <summary>
/// tests/programs/checkpoint_state.c compiled once per test run, its data file, and the
/// `rewind` command run as a user runs it (a separate process, so the recorded program's
/// output is its own).
/// </summary>
public sealed class CheckpointProgram : IDisposable
{
    public CheckpointProgram()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"rewind-checkpoints-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        Binary = Path.Combine(Directory, "checkpoint_state");
        var compile = Run("gcc", ["-O2", "-mavx2", "-o", Binary, Source("checkpoint_state.c")], Directory);
        Assert.True(compile.ExitCode == 0, compile.Stderr);
        DataFile = Path.Combine(Directory, "data.bin");
        var bytes = new byte[64 * 1024];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(DataFile, bytes);
    }

    public string Directory { get; }

    public string Binary { get; }

    public string DataFile { get; }

    public static string RewindDll => Path.Combine(AppContext.BaseDirectory, "rewind.dll");

    /// <summary>Runs `rewind ARGS` to its end.</summary>
    public (int ExitCode, string Stdout, string Stderr) Rewind(params string[] args) => Run("dotnet", [RewindDll, .. args], Directory);

    /// <summary>Starts `rewind ARGS` with its output redirected.</summary>
    public Process StartRewind(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RewindDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        return Process.Start(info)!;
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, string directory)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }

    /// <summary>A file of tests/programs, found above the test binaries.</summary>
    private static string Source(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "programs", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"tests/programs/{name} not found above {AppContext.BaseDirectory}");
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

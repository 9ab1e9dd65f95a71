using System.Diagnostics;

namespace Rewind.Symbols.Tests.Support;

/// <summary>Compilers, gdb and the test programs: compiled once per test run into a temporary directory.</summary>
internal static class Toolchain
{
    private static readonly Dictionary<string, string> Built = [];
    private static readonly Lazy<string> WorkDir = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), $"rewind-symbols-tests-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        return dir;
    });

    public static string Directory_ => WorkDir.Value;

    public static bool Has(string tool) => Find(tool) is not null;

    public static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            string p = Path.Combine(dir, tool);
            if (File.Exists(p))
                return p;
        }
        return null;
    }

    /// <summary>tests/programs/symbols, found by walking up from the test assembly.</summary>
    public static string ProgramsDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "programs", "symbols")))
                dir = dir.Parent;
            return dir is null ? throw new DirectoryNotFoundException("tests/programs/symbols not found") : Path.Combine(dir.FullName, "tests", "programs", "symbols");
        }
    }

    public static string SourceOf(string program) => Path.Combine(ProgramsDirectory, program + ".c");

    /// <summary>Compiles a test program with -g; returns the binary's path.</summary>
    public static string Build(string program, string compiler, string optimization)
    {
        string key = $"{program}-{compiler}{optimization.Replace(" ", "", StringComparison.Ordinal).Replace("+", "", StringComparison.Ordinal)}";
        lock (Built)
        {
            if (Built.TryGetValue(key, out var path))
                return path;
            path = Path.Combine(Directory_, key);
            // "+nocfi": no call-frame information at all, so unwinding must use frame pointers.
            bool noCfi = optimization.Contains("+nocfi", StringComparison.Ordinal);
            var flags = optimization.Replace("+nocfi", "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var (code, output) = Run(compiler, ["-g", .. flags, "-o", path, SourceOf(program)], 120);
            if (code != 0)
                throw new InvalidOperationException($"{compiler} failed on {program}: {output}");
            if (noCfi)
            {
                (code, output) = Run("objcopy", ["--remove-section=.debug_frame", "--remove-section=.eh_frame", "--remove-section=.eh_frame_hdr", path], 60);
                if (code != 0)
                    throw new InvalidOperationException($"objcopy failed on {program}: {output}");
            }
            Built[key] = path;
            return path;
        }
    }

    public static (int Code, string Output) Run(string file, IEnumerable<string> arguments, int timeoutSeconds, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory_,
        };
        psi.Environment.Remove("DEBUGINFOD_URLS");
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in {timeoutSeconds} s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The line number of the "/* break: NAME */" marker in a program.</summary>
    public static int MarkerLine(string program, string marker)
    {
        var lines = File.ReadAllLines(SourceOf(program));
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].Contains($"/* break: {marker} */", StringComparison.Ordinal))
                return i + 1;
        throw new InvalidOperationException($"no marker {marker} in {program}");
    }
}

using System.Collections.Concurrent;

namespace Rewind.Cli.Tests.Harness;

/// <summary>
/// tests/programs/*.c compiled with <c>gcc -g -O0</c> into a temp directory, once per test
/// run whatever the number of test classes using it; the directory goes when the run ends.
/// </summary>
internal sealed class CompiledPrograms
{
    private static readonly Lazy<CompiledPrograms> LazyShared = new(Compile, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _directory;
    private readonly IReadOnlyDictionary<string, string> _paths;

    private CompiledPrograms(string directory, IReadOnlyDictionary<string, string> paths)
    {
        _directory = directory;
        _paths = paths;
    }

    public static CompiledPrograms Shared => LazyShared.Value;

    public IEnumerable<string> Names => _paths.Keys;

    /// <summary>The executable built from tests/programs/NAME.c.</summary>
    public string PathOf(string name) =>
        _paths.TryGetValue(name, out string? path) ? path : throw new ArgumentException($"no tests/programs/{name}.c", nameof(name));

    private static CompiledPrograms Compile()
    {
        string[] sources = [.. Directory.GetFiles(RepoPaths.Programs, "*.c"), .. Directory.GetFiles(Path.Combine(RepoPaths.Programs, "live"), "*.c")];
        if (sources.Length == 0)
            throw new InvalidOperationException($"no C programs in {RepoPaths.Programs}");
        // Both folders build into one: a live job named like a program would replace it.
        if (sources.GroupBy(Path.GetFileNameWithoutExtension).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidOperationException($"two test programs are named {twice.Key}: {string.Join(", ", twice)}");
        string output = Directory.CreateTempSubdirectory("rewind-programs-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(output);

        var paths = new ConcurrentDictionary<string, string>();
        var failures = new ConcurrentBag<string>();
        Parallel.ForEach(sources, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, source =>
        {
            string name = Path.GetFileNameWithoutExtension(source);
            string exe = Path.Combine(output, name);
            ProcessResult gcc = ProcessRunner
                .RunAsync("gcc", ["-g", "-O0", "-Wall", "-pthread", "-o", exe, source], output)
                .GetAwaiter().GetResult();
            if (gcc.ExitCode != 0 || !File.Exists(exe))
                failures.Add(gcc.ToString());
            else
                paths[name] = exe;
        });
        if (!failures.IsEmpty)
            throw new InvalidOperationException("gcc failed:\n" + string.Join("\n", failures));
        return new CompiledPrograms(output, paths);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public override string ToString() => _directory;
}

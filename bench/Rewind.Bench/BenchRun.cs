using System.Globalization;
using System.Text;

namespace Rewind.Bench;

/// <summary>
/// The whole benchmark in one process, so that native and recorded runs share the
/// machine's state: compile bench/programs, generate the data, measure, print.
/// </summary>
internal sealed class BenchRun(BenchOptions options)
{
    private readonly string _root = FindRoot();
    private readonly string _work = Directory.CreateTempSubdirectory("rewind-bench-").FullName;

    public int Run()
    {
        try
        {
            string? rewind = options.NativeOnly ? null : FindRewind();
            Console.WriteLine($"# Rewind benchmarks, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            Console.WriteLine();
            Console.WriteLine($"Machine: {Machine.Describe()}");
            Console.WriteLine($"Runs per figure: best of {options.Runs}; data files: {options.SizeMb} MB");
            Console.WriteLine($"rewind: {(rewind is null ? "not measured (--native-only)" : Path.GetRelativePath(_root, rewind))}");
            Console.WriteLine();

            Compile();
            IReadOnlyList<Workload> workloads = [.. Prepare().Where(w => options.Only.Count == 0 || options.Only.Contains(w.Name))];
            Console.WriteLine(RawCost("ptrace_stop", "stops", "PTRACE_SYSCALL stops over 100000 getppid calls", "us_per_stop", "per stop"));
            Console.WriteLine(RawCost("rdtsc_trap", "traps", "rdtsc trapped (PR_TSC_SIGSEGV) and completed with the fewest ptrace calls", "us_per_trap", "per trapped rdtsc"));
            Console.WriteLine();
            Console.WriteLine("| workload | native s | record s | record / native | replay s | replay / native | events | trace MB | bytes / event |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (Workload w in workloads)
                Console.WriteLine(Measure(w, rewind));
            Console.WriteLine();
            foreach (Workload w in workloads)
                Console.WriteLine($"- {w.Name}: {w.Description}");
            return 0;
        }
        finally
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    private string Measure(Workload w, string? rewind)
    {
        w.Build?.Invoke();
        Timed.Result native = Timed.Best(options.Runs, () => Timed.Run(w.Program, w.Args, _work));
        if (native.ExitCode != 0)
            throw new InvalidOperationException($"{w.Name} failed natively ({native.ExitCode}): {native.Stderr.Trim()}");
        string nat = Seconds(native.Elapsed);
        if (rewind is null)
            return $"| {w.Name} | {nat} | pending | | pending | | | | |";

        string trace = Path.Combine(_work, w.Name + ".rwd");
        Timed.Result record = Timed.Best(options.Runs, () =>
        {
            File.Delete(trace);
            return Timed.Run(rewind, ["record", "-o", trace, "--", w.Program, .. w.Args], _work);
        });
        if (record.ExitCode != native.ExitCode || !File.Exists(trace))
            return $"| {w.Name} | {nat} | failed: {OneLine(record.Stderr)} | | | | | | |";

        TraceInfo info;
        try
        {
            info = TraceInfo.Read(rewind, trace);
        }
        catch (InvalidOperationException e)
        {
            info = new TraceInfo(0, new FileInfo(trace).Length, null);
            Console.Error.WriteLine($"{w.Name}: {e.Message}");
        }
        Timed.Result replay = Timed.Best(options.Runs, () => Timed.Run(rewind, ["replay", trace], _work));
        string rep = replay.ExitCode == native.ExitCode ? Seconds(replay.Elapsed) : $"failed: {OneLine(replay.Stderr)}";
        string repRatio = replay.ExitCode == native.ExitCode ? Ratio(replay.Elapsed, native.Elapsed) : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"| {w.Name} | {nat} | {Seconds(record.Elapsed)} | {Ratio(record.Elapsed, native.Elapsed)} | {rep} | {repRatio} | {info.Events} | {info.FileBytes / 1e6:0.0} | {(info.Events > 0 ? info.BytesPerEvent.ToString("0.0", CultureInfo.InvariantCulture) : "n/a")} |");
    }

    /// <summary>
    /// The floor a C tracer measures for one kind of stop (<paramref name="program"/> in
    /// bench/programs, run on 100 000 of them): what the recorder cannot go below.
    /// </summary>
    private string RawCost(string program, string countKey, string what, string usKey, string per)
    {
        const int Count = 100_000;
        Dictionary<string, string> best = [];
        for (int run = 0; run < options.Runs; run++)
        {
            string output = Capture(Path.Combine(_work, program), Count.ToString(CultureInfo.InvariantCulture));
            Dictionary<string, string> values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(": ", 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            if (best.Count == 0 || Us(values) < Us(best))
                best = values;
        }
        return $"Raw cost (bench/programs/{program}.c, {best[countKey]} {what}, best of {options.Runs}): " +
               $"**{best[usKey]} µs {per}** (untraced loop {best["untraced_s"]} s, traced {best["traced_s"]} s).";

        double Us(Dictionary<string, string> v) => double.Parse(v[usKey], CultureInfo.InvariantCulture);
    }

    private void Compile()
    {
        foreach (string source in Directory.GetFiles(Path.Combine(_root, "bench", "programs"), "*.c"))
        {
            string exe = Path.Combine(_work, Path.GetFileNameWithoutExtension(source));
            Capture("gcc", "-O2", "-pthread", "-o", exe, source);
        }
    }

    private IReadOnlyList<Workload> Prepare()
    {
        string small = Path.Combine(_work, "small.bin");
        File.WriteAllBytes(small, Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 7919 >> 3)).ToArray());
        string text = Path.Combine(_work, "text.txt");
        GenerateText(text, options.SizeMb * 1_000_000L);
        string gzip = Which("gzip");
        string sort = Which("sort");
        string dotnet = Which("dotnet");
        return
        [
            new("compute", "bench/programs/compute.c: 700 M iterations of xorshift and floating-point arithmetic, no syscalls",
                Path.Combine(_work, "compute"), []),
            new("syscalls", "bench/programs/syscalls.c: 100 k read() of 64 bytes + 100 k clock_gettime()",
                Path.Combine(_work, "syscalls"), [small, "100000"]),
            new("stats", "bench/programs/stats.c: 100 k rounds of stat(), fstat() and getppid() (each answered in the program under rewind once its site is patched)",
                Path.Combine(_work, "stats"), [small, "100000"]),
            new("writes_small", "bench/programs/writes.c: 100 k write() of 64 bytes to a file",
                Path.Combine(_work, "writes"), [Path.Combine(_work, "writes_small.out"), "100000", "64"]),
            new("writes_large", "bench/programs/writes.c: 200 write() of 1 MiB to a file",
                Path.Combine(_work, "writes"), [Path.Combine(_work, "writes_large.out"), "200", "1048576"]),
            new("rdtsc", "bench/programs/rdtsc_loop.c: 200 k rdtsc in a loop, no syscalls (each one trapped and logged under rewind)",
                Path.Combine(_work, "rdtsc_loop"), []),
            new("clock_loop", "bench/programs/clock_loop.c: 20 k clock_gettime(CLOCK_MONOTONIC) in a loop (the vDSO's natively, a syscall each under rewind)",
                Path.Combine(_work, "clock_loop"), []),
            new("gzip", $"`gzip -c` of a generated {options.SizeMb} MB text file, output drained through a pipe",
                gzip, ["-c", text]),
            new("sort", $"`sort --parallel=1` of the same {options.SizeMb} MB text file (LC_ALL=C)",
                sort, ["--parallel=1", text]),
            new("threads_compute", "bench/programs/threads_compute.c: two threads of 60 M xorshift iterations each, at once",
                Path.Combine(_work, "threads_compute"), []),
            new("futex_pingpong", "bench/programs/futex_pingpong.c: four threads pass a token round a ring 20 k times (condition variables)",
                Path.Combine(_work, "futex_pingpong"), []),
            new("node", "`node -e` of a 10 ms timer: the runtime's start-up, its threads mostly waiting",
                Which("node"), ["-e", "setTimeout(() => {}, 10)"]),
            new("java", "`java -version`: the JVM's start-up (OpenJDK), its threads mostly waiting",
                Which("java"), ["-version"]),
            new("make", "`make -j2 -B` of a generated 20-file C project (gcc, cc1 and as for each file, then collect2 and ld: every process recorded)",
                Which("make"), ["-j2", "-B", "-s", "-C", MakeProject()]),
            DotnetApp("dotnet_hello", "Hello", "`dotnet Hello.dll` of bench/dotnet/Hello, one line printed: the .NET runtime's start-up", dotnet),
            DotnetApp("dotnet_alloc", "Allocations", "`dotnet Allocations.dll` of bench/dotnet/Allocations: 5.6 M small records and as many strings built and dropped in 20 rounds (about 40 collections), a checksum printed", dotnet),
        ];
    }

    /// <summary>
    /// <c>dotnet APP.dll</c> of bench/dotnet/<paramref name="project"/>, built (Release) with the
    /// SDK in the temp directory, outside the repository, so that none of its build settings apply.
    /// </summary>
    private Workload DotnetApp(string name, string project, string description, string dotnet)
    {
        string dir = Path.Combine(_work, project);
        string app = Path.Combine(dir, "app", project + ".dll");
        return new(name, description, dotnet, [app], Build: () =>
        {
            Directory.CreateDirectory(dir);
            foreach (string file in Directory.GetFiles(Path.Combine(_root, "bench", "dotnet", project)))
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)), overwrite: true);
            Capture(dotnet, "build", Path.Combine(dir, project + ".csproj"), "-c", "Release", "-o", Path.GetDirectoryName(app)!, "-nologo", "-v", "quiet");
        });
    }

    /// <summary>A C project of 20 files and a Makefile that builds them into one program: each a function of a few lines.</summary>
    private string MakeProject()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_work, "make_project")).FullName;
        const int Parts = 19;
        for (int i = 1; i <= Parts; i++)
            File.WriteAllText(Path.Combine(dir, $"part{i}.c"), $"int part{i}(int x)\n{{\n    int s = 0;\n    for (int i = 0; i < x; i++)\n        s += i * {i};\n    return s;\n}}\n");
        var main = new StringBuilder("#include <stdio.h>\n");
        for (int i = 1; i <= Parts; i++)
            main.Append(CultureInfo.InvariantCulture, $"int part{i}(int);\n");
        main.Append("int main(void)\n{\n    int s = 0;\n");
        for (int i = 1; i <= Parts; i++)
            main.Append(CultureInfo.InvariantCulture, $"    s += part{i}({i});\n");
        main.Append("    printf(\"%d\\n\", s);\n    return 0;\n}\n");
        File.WriteAllText(Path.Combine(dir, "main.c"), main.ToString());
        string objects = string.Join(' ', Enumerable.Range(1, Parts).Select(i => $"part{i}.o").Prepend("main.o"));
        File.WriteAllText(Path.Combine(dir, "Makefile"), $"app: {objects}\n\tgcc -o $@ {objects}\n\n%.o: %.c\n\tgcc -O1 -c -o $@ $<\n");
        return dir;
    }

    /// <summary>Lines of words drawn from a fixed vocabulary with a fixed seed: text that gzip and sort work on like real logs.</summary>
    private static void GenerateText(string path, long bytes)
    {
        var random = new Random(20240601);
        string[] words = Enumerable.Range(0, 2000).Select(_ =>
            new string(Enumerable.Range(0, random.Next(2, 10)).Select(_ => (char)('a' + random.Next(26))).ToArray())).ToArray();
        using var w = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        long written = 0;
        var line = new StringBuilder();
        while (written < bytes)
        {
            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"{random.Next(100000):00000} ");
            int n = random.Next(4, 14);
            for (int i = 0; i < n; i++)
                line.Append(words[random.Next(words.Length)]).Append(' ');
            line.Append('\n');
            w.Write(line);
            written += line.Length;
        }
    }

    private string Capture(string program, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _work };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {err.Result.Trim()}");
        return output;
    }

    private string FindRewind()
    {
        string path = options.Rewind ?? Path.Combine(_root, "src", "Rewind.Cli", "bin", "Release", "net10.0", "rewind");
        return File.Exists(path) ? Path.GetFullPath(path)
            : throw new InvalidOperationException($"{path} does not exist: dotnet build src/Rewind.Cli -c Release, or --native-only");
    }

    private static string Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{tool} is not on PATH");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rewind.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no Rewind.sln above {AppContext.BaseDirectory}");
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Ratio(TimeSpan a, TimeSpan b) => (a / b).ToString("0.0", CultureInfo.InvariantCulture) + "×";

    private static string OneLine(string s) => s.Trim().Split('\n')[0].Replace("|", "/", StringComparison.Ordinal);
}

using System.Diagnostics;
using Rewind.Hibernation;
using Rewind.Trace;

namespace Rewind.Bench.Hibernation;

/// <summary>
/// Issue #13's figures (docs/benchmarks.md, "Hibernation"): hibernate and resume of a process
/// with 100 MB and 1 GB resident (bench/checkpoints/resident.c: pseudo-random, incompressible),
/// against the checkpoint figures of the same workload. For each size: the pause of a
/// hibernation that leaves the process running, the time to write the image (MB/s of resident
/// memory), the image size, and the time until the resumed process runs. Prints Markdown rows.
/// </summary>
internal static class Bench
{
    private static int Main(string[] args)
    {
        string? rewind = args is ["--rewind", var path] ? Path.GetFullPath(path) : null;
        string dir = Directory.CreateTempSubdirectory("rewind-bench-").FullName;
        try
        {
            string program = Path.Combine(dir, "resident");
            using (var gcc = Process.Start("gcc", ["-O2", "-o", program, Path.Combine(AppContext.BaseDirectory, "resident.c")]))
            {
                gcc.WaitForExit();
            }
            // A first round of 10 MB pays the runtime's JIT of the whole path, which the rows leave out.
            Measure(dir, program, 10);
            Console.WriteLine("| resident | pause, left running | image written | image size | pause, ended | resumed and running |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
            foreach (int mb in new[] { 100, 1024 })
            {
                Console.WriteLine(Measure(dir, program, mb));
            }
            if (rewind != null)
            {
                Console.WriteLine();
                Console.WriteLine($"Each command a new process of {rewind} (the runtime's start and JIT in every figure):");
                Console.WriteLine();
                Console.WriteLine("| resident | hibernate --leave-running | hibernate | resume --detach |");
                Console.WriteLine("|---:|---:|---:|---:|");
                foreach (int mb in new[] { 100, 1024 })
                {
                    Console.WriteLine(MeasureCommands(rewind, dir, program, mb));
                }
            }
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Measure(string dir, string program, int mb)
    {
        string image = Path.Combine(dir, $"resident-{mb}.rwi");
        int job = StartResident(program, mb);
        var clock = Stopwatch.StartNew();
        var running = Hibernator.Hibernate(job, image, new HibernateOptions(LeaveRunning: true));
        double written = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var ended = Hibernator.Hibernate(job, image, new HibernateOptions());
        double endedSeconds = clock.Elapsed.TotalSeconds;

        // Twice: the first reads the image from disk, the second from the page cache.
        var resumes = Enumerable.Range(0, 2).Select(_ => Resume(image)).ToList();
        double mbStored = running.StoredBytes / 1e6;
        return $"| {mb} MB | {running.PauseMicros / 1e3:0.0} ms | {mbStored:0} MB in {written * 1000:0} ms ({mbStored / written:0} MB/s) | {running.ImageBytes / 1e6:0} MB "
            + $"| {endedSeconds * 1000:0} ms ({ended.StoredBytes / 1e6 / endedSeconds:0} MB/s) | {resumes[0] * 1000:0} ms ({mbStored / resumes[0]:0} MB/s), cached {resumes[1] * 1000:0} ms ({mbStored / resumes[1]:0} MB/s) |";
    }

    /// <summary>The three commands a user runs, each timed from its start to its exit.</summary>
    private static string MeasureCommands(string rewind, string dir, string program, int mb)
    {
        string image = Path.Combine(dir, $"resident-{mb}-cli.rwi");
        string pid = StartResident(program, mb).ToString();
        double stored = mb * 1.048576;
        string Rate(double seconds) => $"{seconds * 1000:0} ms ({stored / seconds:0} MB/s)";
        string leftRunning = Rate(Command(rewind, ["hibernate", "--leave-running", pid, "-o", image], out _));
        string ended = Rate(Command(rewind, ["hibernate", pid, "-o", image], out _));
        string resumed = Rate(Command(rewind, ["resume", "--detach", image], out string output));
        using (var job = Process.GetProcessById(int.Parse(output.Split('\n')[0])))
        {
            job.Kill();
        }
        return $"| {mb} MB | {leftRunning} | {ended} | {resumed} |";
    }

    /// <summary>Seconds <paramref name="rewind"/> ran with <paramref name="args"/>; it must succeed.</summary>
    private static double Command(string rewind, string[] args, out string output)
    {
        var clock = Stopwatch.StartNew();
        using var command = Process.Start(new ProcessStartInfo(rewind, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        output = command.StandardOutput.ReadToEnd();
        string errors = command.StandardError.ReadToEnd();
        command.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        return command.ExitCode == 0 ? seconds : throw new InvalidOperationException($"rewind {string.Join(' ', args)}: {errors}");
    }

    /// <summary>
    /// The workload with <paramref name="mb"/> resident, once its memory is filled; not a child of
    /// ours: the runtime reaps the children it starts from any thread, and could take the
    /// tracer's ptrace stops.
    /// </summary>
    private static int StartResident(string program, int mb)
    {
        // Started with no descriptor but its standard streams, as from a terminal.
        string script = $"for f in /proc/$$/fd/*; do n=${{f##*/}}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done; {program} {mb} 600 </dev/null >/dev/null 2>&1 & echo $!";
        using var shell = Process.Start(new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true })!;
        int pid = int.Parse(shell.StandardOutput.ReadLine()!);
        shell.WaitForExit();
        while (ResidentMb(pid) < mb * 0.98)
        {
            Thread.Sleep(50);
        }
        return pid;
    }

    private static double ResidentMb(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;

    /// <summary>Seconds from opening the image to the resumed process running; it is killed after.</summary>
    private static double Resume(string image)
    {
        var clock = Stopwatch.StartNew();
        using var file = TraceFile.Open(image);
        int pid = 0;
        var options = new ResumeOptions(Detach: true);
        Resumer.Resume(file, ImageCheck.Of(file, image, options), options, resumed => pid = resumed.Pid);
        double seconds = clock.Elapsed.TotalSeconds;
        using var resumed = Process.GetProcessById(pid);
        resumed.Kill();
        return seconds;
    }
}

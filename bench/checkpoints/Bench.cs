using System.Diagnostics;
using Rewind.Recording;
using Rewind.Replay;
using Rewind.Trace;

namespace Rewind.Bench.Checkpoints;

/// <summary>
/// The checkpoint figures of issue #3 (docs/benchmarks.md, "Checkpoints"): pause and persist
/// throughput at 100 MB and 1 GB resident (with a native fork() of the same size, the floor of the
/// pause), image size against resident memory, restore time, and
/// seeking to the end of a 60 s recording from its last checkpoint against from its start.
/// Prints Markdown table rows. Arguments: [--quick] for a 10 s seek recording.
/// </summary>
internal static class Bench
{
    private static int Main(string[] args)
    {
        bool quick = args.Contains("--quick");
        string dir = Directory.CreateTempSubdirectory("rewind-bench-").FullName;
        try
        {
            string program = Path.Combine(dir, "resident");
            Run("gcc", "-O2", "-o", program, Path.Combine(AppContext.BaseDirectory, "resident.c"));
            Console.WriteLine("| resident | pause (median, max) | native fork() (best of 5) | persist | stored (raw) | stored (compressed) | restore | restore again (cached) |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (int mb in new[] { 100, 1024 })
            {
                MeasureCheckpoints(dir, program, mb);
            }
            MeasureSeek(dir, program, quick ? 10 : 60);
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void MeasureCheckpoints(string dir, string program, int mb)
    {
        string nativeFork = Output(program, mb.ToString(System.Globalization.CultureInfo.InvariantCulture), "fork").Trim();
        string trace = Path.Combine(dir, $"resident-{mb}.rwd");
        Record(program, [mb.ToString(System.Globalization.CultureInfo.InvariantCulture), "6"], trace, TimeSpan.FromSeconds(1));
        using var file = TraceFile.Open(trace);
        var checkpoints = file.Summary.Checkpoints.Where(c => c.Index > 0).ToList();
        // The biggest is the first after the memory was filled: it stores it all.
        var big = checkpoints.MaxBy(c => c.StoredBytes)!;
        long compressed = file.Reader.Chunks
            .Where(c => c.Kind is ChunkKind.Checkpoint or ChunkKind.CheckpointPages && (int)c.Tag == big.Index)
            .Sum(c => (long)c.StoredLength + 24);
        var last = checkpoints[^1];
        // Restore time: recreate the process, its pages streamed from the trace. The first
        // restore reads pages the recorder wrote past the page cache; the next ones find them there.
        var restores = Enumerable.Range(0, 3).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            TracerThread.Run(() =>
            {
                using var session = ReplaySession.Start(file, last.Index);
                return session.NextEvent;
            });
            return clock.Elapsed.TotalSeconds;
        }).ToList();
        double first = restores[0], again = restores.Skip(1).Min();
        long restored = 0;
        file.ReadCheckpointPages(last.Index, page => restored += page.Data.Length);
        var pauses = checkpoints.Select(c => c.PauseMicros / 1000.0).Order().ToList();
        Console.WriteLine($"| {mb} MB | {pauses[pauses.Count / 2]:0.0} ms, {pauses[^1]:0.0} ms | {nativeFork} ms | {big.StoredBytes / (big.PersistMicros / 1e6) / 1e6:0} MB/s ({big.StoredBytes / 1e6:0} MB in {big.PersistMicros / 1000.0:0} ms) "
            + $"| {big.StoredBytes / 1e6:0} MB | {compressed / 1e6:0} MB | {restored / 1e6:0} MB in {first * 1000:0} ms ({restored / first / 1e6:0} MB/s) | {again * 1000:0} ms ({restored / again / 1e6:0} MB/s) |");
        Console.WriteLine($"<!-- {mb} MB: {checkpoints.Count} checkpoints, pauses {string.Join(", ", checkpoints.Select(c => $"{c.PauseMicros / 1000.0:0.0}"))} ms; stored {string.Join(", ", checkpoints.Select(c => $"{c.StoredBytes / 1e6:0.0}{(c.Base == null ? "F" : "")}"))} MB -->");
    }

    private static void MeasureSeek(string dir, string program, int seconds)
    {
        string trace = Path.Combine(dir, "seek.rwd");
        Record(program, ["100", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)], trace, TimeSpan.FromSeconds(2));
        using var file = TraceFile.Open(trace);
        var last = file.Summary.Checkpoints[^1];
        double fromLast = ReplayToEnd(file, last.Index);
        double fromStart = ReplayToEnd(file, 0);
        Console.WriteLine();
        Console.WriteLine($"Seek to the end of a {seconds} s recording (100 MB resident, checkpoint every 2 s, {file.Summary.Checkpoints.Count} checkpoints; the last at {last.TimeMicros / 1e6:0.0} s):");
        Console.WriteLine($"from the last checkpoint {fromLast:0.00} s, from the start {fromStart:0.00} s.");
    }

    private static double ReplayToEnd(TraceFile file, int checkpoint)
    {
        var clock = Stopwatch.StartNew();
        var result = TracerThread.Run(() =>
        {
            using var session = ReplaySession.Start(file, checkpoint);
            return session.RunToEnd();
        });
        if (result.EndNote != null)
        {
            throw new InvalidOperationException(result.EndNote);
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static void Record(string program, string[] args, string trace, TimeSpan interval)
    {
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToList();
        var options = new RecordOptions(program, args, environment, Environment.CurrentDirectory, trace) { CheckpointInterval = interval };
        var result = TracerThread.Run(() => RecordSession.Record(options));
        if (result.Error != null || result.Exit?.Code != 0)
        {
            throw new InvalidOperationException($"recording {program} failed: {result.Error ?? result.Exit.ToString()}");
        }
    }

    private static string Output(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true })!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} failed");
    }

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(file, args);
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed");
        }
    }
}

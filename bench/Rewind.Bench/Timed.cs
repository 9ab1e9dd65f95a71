using System.Diagnostics;

namespace Rewind.Bench;

/// <summary>Runs a process to completion and measures its wall time; output is drained, stdin is closed.</summary>
internal static class Timed
{
    public sealed record Result(TimeSpan Elapsed, int ExitCode, string Stderr);

    public static Result Run(string program, IEnumerable<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        // GNU sort compares bytes, not locale collation, and does the same work in every run.
        psi.Environment["LC_ALL"] = "C";

        var clock = Stopwatch.StartNew();
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        p.StandardInput.Close();
        Task drain = p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', args)}: still running after 10 minutes");
        }
        drain.Wait();
        clock.Stop();
        return new Result(clock.Elapsed, p.ExitCode, stderr.Result);
    }

    /// <summary>The fastest of <paramref name="runs"/> runs (the least disturbed by the rest of the machine).</summary>
    public static Result Best(int runs, Func<Result> run)
    {
        Result best = run();
        if (best.ExitCode is not 0)
            return best;
        for (int i = 1; i < runs; i++)
        {
            Result r = run();
            if (r.Elapsed < best.Elapsed)
                best = r;
        }
        return best;
    }
}

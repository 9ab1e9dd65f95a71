using System.Diagnostics;
using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Hibernation;

/// <summary>
/// A job run live, not recorded, with a fresh hibernation image every interval while it keeps
/// running (`rewind run --checkpoint-every`): a power cut or a kill loses at most one interval
/// of its work, and `rewind resume` continues from the last image. Each image replaces the
/// previous one only once it is complete (<see cref="Hibernator"/>). The job is in the
/// foreground as under a shell; its exit status is passed on.
/// </summary>
public static class GuardedRun
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(200);

    /// <param name="imageTaken">hears of each image written, or of why one could not be.</param>
    public static ExitStatus Run(string program, IReadOnlyList<string> argv, string imagePath, TimeSpan interval, Action<string> imageTaken) => TracerThread.Run(() =>
    {
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToList();
        int pid = ProcessSpawn.Start(program, argv, environment, processGroup: 0, inheritedMask: true);
        using var group = new ProgramGroup(pid);
        int pidfd = (int)Interop.syscall(Interop.SYS_pidfd_open, pid, 0);
        try
        {
            var clock = Stopwatch.StartNew();
            var next = interval;
            int images = 0;
            while (true)
            {
                if (Ended(pid, pidfd, next - clock.Elapsed, group) is { } exit)
                {
                    return exit;
                }
                if (clock.Elapsed < next)
                {
                    continue;
                }
                try
                {
                    var result = Hibernator.Hibernate(pid, imagePath, new HibernateOptions(LeaveRunning: true));
                    images++;
                    imageTaken($"image {images} of process {pid} written to {imagePath} ({result.ImageBytes / 1e6:0.0} MB, the job stopped {result.PauseMicros / 1e3:0} ms)");
                }
                catch (RewindException e)
                {
                    imageTaken($"no image of process {pid} this time: {e.Message}");
                }
                next = clock.Elapsed + interval;
            }
        }
        finally
        {
            if (pidfd >= 0)
            {
                Interop.close(pidfd);
            }
        }
    });

    /// <summary>
    /// Waits up to <paramref name="wait"/> (in slices, to notice a stop) for the job to end;
    /// returns its status when it did. A stopped job stops rewind run too, as a shell's job would.
    /// </summary>
    private static ExitStatus? Ended(int pid, int pidfd, TimeSpan wait, ProgramGroup group)
    {
        if (wait > Slice)
        {
            wait = Slice;
        }
        if (wait > TimeSpan.Zero && pidfd >= 0)
        {
            Interop.PollReadable(pidfd, (int)Math.Ceiling(wait.TotalMilliseconds));
        }
        return group.Reap(pid, block: false);
    }
}

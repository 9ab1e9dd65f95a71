using Rewind.Hibernation;
using Rewind.Trace;

namespace Rewind.Cli.Commands;

/// <summary>
/// `rewind check`: whether a hibernation image, or a recording's checkpoint, will resume on this
/// machine, and with which pids, starting nothing but, where they cannot be kept here, a pid
/// namespace it tries and ends at once (<see cref="KeptPids"/>).
/// </summary>
internal sealed class CheckCommand : ICommand
{
    public string Name => "check";

    public string Usage => "check [--allow-changed-files] [--any-cpu] [--checkpoint N|last [--close-lost]] IMAGE|TRACE";

    public string Summary => "Say whether IMAGE, or TRACE's checkpoint N, would resume here, and what would be refused or degraded.";

    public string Help => """
        options:
          --allow-changed-files  judge as rewind resume --allow-changed-files would
          --any-cpu              judge as rewind resume --any-cpu would
          --checkpoint N|last    judge checkpoint N of a recording, as rewind resume --checkpoint N would
          --close-lost           judge as rewind resume --close-lost would
        It says whether the process would keep its pid and tids: here, in a new pid namespace
        (which it tries), or not. Exit status 0 when it would resume, 1 when it would be refused.

        examples:
          rewind check job.rwi
          rewind check --checkpoint 3 app.rwd
        """;

    public int Run(Arguments args)
    {
        var (image, path, options) = ResumeCommand.Open(args, detach: false);
        using (image)
        {
            var check = ImageCheck.Of(image, path, options);
            foreach (var point in check.Point.Processes)
            {
                image.VerifyRestorable(point.Checkpoint);
            }
            var p = check.Process;
            string moment = check.Point.FromRecording
                ? $"checkpoint {check.Point.Checkpoint} of a recording made {image.Header.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC"
                : $"hibernated {image.Header.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC";
            var timers = p.DescribeTimers().ToList();
            Console.WriteLine($"{path}: process {p.Pid} ({string.Join(' ', image.Header.CommandLine)}), {image.Header.Machine.CpuModel}, {p.Threads.Count} thread(s), {p.Descriptors.Count} descriptor(s), {timers.Count} timer(s), {moment}");
            foreach (var other in check.Point.Others.Select(o => o.Process))
            {
                Console.WriteLine($"  with process {other.Pid} of its moment, child of {other.Parent}: {other.Threads.Count} thread(s), {other.Descriptors.Count} descriptor(s), {other.DescribeTimers().Count()} timer(s)");
            }
            foreach (string timer in timers)
            {
                Console.WriteLine($"  timer: {timer}");
            }
            Console.WriteLine($"  pids: {KeptPids.Forecast(check.Point.Processes)}");
            foreach (string refusal in check.Refusals)
            {
                Console.WriteLine($"  refused: {refusal}");
            }
            foreach (string note in check.Degraded)
            {
                Console.WriteLine($"  degraded: {note}");
            }
            Console.WriteLine(check.Refusals.Count == 0 ? "it will resume here" : "it will not resume here");
            return check.Refusals.Count == 0 ? 0 : 1;
        }
    }

    /// <summary>The check of what <paramref name="options"/> resume from <paramref name="image"/>, thrown as one line when something refuses it.</summary>
    internal static ImageCheck Refuse(TraceFile image, string path, ResumeOptions options)
    {
        var check = ImageCheck.Of(image, path, options);
        return check.Refusals.Count == 0 ? check : throw new RewindException($"{path} cannot resume here: {string.Join("; ", check.Refusals)}");
    }
}

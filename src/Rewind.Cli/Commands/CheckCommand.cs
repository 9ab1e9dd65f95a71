using Rewind.Hibernation;
using Rewind.Trace;

namespace Rewind.Cli.Commands;

/// <summary>`rewind check`: whether a hibernation image will resume on this machine, starting nothing.</summary>
internal sealed class CheckCommand : ICommand
{
    public string Name => "check";

    public string Usage => "check [--allow-changed-files] IMAGE";

    public string Summary => "Say whether IMAGE would resume here, and what would be refused or degraded.";

    public string Help => """
        options:
          --allow-changed-files  judge as rewind resume --allow-changed-files would
        Exit status 0 when it would resume, 1 when it would be refused.

        example:
          rewind check job.rwi
        """;

    public int Run(Arguments args)
    {
        bool allowChanged = args.Flag("--allow-changed-files");
        var positionals = args.Positionals(1);
        string path = positionals.Count > 0 ? TracePaths.Resolve(positionals[0]) : throw new UsageException("no image given");
        using var image = TraceFile.Open(path);
        var check = ImageCheck.Of(image, path, allowChanged);
        var p = check.Process;
        var timers = p.DescribeTimers().ToList();
        Console.WriteLine($"{path}: process {p.Pid} ({string.Join(' ', image.Header.CommandLine)}), {image.Header.Machine.CpuModel}, {p.Threads.Count} thread(s), {p.Descriptors.Count} descriptor(s), {timers.Count} timer(s), hibernated {image.Header.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC");
        foreach (string timer in timers)
        {
            Console.WriteLine($"  timer: {timer}");
        }
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

    /// <summary>The check of <paramref name="image"/>, thrown as one line when something refuses it.</summary>
    internal static ImageCheck Refuse(TraceFile image, string path, bool allowChanged)
    {
        var check = ImageCheck.Of(image, path, allowChanged);
        return check.Refusals.Count == 0 ? check : throw new RewindException($"{path} cannot resume here: {string.Join("; ", check.Refusals)}");
    }
}

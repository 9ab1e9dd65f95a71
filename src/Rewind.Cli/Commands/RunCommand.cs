using System.Globalization;
using Rewind.Hibernation;

namespace Rewind.Cli.Commands;

/// <summary>`rewind run`: a job run live, not recorded, with a fresh hibernation image every interval.</summary>
internal sealed class RunCommand : ICommand
{
    public string Name => "run";

    public string Usage => "run --checkpoint-every INTERVAL -o IMAGE -- PROGRAM [ARGS...]";

    public string Summary => "Run PROGRAM live, writing a hibernation image of it every INTERVAL; rewind resume IMAGE continues it after a crash.";

    public string Help => """
        options:
          --checkpoint-every INTERVAL  time between images: 90s, 10m, 2h, 500ms (a bare number
                                       is seconds); the job stops only while each is taken
          -o, --output IMAGE           the image; each new one replaces it once complete, so a
                                       power cut or kill loses at most one interval of work
          --force                      replace IMAGE even if it is not an image
        The program runs in the foreground, not recorded; its exit status is the program's.

        example:
          rewind run --checkpoint-every 10m -o job.rwi -- ./simulate --days 30
          rewind resume job.rwi        # after a reboot: continues from the last image
        """;

    public int Run(Arguments args)
    {
        string output = args.Option("--output", "-o") ?? throw new UsageException("no image file given (-o IMAGE)");
        var interval = Interval(args.Option("--checkpoint-every") ?? throw new UsageException("no interval given (--checkpoint-every INTERVAL)"));
        bool force = args.Flag("--force");
        var program = args.AfterSeparator();
        if (program.Count == 0)
        {
            program = args.Positionals(int.MaxValue);
        }
        if (program.Count == 0)
        {
            throw new UsageException("no program given");
        }
        TracePaths.CheckOutput(output, force);
        string path = ProgramLookup.Resolve(program[0], Environment.GetEnvironmentVariable("PATH"));
        var exit = GuardedRun.Run(path, program, output, interval, note => Console.Error.WriteLine($"rewind: {note}"));
        return CommandLine.ReportExit(exit);
    }

    private static TimeSpan Interval(string text)
    {
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1),
            _ when text.EndsWith('m') => (text[..^1], 60),
            _ when text.EndsWith('h') => (text[..^1], 3600),
            _ => (text, 1),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value * scale <= TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(value * scale)
            : throw new UsageException($"--checkpoint-every takes a time like 90s, 10m or 2h, not '{text}'");
    }
}

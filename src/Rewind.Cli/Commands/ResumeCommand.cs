using Rewind.Hibernation;
using Rewind.Trace;

namespace Rewind.Cli.Commands;

/// <summary>`rewind resume`: continues a hibernated process from its image.</summary>
internal sealed class ResumeCommand : ICommand
{
    public string Name => "resume";

    public string Usage => "resume [--detach] [--allow-changed-files] IMAGE";

    public string Summary => "Continue the process frozen in IMAGE, in the foreground; its exit status is the program's.";

    public string Help => """
        options:
          --detach               run it in the background and print its pid
          --allow-changed-files  resume even though a file the process reads changed since
        The process takes this terminal and these standard streams where it had a terminal, or
        streams from another process; files are opened again by their paths. rewind check
        IMAGE tells beforehand whether it will resume here.

        example:
          rewind resume job.rwi
        """;

    public int Run(Arguments args)
    {
        var options = new ResumeOptions(args.Flag("--detach"), args.Flag("--allow-changed-files"));
        var positionals = args.Positionals(1);
        string path = positionals.Count > 0 ? TracePaths.Resolve(positionals[0]) : throw new UsageException("no image given");
        using var image = TraceFile.Open(path);
        var check = CheckCommand.Refuse(image, path, options.AllowChangedFiles);
        var exit = Resumer.Resume(image, check, options, resumed =>
        {
            foreach (string note in resumed.Degraded)
            {
                Console.Error.WriteLine($"rewind: {note}");
            }
            if (options.Detach)
            {
                Console.WriteLine(resumed.Pid);
            }
            else if (resumed.Pid != resumed.OriginalPid)
            {
                Console.Error.WriteLine($"rewind: process {resumed.OriginalPid} resumed as pid {resumed.Pid}");
            }
        });
        return exit is { } status ? CommandLine.ReportExit(status) : 0;
    }
}

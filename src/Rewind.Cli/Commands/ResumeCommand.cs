using Rewind.Hibernation;
using Rewind.Trace;

namespace Rewind.Cli.Commands;

/// <summary>`rewind resume`: continues a hibernated process from its image, or a recorded one from a checkpoint.</summary>
internal sealed class ResumeCommand : ICommand
{
    public string Name => "resume";

    public string Usage => "resume [--detach] [--allow-changed-files] [--any-cpu] [--checkpoint N|last [--close-lost]] IMAGE|TRACE";

    public string Summary => "Continue the process frozen in IMAGE, or the processes recorded in TRACE, in the foreground; the first one's exit status is the program's.";

    public string Help => """
        options:
          --detach               run it in the background and print its pid (each process's,
                                 the first first, for a checkpoint of several): as seen from
                                 here, where it runs in a pid namespace of its own
          --allow-changed-files  resume even though a file the process reads changed since
          --any-cpu              resume although this CPU lacks instruction-set features the
                                 process's CPU had: one it executes kills it with SIGILL
          --checkpoint N|last    continue a recording live from its checkpoint N (rewind info
                                 lists them), not a hibernation image
          --close-lost           with --checkpoint: resume although the process held what cannot
                                 come back (a socket to another process), each as a dead descriptor
        The process takes this terminal and these standard streams where it had a terminal, or
        streams from another process; files are opened again by their paths. It keeps its pid
        and tids where rewind may choose them here (root) and they are free, else in a new pid
        namespace where one can be made (a user namespace of its own without root), else it
        gets new ones. rewind check tells beforehand whether it will resume here, and how.

        examples:
          rewind resume job.rwi
          rewind resume --checkpoint 3 app.rwd
        """;

    public int Run(Arguments args)
    {
        var (image, path, options) = Open(args, args.Flag("--detach"));
        using (image)
        {
            var check = CheckCommand.Refuse(image, path, options);
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
            });
            return exit is { } status ? CommandLine.ReportExit(status) : 0;
        }
    }

    /// <summary>The image or trace named, opened, with the options resume and check share.</summary>
    internal static (TraceFile Image, string Path, ResumeOptions Options) Open(Arguments args, bool detach)
    {
        bool allowChanged = args.Flag("--allow-changed-files");
        bool closeLost = args.Flag("--close-lost");
        bool anyCpu = args.Flag("--any-cpu");
        string? checkpoint = args.Option("--checkpoint");
        var positionals = args.Positionals(1);
        string path = positionals.Count > 0 ? TracePaths.Resolve(positionals[0]) : throw new UsageException("no image given");
        if (closeLost && checkpoint == null)
        {
            throw new UsageException("--close-lost goes with --checkpoint: a hibernation image settled what it lost when it was taken");
        }
        var image = TraceFile.Open(path);
        try
        {
            return (image, path, new ResumeOptions(detach, allowChanged, CheckpointArgument.Parse("--checkpoint", checkpoint, image, path), closeLost, anyCpu));
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }
}

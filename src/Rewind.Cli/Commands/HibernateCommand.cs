using System.Globalization;
using System.Runtime.InteropServices;
using Rewind.Hibernation;

namespace Rewind.Cli.Commands;

/// <summary>`rewind hibernate`: freezes a running process into an image file, to resume later or elsewhere.</summary>
internal sealed class HibernateCommand : ICommand
{
    public string Name => "hibernate";

    public string Usage => "hibernate PID -o IMAGE [--leave-running] [--close-lost] [--force]";

    public string Summary => "Freeze running process PID into IMAGE and end it; rewind resume IMAGE continues it.";

    public string Help => """
        options:
          -o, --output IMAGE   the image file to write (replaced only once the new one is complete)
          --leave-running      let the process go on after its image is taken; it is stopped
                               only while its state is read, not while the image is written
          --close-lost         save what cannot come back (a TCP connection, a socket or pipe to
                               another process, a device) as a dead descriptor instead of
                               refusing: it reads end of file and its writes fail; and memory
                               shared with another process as the process's own copy of it
          --force              replace IMAGE even if it is not an image
        Needs ptrace access to PID: its owner with /proc/sys/kernel/yama/ptrace_scope 0, or root.

        example:
          rewind hibernate 4242 -o job.rwi && rewind resume job.rwi
        """;

    public int Run(Arguments args)
    {
        string output = args.Option("--output", "-o") ?? throw new UsageException("no image file given (-o IMAGE)");
        var options = new HibernateOptions(args.Flag("--leave-running"), args.Flag("--close-lost"));
        bool force = args.Flag("--force");
        var positionals = args.Positionals(1);
        if (positionals.Count == 0 || !int.TryParse(positionals[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
        {
            throw new UsageException(positionals.Count == 0 ? "no process id given" : $"'{positionals[0]}' is not a process id");
        }
        if (pid == Environment.ProcessId)
        {
            throw new RewindException("rewind cannot hibernate itself");
        }
        TracePaths.CheckOutput(output, force);
        // ^C, a hang-up or a kill while the image is written: the process goes on untouched, and no partial image or snapshot is left.
        using var interrupt = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
        var result = Hibernator.Hibernate(pid, output, options, interrupt.Token);
        foreach (string note in result.Degraded)
        {
            Console.Error.WriteLine($"rewind: {note}");
        }
        string fate = options.LeaveRunning ? "left running" : "ended";
        Console.Error.WriteLine($"rewind: process {pid} hibernated into {output} ({result.ImageBytes / 1e6:0.0} MB, {result.StoredBytes / 1e6:0.0} MB of memory); stopped {result.PauseMicros / 1e3:0} ms, then {fate}");
        return 0;
    }
}
